"""What changed between two analyses of a situation: pure functions of two snapshots.

A **snapshot** is the part of a dossier's JSON a watch compares, keyed by what
stays stable between runs: documents by content id, and every extracted thing
by its character span (``doc_id:start:end``) — claim and story numbers are
reassigned by each analysis, spans in a stored document never move. So:

* a story is **new** when it shares no article with any earlier story, and has
  **grown** when it gained articles;
* a claim is the earlier claim sharing most mention spans with it; it
  **gained** or **lost an independent origin** when their origin keys differ;
* a **denial** (a negated mention) or a **quote drift** is new when its spans
  were not one before; a **disagreement** is new when no earlier one of its
  kind shares a mention span with it.

Edited articles (two versions of one URL) come from the fetch log, not the
dossier: ``edit_alert`` turns two texts into a line diff.

DOCS: docs/collect.md
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

#: Alert kinds, in the order a report shows them.
KINDS: tuple[str, ...] = (
    "new_story",
    "story_grew",
    "origin_gained",
    "origin_lost",
    "new_denial",
    "new_disagreement",
    "quote_drift",
    "article_edited",
    "article_removed",
)

KIND_TITLES = {
    "new_story": "New stories",
    "story_grew": "Stories with new articles",
    "origin_gained": "Claims that gained an independent origin",
    "origin_lost": "Claims that lost an independent origin",
    "new_denial": "New denials",
    "new_disagreement": "New disagreements",
    "quote_drift": "Quotes that drifted",
    "article_edited": "Articles edited after publication",
    "article_removed": "Articles removed",
}

#: Lines of an edit's diff kept in an alert.
MAX_DIFF_LINES = 80

Snapshot = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Alert:
    """One change worth telling a reader about.

    Attributes:
        kind (str): one of ``KINDS``.
        title (str): one line.
        detail (str): the evidence in words (a verdict, a reason, a diff).
        url (str | None): the article it concerns, when there is one.
        spans (tuple[dict[str, Any], ...]): the character spans it rests on
            (``doc_id``, ``start``, ``end``, ``text``).
    """

    kind: str
    title: str
    detail: str = ""
    url: str | None = None
    spans: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "detail": self.detail,
            "url": self.url,
            "spans": list(self.spans),
        }


def span_key(span: dict[str, Any]) -> str:
    """A span's stable identity: ``doc_id:start:end``."""
    return f"{span['doc_id']}:{span['start']}:{span['end']}"


def empty_snapshot() -> Snapshot:
    """The snapshot before any analysis: nothing known."""
    return {
        "documents": {},
        "stories": [],
        "claims": [],
        "denials": [],
        "disagreements": [],
        "drift": [],
    }


def snapshot(data: dict[str, Any]) -> Snapshot:
    """The comparable part of a dossier's JSON (``api.to_json_data``)."""
    docs = {
        d["doc_id"]: {
            "title": d["title"]["value"],
            "url": d.get("url"),
            "outlet": d["outlet"]["value"],
        }
        for d in data.get("documents", [])
    }
    return {
        "documents": docs,
        "stories": [
            {
                "doc_ids": s["doc_ids"],
                "headline": s.get("headline"),
                "outlets": s.get("outlets", []),
            }
            for s in data.get("stories", [])
        ],
        "claims": [_claim(c) for c in data.get("claims", [])],
        "denials": [d for c in data.get("claims", []) for d in _denials(c)],
        "disagreements": [_disagreement(d) for d in data.get("disagreements", [])],
        "drift": [_drift(d) for d in data.get("drift", [])],
    }


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    return {
        "text": claim["text"],
        "verdict": claim.get("verdict", ""),
        "mentions": sorted({span_key(m["span"]) for m in claim.get("mentions", [])}),
        "span": claim["mentions"][0]["span"] if claim.get("mentions") else None,
        "origins": {o["key"]: o["label"] for o in claim.get("origins", [])},
    }


def _denials(claim: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": span_key(m["span"]),
            "span": m["span"],
            "speaker": m.get("speaker"),
            "claim": claim["text"],
        }
        for m in claim.get("mentions", [])
        if m.get("polarity") == "negated"
    ]


def _disagreement(item: dict[str, Any]) -> dict[str, Any]:
    spans = [m for side in item.get("sides", []) for m in side.get("mentions", [])]
    return {
        "kind": item.get("kind"),
        "topic": item.get("topic"),
        "reason": item.get("reason", ""),
        "mentions": sorted({span_key(s) for s in spans}),
        "spans": spans[:4],
    }


def _drift(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": f"{span_key(item['a'])}|{span_key(item['b'])}",
        "a": item["a"],
        "b": item["b"],
        "speaker": item.get("speaker"),
        "kind": item.get("kind"),
        "reason": item.get("reason", ""),
    }


def compare(old: Snapshot, new: Snapshot) -> list[Alert]:
    """Every change from ``old`` to ``new``, in ``KINDS`` order."""
    return [
        *_story_alerts(old, new),
        *_origin_alerts(old, new),
        *_denial_alerts(old, new),
        *_disagreement_alerts(old, new),
        *_drift_alerts(old, new),
    ]


def _doc_url(snap: Snapshot, doc_id: str) -> str | None:
    doc = snap["documents"].get(doc_id) or {}
    url = doc.get("url")
    return str(url) if url else None


def _story_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    known = {d for s in old["stories"] for d in s["doc_ids"]}
    fresh, grew = [], []
    for story in new["stories"]:
        added = [d for d in story["doc_ids"] if d not in known]
        headline = story.get("headline") or "(no headline printed)"
        outlets = ", ".join(story.get("outlets") or []) or "outlets not printed"
        if len(added) == len(story["doc_ids"]):
            title = f"{headline} ({len(added)} articles: {outlets})"
            fresh.append(Alert("new_story", title, _titles(new, added), _doc_url(new, added[0])))
        elif added:
            title = f"{headline}: {len(added)} new of {len(story['doc_ids'])} articles"
            grew.append(Alert("story_grew", title, _titles(new, added), _doc_url(new, added[0])))
    return fresh + grew


def _titles(snap: Snapshot, doc_ids: list[str]) -> str:
    lines = []
    for doc_id in doc_ids:
        doc = snap["documents"].get(doc_id) or {}
        lines.append(
            f"{doc.get('title') or '(untitled)'} — {doc.get('outlet') or 'outlet not printed'}"
        )
    return "\n".join(lines)


def _match(claim: dict[str, Any], earlier: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The earlier claim sharing most mention spans with ``claim`` (else the same text)."""
    mine = set(claim["mentions"])
    best, shared = None, 0
    for other in earlier:
        n = len(mine & set(other["mentions"]))
        if n > shared:
            best, shared = other, n
    if best is None:
        best = next((o for o in earlier if o["text"] == claim["text"]), None)
    return best


def _origin_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    gained, lost = [], []
    for claim in new["claims"]:
        before = _match(claim, old["claims"])
        if before is None:
            continue
        spans = (claim["span"],) if claim.get("span") else ()
        plus = sorted(set(claim["origins"]) - set(before["origins"]))
        minus = sorted(set(before["origins"]) - set(claim["origins"]))
        if plus:
            names = ", ".join(claim["origins"][k] for k in plus)
            title = f"{_short(claim['text'])} — now {len(claim['origins'])} independent origins (+{names})"
            gained.append(Alert("origin_gained", title, claim["verdict"], spans=spans))
        if minus:
            names = ", ".join(before["origins"][k] for k in minus)
            title = f"{_short(claim['text'])} — now {len(claim['origins'])} independent origins (−{names})"
            lost.append(Alert("origin_lost", title, claim["verdict"], spans=spans))
    return gained + lost


def _denial_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    known = {d["key"] for d in old["denials"]}
    alerts, seen = [], set()
    for denial in new["denials"]:
        if denial["key"] in known or denial["key"] in seen:
            continue
        seen.add(denial["key"])
        who = denial.get("speaker") or "the article"
        title = f"{who} denies: {_short(denial['claim'])}"
        url = _doc_url(new, denial["span"]["doc_id"])
        alerts.append(Alert("new_denial", title, denial["span"]["text"], url, (denial["span"],)))
    return alerts


def _disagreement_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    alerts = []
    for item in new["disagreements"]:
        mine = set(item["mentions"])
        if any(
            o["kind"] == item["kind"] and mine & set(o["mentions"]) for o in old["disagreements"]
        ):
            continue
        title = f"{item.get('topic') or item['kind']} ({item['kind']})"
        alerts.append(Alert("new_disagreement", title, item["reason"], spans=tuple(item["spans"])))
    return alerts


def _drift_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    known = {d["key"] for d in old["drift"]}
    alerts = []
    for item in new["drift"]:
        if item["key"] in known:
            continue
        who = item.get("speaker") or "an unnamed speaker"
        title = f"{who}: {_short(item['a']['text'])}"
        detail = f"{item['reason']}\nwas: {item['a']['text']}\nnow: {item['b']['text']}"
        url = _doc_url(new, item["b"]["doc_id"])
        alerts.append(Alert("quote_drift", title, detail, url, (item["a"], item["b"])))
    return alerts


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def text_diff(old: str, new: str) -> list[str]:
    """A unified diff of two versions of an article, sentence by sentence (capped)."""

    def units(text: str) -> list[str]:
        return [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]

    lines = list(difflib.unified_diff(units(old), units(new), "before", "after", lineterm="", n=1))
    if len(lines) > MAX_DIFF_LINES:
        lines = [*lines[:MAX_DIFF_LINES], f"… {len(lines) - MAX_DIFF_LINES} more diff lines"]
    return lines


def edit_alert(url: str, title: str | None, old: str, new: str) -> Alert:
    """The alert for an article whose text changed between two fetches."""
    diff = text_diff(old, new)
    changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    name = title or url
    return Alert("article_edited", f"{name} ({changed} sentences changed)", "\n".join(diff), url)


def removed_alert(url: str, title: str | None, status: int) -> Alert:
    """The alert for an article that now answers 404 or 410 (its versions stay archived)."""
    return Alert("article_removed", f"{title or url} (HTTP {status})", "", url)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
