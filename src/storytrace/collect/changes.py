"""What changed between two analyses of a situation: pure functions of two snapshots.

A **snapshot** is the part of a dossier's JSON a watch compares, keyed by what
stays stable between runs. Claim, story and quote numbers are reassigned by
each analysis, and an edited article is a new document whose offsets moved, so
identities are words, not numbers:

* an article is its URL (its document id when it has none), so a story is
  **new** when it shares no article with any earlier story, and has **grown**
  when it gained articles (an edited article's new version is not a new one);
* a mention is its normalised text. A claim **gained an independent origin**
  when it names an origin that no earlier claim sharing a mention with it
  named, and **lost** one when an earlier claim's origin is named by none of
  the claims now sharing its mentions (so a claim merely split or merged by the
  new analysis raises nothing). An article's own reporting is keyed by URL;
* a **denial** (a negated mention with a speaker) is new when that speaker
  had not denied that text before; a **quote drift** when its two wordings
  were not a drift before; a **disagreement** when no earlier one of its kind
  shares a mention with it.

Alerts keep the character spans they rest on, in the new analysis's documents.
Edited articles (two versions of one URL) come from the fetch log, not the
dossier: ``edit_alert`` turns two texts into a sentence diff.

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


def text_key(text: str) -> str:
    """A mention's identity: its words, lower-cased, whitespace collapsed."""
    return " ".join(str(text).lower().split())


def snapshot(data: dict[str, Any]) -> Snapshot:
    """The comparable part of a dossier's JSON (``api.to_json_data``)."""
    docs = {
        d["doc_id"]: {
            "title": _value(d.get("title")),
            "url": _value(d.get("url")),
            "outlet": _value(d.get("outlet")),
        }
        for d in data.get("documents", [])
    }
    article = {doc_id: doc["url"] or doc_id for doc_id, doc in docs.items()}
    return {
        "documents": docs,
        "stories": [
            {
                "doc_ids": s["doc_ids"],
                "articles": sorted({article.get(d, d) for d in s["doc_ids"]}),
                "headline": s.get("headline"),
                "outlets": s.get("outlets", []),
            }
            for s in data.get("stories", [])
        ],
        "claims": [_claim(c, article) for c in data.get("claims", [])],
        "denials": [d for c in data.get("claims", []) for d in _denials(c)],
        "disagreements": [_disagreement(d) for d in data.get("disagreements", [])],
        "drift": [_drift(d) for d in data.get("drift", [])],
    }


def _value(field: Any) -> Any:
    """A document field's value (fields are ``{value, confidence, evidence}``)."""
    return field.get("value") if isinstance(field, dict) else field


def _origin_key(key: str, article: dict[str, str]) -> str:
    """An origin's key, an article's own reporting keyed by its URL (stable across versions)."""
    kind, _, rest = key.partition(":")
    return f"article:{article.get(rest, rest)}" if kind == "article" else key


def _claim(claim: dict[str, Any], article: dict[str, str]) -> dict[str, Any]:
    return {
        "text": claim["text"],
        "verdict": claim.get("verdict", ""),
        "mentions": sorted({text_key(m["span"]["text"]) for m in claim.get("mentions", [])}),
        "span": claim["mentions"][0]["span"] if claim.get("mentions") else None,
        "origins": {_origin_key(o["key"], article): o["label"] for o in claim.get("origins", [])},
    }


def _denials(claim: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": f"{text_key(m['speaker'])}|{text_key(m['span']['text'])}",
            "span": m["span"],
            "speaker": m["speaker"],
            "claim": claim["text"],
        }
        for m in claim.get("mentions", [])
        if m.get("polarity") == "negated" and m.get("speaker")
    ]


def _disagreement(item: dict[str, Any]) -> dict[str, Any]:
    spans = [m for side in item.get("sides", []) for m in side.get("mentions", [])]
    return {
        "kind": item.get("kind"),
        "topic": item.get("topic"),
        "reason": item.get("reason", ""),
        "mentions": sorted({text_key(s["text"]) for s in spans}),
        "spans": spans[:4],
    }


def _drift(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": "|".join(sorted((text_key(item["a"]["text"]), text_key(item["b"]["text"])))),
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
    known = {a for s in old["stories"] for a in s["articles"]}
    fresh, grew = [], []
    for story in new["stories"]:
        added = [d for d in story["doc_ids"] if (_doc_url(new, d) or d) not in known]
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


def _sharing(claim: dict[str, Any], others: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The claims among ``others`` sharing a mention with ``claim``."""
    mine = set(claim["mentions"])
    return [o for o in others if mine & set(o["mentions"])]


def _origin_alerts(old: Snapshot, new: Snapshot) -> list[Alert]:
    gained, lost = [], []
    for claim in new["claims"]:
        before = _sharing(claim, old["claims"])
        if not before:
            continue  # a new claim, not a change of one
        known = {k for o in before for k in o["origins"]}
        spans = (claim["span"],) if claim.get("span") else ()
        plus = sorted(set(claim["origins"]) - known)
        if plus:
            names = ", ".join(claim["origins"][k] for k in plus)
            title = f"{_short(claim['text'])} — now {_n_origins(claim)} (+{names})"
            gained.append(Alert("origin_gained", title, claim["verdict"], spans=spans))
    for earlier in old["claims"]:
        after = _sharing(earlier, new["claims"])
        if not after:
            continue  # the claim's articles left the analysis: their removal says it
        now = {k for c in after for k in c["origins"]}
        minus = sorted(set(earlier["origins"]) - now)
        if minus:
            claim = max(after, key=lambda c: len(set(c["mentions"]) & set(earlier["mentions"])))
            names = ", ".join(earlier["origins"][k] for k in minus)
            spans = (claim["span"],) if claim.get("span") else ()
            title = f"{_short(claim['text'])} — now {_n_origins(claim)} (−{names})"
            lost.append(Alert("origin_lost", title, claim["verdict"], spans=spans))
    return gained + lost


def _n_origins(claim: dict[str, Any]) -> str:
    n = len(claim["origins"])
    return f"{n} independent origin{'s' if n != 1 else ''}"


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
    body = [line for line in diff if line[:3] not in ("+++", "---")]
    plus = sum(1 for line in body if line.startswith("+"))
    minus = sum(1 for line in body if line.startswith("-"))
    title_line = f"{title or url} (sentences: +{plus} −{minus})"
    return Alert("article_edited", title_line, "\n".join(diff), url)


def removed_alert(url: str, title: str | None, status: int) -> Alert:
    """The alert for an article that now answers 404 or 410 (its versions stay archived)."""
    return Alert("article_removed", f"{title or url} (HTTP {status})", "", url)


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
