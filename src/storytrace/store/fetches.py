"""The fetch log of ``storytrace collect``: one row per URL fetched, and the versions it found.

A page's content decides its document (the store's identity is the content
hash), so a page edited since the last fetch becomes a new document; the
``fetches`` table links a URL to all of them, and the ``versions`` view lists
each distinct version of a URL with when it was first and last seen. A 304
answer repeats the current version's validators, digest and document, so the
newest row of a URL always describes the version the store holds.

The tables are created by the first collect into a store; a store that was
never collected into has none, and every reader here answers "nothing".

DOCS: docs/collect.md
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from storytrace.store.duck import Store

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS fetches (
        run VARCHAR NOT NULL,
        url VARCHAR NOT NULL,
        final_url VARCHAR,
        kind VARCHAR NOT NULL,
        via VARCHAR,
        fetched_at VARCHAR NOT NULL,
        status INTEGER,
        etag VARCHAR,
        last_modified VARCHAR,
        sha256 VARCHAR,
        doc_id VARCHAR,
        warc_file VARCHAR,
        warc_offset BIGINT,
        redirects JSON NOT NULL,
        problem VARCHAR,
        detail VARCHAR
    )""",
    """CREATE VIEW IF NOT EXISTS versions AS
        SELECT url, doc_id, sha256, min(fetched_at) AS first_seen, max(fetched_at) AS last_seen,
               count(*) AS fetches
        FROM fetches WHERE doc_id IS NOT NULL AND kind = 'page'
        GROUP BY url, doc_id, sha256""",
)

_COLUMNS = (
    "run, url, final_url, kind, via, fetched_at, status, etag, last_modified, sha256, doc_id, "
    "warc_file, warc_offset, redirects, problem, detail"
)

#: Statuses after which a page counts as removed.
GONE_STATUSES = (404, 410)


@dataclass(frozen=True, slots=True)
class FetchRow:
    """One fetch of one URL, as stored.

    Attributes:
        run (str): the collect run (its UTC start time).
        url (str): the URL asked for.
        final_url (str | None): where the answer came from after redirects.
        kind (str): ``page``, ``feed`` or ``sitemap``.
        via (str | None): the feed or sitemap that listed the page, if any.
        fetched_at (str): when (ISO 8601, UTC).
        status (int | None): the final HTTP status (``None``: no answer).
        etag (str | None): the version's ``ETag``.
        last_modified (str | None): the version's ``Last-Modified``.
        sha256 (str | None): SHA-256 of the (decoded) body.
        doc_id (str | None): the document the body became (pages only).
        warc_file (str | None): the WARC file holding the response record.
        warc_offset (int | None): the record's offset in that file.
        redirects (tuple[tuple[int, str], ...]): each redirect hop: status and URL.
        problem (str | None): a fetch problem code (``ST23x``), if any.
        detail (str | None): what the problem was.
    """

    run: str
    url: str
    final_url: str | None
    kind: str
    via: str | None
    fetched_at: str
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    doc_id: str | None = None
    warc_file: str | None = None
    warc_offset: int | None = None
    redirects: tuple[tuple[int, str], ...] = ()
    problem: str | None = None
    detail: str | None = None


def ensure_tables(store: Store) -> None:
    """Create the fetch log in a writable store (a no-op when it exists)."""
    for statement in _SCHEMA:
        store.con.execute(statement)


def _has_log(store: Store) -> bool:
    rows = store.query(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'fetches'"
    )
    return bool(rows and rows[0][0])


def add_fetches(store: Store, rows: list[FetchRow]) -> None:
    """Append fetch rows in one transaction."""
    if not rows:
        return
    ensure_tables(store)
    values = [_row_values(r) for r in rows]
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.executemany(
            f"INSERT INTO fetches ({_COLUMNS}) VALUES ({', '.join('?' * 16)})", values
        )
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise


def _row_values(row: FetchRow) -> list[Any]:
    return [
        row.run, row.url, row.final_url, row.kind, row.via, row.fetched_at, row.status,
        row.etag, row.last_modified, row.sha256, row.doc_id, row.warc_file, row.warc_offset,
        json.dumps([list(hop) for hop in row.redirects]), row.problem, row.detail,
    ]  # fmt: skip


def _from_values(values: tuple[Any, ...]) -> FetchRow:
    redirects = tuple((int(s), str(u)) for s, u in json.loads(values[13] or "[]"))
    run, url, final_url, kind, via, fetched_at, status, etag, last_modified = values[:9]
    sha256, doc_id, warc_file, warc_offset = values[9:13]
    return FetchRow(
        run, url, final_url, kind, via, fetched_at, status, etag, last_modified,
        sha256, doc_id, warc_file, warc_offset, redirects, values[14], values[15],
    )  # fmt: skip


def current(store: Store, url: str) -> FetchRow | None:
    """The newest fetch of ``url`` that got the page or a 304 (the version held)."""
    if not _has_log(store):
        return None
    rows = store.query(
        f"SELECT {_COLUMNS} FROM fetches WHERE url = ? AND status IN (200, 304) "
        "ORDER BY fetched_at DESC, rowid DESC LIMIT 1",
        [url],
    )
    return _from_values(rows[0]) if rows else None


def current_versions(store: Store) -> dict[str, FetchRow]:
    """``current`` for every URL, in one query (a run reads it once, not once a URL)."""
    if not _has_log(store):
        return {}
    rows = store.query(
        f"""SELECT {_COLUMNS} FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS n
                FROM fetches WHERE status IN (200, 304))
            WHERE n = 1"""
    )
    return {row.url: row for row in map(_from_values, rows)}


def last_statuses(store: Store) -> dict[str, int | None]:
    """The status of each URL's newest fetch (``None``: no answer), in one query."""
    if not _has_log(store):
        return {}
    rows = store.query(
        """SELECT url, status FROM (
               SELECT url, status, row_number() OVER (
                   PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS n
               FROM fetches)
           WHERE n = 1"""
    )
    return {url: status for url, status in rows}


def pages_listed(store: Store) -> dict[str, list[str]]:
    """``listed_pages`` of every feed or sitemap, in one query: source to page URLs."""
    if not _has_log(store):
        return {}
    rows = store.query(
        """SELECT DISTINCT f.via, f.url FROM fetches f
           JOIN (SELECT url, status, row_number() OVER (
                     PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS n
                 FROM fetches WHERE kind = 'page') last ON last.url = f.url AND last.n = 1
           WHERE f.kind = 'page' AND f.via IS NOT NULL
             AND (last.status IS NULL OR last.status NOT IN (404, 410))
           ORDER BY f.via, f.url"""
    )
    found: dict[str, list[str]] = {}
    for via, url in rows:
        found.setdefault(via, []).append(url)
    return found


def last_status(store: Store, url: str) -> int | None:
    """The status of the newest fetch of ``url`` (``None``: never answered or never fetched)."""
    if not _has_log(store):
        return None
    rows = store.query(
        "SELECT status FROM fetches WHERE url = ? ORDER BY fetched_at DESC, rowid DESC LIMIT 1",
        [url],
    )
    return rows[0][0] if rows else None


def listed_pages(store: Store, sources: list[str]) -> list[str]:
    """Pages ever listed by these feeds or sitemaps (or named directly), not since removed."""
    if not _has_log(store) or not sources:
        return []
    rows = store.query(
        """SELECT url FROM (
               SELECT url, status, via, row_number() OVER (
                   PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS n
               FROM fetches WHERE kind = 'page')
           WHERE n = 1 AND (status IS NULL OR status NOT IN (404, 410))
             AND url IN (SELECT url FROM fetches
                         WHERE kind = 'page' AND (via IN (SELECT unnest(?::VARCHAR[]))
                                                  OR url IN (SELECT unnest(?::VARCHAR[]))))
           ORDER BY url""",
        [sources, sources],
    )
    return [r[0] for r in rows]


def versions(store: Store, url: str) -> list[tuple[str, str]]:
    """Each distinct version of ``url``: its document id and when first seen, oldest first."""
    if not _has_log(store):
        return []
    rows = store.query(
        "SELECT doc_id, first_seen FROM versions WHERE url = ? ORDER BY first_seen, doc_id", [url]
    )
    return [(r[0], r[1]) for r in rows]


def superseded(store: Store) -> set[str]:
    """Documents that are an earlier version of a page and the current version of none.

    A watch analyses the current version of each article; earlier versions stay
    in the store and the archive as evidence.
    """
    if not _has_log(store):
        return set()
    rows = store.query(
        """WITH latest AS (
               SELECT url, doc_id, row_number() OVER (
                   PARTITION BY url ORDER BY fetched_at DESC, rowid DESC) AS n
               FROM fetches
               WHERE kind = 'page' AND status IN (200, 304) AND doc_id IS NOT NULL)
           SELECT DISTINCT doc_id FROM fetches
           WHERE kind = 'page' AND doc_id IS NOT NULL
             AND doc_id NOT IN (SELECT doc_id FROM latest WHERE n = 1)"""
    )
    return {r[0] for r in rows}


def fetch_log(store: Store, run: str | None = None) -> list[FetchRow]:
    """Every fetch (of one run when given), in order."""
    if not _has_log(store):
        return []
    where, params = ("WHERE run = ?", [run]) if run else ("", [])
    rows = store.query(f"SELECT {_COLUMNS} FROM fetches {where} ORDER BY fetched_at, rowid", params)
    return [_from_values(r) for r in rows]


def document_text(store: Store, doc_id: str) -> str | None:
    """A stored document's text (``None`` when the page gave no document)."""
    rows = store.query("SELECT text FROM documents WHERE doc_id = ?", [doc_id])
    return str(rows[0][0]) if rows else None
