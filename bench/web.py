"""Load on the web UI from a second process, on loopback only, bounded in count and time.

Starts ``storytrace serve`` on 127.0.0.1 over a store, sends a fixed number of
requests (search, filters, article pages, the dossier, bad ids) from a pool of
client threads in this process, and records requests/s, latency percentiles and
errors; then stops the server. Nothing is sent anywhere but 127.0.0.1.
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class LoadConfig:
    """Bounds of a load run: total requests, client threads, per-request timeout (s)."""

    requests: int = 2000
    threads: int = 8
    timeout_s: float = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _paths(doc_ids: list[str]) -> list[str]:
    """A fixed mix of what a reader does: searches, filters, pages, API calls, mistakes."""
    mix = ["/api/search?q=Iran", "/api/search?q=missiles+Iraq", "/?q=Times", "/api/search?outlet=Caliber.az",
           "/api/search?date_from=2025-04-01&date_to=2025-04-30", "/api/documents/0000000000000000", "/doc/bad-id"]  # fmt: skip
    mix += [f"/api/documents/{d}" for d in doc_ids[:3]] + [f"/doc/{d}" for d in doc_ids[:2]]
    return mix


def _get(url: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # only 127.0.0.1 URLs
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError):
        status = 0
    return status, time.perf_counter() - started


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "storytrace", "serve", "--db", str(db), "--port", str(port)]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if _get(f"http://127.0.0.1:{port}/api/search?q=x", 1.0)[0] == 200:
            return server
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the web UI did not start within 30 s")


def run_load(db: Path, doc_ids: list[str], config: LoadConfig) -> dict[str, Any]:
    """Serve ``db`` and measure it under ``config``'s bounded load."""
    port = free_port()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    paths = _paths(doc_ids)
    urls = [base + paths[i % len(paths)] for i in range(config.requests)]
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(config.threads) as pool:
            results = list(pool.map(lambda u: _get(u, config.timeout_s), urls))
        elapsed = time.perf_counter() - started
        alive = _get(base + "/api/search?q=Iran", config.timeout_s)[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
    expected_404 = sum(1 for u in urls if u.endswith(("0000000000000000", "bad-id")))
    statuses = [s for s, _ in results]
    latencies = sorted(t for _, t in results)
    return {
        "requests": config.requests, "threads": config.threads, "seconds": round(elapsed, 3),
        "requests_per_s": round(config.requests / elapsed, 1),
        "errors": sum(1 for s in statuses if s == 0 or s >= 500),
        "error_kinds": {("timeout or refused" if s == 0 else str(s)): statuses.count(s) for s in sorted(set(statuses)) if s == 0 or s >= 500},
        "status_404": sum(1 for s in statuses if s == 404), "expected_404": expected_404,
        "latency_ms_p50": round(1000 * statistics.median(latencies), 1),
        "latency_ms_p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1),
        "alive_after": alive,
    }  # fmt: skip


def run_web_bench(seeds: Path, work: Path, config: LoadConfig | None = None) -> dict[str, Any]:
    """Ingest the seeds into a fresh store under ``work`` and load the web UI over it."""
    from storytrace import api
    from storytrace.store import Store

    db = work / "web-bench.duckdb"
    db.unlink(missing_ok=True)
    api.ingest([seeds], db)
    with Store(db, read_only=True) as store:
        doc_ids = sorted(store.known_ids())
    result = run_load(db, doc_ids, config or LoadConfig())
    return {"load": [result]}


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(run_web_bench(Path("examples/seeds"), Path(folder)), indent=2))
