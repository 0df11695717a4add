"""Browsing tables like Datasette, because it is Datasette: a SQLite export of a dossier.

The browsing database (:mod:`storytrace.web.browse_db`) holds the dossier's tables with
their full-text indexes. ``Browser`` serves that file with Datasette under ``/data/``: facets, filters,
sorting, pagination, CSV/JSON downloads and shareable URLs are Datasette's own.

What storytrace adds:

* the file is opened **immutable** and SQL writing is impossible: Datasette 0.65
  has no write API, custom SQL is switched off (``default_allow_sql``), no
  plugin beyond this module's is loaded;
* ``escape_fts`` is replaced (a ``prepare_connection`` hook that runs last) by
  ``fts_query``: ``"exact phrases"`` stay phrases, ``word*`` is a prefix, every
  other word is quoted, so ``4.4`` is the phrase ``4 4`` -- it finds "4.4", never
  every "4" -- and no FTS5 operator typed by a reader is ever run;
* claim and source ids link to this app's ``/claim/`` and ``/source/`` pages.

DOCS: docs/web.md
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

from storytrace.records.tables import TABLES
from storytrace.web.browse_db import FACETS, FTS, speaker_of

_log = logging.getLogger(__name__)

DATABASE = "storytrace"
MOUNT = "/data"


_TERM = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(typed: str) -> str:
    """A reader's search as a safe FTS5 query: phrases, prefixes, every word literal.

    ``"missile strike"`` stays a phrase, ``missil*`` is a prefix, ``4.4`` becomes
    ``"4.4"`` (the phrase of the tokens 4 and 4), and ``OR``/``NEAR``/``-``/``:``
    are searched as text, never run as operators.

    Args:
        typed (str): what was typed in the search box.

    Returns:
        str: an FTS5 MATCH expression (all terms must match); ``'""'`` for nothing.
    """
    if typed.count('"') % 2:
        typed += '"'
    parts = []
    for phrase, word in _TERM.findall(typed):
        if phrase:
            parts.append(f'"{phrase}"')
        elif word.endswith("*") and re.search(r"\w", word[:-1]):
            parts.append('"{}"*'.format(word.rstrip("*").replace('"', "")))
        elif re.search(r"\w", word):
            parts.append('"{}"'.format(word.replace('"', "")))
    return " ".join(parts) or '""'


def metadata() -> dict[str, Any]:
    """Datasette's metadata: titles, default facets, custom SQL denied."""
    tables: dict[str, Any] = {}
    for name in (*(t.name for t in TABLES), "documents", "sources", "outlets"):
        spec: dict[str, Any] = {"facets": FACETS.get(name, [])}
        if name in FTS:
            spec["fts_table"] = f"{name}_fts"
            spec["fts_pk"] = "rowid"
        tables[name] = spec
    return {
        "title": "storytrace: browse the analysis",
        "description": "Read-only. Stories, claims, quotes, sources, outlets and entities of this store.",
        "allow_sql": False,
        "databases": {DATABASE: {"allow_sql": False, "tables": tables}},
    }


SETTINGS: dict[str, Any] = {
    "base_url": MOUNT + "/",
    "default_allow_sql": False,
    "allow_download": False,
    "suggest_facets": False,
    "default_page_size": 50,
    "max_returned_rows": 1000,
    "sql_time_limit_ms": 3000,
    "num_sql_threads": 2,
    "template_debug": False,
    "trace_debug": False,
}


# --- the Datasette plugin (registered once per process) ------------------------------


F = TypeVar("F", bound=Callable[..., Any])


def _hook(**options: Any) -> Callable[[F], F]:
    """Datasette's ``hookimpl``, typed."""
    from datasette import hookimpl

    return cast(Callable[[F], F], hookimpl(**options))


def _hookimpls() -> Any:
    from markupsafe import Markup

    class _Plugin:
        @staticmethod
        @_hook(trylast=True)
        def prepare_connection(conn: sqlite3.Connection) -> None:
            # after Datasette's own: ours is the escape_fts every search runs through
            conn.create_function("escape_fts", 1, fts_query)

        @staticmethod
        @_hook()
        def handle_exception(request: Any, exception: BaseException) -> Any:
            # our error page and JSON shape, not Datasette's (which prints locals to the terminal)
            from datasette.utils.asgi import Response
            from datasette.views.base import DatasetteError

            from storytrace.report import render

            status = getattr(exception, "status", 500)
            status = status if isinstance(status, int) and 400 <= status < 600 else 500
            if isinstance(exception, DatasetteError) and status == 500:
                status = 400  # a sort, facet or filter the table does not have
            message = str(exception.args[0]) if exception.args else "the table view failed"
            if status >= 500:
                _log.error("browsing failed: %s", exception, exc_info=exception)
                message = "the table view failed"
            if request.path.endswith(".json") or "_shape" in request.args:
                code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status, "error")
                body = {"error": {"status": status, "code": code, "message": message}}
                return Response.json(body, status=status)
            return Response.html(render.render_web_error(status, message), status=status)

        @staticmethod
        @_hook()
        def render_cell(value: Any, column: str, table: str | None) -> Any:
            if not isinstance(value, str) or table is None:
                return None
            if column == "claim_id" and re.fullmatch(r"[\w.:-]{1,80}", value):
                return Markup('<a href="/claim/{}">{}</a>').format(value, value)
            if column == "source_id" and re.fullmatch(r"[0-9a-f]{16}", value):
                return Markup('<a href="/source/{}">{}</a>').format(value, value)
            return None

    return _Plugin


def register_plugin() -> None:
    """Register this module's Datasette hooks, once."""
    from datasette.plugins import pm

    if pm.get_plugin("storytrace") is None:
        pm.register(_hookimpls(), name="storytrace")
    # Datasette's default error handler prints every 404 with its locals to the
    # terminal; ours answers instead (every handler's response is awaited).
    if pm.get_plugin("datasette.handle_exception") is not None:
        pm.unregister(name="datasette.handle_exception")


def inline_script_hashes() -> tuple[str, ...]:
    """CSP hashes of the two constant inline scripts Datasette's table pages carry.

    Read from Datasette's own templates (``DATASETTE_ALLOW_FACET = true;`` and the
    close-open-menus handler), so a Datasette upgrade that changes them shows as
    blocked scripts in the browser tests, not as silently allowed new ones.
    """
    from importlib import resources

    folder = resources.files("datasette") / "templates"
    found = []
    for name in ("table.html", "_close_open_menus.html"):
        text = (folder / name).read_text(encoding="utf-8")
        for body in re.findall(r"<script>(.*?)</script>", text, re.S):
            body = body.replace("{{ datasette_allow_facet }}", "true")
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            found.append(f"'sha256-{digest}'")
    return tuple(found)


class Browser:
    """One immutable browsing database and the Datasette app serving it."""

    def __init__(self, path: Path) -> None:
        from datasette.app import Datasette

        register_plugin()
        self.path = path
        self.datasette = Datasette(
            immutables=[str(path)], settings=SETTINGS, metadata=metadata(), memory=False
        )
        self.app = self.datasette.app()


# --- pages read from the browsing database by indexed queries ------------------------------


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def source_page(path: Path, key: str) -> dict[str, Any] | None:
    """Everything a source said, through whom, where (``pages.source_view``'s shape), read
    from the browsing database by its indexed ``source_id`` columns; ``None`` when no
    speaker has ``key``. Corrections are in it already."""
    con = _open(path)
    try:
        quotes = [
            {"quote_id": r[0], "doc_id": r[1], "title": r[2], "outlet": r[3], "published": r[4],
             "kind": r[5], "speaker_text": r[6], "speaker": speaker_of(r[7], r[6]),
             "anonymous": bool(r[8]), "chain": r[9] or "", "text": r[10] or "", "stance": r[11]}
            for r in con.execute(
                "SELECT q.quote_id, q.doc_id, d.title, d.outlet, d.published, q.kind, q.speaker, "
                "q.speaker_resolved, q.anonymous, q.chain, q.text, q.stance FROM quotes q "
                "LEFT JOIN documents d ON d.doc_id = q.doc_id WHERE q.source_id = ? ORDER BY q.rowid",
                [key],
            )
        ]  # fmt: skip
        found = con.execute(
            "SELECT m.claim_id, c.text, m.doc_id, d.title, d.outlet, m.chain, m.stance, m.text, "
            "m.speaker FROM claim_mentions m LEFT JOIN claims c ON c.claim_id = m.claim_id "
            "LEFT JOIN documents d ON d.doc_id = m.doc_id WHERE m.source_id = ? ORDER BY m.rowid",
            [key],
        ).fetchall()
    finally:
        con.close()
    mentions = [
        {"claim_id": r[0], "claim": r[1], "doc_id": r[2], "title": r[3], "outlet": r[4],
         "chain": r[5], "stance": r[6], "text": r[7]}
        for r in found
    ]  # fmt: skip
    name = quotes[0]["speaker"] if quotes else found[0][8] if found else None
    if name is None:
        return None
    articles = {x["doc_id"]: x for x in (*quotes, *mentions)}
    return {
        "source_id": key, "name": name, "quotes": quotes, "mentions": mentions,
        "chains": sorted({x["chain"] for x in (*quotes, *mentions) if x["chain"]}),
        "articles": [{"doc_id": d, "title": x["title"], "outlet": x["outlet"]} for d, x in articles.items()],
    }  # fmt: skip


#: Stories listed per page of the story index (``/dossier``).
STORIES_PER_PAGE = 100


def story_index(path: Path, page: int) -> tuple[int, list[dict[str, Any]]]:
    """How many stories there are, and page ``page`` (from 1) of them in the dossier's order
    with their verdict line: what ``/dossier`` lists. Corrections are in it already."""
    con = _open(path)
    try:
        total = int(con.execute("SELECT count(*) FROM stories").fetchone()[0])
        found = con.execute(
            "SELECT s.story_id, s.headline, s.size, s.outlets, s.earliest, s.latest, v.line "
            "FROM stories s LEFT JOIN verdicts v ON v.story_id = s.story_id "
            "ORDER BY s.rowid LIMIT ? OFFSET ?",
            [STORIES_PER_PAGE, (page - 1) * STORIES_PER_PAGE],
        ).fetchall()
    finally:
        con.close()
    return total, [
        {"story_id": r[0], "headline": r[1], "size": r[2], "outlets": json.loads(r[3] or "[]"),
         "earliest": r[4], "latest": r[5], "verdict": r[6]}
        for r in found
    ]  # fmt: skip
