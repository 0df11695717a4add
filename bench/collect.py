"""Collect throughput and the cost of a watch run that finds nothing new, on a local site.

A ThreadingHTTPServer on 127.0.0.1 (nothing is sent anywhere else) serves
``pages`` article pages built from the seeds (each made distinct by a numbered
paragraph, each with an ETag), an RSS feed listing them and no robots.txt.
The rate limit is off (it would measure only itself). Measured:

* **cold collect**: every page fetched, archived as WARC, ingested
  (pages/s end to end, and the fetch+archive and ingest parts apart);
* **warm collect**: the same feed again, every page answered 304;
* **watch**: a watch file over the first ``watch_pages`` pages; its first run
  analyses the store (models loaded), the second finds nothing new and skips
  the analysis: that second run's cost is the figure.
"""

from __future__ import annotations

import html
import tempfile
import threading
import time
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from storytrace import api
from storytrace.collect.config import CollectConfig
from storytrace.collect.run import Sources, collect


@dataclass(frozen=True, slots=True)
class CollectBenchConfig:
    """Pages served, and pages in the watched situation."""

    pages: int = 200
    watch_pages: int = 20


def _page(seed: str, number: int) -> bytes:
    lines = [line for line in seed.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    body += f"<p>Dispatch {number}: reporters followed the story for a further day.</p>"
    title = html.escape(f"{lines[0][:80]} ({number})")
    return f"<html><head><title>{title}</title></head><body><article>{body}</article></body></html>".encode()  # fmt: skip


def _feed(base: str, count: int, name: str) -> bytes:
    items = "".join(
        f"<item><title>Iraq report {i}</title><link>{base}/a/{i}</link>"
        f"<pubDate>{formatdate(1744200000 + i * 60, usegmt=True)}</pubDate></item>"
        for i in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title>{items}</channel></rss>'.encode()  # fmt: skip


def _server(routes: dict[str, tuple[bytes, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body in separate writes met delayed ACKs

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            found = routes.get(self.path)
            if found is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body, kind = found
            etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _timed_collect(feed: str, db: Path, archive: Path, config: CollectConfig) -> dict[str, Any]:
    spent = {"ingest": 0.0}

    def ingest(paths: list[Path]) -> int:
        started = time.perf_counter()
        added = api.ingest(paths, db).added
        spent["ingest"] += time.perf_counter() - started
        return added

    started = time.perf_counter()
    report = collect(Sources((feed,)), db, archive, ingest, config)
    total = time.perf_counter() - started
    pages = len(report.new_pages) + len(report.edited) + report.unchanged
    return {
        "pages": pages,
        "new": len(report.new_pages),
        "unchanged": report.unchanged,
        "requests": report.requests,
        "seconds": round(total, 2),
        "pages_per_s": round(pages / total, 1) if total else None,
        "fetch_archive_s": round(total - spent["ingest"], 2),
        "ingest_s": round(spent["ingest"], 2),
        "warc_mb": round(report.warc.stat().st_size / 2**20, 2) if report.warc else 0.0,
    }


def _watch_runs(base: str, work: Path, config: CollectConfig) -> dict[str, Any]:
    watchfile = work / "situation.toml"
    watchfile.write_text(
        f'name = "bench situation"\nfeeds = ["{base}/watch.xml"]\nkeywords = ["Iraq"]\n'
        f"[collect]\nrate_limit_s = 0.0\nuse_env_proxy = {str(config.use_env_proxy).lower()}\n",
        encoding="utf-8",
    )
    rows = {}
    for name in ("first run (analyses)", "nothing new"):
        started = time.perf_counter()
        result = api.watch(watchfile)
        rows[name] = {
            "seconds": round(time.perf_counter() - started, 2),
            "analysed": result.analysed,
            "alerts": len(result.alerts),
            "requests": result.report.requests,
        }
    return rows


def run_collect_bench(config: CollectBenchConfig, work: Path | None = None) -> dict[str, Any]:
    """Serve the local site, collect it cold and warm, run a watch twice; return the figures."""
    seeds = sorted((Path(__file__).resolve().parents[1] / "examples" / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    routes = {f"/a/{i}": (_page(texts[i % len(texts)], i), "text/html; charset=utf-8") for i in range(config.pages)}  # fmt: skip
    server = _server(routes)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes["/feed.xml"] = (_feed(base, config.pages, "bench"), "application/rss+xml")
    routes["/watch.xml"] = (_feed(base, config.watch_pages, "watch"), "application/rss+xml")
    fetch = CollectConfig(rate_limit_s=0.0, use_env_proxy=False)
    try:
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            folder = Path(tmp)
            db, archive = folder / "bench.duckdb", folder / "archive"
            cold = _timed_collect(f"{base}/feed.xml", db, archive, fetch)
            warm = _timed_collect(f"{base}/feed.xml", db, archive, fetch)
            watch = _watch_runs(base, folder, fetch)
    finally:
        server.shutdown()
        server.server_close()
    return {
        "setting": {"pages": config.pages, "watch_pages": config.watch_pages, "rate_limit_s": 0.0},
        "collect": {"cold (fetch, archive, ingest)": cold, "warm (all 304)": warm},
        "watch": watch,
    }
