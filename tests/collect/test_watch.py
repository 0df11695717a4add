"""`watch` over three runs of a changing local site: the right alerts, and nothing fetched twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree
from tests.collect.localsite import FAST, Site, rss, seed_page

from storytrace import api

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = "Update: officials denied it <script>alert(1)</script> ``` end"


def _watchfile(tmp_path: Path, site: Site) -> Path:
    path = tmp_path / "iraq.toml"
    path.write_text(
        f"""name = "Iraq militias and Iran's missiles"
feeds = ["{site.url("/feed.xml")}"]
keywords = ["Iraq", "militias"]
db = "iraq.duckdb"
out = "iraq-watch"

[collect]
rate_limit_s = 0.0
read_timeout_s = {FAST.read_timeout_s}
backoff_s = 0.01
use_env_proxy = false
""",
        encoding="utf-8",
    )
    return path


def _publish(site: Site, paths: list[str]) -> None:
    items = [(p, f"Iraq militias report {p}", "Iraq") for p in paths]
    items.append(("/weather", "Sunny weekend ahead", "weather"))
    site.page("/feed.xml", rss(site, items), etag=f'"feed-{"-".join(p.strip("/") for p in paths)}"', content_type="application/rss+xml")  # fmt: skip


@pytest.mark.model
def test_watch_reports_what_changed_between_runs(site: Site, tmp_path: Path) -> None:
    for n in range(3):
        site.page(f"/a{n}", seed_page(n), etag=f'"a{n}-v1"')
    _publish(site, ["/a0", "/a1", "/a2"])
    watchfile = _watchfile(tmp_path, site)
    out = tmp_path / "iraq-watch"

    first = api.watch(watchfile)
    assert first.analysed
    assert {a.kind for a in first.alerts} >= {"new_story"}
    assert site.requests["/weather"] == 0  # keywords filter the feed

    # the site changes: a new article, an edited one, a removed one
    site.page("/a3", seed_page(3), etag='"a3-v1"')
    site.page("/a0", seed_page(0, extra=HOSTILE), etag='"a0-v2"')
    site.routes["/a2"].status = 410
    _publish(site, ["/a0", "/a1", "/a3"])  # /a2 dropped from the feed, still checked
    second = api.watch(watchfile)

    kinds = [a.kind for a in second.alerts]
    assert "article_edited" in kinds and "article_removed" in kinds
    assert {"new_story", "story_grew"} & set(kinds)  # /a3 joined a story or began one
    assert second.report.new_pages == (site.url("/a3"),)
    edit = next(a for a in second.alerts if a.kind == "article_edited")
    assert edit.url == site.url("/a0") and f"+{HOSTILE}" in edit.detail.split("\n")
    removed = next(a for a in second.alerts if a.kind == "article_removed")
    assert removed.url == site.url("/a2") and "410" in removed.title
    assert site.requests["/a2"] == 2  # a dropped entry is still checked for removal

    markdown = second.markdown.read_text(encoding="utf-8")
    data = json.loads(second.json.read_text(encoding="utf-8"))

    # nothing changes: conditional requests only, no analysis, no alerts
    bodies = dict(site.bodies_sent)
    third = api.watch(watchfile)
    assert not third.analysed and third.alerts == ()
    assert dict(site.bodies_sent) == bodies  # nothing downloaded again
    assert third.report.unchanged == 3  # /a0 /a1 /a3 answered 304
    assert "No changes." in (out / "changes.md").read_text(encoding="utf-8")

    # the second run's outputs: Markdown, JSON; and an Atom feed of every alert (article text escaped)
    assert "## Articles edited after publication (1)" in markdown
    assert "````diff" in markdown  # the fence outgrows the article's backticks
    assert data["alerts"] == [a.to_json() for a in second.alerts]
    assert data["collect"]["edited"] == 1 and data["collect"]["removed"] == 1
    raw = (out / "alerts.xml").read_bytes()
    assert b"<script>" not in raw
    feed = etree.fromstring(raw)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(first.alerts) + len(second.alerts)
    contents = [e.findtext(f"{ATOM}content") or "" for e in entries]
    assert any(HOSTILE in c for c in contents)  # as text, after parsing
    assert len({e.findtext(f"{ATOM}id") for e in entries}) == len(entries)
    assert feed.findtext(f"{ATOM}title") == "storytrace watch: Iraq militias and Iran's missiles"
