"""Already-clean input: a page that is article text keeps every sentence (``textclean.clean_input.v1``).

The line classifier was trained on full page dumps, where a short line at the
edge of the article is usually furniture. Fed text that is already an article
(a corpus export, a copied story: at most a headline, a dateline and a
prompt), it drops short leads and last lines, and empties 1-3 sentence
articles. So the page is judged first, as a whole: when it has no furniture
signals (menus, share buttons, copyright, URLs, repeated lines, inscriptis'
nested indentation) and few lines that are not prose, it is article text.
Then every line from the first sentence to the last prose line is body, long
lines above it too, and only the short headline, byline and dateline above or
below it (and any furniture line) go.

DOCS: docs/stages/textclean.md
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.text.config import TextCleanConfig
from storytrace.stages.boilerplate.text.features import Line
from storytrace.stages.boilerplate.text.rules import (
    LineLabel,
    furniture_label,
    is_byline,
    is_dateline,
    is_page_signal,
    meta_slots,
    word_count,
)
from storytrace.stages.boilerplate.text.vocab import SENTENCE_END

CLEAN_INPUT_METHOD = "textclean.clean_input.v1"
KEEP_ALL_METHOD = "textclean.keep_all.v1"
#: A line of this many words is prose even without a full stop (a lead cut off, a list sentence).
PROSE_WORDS = 8


@dataclass(frozen=True, slots=True)
class InputShape:
    """What a page looks like as a whole, for the clean-input decision.

    Attributes:
        lines (int): non-empty lines.
        odd (int): lines that are neither prose nor furniture (headings,
            datelines, list items, menu entries without furniture words).
        furniture (int): furniture lines (:func:`furniture_label`) plus
            repeated non-prose lines (menus printed twice).
        indents (int): distinct indentation widths (inscriptis nests blocks).
        signals (int): lines below the first prose line that only a whole
            page prints (:func:`is_page_signal`: a comments heading, a
            copyright notice ...); one is enough to make it a dump.
    """

    lines: int
    odd: int
    furniture: int
    indents: int
    signals: int


def is_prose(text: str) -> bool:
    """A sentence ("She was 91.") or a long line, and not a byline or dateline.

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether the line reads as article prose.
    """
    if is_dateline(text) or is_byline(text):
        return False
    return bool(SENTENCE_END.search(text)) or word_count(text) >= PROSE_WORDS


def input_shape(lines: tuple[Line, ...]) -> InputShape:
    """Count the page's prose, odd and furniture lines.

    Args:
        lines (tuple[Line, ...]): the page's lines.

    Returns:
        InputShape: the counts :func:`is_clean_input` reads.
    """
    repeats = Counter(line.text for line in lines)
    odd = furniture = signals = 0
    seen_prose = False
    for line in lines:
        prose = is_prose(line.text)
        # Footer headings count below the article's start only: above it, the
        # same words are a headline ("5 Thoughts on Why the Academy ...").
        signals += seen_prose and is_page_signal(line.text)
        if furniture_label(line.text) is not None or (repeats[line.text] > 1 and not prose):
            furniture += 1
        elif not prose:
            odd += 1
        seen_prose = seen_prose or prose
    indents = len({line.indent for line in lines})
    return InputShape(len(lines), odd, furniture, indents, signals)


def is_clean_input(shape: InputShape, config: TextCleanConfig) -> bool:
    """Whether a page is already article text (no page furniture around it).

    Args:
        shape (InputShape): the page's line counts.
        config (TextCleanConfig): ``clean_max_furniture``, ``clean_max_odd``,
            ``clean_max_odd_share`` and ``clean_max_indents``.

    Returns:
        bool: no page signal, few furniture lines, flat indentation, and either at most
        ``clean_max_odd`` odd lines (a headline, a dateline, a prompt) or at
        most ``clean_max_odd_share`` of the lines odd (subheads, a short list).
    """
    if not shape.lines or shape.signals or shape.furniture > config.clean_max_furniture:
        return False
    if shape.indents > config.clean_max_indents:
        return False
    return shape.odd <= max(config.clean_max_odd, config.clean_max_odd_share * shape.lines)


def label_clean_page(lines: tuple[Line, ...], config: TextCleanConfig) -> list[LineLabel]:
    """Labels of an already-clean page: the article's lines are body, furniture and meta go.

    The article runs from the first full sentence to the last prose line; long
    lines above it (a headline of 8+ words) are body too. Other lines above or
    below it are the headline, byline and dateline, or navigation.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        config (TextCleanConfig): ``title_window`` and ``max_title_words``.

    Returns:
        list[LineLabel]: one decision per line. With no prose line at all, every
        non-furniture line is body, so a short clean text is never emptied.
    """
    furniture = [furniture_label(ln.text) is not None for ln in lines]
    prose = [i for i, ln in enumerate(lines) if not furniture[i] and is_prose(ln.text)]
    # The article starts at its first full sentence: a long headline above it
    # stays (it may be a lead without its full stop), while the byline and
    # date lines between them go (html-text's "Catherine Shu @catherineshu").
    sentences = [i for i in prose if SENTENCE_END.search(lines[i].text)] or prose
    first, last = (sentences[0], prose[-1]) if prose else (0, len(lines) - 1)
    slots = meta_slots(lines, (first, last), config) if prose else {}
    out: list[LineLabel] = []
    for i, line in enumerate(lines):
        found = furniture_label(line.text, i < first)
        if found is not None:
            out.append(found)
        elif first <= i <= last or (i < first and i in prose):
            out.append(LineLabel(SegmentLabel.BODY, CLEAN_INPUT_METHOD))
        elif i in slots:
            out.append(slots[i])
        else:
            label = SegmentLabel.NAVIGATION if i < first else SegmentLabel.BOILERPLATE
            out.append(LineLabel(label, CLEAN_INPUT_METHOD))
    return out


def keep_all(lines: tuple[Line, ...]) -> list[LineLabel]:
    """Every line is body (``clean="never"``).

    Args:
        lines (tuple[Line, ...]): the page's lines.

    Returns:
        list[LineLabel]: one BODY decision per line.
    """
    return [LineLabel(SegmentLabel.BODY, KEEP_ALL_METHOD) for _ in lines]
