"""Lines of a plain-text dump and the feature matrices of the cleaner's model.

Stage one (:func:`line_features`) describes each line by its own shape (length,
punctuation, stopword density, boilerplate vocabulary, indentation), its position
relative to the densest prose block, and its neighbours'; stage two
(:func:`stacked_features`) describes it by the stage-one scores around it. The
model that reads them is in :mod:`~storytrace.stages.boilerplate.text.model`;
``tools/train_textclean.py`` computes training rows with the same functions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from storytrace.stages.boilerplate.text.vocab import (
    BYLINE,
    DATE,
    SENTENCE_END,
    STOPWORDS,
    URLISH,
    VOCAB,
    WORD,
)

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Line:
    """One non-empty line of the page, stripped of surrounding whitespace.

    Attributes:
        start (int): offset of the first non-space character in ``page_text``.
        end (int): offset one past the last non-space character.
        text (str): ``page_text[start:end]``.
        indent (int): leading spaces (inscriptis encodes nesting this way).
        blank_before (bool): an empty line separates it from the previous line.
    """

    start: int
    end: int
    text: str
    indent: int
    blank_before: bool


_BULLET = re.compile(r"^[*+\-•·–—>»]\s")
_SEPARATORS = re.compile(r"[|•»·/]")


# --- line splitting ---------------------------------------------------------
def split_lines(page_text: str) -> tuple[Line, ...]:
    """Split a dump into its non-empty, whitespace-stripped lines.

    Args:
        page_text (str): the decoded dump with ``\\n`` newlines.

    Returns:
        tuple[Line, ...]: the lines in page order, offsets into ``page_text``.
    """
    lines: list[Line] = []
    pos = 0
    blank = False
    for raw in page_text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            start = pos + lead
            lines.append(Line(start, start + len(stripped), stripped, lead, blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return tuple(lines)


# --- features ---------------------------------------------------------------
def _shape_features(text: str, indent: int, stopwords: frozenset[str]) -> list[float]:
    """Features of one line on its own (length, punctuation, vocabulary)."""
    words = WORD.findall(text)
    n_words = len(words)
    n_chars = len(text)
    letters = [c for c in text if c.isalpha()]
    lowered = [w.lower() for w in words]
    caps = sum(1 for w in words if w[:1].isupper())
    return [
        math.log1p(n_chars),
        math.log1p(n_words),
        len(letters) / n_chars,
        sum(c.isdigit() for c in text) / n_chars,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
        float(bool(SENTENCE_END.search(text))),
        float(text.endswith(":")),
        len(re.findall(r"[.,;:]", text)) / max(n_words, 1),
        text.count(",") / max(n_words, 1),
        caps / max(n_words, 1),
        sum(w in stopwords for w in lowered) / max(n_words, 1),
        float(len(URLISH.findall(text))),
        *(float(len(p.findall(text))) for p in VOCAB.values()),
        float(bool(BYLINE.search(text))),
        float(bool(DATE.search(text))),
        math.log1p(indent),
        float(bool(_BULLET.search(text))),
        float(len(_SEPARATORS.findall(text))),
        n_chars / max(n_words, 1),
        float(text[:1].islower()),
        float(text[:1] in "\"'“‘«"),
        float(text.endswith(("...", "…"))),
    ]


_NEIGHBOUR_COLS = (1, 5, 10, 11, 12)  # log words, sentence end, stopwords, urls, social
_N_SHAPE = 12 + len(VOCAB) + 9  # columns written by _shape_features


def _main_block(weights: FloatArray) -> tuple[int, int]:
    """Maximum-sum run of ``weights`` (Kadane), as ``(first, last)`` line indices."""
    best, best_span = -math.inf, (0, 0)
    run, run_start = 0.0, 0
    for i, w in enumerate(weights):
        if run <= 0:
            run, run_start = 0.0, i
        run += float(w)
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span


def _window_mean(values: FloatArray, radius: int) -> FloatArray:
    """Mean of ``values`` over a centred window of ``2 * radius + 1`` lines."""
    padded = np.concatenate(([0.0], np.cumsum(values)))
    idx = np.arange(len(values))
    lo = np.clip(idx - radius, 0, len(values))
    hi = np.clip(idx + radius + 1, 0, len(values))
    return np.asarray((padded[hi] - padded[lo]) / (hi - lo), dtype=np.float64)


def _shifted(column: FloatArray, offset: int) -> FloatArray:
    """``column`` moved by ``offset`` lines, NaN where no neighbour exists."""
    out = np.full(len(column), np.nan)
    if offset > 0:
        out[:-offset] = column[offset:]
    elif offset < 0:
        out[-offset:] = column[:offset]
    return out


def _between(flags: FloatArray, first: int, last: int) -> FloatArray:
    """How many flagged lines lie strictly between each line and lines ``first..last``."""
    cum = np.concatenate(([0.0], np.cumsum(flags)))
    idx = np.arange(len(flags))
    after = cum[idx] - cum[last + 1]
    before = cum[first] - cum[np.minimum(idx + 1, len(flags))]
    return np.asarray(np.where(idx > last, after, np.where(idx < first, before, 0.0)))


def _block_features(weights: FloatArray, markers: FloatArray) -> list[FloatArray]:
    """Membership of, distance to and furniture between a line and the main block.

    The main block is the maximum-sum run of ``weights``; ``markers`` flags
    furniture lines (comment prompts, "related" headings ...). Comments and
    teasers after the article sit behind such markers.
    """
    first, last = _main_block(weights)
    idx = np.arange(len(weights), dtype=np.float64)
    inside = ((idx >= first) & (idx <= last)).astype(np.float64)
    dist = np.where(idx < first, first - idx, np.where(idx > last, idx - last, 0.0))
    side = np.sign(idx - first) * (idx < first) + (idx > last)
    gap = np.log1p(_between(markers, first, last))
    return [inside, np.log1p(dist), side.astype(np.float64), gap]


def _marker_flags(shape: FloatArray) -> FloatArray:
    """Short lines using social, legal, comment or related vocabulary."""
    vocab = shape[:, 12:16].sum(axis=1)
    return np.asarray((vocab > 0) & (shape[:, 1] <= math.log1p(8)), dtype=np.float64)


def _context_features(shape: FloatArray, lines: tuple[Line, ...]) -> list[FloatArray]:
    """Position, repetition and neighbourhood features of every line."""
    n = len(lines)
    words = np.expm1(shape[:, 1])
    sentence_end = shape[:, 5]
    counts = Counter(line.text for line in lines)
    blank_after = [lines[i + 1].blank_before if i + 1 < n else True for i in range(n)]
    cum_words = np.cumsum(words) - words
    # Prose weight: long lines ending a sentence pull the block towards them,
    # short furniture lines push it away (jusText's "good/bad block" idea).
    prose = np.minimum(words, 60.0) * (0.5 + sentence_end) - 8.0
    repeated = np.array([counts[line.text] - 1 for line in lines], dtype=np.float64)
    cols = [
        np.log1p(repeated),
        _window_mean((repeated > 0).astype(np.float64), 2),
        _window_mean((repeated > 0).astype(np.float64), 5),
        np.array([float(line.blank_before) for line in lines]),
        np.array(blank_after, dtype=np.float64),
        np.arange(n) / max(n - 1, 1),
        cum_words / max(float(words.sum()), 1.0),
        *_block_features(prose, _marker_flags(shape)),
        _window_mean(shape[:, 1], 3),
        _window_mean(sentence_end, 3),
        _window_mean((words >= 10).astype(np.float64), 5),
        np.full(n, math.log1p(n)),
        np.full(n, math.log1p(float(words.sum()))),
        words / max(float(words.max()), 1.0),
        # Stopword density relative to the page's: comparable across languages.
        shape[:, 10] / max(float(np.average(shape[:, 10], weights=words + 1e-9)), 0.01),
    ]
    for offset in (-2, -1, 1, 2):
        cols.extend(_shifted(shape[:, c], offset) for c in _NEIGHBOUR_COLS)
    return cols


def page_stoplist(lines: tuple[Line, ...], stoplists: tuple[frozenset[str], ...]) -> frozenset[str]:
    """The stoplist (one per language) that covers most of the page's words.

    Stopword density only separates prose from furniture when it is counted in
    the page's own language (jusText's approach); the lists are bundled with
    the model.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        stoplists (tuple[frozenset[str], ...]): candidate stoplists.

    Returns:
        frozenset[str]: the best-covering list (English when none are given).
    """
    words = [w.lower() for line in lines for w in WORD.findall(line.text)]
    if not stoplists:
        return STOPWORDS
    return max(stoplists, key=lambda stop: sum(w in stop for w in words))


def line_features(lines: tuple[Line, ...], stopwords: frozenset[str] = STOPWORDS) -> FloatArray:
    """Stage-one feature matrix: one row per line.

    Args:
        lines (tuple[Line, ...]): the page's non-empty lines (at least one).
        stopwords (frozenset[str]): the page language's stoplist.

    Returns:
        FloatArray: shape ``(len(lines), n_features)``; NaN marks a missing
        neighbour.
    """
    shape = np.array(
        [_shape_features(ln.text, ln.indent, stopwords) for ln in lines], dtype=np.float64
    )
    context = np.column_stack(_context_features(shape, lines))
    return np.hstack([shape, context])


def stacked_features(base: FloatArray, p1: FloatArray) -> FloatArray:
    """Stage-two features: stage-one scores around each line plus its shape.

    Args:
        base (FloatArray): the stage-one feature matrix.
        p1 (FloatArray): stage-one body probabilities, one per line.

    Returns:
        FloatArray: shape ``(len(p1), n_features)``.
    """
    words = np.expm1(base[:, 1])
    body_words = p1 * words
    cum = np.cumsum(body_words) - body_words
    total = max(float(body_words.sum()), 1.0)
    cols = [p1, *(_shifted(p1, k) for k in (-4, -3, -2, -1, 1, 2, 3, 4))]
    cols += [_window_mean(p1, r) for r in (2, 5, 10)]
    weights = (p1 - 0.5) * np.maximum(words, 1.0)
    cols += _block_features(weights, _marker_flags(base))
    first, last = _main_block(weights)
    cols += [np.log1p(_between((p1 < 0.3).astype(np.float64), first, last))]
    cols += [cum / total, (total - cum - body_words) / total]
    cols += [_window_mean(base[:, _N_SHAPE + 1], 3), _marker_flags(base)]
    return np.hstack([np.column_stack(cols), base[:, : _N_SHAPE + 1]])
