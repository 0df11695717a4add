"""The author(s) of an HTML page: JSON-LD authors, author meta tags, printed bylines.

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
    Markup,
    clean_text,
    first_meta,
    jsonld_values,
    similar_names,
)

_BYLINE_PREFIX = re.compile(
    r"^\s*(?:(?:(?:written|words|text|story|reporting|posted|guides?|article|reviewed|edited)\s+)?"
    r"(?:by|von|par|por|door)\b|(?:authors?|contributors?|writers?)\b)\s*:?\s*",
    re.I,
)
_NOT_NAMES = frozenset({"author", "authors", "by", "contributors", "undefined", "null", "none"})
_NOT_AUTHOR = re.compile(
    r"\b(photo|image|getty|shutterstock|credit|reuters/|afp/|ap photo)\b", re.I
)
_STAFF = re.compile(r"^(staff|admin|administrator|editor|editorial|team|news desk)$", re.I)

_XP_NAME_CHILDREN = (
    etree.XPath(".//*[@itemprop='name']"),
    etree.XPath(".//a[@rel='author']"),
    etree.XPath(".//*[contains(@class, 'name')]"),
    etree.XPath(".//a[contains(@href, 'author') or contains(@href, '/by/')]"),
)

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


def clean_author(text: str) -> str | None:
    """A byline reduced to the names: "By Jane Doe | May 3" -> "Jane Doe".

    Args:
        text: byline or meta text.

    Returns:
        The name(s), or ``None`` when what is left is not a name (a URL, a photo
        credit, CSS, too long to be a byline).
    """
    name = _BYLINE_CUT.sub("", _BYLINE_PREFIX.sub("", clean_text(text))).strip(" ,;:-")
    name = _BYLINE_PREFIX.sub("", name).strip(" ,;:-")
    words = name.split()
    half = len(words) // 2
    if half and len(words) % 2 == 0 and words[:half] == words[half:]:
        name = " ".join(words[:half])  # mobile + desktop copies of one byline
    if not name or name.lower() in _NOT_NAMES or URLISH.match(name) or "{" in name:
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
    whole = clean_author(element_text(el))
    for xpath in _XP_NAME_CHILDREN:
        found = xpath(el)
        children = found if isinstance(found, list) else []
        names = [n for n in (clean_author(element_text(c)) for c in children) if n]
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
            return records.TextValue(name, (locate(markup, el, "metadata.html.byline"),))
    return records.TextValue.unknown()


def _declared_author(
    markup: Markup, parts: PageParts | None, outlet: str | None
) -> records.TextValue:
    # JSON-LD authors are kept even when an organisation: it is the publisher's own
    # statement of authorship and WCXB's printed bylines agree ("Soliant", "JWU").
    people = [f for f in jsonld_values(markup, "author") if clean_author(f.value)]
    if people:
        names = [_drop_outlet(str(clean_author(f.value)), outlet) for f in people]
        names = list(dict.fromkeys(names))
        return records.TextValue(", ".join(names), tuple(f.evidence for f in people))
    for key in _AUTHOR_META:
        found = first_meta(markup, key)
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
    return not (outlet and similar_names(name, outlet))


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
