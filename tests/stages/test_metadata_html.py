"""Tests of HTML metadata reading (``storytrace.stages.metadata.html``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from htmldate import extractors as htmldate_extractors
from htmldate import find_date
from lxml.html import fromstring

from storytrace.records import Evidence, Metadata
from storytrace.stages.metadata import published as metadata_published
from storytrace.stages.metadata.html import (
    clean_author,
    parse_date,
    read_html_metadata,
    split_title,
)

BODY = (
    "<p>The council voted on Tuesday to approve the new transit plan after months of debate "
    "and a long public consultation that drew hundreds of comments from residents.</p>"
)


def _html(head: str = "", body: str = "") -> str:
    return f"<html lang='en'><head>{head}</head><body><article>{body}{BODY}</article></body></html>"


def _check_evidence(html: str, evidence: tuple[Evidence, ...]) -> None:
    assert evidence
    for ev in evidence:
        if ev.ref == "markup" and ev.start is not None and ev.end is not None:
            assert html[ev.start : ev.end] == ev.snippet


JSONLD = """<script type="application/ld+json">
{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Iran defies Trump", "datePublished": "2025-04-09T05:53:00+03:00",
 "author": [{"@type": "Person", "name": "Jane Doe"}, {"@type": "Person", "name": "John Roe"}],
 "publisher": {"@type": "Organization", "name": "Example News"}}
</script>"""


def test_metadata_html_jsonld_date_with_timezone() -> None:
    html = _html(JSONLD)
    published = read_html_metadata(html).published
    assert published.earliest == datetime(2025, 4, 9, 5, 53, tzinfo=timezone(timedelta(hours=3)))
    assert published.precision == "second"  # ":00" seconds are printed
    assert published.tz == "+03:00"
    assert published.evidence[0].method == "metadata.html.jsonld.datePublished"
    _check_evidence(html, published.evidence)


def test_metadata_html_jsonld_authors_joined() -> None:
    html = _html(JSONLD)
    author = read_html_metadata(html).author
    assert author.value == "Jane Doe, John Roe"
    _check_evidence(html, author.evidence)


@pytest.mark.parametrize(
    ("head", "outlet"),
    [
        ('<meta property="og:site_name" content="Caliber.az">', "Caliber.az"),
        (JSONLD, "Example News"),
        ("<title>Missiles moved to Iraq | Worthy News</title>", "Worthy News"),
    ],
)
def test_metadata_html_outlet(head: str, outlet: str) -> None:
    html = _html(head)
    value = read_html_metadata(html).outlet
    assert value.value == outlet
    _check_evidence(html, value.evidence)


@pytest.mark.parametrize(
    ("title", "outlet", "expected"),
    [
        ("Missiles moved to Iraq | Worthy News", None, ("Missiles moved to Iraq", "Worthy News")),
        ("Missiles moved to Iraq - Caliber.az", "Caliber.az",
         ("Missiles moved to Iraq", "Caliber.az")),
        ("Caliber.az | Missiles moved to Iraq today", "Caliber.az",
         ("Missiles moved to Iraq today", "Caliber.az")),
        ("The Times: Iran stokes regional instability", None,
         ("The Times: Iran stokes regional instability", None)),
        ("Plain headline", None, ("Plain headline", None)),
    ],
)  # fmt: skip
def test_metadata_html_title_suffix_stripping(
    title: str, outlet: str | None, expected: tuple[str, str | None]
) -> None:
    assert split_title(title, outlet) == expected


def test_metadata_html_title_from_title_tag_without_suffix() -> None:
    html = _html("<title>Missiles moved to Iraq | Worthy News</title>")
    title = read_html_metadata(html).title
    assert title.value == "Missiles moved to Iraq"
    _check_evidence(html, title.evidence)


def test_metadata_html_title_prefers_printed_headline() -> None:
    html = _html(
        '<meta property="og:title" content="Iran moves missiles to Iraq - Site">',
        "<h1>Iran moves missiles to Iraq in aggressive warning</h1>",
    )
    title = read_html_metadata(html).title
    assert title.value == "Iran moves missiles to Iraq in aggressive warning"
    assert title.evidence[0].snippet.startswith("<h1>")
    _check_evidence(html, title.evidence)


@pytest.mark.parametrize(
    ("body", "author"),
    [
        ("<figure><img src='x.jpg'><figcaption class='credit'>Reuters</figcaption></figure>"
         "<p class='byline'>By Tamilla Hasanova</p>", "Tamilla Hasanova"),
        ("<figure><img src='x.jpg'><span class='author'>Photo: AP</span></figure>", None),
        ("<div class='photo-credit'><span class='author'>Getty Images</span></div>", None),
        ("<span class='byline'>By <a rel='author' href='/author/sh'>Siavosh Hosseini</a>"
         " | May 3, 2018</span>", "Siavosh Hosseini"),
    ],
)  # fmt: skip
def test_metadata_html_byline_not_photo_credit(body: str, author: str | None) -> None:
    html = _html("", body)
    value = read_html_metadata(html).author
    assert value.value == author
    if author:
        _check_evidence(html, value.evidence)


@pytest.mark.parametrize(
    ("head", "author"),
    [
        ('<meta property="og:site_name" content="Daily Bugle">'
         '<meta name="author" content="Daily Bugle">', None),
        ('<meta name="author" content="staff">', None),
        ('<meta name="author" content="https://example.com/people/jane">', None),
        ('<meta name="author" content="Emmitt Barry">', "Emmitt Barry"),
    ],
)  # fmt: skip
def test_metadata_html_author_meta_not_outlet_or_staff(head: str, author: str | None) -> None:
    assert read_html_metadata(_html(head)).author.value == author


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("By Jane Doe | May 3, 2018", "Jane Doe"),
        ("Written By:Cazzy Magennis", "Cazzy Magennis"),
        ("Jane Doe Jane Doe", "Jane Doe"),
        ("Photo: Reuters", None),
        ("By", None),
        (".css-1x{display:flex}", None),
    ],
)
def test_metadata_html_clean_author(text: str, name: str | None) -> None:
    assert clean_author(text) == name


def test_metadata_html_related_stories_date_not_used() -> None:
    related = (
        "<div class='related-stories'><ul><li><a href='/a'>Other story</a> "
        "<time datetime='2025-11-20T10:00:00Z'>November 20, 2025</time></li></ul></div>"
    )
    html = (
        "<html><head></head><body><article><h1>Headline of the article</h1>"
        f"{BODY}</article>{related}</body></html>"
    )
    assert not read_html_metadata(html).published.known


def test_metadata_html_time_element_in_article() -> None:
    html = _html("", "<time datetime='2025-04-09T12:58'>09 April 2025, 12:58</time>")
    published = read_html_metadata(html).published
    assert published.earliest == datetime(2025, 4, 9, 12, 58)
    assert published.tz is None
    _check_evidence(html, published.evidence)


@pytest.mark.parametrize(
    ("text", "earliest", "precision", "tz"),
    [
        ("2025-04-09", date(2025, 4, 9), "day", None),
        ("2025-04-09T05:53:10Z", datetime(2025, 4, 9, 5, 53, 10, tzinfo=UTC), "second", "Z"),
        ("2025-04-09 12:58", datetime(2025, 4, 9, 12, 58), "minute", None),
        ("April 9, 2025", date(2025, 4, 9), "day", None),
        ("yesterday", None, None, None),
        ("2025-13-45", None, None, None),
    ],
)  # fmt: skip
def test_metadata_html_parse_date(
    text: str, earliest: date | None, precision: str | None, tz: str | None
) -> None:
    value = parse_date(text)
    if earliest is None:
        assert value is None
        return
    assert value is not None
    assert (value.earliest, value.precision, value.tz) == (earliest, precision, tz)


@pytest.mark.parametrize(
    "html", ["", "<html><body><p>Hello</p></body></html>", "<<<>>>", "\x00", "<html><head>"]
)
def test_metadata_html_missing_everything_unknown(html: str) -> None:
    meta = read_html_metadata(html)
    assert meta == Metadata()


def test_metadata_html_url_canonical_and_input() -> None:
    html = _html('<link rel="canonical" href="https://example.com/news/406622">')
    assert read_html_metadata(html).url.value == "https://example.com/news/406622"
    fallback = read_html_metadata(_html(), url="https://example.org/a")
    assert fallback.url.value == "https://example.org/a"
    assert fallback.url.evidence[0].ref == "input"


def test_metadata_html_language() -> None:
    html = _html()
    language = read_html_metadata(html).language
    assert language.value == "en"
    _check_evidence(html, language.evidence)


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><title><script>alert(1)</script> Breaking</title></head><body></body></html>",
        _html("", "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Breaking news today</h1>"),
        _html('<meta property="og:title" content="<script>alert(1)</script> Breaking">'),
    ],
)
def test_metadata_html_hostile_title_kept_as_text(html: str) -> None:
    title = read_html_metadata(html).title.value
    assert title is not None
    assert "<script>alert(1)</script>" in title


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><script type='application/ld+json'>{not json</script></head></html>",
        "<html><head><script type='application/ld+json'>[1, null, \"x\"]</script></head></html>",
        "<html><body><div><p>unclosed <span class='byline'>By Ann Lee",
        "<meta property='og:title' content='unterminated",
    ],
)
def test_metadata_html_broken_markup_does_not_crash(html: str) -> None:
    assert isinstance(read_html_metadata(html), Metadata)


@pytest.mark.parametrize("sep", ["", "\n"])
def test_metadata_html_evidence_points_at_the_element_read(sep: str) -> None:
    # minified pages are one line: the second <h1> on it must be cited, not the first
    html = (
        f"<html><body><aside class='related'><h1>Other story</h1></aside>{sep}"
        f"<article><h1 class='headline'>Real headline of the article</h1>{BODY}</article>"
        "</body></html>"
    )
    title = read_html_metadata(html).title
    assert title.value == "Real headline of the article"
    evidence = title.evidence[0]
    assert evidence.snippet.startswith("<h1 class='headline'>")
    _check_evidence(html, title.evidence)


def _printed_date_page(lang: str | None, printed: str) -> str:
    attr = f" lang='{lang}'" if lang else ""
    return (
        f"<html{attr}><head><title>Plan</title></head><body><article><h1>Plan</h1>"
        f"<p class='date'>{printed}</p>{BODY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("declared", "languages"),
    [
        ("en-GB", ("en",)),
        ("fr_FR", ("fr", "en")),
        ("pt-BR", ("pt", "en")),
        ("de", ("de", "en")),
        ("sr-Latn", ("sr-Latn", "en")),
        ("sr_latn_RS", ("sr-Latn", "en")),
        ("zh-Hant-TW", ("zh-Hant", "en")),
        ("zh-TW", ("zh", "en")),
        ("en-Latn-US", ("en",)),
        ("", None),
        (None, None),
        ("english", None),
        ("xx-YY", None),
    ],
)
def test_metadata_html_date_languages_from_declared_language(
    declared: str | None, languages: tuple[str, ...] | None
) -> None:
    assert metadata_published.date_languages(declared) == languages


def test_metadata_html_declared_language_scopes_htmldates_dateparser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "Jan. 17, 2025 @ 01:39" is beyond htmldate's own patterns: it goes to dateparser.
    asked: list[tuple[str, ...] | None] = []
    scoped, everything = metadata_published._parser_for, metadata_published._HTMLDATE_PARSER

    def spy_scoped(languages: tuple[str, ...]) -> object:
        asked.append(languages)
        return scoped(languages)

    def spy_everything() -> object:
        asked.append(None)
        return everything()

    monkeypatch.setattr(metadata_published, "_parser_for", spy_scoped)
    monkeypatch.setattr(metadata_published, "_HTMLDATE_PARSER", spy_everything)
    for lang, expected in (("en-US", ("en",)), (None, None)):
        htmldate_extractors.try_date_expr.cache_clear()
        asked.clear()
        published = read_html_metadata(_printed_date_page(lang, "Jan. 17, 2025 @ 01:39")).published
        assert published.earliest == date(2025, 1, 17)
        assert asked and set(asked) == {expected}
    # Outside a page, htmldate's own all-language parser answers.
    assert htmldate_extractors.get_external_parser() is everything()


@pytest.mark.parametrize(("lang", "found"), [("fr-FR", True), (None, True), ("en", False)])
def test_metadata_html_printed_dates_read_in_the_pages_language(
    lang: str | None, found: bool
) -> None:
    htmldate_extractors.try_date_expr.cache_clear()
    page = fromstring(_printed_date_page(lang, "17 janv. 2025 @ 01:39"))
    with metadata_published.scoped_date_parser(lang):
        day = find_date(page, original_date=True, extensive_search=True)
    assert (day == "2025-01-17") is found


def test_metadata_html_scoped_date_parser_keeps_htmldates_settings() -> None:
    def effective(parser: object) -> dict[str, object]:
        settings = parser._settings  # type: ignore[attr-defined]
        return {k: getattr(settings, k) for k in dir(settings) if k.isupper()}

    everything = metadata_published._HTMLDATE_PARSER()
    scoped = metadata_published._parser_for(("fr", "en"))
    assert effective(scoped) == effective(everything)
    assert scoped.languages == ["fr", "en"] and everything.languages is None


def test_metadata_html_printed_date_memo_is_kept_per_language() -> None:
    # htmldate memoises parsed strings across pages: a string that failed for an
    # English page must still be read for a page in another language, and back.
    htmldate_extractors.try_date_expr.cache_clear()
    page = fromstring(_printed_date_page(None, "17 janv. 2025 @ 01:39"))
    days = []
    for lang in ("en", None, "fr", "en"):
        with metadata_published.scoped_date_parser(lang):
            days.append(find_date(page, original_date=True, extensive_search=True))
    assert days[1] == days[2] == "2025-01-17"
    assert days[0] == days[3] != "2025-01-17"


def test_metadata_html_htmldates_cache_controls_reach_the_language_keyed_memo() -> None:
    from datetime import datetime as dt

    from htmldate import meta as htmldate_meta

    with metadata_published.scoped_date_parser("fr"):
        # htmldate's call, positional or by keyword, goes through the keyed memo.
        by_keyword = htmldate_extractors.try_date_expr(
            string="17 janv. 2025 @ 01:39", outputformat="%Y-%m-%d", extensive_search=True,
            min_date=dt(1995, 1, 1), max_date=dt(2030, 12, 31),
        )  # fmt: skip
    assert by_keyword == "2025-01-17"
    assert htmldate_extractors.try_date_expr.cache_info().currsize > 0
    htmldate_meta.reset_caches()
    assert htmldate_extractors.try_date_expr.cache_info().currsize == 0
