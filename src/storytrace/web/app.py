"""The local web UI: search and read a store, browse its analysis, correct it.

Routes are thin: parse, call the store, the dossier or a renderer, render. The app
opens the store read-only unless started with ``allow_edits``; then the only
writes are corrections (``POST /corrections``), each checked for a CSRF token
(a per-session ``SameSite=Strict`` cookie matched by a hidden form field) and
for the request's ``Origin``. The analysis tables are browsed with Datasette
(``web/browse.py``) under ``/data/``. It renders with the same templates
and CSS as the static dossier, sends a Content-Security-Policy on every response
(scripts only by hash), accepts only well-formed document ids (no path is ever
built from a request), and answers every error under ``/api`` in one JSON shape:
``{"error": {"status": 404, "code": "not_found", "message": "..."}}``.

DOCS: docs/web.md
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.types import Receive, Scope, Send

from storytrace import __version__
from storytrace.errors import InputError
from storytrace.records import Dossier, codec
from storytrace.records.corrections import KINDS, Draft
from storytrace.report import render, serialize
from storytrace.store.search import SearchFilter
from storytrace.web import browse, pages
from storytrace.web.analysis import Analysis, StoreView

_DOC_ID = re.compile(r"^[0-9a-f]{16}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
_API_CSP = "default-src 'none'; frame-ancestors 'none'"
#: Datasette's pages load their own stylesheet and scripts from /data/-/static/; no inline script runs.
_DATA_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; "
    f"script-src 'self' {' '.join(browse.inline_script_hashes())}; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
_CLAIM_ID = re.compile(r"^[\w.:~-]{1,80}$")
_SOURCE_ID = re.compile(r"^[0-9a-f]{16}$")
_STORY_ID = re.compile(r"^[\w.:~-]{1,120}$")
CSRF_COOKIE = "storytrace_csrf"


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


def create_app(db: Path, hosts: Iterable[str] = (), allow_edits: bool = False) -> FastAPI:
    """The web app over one store file.

    Args:
        db (Path): the store.
        hosts (Iterable[str]): host names to answer besides the loopback ones (the
            address ``serve --host`` binds). A request naming any other ``Host`` is
            refused, so a page on another site cannot read the store through DNS
            rebinding.
        allow_edits (bool): open the store for writing and accept corrections
            (``POST /corrections``, CSRF-checked); otherwise every POST is refused (403).
    """
    view = StoreView(db, allow_edits)
    analysis = Analysis(view)
    allowed = {h.lower() for h in (*LOOPBACK_HOSTS, *hosts)}

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        analysis.warm_in_background()  # the browsing database, then the dossier file
        yield
        analysis.close()  # a render still running is stopped with the server

    app = FastAPI(
        lifespan=lifespan,
        title="storytrace",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    app.state.db = db  # the store served, for whoever holds the app
    app.state.analysis = analysis  # its caches (tests look at the files it writes)
    _install_handlers(app, allowed)
    _install_routes(app, view, analysis)
    _install_analysis_routes(app, view, analysis)
    _install_dossier_routes(app, view, analysis)
    _install_correction_routes(app, view, analysis)
    app.mount(browse.MOUNT, _DataMount(analysis))
    return app


def _host_of(request: Request) -> str:
    """The Host header's name without its port: ``localhost:8765`` -> ``localhost``."""
    host = request.headers.get("host", "").lower().strip()
    if host.startswith("["):  # [::1]:8765
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _csp_for(path: str) -> str:
    if path.startswith("/api") or path.endswith((".json", ".csv")):
        return _API_CSP
    return _DATA_CSP if path.startswith(browse.MOUNT + "/") else _PAGE_CSP


def _install_handlers(app: FastAPI, allowed: set[str]) -> None:
    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Response:
        if _host_of(request) not in allowed:
            response: Response = _error(400, "bad_request", "this Host is not served here")
        else:
            response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _csp_for(request.url.path))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        code = {
            400: "bad_request",
            403: "forbidden",
            404: "not_found",
            405: "method_not_allowed",
        }.get(exc.status_code, "error")
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
Page = Annotated[int, Query(ge=1, le=1_000_000)]


def _install_routes(app: FastAPI, view: StoreView, analysis: Analysis) -> None:
    @app.api_route("/api/search", methods=["GET", "HEAD"])
    def api_search(q: SearchQ = "", outlet: OptStr = None, date_from: OptStr = None, date_to: OptStr = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict[str, Any]:  # fmt: skip
        found = view.search(_query(q), _filter(outlet, date_from, date_to), limit)
        hits = [_hit_json(doc, score, q) for doc, score in found]
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
        found = view.search(_query(q), _filter(outlet, date_from, date_to), 200)
        hits = [_hit_json(doc, score, q) for doc, score in found]
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
        story = analysis.story(doc_id=doc.doc_id)
        return _dossier_html(story or pages.story_of_document(analysis.dossier(), doc.doc_id))

    @app.api_route("/story/{story_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def story_page(story_id: str) -> HTMLResponse:
        story = analysis.story(story_id=story_id) if _STORY_ID.match(story_id) else None
        if story is None and _STORY_ID.match(story_id) and not analysis.reads_stories():
            whole = analysis.dossier()  # no stored analysis, or articles moved between stories
            found = next((s for s in whole.stories if s.story_id == story_id), None)
            story = pages.story_of_document(whole, found.doc_ids[0]) if found else None
        if story is None:
            raise HTTPException(404, "no such story")
        return _dossier_html(story)


class _DataMount:
    """Datasette under ``/data/``: the current browser, and our JSON error shape on ``.json``."""

    def __init__(self, analysis: Analysis) -> None:
        self.analysis = analysis

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if scope.get("method") not in ("GET", "HEAD"):
            await _error(405, "method_not_allowed", "browsing is read-only")(scope, receive, send)
            return
        browser = await run_in_threadpool(self.analysis.browser)
        full = scope["path"]
        if not full.startswith(browse.MOUNT + "/"):  # Starlette handed us the rest only
            full = scope.get("root_path", "") + full
        if full.rstrip("/") == browse.MOUNT:
            await RedirectResponse(f"{browse.MOUNT}/{browse.DATABASE}", 302)(scope, receive, send)
            return
        # Datasette routes and builds links from the path below its base_url (it adds
        # the prefix to every link itself): hand it the path without "/data".
        raw = scope.get("raw_path") or full.encode("utf-8")
        raw = raw[len(browse.MOUNT) :] if raw.startswith(browse.MOUNT.encode()) else raw
        inner = dict(scope, root_path="", path=full[len(browse.MOUNT) :], raw_path=raw)
        wants_json = full.endswith(".json") or "_shape=" in scope.get("query_string", b"").decode(
            "latin-1"
        )
        await browser.app(inner, receive, _json_errors(send) if wants_json else send)


def _json_errors(send: Send) -> Send:
    """A ``send`` that keeps every JSON error in our shape: ``{"error": {...}}``."""
    failed: dict[str, Any] = {}

    async def wrapped(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] >= 400:
            failed.update(status=message["status"], headers=message.get("headers", []), body=b"")
            return
        if not failed:
            await send(message)
            return
        if message["type"] == "http.response.body":
            failed["body"] += bytes(message.get("body", b""))
            if not message.get("more_body"):
                await send(_error_shape(failed["status"], failed["body"]))
                await send({"type": "http.response.body", "body": failed["body_out"]})

    def _error_shape(status: int, body: bytes) -> dict[str, Any]:
        try:
            ours = isinstance(json.loads(body).get("error"), dict)
        except (ValueError, AttributeError):
            ours = False
        if not ours:
            code = {400: "bad_request", 403: "forbidden", 404: "not_found"}.get(status, "error")
            body = bytes(_error(status, code, "the table view failed").body)
        failed["body_out"] = body
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
        return {"type": "http.response.start", "status": status, "headers": headers}

    return wrapped  # type: ignore[return-value]


def _csrf_token(request: Request) -> tuple[str, bool]:
    """The session's CSRF token and whether it is new (then the response sets the cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if re.fullmatch(r"[\w-]{32,64}", token):
        return token, False
    return secrets.token_urlsafe(32), True


def _page(request: Request, view: StoreView, template: str, **context: Any) -> HTMLResponse:
    """A page of ours; with edits allowed, carrying the CSRF token in its forms and a cookie."""
    token, new = _csrf_token(request) if view.allow_edits else ("", False)
    response = HTMLResponse(pages.render(template, edits=view.allow_edits, csrf=token, **context))
    if new:
        response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")
    return response


def _check_write(request: Request, view: StoreView, form: Any) -> None:
    """Refuse (403) a write: edits not allowed, a foreign Origin, no or a wrong CSRF token."""
    if not view.allow_edits:
        raise HTTPException(403, "this server is read-only: start it with --allow-edits to correct")
    if not _same_origin(request):
        raise HTTPException(403, "a correction must come from this app's own pages")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    field = str(form.get("csrf", ""))
    if not cookie or not field or not hmac.compare_digest(cookie.encode(), field.encode()):
        raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")


def _same_origin(request: Request) -> bool:
    """The request comes from one of our pages, as far as the browser says.

    ``Sec-Fetch-Site`` decides when sent (every current browser sends it); else an
    ``Origin`` must name this host. Our pages send ``Referrer-Policy: no-referrer``,
    under which Chromium writes ``Origin: null`` even on its own forms, so ``null``
    alone decides nothing. A client that sends neither still needs the CSRF token.
    """
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return True
    host = request.headers.get("host", "").lower()
    return origin.lower() in {f"http://{host}", f"https://{host}"}


def _next(form: Any) -> str:
    """Where to go after a write: a local path only (never ``//host`` or a URL)."""
    target = str(form.get("next", "/corrections"))
    return target if re.fullmatch(r"/(?!/)[\w./~:-]*", target) else "/corrections"


def _form_text(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value if isinstance(value, str) else ""


def _claim_view(analysis: Analysis, claim_id: str) -> dict[str, Any] | None:
    """A claim's page data from its story's stored rows, else from the whole dossier."""
    story = analysis.story(claim_id=claim_id)
    return pages.claim_view(story or analysis.dossier(), claim_id)


def _install_analysis_routes(app: FastAPI, view: StoreView, analysis: Analysis) -> None:
    def claim_or_404(claim_id: str) -> dict[str, Any]:
        found = _claim_view(analysis, claim_id) if _CLAIM_ID.match(claim_id) else None
        if found is None:
            raise HTTPException(404, "no such claim")
        return found

    def source_or_404(key: str) -> dict[str, Any]:
        found = browse.source_page(analysis.browse_path(), key) if _SOURCE_ID.match(key) else None
        if found is None:
            raise HTTPException(404, "no such source")
        return found

    @app.api_route("/api/claims/{claim_id}", methods=["GET", "HEAD"])
    def api_claim(claim_id: str) -> dict[str, Any]:
        return claim_or_404(claim_id)

    @app.api_route("/api/sources/{key}", methods=["GET", "HEAD"])
    def api_source(key: str) -> dict[str, Any]:
        return source_or_404(key)

    @app.api_route("/claim/{claim_id}", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def claim_page(request: Request, claim_id: str) -> HTMLResponse:
        return _page(request, view, "claim.html.j2", claim=claim_or_404(claim_id))

    @app.api_route("/source/{key}", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def source_page(request: Request, key: str) -> HTMLResponse:
        return _page(request, view, "source.html.j2", source=source_or_404(key))


def _install_dossier_routes(app: FastAPI, view: StoreView, analysis: Analysis) -> None:
    """``/dossier`` (the story index, paginated), ``/dossier/full`` (the one-page dossier
    once rendered) and ``/api/stories``."""

    def index_or_404(page: int) -> dict[str, Any]:
        total, stories = browse.story_index(analysis.browse_path(), page)
        pages_count = max(1, -(-total // browse.STORIES_PER_PAGE))
        if page > pages_count:
            raise HTTPException(404, "no such page of stories")
        rendering = analysis.rendering()
        return {"stories": stories, "total": total, "page": page, "pages": pages_count,
                "per_page": browse.STORIES_PER_PAGE,
                "dossier": {"ready": rendering.path is not None, "status": rendering.what,
                            "url": "/dossier/full"}}  # fmt: skip

    @app.api_route("/api/stories", methods=["GET", "HEAD"])
    def api_stories(page: Page = 1) -> dict[str, Any]:
        return index_or_404(page)

    @app.api_route("/dossier", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def dossier_page(request: Request, page: Page = 1) -> HTMLResponse:
        return _page(request, view, "dossier_index.html.j2", index=index_or_404(page))

    @app.api_route("/dossier/full", methods=["GET", "HEAD"], response_model=None)
    def dossier_file(request: Request) -> Response:
        rendering = analysis.rendering()
        if rendering.path is None:
            response = _page(request, view, "dossier_wait.html.j2", status=rendering.what,
                             failed=rendering.error is not None)  # fmt: skip
            response.status_code = 500 if rendering.error else 503
            response.headers["Retry-After"] = "5"
            return response
        script = render.dossier_script()
        return FileResponse(
            rendering.path,
            media_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": render.csp_for(script)},
        )


def _install_correction_routes(app: FastAPI, view: StoreView, analysis: Analysis) -> None:
    @app.api_route("/api/corrections", methods=["GET", "HEAD"])
    def api_corrections() -> dict[str, Any]:
        return {"corrections": pages.corrections_view(view.corrections())}

    @app.api_route("/corrections", methods=["GET", "HEAD"], response_class=HTMLResponse)
    def corrections_page(request: Request) -> HTMLResponse:
        listed = pages.corrections_view(view.corrections())
        kinds = [k for k in KINDS if k != "undo"]
        return _page(request, view, "corrections.html.j2", corrections=listed, kinds=kinds)

    @app.post("/corrections")
    async def correct(request: Request) -> Response:
        form = await request.form()
        _check_write(request, view, form)
        values = {
            n: _form_text(form, n) for n in ("kind", "target", "before", "after", "who", "why")
        }
        try:
            await run_in_threadpool(view.correct, Draft(**values))
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        analysis.warm_in_background()  # the new state's tables and dossier file
        return RedirectResponse(_next(form), status_code=303)

    @app.post("/corrections/{correction_id}/undo")
    async def undo(request: Request, correction_id: int) -> Response:
        form = await request.form()
        _check_write(request, view, form)
        who, why = _form_text(form, "who"), _form_text(form, "why")
        try:
            await run_in_threadpool(lambda: view.undo(correction_id, who, why))
        except InputError as exc:
            raise HTTPException(400, str(exc)) from None
        analysis.warm_in_background()
        return RedirectResponse("/corrections", status_code=303)


def _dossier_html(dossier: Dossier) -> HTMLResponse:
    """A dossier (the whole store's, or one article's story) as the report's HTML page."""
    script = render.dossier_script()
    page = render.render_html(serialize.dossier_json(dossier))
    return HTMLResponse(page, headers={"Content-Security-Policy": render.csp_for(script)})
