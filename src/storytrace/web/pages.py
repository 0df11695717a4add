"""The claim, source and corrections pages: what they show, gathered from a dossier.

Each ``*_view`` function turns a dossier into plain data for one page (and for
its JSON twin under ``/api``); ``render`` fills a template (autoescaped: article
text is hostile input). No page runs a script.

DOCS: docs/web.md
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

import jinja2

from storytrace.records import Dossier
from storytrace.records.corrections import Correction, mention_key
from storytrace.records.lineage import Claim, DocSpan
from storytrace.web.browse_db import source_id, speaker_of

_SENTENCE_REACH = 300
_WHY = {
    "outlet": "an outlet the articles cite as where they got it",
    "source": "a source speaking for itself (person, organisation or unnamed source)",
    "article": "an article reporting it itself, no source given",
}


@cache
def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("storytrace.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """A page from ``web/templates`` (autoescaped)."""
    return _env().get_template(template).render(**context)


def _doc_info(dossier: Dossier) -> dict[str, dict[str, Any]]:
    info = {}
    for d in dossier.documents:
        m = d.metadata
        day = m.published.earliest.isoformat()[:10] if m.published.earliest else None
        info[d.doc_id] = {"doc_id": d.doc_id, "title": m.title.value, "outlet": m.outlet.value,
                          "published": day, "text": d.text}  # fmt: skip
    return info


def in_sentence(text: str, start: int, end: int) -> dict[str, str]:
    """The sentence around ``text[start:end]``, split so the span can be highlighted."""
    lo = max(0, start - _SENTENCE_REACH)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    first = cut + 1 if cut >= 0 else lo
    hi = min(len(text), end + _SENTENCE_REACH)
    stops = [i for i in (text.find(". ", end, hi), text.find("\n", end, hi)) if i >= 0]
    last = min(stops) + 1 if stops else hi
    return {
        "before": text[first:start].lstrip(),
        "span": text[start:end],
        "after": text[end:last].rstrip(),
    }


def _overlaps(a: DocSpan, b: DocSpan) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


def claim_view(dossier: Dossier, claim_id: str) -> dict[str, Any] | None:
    """Everything the claim page shows, or ``None`` when there is no such claim."""
    claim = next((c for c in dossier.claims if c.claim_id == claim_id), None)
    if claim is None:
        return None
    docs = _doc_info(dossier)
    mentions = []
    for m in claim.mentions:
        doc = docs.get(m.span.doc_id, {})
        text = doc.get("text", "")
        mentions.append({
            "key": mention_key(claim.claim_id, m), "doc_id": m.span.doc_id, "title": doc.get("title"),
            "outlet": doc.get("outlet"), "published": doc.get("published"), "chain": m.chain,
            "speaker": m.speaker, "source_id": source_id(m.speaker) if m.speaker else None,
            "anonymous": m.anonymous, "stance": m.polarity, "origin_key": m.origin_key,
            "sentence": in_sentence(text, m.span.start, m.span.end) if text else
                        {"before": "", "span": m.span.text, "after": ""},
        })  # fmt: skip
    origins = [
        {"key": o.key, "label": o.label, "kind": o.kind, "why": _WHY.get(o.kind, o.kind),
         "anonymous": o.anonymous, "sources": list(o.sources), "articles": len(o.doc_ids),
         "mentions": sum(1 for m in claim.mentions if m.origin_key == o.key)}
        for o in claim.origins
    ]  # fmt: skip
    return {
        "claim_id": claim.claim_id, "story_id": claim.story_id, "text": claim.text,
        "verdict": claim.verdict, "method": claim.method, "articles": len(claim.doc_ids),
        "mentions": mentions, "origins": origins, "contested_by": _contests(dossier, claim),
    }  # fmt: skip


def _contests(dossier: Dossier, claim: Claim) -> list[dict[str, Any]]:
    """The disagreements of the claim's story with a side among the claim's mentions."""
    spans = [m.span for m in claim.mentions]
    out = []
    for d in dossier.disagreements:
        if d.story_id != claim.story_id:
            continue
        touching = any(_overlaps(s, m) for side in d.sides for s in side.mentions for m in spans)
        if touching:
            out.append({"kind": d.kind, "topic": d.topic, "reason": d.reason,
                        "sides": [{"label": s.label, "sources": list(s.sources),
                                   "mentions": [x.text for x in s.mentions]} for s in d.sides]})  # fmt: skip
    return out


def source_view(dossier: Dossier, key: str) -> dict[str, Any] | None:
    """Everything a source said, through whom, where; ``None`` when no speaker has ``key``."""
    docs = _doc_info(dossier)
    name = None
    quotes = []
    for q in dossier.quotes:
        speaker = speaker_of(q.speaker_resolved, q.speaker_text)
        if speaker is None or source_id(speaker) != key:
            continue
        name = name or speaker
        doc = docs.get(q.doc_id, {})
        text = doc.get("text", "")
        spans = q.content_spans
        quotes.append({
            "quote_id": q.quote_id, "doc_id": q.doc_id, "title": doc.get("title"),
            "outlet": doc.get("outlet"), "published": doc.get("published"), "kind": q.kind,
            "speaker_text": q.speaker_text, "speaker": speaker, "anonymous": q.anonymous,
            "chain": " → ".join(link.name for link in q.via),
            "text": " … ".join(text[s.start : s.end] for s in spans) if text else "",
            "stance": q.statement.polarity if q.statement else None,
        })  # fmt: skip
    mentions = []
    for c in dossier.claims:
        for m in c.mentions:
            if not m.speaker or source_id(m.speaker) != key:
                continue
            name = name or m.speaker
            doc = docs.get(m.span.doc_id, {})
            mentions.append({"claim_id": c.claim_id, "claim": c.text, "doc_id": m.span.doc_id,
                             "title": doc.get("title"), "outlet": doc.get("outlet"),
                             "chain": m.chain, "stance": m.polarity, "text": m.span.text})  # fmt: skip
    if name is None:
        return None
    articles = {x["doc_id"]: x for x in (*quotes, *mentions)}
    return {
        "source_id": key, "name": name, "quotes": quotes, "mentions": mentions,
        "chains": sorted({x["chain"] for x in (*quotes, *mentions) if x["chain"]}),
        "articles": [{"doc_id": d, "title": x["title"], "outlet": x["outlet"]} for d, x in articles.items()],
    }  # fmt: skip


def corrections_view(corrections: tuple[Correction, ...]) -> list[dict[str, Any]]:
    """The corrections, newest first, as the corrections page and ``/api/corrections`` list them."""
    return [
        {"id": c.id, "who": c.who, "when": c.when, "why": c.why, "kind": c.kind,
         "target": c.target, "before": c.before, "after": c.after, "undone": c.undone}
        for c in sorted(corrections, key=lambda c: -c.id)
    ]  # fmt: skip


def story_of_document(dossier: Dossier, doc_id: str) -> Dossier:
    """The part of the store's dossier an article page shows: the article's story (its
    articles, claims, quotes, disagreements, drift, timeline), so the page says which
    other stored articles carry its claims -- not the article analysed alone.

    An article in no story (none computed) is shown alone.
    """
    story = next((s for s in dossier.stories if doc_id in s.doc_ids), None)
    members = set(story.doc_ids) if story else {doc_id}
    sid = story.story_id if story else None

    def spans_in(spans: Iterable[DocSpan]) -> bool:
        return any(s.doc_id in members for s in spans)

    return replace(
        dossier,
        documents=tuple(d for d in dossier.documents if d.doc_id in members),
        diagnostics=tuple(d for d in dossier.diagnostics if d.doc_id in members),
        stories=(story,) if story else (),
        pairs=tuple(p for p in dossier.pairs if p.a in members and p.b in members),
        entities=tuple(
            replace(e, mentions=tuple(m for m in e.mentions if m.doc_id in members))
            for e in dossier.entities
            if any(m.doc_id in members for m in e.mentions)
        ),
        quotes=tuple(q for q in dossier.quotes if q.doc_id in members),
        claims=tuple(c for c in dossier.claims if c.story_id == sid),
        provenance=tuple(p for p in dossier.provenance if spans_in(p.evidence)),
        verdicts=tuple(v for v in dossier.verdicts if v.story_id == sid),
        drift=tuple(d for d in dossier.drift if d.story_id == sid),
        disagreements=tuple(d for d in dossier.disagreements if d.story_id == sid),
        timeline=tuple(t for t in dossier.timeline if t.story_id == sid),
        date_inferences=tuple(i for i in dossier.date_inferences if i.doc_id in members),
    )
