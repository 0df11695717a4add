"""The HTML parser shared by the cleaner and the metadata readers, with its parse cache.

The HTML cleaner (``boilerplate.html.v1``) and the metadata readers
(``metadata.html.v1``) read the same page one after the other. Both ask
:data:`SHARED_PARSER`, so the page is parsed once per document.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

#: Parses an ``HtmlParser`` remembers: the metadata stage reads the same string
#: right after the cleaner, so a tiny cache is enough to parse each page once.
PARSE_CACHE_SIZE = 4


def _lxml_parser() -> HTMLParser:
    """trafilatura's parser settings with lxml's C-level element class lookup.

    ``lxml.html`` resolves the Python class of every element proxy through a
    Python callback (``HtmlElementClassLookup.lookup``); the cleaner, the
    metadata readers and trafilatura's own passes create ~8,600 proxies a page,
    and that callback alone was 3.3 s of 48 s over the 581 benchmark pages.
    ``ElementDefaultClassLookup`` gives every element the same ``HtmlElement``
    class from C. Only ``lxml.html``'s form classes (``FormElement``,
    ``InputElement``...) are lost, and nothing here uses their form API.
    """
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


class HtmlParser:
    """Parses HTML strings the way trafilatura does (so one tree serves both).

    Each instance owns an lxml parser and a cache of its last
    :data:`PARSE_CACHE_SIZE` parses. Trees are shared between callers, so they
    must never be mutated.
    """

    def __init__(self) -> None:
        self._lxml = _lxml_parser()
        self._cached = lru_cache(maxsize=PARSE_CACHE_SIZE)(self._parse)

    def parse(self, html: str) -> HtmlElement | None:
        """Parse an HTML string, or return the tree of the same string parsed lately.

        Args:
            html: decoded HTML.

        Returns:
            The root element, or ``None`` when lxml finds no document at all.
        """
        return self._cached(html)

    def clear(self) -> None:
        """Forget cached parses, e.g. so a benchmark times each stage's own parse."""
        self._cached.cache_clear()

    def _fromstring(self, html: str | bytes) -> HtmlElement | None:
        try:
            tree = fromstring(html, parser=self._lxml)
        except (ValueError, TypeError, etree.ParserError):
            return None
        return tree if isinstance(tree, HtmlElement) else None

    def _parse(self, html: str) -> HtmlElement | None:
        # The steps are trafilatura's ``load_html`` for a decoded string (repair,
        # a bytes retry, the not-HTML-at-all check), with the faster parser above.
        if not html.strip():
            return None
        beginning = html[:50].lower()
        html = repair_faulty_html(html, beginning)
        try:
            tree = fromstring(html, parser=self._lxml)
        except ValueError:
            # "Unicode strings with encoding declaration are not supported."
            tree = self._fromstring(html.encode("utf-8", "surrogatepass"))
        except (TypeError, etree.ParserError):
            tree = None
        if tree is None or len(tree) < 1:
            tree = self._fromstring(html.encode("utf-8", "surrogatepass"))
        if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
            # No <html> in sight and at most one element: a fragment ("<p>...</p>",
            # a feed item's description), not a page. trafilatura drops these; we
            # parse them inside a body so their text is kept.
            wrapped = f"<html><body>{html}</body></html>"
            tree = self._fromstring(wrapped.encode("utf-8", "surrogatepass"))
        if isinstance(tree, HtmlElement) and _lost_to_nesting(tree, html):
            tree = self._fromstring(_FLATTEN.sub(" ", html).encode("utf-8", "surrogatepass"))
        return tree if isinstance(tree, HtmlElement) else None


#: Every tag but those that carry structure a reader needs (paragraphs, headings,
#: line breaks) or content that must stay dropped (scripts, styles, the head).
_FLATTEN = re.compile(
    r"</?(?!(?:p|br|h[1-6]|title|head|body|html|script|style|noscript)\b)[a-z][a-z0-9-]*\b[^>]*>",
    re.IGNORECASE,
)
_TAG_OR_SCRIPT = re.compile(
    r"<script\b.*?</script>|<style\b.*?</style>|<[^>]*>", re.IGNORECASE | re.DOTALL
)


def _lost_to_nesting(tree: HtmlElement, html: str) -> bool:
    """The parse kept no text though the markup has some: libxml2 stops at 256 levels
    of nesting and drops everything deeper. Checked only for pages whose parse is empty."""
    body = tree.find("body")
    if (tree if body is None else body).text_content().strip():
        return False
    tail = html[html.lower().find("<body") :] if "<body" in html.lower() else html
    return bool(_TAG_OR_SCRIPT.sub(" ", tail[:2_000_000]).strip())


#: The one parser of the process: the HTML cleaner and the metadata readers both
#: use it, so a page is parsed once. Benchmarks call ``SHARED_PARSER.clear()``.
SHARED_PARSER = HtmlParser()
