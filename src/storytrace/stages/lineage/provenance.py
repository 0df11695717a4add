"""Provenance: who cites whom, who copies whom, and where each attributed statement comes from.

Three kinds of edge, each with the span that shows it:

* ``cites`` -- an article names an outlet as its source ("the Times reported",
  "told Reuters");
* ``copies`` / ``shares_text`` -- an article reuses another's text (the dedup
  stage's pairs); the later article copies the earlier when both are dated and the
  dates differ, otherwise the direction is left unknown (``shares_text``);
* ``via`` -- a speaker reaches the article through an intermediary
  ("a regional intelligence source" -> The Times).

The *origin* of a quote is the outlet closest to its speaker in the attribution
chain (the speaker itself when it is an outlet); a quote with no outlet in its
chain is the publishing article's own reporting. Articles that copy each other
share one origin (see :mod:`storytrace.stages.lineage.claims`).

DOCS: docs/stages/provenance.md
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime

from storytrace.records import DocPair, DocSpan, Document, ProvenanceEdge, Quote, QuoteOrigin
from storytrace.stages.entities.extract import outlet_name

METHOD = "provenance.chains.v1"

__all__ = [
    "chain_text",
    "copy_edges",
    "outlet_of",
    "provenance_edges",
    "published_day",
    "quote_origin",
    "via_outlet",
]


def outlet_of(doc: Document | None) -> str | None:
    """The article's printed outlet, if known."""
    return None if doc is None else doc.metadata.outlet.value


def published_day(doc: Document | None) -> date | None:
    """The printed publication day, or ``None`` when not printed (inferred dates excluded)."""
    if doc is None or doc.metadata.published.inferred:
        return None
    value = doc.metadata.published.earliest
    return value.date() if isinstance(value, datetime) else value


def chain_text(quote: Quote, doc: Document | None) -> str:
    """The attribution chain as a reader says it: "a regional intelligence source → The Times → Worthy News"."""
    speaker = quote.speaker_resolved or quote.speaker_text or "unknown speaker"
    outlet = outlet_of(doc) or "article (outlet not printed)"
    return " → ".join([speaker, *(link.name for link in quote.via), outlet])


def _speaker_outlet(quote: Quote) -> str | None:
    for text in (quote.speaker_resolved, quote.speaker_text):
        if text:
            name = outlet_name(text)
            if name is not None:
                return name
    return None


def via_outlet(quote: Quote) -> str | None:
    """The outlet a quote came through (``told Reuters``), canonically named."""
    for link in quote.via:
        if link.kind == "outlet":
            name = outlet_name(link.name)
            if name is not None:
                return name
    return None


def quote_origin(quote: Quote, doc: Document | None) -> QuoteOrigin:
    """The origin of one quote: the outlet nearest its speaker, else the article itself.

    Args:
        quote (Quote): an attributed statement.
        doc (Document | None): its article (for the outlet's name).

    Returns:
        QuoteOrigin: the origin, with the speaker behind it.
    """
    speaker = quote.speaker_resolved or quote.speaker_text or None
    own = _speaker_outlet(quote)
    if own is not None:
        return QuoteOrigin(f"outlet:{own}", own, "outlet", None, None)
    via = via_outlet(quote)
    if via is not None:
        return QuoteOrigin(f"outlet:{via}", via, "outlet", speaker, quote.anonymous)
    label = f"{outlet_of(doc) or _unnamed(doc, quote.doc_id)} (own reporting)"
    anonymous = quote.anonymous if speaker else None
    return QuoteOrigin(f"article:{quote.doc_id}", label, "article", speaker, anonymous)


def _unnamed(doc: Document | None, doc_id: str) -> str:
    """An article without a printed outlet, named by its headline, else its input's name."""
    name = doc.name if doc is not None else f"article {doc_id}"
    return f"{name} (outlet not printed)"


def _span(doc: Document | None, doc_id: str, start: int | None, end: int | None) -> DocSpan:
    if doc is None or start is None or end is None:
        return DocSpan(doc_id, 0, 0, "")
    return DocSpan(doc_id, start, end, doc.text[start:end])


def _cite_edges(quote: Quote, doc: Document | None) -> Iterable[ProvenanceEdge]:
    article = f"article:{quote.doc_id}"
    own = _speaker_outlet(quote)
    if own is not None and quote.speaker_span is not None:
        ev = _span(doc, quote.doc_id, quote.speaker_span.start, quote.speaker_span.end)
        yield ProvenanceEdge(article, f"outlet:{own}", "cites", (ev,), f"{METHOD}.speaker")
    for link in quote.via:
        name = outlet_name(link.name) if link.kind == "outlet" else None
        if name is not None:
            ev = _span(doc, quote.doc_id, link.start, link.end)
            yield ProvenanceEdge(article, f"outlet:{name}", "cites", (ev,), f"{METHOD}.via")


def _via_edges(quote: Quote, doc: Document | None) -> Iterable[ProvenanceEdge]:
    speaker = quote.speaker_resolved or quote.speaker_text
    if not speaker or _speaker_outlet(quote) is not None or not quote.via:
        return
    node = f"speaker:{speaker.lower()}"
    for link in quote.via:
        name = outlet_name(link.name) if link.kind == "outlet" else None
        if link.kind == "outlet" and name is None:
            continue  # "the report": an unnamed document, not a node
        target = f"outlet:{name}" if name else f"speaker:{link.name.lower()}"
        span = quote.speaker_span
        ev = _span(doc, quote.doc_id, span.start if span else None, span.end if span else None)
        yield ProvenanceEdge(node, target, "via", (ev,), f"{METHOD}.via")
        node = target


def copy_edges(pairs: Sequence[DocPair], docs: Mapping[str, Document]) -> list[ProvenanceEdge]:
    """``copies`` edges (later -> earlier) for reuse pairs with two different printed days,
    ``shares_text`` otherwise.

    Args:
        pairs (Sequence[DocPair]): the dedup stage's pairs.
        docs (Mapping[str, Document]): documents by id.

    Returns:
        list[ProvenanceEdge]: one edge a pair, evidence the first reused passage on each side.
    """
    out: list[ProvenanceEdge] = []
    for pair in pairs:
        day_a, day_b = published_day(docs.get(pair.a)), published_day(docs.get(pair.b))
        evidence = tuple(
            _span(docs.get(doc_id), doc_id, start, end)
            for p in pair.passages[:1]
            for doc_id, start, end in ((pair.a, p.a_start, p.a_end), (pair.b, p.b_start, p.b_end))
        )
        method = f"{METHOD}.{pair.relation}"
        if day_a is not None and day_b is not None and day_a != day_b:
            later, earlier = (pair.a, pair.b) if day_a > day_b else (pair.b, pair.a)
            out.append(
                ProvenanceEdge(f"article:{later}", f"article:{earlier}", "copies", evidence, method)
            )
        else:
            out.append(
                ProvenanceEdge(
                    f"article:{pair.a}", f"article:{pair.b}", "shares_text", evidence, method
                )
            )
    return out


def provenance_edges(
    docs: Sequence[Document], quotes: Sequence[Quote], pairs: Sequence[DocPair]
) -> tuple[ProvenanceEdge, ...]:
    """The provenance graph of a corpus: citations, copies and intermediaries.

    Args:
        docs (Sequence[Document]): the documents.
        quotes (Sequence[Quote]): their attributed statements.
        pairs (Sequence[DocPair]): reuse pairs from the dedup stage.

    Returns:
        tuple[ProvenanceEdge, ...]: distinct edges (first evidence kept), sorted.
    """
    by_id = {d.doc_id: d for d in docs}
    found: dict[tuple[str, str, str], ProvenanceEdge] = {}
    for quote in quotes:
        doc = by_id.get(quote.doc_id)
        for edge in (*_cite_edges(quote, doc), *_via_edges(quote, doc)):
            found.setdefault((edge.source, edge.target, edge.kind), edge)
    for edge in copy_edges(pairs, by_id):
        found.setdefault((edge.source, edge.target, edge.kind), edge)
    return tuple(found[k] for k in sorted(found))
