"""Title, outlet, author, URL, language and publication date from HTML markup.

Every value cites the markup it was read from: ``Evidence(ref="markup")`` with
offsets into the HTML string and the tag (or JSON-LD key/value) as snippet, and a
``method`` naming the source (``metadata.html.jsonld.datePublished``,
``metadata.html.og:site_name``, ``metadata.html.h1`` ...). A field no source
gives stays unknown (``TextValue.unknown()``/``DateValue.unknown()``).

Decisions (measured on the WCXB-dev tune half, see ``storytrace.bench.extract``):

* Title: the article's first ``<h1>`` when it agrees with the declared titles and
  is not the site name; a declared title it merely extends wins; otherwise JSON-LD
  ``headline``, ``og:title``, ``twitter:title``, ``<title>``, with a " | Outlet"
  suffix stripped (the stripped suffix is outlet evidence when nothing better exists).
* Outlet: ``og:site_name``, JSON-LD publisher, application name, title suffix.
* Author: JSON-LD authors (joined ", "; the publisher's own statement, so an
  organisation is kept -- unless a printed byline names a person), then author
  meta tags (ignored when they repeat the outlet name or say "staff"), then the
  printed byline (byline/author markup, ``rel=author``, "By ..." text). A photo
  credit (caption/credit markup, ``<figure>``) is never an author.
* Published: htmldate's original-date search on the page without related lists,
  sidebars, site footers and comments, matched back to a declared date (JSON-LD,
  meta, ``<time>``) of the same day to keep time and UTC offset; a day the markup
  never prints is rejected as a guess; then the declared dates; then the URL path.
  Values are ``datetime``/``date`` with precision and UTC offset as printed.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement

from storytrace import records
from storytrace.stages.htmlclean import parse_html

_TAG_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Quoted attribute values may contain ">" (an og:title with markup in it).
_META = re.compile(r"""<meta\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_LINK = re.compile(r"""<link\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_JSONLD = re.compile(
    r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_HTML_LANG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_WS = re.compile(r"\s+")
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:(?:written|words|text|story|reporting|posted|guides?|article|reviewed|edited)\s+)?"
    r"(?:by|von|par|por|door)\b|(?:authors?|contributors?|writers?)\b)\s*:?\s*",
    re.I,
)
_NOT_NAMES = frozenset({"author", "authors", "by", "contributors", "undefined", "null", "none"})
_TITLE_SEP = re.compile(r"\s+[|–—\-:·•»]\s+")
_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/")
_URLISH = re.compile(r"^(https?:|www\.|/)", re.I)
_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "report", "techarticle", "scholarlyarticle",
        "liveblogposting", "posting", "socialmediaposting", "medicalwebpage", "webpage", "howto",
        "recipe", "review", "creativework",
    }
)  # fmt: skip
_NOT_AUTHOR = re.compile(
    r"\b(photo|image|getty|shutterstock|credit|reuters/|afp/|ap photo)\b", re.I
)
_STAFF = re.compile(r"^(staff|admin|administrator|editor|editorial|team|news desk)$", re.I)

#: Ancestors whose dates and names are not the article's (related lists, furniture).
_FOREIGN = re.compile(
    r"related|recommend|more-?stories|trending|popular|sidebar|footer|comment|teaser|promo"
    r"|widget|recirc|read-?next|most-?read|outbrain|taboola",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Found:
    """A candidate string and where it was read.

    Attributes:
        value (str): the text read, entities decoded and whitespace collapsed.
        evidence (records.Evidence): the markup it was read from.
    """

    value: str
    evidence: records.Evidence


@dataclass(frozen=True, slots=True)
class Markup:
    """Everything read from the page once: meta tags, JSON-LD, title, tree.

    Attributes:
        html (str): the page as given; all offsets point into it.
        metas (tuple[tuple[str, Found], ...]): ``(key, value)`` of every ``<meta>``
            (key = lower-cased property/name/itemprop) and ``<link rel>`` (``link:rel``).
        jsonld (tuple[tuple[str, Found], ...]): fields of the page's JSON-LD article.
        title (Found | None): the ``<title>`` text.
        root (HtmlElement | None): the parsed page, shared with ``htmlclean``.
        line_starts (tuple[int, ...]): offset of each line, to place lxml elements.
    """

    html: str
    metas: tuple[tuple[str, Found], ...]
    jsonld: tuple[tuple[str, Found], ...]
    title: Found | None
    root: HtmlElement | None
    line_starts: tuple[int, ...]


def _attrs(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for match in _TAG_ATTR.finditer(tag):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if value is None:
            value = match.group(4) or ""
        out.setdefault(match.group(1).lower(), htmllib.unescape(value))
    return out


def _clean(text: str) -> str:
    text = htmllib.unescape(text)
    if "&#" in text or "&amp;" in text:
        text = htmllib.unescape(text)  # double-escaped titles in CMS JSON-LD (WCXB 0457)
    return _WS.sub(" ", text).strip()


def _read_metas(html: str) -> Iterator[tuple[str, Found]]:
    """Yield ``(key, Found)`` for each ``<meta>`` with content and each ``<link rel>``."""
    for match in _META.finditer(html):
        attrs = _attrs(match.group(0))
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
        content = _clean(attrs.get("content", ""))
        if key and content:
            evidence = records.Evidence(
                "markup", match.start(), match.end(), match.group(0), f"metadata.html.{key.lower()}"
            )
            yield key.lower(), Found(content, evidence)
    for match in _LINK.finditer(html):
        attrs = _attrs(match.group(0))
        rel, href = attrs.get("rel", "").lower(), attrs.get("href", "").strip()
        if rel and href:
            evidence = records.Evidence(
                "markup", match.start(), match.end(), match.group(0), f"metadata.html.link.{rel}"
            )
            yield f"link:{rel}", Found(href, evidence)


def _ld_objects(data: object) -> Iterator[dict[str, object]]:
    """Every JSON object in a JSON-LD document (``@graph`` and nesting flattened)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if graph is not None:
                stack.append(graph)


def _ld_types(obj: dict[str, object]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _ld_article(data: object) -> dict[str, object] | None:
    """The most specific article object: a NewsArticle beats a WebPage."""
    best: tuple[int, dict[str, object]] | None = None
    for obj in _ld_objects(data):
        kinds = _ld_types(obj) & _ARTICLE_TYPES
        if not kinds:
            continue
        rank = 1 if kinds <= {"webpage", "creativework", "medicalwebpage"} else 0
        if best is None or rank < best[0]:
            best = (rank, obj)
    return None if best is None else best[1]


def _ld_names(value: object) -> Iterator[tuple[str, str]]:
    """``(kind, name)`` of a JSON-LD author/publisher value (string, object or list)."""
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, str):
            yield "person", item
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            kind = "organization" if "organization" in _ld_types(item) else "person"
            yield kind, str(item["name"])


def _ld_evidence(html: str, span: tuple[int, int], key: str, value: str) -> records.Evidence:
    """Locate ``"key": ... value`` inside one JSON-LD script of the page."""
    start = html.find(f'"{key}"', span[0], span[1])
    if start < 0:
        start = span[0]
    raw = json.dumps(value, ensure_ascii=False)[1:-1]
    at = html.find(raw, start, span[1])
    end = at + len(raw) + 1 if at >= 0 else min(start + len(key) + 2, span[1])
    return records.Evidence("markup", start, end, html[start:end], f"metadata.html.jsonld.{key}")


_LD_TEXT_KEYS = ("headline", "name", "datePublished", "dateCreated", "inLanguage", "url")


def _ld_fields(obj: dict[str, object], html: str, span: tuple[int, int]) -> list[tuple[str, Found]]:
    found: list[tuple[str, Found]] = []
    for key in _LD_TEXT_KEYS:
        value = obj.get(key)
        if isinstance(value, str) and value.strip():
            found.append((key, Found(_clean(value), _ld_evidence(html, span, key, value))))
    for key in ("author", "publisher"):
        for kind, name in _ld_names(obj.get(key)):
            if name.strip():
                field = key if kind == "person" or key == "publisher" else "author_org"
                found.append((field, Found(_clean(name), _ld_evidence(html, span, key, name))))
    return found


def _read_jsonld(html: str) -> list[tuple[str, Found]]:
    """Fields of the first JSON-LD article object on the page."""
    for match in _JSONLD.finditer(html):
        try:
            data = json.loads(match.group(1), strict=False)
        except ValueError:
            continue
        article = _ld_article(data)
        if article is not None:
            return _ld_fields(article, html, match.span(1))
    return []


_BYLINE_CLASS = re.compile(r"byline|author|writer|contributor|posted-?by|article-?by", re.I)
_BYLINE_SKIP = re.compile(
    r"bio|avatar|image|photo|img|description|about|box|social|date|time", re.I
)
_CAPTION = re.compile(r"caption|credit|gallery|lightbox", re.I)
_NOT_BYLINE_TAGS = frozenset(
    {"img", "script", "style", "noscript", "meta", "link", "body", "article", "main", "svg", "html"}
)
_PRUNE = re.compile(
    r"related|recommend|more-?stories|trending|popular|sidebar|comment|teaser|recirc"
    r"|read-?next|most-?read|outbrain|taboola",
    re.I,
)
_FURNITURE_TAGS = frozenset({"aside", "footer", "nav"})
_FOREIGN_TAGS = frozenset({"aside", "footer", "nav", "figure", "figcaption", "form"})


@dataclass(frozen=True, slots=True)
class PageParts:
    """Elements of the parsed page that metadata is read from, in document order.

    Attributes:
        h1s (tuple[HtmlElement, ...]): headlines outside page furniture.
        bylines (tuple[HtmlElement, ...]): byline markup first, then bylines found
            by their text ("By ...", a "Written by" label), captions excluded.
        times (tuple[HtmlElement, ...]): ``<time datetime>`` outside page furniture.
    """

    h1s: tuple[HtmlElement, ...]
    bylines: tuple[HtmlElement, ...]
    times: tuple[HtmlElement, ...]


def _names(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _foreign(el: HtmlElement, pattern: re.Pattern[str]) -> bool:
    """Whether ``el`` sits in page furniture (related lists, sidebar, footer, figure)."""
    node: HtmlElement | None = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _FOREIGN_TAGS or tag == "body":
            return tag != "body"
        if pattern.search(_names(node)):
            return True
        node = node.getparent()
    return False


def _is_byline(el: HtmlElement, tag: str) -> bool:
    if el.get("rel", "").lower() == "author" or "author" in el.get("itemprop", "").lower():
        return True
    names = _names(el)
    return (
        tag not in _NOT_BYLINE_TAGS
        and _BYLINE_CLASS.search(names) is not None
        and _BYLINE_SKIP.search(names) is None
    )


def page_parts(root: HtmlElement) -> PageParts:
    """Collect headline, byline and ``<time>`` elements in one pass over the tree.

    Args:
        root: parsed page.

    Returns:
        The candidate elements, those in page furniture already left out.
    """
    h1s: list[HtmlElement] = []
    bylines: list[HtmlElement] = []
    labelled: list[HtmlElement] = []  # weaker: found by text, not by markup
    times: list[HtmlElement] = []
    for el in root.iter():
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "h1":
            h1s.append(el)
        elif tag == "time" and (el.get("datetime") or el.get("pubdate")):
            times.append(el)
        elif tag and _is_byline(el, tag):
            bylines.append(el)
        elif tag and tag not in _NOT_BYLINE_TAGS and len(el) < 3 and el.text:
            labelled.extend(_text_byline(el))
    return PageParts(
        tuple(e for e in h1s if not _foreign(e, _FOREIGN)),
        tuple(
            e for e in bylines + labelled if not _foreign(e, _CAPTION) and not _foreign(e, _FOREIGN)
        ),
        tuple(e for e in times if not _foreign(e, _FOREIGN)),
    )


_BY_LABEL = re.compile(r"^\s*(?:written|posted|words|text|story)?\s*by\s*:?\s*$", re.I)
_BY_TEXT = re.compile(r"^\s*by\s+[A-Z]")


def _text_byline(el: HtmlElement) -> list[HtmlElement]:
    """Bylines without byline markup: "<p>By Jane Doe</p>", or a "Written by"
    label followed by the name in the next element (WCXB dev 0058).
    """
    text = el.text or ""
    if _BY_LABEL.match(text) and len(el) == 0 and not (el.tail or "").strip():
        after = el.getnext()
        return [after] if after is not None and len(_el_text(after)) < 80 else []
    if _BY_TEXT.match(text) and len(_el_text(el).split()) <= 8:
        return [el]
    return []


def _line_starts(html: str) -> tuple[int, ...]:
    starts = [0]
    pos = html.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = html.find("\n", pos + 1)
    return tuple(starts)


#: Longest snippet kept for an element's evidence.
_SNIPPET_MAX = 500


def _locate(markup: Markup, el: HtmlElement, method: str) -> records.Evidence:
    """Evidence for an element: its start tag through its end tag (capped) in the HTML.

    lxml gives only the source line, and minified pages are one line, so the
    element is found as the k-th ``<tag`` on its line, k counted in the tree.
    """
    line = el.sourceline or 1
    tag = str(el.tag)
    rank = 0
    for other in markup.root.iter(tag) if markup.root is not None else ():
        if other is el:
            break
        rank += other.sourceline == line
    opener = re.compile(rf"<{re.escape(tag)}[\s>/]", re.IGNORECASE)
    pos = markup.line_starts[min(line, len(markup.line_starts)) - 1]
    match = None
    for _ in range(rank + 1):
        match = opener.search(markup.html, pos)
        if match is None:
            return records.Evidence("markup", None, None, tag, method)
        pos = match.end()
    assert match is not None  # the loop ran at least once
    start = match.start()
    close = markup.html.find(f"</{tag}>", start, start + _SNIPPET_MAX)
    end = close + len(tag) + 3 if close >= 0 else markup.html.find(">", start) + 1
    end = min(end if end > start else start + len(tag) + 1, start + _SNIPPET_MAX)
    return records.Evidence("markup", start, end, markup.html[start:end], method)


def read_markup(html: str) -> Markup:
    """Read meta tags, JSON-LD, ``<title>`` and the parsed tree of a page once.

    Args:
        html: decoded HTML.

    Returns:
        The page's metadata sources with their offsets.
    """
    title_match = _TITLE.search(html)
    title = None
    if title_match and _clean(title_match.group(1)):
        evidence = records.Evidence(
            "markup", title_match.start(), title_match.end(), title_match.group(0)[:500],
            "metadata.html.title",
        )  # fmt: skip
        title = Found(_clean(title_match.group(1)), evidence)
    return Markup(
        html,
        tuple(_read_metas(html)),
        tuple(_read_jsonld(html)),
        title,
        parse_html(html),
        _line_starts(html),
    )


def _meta(markup: Markup, *keys: str) -> Found | None:
    """The first meta tag (in ``keys`` order) with one of the keys."""
    for key in keys:
        for name, found in markup.metas:
            if name == key:
                return found
    return None


def _ld(markup: Markup, key: str) -> list[Found]:
    return [found for name, found in markup.jsonld if name == key]


def _text_value(found: Found | None, value: str | None = None) -> records.TextValue:
    if found is None:
        return records.TextValue.unknown()
    return records.TextValue(value if value is not None else found.value, (found.evidence,))


_XP_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)
_XP_NAME_CHILDREN = (
    etree.XPath(".//*[@itemprop='name']"),
    etree.XPath(".//a[@rel='author']"),
    etree.XPath(".//*[contains(@class, 'name')]"),
    etree.XPath(".//a[contains(@href, 'author') or contains(@href, '/by/')]"),
)


def _el_text(el: HtmlElement) -> str:
    """Visible text of an element, pieces space-separated ("Jane DoeUpdated" is split)."""
    pieces = _XP_VISIBLE_TEXT(el)
    return _clean(" ".join(str(p) for p in pieces) if isinstance(pieces, list) else "")


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
    cleaned = _clean(text).replace("Sept ", "Sep ")
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
    for found in _ld(markup, "datePublished"):
        yield _dated(found)
    for key in _DATE_KEYS:
        meta = _meta(markup, key)
        yield None if meta is None else _dated(meta)
    for el in parts.times if parts else ():
        evidence = _locate(markup, el, "metadata.html.time.datetime")
        yield _dated(Found(el.get("datetime") or el.get("pubdate") or "", evidence))
    for found in _ld(markup, "dateCreated"):
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
        hit = _PRUNE.search(_names(el)) is not None
    return hit and not _XP_HEADLINE(el)


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


def htmldate_layer(markup: Markup, declared: list[records.DateValue]) -> records.DateValue | None:
    """Fallback layer: htmldate's original-date search over the page (printed dates).

    A declared date (JSON-LD, meta, ``<time>``) on the same day is returned instead,
    as it keeps the time and UTC offset; otherwise the day htmldate found, with the
    first place the markup prints it.

    Args:
        markup: the page's metadata sources.
        declared: dates read from structured markup, strongest first.

    Returns:
        The date, or ``None`` when htmldate finds none or the markup does not print it.
    """
    if markup.root is None:
        return None
    try:
        found = find_date(
            _without_furniture(markup.root), original_date=True, extensive_search=HTMLDATE_EXTENSIVE
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


def read_published(markup: Markup, parts: PageParts | None, url: str | None) -> records.DateValue:
    """The publication date: structured markup and htmldate, then the URL path.

    Args:
        markup: the page's metadata sources.
        parts: headline/byline/time elements (``None`` when the page did not parse).
        url: the page URL, whose ``/YYYY/MM/DD/`` path is the last resort.

    Returns:
        The first readable date, or ``DateValue.unknown()``.
    """
    declared = [v for v in _date_candidates(markup, parts) if v is not None]
    if DATE_ORDER == "declared" and declared:
        return declared[0]
    printed = htmldate_layer(markup, declared)
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


def read_outlet(markup: Markup) -> records.TextValue:
    """The outlet name: ``og:site_name``, JSON-LD publisher, application name.

    Args:
        markup: the page's metadata sources.

    Returns:
        The declared outlet name, or unknown (the title suffix is tried later).
    """
    found = _meta(markup, "og:site_name")
    publishers = _ld(markup, "publisher")
    if found is None and publishers:
        found = publishers[0]
    if found is None:
        found = _meta(markup, "application-name", "apple-mobile-web-app-title", "twitter:site")
    if found is None or _URLISH.match(found.value) or found.value.startswith("@"):
        return records.TextValue.unknown()
    return _text_value(found)


def _similar(a: str, b: str) -> bool:
    x, y = a.lower(), b.lower()
    return bool(x and y) and (x in y or y in x)


def split_title(text: str, outlet: str | None) -> tuple[str, str | None]:
    """Strip an outlet suffix (or prefix) from a page title.

    Args:
        text: ``<title>``/``og:title`` text, e.g. "Headline | Outlet".
        outlet: the declared outlet name, if any.

    Returns:
        (headline, stripped outlet part or ``None``).
    """
    parts = _TITLE_SEP.split(text)
    if len(parts) < 2:
        return text, None
    last, first = parts[-1], parts[0]
    if outlet and _similar(first, outlet) and not _similar(last, outlet):
        return text[len(first) :].lstrip(" |–—-:·•»"), first
    if (outlet and _similar(last, outlet)) or len(last.split()) <= 4 < len(text.split()):
        return text[: text.rfind(last)].rstrip(" |–—-:·•»"), last
    return text, None


def _declared_titles(markup: Markup) -> list[Found]:
    found = [*_ld(markup, "headline"), _meta(markup, "og:title"), _meta(markup, "twitter:title")]
    return [f for f in found if f is not None]


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.lower()))


def _agrees(text: str, others: list[str]) -> bool:
    """Whether a headline shares most words with any declared title (or none exists)."""
    mine = _words(text)
    if not others:
        return True
    return any(len(mine & _words(o)) >= 0.5 * min(len(mine), len(_words(o))) for o in others)


def read_title(markup: Markup, parts: PageParts | None, outlet: str | None) -> records.TextValue:
    """The printed headline, else a declared title with the outlet suffix stripped.

    Args:
        markup: the page's metadata sources.
        parts: headline/byline/time elements (``None`` when the page did not parse).
        outlet: the declared outlet name, for suffix stripping.

    Returns:
        The title with its evidence, or unknown.
    """
    declared = [f for f in [*_declared_titles(markup), markup.title] if f is not None]
    stripped = [split_title(f.value, outlet) for f in declared]
    names = {n.casefold() for n in [outlet, *(suffix for _, suffix in stripped)] if n}
    for el in parts.h1s[:1] if parts else ():
        text = _headline_text(el)
        if len(text) < 8 or text.casefold() in names:
            continue  # the site logo set as <h1> (WCXB dev 0126 "Stanford Online")
        if not _agrees(text, [head for head, _ in stripped]):
            continue
        # A declared title the headline merely extends ("... Posted on July 1 by x").
        for found, (head, _) in zip(declared, stripped, strict=True):
            if text.startswith(head) and 0.6 * len(text) <= len(head) < len(text):
                return _text_value(found, head)
        return records.TextValue(text, (_locate(markup, el, "metadata.html.h1"),))
    if declared:
        return _text_value(declared[0], stripped[0][0])
    return records.TextValue.unknown()


_XP_SPACED_CHILD = etree.XPath("boolean(.//br | .//div | .//p | .//span[contains(@class, 'br')])")


def _headline_text(el: HtmlElement) -> str:
    """Headline text: inline markup joined as is, line breaks and blocks as spaces."""
    return _el_text(el) if _XP_SPACED_CHILD(el) else _clean(el.text_content())


_BYLINE_CUT = re.compile(
    r"\s*(?:\||•|·|—|–|\s-\s|\bon\b|\bupdated\b|\bpublished\b|\bposted\b|\blast\b"
    r"|\d{1,2}[:/.]\d|\b\d{1,2}(?:st|nd|rd|th)\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d).*$",
    re.I,
)
_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "dc.creator",
                "dcterms.creator", "byl")  # fmt: skip
_MAX_AUTHOR_WORDS = 12
#: Printed byline before JSON-LD/meta authors; measured 1 point worse on WCXB-dev tune half.
PREFER_PRINTED_AUTHOR = False
#: "htmldate" asks htmldate first (matched back to declared dates), "declared" trusts
#: JSON-LD/meta/<time> first and asks htmldate only when they give nothing.
DATE_ORDER = "htmldate"
#: htmldate's text search for printed dates: +3 points date accuracy on WCXB-dev
#: tune half for about 10 ms a page.
HTMLDATE_EXTENSIVE = True


def clean_author(text: str) -> str | None:
    """A byline reduced to the names: "By Jane Doe | May 3" -> "Jane Doe".

    Args:
        text: byline or meta text.

    Returns:
        The name(s), or ``None`` when what is left is not a name (a URL, a photo
        credit, CSS, too long to be a byline).
    """
    name = _BYLINE_CUT.sub("", _BYLINE_PREFIX.sub("", _clean(text))).strip(" ,;:-")
    name = _BYLINE_PREFIX.sub("", name).strip(" ,;:-")
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        name = " ".join(words[:half])  # mobile + desktop copies of one byline
    if not name or name.lower() in _NOT_NAMES or _URLISH.match(name) or "{" in name:
        return None
    if _NOT_AUTHOR.search(name) or "@" in name:
        return None
    if len(name.split()) > _MAX_AUTHOR_WORDS or not re.search(r"[^\W\d_]", name):
        return None
    return name


_NAME_GLUE = re.compile(r"^[\s,;&]*(?:(?:and|und|et|y)\b[\s,;&]*)*$", re.I)


def _byline_names(el: HtmlElement) -> str | None:
    """The names in a byline element, in the printed form when that is just the names.

    Name-bearing children (``itemprop=name``, ``rel=author``, ``*name*`` classes,
    author-page links) are preferred over the whole element text, which often
    carries a job title or outlet ("Brian Truitt USA TODAY").
    """
    whole = clean_author(_el_text(el))
    for xpath in _XP_NAME_CHILDREN:
        found = xpath(el)
        children = found if isinstance(found, list) else []
        names = [n for n in (clean_author(_el_text(c)) for c in children) if n]
        names = list(dict.fromkeys(names))
        if not names:
            continue
        rest = whole or ""
        for name in names:
            rest = rest.replace(name, "", 1)
        return whole if whole and _NAME_GLUE.match(rest) else ", ".join(names)
    return whole


def _printed_author(
    markup: Markup, parts: PageParts | None, outlet: str | None
) -> records.TextValue:
    for el in parts.bylines if parts else ():
        name = _byline_names(el)
        if name is not None:
            return records.TextValue(name, (_locate(markup, el, "metadata.html.byline"),))
    return records.TextValue.unknown()


def _declared_author(
    markup: Markup, parts: PageParts | None, outlet: str | None
) -> records.TextValue:
    # JSON-LD authors are kept even when an organisation: it is the publisher's own
    # statement of authorship and WCXB's printed bylines agree ("Soliant", "JWU").
    people = [f for f in _ld(markup, "author") if clean_author(f.value)]
    if people:
        names = [_drop_outlet(str(clean_author(f.value)), outlet) for f in people]
        names = list(dict.fromkeys(names))
        return records.TextValue(", ".join(names), tuple(f.evidence for f in people))
    for key in _AUTHOR_META:
        found = _meta(markup, key)
        if found and _person(found.value, outlet):
            return records.TextValue(str(clean_author(found.value)), (found.evidence,))
    return records.TextValue.unknown()


def _drop_outlet(name: str, outlet: str | None) -> str:
    """ "Jane Doe, The Commercial Appeal" -> "Jane Doe" when that is the outlet."""
    if outlet and name.casefold().endswith(", " + outlet.casefold()):
        return name[: -len(outlet) - 2]
    return name


def _person(text: str, outlet: str | None) -> bool:
    """Whether an author meta tag names a person, not the outlet or "staff".

    CMS themes fill ``<meta name="author">`` with the site name; such a tag is
    site furniture, not a byline.
    """
    name = clean_author(text)
    if name is None or _STAFF.match(name):
        return False
    return not (outlet and _similar(name, outlet))


def read_author(markup: Markup, parts: PageParts | None, outlet: str | None) -> records.TextValue:
    """The author(s): the printed byline, else JSON-LD persons, else author meta tags.

    Args:
        markup: the page's metadata sources.
        parts: headline/byline/time elements (``None`` when the page did not parse).
        outlet: the outlet name; a meta author equal to it is not a person.

    Returns:
        The names joined with ", " (as printed for a byline), or unknown.
    """
    first, second = _printed_author, _declared_author
    if not PREFER_PRINTED_AUTHOR:
        first, second = _declared_author, _printed_author
    found = first(markup, parts, outlet)
    if found.value is None:
        return second(markup, parts, outlet)
    if outlet and found.value.casefold() == outlet.casefold():
        # The outlet declared as author (USA TODAY, WCXB dev 0106): a printed
        # person's byline wins; the outlet stays only if nothing else is printed.
        printed = _printed_author(markup, parts, outlet)
        return printed if printed.value is not None else found
    return found


def read_url(markup: Markup, url: str | None) -> records.TextValue:
    """The canonical URL, else ``og:url``, else the URL the page was fetched from."""
    found = _meta(markup, "link:canonical", "og:url")
    if found is not None and found.value.startswith("http"):
        return _text_value(found)
    if url:
        return records.TextValue(
            url, (records.Evidence("input", None, None, url, "metadata.html.input_url"),)
        )
    return records.TextValue.unknown()


def read_language(markup: Markup) -> records.TextValue:
    """``<html lang>``, else ``og:locale``/``content-language``/JSON-LD ``inLanguage``."""
    match = _HTML_LANG.search(markup.html)
    lang = _attrs(match.group(0)).get("lang", "").strip() if match else ""
    if match and lang:
        evidence = records.Evidence(
            "markup", match.start(), match.end(), match.group(0), "metadata.html.html_lang"
        )
        return records.TextValue(lang, (evidence,))
    found = _meta(markup, "og:locale", "content-language", "language")
    if found is None:
        found = next(iter(_ld(markup, "inLanguage")), None)
    return _text_value(found)


def read_html_metadata(html: str, url: str | None = None) -> records.Metadata:
    """Title, outlet, author, URL, language and publication date of an HTML page.

    Args:
        html: decoded HTML of one page.
        url: the URL the page came from, if known.

    Returns:
        ``Metadata`` whose values cite the markup they were read from; unknown
        values are ``TextValue.unknown()``/``DateValue.unknown()``.
    """
    markup = read_markup(html)
    parts = page_parts(markup.root) if markup.root is not None else None
    outlet = read_outlet(markup)
    title = read_title(markup, parts, outlet.value)
    if outlet.value is None and markup.title is not None:
        suffix = split_title(markup.title.value, None)[1]
        if suffix:
            outlet = records.TextValue(suffix, (markup.title.evidence,), confidence=0.5)
    return records.Metadata(
        title=title,
        outlet=outlet,
        author=read_author(markup, parts, outlet.value),
        url=read_url(markup, url),
        language=read_language(markup),
        published=read_published(markup, parts, url),
    )
