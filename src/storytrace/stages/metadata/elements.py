"""The parsed page: headline, byline and ``<time>`` elements, and where they are printed.

:func:`page_parts` collects the candidate elements in one pass, leaving out those
in page furniture (related lists, sidebars, footers, figures); :func:`locate`
turns an element into evidence with offsets into the HTML.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from lxml.html import HtmlElement

from storytrace import records
from storytrace.stages.metadata.markup import Markup, clean_text

#: Ancestors whose dates and names are not the article's (related lists, furniture).
_FOREIGN = re.compile(
    r"related|recommend|more-?stories|trending|popular|sidebar|footer|comment|teaser|promo"
    r"|widget|recirc|read-?next|most-?read|outbrain|taboola",
    re.I,
)

_BYLINE_CLASS = re.compile(r"byline|author|writer|contributor|posted-?by|article-?by", re.I)
_BYLINE_SKIP = re.compile(
    r"bio|avatar|image|photo|img|description|about|box|social|date|time", re.I
)
_CAPTION = re.compile(r"caption|credit|gallery|lightbox", re.I)
_NOT_BYLINE_TAGS = frozenset(
    {"img", "script", "style", "noscript", "meta", "link", "body", "article", "main", "svg", "html"}
)
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


def class_names(el: HtmlElement) -> str:
    """An element's ``class`` and ``id``, for matching furniture and byline names."""
    return f"{el.get('class', '')} {el.get('id', '')}"


def _foreign(el: HtmlElement, pattern: re.Pattern[str]) -> bool:
    """Whether ``el`` sits in page furniture (related lists, sidebar, footer, figure)."""
    node: HtmlElement | None = el
    while node is not None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _FOREIGN_TAGS or tag == "body":
            return tag != "body"
        if pattern.search(class_names(node)):
            return True
        node = node.getparent()
    return False


def _is_byline(el: HtmlElement, tag: str) -> bool:
    if el.get("rel", "").lower() == "author" or "author" in el.get("itemprop", "").lower():
        return True
    return tag not in _NOT_BYLINE_TAGS and _byline_names(class_names(el))


@lru_cache(maxsize=8192)
def _byline_names(names: str) -> bool:
    # Cached: a page repeats a few dozen class names over thousands of elements.
    return _BYLINE_CLASS.search(names) is not None and _BYLINE_SKIP.search(names) is None


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
        return [after] if after is not None and len(element_text(after)) < 80 else []
    if _BY_TEXT.match(text) and len(element_text(el).split()) <= 8:
        return [el]
    return []


#: Longest snippet kept for an element's evidence.
_SNIPPET_MAX = 500


def locate(markup: Markup, el: HtmlElement, method: str) -> records.Evidence:
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


_XP_VISIBLE_TEXT = etree.XPath(
    ".//text()[not(ancestor::script) and not(ancestor::style) and not(ancestor::noscript)]"
)


def element_text(el: HtmlElement) -> str:
    """Visible text of an element, pieces space-separated ("Jane DoeUpdated" is split)."""
    pieces = _XP_VISIBLE_TEXT(el)
    return clean_text(" ".join(str(p) for p in pieces) if isinstance(pieces, list) else "")
