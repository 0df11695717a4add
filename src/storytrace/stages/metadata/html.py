"""Title, outlet, author, URL, language and publication date from HTML markup.

Every value cites the markup it was read from: ``Evidence(ref="markup")`` with
offsets into the HTML string and the tag (or JSON-LD key/value) as snippet, and a
``method`` naming the source (``metadata.html.jsonld.datePublished``,
``metadata.html.og:site_name``, ``metadata.html.h1`` ...). A field no source
gives stays unknown (``TextValue.unknown()``/``DateValue.unknown()``).

Decisions (measured on the WCXB-dev tune half, see ``bench.extract``):

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

Layout: this module holds the stage (:func:`read_html_metadata`, URL and
language); ``metadata_markup`` reads the page's declared sources once,
``metadata_elements`` finds headline/byline/``<time>`` elements in the tree, and
one module per field reads it: ``metadata_title`` (title and outlet),
``metadata_author``, ``metadata_published``. Their public names are re-exported
here. The switches ``PREFER_PRINTED_AUTHOR``, ``DATE_ORDER`` and
``HTMLDATE_EXTENSIVE`` are read from the module that defines them.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import re

from storytrace import records
from storytrace.stages.metadata.author import PREFER_PRINTED_AUTHOR, clean_author, read_author
from storytrace.stages.metadata.elements import PageParts, page_parts
from storytrace.stages.metadata.markup import (
    Found,
    Markup,
    first_meta,
    jsonld_values,
    read_markup,
    tag_attrs,
    text_value,
)
from storytrace.stages.metadata.published import (
    DATE_ORDER,
    HTMLDATE_EXTENSIVE,
    htmldate_layer,
    parse_date,
    read_published,
)
from storytrace.stages.metadata.title import read_outlet, read_title, split_title

__all__ = [
    "DATE_ORDER",
    "HTMLDATE_EXTENSIVE",
    "PREFER_PRINTED_AUTHOR",
    "Found",
    "Markup",
    "PageParts",
    "clean_author",
    "htmldate_layer",
    "page_parts",
    "parse_date",
    "read_author",
    "read_html_metadata",
    "read_language",
    "read_markup",
    "read_outlet",
    "read_published",
    "read_title",
    "read_url",
    "split_title",
]

_HTML_LANG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)


def read_url(markup: Markup, url: str | None) -> records.TextValue:
    """The canonical URL, else ``og:url``, else the URL the page was fetched from."""
    found = first_meta(markup, "link:canonical", "og:url")
    if found is not None and found.value.startswith("http"):
        return text_value(found)
    if url:
        return records.TextValue(
            url, (records.Evidence("input", None, None, url, "metadata.html.input_url"),)
        )
    return records.TextValue.unknown()


def read_language(markup: Markup) -> records.TextValue:
    """``<html lang>``, else ``og:locale``/``content-language``/JSON-LD ``inLanguage``."""
    match = _HTML_LANG.search(markup.html)
    lang = tag_attrs(match.group(0)).get("lang", "").strip() if match else ""
    if match and lang:
        evidence = records.Evidence(
            "markup", match.start(), match.end(), match.group(0), "metadata.html.html_lang"
        )
        return records.TextValue(lang, (evidence,))
    found = first_meta(markup, "og:locale", "content-language", "language")
    if found is None:
        found = next(iter(jsonld_values(markup, "inLanguage")), None)
    return text_value(found)


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
    language = read_language(markup)
    return records.Metadata(
        title=title,
        outlet=outlet,
        author=read_author(markup, parts, outlet.value),
        url=read_url(markup, url),
        language=language,
        published=read_published(markup, parts, url, language.value),
    )
