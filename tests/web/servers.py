"""A store with hostile and numeric articles, and the web app served on a real loopback socket."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from storytrace import api

#: Two articles beside the seeds: "4.4" against plain "4"s, and markup that must never run.
EXTRA = [
    {
        "title": 'Quake hits coast "><img src=x onerror=window.__pwned=2>',
        "outlet": "Coast Herald",
        "text": "A quake measured 4.4 on the scale on Monday, officials said.\n\n"
        '"We saw damage to 44 homes <script>window.__pwned=1</script>," said Jane Roe, '
        "the mayor of Portville.",
    },
    {
        "title": "Four people hurt",
        "outlet": "Valley Times",
        "text": "Four people, 4 in all, were hurt and 4 cars burned on Monday.\n\n"
        '"It was frightening," said John Doe, a resident.',
    },
]


def make_store(folder: Path, seeds: Path) -> Path:
    """Ingest the seeds and ``EXTRA`` into ``folder/s.duckdb``."""
    extra = folder / "extra.jsonl"
    extra.write_text("".join(json.dumps(d) + "\n" for d in EXTRA), encoding="utf-8")
    db = folder / "s.duckdb"
    api.ingest([seeds, extra], db)
    return db


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def served(app: Any, warm: str = "/data/storytrace.json") -> Iterator[str]:
    """``app`` served by uvicorn in a thread on a free loopback port; yields its base URL.

    ``warm`` is fetched first (patiently): the first analysis of a store loads the models.
    """
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    try:
        if warm:
            httpx.get(url + warm, timeout=300).raise_for_status()
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
