"""Character spans of the quote stage and the helpers that build them from a parse.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from storytrace.records import TextSpan

if TYPE_CHECKING:
    from spacy.tokens import Token


WORD = re.compile(r"\w+")
#: A word of a wording, with its inner apostrophes ("don't", "Iran’s").
_WORDING = re.compile(r"\w+(?:['’]\w+)*")


def wording(text: str) -> list[str]:
    """The words of ``text``, lower-cased, ’ read as ': two copies of one quote with
    other case, punctuation or quote marks have the same wording."""
    return [w.lower().replace("’", "'") for w in _WORDING.findall(text)]


LEAD = re.compile(r"(?:that\s|,|:|;|—|–|-|\s)+")
#: A dateline opening a line: a place in capitals or a site's name, then a dash
#: (``BERLIN --``, ``BUFFALO, N.Y. —``, ``PanARMENIAN.Net -``).
_DATELINE = re.compile(
    r"(?:[A-Z]{3,}[A-Z.]*(?:, [A-Z][\w.]*){0,2}|[A-Z]\w*\.[A-Z][a-z]+) (?:--|—|–|-) "
)


def tok_span(tok: Token) -> TextSpan:
    """The characters of one token."""
    return TextSpan(tok.idx, tok.idx + len(tok))


def subtree_span(tok: Token) -> TextSpan:
    """The characters of a token's subtree, trimmed of punctuation at both ends."""
    left, right = tok.left_edge, tok.right_edge
    return trim(doc_text(tok.doc), TextSpan(left.idx, right.idx + len(right)))


def trim(text: str, span: TextSpan) -> TextSpan:
    """Shrink a span past whitespace and separating punctuation at both ends.

    Args:
        text (str): the document text.
        span (TextSpan): the span.

    Returns:
        TextSpan: the trimmed span (possibly empty).
    """
    start, end = span.start, span.end
    while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-("):
        end -= 1
    return TextSpan(start, end)


def span_words(text: str, span: TextSpan) -> list[TextSpan]:
    """The ``\\w+`` words of a span."""
    return [TextSpan(m.start(), m.end()) for m in WORD.finditer(text, span.start, span.end)]


def minus(text: str, outer: TextSpan, hole: TextSpan) -> Iterable[TextSpan]:
    """``outer`` without ``hole``: up to two trimmed spans."""
    if hole.start > outer.start:
        yield strip_end(text, trim(text, TextSpan(outer.start, min(hole.start, outer.end))))
    if hole.end < outer.end:
        yield strip_end(text, trim(text, TextSpan(max(hole.end, outer.start), outer.end)))


def strip_end(text: str, span: TextSpan) -> TextSpan:
    """A span without its closing ``.``, ``!`` or ``?`` (a reported clause has none).

    Args:
        text (str): the document text.
        span (TextSpan): the span.

    Returns:
        TextSpan: the span, shortened past sentence-final punctuation.
    """
    end = span.end
    while end > span.start and text[end - 1] in ".!?":
        end -= 1
    return TextSpan(span.start, end)


def overlaps(a: TextSpan, spans: Sequence[TextSpan]) -> bool:
    """True when ``a`` shares a character with any of ``spans``.

    Args:
        a (TextSpan): a span.
        spans (Sequence[TextSpan]): other spans.

    Returns:
        bool: whether they overlap.
    """
    return any(a.start < s.end and s.start < a.end for s in spans)


def in_line(anchor: Token, span: TextSpan) -> TextSpan:
    """Clip a parsed span to the line of ``anchor``: unquoted speech never runs past a
    line break, while a parse over a heading without a full stop does (seed 002)."""
    text = doc_text(anchor.doc)
    line_start = text.rfind("\n", 0, anchor.idx) + 1
    line_end = text.find("\n", anchor.idx)
    line_end = len(text) if line_end < 0 else line_end
    start, end = max(span.start, line_start), min(span.end, line_end)
    if text.startswith("(", start):
        close = text.find(")", start, end)
        # a dateline "(Worthy News) – ..." opens the clause but is not said by anyone
        start = close + 1 if close > 0 else start
    if start == line_start:
        dateline = _DATELINE.match(text, start, max(start, end))
        start = dateline.end() if dateline else start  # "BERLIN -- ...", "PanARMENIAN.Net - ..."
    lead = LEAD.match(text, start, max(start, end))
    return trim(text, TextSpan(lead.end() if lead else start, max(end, start)))


def in_clause(anchor: Token, span: TextSpan) -> TextSpan:
    """Clip a span to the semicolon-delimited clause of ``anchor``: a modifier such as
    ``reportedly`` qualifies its own clause, not the whole sentence."""
    text = doc_text(anchor.doc)
    start = max(span.start, text.rfind(";", span.start, anchor.idx) + 1)
    end = text.find(";", anchor.idx, span.end)
    return trim(text, TextSpan(start, span.end if end < 0 else end))


def doc_text(doc: Any) -> str:
    """``doc.text``, computed once per parsed document.

    spaCy rebuilds ``Doc.text`` from every token on each access; the quote rules
    read it per candidate, which made the attribution step cost twice the parse
    (measured on 40 WCXB pages: 6 s of 20 s in ``Doc.text``).
    """
    cached = doc.user_data.get("storytrace_text")
    if cached is None:
        cached = doc.text
        doc.user_data["storytrace_text"] = cached
    return str(cached)
