"""JSON shapes of the corpus-level sections: stories, document pairs, entities, quotes.

Each function turns one record into the documented JSON (see
``schema/dossier.schema.json``); spans are ``{"doc_id", "start", "end", "text"}``
with offsets into that document's ``text``, so every statement links to its
place in an article.

DOCS: docs/schema.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from storytrace.records import Document
from storytrace.stages.lineage.provenance import chain_text

if TYPE_CHECKING:
    from storytrace.records import DocPair, Entity, Quote, Story


def span_json(
    doc: Document | None, doc_id: str, start: int | None, end: int | None
) -> dict[str, Any] | None:
    """A span with the text it covers (``None`` when there is no span)."""
    if start is None or end is None:
        return None
    text = doc.text[start:end] if doc is not None else ""
    return {"doc_id": doc_id, "start": start, "end": end, "text": text}


def story_json(story: Story, docs: dict[str, Document], pairs: list[DocPair]) -> dict[str, Any]:
    """A story with its members' outlets and dates, and the copy / rewrite pairs among them."""
    members = [docs[d] for d in story.doc_ids if d in docs]
    outlets = sorted({d.metadata.outlet.value for d in members if d.metadata.outlet.value})
    titled = [d for d in members if d.metadata.title.value]
    return {
        "story_id": story.story_id,
        "doc_ids": list(story.doc_ids),
        "size": len(story.doc_ids),
        "headline": titled[0].metadata.title.value if titled else None,
        "outlets": outlets,
        "earliest": None if story.earliest is None else story.earliest.isoformat(),
        "latest": None if story.latest is None else story.latest.isoformat(),
        "top_terms": list(story.top_terms),
        "top_names": list(story.top_names),
        "cohesion": round(story.cohesion, 4),
        "method": story.method,
        "pairs": [pair_json(p, docs) for p in pairs],
    }


def pair_json(pair: DocPair, docs: dict[str, Document]) -> dict[str, Any]:
    a, b = docs.get(pair.a), docs.get(pair.b)
    return {
        "a": pair.a,
        "b": pair.b,
        "relation": pair.relation,
        "similarity": round(pair.similarity, 4),
        "method": pair.method,
        "passages": [
            {
                "a": span_json(a, pair.a, p.a_start, p.a_end),
                "b": span_json(b, pair.b, p.b_start, p.b_end),
                "words": p.words,
            }
            for p in pair.passages
        ],
    }


def entity_json(entity: Entity) -> dict[str, Any]:
    return {
        "entity_id": entity.entity_id,
        "canonical": entity.canonical,
        "label": entity.label,
        "surface_forms": list(entity.surface_forms),
        "mention_count": len(entity.mentions),
        "documents": sorted({m.doc_id for m in entity.mentions}),
        "mentions": [
            {"doc_id": m.doc_id, "start": m.start, "end": m.end, "text": m.text, "method": m.method}
            for m in entity.mentions
        ],
    }


def quote_json(quote: Quote, docs: dict[str, Document]) -> dict[str, Any]:
    doc = docs.get(quote.doc_id)
    spans = [span_json(doc, quote.doc_id, s.start, s.end) for s in quote.content_spans]
    cue = quote.cue_span
    speaker = quote.speaker_span
    addressee = quote.addressee_span
    return {
        "quote_id": quote.quote_id,
        "doc_id": quote.doc_id,
        "kind": quote.kind,
        "content": [s for s in spans if s is not None],
        "cue": span_json(doc, quote.doc_id, cue.start, cue.end) if cue else None,
        "speaker": {
            "text": quote.speaker_text or None,
            "resolved": quote.speaker_resolved,
            "anonymous": quote.anonymous,
            "descriptor": quote.descriptor,
            "span": span_json(doc, quote.doc_id, speaker.start, speaker.end) if speaker else None,
        },
        "addressee": span_json(doc, quote.doc_id, addressee.start, addressee.end)
        if addressee
        else None,
        "via": [
            {
                "name": link.name,
                "kind": link.kind,
                "span": span_json(doc, quote.doc_id, link.start, link.end),
            }
            for link in quote.via
        ],
        "chain": chain_text(quote, doc),
        "method": quote.method,
    }
