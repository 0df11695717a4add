"""`collect` against a real local web site: what is fetched, archived, stored, and what is not."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.collect.localsite import FAST, Site, rss, seed_page
from warcio.archiveiterator import ArchiveIterator

from storytrace import api
from storytrace.collect.config import USER_AGENT
from storytrace.store import Store
from storytrace.store.fetches import fetch_log, versions


def _feed_site(site: Site) -> None:
    site.page("/a1", seed_page(0), etag='"a1-v1"')
    site.page("/a2", seed_page(1), last_modified="Wed, 09 Apr 2025 10:00:00 GMT")
    site.page("/sport", "<html><body><article><p>The match ended 2-1 after extra time.</p></article></body></html>")  # fmt: skip
    items = [
        ("/a1", "Iran missiles reach Iraq militias", "Iraq"),
        ("/a2", "Militias in Iraq", "Iraq"),
        ("/sport", "Cup final", "football"),
    ]
    site.page("/feed.xml", rss(site, items), etag='"f1"', content_type="application/rss+xml")


def test_collect_feed_pages_are_archived_and_stored(site: Site, tmp_path: Path) -> None:
    _feed_site(site)
    db, archive = tmp_path / "news.duckdb", tmp_path / "warc"
    report = api.collect([site.url("/feed.xml")], db, archive, ["Iraq"], FAST)

    assert sorted(report.new_pages) == [site.url("/a1"), site.url("/a2")]  # keyword filter
    assert site.requests["/sport"] == 0
    assert site.user_agents == {USER_AGENT} and USER_AGENT.startswith("storytrace/")
    # every page is a WARC response record with its payload digest
    assert report.warc is not None and report.warc.parent == archive
    with gzip.open(report.warc, "rb") as raw, open(report.warc, "rb") as stream:
        assert raw.read(4) == b"WARC"
        records = [r for r in ArchiveIterator(stream) if r.rec_type == "response"]
    uris = [r.rec_headers.get_header("WARC-Target-URI") for r in records]
    assert uris == [site.url("/feed.xml"), site.url("/a1"), site.url("/a2")]
    assert all(r.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:") for r in records)
    # the pages went through ingest into the store, linked from the fetch log
    with Store(db, read_only=True) as store:
        log = {row.url: row for row in fetch_log(store)}
        stored = dict(store.query("SELECT doc_id, url FROM documents"))
    assert report.added == 2
    for path in ("/a1", "/a2"):
        row = log[site.url(path)]
        assert row.kind == "page" and row.via == site.url("/feed.xml") and row.status == 200
        assert stored[row.doc_id] == site.url(path)
        assert row.warc_file == str(report.warc) and row.sha256 and len(row.sha256) == 64
    assert log[site.url("/a1")].etag == '"a1-v1"'
    assert log[site.url("/a2")].last_modified == "Wed, 09 Apr 2025 10:00:00 GMT"
    assert log[site.url("/feed.xml")].kind == "feed"


def test_collect_second_run_asks_conditionally_and_downloads_nothing(
    site: Site, tmp_path: Path
) -> None:
    _feed_site(site)
    db = tmp_path / "news.duckdb"
    api.collect([site.url("/feed.xml")], db, tmp_path / "warc", ["Iraq"], FAST)
    again = api.collect([site.url("/feed.xml")], db, tmp_path / "warc", ["Iraq"], FAST)

    assert again.new_pages == () and again.edited == () and again.warc is None
    assert again.unchanged == 2  # both pages answered 304
    # each page asked twice, its body sent once; the feed likewise
    for path in ("/feed.xml", "/a1", "/a2"):
        assert site.requests[path] == 2 and site.bodies_sent[path] == 1, path
    assert site.requests["/robots.txt"] == 2  # once per run and host
    assert len(list((tmp_path / "warc").glob("*.warc.gz"))) == 1
    with Store(db, read_only=True) as store:
        statuses = [r.status for r in fetch_log(store, again.run)]
        assert store.count() == 2
    assert statuses == [304, 304, 304]


def test_collect_edited_page_is_a_new_version(site: Site, tmp_path: Path) -> None:
    site.page("/story", seed_page(2), etag='"v1"')
    db = tmp_path / "news.duckdb"
    first = api.collect([site.url("/story")], db, tmp_path / "warc", config=FAST)
    site.page("/story", seed_page(2, extra="Update: the ministry denied the report."), etag='"v2"')
    second = api.collect([site.url("/story")], db, tmp_path / "warc", config=FAST)

    assert first.new_pages == (site.url("/story"),)
    assert len(second.edited) == 1
    edit = second.edited[0]
    with Store(db, read_only=True) as store:
        found = versions(store, site.url("/story"))
        texts = dict(store.query("SELECT doc_id, text FROM documents"))
    assert [doc for doc, _ in found] == [edit.old_doc_id, edit.new_doc_id]
    assert "ministry denied" in texts[edit.new_doc_id]
    assert "ministry denied" not in texts[edit.old_doc_id]


def test_collect_removed_page_is_reported_and_its_version_kept(site: Site, tmp_path: Path) -> None:
    site.page("/gone", seed_page(3))
    site.page("/also-gone", seed_page(4))
    db = tmp_path / "news.duckdb"
    api.collect([site.url("/gone"), site.url("/also-gone")], db, tmp_path / "w", config=FAST)
    site.routes["/gone"].status = 404
    site.routes["/also-gone"].status = 410
    report = api.collect([site.url("/gone"), site.url("/also-gone")], db, tmp_path / "w", config=FAST)  # fmt: skip

    assert sorted(report.removed) == [(site.url("/also-gone"), 410), (site.url("/gone"), 404)]
    assert {p.problem for p in report.problems} == {"ST236"}
    again = api.collect([site.url("/gone")], db, tmp_path / "w", config=FAST)
    assert again.removed == () and again.problems[0].problem == "ST236"  # reported once
    with Store(db, read_only=True) as store:
        assert store.count() == 2  # the evidence stays


def test_collect_slow_host_times_out_after_retries(site: Site, tmp_path: Path) -> None:
    site.page("/slow", seed_page(0), delay_s=1.5)
    config = replace(FAST, read_timeout_s=0.3, retries=1)
    report = api.collect([site.url("/slow")], tmp_path / "n.duckdb", tmp_path / "w", config=config)

    (row,) = report.fetches
    assert row.problem == "ST232" and row.status is None and "ReadTimeout" in (row.detail or "")
    assert site.requests["/slow"] == 2  # one retry
    assert report.new_pages == ()


def test_collect_server_error_is_retried_then_reported(site: Site, tmp_path: Path) -> None:
    site.page("/flaky", seed_page(1), fail_times=1)
    site.page("/broken", seed_page(2), fail_times=99)
    report = api.collect(
        [site.url("/flaky"), site.url("/broken")],
        tmp_path / "n.duckdb",
        tmp_path / "w",
        config=FAST,
    )

    assert report.new_pages == (site.url("/flaky"),)  # a 500, then the page
    assert site.requests["/flaky"] == 2
    broken = next(r for r in report.fetches if r.url == site.url("/broken"))
    assert broken.problem == "ST238" and broken.status == 500
    assert site.requests["/broken"] == 1 + FAST.retries


def test_collect_redirects_are_followed_recorded_and_loops_stopped(
    site: Site, tmp_path: Path
) -> None:
    site.page("/new-home", seed_page(0))
    site.page("/old", "", status=301, headers={"Location": "/new-home"})
    site.page("/loop-a", "", status=302, headers={"Location": "/loop-b"})
    site.page("/loop-b", "", status=302, headers={"Location": "/loop-a"})
    db = tmp_path / "n.duckdb"
    report = api.collect([site.url("/old"), site.url("/loop-a")], db, tmp_path / "w", config=FAST)

    moved = next(r for r in report.fetches if r.url == site.url("/old"))
    assert moved.final_url == site.url("/new-home") and moved.redirects == (
        (301, site.url("/old")),
    )
    assert moved.doc_id
    loop = next(r for r in report.fetches if r.url == site.url("/loop-a"))
    assert loop.problem == "ST235" and "loop" in (loop.detail or "")
    assert site.requests["/loop-a"] == 1 and site.requests["/loop-b"] == 1
    with Store(db, read_only=True) as store:
        (url,) = store.query("SELECT url FROM documents")[0]
        redirects = store.query("SELECT redirects FROM fetches WHERE url = ?", [site.url("/old")])
    assert url == site.url("/new-home")  # the document's URL is where the page was
    assert json.loads(redirects[0][0]) == [[301, site.url("/old")]]


def test_collect_huge_page_is_abandoned_while_streaming(site: Site, tmp_path: Path) -> None:
    huge = "<html><body>" + "<p>words words words</p>" * 200_000 + "</body></html>"
    site.page("/huge-declared", huge)
    site.page("/huge-streamed", huge, stream=True)
    config = replace(FAST, max_bytes=100_000)
    report = api.collect(
        [site.url("/huge-declared"), site.url("/huge-streamed")],
        tmp_path / "n.duckdb", tmp_path / "w", config=config,
    )  # fmt: skip

    problems = {r.url: r for r in report.problems}
    assert problems[site.url("/huge-declared")].problem == "ST234"
    assert "Content-Length" in (problems[site.url("/huge-declared")].detail or "")
    assert problems[site.url("/huge-streamed")].problem == "ST234"
    assert "streaming" in (problems[site.url("/huge-streamed")].detail or "")
    assert report.warc is None  # nothing archived


def test_collect_obeys_robots_txt(site: Site, tmp_path: Path) -> None:
    site.page("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    site.page("/private/leak", seed_page(0))
    site.page("/public", seed_page(1))
    report = api.collect(
        [site.url("/private/leak"), site.url("/public")], tmp_path / "n.duckdb", tmp_path / "w",
        config=FAST,
    )  # fmt: skip

    assert site.requests["/private/leak"] == 0
    blocked = next(r for r in report.fetches if r.url == site.url("/private/leak"))
    assert blocked.problem == "ST231" and "robots.txt" in (blocked.detail or "")
    assert report.new_pages == (site.url("/public"),)
    assert site.requests["/robots.txt"] == 1


def test_collect_robots_crawl_delay_slows_the_host(site: Site, tmp_path: Path) -> None:
    from storytrace.collect.fetch import Fetcher

    site.page("/robots.txt", "User-agent: *\nCrawl-delay: 0.2\n", content_type="text/plain")
    site.page("/p1", seed_page(0))
    site.page("/p2", seed_page(1))
    waits: list[float] = []
    with Fetcher(replace(FAST, rate_limit_s=0.05), sleep=waits.append) as fetcher:
        fetcher.fetch(site.url("/p1"))
        fetcher.fetch(site.url("/p2"))
    assert waits and max(waits) > 0.1  # the second request waited for the crawl delay


def test_collect_sitemap_index_lists_pages(site: Site, tmp_path: Path) -> None:
    site.page("/s1", seed_page(0))
    site.page("/s2", seed_page(1))
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    site.page(
        "/sitemap.xml",
        f'<?xml version="1.0"?><sitemapindex {ns}><sitemap><loc>{site.url("/news.xml")}</loc></sitemap></sitemapindex>',
        content_type="application/xml",
    )
    site.page(
        "/news.xml",
        f'<?xml version="1.0"?><urlset {ns}><url><loc>{site.url("/s1")}</loc></url>'
        f"<url><loc>{site.url('/s2')}</loc></url></urlset>",
        content_type="application/xml",
    )
    report = api.collect([site.url("/sitemap.xml")], tmp_path / "n.duckdb", tmp_path / "w", config=FAST)  # fmt: skip

    assert sorted(report.new_pages) == [site.url("/s1"), site.url("/s2")]
    kinds = {r.url: r.kind for r in report.fetches}
    assert (
        kinds[site.url("/sitemap.xml")] == "sitemap" and kinds[site.url("/news.xml")] == "sitemap"
    )


def test_collect_sitemap_with_an_entity_bomb_is_not_expanded(site: Site, tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        f"<urlset><url><loc>{site.url('/x')}&c;</loc></url></urlset>"
    )
    site.page("/bomb.xml", bomb, content_type="application/xml")
    report = api.collect([site.url("/bomb.xml")], tmp_path / "n.duckdb", tmp_path / "w", config=FAST)  # fmt: skip
    assert all("aaaaaaaaaa" not in r.url for r in report.fetches)


def test_collect_not_a_page_and_bad_urls_are_problems_not_crashes(
    site: Site, tmp_path: Path
) -> None:
    site.page("/file.pdf", "%PDF-1.4 ...", content_type="application/pdf")
    report = api.collect(
        [site.url("/file.pdf"), "ftp://example.invalid/x", "not a url"],
        tmp_path / "n.duckdb", tmp_path / "w", config=FAST,
    )  # fmt: skip
    codes = {r.url: r.problem for r in report.fetches}
    assert codes == {site.url("/file.pdf"): "ST239", "ftp://example.invalid/x": "ST230", "not a url": "ST230"}  # fmt: skip


def test_collect_without_a_url_is_a_clear_error(tmp_path: Path) -> None:
    from storytrace.errors import ConfigError

    with pytest.raises(ConfigError, match="ST170"):
        api.collect(["  "], tmp_path / "n.duckdb")


def test_collect_fetches_a_page_once_whatever_its_fragment(site: Site, tmp_path: Path) -> None:
    site.page("/one", seed_page(0))
    targets = [site.url("/one"), site.url("/one#comments"), site.url("/one#top")]
    report = api.collect(targets, tmp_path / "n.duckdb", tmp_path / "w", config=FAST)
    assert site.requests["/one"] == 1 and len(report.fetches) == 1


def test_collect_rate_limit_is_per_host() -> None:
    from storytrace.collect.fetch import RateLimiter

    waits: list[float] = []
    limiter = RateLimiter(0.5, sleep=waits.append)
    limiter.wait("http://127.0.0.1:1")
    limiter.wait("http://127.0.0.1:2")  # another host: no wait
    limiter.wait("http://127.0.0.1:1")
    assert len(waits) == 1 and 0.3 < waits[0] <= 0.5


def test_collect_tests_cannot_reach_an_outside_address() -> None:
    """The autouse guard of conftest.py itself works (so "no outside address" can fail)."""
    import socket

    with socket.socket() as sock, pytest.raises(AssertionError, match="tried to reach"):
        sock.connect(("192.0.2.1", 80))
