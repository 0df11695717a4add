"""The publication date of an HTML page: declared dates, htmldate, the URL path.

Declared dates (JSON-LD ``datePublished``, date meta tags, ``<time>``) and
htmldate's search for printed dates on the page without furniture are matched
against each other (see :func:`htmldate_layer`); the URL's ``/YYYY/MM/DD/`` path
is the last resort.

htmldate hands the printed strings its own patterns miss to dateparser with every
one of dateparser's 205 languages: the first such call in a process loads them all
(~1.4 s, paid again by every Dask worker) and each later call tries them all
(~11 ms). A page that declares its language (``<html lang>``, ``og:locale`` ...)
is read with that language and English only (~1 ms a call); a page that declares
none, or one dateparser does not know, keeps htmldate's all-language parser.
See :func:`scoped_date_parser`.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import deepcopy
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from htmldate import core as htmldate_core
from htmldate import extractors as htmldate_extractors
from htmldate import find_date
from htmldate import meta as htmldate_meta
from lxml import etree
from lxml.html import HtmlElement

from storytrace import records
from storytrace.stages.metadata.elements import PageParts, class_names, locate
from storytrace.stages.metadata.markup import Found, Markup, clean_text, first_meta, jsonld_values

_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
# Class/id names of the furniture removed before htmldate reads the page.
_PRUNE = re.compile(
    r"related|recommend|more-?stories|trending|popular|sidebar|comment|teaser|recirc"
    r"|read-?next|most-?read|outbrain|taboola",
    re.I,
)
_FURNITURE_TAGS = frozenset({"aside", "footer", "nav"})

#: "htmldate" asks htmldate first (matched back to declared dates), "declared" trusts
#: JSON-LD/meta/<time> first and asks htmldate only when they give nothing.
DATE_ORDER = "htmldate"
#: htmldate's text search for printed dates: +3 points date accuracy on WCXB-dev
#: tune half for about 10 ms a page.
HTMLDATE_EXTENSIVE = True


# htmldate (pinned in requirements.lock) looks its dateparser up through this module
# function at each call; the page being read picks the languages. Its memo of
# parsed strings (``try_date_expr``) is keyed by the languages too, or a string
# read for one page would answer for a page in another language: the result of
# a document would depend on the documents read before it in the process.
_HTMLDATE_PARSER = htmldate_extractors.get_external_parser
_HTMLDATE_TRY = htmldate_extractors.try_date_expr
_PAGE_LANGUAGES: ContextVar[tuple[str, ...] | None] = ContextVar(
    "storytrace_page_date_languages", default=None
)
_LANGUAGE_TAG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4})(?![A-Za-z]))?(?:[-_]|\s*$)")


def date_languages(language: str | None) -> tuple[str, ...] | None:
    """dateparser languages for a page's declared language, English included.

    ``"fr-FR"`` → ``("fr", "en")``; a script dateparser keeps apart is kept
    (``"sr-Latn"`` → ``("sr-Latn", "en")``); ``None`` (all languages) when the page
    declares none or dateparser does not know it.
    """
    from dateparser.data import language_locale_dict

    match = _LANGUAGE_TAG.match(language or "")
    if match is None:
        return None
    code = match.group(1).lower()
    if match.group(2):
        scripted = f"{code}-{match.group(2).title()}"
        if scripted in language_locale_dict:
            return (scripted, "en")
    if code not in language_locale_dict:
        return None
    return ("en",) if code == "en" else (code, "en")


#: htmldate 1.11's settings for its dateparser (``get_external_parser``); a test
#: checks the narrowed parser's effective settings equal htmldate's.
_HTMLDATE_SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}


@lru_cache(maxsize=32)
def _parser_for(languages: tuple[str, ...]) -> Any:
    from dateparser import DateDataParser

    return DateDataParser(languages=list(languages), settings=dict(_HTMLDATE_SETTINGS))


def _scoped_parser() -> Any:
    languages = _PAGE_LANGUAGES.get()
    return _HTMLDATE_PARSER() if languages is None else _parser_for(languages)


@lru_cache(maxsize=_HTMLDATE_TRY.cache_info().maxsize)
def _try_in_languages(
    args: tuple[Any, ...], kwargs: tuple[tuple[str, Any], ...], languages: tuple[str, ...] | None
) -> str | None:
    del languages  # only a part of the cache key: the parser is picked by _scoped_parser
    result: str | None = _HTMLDATE_TRY.__wrapped__(*args, **dict(kwargs))
    return result


def _scoped_try_date_expr(*args: Any, **kwargs: Any) -> str | None:
    # Whatever htmldate passes goes through, so a changed signature fails loudly
    # in htmldate's own call rather than in this wrapper.
    return _try_in_languages(args, tuple(sorted(kwargs.items())), _PAGE_LANGUAGES.get())


# htmldate's cache controls (``reset_caches``, benchmarks, tests) reach this cache.
_scoped_try_date_expr.cache_clear = _try_in_languages.cache_clear  # type: ignore[attr-defined]
_scoped_try_date_expr.cache_info = _try_in_languages.cache_info  # type: ignore[attr-defined]


@cache
def _install_scoped_parser() -> None:
    # Once per process: outside a scoped block the installed functions answer as
    # htmldate's own (all languages, memo keyed by ``None``).
    htmldate_extractors.get_external_parser = _scoped_parser  # type: ignore[assignment]
    # Every htmldate module holding its own reference (``meta.reset_caches`` clears it).
    for module in (htmldate_extractors, htmldate_core, htmldate_meta):
        module.try_date_expr = _scoped_try_date_expr  # type: ignore[attr-defined]


@contextmanager
def scoped_date_parser(language: str | None) -> Iterator[None]:
    """Within the block, htmldate's dateparser reads dates in ``language`` and English.

    Thread- and task-safe (a ``ContextVar``); outside any block, and for a page
    without a known language, htmldate's all-language parser is used. htmldate's
    memo of parsed strings is keyed by the languages.
    """
    _install_scoped_parser()
    token = _PAGE_LANGUAGES.set(date_languages(language))
    try:
        yield
    finally:
        _PAGE_LANGUAGES.reset(token)


def warm_date_parser() -> None:
    """Load all of dateparser's languages now rather than at the first page needing them.

    A one-time cost per process (~1.5 s: every locale's data and patterns), like a
    model load; for long-running workers and for benchmarks that time steady state.
    """
    _HTMLDATE_PARSER().get_date_data("0 x")  # a string no language reads tries them all


def _parse_iso(text: str) -> records.DateValue | None:
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, _minute, second, tz = match.groups()
    try:
        if hour is None:
            value: date | datetime = date(int(year), int(month), int(day))
            return records.DateValue(value, value, "day")
        stamp = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    precision: records.DatePrecision = "minute" if second is None else "second"
    return records.DateValue(stamp, stamp, precision, tz)


#: Ordinary printed date formats seen in meta tags ("October 10, 2021", "10/10/2021").
_TEXT_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%Y/%m/%d", "%Y%m%d")


def parse_date(text: str) -> records.DateValue | None:
    """A date as printed in markup: ISO 8601 first, then a few common formats.

    Args:
        text: an attribute or JSON-LD value.

    Returns:
        The date with precision and printed UTC offset (evidence not yet set),
        or ``None`` when the text is not a date.
    """
    iso = _parse_iso(text)
    if iso is not None:
        return iso
    cleaned = clean_text(text).replace("Sept ", "Sep ")
    for fmt in _TEXT_FORMATS:
        try:
            day = datetime.strptime(cleaned, fmt).date()
        except ValueError:
            continue
        return records.DateValue(day, day, "day")
    return None


#: Meta keys giving the publication date, strongest first.
_DATE_KEYS = (
    "article:published_time", "og:published_time", "article:published", "datepublished",
    "parsely-pub-date", "sailthru.date", "publish-date", "publish_date", "pubdate",
    "publication_date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date",
    "dcterms.created", "date", "article.published", "cxenseparse:recs:publishtime",
)  # fmt: skip


def _dated(found: Found, text: str | None = None) -> records.DateValue | None:
    value = parse_date(found.value if text is None else text)
    if value is None:
        return None
    return records.DateValue(
        value.earliest, value.latest, value.precision, value.tz, evidence=(found.evidence,)
    )


def _date_candidates(markup: Markup, parts: PageParts | None) -> Iterator[records.DateValue | None]:
    for found in jsonld_values(markup, "datePublished"):
        yield _dated(found)
    for key in _DATE_KEYS:
        meta = first_meta(markup, key)
        yield None if meta is None else _dated(meta)
    for el in parts.times if parts else ():
        evidence = locate(markup, el, "metadata.html.time.datetime")
        yield _dated(Found(el.get("datetime") or el.get("pubdate") or "", evidence))
    for found in jsonld_values(markup, "dateCreated"):
        yield _dated(found)


def _day_of(value: records.DateValue) -> date | None:
    point = value.earliest
    return point.date() if isinstance(point, datetime) else point


def _locate_day(html: str, day: date) -> records.Evidence:
    """Where a date found by htmldate is printed in the markup (first spelling found)."""
    suffix = (
        "th" if 10 <= day.day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day.day % 10, "th")
    )
    spellings = (
        day.isoformat(), f"{day:%Y/%m/%d}", f"{day:%B} {day.day}, {day.year}",
        f"{day.day} {day:%B} {day.year}", f"{day:%b} {day.day}, {day.year}",
        f"{day:%b}. {day.day}, {day.year}", f"{day:%B %d, %Y}", f"{day:%b %d, %Y}",
        f"{day:%B} {day.day}{suffix}, {day.year}", f"{day.day}{suffix} {day:%B} {day.year}",
        f"{day.day} {day:%b} {day.year}", f"{day:%d.%m.%Y}", f"{day:%m/%d/%Y}",
        f"{day:%d/%m/%Y}", f"{day.day}. {day:%B} {day.year}",
    )  # fmt: skip
    for text in spellings:
        at = html.find(text)
        if at >= 0:
            return records.Evidence("markup", at, at + len(text), text, "metadata.html.htmldate")
    return records.Evidence("markup", None, None, day.isoformat(), "metadata.html.htmldate")


_XP_HEADLINE = etree.XPath("boolean(.//h1)")
_XP_IN_ARTICLE = etree.XPath("boolean(ancestor::article)")


def _is_furniture(el: HtmlElement) -> bool:
    """Related lists, sidebars, comments, site footers -- but never the article itself.

    Blogger wraps the whole post in ``div.widget`` and WordPress prints the post
    date in ``footer.entry-footer`` inside ``<article>`` (WCXB dev 0441, 0459), so
    a match holding the headline, or a footer inside the article, is kept.
    """
    tag = str(el.tag)
    if tag in _FURNITURE_TAGS:
        hit = not _XP_IN_ARTICLE(el)
    else:
        hit = _furniture_names(class_names(el))
    return hit and not _XP_HEADLINE(el)


@lru_cache(maxsize=8192)
def _furniture_names(names: str) -> bool:
    # Cached: a page repeats a few dozen class names over thousands of elements.
    return _PRUNE.search(names) is not None


def _without_furniture(root: HtmlElement) -> HtmlElement:
    """A copy of the page without related lists, sidebars, footers and comments.

    htmldate reads printed dates anywhere; a "related stories" teaser's date must
    never date the article (seed 000's footer lists stories from months later).
    """
    pruned = deepcopy(root)
    doomed = [el for el in pruned.iter() if isinstance(el.tag, str) and _is_furniture(el)]
    for el in doomed:
        if el.getparent() is not None:
            el.drop_tree()
    return pruned


def htmldate_layer(
    markup: Markup, declared: list[records.DateValue], language: str | None = None
) -> records.DateValue | None:
    """Fallback layer: htmldate's original-date search over the page (printed dates).

    A declared date (JSON-LD, meta, ``<time>``) on the same day is returned instead,
    as it keeps the time and UTC offset; otherwise the day htmldate found, with the
    first place the markup prints it.

    Args:
        markup: the page's metadata sources.
        declared: dates read from structured markup, strongest first.
        language: the page's declared language (``<html lang>`` ...), which scopes
            the languages printed dates are read in; ``None`` reads all of them.

    Returns:
        The date, or ``None`` when htmldate finds none or the markup does not print it.
    """
    if markup.root is None:
        return None
    try:
        with scoped_date_parser(language):
            found = find_date(
                _without_furniture(markup.root),
                original_date=True,
                extensive_search=HTMLDATE_EXTENSIVE,
            )
        day = date.fromisoformat(found) if found else None
    except (ValueError, TypeError, LookupError, OverflowError, etree.LxmlError):
        return None  # htmldate on a pathological page: the date stays as declared/unknown
    if day is None:
        return None
    for value in declared:
        if _day_of(value) == day:
            return value
    evidence = _locate_day(markup.html, day)
    # A day the markup never prints is htmldate's guess (a copyright year read as
    # 1 January, WCXB dev 0118/0210): unknown beats a guess.
    if evidence.start is None:
        return None
    return records.DateValue(day, day, "day", evidence=(evidence,))


def read_published(
    markup: Markup, parts: PageParts | None, url: str | None, language: str | None = None
) -> records.DateValue:
    """The publication date: structured markup and htmldate, then the URL path.

    Args:
        markup: the page's metadata sources.
        parts: headline/byline/time elements (``None`` when the page did not parse).
        url: the page URL, whose ``/YYYY/MM/DD/`` path is the last resort.
        language: the page's declared language, if any (see :func:`htmldate_layer`).

    Returns:
        The first readable date, or ``DateValue.unknown()``.
    """
    declared = [v for v in _date_candidates(markup, parts) if v is not None]
    if DATE_ORDER == "declared" and declared:
        return declared[0]
    printed = htmldate_layer(markup, declared, language)
    if printed is not None:
        return printed
    return declared[0] if declared else _url_date(url)


def _url_date(url: str | None) -> records.DateValue:
    match = _URL_DATE.search(url or "")
    if match is None:
        return records.DateValue.unknown()
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return records.DateValue.unknown()
    evidence = records.Evidence(
        "url", match.start(), match.end(), match.group(0), "metadata.html.url_path_date"
    )
    return records.DateValue(day, day, "day", evidence=(evidence,))
