"""Quotation marks paired on raw text: layer 1 of the quote stage.

Every style news pages use is read: ``“ ”``, straight ``" "``, ``‘ ’``, ``« »``,
``„ “`` and ``‹ ›``. A mark opens when it stands at the start of a word and closes
at the end of one, so apostrophes (``it’s``, ``groups’``) and inch marks are not
mistaken for quotations.

A quotation may run over lines and paragraphs: news style leaves a paragraph open
and re-opens the next one (``“A.¶“B,” he said.``), and sentence-per-line corpora
(ECB+) break lines inside one pair of marks. An opening mark that is never closed
degrades to a quotation ending at its paragraph, flagged ``balanced=False``; the
rest of the document is read as usual.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storytrace.records import TextSpan

#: Closing marks accepted for each opening mark.
CLOSERS: dict[str, str] = {
    "“": '”“"',  # “...”, the German-style misuse “...“, and pages mixing “..."
    "„": "“”",
    '"': '"”',
    "”": '”"',  # pages that print ”...” (both marks the closing glyph)
    "‘": "’",
    "«": "»",
    "»": "«",  # Danish/German »...«
    "‹": "›",
}

_MARKS = re.compile('["“”„‘’«»‹›]')
#: Characters after which a mark may open a quotation.
_OPEN_BEFORE = " \t\n([{—–-:/;,"
#: How far a quotation may run looking for its closing mark.
MAX_QUOTE_CHARS = 4000


@dataclass(frozen=True, slots=True)
class Marked:
    """One quotation: the text inside the marks.

    Attributes:
        start (int): first character after the opening mark.
        end (int): the closing mark's offset (end of the paragraph if unbalanced).
        close (int): one past the closing mark (``end`` if unbalanced).
        balanced (bool): ``False`` when no closing mark was found.
    """

    start: int
    end: int
    close: int
    balanced: bool = True

    @property
    def span(self) -> TextSpan:
        """The quotation's content as a :class:`TextSpan` (marks excluded)."""
        return TextSpan(self.start, self.end)


def find_marked(text: str) -> tuple[Marked, ...]:
    """Pair the quotation marks of a text.

    Args:
        text (str): the article text.

    Returns:
        tuple[Marked, ...]: quotations in text order, never overlapping; empty ones
        are dropped.
    """
    out: list[Marked] = []
    pos = 0
    for match in _MARKS.finditer(text):
        i = match.start()
        if i < pos or not can_open(text, i):
            continue
        quote = _close(text, i)
        if quote.end > quote.start and text[quote.start : quote.end].strip():
            out.append(_trim(text, quote))
        pos = quote.close if quote.balanced else quote.end
    return tuple(out)


def can_open(text: str, i: int) -> bool:
    """True when the mark at ``i`` starts a word (and is an opening glyph)."""
    ch = text[i]
    if ch not in CLOSERS:
        return False
    before_ok = i == 0 or text[i - 1] in _OPEN_BEFORE
    after = text[i + 1] if i + 1 < len(text) else " "
    return before_ok and not after.isspace()


def can_close(text: str, i: int, opener: str) -> bool:
    """True when the mark at ``i`` ends a word and matches ``opener``."""
    if text[i] not in CLOSERS[opener]:
        return False
    after = text[i + 1] if i + 1 < len(text) else " "
    before = text[i - 1] if i > 0 else " "
    if opener == "‘" and after.isalpha():
        return False  # an apostrophe inside a word: don’t
    if _detached_closer(text, i):
        return True
    return not before.isspace() or after.isspace() or after in ".,;:!?)]"


def _detached_closer(text: str, i: int) -> bool:
    """``"Everyone was respectful, "said Juror No. 8`` (ECB+): a straight mark set off
    from the clause it closes and glued to the cue. After a comma or a full stop and a
    space, a straight mark inside an open quotation closes it."""
    return text[i] == '"' and i >= 2 and text[i - 1] == " " and text[i - 2] in ",.!?"


def _close(text: str, i: int) -> Marked:
    """Find the closing mark of the quotation opened at ``i``."""
    opener = text[i]
    limit = min(len(text), i + MAX_QUOTE_CHARS)
    for match in _MARKS.finditer(text, i + 1, limit):
        k = match.start()
        if can_close(text, k, opener) and not _reopens(text, k):
            return Marked(i + 1, k, k + 1)
        if can_open(text, k) and text[k] == opener and "\n" in text[i:k]:
            if text[k - 1] == "\n" and _paragraph_open(text, i, k):
                continue  # news style: the quotation re-opens at the new paragraph
            break  # a new quotation starts: ours was never closed
    return _unbalanced(text, i)


def _reopens(text: str, k: int) -> bool:
    """A straight mark at a line start both could close and open: it opens."""
    return (
        text[k] == '"'
        and k > 0
        and text[k - 1] == "\n"
        and k + 1 < len(text)
        and (text[k + 1].isalnum())
    )


def _paragraph_open(text: str, i: int, k: int) -> bool:
    """True when the paragraph before ``k`` ends inside the quotation (no mark closes it)."""
    last_break = text.rfind("\n", i, k - 1)
    para = text[max(last_break, i) : k]
    return not any(ch in "”»’" for ch in para[-3:])


def _unbalanced(text: str, i: int) -> Marked:
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    return Marked(i + 1, end, end, balanced=False)


def _trim(text: str, quote: Marked) -> Marked:
    start, end = quote.start, quote.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Marked(start, end, quote.close, quote.balanced)
