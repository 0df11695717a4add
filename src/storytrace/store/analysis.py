"""The corpus analysis in the store: the tables of ``records.tables``, one ``runs`` row per analysis.

Design:

* **One projection.** The tables are ``records.tables.TABLES`` as they are: the
  DuckDB store, the browsing export and the Parquet/CSV exports share one layout.
* **Stamped.** Each stored analysis adds a ``runs`` row: the storytrace version,
  the registered stage names that ran (``RunInfo.stages``), the corpus stages
  asked for, the documents it covered (count and a digest of their ids), the
  sections computed and the run-level diagnostics of the corpus stages. A reader
  trusts the tables only when that row matches what it would compute now.
* **Replaced at once.** ``write_analysis`` runs inside the caller's transaction:
  the previous analysis is deleted and the new one inserted, so a killed ingest
  leaves the previous analysis whole.
* **Pages read only their rows.** The query functions below are each one SQL
  query on indexed columns (``story_id``, ``claim_id``, ``doc_id``).

DOCS: docs/store.md
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import duckdb

from storytrace.records import Diagnostic, Document, Dossier, RunInfo, rows
from storytrace.records.corpus import Quote, Story
from storytrace.records.lineage import Claim
from storytrace.records.tables import TABLES, table_rows

#: Rows per INSERT statement (one list parameter per column, as for documents).
ROWS_PER_INSERT = 2000

RUNS_TABLE = """CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY,
    version VARCHAR NOT NULL,
    store_version VARCHAR NOT NULL,
    stages VARCHAR NOT NULL,
    corpus_stages VARCHAR NOT NULL,
    config VARCHAR NOT NULL,
    documents INTEGER NOT NULL,
    doc_digest VARCHAR NOT NULL,
    created_at VARCHAR NOT NULL,
    run JSON NOT NULL,
    sections VARCHAR NOT NULL,
    diagnostics JSON NOT NULL
)"""

#: Each document's spaCy parse results before alias merging (``store/incremental.py``),
#: valid for one ``stamp`` (version and entity/quote options).
PARSE_TABLE = """CREATE TABLE IF NOT EXISTS doc_parses (
    doc_id VARCHAR NOT NULL,
    stamp VARCHAR NOT NULL,
    mentions JSON NOT NULL,
    quotes JSON NOT NULL,
    problem JSON
)"""

#: Indexed columns: what a page filters on.
INDEXES: tuple[tuple[str, str], ...] = (
    ("stories", "story_id"),
    ("story_documents", "doc_id"),
    ("story_documents", "story_id"),
    ("claims", "claim_id"),
    ("claims", "story_id"),
    ("claim_mentions", "claim_id"),
    ("claim_mentions", "doc_id"),
    ("quotes", "doc_id"),
    ("quotes", "story_id"),
    ("entity_mentions", "entity_id"),
    ("entity_mentions", "doc_id"),
    ("doc_parses", "doc_id"),
)

#: Every table this module owns.
ANALYSIS_TABLES: frozenset[str] = frozenset({"runs", "doc_parses", *(t.name for t in TABLES)})


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def schema() -> list[str]:
    """The statements that create the analysis tables and their indexes (idempotent)."""
    out = [RUNS_TABLE, PARSE_TABLE]
    for table in TABLES:
        cols = ", ".join(f"{_q(name)} {kind}" for name, kind in table.columns)
        out.append(f"CREATE TABLE IF NOT EXISTS {_q(table.name)} ({cols})")
    for name, column in INDEXES:
        out.append(f"CREATE INDEX IF NOT EXISTS {name}_{column}_idx ON {_q(name)} ({_q(column)})")
    return out


def doc_digest(doc_ids: Iterable[str]) -> str:
    """A digest of a set of document ids (order does not matter)."""
    return hashlib.sha256("\n".join(sorted(doc_ids)).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class StoredRun:
    """The ``runs`` row of the stored analysis.

    Attributes:
        run_id (int): 1 for the first analysis, then counting up.
        version (str): the storytrace version that computed it.
        corpus_stages (tuple[str, ...]): the corpus stages asked for.
        config (str): a digest of the corpus stages' options.
        documents (int): documents it covered.
        doc_digest (str): ``doc_digest`` of their ids.
        created_at (str): when it was written (UTC, ISO 8601).
        run (RunInfo): the dossier's run information.
        sections (tuple[str, ...]): the dossier's ``sections_computed``.
        diagnostics (tuple[Diagnostic, ...]): run-level diagnostics the corpus
            stages added (a failed stage, a parse problem).
    """

    run_id: int
    version: str
    corpus_stages: tuple[str, ...]
    config: str
    documents: int
    doc_digest: str
    created_at: str
    run: RunInfo
    sections: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def latest_run(con: duckdb.DuckDBPyConnection) -> StoredRun | None:
    """The stored analysis's ``runs`` row, or ``None`` (none stored, or an old store without it)."""
    if not _has_table(con, "runs"):
        return None
    row = con.execute(
        "SELECT run_id, version, corpus_stages, config, documents, doc_digest, created_at, run, "
        "sections, diagnostics FROM runs ORDER BY run_id DESC LIMIT 1"
    ).fetchone()
    if row is None:
        return None
    return StoredRun(
        int(row[0]), row[1], tuple(json.loads(row[2])), row[3], int(row[4]), row[5], row[6],
        rows.loads(row[7], RunInfo), tuple(json.loads(row[8])),
        rows.loads(row[9], tuple[Diagnostic, ...]),
    )  # fmt: skip


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    found = con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchone()
    return found is not None


def write_analysis(  # noqa: PLR0913 -- one row's stamps
    con: duckdb.DuckDBPyConnection,
    dossier: Dossier,
    corpus_stages: Sequence[str],
    config: str,
    base_diagnostics: int,
    store_version: str,
) -> StoredRun:
    """Replace the stored analysis with ``dossier``'s, in the caller's open transaction.

    Args:
        con: the store's connection, inside ``BEGIN TRANSACTION``.
        dossier (Dossier): the analysed dossier of every stored document.
        corpus_stages (Sequence[str]): the corpus stages asked for.
        config (str): a digest of the corpus stages' options.
        base_diagnostics (int): how many of ``dossier.diagnostics`` came from the
            store (the rest are the corpus stages' own, kept in ``runs``).
        store_version (str): the store schema version, stamped on the row.

    Returns:
        StoredRun: the row written.
    """
    data = table_rows(dossier)
    for table in TABLES:
        con.execute(f"DELETE FROM {_q(table.name)}")
        found = data[table.name]
        for start in range(0, len(found), ROWS_PER_INSERT):
            _insert(
                con,
                table.name,
                [c[1] for c in table.columns],
                found[start : start + ROWS_PER_INSERT],
            )
    previous = con.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()
    stored = StoredRun(
        run_id=int(previous[0] if previous else 0) + 1,
        version=dossier.run.version,
        corpus_stages=tuple(corpus_stages),
        config=config,
        documents=len(dossier.documents),
        doc_digest=doc_digest(d.doc_id for d in dossier.documents),
        created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        run=dossier.run,
        sections=dossier.sections_computed,
        diagnostics=dossier.diagnostics[base_diagnostics:],
    )
    con.execute(
        "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            stored.run_id, stored.version, store_version, json.dumps(list(dossier.run.stages)),
            json.dumps(list(stored.corpus_stages)), config, stored.documents, stored.doc_digest,
            stored.created_at, rows.dumps(stored.run), json.dumps(list(stored.sections)),
            rows.dumps(stored.diagnostics),
        ],
    )  # fmt: skip
    return stored


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, types: list[str], found: list[tuple[Any, ...]]
) -> None:
    """Rows as one statement with one list parameter per column (``executemany`` is row by row)."""
    if not found:
        return
    unnests = ", ".join(f"unnest(?::{kind}[])" for kind in types)
    columns = [list(column) for column in zip(*found, strict=True)]
    con.execute(f"INSERT INTO {_q(table)} SELECT * FROM (SELECT {unnests})", columns)


def read_sections(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every record table's ``record`` column in ``ord`` order, for ``sections_from_records``."""
    return {
        t.name: [
            r[0] for r in con.execute(f"SELECT record FROM {_q(t.name)} ORDER BY ord").fetchall()
        ]
        for t in TABLES
        if t.section is not None
    }


#: Record tables read for one story, by their indexed ``story_id`` column.
_BY_STORY = ("stories", "verdicts", "claims", "quotes", "drift", "disagreements", "timeline")


def read_story(
    con: duckdb.DuckDBPyConnection, story_id: str
) -> tuple[tuple[str, ...], dict[str, list[str]]] | None:
    """One story's articles and the ``record`` columns of its rows, in ``ord`` order.

    What a page about one story (a claim's, an article's) needs, read by the
    indexed ``story_id`` and ``doc_id`` columns instead of the whole analysis;
    entities and provenance (which cross stories) are left out. ``None`` when no
    such story is stored.
    """
    docs = tuple(
        r[0]
        for r in con.execute(
            "SELECT doc_id FROM story_documents WHERE story_id = ? ORDER BY doc_id", [story_id]
        ).fetchall()
    )
    if not docs:
        return None
    records = {
        name: [
            r[0]
            for r in con.execute(
                f"SELECT record FROM {_q(name)} WHERE story_id = ? ORDER BY ord", [story_id]
            ).fetchall()
        ]
        for name in _BY_STORY
    }
    marks = ", ".join("?" for _ in docs)
    records["date_inferences"] = [
        r[0]
        for r in con.execute(
            f"SELECT record FROM date_inferences WHERE doc_id IN ({marks}) ORDER BY ord", list(docs)
        ).fetchall()
    ]
    records["pairs"] = [
        r[0]
        for r in con.execute(
            f"SELECT record FROM pairs WHERE a IN ({marks}) AND b IN ({marks}) ORDER BY ord",
            [*docs, *docs],
        ).fetchall()
    ]
    return docs, records


def story_of(con: duckdb.DuckDBPyConnection, *, doc_id: str = "", claim_id: str = "") -> str | None:
    """The story of an article or of a claim, by an indexed lookup."""
    if claim_id:
        row = con.execute("SELECT story_id FROM claims WHERE claim_id = ?", [claim_id]).fetchone()
    else:
        row = con.execute(
            "SELECT min(story_id) FROM story_documents WHERE doc_id = ?", [doc_id]
        ).fetchone()
    return None if row is None else row[0]


def with_inferred_dates(documents: Sequence[Document], dossier: Dossier) -> tuple[Document, ...]:
    """Documents as the timeline stage leaves them: an inferred interval replaces an unknown date.

    The store keeps each document as built; ``timeline.timex.v3`` replaces the
    unknown ``published`` of an undated article by its inference (``inferred: true``).
    """
    dated = {i.doc_id: i.value for i in dossier.date_inferences if i.value.known}
    return tuple(
        replace(doc, metadata=replace(doc.metadata, published=dated[doc.doc_id]))
        if doc.doc_id in dated
        else doc
        for doc in documents
    )


# --- what a page reads: one indexed query each --------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryPage:
    """One story and its claims, most carried first."""

    story: Story
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class ClaimPage:
    """One claim and its mentions as rows (with the outlet of each article)."""

    claim: Claim
    mentions: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """What the analysis found in one article: its story, quotes and claim mentions."""

    doc_id: str
    story_id: str | None
    quotes: tuple[Quote, ...]
    claim_mentions: tuple[dict[str, Any], ...]


def story_page(con: duckdb.DuckDBPyConnection, story_id: str) -> StoryPage | None:
    """One story with its claims, or ``None`` when no such story is stored."""
    row = con.execute(
        "SELECT record, (SELECT list(record ORDER BY ord) FROM claims WHERE story_id = $s) "
        "FROM stories WHERE story_id = $s",
        {"s": story_id},
    ).fetchone()
    if row is None:
        return None
    claims = tuple(rows.loads(text, Claim) for text in row[1] or ())
    return StoryPage(rows.loads(row[0], Story), claims)


_MENTION_COLUMNS = (
    "doc_id", "start", "end", "text", "outlet", "quote_id", "speaker", "anonymous", "stance",
    "chain", "origin_key",
)  # fmt: skip


def claim_page(con: duckdb.DuckDBPyConnection, claim_id: str) -> ClaimPage | None:
    """One claim with its mentions (article, span, outlet, speaker, stance), or ``None``."""
    cols = ", ".join(f"m.{_q(c)}" for c in _MENTION_COLUMNS)
    found = con.execute(
        f"SELECT c.record, {cols} FROM claims c LEFT JOIN claim_mentions m "
        "ON m.claim_id = c.claim_id WHERE c.claim_id = ? ORDER BY m.doc_id, m.start",
        [claim_id],
    ).fetchall()
    if not found:
        return None
    mentions = tuple(
        dict(zip(_MENTION_COLUMNS, r[1:], strict=True)) for r in found if r[1] is not None
    )
    return ClaimPage(rows.loads(found[0][0], Claim), mentions)


def document_page(con: duckdb.DuckDBPyConnection, doc_id: str) -> DocumentPage:
    """One article's story, quotes and claim mentions (empty when the analysis found none)."""
    found = con.execute(
        "SELECT (SELECT min(story_id) FROM story_documents WHERE doc_id = $d), "
        "(SELECT list(record ORDER BY ord) FROM quotes WHERE doc_id = $d), "
        '(SELECT list(struct_pack(claim_id, story_id, start, "end", text, speaker, stance, origin_key) '
        "ORDER BY start, claim_id) FROM claim_mentions WHERE doc_id = $d)",
        {"d": doc_id},
    ).fetchone()
    story, quotes, mentions = found if found else (None, None, None)
    return DocumentPage(
        doc_id,
        story,
        tuple(rows.loads(q, Quote) for q in quotes or ()),
        tuple(dict(m) for m in mentions or ()),
    )


# --- what corrections touch: the rows read back to lay them over -------------------------


@dataclass(frozen=True, slots=True)
class CorrectionScope:
    """The stored rows some corrections can change.

    Attributes:
        stories (frozenset[str]): stories whose rows (membership, claims and their
            mentions and origins) are read back and projected again.
        documents (frozenset[str]): articles whose quotes are read back (the
            stories' articles and any other article a correction names).
        entities (frozenset[str]): entities merged or split.
    """

    stories: frozenset[str]
    documents: frozenset[str]
    entities: frozenset[str]


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: Any) -> set[str]:
    return {r[0] for r in con.execute(sql, params).fetchall() if r[0] is not None}


def correction_scope(con: duckdb.DuckDBPyConnection, fixes: Iterable[Any]) -> CorrectionScope:
    """What ``fixes`` (effective ``records.corrections.Correction`` rows) can change, by
    indexed lookups: a corrected speaker's quote and the claims drawn from it, a moved
    article's two stories, a claim's story, the entities merged or split."""
    stories: set[str] = set()
    docs: set[str] = set()
    entities: set[str] = set()
    for c in fixes:
        if c.kind == "quote_speaker":
            stories |= _column(
                con,
                "SELECT story_id FROM quotes WHERE quote_id = $q "
                "UNION SELECT story_id FROM claim_mentions WHERE quote_id = $q",
                {"q": c.target},
            )
            docs |= _column(con, "SELECT doc_id FROM quotes WHERE quote_id = ?", [c.target])
        elif c.kind == "story_move":
            stories |= _column(
                con, "SELECT story_id FROM story_documents WHERE doc_id = ?", [c.target]
            )
            stories |= {c.after} if c.after else set()
            docs.add(c.target)
        elif c.kind in ("claim_origin", "mention_stance"):
            claim_id = c.target.partition("/")[0]
            stories |= _column(con, "SELECT story_id FROM claims WHERE claim_id = ?", [claim_id])
        elif c.kind in ("entity_merge", "entity_split"):
            entities |= {c.target, c.after} if c.kind == "entity_merge" else {c.target}
    members = _column(
        con,
        "SELECT doc_id FROM story_documents WHERE story_id IN (SELECT unnest(?::VARCHAR[]))",
        [sorted(stories)],
    )
    return CorrectionScope(frozenset(stories), frozenset(docs | members), frozenset(entities))


def read_scope(
    con: duckdb.DuckDBPyConnection, scope: CorrectionScope
) -> tuple[tuple[str, ...], dict[str, list[str]]]:
    """The scope's articles and the ``record`` columns of its rows, in ``ord`` order:
    its stories, their claims, its articles' quotes and inferred dates, its entities."""
    wanted = {
        "stories": ("story_id", scope.stories),
        "claims": ("story_id", scope.stories),
        "quotes": ("doc_id", scope.documents),
        "date_inferences": ("doc_id", scope.documents),
        "entities": ("entity_id", scope.entities),
    }
    records = {
        name: [
            r[0]
            for r in con.execute(
                f"SELECT record FROM {_q(name)} WHERE {_q(column)} IN "
                "(SELECT unnest(?::VARCHAR[])) ORDER BY ord",
                [sorted(values)],
            ).fetchall()
        ]
        for name, (column, values) in wanted.items()
    }
    return tuple(sorted(scope.documents)), records


def stored_value(con: duckdb.DuckDBPyConnection, kind: str, target: str) -> str | None:
    """What the stored analysis has for a correction's target (its ``before``), by an
    indexed lookup; ``None`` when the target is not in it.

    ``quote_speaker``: the quote's speaker (resolved, else as printed); ``mention_stance``:
    the mention's stance; ``claim_origin``: the origin's label; ``story_move``: the
    article's story; ``entity_merge`` and ``entity_split``: the entity's name.
    """
    if kind == "quote_speaker":
        sql = "SELECT coalesce(speaker_resolved, speaker, '') FROM quotes WHERE quote_id = ?"
        params: list[Any] = [target]
    elif kind == "mention_stance":
        claim_id, doc_id, start = [*target.split("/"), "", "", ""][:3]
        if not start.isdigit():
            return None
        sql = "SELECT stance FROM claim_mentions WHERE claim_id = ? AND doc_id = ? AND start = ?"
        params = [claim_id, doc_id, int(start)]
    elif kind == "claim_origin":
        claim_id, _, key = target.partition("/")
        sql = "SELECT label FROM claim_origins WHERE claim_id = ? AND origin_key = ?"
        params = [claim_id, key]
    elif kind == "story_move":
        sql = "SELECT min(story_id) FROM story_documents WHERE doc_id = ? HAVING count(*) > 0"
        params = [target]
    elif kind in ("entity_merge", "entity_split"):
        sql = "SELECT canonical FROM entities WHERE entity_id = ?"
        params = [target]
    else:
        return None
    row = con.execute(sql, params).fetchone()
    return None if row is None else str(row[0] if row[0] is not None else "")
