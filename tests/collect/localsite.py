"""The local web site of the collect tests (served by the ``site`` fixture in conftest.py).

``site`` serves routes the test sets and changes between runs (pages, feeds,
sitemaps, robots.txt, redirects, errors, slow and huge answers), answers
conditional requests the way a web server does (ETag / Last-Modified, 304),
and counts every request by path, so a test can assert that nothing was
fetched twice without need. An autouse guard refuses any connection that is
not to the loopback address: no collect test reaches the outside.
"""

from __future__ import annotations

import html
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

from tests.helpers import SEEDS

from storytrace.collect.config import CollectConfig


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    fail_times: int = 0  # answer 500 this many times first
    stream: bool = False  # no Content-Length: the body streams until the connection closes


class Site:
    """The routes of the local server and the requests it saw."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.bodies_sent: Counter[str] = Counter()
        self.user_agents: set[str] = set()
        self.lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: str, etag: str | None = None, **kw: Any) -> None:
        self.routes[path] = Route(body.encode("utf-8"), etag=etag, **kw)


class SiteHandler(BaseHTTPRequestHandler):
    site: Site
    protocol_version = "HTTP/1.0"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        with site.lock:
            site.requests[self.path] += 1
            site.user_agents.add(self.headers.get("User-Agent", ""))
            route = site.routes.get(self.path)
        if route is None:
            self._send(404, b"<html><body>not here</body></html>", "text/html")
            return
        if route.delay_s:
            time.sleep(route.delay_s)
        if route.fail_times > 0:
            route.fail_times -= 1
            self._send(500, b"<html><body>oops</body></html>", "text/html")
            return
        if route.status == 200 and self._not_modified(route):
            self.send_response(304)
            self.end_headers()
            return
        headers = dict(route.headers)
        if route.etag:
            headers["ETag"] = route.etag
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.status == 200:
            with site.lock:
                site.bodies_sent[self.path] += 1
        self._send(route.status, route.body, route.content_type, headers, route.stream)

    def _not_modified(self, route: Route) -> bool:
        tag = self.headers.get("If-None-Match")
        if route.etag and tag:
            return tag == route.etag
        since = self.headers.get("If-Modified-Since")
        return bool(route.last_modified and since == route.last_modified)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            if not stream:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            for start in range(0, len(body), 65536):
                self.wfile.write(body[start : start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout or the size cap): that is the point


#: Fast and polite enough for a local server: no waiting, short timeouts, no proxies.
FAST = CollectConfig(
    rate_limit_s=0.0,
    connect_timeout_s=2.0,
    read_timeout_s=0.4,
    retries=2,
    backoff_s=0.01,
    use_env_proxy=False,
)


def seed_page(number: int, extra: str = "") -> str:
    """Seed article ``number`` (0-4) as an HTML page (title from its first line)."""
    path = sorted(SEEDS.glob(f"{number:03d}_*.txt"))[0]
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    paragraphs = "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
    if extra:
        paragraphs += f"<p>{html.escape(extra)}</p>\n"
    title = html.escape(lines[0][:90])
    return (
        f"<html><head><title>{title}</title></head><body><article>\n{paragraphs}"
        "</article></body></html>"
    )


def rss(site: Site, items: list[tuple[str, str, str]], title: str = "Local News") -> str:
    """An RSS 2.0 feed: items of (path, title, summary)."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{site.url(p)}</link>"
        f"<description>{html.escape(s)}</description>"
        f"<pubDate>{formatdate(1744200000 + i * 60, usegmt=True)}</pubDate></item>"
        for i, (p, t, s) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>{site.url('/')}</link>{entries}</channel></rss>"
    )


def store_path(tmp_path: Path) -> Path:
    return tmp_path / "news.duckdb"
