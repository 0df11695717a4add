"""Where page URLs come from: XML sitemaps and sitemap indexes (lxml, hardened).

Sitemaps are hostile input like any page: the parser resolves no entity, loads
no DTD and opens no network connection.

DOCS: docs/collect.md
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
)


@dataclass(frozen=True, slots=True)
class Sitemap:
    """A sitemap's page URLs, or a sitemap index's child sitemaps."""

    pages: tuple[str, ...]
    children: tuple[str, ...]


def looks_like_sitemap(body: bytes) -> bool:
    """True for a ``<urlset>`` or ``<sitemapindex>`` document."""
    head = body[:2048].lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def parse_sitemap(body: bytes) -> Sitemap:
    """The ``<loc>`` URLs of a sitemap (pages) or sitemap index (children)."""
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return Sitemap((), ())
    if root is None:
        return Sitemap((), ())
    locs = tuple(
        (el.text or "").strip()
        for el in root.iter()
        if isinstance(el.tag, str)
        and etree.QName(el).localname == "loc"
        and (el.text or "").strip()
    )
    if etree.QName(root).localname == "sitemapindex":
        return Sitemap((), locs)
    return Sitemap(locs, ())
