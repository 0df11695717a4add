"""Fixtures of the collect tests: a real local web site, and a guard against outside addresses.

``site`` is a ThreadingHTTPServer on 127.0.0.1 serving routes a test sets and
changes between runs (see ``localsite.py``). The autouse ``loopback_only``
guard refuses any connection that is not to the loopback address.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from tests.collect.localsite import Site, SiteHandler


@pytest.fixture()
def site() -> Iterator[Site]:
    """A fresh local site per test (its own port)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), SiteHandler)
    server.daemon_threads = True
    site = Site(f"http://127.0.0.1:{server.server_address[1]}")
    handler = type("Handler", (SiteHandler,), {"site": site})
    server.RequestHandlerClass = handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse every connection that is not to 127.0.0.1: no test touches an outside address."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1"):
            raise AssertionError(f"a collect test tried to reach {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
