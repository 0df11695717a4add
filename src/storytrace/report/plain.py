"""Labels in plain words: what a reporter reads instead of the stages' internal names.

The stages name a number conflict by its unit ("how many day"), a polarity
conflict without a subject by its predicate lemma ("whether it is true
(play)"), the sides of a polarity conflict "says yes: play" / "says no: play",
and entity kinds by spaCy's labels ("GPE"). The JSON keeps those values (they
are the contract); the page and the Markdown show these labels instead.

DOCS: docs/report.md
"""

from __future__ import annotations

import re
from typing import Any

JSON = dict[str, Any]

ENTITY_KINDS: dict[str, str] = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "country, city or state",
    "LOC": "place",
    "NORP": "nationality or group",
    "FAC": "building or site",
    "OUTLET": "news outlet",
    "WEAPON": "weapon",
    "MILITARY_UNIT": "military unit",
    "EVENT": "event",
    "PRODUCT": "product",
    "LAW": "law",
    "WORK_OF_ART": "title of a work",
}

STANCES: dict[str, str] = {
    "affirmed": "reported",
    "negated": "denied",
    "both": "reported and denied",
}

_SIDE = re.compile(r"^says (yes|no): (.*)$")


def short(text: str, limit: int = 80) -> str:
    """``text`` on one line, cut at a word boundary past ``limit`` characters with "…"."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0] or flat[:limit]
    return cut.rstrip(",;:") + "…"


def topic_label(dis: JSON) -> str:
    """A disagreement's topic as a reporter would say it.

    Number conflicts name their two figures ("figures differ: 700 km or 1,000 km"),
    a polarity conflict the stage could not give a subject quotes the statement
    ("said and denied: “he played the role”"); other topics are already plain.
    """
    topic, sides = str(dis["topic"]), dis.get("sides", [])
    if dis["kind"] == "number" and len(sides) >= 2:
        return "figures differ: " + " or ".join(short(s["label"], 40) for s in sides[:2])
    if topic.startswith("whether it is true (") and sides and sides[0]["mentions"]:
        return f"said and denied: “{short(sides[0]['mentions'][0]['text'], 70)}”"
    if topic.startswith("whether it is true ("):
        return "said and denied: " + topic.removeprefix("whether it is true (").rstrip(")")
    return topic


def side_label(label: str) -> str:
    """A side of a disagreement: "says yes: disarm" reads "says so (disarm)"."""
    found = _SIDE.match(str(label))
    if not found:
        return str(label)
    said = "says so" if found.group(1) == "yes" else "says not"
    return f"{said} ({found.group(2)})"


def entity_kind(label: str) -> str:
    """An entity kind in words ("GPE" reads "country, city or state")."""
    return ENTITY_KINDS.get(label, label.replace("_", " ").lower())


def stance(mentions: list[JSON]) -> str:
    """``affirmed``, ``negated`` or ``both``: how the articles report a claim."""
    polarities = {m["polarity"] for m in mentions}
    if "negated" in polarities and polarities - {"negated"}:
        return "both"
    return "negated" if polarities == {"negated"} else "affirmed"


def speaker_name(quote: JSON) -> str:
    """Who said a quote, as printed: the resolved name, else the description, else the text."""
    speaker = quote["speaker"]
    name = speaker["resolved"] or speaker["descriptor"] or speaker["text"] or "unknown speaker"
    return " ".join(str(name).split())
