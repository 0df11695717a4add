"""Boilerplate kinds suggested by a block's markup or its own text.

A block inside ``<nav>``, or under an element whose class or id says "share",
"related" or "comments", is probably not the article; a line starting "©" is a
legal notice. These hints label the blocks the cleaner drops and let the prune
and density layers skip them.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml.html import HtmlElement

from storytrace.records import SegmentLabel

# Class/id hints, nearest ancestor first wins. Ordered so that specific kinds
# (comments, captions) beat the generic navigation words that wrap them.
_HINTS: tuple[tuple[SegmentLabel, re.Pattern[str]], ...] = (
    (SegmentLabel.COMMENTS, re.compile(r"comment|disqus|respond|reply|discussion")),
    (SegmentLabel.CAPTION, re.compile(r"caption|credit|figcaption|wp-caption|photo-?info")),
    (SegmentLabel.AUTHOR_BIO, re.compile(r"author-?bio|about-?the-?author|author-?box|bio\b")),
    (SegmentLabel.BYLINE, re.compile(r"byline|author|writer|contributor")),
    (SegmentLabel.DATELINE, re.compile(r"\bdate|timestamp|published|dateline|\btime\b")),
    (
        SegmentLabel.RELATED,
        re.compile(
            r"related|recommend|more-?stories|read-?more|also-?read|trending|popular"
            r"|outbrain|taboola|recirc|most-?read|next-?article|promo|teaser"
        ),
    ),
    (
        SegmentLabel.SOCIAL,
        re.compile(
            r"share|sharing|social-?(?:links|icons|bar|media|buttons)|follow-?us|newsletter|subscri"
        ),
    ),
    (SegmentLabel.LEGAL, re.compile(r"copyright|legal|terms|privacy|cookie|disclaimer|gdpr")),
    (
        SegmentLabel.NAVIGATION,
        re.compile(r"\bnav|menu|breadcrumb|header|footer|sidebar|masthead|toolbar|paginat|skip"),
    ),
    (SegmentLabel.COUNTER, re.compile(r"views?-?count|counter|hits\b")),
)

_TAG_LABELS: dict[str, SegmentLabel] = {
    "nav": SegmentLabel.NAVIGATION,
    "header": SegmentLabel.NAVIGATION,
    "footer": SegmentLabel.BOILERPLATE,
    "figcaption": SegmentLabel.CAPTION,
    "h1": SegmentLabel.TITLE,
    "time": SegmentLabel.DATELINE,
    "address": SegmentLabel.BYLINE,
    "aside": SegmentLabel.BOILERPLATE,
    "form": SegmentLabel.BOILERPLATE,
    "menu": SegmentLabel.NAVIGATION,
}

_LEGAL_TEXT = re.compile(r"^(©|\(c\)|copyright\b|all rights reserved)", re.IGNORECASE)
_BYLINE_TEXT = re.compile(r"^(by|von|par|por)\s+\S", re.IGNORECASE)


def _own_hint(el: HtmlElement) -> SegmentLabel | None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _TAG_LABELS:
        return _TAG_LABELS[tag]
    return _names_hint(f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}")


@lru_cache(maxsize=8192)
def _names_hint(names: str) -> SegmentLabel | None:
    # Cached by the names string: a page repeats a few dozen class names over
    # thousands of elements (1.1 M regex searches on the 581 benchmark pages).
    names = names.lower()
    if not names.strip():
        return None
    for label, pattern in _HINTS:
        if pattern.search(names):
            return label
    return None


def element_hint(
    el: HtmlElement, memo: dict[HtmlElement, SegmentLabel | None]
) -> SegmentLabel | None:
    """The boilerplate kind suggested by the element or its nearest hinted ancestor.

    Args:
        el: the block element holding a line of text.
        memo: hints already found on this page, by element; filled in on the way up.

    Returns:
        The label of the nearest element whose tag, class, id or itemprop hints
        at one, or ``None`` when none does.
    """
    chain: list[HtmlElement] = []
    node: HtmlElement | None = el
    found: SegmentLabel | None = None
    while node is not None:
        if node in memo:
            found = memo[node]
            break
        chain.append(node)
        found = _own_hint(node)
        if found is not None:
            break
        node = node.getparent()
    for visited in chain:
        memo[visited] = found
    return found


def text_hint(line: str) -> SegmentLabel | None:
    """The boilerplate kind a line's own words give away: a copyright notice or a byline.

    Args:
        line: one rendered block.

    Returns:
        ``LEGAL``, ``BYLINE`` or ``None``.
    """
    if _LEGAL_TEXT.match(line):
        return SegmentLabel.LEGAL
    if len(line) < 80 and _BYLINE_TEXT.match(line):
        return SegmentLabel.BYLINE
    return None
