"""The analysis never opens a network connection: the whole pipeline runs with sockets forbidden."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from bench.warcgen import write_warc

from storytrace import api

PAGE = """<html><head><title>Talks in Oman | Example</title><link rel="stylesheet" href="https://cdn.example.org/x.css">
<script src="https://tracker.example.org/t.js"></script><meta property="og:site_name" content="Example"></head>
<body><img src="https://images.example.org/a.jpg"><article><p>Delegations from America and Iran are set to meet in Oman on Saturday, officials said.</p>
<p>Iranian Foreign Minister Abbas Araghchi and envoy Steve Witkoff will lead their respective groups.</p></article></body></html>"""


class NetworkUsed(AssertionError):
    pass


@pytest.fixture()
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise NetworkUsed(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.model
def test_offline_whole_pipeline_opens_no_socket(
    no_network: None, tmp_path: Path, seeds_dir: Path
) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    write_warc(tmp_path / "pages.warc.gz", [("https://news.example.org/a", PAGE)])
    (tmp_path / "feed.jsonl").write_text(
        '{"html": "<p>Officials said the talks would go ahead.</p>", "url": "https://x.org/1"}\n'
    )
    dossier = api.analyze([seeds_dir, tmp_path])
    assert dossier.run.documents >= 7
    written = api.write_dossier(dossier, tmp_path / "out")
    api.ingest([seeds_dir], tmp_path / "s.duckdb")
    assert written.html.exists()


def test_offline_guard_really_refuses(no_network: None) -> None:
    """The guard itself works (so the test above could fail)."""
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
