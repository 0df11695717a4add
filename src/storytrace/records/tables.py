"""A dossier as flat tables: what the store keeps, what browsing and exports show.

Every analysis section becomes one table of queryable columns (ids, spans,
speakers, stance, counts) plus, for the sections a report is rebuilt from, the
whole record as JSON (``record``, written by ``records.rows``) and its position
in the dossier (``ord``), so reading the tables back gives a dossier equal to the
one written -- the same report, byte for byte, without re-running anything.

Child tables (``story_documents``, ``claim_mentions``, ``claim_origins``,
``entity_mentions``) carry no record of their own; they exist to be filtered,
faceted and joined. Column types are DuckDB/SQL types; every span is
``doc_id, start, end`` into ``documents.text``.

One projection serves the DuckDB store, the browsing database and the Parquet
and CSV exports, so they cannot drift apart.

DOCS: docs/store.md
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from storytrace.records import rows
from storytrace.records.corpus import DocPair, Entity, Quote, Story
from storytrace.records.document import DateValue, Document
from storytrace.records.dossier import Dossier
from storytrace.records.lineage import (
    Claim,
    DateInference,
    Disagreement,
    ProvenanceEdge,
    QuoteDrift,
    StoryVerdict,
    TimelineEntry,
)

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """One table of the projection.

    Attributes:
        name (str): the table name.
        columns (tuple[tuple[str, str], ...]): (name, SQL type) in order.
        key (tuple[str, ...]): the columns that identify a row.
        section (str | None): the ``Dossier`` field whose records the ``record``
            column holds, for tables a dossier is rebuilt from; ``None`` for child tables.
        doc (str): what one row is.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    section: str | None
    doc: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


def _table(name: str, key: str, section: str | None, doc: str, *cols: str) -> Table:
    """``cols`` as "name TYPE"; record tables get ``ord`` first and ``record`` last."""
    pairs = [tuple(c.split(" ", 1)) for c in cols]
    if section is not None:
        pairs = [("ord", "INTEGER"), *pairs, ("record", "JSON")]
    return Table(name, tuple((n, t) for n, t in pairs), tuple(key.split(",")), section, doc)


_SPAN = ("doc_id VARCHAR", "start INTEGER", "end INTEGER", "text VARCHAR")

TABLES: tuple[Table, ...] = (
    _table(
        "stories", "story_id", "stories", "one story: articles about one event",
        "story_id VARCHAR", "headline VARCHAR", "size INTEGER", "outlets VARCHAR",
        "earliest DATE", "latest DATE", "cohesion DOUBLE", "top_terms VARCHAR",
        "top_names VARCHAR", "method VARCHAR",
    ),
    _table(
        "story_documents", "story_id,doc_id", None, "an article's membership of a story",
        "story_id VARCHAR", "doc_id VARCHAR", "outlet VARCHAR", "title VARCHAR",
        "published_earliest VARCHAR",
    ),
    _table(
        "verdicts", "story_id", "verdicts", "a story's one-line answer",
        "story_id VARCHAR", "articles INTEGER", "origins INTEGER", "main_claim_id VARCHAR",
        "disputed INTEGER", "line VARCHAR",
    ),
    _table(
        "pairs", "a,b", "pairs", "two articles that copy or re-use each other",
        "a VARCHAR", "b VARCHAR", "relation VARCHAR", "similarity DOUBLE", "method VARCHAR",
    ),
    _table(
        "claims", "claim_id", "claims", "one proposition carried by one or more articles",
        "claim_id VARCHAR", "story_id VARCHAR", "text VARCHAR", "articles INTEGER",
        "origins INTEGER", "mentions INTEGER", "denied_by INTEGER", "verdict VARCHAR",
        "method VARCHAR",
    ),
    _table(
        "claim_mentions", "claim_id,doc_id,start", None, "one article's wording of a claim",
        "claim_id VARCHAR", "story_id VARCHAR", *_SPAN, "outlet VARCHAR", "quote_id VARCHAR",
        "speaker VARCHAR", "anonymous BOOLEAN", "stance VARCHAR", "chain VARCHAR",
        "origin_key VARCHAR",
    ),
    _table(
        "claim_origins", "claim_id,origin_key", None, "an independent origin of a claim",
        "claim_id VARCHAR", "origin_key VARCHAR", "label VARCHAR", "kind VARCHAR",
        "anonymous BOOLEAN", "sources VARCHAR", "articles INTEGER",
    ),
    _table(
        "quotes", "quote_id", "quotes", "an attributed statement in one article",
        "quote_id VARCHAR", "story_id VARCHAR", *_SPAN, "outlet VARCHAR", "kind VARCHAR",
        "speaker VARCHAR", "speaker_resolved VARCHAR", "anonymous BOOLEAN",
        "descriptor VARCHAR", "cue VARCHAR", "chain VARCHAR", "stance VARCHAR", "method VARCHAR",
    ),
    _table(
        "entities", "entity_id", "entities", "a person, organisation, place or weapon, aliases merged",
        "entity_id VARCHAR", "canonical VARCHAR", "label VARCHAR", "surface_forms VARCHAR",
        "mentions INTEGER", "documents INTEGER",
    ),
    _table(
        "entity_mentions", "entity_id,doc_id,start", None, "one mention of an entity",
        "entity_id VARCHAR", "label VARCHAR", *_SPAN,
    ),
    _table(
        "provenance", "source,target,kind", "provenance", "who took what from whom",
        "source VARCHAR", "target VARCHAR", "kind VARCHAR", "method VARCHAR",
    ),
    _table(
        "drift", "drift_id", "drift", "two wordings of one quote by one speaker",
        "drift_id VARCHAR", "story_id VARCHAR", "speaker VARCHAR", "via VARCHAR", "kind VARCHAR",
        "similarity DOUBLE", "a_doc_id VARCHAR", "a_start INTEGER", "a_end INTEGER",
        "a_text VARCHAR", "b_doc_id VARCHAR", "b_start INTEGER", "b_end INTEGER",
        "b_text VARCHAR", "reason VARCHAR", "method VARCHAR",
    ),
    _table(
        "disagreements", "disagreement_id", "disagreements", "sources of one story that contradict",
        "disagreement_id VARCHAR", "story_id VARCHAR", "kind VARCHAR", "topic VARCHAR",
        "reason VARCHAR", "sides VARCHAR", "method VARCHAR",
    ),
    _table(
        "timeline", "entry_id", "timeline", "a dated event of one story",
        "entry_id VARCHAR", "story_id VARCHAR", "value VARCHAR", "earliest VARCHAR",
        "latest VARCHAR", "text VARCHAR", "sources INTEGER", "method VARCHAR",
    ),
    _table(
        "date_inferences", "doc_id", "date_inferences", "an undated article's inferred date",
        "doc_id VARCHAR", "earliest VARCHAR", "latest VARCHAR", "confidence DOUBLE",
        "method VARCHAR",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}

#: The record class of each dossier section a table holds.
SECTION_TYPES: dict[str, type] = {
    "stories": Story,
    "verdicts": StoryVerdict,
    "pairs": DocPair,
    "claims": Claim,
    "quotes": Quote,
    "entities": Entity,
    "provenance": ProvenanceEdge,
    "drift": QuoteDrift,
    "disagreements": Disagreement,
    "timeline": TimelineEntry,
    "date_inferences": DateInference,
}


def table_rows(dossier: Dossier) -> dict[str, list[Row]]:
    """Every table's rows for one dossier, in the dossier's order.

    Args:
        dossier (Dossier): an analysis result.

    Returns:
        dict[str, list[Row]]: table name to rows, columns as ``Table.columns``.
    """
    ctx = _Context(dossier)
    return {t.name: list(_PROJECT[t.name](ctx)) for t in TABLES}


def sections_from_records(records: dict[str, list[str]]) -> dict[str, tuple[Any, ...]]:
    """Dossier sections from the ``record`` columns of the record tables.

    Args:
        records (dict[str, list[str]]): table name to its ``record`` values ordered by ``ord``.

    Returns:
        dict[str, tuple[Any, ...]]: ``Dossier`` field name to its records, for
        ``dataclasses.replace(dossier, **sections)``.
    """
    out: dict[str, tuple[Any, ...]] = {}
    for table in TABLES:
        if table.section is not None and table.name in records:
            cls = SECTION_TYPES[table.name]
            out[table.section] = tuple(rows.loads(text, cls) for text in records[table.name])
    return out


def row_id(*parts: object) -> str:
    """A short stable id from content (drift pairs, disagreements, timeline entries)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:16]


class _Context:
    """Lookups the projections share: documents by id, story of each document."""

    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.docs: dict[str, Document] = {d.doc_id: d for d in dossier.documents}
        self.story_of: dict[str, str] = {d: s.story_id for s in dossier.stories for d in s.doc_ids}

    def outlet(self, doc_id: str) -> str | None:
        doc = self.docs.get(doc_id)
        return doc.metadata.outlet.value if doc else None

    def title(self, doc_id: str) -> str | None:
        doc = self.docs.get(doc_id)
        return doc.metadata.title.value if doc else None


def _joined(values: tuple[str, ...] | list[str]) -> str:
    return "; ".join(values)


def _iso(value: DateValue) -> tuple[str | None, str | None]:
    return (
        None if value.earliest is None else value.earliest.isoformat(),
        None if value.latest is None else value.latest.isoformat(),
    )


def _stories(ctx: _Context) -> Iterator[Row]:
    for i, s in enumerate(ctx.dossier.stories):
        members = [ctx.docs[d] for d in s.doc_ids if d in ctx.docs]
        titled = [d.metadata.title.value for d in members if d.metadata.title.value]
        outlets = sorted({d.metadata.outlet.value for d in members if d.metadata.outlet.value})
        yield (
            i, s.story_id, titled[0] if titled else None, len(s.doc_ids), _joined(outlets),
            s.earliest, s.latest, s.cohesion, _joined(s.top_terms), _joined(s.top_names),
            s.method, rows.dumps(s),
        )


def _story_documents(ctx: _Context) -> Iterator[Row]:
    for s in ctx.dossier.stories:
        for d in s.doc_ids:
            doc = ctx.docs.get(d)
            earliest = _iso(doc.metadata.published)[0] if doc else None
            yield (s.story_id, d, ctx.outlet(d), ctx.title(d), earliest)


def _verdicts(ctx: _Context) -> Iterator[Row]:
    for i, v in enumerate(ctx.dossier.verdicts):
        yield (
            i, v.story_id, v.articles, len(v.origins), v.main_claim_id, len(v.disputed),
            v.line, rows.dumps(v),
        )


def _pairs(ctx: _Context) -> Iterator[Row]:
    for i, p in enumerate(ctx.dossier.pairs):
        yield (i, p.a, p.b, p.relation, p.similarity, p.method, rows.dumps(p))


def _claims(ctx: _Context) -> Iterator[Row]:
    for i, c in enumerate(ctx.dossier.claims):
        denied = sum(1 for m in c.mentions if m.polarity != "affirmed")
        yield (
            i, c.claim_id, c.story_id, c.text, len(c.doc_ids), len(c.origins), len(c.mentions),
            denied, c.verdict, c.method, rows.dumps(c),
        )


def _claim_mentions(ctx: _Context) -> Iterator[Row]:
    for c in ctx.dossier.claims:
        for m in c.mentions:
            s = m.span
            yield (
                c.claim_id, c.story_id, s.doc_id, s.start, s.end, s.text, ctx.outlet(s.doc_id),
                m.quote_id, m.speaker, m.anonymous, m.polarity, m.chain, m.origin_key,
            )


def _claim_origins(ctx: _Context) -> Iterator[Row]:
    for c in ctx.dossier.claims:
        for o in c.origins:
            yield (
                c.claim_id, o.key, o.label, o.kind, o.anonymous, _joined(o.sources), len(o.doc_ids),
            )


def _quotes(ctx: _Context) -> Iterator[Row]:
    for i, q in enumerate(ctx.dossier.quotes):
        doc = ctx.docs.get(q.doc_id)
        spans = q.content_spans
        start = spans[0].start if spans else None
        end = spans[-1].end if spans else None
        text = " … ".join(doc.text[sp.start : sp.end] for sp in spans) if doc else ""
        chain = " → ".join(link.name for link in q.via)
        stance = q.statement.polarity if q.statement else None
        yield (
            i, q.quote_id, ctx.story_of.get(q.doc_id), q.doc_id, start, end, text,
            ctx.outlet(q.doc_id), q.kind, q.speaker_text, q.speaker_resolved, q.anonymous,
            q.descriptor, q.cue, chain, stance, q.method, rows.dumps(q),
        )


def _entities(ctx: _Context) -> Iterator[Row]:
    for i, e in enumerate(ctx.dossier.entities):
        docs = {m.doc_id for m in e.mentions}
        yield (
            i, e.entity_id, e.canonical, e.label, _joined(e.surface_forms), len(e.mentions),
            len(docs), rows.dumps(e),
        )


def _entity_mentions(ctx: _Context) -> Iterator[Row]:
    for e in ctx.dossier.entities:
        for m in e.mentions:
            yield (e.entity_id, e.label, m.doc_id, m.start, m.end, m.text)


def _provenance(ctx: _Context) -> Iterator[Row]:
    for i, p in enumerate(ctx.dossier.provenance):
        yield (i, p.source, p.target, p.kind, p.method, rows.dumps(p))


def _drift(ctx: _Context) -> Iterator[Row]:
    for i, d in enumerate(ctx.dossier.drift):
        a, b = d.a, d.b
        key = row_id(d.story_id, a.doc_id, a.start, b.doc_id, b.start)
        yield (
            i, key, d.story_id, d.speaker, d.via, d.kind, d.similarity, a.doc_id, a.start, a.end,
            a.text, b.doc_id, b.start, b.end, b.text, d.reason, d.method, rows.dumps(d),
        )


def _disagreements(ctx: _Context) -> Iterator[Row]:
    for i, d in enumerate(ctx.dossier.disagreements):
        key = row_id(d.story_id, d.kind, d.topic, *(s.label for s in d.sides))
        sides = " | ".join(s.label for s in d.sides)
        yield (i, key, d.story_id, d.kind, d.topic, d.reason, sides, d.method, rows.dumps(d))


def _timeline(ctx: _Context) -> Iterator[Row]:
    for i, t in enumerate(ctx.dossier.timeline):
        first = t.sources[0].sentence if t.sources else None
        key = row_id(t.story_id, t.value, first.doc_id if first else "", first.start if first else "")
        earliest, latest = _iso(t.when)
        yield (
            i, key, t.story_id, t.value, earliest, latest, t.text, len(t.sources), t.method,
            rows.dumps(t),
        )


def _date_inferences(ctx: _Context) -> Iterator[Row]:
    for i, d in enumerate(ctx.dossier.date_inferences):
        earliest, latest = _iso(d.value)
        yield (i, d.doc_id, earliest, latest, d.value.confidence, d.method, rows.dumps(d))


_PROJECT: dict[str, Callable[[_Context], Iterator[Row]]] = {
    "stories": _stories,
    "story_documents": _story_documents,
    "verdicts": _verdicts,
    "pairs": _pairs,
    "claims": _claims,
    "claim_mentions": _claim_mentions,
    "claim_origins": _claim_origins,
    "quotes": _quotes,
    "entities": _entities,
    "entity_mentions": _entity_mentions,
    "provenance": _provenance,
    "drift": _drift,
    "disagreements": _disagreements,
    "timeline": _timeline,
    "date_inferences": _date_inferences,
}

#: Every Dossier section that has a table (the rest -- run, documents, diagnostics --
#: live in the store's own tables).
STORED_SECTIONS: tuple[str, ...] = tuple(t.section for t in TABLES if t.section is not None)
assert set(STORED_SECTIONS) <= {f.name for f in fields(Dossier)}
