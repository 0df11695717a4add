"""Where page URLs come from: RSS/Atom feeds (feedparser), filtered by keywords.

DOCS: docs/collect.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import feedparser


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One feed entry: the page it links to and the words a keyword filter sees."""

    link: str
    title: str
    summary: str


def looks_like_feed(body: bytes) -> bool:
    """True for an RSS, RDF or Atom document (by its root element, not its extension)."""
    head = body[:2048].lstrip().lower()
    return any(tag in head for tag in (b"<rss", b"<feed", b"<rdf:rdf"))


def feed_items(body: bytes, base_url: str) -> list[FeedItem]:
    """The entries of a feed that link to a page, in the feed's order.

    Relative links are resolved against the feed's URL by feedparser.
    """
    parsed: Any = feedparser.parse(body, response_headers={"content-location": base_url})
    items = []
    for entry in parsed.entries:
        link = str(entry.get("link") or "").strip()
        if link:
            items.append(
                FeedItem(link, str(entry.get("title") or ""), str(entry.get("summary") or ""))
            )
    return items


def keyword_filter(keywords: tuple[str, ...]) -> re.Pattern[str] | None:
    """A pattern matching any keyword as a whole word, case-insensitively (``None``: no filter)."""
    words = [k.strip() for k in keywords if k.strip()]
    if not words:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def matches(item: FeedItem, pattern: re.Pattern[str] | None) -> bool:
    """True when the item's title or summary names a keyword (or there is no filter)."""
    return pattern is None or bool(pattern.search(f"{item.title}\n{item.summary}"))
