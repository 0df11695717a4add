"""`storytrace collect` and `storytrace watch` as a user runs them: a subprocess, a local site."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.collect.localsite import Site, rss, seed_page

from storytrace.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL

_PROXY_VARS = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k.lower() not in _PROXY_VARS}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    return subprocess.run(
        [sys.executable, "-m", "storytrace", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip


def test_cli_collect_twice_then_a_removed_page(site: Site, tmp_path: Path) -> None:
    site.page("/p1", seed_page(0), etag='"1"')
    site.page("/p2", seed_page(1), etag='"2"')
    site.page("/feed.xml", rss(site, [("/p1", "Iraq", ""), ("/p2", "Iraq", "")]),
              content_type="application/rss+xml")  # fmt: skip
    db = str(tmp_path / "news.duckdb")
    args = ("collect", site.url("/feed.xml"), "--db", db, "--rate-limit", "0")

    first = run_cli(*args)
    assert first.returncode == EXIT_OK, first.stderr
    assert f"200 page    {site.url('/p1')}" in first.stderr
    assert "2 new, 0 edited, 0 removed" in first.stderr
    assert len(list((tmp_path / "news-archive").glob("*.warc.gz"))) == 1

    second = run_cli(*args)
    assert second.returncode == EXIT_OK, second.stderr
    assert "0 new, 0 edited, 0 removed, 2 unchanged" in second.stderr
    assert site.bodies_sent["/p1"] == 1

    site.routes["/p2"].status = 404
    third = run_cli(*args)
    assert third.returncode == EXIT_PARTIAL
    assert f"404 page    {site.url('/p2')} ST236" in third.stderr
    assert "1 removed" in third.stderr and "Traceback" not in third.stderr


def test_cli_watch_bad_interval_and_bad_file_are_one_line_errors(tmp_path: Path) -> None:
    watchfile = tmp_path / "w.toml"
    watchfile.write_text('feeds = ["http://127.0.0.1:9/feed.xml"]\n')
    bad_every = run_cli("watch", str(watchfile), "--every", "5s")
    assert bad_every.returncode == EXIT_ERROR and "ST172" in bad_every.stderr

    watchfile.write_text("feeds = [\n")
    bad_file = run_cli("watch", str(watchfile), "--once")
    assert bad_file.returncode == EXIT_ERROR and "ST171" in bad_file.stderr
    assert "Traceback" not in bad_file.stderr
