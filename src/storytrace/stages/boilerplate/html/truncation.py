"""Evidence that a cleaned body visibly stops mid-sentence.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

import re

from storytrace import records

_WORD = re.compile(r"\w+")
# Prose stopping on a word or comma; not a URL, e-mail address or number.
_PROSE_CUT = re.compile(r"(?:^|\s)[^\W\d_][\w'’-]*,?\s*$")
_SENTENCE_END = re.compile(r"[^\W\d_]{2}[.!?][\"'”’)]?\s+\S")
_MORE_LABEL = re.compile(r"\b(?:more|also like|continue|read|see)\b\W*$", re.IGNORECASE)
_ELLIPSIS_END = re.compile(r"(\.\.\.|…)\s*$")


def truncation(text: str, min_words: int) -> records.Evidence | None:
    """Evidence that the body visibly stops mid-sentence, or ``None``.

    A body is cut off when it ends with an ellipsis (paywall teasers, but not a
    "You may also like..." label), or when its last paragraph is prose -- at least
    ``min_words`` words and an earlier full stop -- stopping on a word or comma
    (seed 004 ends "... and some I"). List items, credits, addresses and URLs
    without final punctuation are not prose and do not count.

    Args:
        text: the cleaned body.
        min_words: words the last paragraph needs to count as a sentence.

    Returns:
        Evidence pointing at the last characters of ``text``, or ``None``.
    """
    last = text.rsplit("\n\n", 1)[-1]
    if not last:
        return None
    if _ELLIPSIS_END.search(last):
        cut = _MORE_LABEL.search(last) is None
    else:
        cut = (
            _PROSE_CUT.search(last) is not None
            and _SENTENCE_END.search(last) is not None
            and len(_WORD.findall(last)) >= min_words
        )
    if not cut:
        return None
    start = max(len(text) - 40, len(text) - len(last))
    return records.Evidence("text", start, len(text), text[start:], "htmlclean.truncation.v1")
