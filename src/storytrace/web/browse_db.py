"""The browsing database: a SQLite export of a dossier, or of a store with its corrections.

``build_sqlite`` writes every table of ``records.tables.table_rows`` (without the
``record`` JSON) plus ``documents``, ``sources`` (one row per speaker) and
``outlets``, adds a ``published`` day to the tables a reader filters by date, and
a full-text index (SQLite FTS5, ``unicode61``, accents folded) on the text columns;
``build_sqlite_from_store`` streams the same from a store, ``correct_sqlite``
overlays a store's corrections on a copy. :mod:`storytrace.web.browse` serves it.

DOCS: docs/web.md
"""


from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from storytrace.pipeline import run as pipeline
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Dossier
from storytrace.records.corrections import Correction, apply_corrections, effective
from storytrace.records.tables import TABLES, TABLES_BY_NAME, row_id, table_rows
from storytrace.store import Store, analysis

#: Tables whose rows carry a ``doc_id`` and get that article's publication day.
_DATED = ("quotes", "claim_mentions", "story_documents", "entity_mentions")
#: Full-text indexes: table -> indexed columns.
FTS = {
    "documents": ("title", "outlet", "author", "text"),
    "stories": ("headline", "top_terms", "top_names"),
    "claims": ("text",),
    "claim_mentions": ("text", "speaker", "chain"),
    "quotes": ("text", "speaker", "speaker_resolved", "chain"),
    "entities": ("canonical", "surface_forms"),
    "sources": ("name", "chains"),
}
#: Facets shown by default, per table (Datasette ``facets``); arrays use ``{"array": col}``.
FACETS: dict[str, list[Any]] = {
    "stories": [{"array": "outlets"}],
    "claims": ["story_id", "verdict"],
    "claim_mentions": ["story_id", "outlet", "speaker", "anonymous", "stance"],
    "quotes": ["story_id", "outlet", "speaker_resolved", "anonymous", "stance", "kind"],
    "sources": ["anonymous"],
    "entities": ["label"],
    "documents": ["outlet"],
    "story_documents": ["story_id", "outlet"],
    "disagreements": ["story_id", "kind"],
    "drift": ["story_id", "kind"],
}


def source_id(name: str) -> str:
    """A speaker's stable key: the same name (case folded) always gives the same key."""
    return row_id("source", name.casefold())


def speaker_of(resolved: str | None, text: str | None) -> str | None:
    """The name a quote's speaker is listed under: resolved when known, else as printed."""
    return (resolved or text or "").strip() or None


def build_sqlite(dossier: Dossier, path: Path) -> Path:
    """Write the browsing database of ``dossier`` to ``path`` (replaced if present).

    Used when the store holds no current analysis (it was computed in memory);
    ``build_sqlite_from_store`` copies a stored analysis without reading it whole.

    Args:
        dossier (Dossier): an analysis result, corrections applied.
        path (Path): the SQLite file to write.

    Returns:
        Path: ``path``.
    """
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        data = table_rows(dossier)
        for table in TABLES:
            keep = [i for i, (name, _) in enumerate(table.columns) if name not in ("ord", "record")]
            cols = [table.columns[i] for i in keep]
            _create_table(con, table.name, cols)
            _insert(
                con,
                table.name,
                _browse_rows(
                    table.name, cols, (tuple(row[i] for i in keep) for row in data[table.name])
                ),
            )
        _create(con, "documents", *_documents(dossier))
        _finish(con)
        con.commit()
    finally:
        con.close()
    return path


#: Rows copied from DuckDB to SQLite per ``executemany``.
CHUNK = 5000


def build_sqlite_from_store(
    store: Store, path: Path, corrections: Sequence[Correction] = ()
) -> Path:
    """Write the browsing database of a store's stored analysis to ``path``, table by table.

    The analysis tables are streamed from DuckDB into SQLite in chunks of ``CHUNK``
    rows (no dossier is built: the ``record`` JSON is never read), the effective
    ``corrections`` are laid over the rows they touch (``_overlay``: the stories
    and entities they name are read back, corrected and projected again), then
    ``documents``, ``sources``, ``outlets``, dates, indexes and full-text indexes are
    added as for ``build_sqlite``. The file is written under a temporary name and
    renamed when complete. The caller checked that the stored analysis is current.

    Args:
        store (Store): an open store (any cursor of it; it is only read).
        path (Path): the SQLite file to write (replaced when complete).
        corrections (Sequence[Correction]): every stored correction, undone ones included.

    Returns:
        Path: ``path``.
    """
    with _sqlite_file(path) as con:
        for table in TABLES:
            cols = [(n, t) for n, t in table.columns if n not in ("ord", "record")]
            _create_table(con, table.name, cols)
            names = ", ".join(f'"{n}"' for n, _ in cols)
            order = " ORDER BY ord" if table.section is not None else ""
            for chunk in _chunks(store, f'SELECT {names} FROM "{table.name}"{order}'):
                _insert(con, table.name, _browse_rows(table.name, cols, chunk))
        _create_table(con, "documents", _DOCUMENT_COLUMNS)
        for chunk in _chunks(store, _STORED_DOCUMENTS):
            _insert(con, "documents", chunk)
        _finish(con)
        _overlay(con, store, corrections)
    return path


def correct_sqlite(base: Path, store: Store, path: Path, corrections: Sequence[Correction]) -> Path:
    """The browsing database ``base`` (built without corrections by
    ``build_sqlite_from_store``) with ``corrections`` laid over it, written to ``path``:
    a copy of the file in which only the rows the corrections touch, their full-text
    entries and the derived ``sources`` and ``outlets`` are made again.

    Returns:
        Path: ``path``.
    """
    with _sqlite_file(path, start_from=base) as con:
        _overlay(con, store, corrections)
    return path


def _chunks(store: Store, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of a query of the store, ``CHUNK`` at a time, through a cursor of its own."""
    cursor = store.con.cursor()
    try:
        cursor.execute(sql)
        while chunk := cursor.fetchmany(CHUNK):
            yield chunk
    finally:
        cursor.close()


@contextmanager
def _sqlite_file(path: Path, start_from: Path | None = None) -> Iterator[sqlite3.Connection]:
    """A connection to a private temporary beside ``path`` (a copy of ``start_from``, or
    empty), committed and renamed over ``path`` when the block ends; removed on any error,
    so a page never opens a half-written database."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
    partial.unlink(missing_ok=True)
    if start_from is not None:
        shutil.copyfile(start_from, partial)
    con = sqlite3.connect(partial)
    try:
        yield con
        con.commit()
    except BaseException:
        con.close()
        partial.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(partial, path)


def _overlay(con: sqlite3.Connection, store: Store, corrections: Sequence[Correction]) -> None:
    """Lay the effective corrections over a finished browsing database.

    The stories, articles and entities they touch (``analysis.correction_scope``)
    are read back from the store, corrected by ``apply_corrections`` (the one
    function every report uses), projected by ``records.tables`` again and put in
    place of their rows, keeping the rows' positions, with their full-text entries,
    dates and source ids; ``sources`` and ``outlets`` are made again.
    """
    applied = effective(corrections)
    if not applied:
        return
    _functions(con)
    scope = analysis.correction_scope(store.con, applied)
    doc_ids, records = analysis.read_scope(store.con, scope)
    docs = [d for d in (store.document(i) for i in doc_ids) if d is not None]
    base = pipeline.assemble(docs, (), AnalyzeConfig(), store.document_stages())
    data = table_rows(apply_corrections(store.stored_dossier(base, records), applied))
    stories, documents = sorted(scope.stories), sorted(scope.documents)
    marks = ", ".join("?" for _ in stories)
    claim_ids = [
        r[0]
        for r in con.execute(f"SELECT claim_id FROM claims WHERE story_id IN ({marks})", stories)
    ]
    entities = sorted(scope.entities)
    for name, column, values in (
        ("stories", "story_id", stories), ("story_documents", "story_id", stories),
        ("claims", "story_id", stories), ("claim_mentions", "story_id", stories),
        ("claim_origins", "claim_id", claim_ids), ("quotes", "doc_id", documents),
        ("entities", "entity_id", entities), ("entity_mentions", "entity_id", entities),
    ):  # fmt: skip
        table = TABLES_BY_NAME[name]
        keep = [i for i, (n, _) in enumerate(table.columns) if n not in ("ord", "record")]
        cols = [table.columns[i] for i in keep]
        rows = _browse_rows(name, cols, (tuple(r[i] for i in keep) for r in data[name]))
        _replace_rows(con, name, column, values, [n for n, _ in cols], rows)
    for name in ("sources", "outlets"):
        if name in FTS:
            con.execute(f'DROP TABLE "{name}_fts"')
        con.execute(f'DROP TABLE "{name}"')
    _create(con, "sources", *_sources_from_tables(con), key=("source_id",))
    _create(con, "outlets", *_outlets(con))
    _index(con, "sources", FTS["sources"])


def _replace_rows(  # noqa: PLR0913 -- one table's rows, where, and their columns
    con: sqlite3.Connection,
    name: str,
    column: str,
    values: list[str],
    names: list[str],
    rows: list[tuple[Any, ...]],
) -> None:
    """Rows whose ``column`` is in ``values`` replaced by ``rows`` (of the columns ``names``)
    at the same rowids, in order; their full-text entries, ``published`` and ``source_id``
    follow."""
    marks = ", ".join("?" for _ in values)
    where = f'WHERE "{column}" IN ({marks})'
    old = [r[0] for r in con.execute(f'SELECT rowid FROM "{name}" {where} ORDER BY rowid', values)]
    fts = FTS.get(name, ())
    text = ", ".join(f'"{c}"' for c in fts)
    if fts:  # an external-content index forgets a row only when told its old values
        con.execute(
            f'INSERT INTO "{name}_fts"("{name}_fts", rowid, {text}) '
            f"SELECT 'delete', rowid, {text} FROM \"{name}\" {where}",
            values,
        )
    con.execute(f'DELETE FROM "{name}" {where}', values)
    top = con.execute(f'SELECT coalesce(max(rowid), 0) FROM "{name}"').fetchone()[0]
    start = max([top, *old]) + 1
    ids = [*old[: len(rows)], *range(start, start + max(0, len(rows) - len(old)))]
    if not rows:
        return
    columns = ", ".join(f'"{n}"' for n in names)
    con.executemany(
        f'INSERT INTO "{name}" (rowid, {columns}) VALUES ({", ".join("?" for _ in range(len(names) + 1))})',
        [(i, *row) for i, row in zip(ids, rows, strict=True)],
    )
    new = ", ".join(str(int(i)) for i in ids)
    if name in _DATED:
        con.execute(
            f'UPDATE "{name}" SET published = (SELECT d.published FROM documents d '
            f'WHERE d.doc_id = "{name}".doc_id) WHERE rowid IN ({new})'
        )
    if name == "quotes":
        con.execute(
            f"UPDATE quotes SET source_id = source_key(speaker_resolved, speaker) WHERE rowid IN ({new})"
        )
    if name == "claim_mentions":
        con.execute(
            f"UPDATE claim_mentions SET source_id = mention_key(speaker) WHERE rowid IN ({new})"
        )
    if fts:
        con.execute(
            f'INSERT INTO "{name}_fts"(rowid, {text}) SELECT rowid, {text} FROM "{name}" '
            f"WHERE rowid IN ({new})"
        )


#: The stored documents as ``_documents`` lists them: an undated article's inferred day.
_STORED_DOCUMENTS = """
SELECT d.doc_id, d.title, d.outlet, d.author,
       CASE WHEN i.earliest IS NOT NULL THEN substr(i.earliest, 1, 10)
            ELSE substr(d.published_earliest, 1, 10) END,
       CASE WHEN d.source_member IS NULL THEN d.source_path
            ELSE d.source_path || ' [' || d.source_member || ']' END,
       d.text
FROM documents d LEFT JOIN date_inferences i ON i.doc_id = d.doc_id
ORDER BY d.doc_id
"""


def _finish(con: sqlite3.Connection) -> None:
    """What both builds add after the tables: keys, sources, outlets, dates, full text."""
    for table in TABLES:
        _key_index(con, table.name, table.key)
    _key_index(con, "documents", ("doc_id",))
    _add_source_ids(con)
    _create(con, "sources", *_sources_from_tables(con), key=("source_id",))
    _create(con, "outlets", *_outlets(con))
    for name in _DATED:
        _add_published(con, name)
    for name, columns in FTS.items():
        _index(con, name, columns)


def _browse_rows(
    name: str, cols: list[tuple[str, str]], found: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    rows = [tuple(_cell(v) for v in row) for row in found]
    return [_outlets_as_array(cols, row) for row in rows] if name == "stories" else rows


def _cell(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _outlets_as_array(cols: list[tuple[str, str]], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """``stories.outlets`` as a JSON list, so a facet lists each outlet, not each combination."""
    i = [n for n, _ in cols].index("outlets")
    names = [o for o in (row[i] or "").split("; ") if o]
    return (*row[:i], json.dumps(names, ensure_ascii=False), *row[i + 1 :])


_SQLITE_TYPE = {"INTEGER": "INTEGER", "DOUBLE": "REAL", "BOOLEAN": "INTEGER"}


def _create_table(con: sqlite3.Connection, name: str, cols: Sequence[tuple[str, str]]) -> None:
    spec = ", ".join(f'"{n}" {_SQLITE_TYPE.get(t, "TEXT")}' for n, t in cols)
    con.execute(f'CREATE TABLE "{name}" ({spec})')


def _insert(con: sqlite3.Connection, name: str, rows: Iterable[Sequence[Any]]) -> None:
    found = list(rows)
    if found:
        marks = ", ".join("?" for _ in found[0])
        con.executemany(f'INSERT INTO "{name}" VALUES ({marks})', found)


def _key_index(con: sqlite3.Connection, name: str, key: Iterable[str]) -> None:
    cols_sql = ", ".join(f'"{k}"' for k in key)
    if cols_sql:
        con.execute(f'CREATE INDEX "{name}_key" ON "{name}" ({cols_sql})')


def _create(
    con: sqlite3.Connection,
    name: str,
    cols: list[tuple[str, str]],
    rows: Iterable[tuple[Any, ...]],
    key: Iterable[str] = (),
) -> None:
    _create_table(con, name, cols)
    _insert(con, name, rows)
    _key_index(con, name, key)


_DOCUMENT_COLUMNS = [
    (n, "VARCHAR") for n in ("doc_id", "title", "outlet", "author", "published", "source", "text")
]


def _documents(dossier: Dossier) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    rows = []
    for d in dossier.documents:
        m = d.metadata
        day = m.published.earliest.isoformat()[:10] if m.published.earliest else None
        rows.append(
            (d.doc_id, m.title.value, m.outlet.value, m.author.value, day, str(d.source), d.text)
        )
    return _DOCUMENT_COLUMNS, rows


def _source_key(resolved: str | None, text: str | None) -> str | None:
    name = speaker_of(resolved, text)
    return None if name is None else source_id(name)


def _mention_key(speaker: str | None) -> str | None:
    return source_id(speaker) if speaker else None


def _functions(con: sqlite3.Connection) -> None:
    """``source_key`` and ``mention_key`` for SQL on this connection."""
    try:
        con.create_function("source_key", 2, _source_key, deterministic=True)
        con.create_function("mention_key", 1, _mention_key, deterministic=True)
    except sqlite3.OperationalError:  # registered already (SQLite will not replace it)
        pass


def _add_source_ids(con: sqlite3.Connection) -> None:
    """``source_id`` on quotes and claim mentions (indexed): what a source page reads."""
    _functions(con)
    con.execute("ALTER TABLE quotes ADD COLUMN source_id TEXT")
    con.execute("UPDATE quotes SET source_id = source_key(speaker_resolved, speaker)")
    con.execute("ALTER TABLE claim_mentions ADD COLUMN source_id TEXT")
    con.execute("UPDATE claim_mentions SET source_id = mention_key(speaker)")
    con.execute("CREATE INDEX quotes_source ON quotes (source_id)")
    con.execute("CREATE INDEX claim_mentions_source ON claim_mentions (source_id)")


def _sources_from_tables(
    con: sqlite3.Connection,
) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    """One row per speaker: quotes and claim mentions credited to the name, through whom.

    Read from the (corrected) ``quotes`` and ``claim_mentions`` tables in their
    order, so a speaker is listed under the first name it was found with.
    """
    quotes: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    anonymous: dict[str, bool] = {}
    chains: defaultdict[str, set[str]] = defaultdict(set)
    docs: defaultdict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    found = con.execute(
        "SELECT 0 AS k, rowid AS r, speaker_resolved, speaker, anonymous, doc_id, chain FROM quotes "
        "UNION ALL SELECT 1, rowid, speaker, NULL, anonymous, doc_id, chain FROM claim_mentions "
        "ORDER BY k, r"
    )
    for kind, _, resolved, text, anon, doc_id, chain in found:
        name = speaker_of(resolved, text) if kind == 0 else (resolved or None)
        if name is None:
            continue
        key = source_id(name)
        names.setdefault(key, name)
        (quotes if kind == 0 else mentions)[key] += 1
        anonymous[key] = anonymous.get(key, True) and bool(anon)
        docs[key].add(doc_id)
        if chain:
            chains[key].add(chain)
    cols = [("source_id", "VARCHAR"), ("name", "VARCHAR"), ("anonymous", "BOOLEAN"),
            ("quotes", "INTEGER"), ("claim_mentions", "INTEGER"), ("articles", "INTEGER"),
            ("chains", "VARCHAR")]  # fmt: skip
    rows = [
        (key, name, anonymous[key], quotes[key], mentions[key], len(docs[key]),
         "; ".join(sorted(chains[key])))
        for key, name in sorted(names.items(), key=lambda kv: kv[1].casefold())
    ]  # fmt: skip
    return cols, rows


def _outlets(con: sqlite3.Connection) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    rows = con.execute(
        """SELECT d.outlet, count(DISTINCT d.doc_id),
                  (SELECT count(DISTINCT story_id) FROM story_documents s WHERE s.outlet = d.outlet),
                  (SELECT count(*) FROM quotes q WHERE q.outlet = d.outlet),
                  (SELECT count(*) FROM claim_mentions m WHERE m.outlet = d.outlet)
           FROM documents d WHERE d.outlet IS NOT NULL GROUP BY d.outlet ORDER BY d.outlet"""
    ).fetchall()
    cols = [("outlet", "VARCHAR"), ("articles", "INTEGER"), ("stories", "INTEGER"),
            ("quotes", "INTEGER"), ("claim_mentions", "INTEGER")]  # fmt: skip
    return cols, rows


def _add_published(con: sqlite3.Connection, name: str) -> None:
    con.execute(f'ALTER TABLE "{name}" ADD COLUMN published TEXT')
    con.execute(
        f'UPDATE "{name}" SET published = '
        f'(SELECT d.published FROM documents d WHERE d.doc_id = "{name}".doc_id)'
    )


def _index(con: sqlite3.Connection, name: str, columns: tuple[str, ...]) -> None:
    cols = ", ".join(f'"{c}"' for c in columns)
    con.execute(
        f'CREATE VIRTUAL TABLE "{name}_fts" USING fts5({cols}, content="{name}", '
        "tokenize='unicode61 remove_diacritics 2')"
    )
    con.execute(f'INSERT INTO "{name}_fts"("{name}_fts") VALUES (\'rebuild\')')


