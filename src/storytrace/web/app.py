"""The local web UI: search and read the articles of a store; open its dossier.

Routes are thin: parse, call the store or the report renderer, render. The app
opens the store read-only and never writes. It renders with the same templates
and CSS as the static dossier, sends a Content-Security-Policy on every response
(scripts only by hash), accepts only well-formed document ids (no path is ever
built from a request), and answers every error under ``/api`` in one JSON shape:
``{"error": {"status": 404, "code": "not_found", "message": "..."}}``.

DOCS: docs/web.md
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from storytrace import __version__
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.run import analyze_corpus, assemble
from storytrace.records import codec
from storytrace.report import render, serialize
from storytrace.store import Store
from storytrace.store.search import SearchFilter

_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
_API_CSP = "default-src 'none'; frame-ancestors 'none'"


class StoreView:
    """A read-only store shared by request threads (DuckDB connections are not thread-safe)."""

    def __init__(self, db: Path) -> None:
        self.store = Store(db, read_only=True)
        self.lock = threading.Lock()

    def search(self, q: str, flt: SearchFilter, limit: int) -> list[dict[str, Any]]:
        with self.lock:
            hits = self.store.search(q, flt, limit)
            docs = [(self.store.document(doc_id), score) for doc_id, score in hits]
        return [_hit_json(doc, score, q) for doc, score in docs if doc is not None]

    def document(self, doc_id: str) -> Any:
        with self.lock:
            return self.store.document(doc_id)

    def all_documents(self) -> tuple[list[Any], tuple[Any, ...]]:
        with self.lock:
            return list(self.store.documents()), self.store.diagnostics()

    def outlets(self) -> list[tuple[str, int]]:
        with self.lock:
            return self.store.outlets()


def _snippet(text: str, query: str, width: int = 220) -> str:
    words = [w for w in re.findall(r"\w+", query) if len(w) > 2]
    match = next((m for w in words if (m := re.search(re.escape(w), text, re.IGNORECASE))), None)
    start = max(0, (match.start() if match else 0) - width // 3)
    return ("…" if start else "") + text[start : start + width].replace("\n", " ") + "…"


def _hit_json(doc: Any, score: float, query: str) -> dict[str, Any]:
    meta = doc.metadata
    return {
        "doc_id": doc.doc_id, "score": round(score, 4), "title": meta.title.value, "outlet": meta.outlet.value,
        "author": meta.author.value, "published": codec.display_date(meta.published),
        "source": str(doc.source), "snippet": _snippet(doc.text, query),
    }  # fmt: skip


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "code": code, "message": message}}, status_code=status
    )


def _filter(outlet: str | None, date_from: str | None, date_to: str | None) -> SearchFilter:
    for value in (date_from, date_to):
        if value and not _is_day(value):
            raise HTTPException(400, f"dates are real days written YYYY-MM-DD, got {value!r}")
    return SearchFilter(outlet or None, date_from or None, date_to or None)


def _is_day(value: str) -> bool:
    """``2025-04-08`` yes; ``2025-02-30`` and ``8 April`` no."""
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _query(q: str) -> str:
    """A search needs a word: '?', '%%' or '...' would match every article."""
    if q.strip() and not re.search(r"\w", q):
        raise HTTPException(400, "a search needs at least one word or number")
    return q


#: Host names the app answers to besides the one it was told to bind: loopback only.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def _valid_id(doc_id: str) -> str:
    if not _DOC_ID.match(doc_id):
        raise HTTPException(404, "no such document")
    return doc_id


def create_app(db: Path, hosts: Iterable[str] = ()) -> FastAPI:
    """The web app over one store file (opened read-only).

    Args:
        db (Path): the store.
        hosts (Iterable[str]): host names to answer besides the loopback ones (the
            address ``serve --host`` binds). A request naming any other ``Host`` is
            refused, so a page on another site cannot read the store through DNS
            rebinding.
    """
    view = StoreView(db)
    allowed = {h.lower() for h in (*LOOPBACK_HOSTS, *hosts)}
    app = FastAPI(
        title="storytrace",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    _install_handlers(app, allowed)
    _install_routes(app, view)
    return app


def _host_of(request: Request) -> str:
    """The Host header's name without its port: ``localhost:8765`` -> ``localhost``."""
    host = request.headers.get("host", "").lower().strip()
    if host.startswith("["):  # [::1]:8765
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _install_handlers(app: FastAPI, allowed: set[str]) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        if _host_of(request) not in allowed:
            response: Response = _error(400, "bad_request", "this Host is not served here")
        else:
            response = await call_next(request)
        is_api = request.url.path.startswith("/api")
        response.headers.setdefault("Content-Security-Policy", _API_CSP if is_api else _PAGE_CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(
            exc.status_code, "error"
        )
        if request.url.path.startswith("/api"):
            return _error(exc.status_code, code, str(exc.detail))
        page = render.render_web_error(exc.status_code, str(exc.detail))
        return HTMLResponse(page, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        message = (
            f"invalid {'.'.join(str(p) for p in first.get('loc', ()))}: {first.get('msg', '')}"
        )
        return _error(400, "bad_request", message)


SearchQ = Annotated[str, Query(max_length=500)]
OptStr = Annotated[str | None, Query(max_length=200)]


def _install_routes(app: FastAPI, view: StoreView) -> None:
    @app.api_route("/api/search", methods=["GET", "HEAD"])
    def api_search(q: SearchQ = "", outlet: OptStr = None, date_from: OptStr = None, date_to: OptStr = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:  # fmt: skip
        hits = view.search(_query(q), _filter(outlet, date_from, date_to), limit)
        return {"query": q, "count": len(hits), "results": hits}

    @app.api_route("/api/documents/{doc_id}", methods=["GET", "HEAD"])
    def api_document(doc_id: str) -> dict[str, Any]:
        doc = view.document(_valid_id(doc_id))
        if doc is None:
            raise HTTPException(404, "no such document")
        return codec.document_json(doc)

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def index(
        q: SearchQ = "", outlet: OptStr = None, date_from: OptStr = None, date_to: OptStr = None
    ) -> HTMLResponse:
        hits = view.search(_query(q), _filter(outlet, date_from, date_to), 200)
        form = {
            "q": q,
            "outlet": outlet or "",
            "date_from": date_from or "",
            "date_to": date_to or "",
        }
        return HTMLResponse(render.render_web_index(hits, view.outlets(), form))

    @app.api_route("/doc/{doc_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def document_page(doc_id: str) -> HTMLResponse:
        doc = view.document(_valid_id(doc_id))
        if doc is None:
            raise HTTPException(404, "no such document")
        return _dossier_response([doc], ())

    @app.api_route("/dossier", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def dossier_page() -> HTMLResponse:
        docs, diags = view.all_documents()
        return _dossier_response(docs, diags)


#: spaCy pipelines are not thread-safe (nor is the entity stage's lazy set-up of
#: its ruler): request threads take turns for the corpus analysis. Found by the
#: load bench: concurrent article pages gave HTTP 500s.
_ANALYSIS_LOCK = threading.Lock()


#: Rendered pages by the documents and diagnostics they show: the corpus analysis
#: (a spaCy parse and embeddings per article) runs once per store state, not once
#: per request. Bounded; an ingest that adds documents changes the key.
_PAGES: OrderedDict[tuple[tuple[str, ...], tuple[str, ...]], str] = OrderedDict()
_PAGES_KEPT = 64


def _dossier_response(docs: list[Any], diags: Any) -> HTMLResponse:
    key = (tuple(sorted(d.doc_id for d in docs)), tuple(f"{d.code}:{d.source}" for d in diags))
    script = render.dossier_script()
    headers = {"Content-Security-Policy": render.csp_for(script)}
    with _ANALYSIS_LOCK:
        page = _PAGES.get(key)
        if page is None:
            config = AnalyzeConfig()
            dossier = analyze_corpus(assemble(docs, diags, config), config)
            page = render.render_html(serialize.dossier_json(dossier))
            _PAGES[key] = page
            if len(_PAGES) > _PAGES_KEPT:
                _PAGES.popitem(last=False)
        _PAGES.move_to_end(key)
    return HTMLResponse(page, headers=headers)
