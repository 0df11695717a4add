"""The embedded store: one DuckDB file holding documents, diagnostics and analysis results.

Design:

* **Identity is content.** A document's id is the hash of its input content, so
  ingesting the same file twice adds nothing (``INSERT ... ON CONFLICT DO NOTHING``)
  and a re-run after an interruption skips what is already stored.
* **Batches are transactions.** ``add`` commits a batch at once or not at all (a
  batch of large pages in parts of ``CHARS_PER_COMMIT`` characters, each whole); a
  killed ingest leaves the store as of the last committed batch or part.
* **Faults are one line** (``store/faults.py``): a corrupt block, a full disk, a
  read-only file or folder is a ``StoreError`` (``ST145``-``ST149``), and a store
  whose blocks fail their checksums is never written into.
* **Documents are stored whole** as the documented JSON (``record``) next to a few
  queryable columns (outlet, date, title ...), so the schema of the dossier is the
  schema of the store and nothing is lost between them.
* **The analysis is stored too** (``store/analysis.py``): the tables of
  ``records.tables`` and a ``runs`` row stamping what made them, replaced in one
  transaction, so readers rebuild the dossier without re-running the pipeline.
* **A file that is not ours is never touched.** A DuckDB file without our marker
  table, or a file that is not DuckDB at all, gives a clear error, never a
  silent overwrite.

DOCS: docs/store.md
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from storytrace.errors import StoreError
from storytrace.records import Diagnostic, Document, Dossier, Severity
from storytrace.records.codec import diagnostic_json, document_from_json, document_json
from storytrace.records.tables import TABLES, sections_from_records
from storytrace.store import analysis, faults
from storytrace.store.analysis import ClaimPage, DocumentPage, StoredRun, StoryPage
from storytrace.store.incremental import Parsed, write_parses
from storytrace.store.search import SearchFilter, insert_terms, search, term_counts

STORE_MARKER = "storytrace-store"
#: 1: documents, search terms, diagnostics. 2: and the corpus analysis (``runs`` + ``TABLES``).
STORE_VERSION = "2"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS storytrace_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE IF NOT EXISTS documents (
        doc_id VARCHAR PRIMARY KEY,
        source_path VARCHAR NOT NULL,
        source_member VARCHAR,
        format VARCHAR NOT NULL,
        title VARCHAR,
        outlet VARCHAR,
        author VARCHAR,
        url VARCHAR,
        language VARCHAR,
        published_earliest VARCHAR,
        published_latest VARCHAR,
        truncated BOOLEAN NOT NULL,
        text VARCHAR NOT NULL,
        record JSON NOT NULL,
        n_terms INTEGER NOT NULL,
        batch BIGINT NOT NULL
    )""",
    "CREATE TABLE IF NOT EXISTS terms (doc_id VARCHAR NOT NULL, term VARCHAR NOT NULL, tf INTEGER NOT NULL)",
    """CREATE TABLE IF NOT EXISTS diagnostics (
        source VARCHAR NOT NULL,
        code VARCHAR NOT NULL,
        severity VARCHAR NOT NULL,
        message VARCHAR NOT NULL,
        doc_id VARCHAR,
        batch BIGINT NOT NULL,
        PRIMARY KEY (source, code)
    )""",
)


_TABLES = (
    frozenset({"storytrace_meta", "documents", "terms", "diagnostics"}) | analysis.ANALYSIS_TABLES
)

#: DuckDB's block cache while writing, in MB (see ``Store._limit_memory``).
WRITE_CACHE_MB = 128
#: Memory allowed per stored document for the primary-key index (ART): about
#: 120 bytes measured, doubled for headroom.
INDEX_BYTES_PER_DOC = 256
#: Documents per INSERT statement. A batch is still one transaction; smaller
#: statements let DuckDB spill a large batch instead of failing under the
#: memory limit (a 5,000-document batch in one statement needs ~250 MB).
DOCS_PER_INSERT = 100
#: Characters of text and record JSON per INSERT statement: large pages fill a
#: statement long before ``DOCS_PER_INSERT`` does (40 pages of 1.5 MB, in one
#: statement, ran out of the write limit's memory). A larger document goes alone.
CHARS_PER_INSERT = 4 * 2**20
#: Characters of new documents per transaction: DuckDB holds a transaction's rows in
#: memory until it commits, and 40 pages of 1.5 MB in one ran out of the write limit.
CHARS_PER_COMMIT = 24 * 2**20
#: Memory a statement needs per character of its largest document, on top of the
#: write limit: one 8 MB page (text, page text, 11,768 segments: ~25 M characters)
#: did not fit in one statement under the 128 MB limit; it fits in 192 MB.
BYTES_PER_CHAR = 4


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one ``add`` call changed."""

    added: int
    already_stored: int
    diagnostics: int


def _classify_open_error(path: Path, exc: duckdb.Error) -> StoreError:
    fault = faults.store_fault(path, exc)
    if fault is not None and fault.code != "ST148":  # an unreadable file is ST140, below
        return fault
    text = str(exc)
    return StoreError(
        "ST140",
        f"{path} is not a readable DuckDB database ({text.splitlines()[0]}). It may be corrupt or "
        "another kind of file; storytrace will not overwrite it. Pass a new --db path.",
    )


class Store:
    """A storytrace store in one DuckDB file. Use as a context manager.

    Args:
        path (str | os.PathLike[str]): the database file; created when missing.
        read_only (bool): open without taking the write lock.
    """

    def __init__(self, path: str | os.PathLike[str], read_only: bool = False) -> None:
        self.path = Path(path)
        if read_only and not self.path.exists():
            raise StoreError(
                "ST143",
                f"No store at {self.path}. Create one with `storytrace ingest PATH --db {self.path}`.",
            )
        self._refuse_before_opening(read_only)
        try:
            # Never fetch or load an extension: a SQLite file given as --db made DuckDB
            # try to download its sqlite scanner over the network.
            offline: dict[str, str | bool | int | float | list[str]] = {
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            }
            self.con = duckdb.connect(str(self.path), read_only=read_only, config=offline)
        except duckdb.Error as exc:
            raise _classify_open_error(self.path, exc) from None
        try:
            self._check_or_init(read_only)
            if not read_only:
                # Vacuuming merges the small row groups each checkpoint writes into
                # ever larger ones, rewriting them: with ~40 KB a document, memory
                # peaked at 3.3 GB by 100,000 articles (#7). We never delete rows,
                # so there is nothing to reclaim.
                self.con.execute("SET max_vacuum_tasks = 0")
                self._limit_memory()
        except StoreError:
            self._close_quietly()  # refused (corrupt, foreign, newer): nothing was written
            raise
        except (duckdb.Error, OSError) as exc:
            self._close_quietly()
            fault = faults.store_fault(self.path, exc)
            if fault is None:
                raise
            raise fault from exc

    def _refuse_before_opening(self, read_only: bool) -> None:
        """Refuse, before DuckDB opens the file, an SQLite file and a store that cannot be written."""
        if faults.is_sqlite(self.path):
            raise StoreError(
                "ST140",
                f"{self.path} is an SQLite database, not a storytrace store (DuckDB); storytrace "
                "will not open or modify it. Pass a new --db path.",
            )
        if not read_only and (problem := faults.not_writable(self.path)) is not None:
            raise problem

    def _verify_blocks(self) -> None:
        """Refuse to write into a store with a corrupt block (see ``store/faults.py``)."""
        bad = faults.corrupt_blocks(self.con, self.path)
        if bad:
            shown = ", ".join(str(b) for b in bad[:5]) + (" ..." if len(bad) > 5 else "")
            raise faults.corrupt(
                self.path, f"{len(bad)} block(s) fail their checksum: block {shown}"
            )

    def _close_quietly(self) -> None:
        """Close after a fault; a connection DuckDB invalidated may fail to close."""
        try:
            self.con.close()
        except duckdb.Error:
            pass

    def _rollback(self) -> None:
        """End a failed transaction. A COMMIT that failed (disk full) has ended it already."""
        try:
            self.con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # "no transaction is active": the original error is the one to report

    def reader(self) -> Store:
        """Another handle on this open database, for another thread (a DuckDB cursor).

        A long read through it (the whole stored analysis) does not hold the lock
        that guards this handle, so the web UI's other pages are answered meanwhile.
        """
        other = object.__new__(Store)
        other.path, other.version, other.con = self.path, self.version, self.con.cursor()
        return other

    def _limit_memory(self, extra_keys: int = 0, extra_bytes: int = 0) -> None:
        """Bound DuckDB's memory while writing: a small block cache plus the key indexes.

        By default DuckDB may use 80% of RAM and keeps the blocks it wrote
        cached up to that, so a long ingest grows by ~5 KB a document. Appends
        need little cache; the ART indexes (the documents' primary key, ~120
        bytes a key, and the analysis tables' lookup indexes) must stay in
        memory, so the limit grows with their keys (``extra_keys``: keys about
        to be written). ``extra_bytes``: room for the large document about to be
        written (a document cannot be split across statements).
        """
        keys = self.count() + self._indexed_keys() + extra_keys
        megabytes = WRITE_CACHE_MB + (keys * INDEX_BYTES_PER_DOC + extra_bytes) // 2**20
        self.con.execute(f"SET memory_limit = '{megabytes}MB'")

    def _indexed_keys(self) -> int:
        """Keys held by the analysis tables' indexes (0 before the tables exist)."""
        if getattr(self, "version", None) != STORE_VERSION:
            return 0
        total = 0
        for table, _ in analysis.INDEXES:
            row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
            total += int(row[0]) if row else 0
        return total

    def _check_or_init(self, read_only: bool) -> None:
        tables = {
            row[0]
            for row in self.con.execute(
                "SELECT table_name FROM information_schema.tables"
            ).fetchall()
        }
        if not read_only and (not tables or self._unfinished(tables)):
            self._create()
            return
        marker = None
        if "storytrace_meta" in tables:
            row = self.con.execute(
                "SELECT value FROM storytrace_meta WHERE key = 'marker'"
            ).fetchone()
            marker = row[0] if row else None
        if marker != STORE_MARKER:
            self.con.close()
            raise StoreError(
                "ST141",
                f"{self.path} is a DuckDB database but not a storytrace store; storytrace will not "
                "modify it. Pass a new --db path.",
            )
        self.version = self._meta("version") or "1"
        if int(self.version) > int(STORE_VERSION):
            self.con.close()
            raise StoreError(
                "ST144",
                f"The store {self.path} was made by a newer storytrace (store version "
                f"{self.version}, this one reads up to {STORE_VERSION}); storytrace will not "
                "modify it. Upgrade storytrace or pass a new --db path.",
            )
        if not read_only:
            self._verify_blocks()
            if self.version != STORE_VERSION:
                self._migrate()

    def _meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM storytrace_meta WHERE key = ?", [key]).fetchone()
        return str(row[0]) if row else None

    def _migrate(self) -> None:
        """An older store opened for writing: add the analysis tables, empty, in one transaction.

        Its documents are kept as they are; the analysis is computed by the next
        ``ingest`` (readers compute it meanwhile, saying so).
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            for statement in analysis.schema():
                self.con.execute(statement)
            self.con.execute(
                "INSERT OR REPLACE INTO storytrace_meta VALUES ('version', ?)", [STORE_VERSION]
            )
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self.version = STORE_VERSION

    def _unfinished(self, tables: set[str]) -> bool:
        """Our own store, killed while being created: only our tables, no marker, no data.

        Completing it creates missing tables and writes the marker; nothing is
        dropped or overwritten. Any other table, or stored documents without a
        marker, and the file is refused as foreign.
        """
        if not tables <= _TABLES:
            return False
        if "storytrace_meta" in tables and self.con.execute(
            "SELECT count(*) FROM storytrace_meta"
        ).fetchone() != (0,):
            return False
        return "documents" not in tables or self.con.execute(
            "SELECT count(*) FROM documents"
        ).fetchone() == (0,)

    def _create(self) -> None:
        """Schema and marker in one transaction.

        A kill while creating the store must leave either an empty database
        (created again on the next run) or a complete store, never tables
        without the marker, which the next run would refuse as foreign.
        """
        self.con.execute("BEGIN TRANSACTION")
        try:
            for statement in (*_SCHEMA, *analysis.schema()):
                self.con.execute(statement)
            self.con.execute("DELETE FROM storytrace_meta")
            self.con.executemany(
                "INSERT INTO storytrace_meta VALUES (?, ?)",
                [("marker", STORE_MARKER), ("version", STORE_VERSION)],
            )
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self.version = STORE_VERSION

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        """Close; a fault of the store's file or disk inside the block becomes one ``ST1xx`` error.

        Only DuckDB's errors are read: an ``OSError`` of the inputs is not the store's.
        """
        if exc is None:
            try:
                self.close()  # the last checkpoint writes: the disk may be full now
            except duckdb.Error as failed:
                if (fault := faults.store_fault(self.path, failed)) is None:
                    raise
                raise fault from failed
            return
        self._close_quietly()
        if isinstance(exc, duckdb.Error) and (fault := faults.store_fault(self.path, exc)):
            raise fault from exc

    def close(self) -> None:
        self.con.close()

    def has(self, doc_id: str) -> bool:
        """True when a document with this id is stored."""
        return (
            self.con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
            is not None
        )

    def known_ids(self) -> set[str]:
        """Every stored document id (to skip work on a re-run)."""
        return {row[0] for row in self.con.execute("SELECT doc_id FROM documents").fetchall()}

    def _next_batch(self) -> int:
        row = self.con.execute("SELECT coalesce(max(batch), 0) + 1 FROM documents").fetchone()
        return int(row[0]) if row else 1

    def add(
        self, documents: Iterable[Document], diagnostics: Iterable[Diagnostic] = ()
    ) -> AddResult:
        """Store a batch of documents and diagnostics, committed in as few transactions as fit.

        A batch is one transaction unless its documents hold more than
        ``CHARS_PER_COMMIT`` characters: DuckDB keeps a transaction's rows in memory
        until it commits, so a batch of large pages is committed in parts, each whole
        or not at all (a re-run resumes after the last part committed). The
        diagnostics commit with the last part. A document already stored (or
        repeated in the batch) is counted, not written again.

        Returns:
            AddResult: how many documents were new, how many were already stored.
        """
        docs = list(documents)
        diags = list(diagnostics)
        new = self._new_documents(docs)
        part: list[Document] = []
        size = 0
        for doc in new:
            chars = _doc_chars(doc)
            if part and size + chars > CHARS_PER_COMMIT:
                self._commit(part, [])
                part, size = [], 0
            part.append(doc)
            size += chars
        self._commit(part, diags)
        if new:
            self._limit_memory()  # back to the write limit, with the new keys
        return AddResult(len(new), len(docs) - len(new), len(diags))

    def _commit(self, docs: list[Document], diags: list[Diagnostic]) -> None:
        """New documents, their search-index rows and diagnostics in one transaction."""
        if not docs and not diags:
            return
        batch = self._next_batch()
        largest = max((_doc_chars(d) for d in docs), default=0)
        roomy = largest > CHARS_PER_INSERT // 4  # a large page: room for it in one statement
        if roomy:
            self._limit_memory(extra_bytes=BYTES_PER_CHAR * largest)
        self.con.execute("BEGIN TRANSACTION")
        try:
            self._insert_all(docs, batch)
            if diags:
                self.con.executemany(_INSERT_DIAG, [_diag_row(d, batch) for d in diags])
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        if roomy:
            self._limit_memory()

    def _insert_all(self, docs: list[Document], batch: int) -> None:
        """Documents and their search-index rows, in statements bounded by count and size.

        Runs in the caller's transaction. Each statement holds at most
        ``DOCS_PER_INSERT`` documents and about ``CHARS_PER_INSERT`` characters of
        text and record, so large pages do not outgrow DuckDB's write memory.
        """
        rows: list[list[Any]] = []
        counts: dict[str, Counter[str]] = {}
        size = 0
        for doc in docs:
            terms = term_counts(doc)
            row = _doc_row(doc, batch, terms.total())
            chars = len(row[_TEXT]) + len(row[_RECORD])
            if rows and (len(rows) >= DOCS_PER_INSERT or size + chars > CHARS_PER_INSERT):
                self._insert(rows, counts)
                rows, counts, size = [], {}, 0
            rows.append(row)
            counts[doc.doc_id] = terms
            size += chars
        if rows:
            self._insert(rows, counts)

    def _insert(self, rows: list[list[Any]], counts: dict[str, Counter[str]]) -> None:
        """One statement of documents, one of their search-index rows."""
        self.con.execute(_INSERT_DOCS, [list(column) for column in zip(*rows, strict=True)])
        insert_terms(self.con, counts)

    def _new_documents(self, docs: list[Document]) -> list[Document]:
        """``docs`` not yet stored, each id once (first wins), in one query."""
        ids = list(dict.fromkeys(d.doc_id for d in docs))
        stored = {
            row[0]
            for row in self.con.execute(
                "SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?::VARCHAR[]))",
                [ids],
            ).fetchall()
        }
        new: dict[str, Document] = {}
        for doc in docs:
            if doc.doc_id not in stored:
                new.setdefault(doc.doc_id, doc)
        return list(new.values())

    def count(self) -> int:
        row = self.con.execute("SELECT count(*) FROM documents").fetchone()
        return int(row[0]) if row else 0

    def documents(self) -> Iterator[Document]:
        """Every stored document, in a deterministic order (source path, id)."""
        query = (
            "SELECT record FROM documents ORDER BY source_path, source_member NULLS FIRST, doc_id"
        )
        for (record,) in self.con.execute(query).fetchall():
            yield document_from_json(json.loads(record))

    def record_stages(self, names: set[str]) -> None:
        """Remember the per-document stages that built stored documents (added to earlier runs')."""
        known = set(self.document_stages() or ())
        if names <= known:
            return
        value = json.dumps(sorted(known | names))
        self.con.execute(
            "INSERT OR REPLACE INTO storytrace_meta VALUES ('document_stages', ?)", [value]
        )

    def document_stages(self) -> tuple[str, ...] | None:
        """The per-document stages that built the stored documents (``None``: not recorded)."""
        row = self.con.execute(
            "SELECT value FROM storytrace_meta WHERE key = 'document_stages'"
        ).fetchone()
        return tuple(json.loads(row[0])) if row else None

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        rows = self.con.execute(
            "SELECT code, severity, source, message, doc_id FROM diagnostics ORDER BY source, code"
        ).fetchall()
        return tuple(Diagnostic(c, Severity(s), src, m, d) for c, s, src, m, d in rows)

    def search(
        self, query: str, flt: SearchFilter | None = None, limit: int = 50
    ) -> list[tuple[str, float]]:
        """Document ids ranked by BM25 for ``query``, filtered by outlet and date."""
        return search(self.con, query, flt or SearchFilter(), limit)

    def document(self, doc_id: str) -> Document | None:
        """One stored document, or ``None``."""
        row = self.con.execute("SELECT record FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
        return document_from_json(json.loads(row[0])) if row else None

    def outlets(self) -> list[tuple[str, int]]:
        """Outlets with their document counts, most first."""
        sql = "SELECT outlet, count(*) FROM documents WHERE outlet IS NOT NULL GROUP BY outlet ORDER BY 2 DESC, 1"
        return [(r[0], int(r[1])) for r in self.con.execute(sql).fetchall()]

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query (for the web UI and power users)."""
        return self.con.execute(sql, params or []).fetchall()

    # --- the stored analysis ----------------------------------------------------------

    def analysis_run(self) -> StoredRun | None:
        """The ``runs`` row of the stored analysis (``None``: none stored yet)."""
        return analysis.latest_run(self.con)

    def analysis_problem(
        self, version: str, corpus_stages: tuple[str, ...], config: str
    ) -> str | None:
        """Why the stored analysis cannot be used as it is, or ``None`` when it can.

        It can when it was made by this ``version`` with these ``corpus_stages``
        and options (``config``, a digest) over exactly the stored documents.
        """
        problem = self.reuse_problem(version, corpus_stages, config)
        if problem is not None:
            return problem
        run = self.analysis_run()
        assert run is not None
        ids = [r[0] for r in self.con.execute("SELECT doc_id FROM documents").fetchall()]
        if len(ids) != run.documents or analysis.doc_digest(ids) != run.doc_digest:
            return f"documents were added since the analysis ({run.documents} then, {len(ids)} now)"
        return None

    def reuse_problem(
        self, version: str, corpus_stages: tuple[str, ...], config: str
    ) -> str | None:
        """Why no part of the stored analysis can be reused, or ``None`` when parts can."""
        run = self.analysis_run()
        if run is None:
            return "the store holds no analysis yet"
        if run.version != version:
            return f"the stored analysis was made by storytrace {run.version}, this is {version}"
        if run.corpus_stages != corpus_stages:
            return "the stored analysis ran other corpus stages"
        if run.config != config:
            return "the stored analysis was made with other options"
        return None

    def write_analysis(
        self,
        dossier: Dossier,
        corpus_stages: tuple[str, ...],
        config: str,
        base_diagnostics: int,
        parses: tuple[str, dict[str, Parsed]] | None = None,
    ) -> StoredRun:
        """Replace the stored analysis by ``dossier``'s in one transaction.

        A kill before the commit leaves the previous analysis (and its ``runs``
        row) as it was.

        Args:
            dossier (Dossier): the analysed dossier of every stored document.
            corpus_stages (tuple[str, ...]): the corpus stages asked for.
            config (str): a digest of the corpus stages' options.
            base_diagnostics (int): how many of its diagnostics are the store's own.
            parses: the stamp and the documents parsed for this analysis, kept for the next.
        """
        written = table_rows_count(dossier)
        self._limit_memory(written)  # old and new keys live in the indexes until the commit
        self.con.execute("BEGIN TRANSACTION")
        try:
            stored = analysis.write_analysis(
                self.con, dossier, corpus_stages, config, base_diagnostics, STORE_VERSION
            )
            if parses is not None:
                write_parses(self.con, *parses)
            self.con.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise
        self._limit_memory()
        return stored

    def stored_dossier(self, base: Dossier, records: dict[str, list[str]] | None = None) -> Dossier:
        """``base`` (the stored documents, assembled) with the stored analysis added.

        The caller checked ``analysis_problem`` first. Documents get their inferred
        dates back, the corpus stages' diagnostics and names are added, as a run
        of ``pipeline.analyze_corpus`` would. ``records`` limits it to some rows
        (one story's, from ``story_records``); ``None`` reads the whole analysis.
        """
        run = self.analysis_run()
        if run is None:
            return base
        sections = sections_from_records(
            analysis.read_sections(self.con) if records is None else records
        )
        dossier = replace(base, **sections)  # type: ignore[arg-type]
        corpus = tuple(s for s in run.run.stages if s in run.corpus_stages)
        return replace(
            dossier,
            run=replace(base.run, stages=base.run.stages + corpus),
            documents=analysis.with_inferred_dates(base.documents, dossier),
            diagnostics=base.diagnostics + run.diagnostics,
            sections_computed=run.sections,
        )

    def _analysed(self) -> bool:
        return self.version == STORE_VERSION and self.analysis_run() is not None

    def story_records(self, story_id: str) -> tuple[tuple[str, ...], dict[str, list[str]]] | None:
        """One story's articles and stored rows (indexed reads); ``None`` when not stored."""
        return analysis.read_story(self.con, story_id) if self._analysed() else None

    def story_of(self, *, doc_id: str = "", claim_id: str = "") -> str | None:
        """The stored story of an article or a claim, if the store holds an analysis."""
        if not self._analysed():
            return None
        return analysis.story_of(self.con, doc_id=doc_id, claim_id=claim_id)

    def story_page(self, story_id: str) -> StoryPage | None:
        """One story with its claims (one indexed query); ``None`` when not stored."""
        return analysis.story_page(self.con, story_id) if self._analysed() else None

    def claim_page(self, claim_id: str) -> ClaimPage | None:
        """One claim with its mentions (one indexed query); ``None`` when not stored."""
        return analysis.claim_page(self.con, claim_id) if self._analysed() else None

    def document_page(self, doc_id: str) -> DocumentPage | None:
        """One article's story, quotes and claim mentions; ``None`` when no analysis is stored."""
        return analysis.document_page(self.con, doc_id) if self._analysed() else None

    def export_tables(self) -> list[str]:
        """The tables an export writes: documents, diagnostics, and the analysis when stored."""
        names = list(EXPORTS)
        if self._analysed():
            names += ["runs", *(t.name for t in TABLES)]
        return names

    def export(self, folder: Path, formats: tuple[str, ...] = ("parquet",)) -> dict[str, Path]:
        """Write every table of ``export_tables`` as Parquet and/or CSV into ``folder``.

        DuckDB's own ``COPY ... TO`` streams the rows, in a total order, so the
        same store gives the same files. Each file is written under a temporary
        name and renamed when complete: an interrupted export never leaves a
        truncated file under the final name.

        Args:
            folder (Path): created when missing; existing exports are replaced.
            formats (tuple[str, ...]): ``parquet``, ``csv`` or both.

        Returns:
            dict[str, Path]: ``<table>.<format>`` -> the file written.

        Raises:
            OSError: a file cannot be written there.
        """
        folder.mkdir(parents=True, exist_ok=True)
        written: dict[str, Path] = {}
        options = {"parquet": "FORMAT PARQUET, COMPRESSION ZSTD", "csv": "FORMAT CSV, HEADER"}
        for table in self.export_tables():
            columns, order = _export_query(table)
            for fmt in formats:
                final = folder / f"{table}.{fmt}"
                partial = folder / f".{table}.{fmt}.partial"
                try:
                    self.con.execute(
                        f"COPY (SELECT {columns} FROM {table} ORDER BY {order}) "
                        f"TO {_sql_string(partial)} ({options[fmt]})"
                    )
                except duckdb.IOException as exc:  # the folder is not writable
                    raise OSError(str(exc).splitlines()[0]) from exc
                os.replace(partial, final)
                written[final.name] = final
        return written


#: The store's own tables ``export`` writes: their columns (the store's, less its
#: bookkeeping: search index, term counts, batch numbers) and a total order.
EXPORTS: dict[str, tuple[str, str]] = {
    "documents": (
        "doc_id, source_path, source_member, format, title, outlet, author, url, language, "
        "published_earliest, published_latest, truncated, text, record",
        "source_path, source_member NULLS FIRST, doc_id",
    ),
    "diagnostics": ("source, code, severity, message, doc_id", "source, code"),
}


def table_rows_count(dossier: Dossier) -> int:
    """About how many index keys writing ``dossier``'s analysis adds (rows of indexed tables)."""
    mentions = sum(len(c.mentions) for c in dossier.claims)
    entity_mentions = sum(len(e.mentions) for e in dossier.entities)
    members = sum(len(s.doc_ids) for s in dossier.stories)
    return (
        len(dossier.stories) + 2 * members + 2 * len(dossier.claims) + 2 * mentions
        + 2 * len(dossier.quotes) + 2 * entity_mentions + len(dossier.documents)
    )  # fmt: skip


def _export_query(table: str) -> tuple[str, str]:
    """Columns and a total order for exporting ``table``."""
    if table in EXPORTS:
        return EXPORTS[table]
    if table == "runs":
        return "*", "run_id"
    spec = next(t for t in TABLES if t.name == table)
    columns = ", ".join(f'"{name}"' for name in spec.column_names)
    order = "ord" if spec.section is not None else "ALL"
    return columns, order


def _sql_string(path: Path) -> str:
    """A path as an SQL string literal (``COPY ... TO`` takes no parameters)."""
    return "'" + str(path).replace("'", "''") + "'"


# The types of the documents columns, in order: a batch goes in as one list
# parameter per column (``executemany`` would run one statement per row, ~12 ms
# a document; this is ~0.7 ms).
_DOC_TYPES = ("VARCHAR",) * 11 + ("BOOLEAN", "VARCHAR", "JSON", "INTEGER", "BIGINT")
_TEXT, _RECORD = 12, 13  # where a document row holds its text and its record JSON
_INSERT_DOCS = (
    "INSERT INTO documents SELECT * FROM (SELECT "
    + ", ".join(f"unnest(?::{kind}[])" for kind in _DOC_TYPES)
    + ") ON CONFLICT (doc_id) DO NOTHING"
)
_INSERT_DIAG = (
    "INSERT INTO diagnostics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (source, code) DO NOTHING"
)


def _doc_chars(doc: Document) -> int:
    """About how many characters a document takes in a transaction (text column, record JSON)."""
    return 2 * len(doc.text) + len(doc.page_text) + 100 * len(doc.segments)


def _doc_row(doc: Document, batch: int, n_terms: int) -> list[Any]:
    data = document_json(doc)
    meta = doc.metadata
    published = data["published"]
    return [
        doc.doc_id, doc.source.path, doc.source.member, doc.format, meta.title.value, meta.outlet.value,
        meta.author.value, meta.url.value, meta.language.value, published["earliest"], published["latest"],
        doc.truncated, doc.text, json.dumps(data, ensure_ascii=False, sort_keys=True), n_terms, batch,
    ]  # fmt: skip


def _diag_row(diag: Diagnostic, batch: int) -> list[Any]:
    data = diagnostic_json(diag)
    return [data["source"], data["code"], data["severity"], data["message"], data["doc_id"], batch]
