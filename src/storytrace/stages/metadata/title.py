"""Title and outlet of an HTML page: the printed headline and the declared names.

DOCS: docs/stages/metadata_html.md
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from storytrace import records
from storytrace.stages.metadata.elements import PageParts, element_text, locate
from storytrace.stages.metadata.markup import (
    URLISH,
    Found,
    Markup,
    clean_text,
    first_meta,
    jsonld_values,
    similar_names,
    text_value,
)

_TITLE_SEP = re.compile(r"\s+[|–—\-:·•»]\s+")


def read_outlet(markup: Markup) -> records.TextValue:
    """The outlet name: ``og:site_name``, JSON-LD publisher, application name.

    Args:
        markup: the page's metadata sources.

    Returns:
        The declared outlet name, or unknown (the title suffix is tried later).
    """
    found = first_meta(markup, "og:site_name")
    publishers = jsonld_values(markup, "publisher")
    if found is None and publishers:
        found = publishers[0]
    if found is None:
        found = first_meta(markup, "application-name", "apple-mobile-web-app-title", "twitter:site")
    if found is None or URLISH.match(found.value) or found.value.startswith("@"):
        return records.TextValue.unknown()
    return text_value(found)


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
    if outlet and similar_names(first, outlet) and not similar_names(last, outlet):
        return text[len(first) :].lstrip(" |–—-:·•»"), first
    if (outlet and similar_names(last, outlet)) or len(last.split()) <= 4 < len(text.split()):
        return text[: text.rfind(last)].rstrip(" |–—-:·•»"), last
    return text, None


def _declared_titles(markup: Markup) -> list[Found]:
    found = [
        *jsonld_values(markup, "headline"),
        first_meta(markup, "og:title"),
        first_meta(markup, "twitter:title"),
    ]
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
                return text_value(found, head)
        return records.TextValue(text, (locate(markup, el, "metadata.html.h1"),))
    if declared:
        return text_value(declared[0], stripped[0][0])
    return records.TextValue.unknown()


_XP_SPACED_CHILD = etree.XPath("boolean(.//br | .//div | .//p | .//span[contains(@class, 'br')])")


def _headline_text(el: HtmlElement) -> str:
    """Headline text: inline markup joined as is, line breaks and blocks as spaces."""
    return element_text(el) if _XP_SPACED_CHILD(el) else clean_text(el.text_content())
