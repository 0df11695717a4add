"""The page read once: meta tags, ``<link rel>``, JSON-LD, ``<title>`` and the tree.

:func:`read_markup` collects every declared metadata source of a page with its
offsets into the HTML; the field readers (``metadata_title``, ``metadata_author``,
``metadata_published``) look values up in it with :func:`first_meta` and
:func:`jsonld_values`.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import html as htmllib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

from storytrace import records
from storytrace.models.html import SHARED_PARSER

_TAG_ATTR = re.compile(r"""([\w:.\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
# Quoted attribute values may contain ">" (an og:title with markup in it).
_META = re.compile(r"""<meta\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_LINK = re.compile(r"""<link\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_JSONLD = re.compile(
    r"<script\b[^>]*application/ld\+json[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_WS = re.compile(r"\s+")
#: A value that is a link or a path, not a name.
URLISH = re.compile(r"^(https?:|www\.|/)", re.I)
_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "report", "techarticle", "scholarlyarticle",
        "liveblogposting", "posting", "socialmediaposting", "medicalwebpage", "webpage", "howto",
        "recipe", "review", "creativework",
    }
)  # fmt: skip


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


def tag_attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, names lower-cased, values unescaped (first wins)."""
    out: dict[str, str] = {}
    for match in _TAG_ATTR.finditer(tag):
        value = match.group(2) if match.group(2) is not None else match.group(3)
        if value is None:
            value = match.group(4) or ""
        out.setdefault(match.group(1).lower(), htmllib.unescape(value))
    return out


def clean_text(text: str) -> str:
    """Text with HTML entities decoded and whitespace collapsed."""
    text = htmllib.unescape(text)
    if "&#" in text or "&amp;" in text:
        text = htmllib.unescape(text)  # double-escaped titles in CMS JSON-LD (WCXB 0457)
    return _WS.sub(" ", text).strip()


def _read_metas(html: str) -> Iterator[tuple[str, Found]]:
    """Yield ``(key, Found)`` for each ``<meta>`` with content and each ``<link rel>``."""
    for match in _META.finditer(html):
        attrs = tag_attrs(match.group(0))
        key = attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or ""
        content = clean_text(attrs.get("content", ""))
        if key and content:
            evidence = records.Evidence(
                "markup", match.start(), match.end(), match.group(0), f"metadata.html.{key.lower()}"
            )
            yield key.lower(), Found(content, evidence)
    for match in _LINK.finditer(html):
        attrs = tag_attrs(match.group(0))
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
            found.append((key, Found(clean_text(value), _ld_evidence(html, span, key, value))))
    for key in ("author", "publisher"):
        for kind, name in _ld_names(obj.get(key)):
            if name.strip():
                field = key if kind == "person" or key == "publisher" else "author_org"
                found.append((field, Found(clean_text(name), _ld_evidence(html, span, key, name))))
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


def _line_starts(html: str) -> tuple[int, ...]:
    starts = [0]
    pos = html.find("\n")
    while pos >= 0:
        starts.append(pos + 1)
        pos = html.find("\n", pos + 1)
    return tuple(starts)


def read_markup(html: str) -> Markup:
    """Read meta tags, JSON-LD, ``<title>`` and the parsed tree of a page once.

    Args:
        html: decoded HTML.

    Returns:
        The page's metadata sources with their offsets.
    """
    title_match = _TITLE.search(html)
    title = None
    if title_match and clean_text(title_match.group(1)):
        evidence = records.Evidence(
            "markup", title_match.start(), title_match.end(), title_match.group(0)[:500],
            "metadata.html.title",
        )  # fmt: skip
        title = Found(clean_text(title_match.group(1)), evidence)
    return Markup(
        html,
        tuple(_read_metas(html)),
        tuple(_read_jsonld(html)),
        title,
        SHARED_PARSER.parse(html),
        _line_starts(html),
    )


def first_meta(markup: Markup, *keys: str) -> Found | None:
    """The first meta tag (in ``keys`` order) with one of the keys."""
    for key in keys:
        for name, found in markup.metas:
            if name == key:
                return found
    return None


def jsonld_values(markup: Markup, key: str) -> list[Found]:
    """Every value of one JSON-LD article field, in page order."""
    return [found for name, found in markup.jsonld if name == key]


def text_value(found: Found | None, value: str | None = None) -> records.TextValue:
    """A ``TextValue`` citing ``found`` (``value`` replaces its text), else unknown."""
    if found is None:
        return records.TextValue.unknown()
    return records.TextValue(value if value is not None else found.value, (found.evidence,))


def similar_names(a: str, b: str) -> bool:
    """Whether one name contains the other, ignoring case (empty names never match)."""
    x, y = a.lower(), b.lower()
    return bool(x and y) and (x in y or y in x)
