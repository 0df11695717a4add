"""`storytrace serve` as a user starts it: read-only by default, corrections only with --allow-edits."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _serve(db: Path, *extra: str) -> Iterator[str]:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    cmd = [
        sys.executable,
        "-m",
        "storytrace",
        "serve",
        "--db",
        str(db),
        "--port",
        str(port),
        *extra,
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(url + "/api/corrections", timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None:
                    raise AssertionError(
                        proc.stdout.read().decode() if proc.stdout else ""
                    ) from None
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("serve-edits") / "s.duckdb"
    api.ingest([seeds_dir], db, AnalyzeConfig(corpus_stages=()))
    return db


def test_serve_refuses_every_write_without_allow_edits(store: Path) -> None:
    before = store.read_bytes()
    with _serve(store) as url:
        page = httpx.get(url + "/corrections").text
        assert "--allow-edits" in page and 'name="csrf"' not in page
        refused = httpx.post(url + "/corrections", data={"kind": "story_move", "target": "x"})
        assert refused.status_code == 403
    assert store.read_bytes() == before


def test_serve_with_allow_edits_records_a_correction_with_its_token(store: Path) -> None:
    with _serve(store, "--allow-edits") as url, httpx.Client() as client:
        page = client.get(url + "/corrections").text
        token = re.search(r'name="csrf" value="([^"]+)"', page)
        assert token is not None
        fix = {"kind": "story_move", "target": "0123456789abcdef", "after": "", "before": "",
               "who": "ed", "why": "its own event"}  # fmt: skip
        assert client.post(url + "/corrections", data=fix).status_code == 403  # no token
        made = client.post(url + "/corrections", data={**fix, "csrf": token.group(1)})
        assert made.status_code == 303
        listed = client.get(url + "/api/corrections").json()["corrections"]
        assert [(c["kind"], c["who"]) for c in listed] == [("story_move", "ed")]
    assert [c.kind for c in api.corrections_from_store(store)] == ["story_move"]
