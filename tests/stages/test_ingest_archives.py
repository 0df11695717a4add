"""WARC and RSS/Atom readers: streamed records, URLs kept, crawl date never taken as publication date."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from bench.warcgen import write_warc

from storytrace import api
from storytrace.errors import Reason
from storytrace.records import Diagnostic, RawInput
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.files import iter_inputs

PAGE = """<html><head><title>Missiles moved | Example News</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Missiles moved</h1>
<p>Iran has delivered long-range missiles to militias in Iraq for the first time, a regional intelligence source told the newspaper on Tuesday.</p>
<p>The transfer was organised by the Revolutionary Guards, officials said, as talks with the United States approach this weekend in Oman.</p>
</article><footer>© 2025 Example News</footer></body></html>"""

RSS = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://news.example.org</link>
<item><title>Missiles moved</title><link>https://news.example.org/a</link><dc:creator>Jane Roe</dc:creator>
<pubDate>Tue, 08 Apr 2025 14:05:00 +0300</pubDate><content:encoded><![CDATA[<p>Iran has delivered long-range missiles to militias in Iraq.</p><p>Second paragraph.</p>]]></content:encoded></item>
<item><title>Empty</title><link>https://news.example.org/b</link></item>
</channel></rss>"""


def _inputs(path: Path) -> list[RawInput | Diagnostic]:
    return list(iter_inputs([str(path)], IngestConfig()))


@pytest.mark.parametrize("zipped", [True, False])
def test_ingest_archives_warc_records_become_html_inputs(tmp_path: Path, zipped: bool) -> None:
    path = tmp_path / ("pages.warc.gz" if zipped else "pages.warc")
    write_warc(
        path,
        [
            ("https://news.example.org/a", PAGE),
            ("https://news.example.org/b", PAGE.replace("Tuesday", "Monday")),
        ],
        gzip=zipped,
    )
    first, second = _inputs(path)
    assert isinstance(first, RawInput) and isinstance(second, RawInput)
    assert first.url == "https://news.example.org/a" and first.format == "warc"
    assert first.html == PAGE
    assert first.field("crawled") is not None and first.field("published") is None


def test_ingest_archives_warc_charset_from_http_header(tmp_path: Path) -> None:
    page = PAGE.replace("Iran", "Irán")
    write_warc(tmp_path / "l1.warc.gz", [("https://x.org/a", page)], charset="latin-1")
    (item,) = _inputs(tmp_path / "l1.warc.gz")
    assert isinstance(item, RawInput) and item.html is not None and "Irán" in item.html


@pytest.mark.model
def test_ingest_archives_warc_page_is_the_same_document_as_the_html_file(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "a.html").write_text(PAGE, encoding="utf-8")
    write_warc(tmp_path / "a.warc.gz", [("https://news.example.org/a", PAGE)])
    from_html = api.analyze([tmp_path / "html"]).documents[0]
    from_warc = api.analyze([tmp_path / "a.warc.gz"]).documents[0]
    assert from_html.doc_id == from_warc.doc_id
    assert from_html.text == from_warc.text and from_html.segments == from_warc.segments
    assert from_warc.metadata.url.value == "https://news.example.org/a"


def test_ingest_archives_broken_warc_is_reported_after_the_good_records(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_warc(path, [("https://x.org/a", PAGE), ("https://x.org/b", PAGE + " ")])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 40])  # cut inside the last record
    results = _inputs(path)
    assert isinstance(results[0], RawInput)
    assert isinstance(results[-1], Diagnostic) and results[-1].code == Reason.UNREADABLE.value


def test_ingest_archives_not_a_warc(tmp_path: Path) -> None:
    (tmp_path / "x.warc.gz").write_bytes(gzip.compress(b"hello, not a warc"))
    (result,) = _inputs(tmp_path / "x.warc.gz")
    assert isinstance(result, Diagnostic) and result.code in (
        Reason.UNREADABLE.value,
        Reason.NOTHING_READABLE.value,
    )


def test_ingest_archives_rss_entries_with_trusted_fields(tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_text(RSS, encoding="utf-8")
    entry, empty = _inputs(tmp_path / "feed.rss")
    assert isinstance(entry, RawInput) and entry.format == "feed"
    assert entry.url == "https://news.example.org/a"
    assert entry.field("author") == "Jane Roe" and entry.field("outlet") == "Example News"
    assert entry.field("published") == "2025-04-08T11:05:00+00:00"
    assert (
        isinstance(empty, Diagnostic)
        and empty.code == Reason.EMPTY.value
        and "entry 2" in empty.source
    )


@pytest.mark.model
def test_ingest_archives_feed_metadata_reaches_the_document(tmp_path: Path) -> None:
    (tmp_path / "feed.rss").write_text(RSS, encoding="utf-8")
    doc = api.analyze([tmp_path / "feed.rss"]).documents[0]
    assert (
        doc.metadata.author.value == "Jane Roe" and doc.metadata.author.evidence[0].ref == "input"
    )
    assert (
        doc.metadata.published.earliest is not None
        and doc.metadata.published.earliest.isoformat() == "2025-04-08T11:05:00+00:00"
    )


def test_ingest_archives_garbage_feed_is_a_bad_record(tmp_path: Path) -> None:
    (tmp_path / "feed.xml").write_text("<html><body>not a feed</body></html>", encoding="utf-8")
    (result,) = _inputs(tmp_path / "feed.xml")
    assert isinstance(result, Diagnostic) and result.code == Reason.BAD_RECORD.value
