"""Boilerplate removal for plain-text page dumps (``textclean.lines.v1``).

A plain-text dump (what ``html-text``, ``inscriptis`` or a browser's "save as
text" writes) has lost its markup: menus, share buttons, captions, "latest
news" footers and comment prompts are just more lines. This stage labels every
non-empty line as article body or as one kind of boilerplate.

Layers, each named in ``Segment.method``:

1. ``textclean.model.v1`` -- two stacked gradient-boosted tree ensembles
   (bundled as JSON in ``resources/textclean_model.json``, trained by
   ``tools/train_textclean.py`` on WCXB dev pages rendered with html-text and
   inscriptis). Stage one scores each line from its own shape (length,
   punctuation, stopword density, boilerplate vocabulary, indentation,
   position relative to the densest prose block) and its neighbours'; stage
   two re-scores each line from the stage-one scores around it, which smooths
   isolated decisions the way an HMM pass would.
2. Smoothing, in ``_body_decisions``: hysteresis (a prose line scoring at
   least ``extend_threshold`` next to body joins it) and island removal
   (small runs of body lines cut off from the article by furniture).
3. ``textclean.rule.*`` -- small, generic rules. Some override the model:
   copyright notices (``legal``), captions printed twice with their credit
   (``caption``), bare source URLs (``url``), an "About <author>" block after
   the article (``bio``), and the footer cut (``footer``): a comments heading
   ends the article, a related-stories heading removes its list. Others only
   name the kind of a removed line: the headline (``title``), "By ..." or a
   bare name under the headline (``byline``, ``byline.name``), the printed
   date (``dateline``), and vocabulary classes (``vocab``: social, legal,
   comments, related, counter, caption, navigation).

Truncation (``truncated``): a long prose body paragraph that ends on a
function word with no punctuation was cut off (seed 004 stops mid-page at
"... and some I", and more text follows).
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from storytrace import records
from storytrace.records import SegmentLabel

METHOD = "textclean.lines.v1"
MODEL_METHOD = "textclean.model.v1"
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class TextCleanConfig:
    """Thresholds of the plain-text cleaner.

    Attributes:
        body_threshold (float): stage-two probability at or above which a line
            is body. 0.5 is the calibrated decision point of the trained model.
        min_truncation_words (int): a body paragraph must have at least this
            many words before a missing full stop counts as truncation; short
            lines are usually list items or headings, not cut-off prose.
        title_window (int): how many non-empty lines above the first body line
            are searched for the headline, byline and dateline.
        max_title_words (int): longest line (in words) taken as a headline.
        footer_rule (bool): apply the comments / "related stories" footer cut.
        extend_threshold (float): a prose line (8+ words, ends a sentence)
            scoring at least this, next to a body line, is body too.
        island_gap (int): removed lines that separate two runs of body lines.
        island_words (int): a run of body lines (other than the largest) with
            fewer words than this is dropped as a stray teaser or caption.
    """

    body_threshold: float = 0.5
    min_truncation_words: int = 12
    title_window: int = 30
    max_title_words: int = 30
    footer_rule: bool = True
    extend_threshold: float = 0.3
    island_gap: int = 3
    island_words: int = 25


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


# --- vocabularies -----------------------------------------------------------
# Generic page-furniture vocabulary, drawn from common CMS templates (not from
# any one page). Each group becomes one count feature and, for removed lines,
# picks the finer label.
_STOPWORDS = frozenset(
    "a about after all also an and any are as at be because been but by can could did do "
    "does for from had has have he her his how i if in into is it its just like more most "
    "my no not of on one or other our out over said she so some such than that the their "
    "them then there these they this those through to under up was we were what when which "
    "while who will with would you your".split()
)
_VOCAB: dict[str, re.Pattern[str]] = {
    "social": re.compile(
        r"\b(share|shares|shared|tweet|facebook|twitter|whatsapp|pinterest|linkedin|reddit|"
        r"telegram|instagram|youtube|tiktok|flipboard|e-?mail|print|copy link|follow us)\b",
        re.I,
    ),
    "legal": re.compile(
        r"©|\(c\)|\b(copyright|all rights reserved|privacy|terms of (use|service)|cookies?|"
        r"reproduc\w*|permission|trademark|disclaimer)\b",
        re.I,
    ),
    "comments": re.compile(
        r"\b(comments?|reply|replies|leave a|log ?in|sign ?(in|up)|subscribe|newsletter|"
        r"required fields|email address will not|register|password)\b",
        re.I,
    ),
    "related": re.compile(
        r"\b(related|read more|more from|latest|recommended|popular|trending|"
        r"you may also|more stories|more news|see also|top stories|editor'?s picks?)\b",
        re.I,
    ),
    "counter": re.compile(
        r"\b(views?|reads?|min(ute)?s? read|likes?|comments?|shares?)\s*:?\s*\d|"
        r"\d[\d,.]*\s*(views?|reads?|min(ute)?s? read|likes?|comments?|shares?)\b",
        re.I,
    ),
    "caption": re.compile(
        r"\b(photo|image|picture|credit|getty|shutterstock|file photo|illustration|"
        r"courtesy|pictured)\b",
        re.I,
    ),
    "nav": re.compile(
        r"\b(home|menu|search|skip to|sections?|navigation|contact us|about us|advertise|"
        r"careers|subscribe|login|more|next|previous|back to top|loading)\b",
        re.I,
    ),
}
_VOCAB_NAMES = tuple(_VOCAB)
# Words of outlet and company names, which sit where bylines do.
_ORG_WORDS = frozenset(
    "news times post journal press media daily weekly magazine network group agency inc llc "
    "ltd corp company tribune herald gazette review report today online tv radio channel "
    "staff team editors editorial desk".split()
)
_WORD = re.compile(r"\w+")
_URLISH = re.compile(r"https?://|www\.|\.(com|org|net|az|uk)\b|@\w|\b\S+@\S+\.\w+|#\w")
_BYLINE = re.compile(r"^(by|written by|author:?|posted by|reporting by)\s+\S", re.I)
_DATE = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|"
    r"\b\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}|"
    r"\b\d{4}-\d{2}-\d{2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b",
    re.I,
)
# Comment sections are cut at their heading whatever follows: comments can
# outweigh the article they sit under.
_COMMENTS_HEAD = re.compile(
    r"^(\[?\s*\d+\s+(comments?|responses?|replies)\s*\]?|comments?(\s*\(\d+\))?|"
    r"((top|highest) rated|recent|newest|show|view|read|load|post|add)\s+(\w+\s+)?comments?|"
    r"leave a (reply|comment)|join the (conversation|discussion)|"
    r"(\d+\s+)?(thoughts|responses?) (on|to) .{0,80})\s*:?$",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_BULLET = re.compile(r"^[*+\-•·–—>»]\s")
_SEPARATORS = re.compile(r"[|•»·/]")
# Headings of related-story lists: "Related Articles", "Latest News from X",
# "More stories from X", "You might also like", "Most read".
_FOOTER_HEAD = re.compile(
    r"^(related(\s+\w+)?|(latest|more|other|top|trending|popular|recent)\s+"
    r"(news|stories|articles|posts|headlines|reads)(\s+(from|by|on|in)\b.{0,40})?|"
    r"more (from|by) .{1,40}|you (may|might) (also )?(like|enjoy)|recommended( for you)?|"
    r"most (read|popular|viewed|shared)|editor'?s picks?|don'?t miss)\s*:?$",
    re.I,
)


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
    words = _WORD.findall(text)
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
        float(bool(_SENTENCE_END.search(text))),
        float(text.endswith(":")),
        len(re.findall(r"[.,;:]", text)) / max(n_words, 1),
        text.count(",") / max(n_words, 1),
        caps / max(n_words, 1),
        sum(w in stopwords for w in lowered) / max(n_words, 1),
        float(len(_URLISH.findall(text))),
        *(float(len(p.findall(text))) for p in _VOCAB.values()),
        float(bool(_BYLINE.search(text))),
        float(bool(_DATE.search(text))),
        math.log1p(indent),
        float(bool(_BULLET.search(text))),
        float(len(_SEPARATORS.findall(text))),
        n_chars / max(n_words, 1),
        float(text[:1].islower()),
        float(text[:1] in "\"'“‘«"),
        float(text.endswith(("...", "…"))),
    ]


_NEIGHBOUR_COLS = (1, 5, 10, 11, 12)  # log words, sentence end, stopwords, urls, social
_N_SHAPE = 12 + len(_VOCAB) + 9  # columns written by _shape_features


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
    words = [w.lower() for line in lines for w in _WORD.findall(line.text)]
    if not stoplists:
        return _STOPWORDS
    return max(stoplists, key=lambda stop: sum(w in stop for w in words))


def line_features(lines: tuple[Line, ...], stopwords: frozenset[str] = _STOPWORDS) -> FloatArray:
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


# --- bundled model ----------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """A boosted tree ensemble packed into padded ``(trees, nodes)`` arrays.

    Attributes:
        baseline (float): raw score before any tree (log-odds of body).
        feature (npt.NDArray[np.int64]): split feature per node.
        threshold (FloatArray): go left when the feature is ``<=`` this.
        left (npt.NDArray[np.int64]): left child per node.
        right (npt.NDArray[np.int64]): right child per node.
        missing_left (npt.NDArray[np.bool_]): where NaN (no neighbour) goes.
        leaf (npt.NDArray[np.bool_]): whether a node is a leaf.
        value (FloatArray): leaf value (learning rate already applied).
        depth (int): longest root-to-leaf path.
    """

    baseline: float
    feature: npt.NDArray[np.int64]
    threshold: FloatArray
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    missing_left: npt.NDArray[np.bool_]
    leaf: npt.NDArray[np.bool_]
    value: FloatArray
    depth: int


def ensemble_from_json(data: dict[str, Any]) -> TreeEnsemble:
    """Pack the JSON form written by ``tools/train_textclean.py``.

    Args:
        data (dict[str, Any]): ``{"baseline", "depth", "trees": [{"feature",
            "threshold", "left", "right", "missing_left", "leaf", "value"}]}``.

    Returns:
        TreeEnsemble: arrays padded to the largest tree.
    """
    trees = data["trees"]
    width = max(len(t["feature"]) for t in trees)

    def pack(key: str, dtype: type, fill: float) -> npt.NDArray[Any]:
        out: npt.NDArray[Any] = np.full((len(trees), width), fill, dtype=dtype)
        for i, tree in enumerate(trees):
            out[i, : len(tree[key])] = tree[key]
        return out

    return TreeEnsemble(
        baseline=float(data["baseline"]),
        feature=pack("feature", np.int64, 0),
        threshold=pack("threshold", np.float64, 0.0),
        left=pack("left", np.int64, 0),
        right=pack("right", np.int64, 0),
        missing_left=pack("missing_left", np.bool_, 1),
        leaf=pack("leaf", np.bool_, 1),
        value=pack("value", np.float64, 0.0),
        depth=int(data["depth"]),
    )


def predict_proba(model: TreeEnsemble, features: FloatArray) -> FloatArray:
    """Body probability of every row, walking all trees at once.

    Args:
        model (TreeEnsemble): the packed ensemble.
        features (FloatArray): ``(rows, n_features)``, NaN allowed.

    Returns:
        FloatArray: one probability per row.
    """
    n_trees = model.feature.shape[0]
    rows = np.arange(features.shape[0])[None, :]
    trees = np.arange(n_trees)[:, None]
    node = np.zeros((n_trees, features.shape[0]), dtype=np.int64)
    for _ in range(model.depth):
        x = features[rows, model.feature[trees, node]]
        go_left = np.where(
            np.isnan(x), model.missing_left[trees, node], x <= model.threshold[trees, node]
        )
        child = np.where(go_left, model.left[trees, node], model.right[trees, node])
        node = np.where(model.leaf[trees, node], node, child)
    raw = model.baseline + model.value[trees, node].sum(axis=0)
    return np.asarray(1.0 / (1.0 + np.exp(-raw)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class TextCleanModel:
    """The bundled model: two tree ensembles and the stoplists they were trained with."""

    stage1: TreeEnsemble
    stage2: TreeEnsemble
    stoplists: tuple[frozenset[str], ...]


@lru_cache(maxsize=1)
def load_model() -> TextCleanModel:
    """Load ``resources/textclean_model.json`` once per process.

    Returns:
        TextCleanModel: the stage ensembles and stoplists.
    """
    path = resources.files("storytrace").joinpath("resources", "textclean_model.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    stoplists = tuple(frozenset(words) for words in data.get("stoplists", {}).values())
    return TextCleanModel(
        ensemble_from_json(data["stage1"]), ensemble_from_json(data["stage2"]), stoplists
    )


def body_scores(lines: tuple[Line, ...]) -> FloatArray:
    """Stage-two body probability of every line (``textclean.model.v1``).

    Args:
        lines (tuple[Line, ...]): the page's non-empty lines.

    Returns:
        FloatArray: one probability per line (empty for no lines).
    """
    if not lines:
        return np.zeros(0)
    model = load_model()
    base = line_features(lines, page_stoplist(lines, model.stoplists))
    p1 = predict_proba(model.stage1, base)
    return predict_proba(model.stage2, stacked_features(base, p1))


# --- finer labels (textclean.rule.*) ----------------------------------------
@dataclass(frozen=True, slots=True)
class LineLabel:
    """The decision for one line: its label and the layer that made it."""

    label: SegmentLabel
    method: str


# "About The Author" / "About Jane Doe (348 Articles)": an author-bio heading.
_ABOUT = re.compile(
    r"^(?i:about)\s+((?i:the\s+author)|[A-Z][\w.'-]*(\s+[A-Z][\w.'-]*){0,3})"
    r"(\s*\(\d+\s+(?i:articles|posts|stories)\))?\s*$"
)
# A copyright notice: "Copyright 1999-2025 X", "© 2025 X", "All rights reserved".
_LEGAL_LINE = re.compile(
    r"^(copyright|©|\(c\))|(copyright|©)\s*(©\s*)?\d{4}|all rights reserved", re.I
)
_VOCAB_LABELS = (
    ("counter", SegmentLabel.COUNTER),
    ("legal", SegmentLabel.LEGAL),
    ("comments", SegmentLabel.COMMENTS),
    ("social", SegmentLabel.SOCIAL),
    ("caption", SegmentLabel.CAPTION),
    ("related", SegmentLabel.RELATED),
)


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def is_byline(text: str) -> bool:
    """A short "By Jane Doe" line whose words after "by" are mostly capitalised.

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether it reads as an author line ("By contrast, ..." does not).
    """
    match = _BYLINE.match(text)
    if not match or _word_count(text) > 12 or _SENTENCE_END.search(text):
        return False
    rest = text[match.end() - 1 :].split()
    return sum(w[:1].isupper() for w in rest) >= 0.5 * len(rest)


def is_dateline(text: str) -> bool:
    """A short line that prints a date ("Apr 9, 2025, 5:53 AM", "09 April 2025 12:58").

    Args:
        text (str): one stripped line.

    Returns:
        bool: whether the line is mostly a date.
    """
    if not _DATE.search(text) or _word_count(text) > 12:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    return sum(w in _STOPWORDS for w in words) <= 0.3 * len(words)


@dataclass(frozen=True, slots=True)
class FooterCut:
    """A run of lines ``[start, end)`` cut by the footer rule, and what it holds."""

    start: int
    end: int
    label: SegmentLabel


def _list_end(lines: tuple[Line, ...], body: list[bool], head: int) -> int:
    """First line after a related heading where article prose resumes, else the end.

    A related box inside an article (a heading, a few teaser titles) is
    followed by more of the article; seed 000's footer is followed directly
    by full-prose stories, so it never "resumes" and is cut to the end.
    """
    for j in range(head + 1, len(lines)):
        prose = _word_count(lines[j].text) >= 15 and _SENTENCE_END.search(lines[j].text)
        if body[j] and prose:
            return j if j > head + 1 else len(lines)
    return len(lines)


def footer_cut(lines: tuple[Line, ...], body: list[bool]) -> FooterCut | None:
    """Where the article ends: a comments heading or a related-stories heading.

    A comments heading ("Leave a Reply", "[ 167 comments ]") cuts whatever
    follows, since comments can outweigh the article. A related-stories
    heading cuts its list; it cuts to the end only when no more body follows
    than preceded it (an inline "Related:" link is no footer). Seed 000's
    "Latest News from Worthy News" (seven unrelated stories) motivated it.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        body (list[bool]): the model's body decisions.

    Returns:
        FooterCut | None: the lines cut and their label, or ``None``.
    """
    words = [_word_count(ln.text) for ln in lines]
    total = sum(w for w, b in zip(words, body, strict=True) if b)
    before = 0
    for i, line in enumerate(lines):
        before += words[i] if body[i] else 0
        if not before or words[i] > 16 or _SENTENCE_END.search(line.text):
            continue
        if _COMMENTS_HEAD.match(line.text) and before >= 50:
            return FooterCut(i, len(lines), SegmentLabel.COMMENTS)
        if _FOOTER_HEAD.match(line.text) and before >= total - before:
            return FooterCut(i, _list_end(lines, body, i), SegmentLabel.RELATED)
    return None


def pick_title(lines: tuple[Line, ...], first_body: int, config: TextCleanConfig) -> int | None:
    """Index of the headline among the lines just above the first body line.

    A headline is a 3-to-``max_title_words`` line with no full stop and no page
    furniture vocabulary; lines sharing words with the page's first line (the
    HTML ``<title>`` in most dumps) and lines nearer the body score higher.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        first_body (int): index of the first body line.
        config (TextCleanConfig): ``title_window`` and ``max_title_words``.

    Returns:
        int | None: the headline's index, or ``None`` when no line qualifies.
    """
    head = {w.lower() for w in _WORD.findall(lines[0].text)} if lines else set()
    best, best_score = None, 0.0
    for i in range(max(first_body - config.title_window, 0), first_body):
        text = lines[i].text
        words = _WORD.findall(text)
        if not 3 <= len(words) <= config.max_title_words or text.endswith("."):
            continue
        if is_byline(text) or is_dateline(text) or _URLISH.search(text):
            continue
        if any(_VOCAB[k].search(text) for k in ("social", "legal", "comments", "counter")):
            continue
        overlap = sum(w.lower() in head for w in words) / len(words)
        # The HTML <title> ("Headline | Site") opens most dumps: a line it
        # repeats is the headline, however far above the body it sits.
        score = 1.0 + 2 * overlap + min(len(words), 12) / 12 - 0.03 * (first_body - i)
        if score > best_score:
            best, best_score = i, score
    return best


def _caption_pairs(lines: tuple[Line, ...]) -> set[int]:
    """Lines of an image caption printed twice, the second time with its credit.

    html-text renders ``alt`` text and then the caption glued to the credit
    (seed 001: "Shiite militia in Iraq" / "Shiite militia in IraqReuters").
    """
    out: set[int] = set()
    for i in range(len(lines) - 1):
        a, b = lines[i].text, lines[i + 1].text
        credit = b[len(a) :]
        if b.startswith(a) and 0 < _word_count(credit) <= 4 and _word_count(a) <= 25:
            out.update((i, i + 1))
    return out


def _vocab_label(text: str, before_body: bool) -> SegmentLabel:
    """Finer label of a removed line from its vocabulary and position."""
    if _ABOUT.match(text) and "author" in text.lower():
        return SegmentLabel.AUTHOR_BIO
    for name, label in _VOCAB_LABELS:
        if _VOCAB[name].search(text):
            return label
    short = _word_count(text) <= 8  # menus are short; long lines up top are teasers
    return SegmentLabel.NAVIGATION if before_body and short else SegmentLabel.BOILERPLATE


def _removed_label(lines: tuple[Line, ...], i: int, first_body: int) -> LineLabel:
    """Label of one non-body line outside the title/byline/dateline slots."""
    return LineLabel(_vocab_label(lines[i].text, i < first_body), "textclean.rule.vocab.v1")


def is_name_line(text: str) -> bool:
    """A bare author name ("Andrew King", "Mike Marshall, Shipping Expert").

    Only consulted between the headline and the body, where sites print the
    author without "By".

    Args:
        text (str): one stripped line.

    Returns:
        bool: 2 to 4 capitalised words before any comma, no digits, stopwords
        or furniture words.
    """
    name = re.split(r"[,|]", text)[0].split()
    if not 2 <= len(name) <= 4 or any(c.isdigit() for c in text) or _SENTENCE_END.search(text):
        return False
    if any(_VOCAB[k].search(text) for k in _VOCAB_NAMES):
        return False
    if any(w.lower() in _STOPWORDS or w.lower() in _ORG_WORDS for w in name):
        return False  # "Written By", "Schedule Your ...", seed 001's "Israel National News"
    return all(w[:1].isupper() and w.replace(".", "").replace("-", "").isalpha() for w in name)


def _meta_slots(
    lines: tuple[Line, ...], span: tuple[int, int], config: TextCleanConfig
) -> dict[int, LineLabel]:
    """Title, byline and dateline lines found around the body's start (and end)."""
    first, last = span
    slots: dict[int, LineLabel] = {}
    title = pick_title(lines, first, config)
    if title is not None:
        slots[title] = LineLabel(SegmentLabel.TITLE, "textclean.rule.title.v1")
    # Nearest the body first: a far-up "By ..." is more likely a teaser's.
    window = [
        *range(first - 1, max(first - config.title_window, 0) - 1, -1),
        *range(last + 1, min(last + 4, len(lines))),
    ]
    for kind, test in ((SegmentLabel.BYLINE, is_byline), (SegmentLabel.DATELINE, is_dateline)):
        found = [i for i in window if i not in slots and test(lines[i].text)]
        if found:
            slots[found[0]] = LineLabel(kind, f"textclean.rule.{kind.value}.v1")
    if title is not None and SegmentLabel.BYLINE not in {v.label for v in slots.values()}:
        zone = range(title + 1, min(first, title + 5))
        names = [i for i in zone if is_name_line(lines[i].text)]
        if names and names[0] not in slots:
            slots[names[0]] = LineLabel(SegmentLabel.BYLINE, "textclean.rule.byline.name.v1")
    return slots


def _bio_lines(lines: tuple[Line, ...], body: list[bool]) -> dict[int, LineLabel]:
    """An "About <author>" heading after most of the body, and the bio under it.

    Seed 004 prints the author's bio as full prose under "About Siavosh
    Hosseini (348 Articles)"; only the heading tells it from the article. The
    bio runs until the next short line ("Leave a Reply").
    """
    words = [_word_count(ln.text) if b else 0 for ln, b in zip(lines, body, strict=True)]
    total = sum(words)
    out: dict[int, LineLabel] = {}
    for i, line in enumerate(lines):
        about = _ABOUT.match(line.text)
        if not about or sum(words[:i]) < 0.6 * total:
            continue
        named = "author" not in about.group(1).lower() and _word_count(about.group(1)) >= 2
        kind = SegmentLabel.BYLINE if named else SegmentLabel.AUTHOR_BIO
        out[i] = LineLabel(kind, f"textclean.rule.{kind.value}.about.v1")
        j = i + 1
        while j < len(lines) and _word_count(lines[j].text) > 8:
            out[j] = LineLabel(SegmentLabel.AUTHOR_BIO, "textclean.rule.bio.v1")
            j += 1
    return out


def _url_line(text: str) -> bool:
    """A source or link line: a URL with at most a few words around it."""
    urls = re.findall(r"https?://\S+|www\.\S+", text)
    rest = re.sub(r"https?://\S+|www\.\S+", " ", text)
    return bool(urls) and _word_count(rest) <= 6


def _furniture(lines: tuple[Line, ...], body: list[bool]) -> dict[int, LineLabel]:
    """Removed lines that rules recognise whatever the model said."""
    out = {
        i: LineLabel(SegmentLabel.CAPTION, "textclean.rule.caption.v1")
        for i in _caption_pairs(lines)
    }
    for i, line in enumerate(lines):
        if _LEGAL_LINE.search(line.text) and _word_count(line.text) <= 40:
            out[i] = LineLabel(SegmentLabel.LEGAL, "textclean.rule.legal.v1")
        elif _url_line(line.text):  # seed 001: "Content retrieved from: https://..."
            out[i] = LineLabel(SegmentLabel.BOILERPLATE, "textclean.rule.url.v1")
    for i, label in _bio_lines(lines, body).items():
        out.setdefault(i, label)
    return out


def _islands(lines: tuple[Line, ...], body: list[bool], config: TextCleanConfig) -> list[int]:
    """Body lines in small runs cut off from the article by boilerplate.

    Runs of body lines are split wherever ``island_gap`` or more removed lines
    intervene; every run but the largest with fewer than ``island_words``
    words is dropped (a teaser headline between menus, a stray caption).
    """
    runs: list[list[int]] = []
    last = -config.island_gap - 1
    for i, b in enumerate(body):
        if b:
            if i - last > config.island_gap:
                runs.append([])
            runs[-1].append(i)
            last = i
    sizes = [sum(_word_count(lines[i].text) for i in run) for run in runs]
    biggest = max(range(len(runs)), key=lambda k: sizes[k], default=-1)
    return [
        i
        for k, run in enumerate(runs)
        if k != biggest and sizes[k] < config.island_words
        for i in run
    ]


def _extend(
    lines: tuple[Line, ...], scores: FloatArray, body: list[bool], config: TextCleanConfig
) -> None:
    """Hysteresis: a prose line scoring at least ``extend_threshold`` next to body is body.

    The last paragraph before a footer scores low because its neighbours are
    furniture; jusText's "near-good" blocks are rescued the same way.
    """
    changed = True
    while changed:
        changed = False
        for i, line in enumerate(lines):
            if body[i] or scores[i] < config.extend_threshold:
                continue
            near = (i > 0 and body[i - 1]) or (i + 1 < len(lines) and body[i + 1])
            if near and _word_count(line.text) >= 8 and _SENTENCE_END.search(line.text):
                body[i] = changed = True


def _body_decisions(
    lines: tuple[Line, ...], scores: FloatArray, config: TextCleanConfig
) -> dict[int, LineLabel]:
    """Body lines after the model and the rules that override it."""
    body = [float(s) >= config.body_threshold for s in scores]
    _extend(lines, scores, body, config)
    overrides = _furniture(lines, body)
    kept = [i for i, b in enumerate(body) if b]
    for i in kept[:2] + kept[-2:]:
        # A byline or date at either end of the body is metadata, read by the
        # metadata stage; inside the body a date is content (a table row).
        if is_byline(lines[i].text) or is_dateline(lines[i].text):
            body[i] = False
    for i in overrides:
        body[i] = False
    cut = footer_cut(lines, body) if config.footer_rule else None
    if cut is not None:
        for i in range(cut.start, cut.end):
            body[i] = False
            overrides.setdefault(i, LineLabel(cut.label, "textclean.rule.footer.v1"))
    for i in _islands(lines, body, config):
        body[i] = False
        overrides.setdefault(i, LineLabel(SegmentLabel.BOILERPLATE, "textclean.rule.island.v1"))
    decided = {i: LineLabel(SegmentLabel.BODY, MODEL_METHOD) for i, b in enumerate(body) if b}
    return {**overrides, **decided}


def label_page(
    lines: tuple[Line, ...], scores: FloatArray, config: TextCleanConfig
) -> list[LineLabel]:
    """Label every line: body (model), then title/byline/dateline, then the rest.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        scores (FloatArray): stage-two body probabilities.
        config (TextCleanConfig): thresholds.

    Returns:
        list[LineLabel]: one decision per line.
    """
    decided = _body_decisions(lines, scores, config)
    body_idx = [i for i, d in decided.items() if d.label is SegmentLabel.BODY]
    span = (min(body_idx), max(body_idx)) if body_idx else (len(lines), len(lines))
    slots = _meta_slots(lines, span, config) if body_idx else {}
    out: list[LineLabel] = []
    for i in range(len(lines)):
        if i in decided and (decided[i].label is SegmentLabel.BODY or i not in slots):
            out.append(decided[i])
        elif i in slots:
            out.append(slots[i])
        else:
            out.append(_removed_label(lines, i, span[0]))
    return out


def _cut_off(para: str, next_para: str, config: TextCleanConfig) -> bool:
    """Whether a body paragraph stops inside a sentence.

    It must be prose (a full stop inside), long enough, end on a letter with
    no punctuation, and its last word must be a function word ("and", "the",
    "some", "I" ...): sentences do not end on those, while headings, source
    lines and link texts without a full stop usually end on a noun.
    """
    if _word_count(para) < config.min_truncation_words or not para[-1:].isalpha():
        return False
    if not re.search(r"[.!?]\s", para) or next_para[:1].islower():
        return False
    last = para.split()[-1].lower()
    return last in _STOPWORDS and last != "more"  # "... Read More" is a teaser link


def _truncation(
    text: str, segments: list[records.Segment], config: TextCleanConfig
) -> records.Evidence | None:
    """Evidence of a body paragraph cut off mid-sentence, else ``None``.

    Seed 004 stops mid-paragraph at "... and some I" and more text follows.
    """
    spans = [
        (s.text_start, s.text_start + s.end - s.start)
        for s in segments
        if s.is_body and s.text_start is not None
    ]
    for k, (start, end) in enumerate(spans):
        next_para = text[spans[k + 1][0] :][:1] if k + 1 < len(spans) else ""
        if _cut_off(text[start:end], next_para, config):
            snippet_start = max(start, end - 40)
            return records.Evidence(
                "text", snippet_start, end, text[snippet_start:end], "textclean.rule.truncation.v1"
            )
    return None


def to_segments(
    lines: tuple[Line, ...], decisions: list[LineLabel], scores: FloatArray
) -> list[records.Segment]:
    """One segment per line; body segments get their offset in the joined body text.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        decisions (list[LineLabel]): one label per line.
        scores (FloatArray): stage-two body probabilities.

    Returns:
        list[records.Segment]: in page order; ``text_start`` counts the
        ``"\n\n"`` that joins body paragraphs.
    """
    segments: list[records.Segment] = []
    pos = 0
    for line, decision, score in zip(lines, decisions, scores, strict=True):
        text_start = None
        if decision.label is SegmentLabel.BODY:
            text_start = pos
            pos += len(line.text) + 2
        segments.append(
            records.Segment(
                line.start,
                line.end,
                decision.label,
                round(float(score), 4),
                decision.method,
                text_start,
            )
        )
    return segments


def clean_text_dump(page_text: str, config: TextCleanConfig = TextCleanConfig()) -> records.Cleaned:
    """Split a plain-text page dump into article body and labelled boilerplate.

    Args:
        page_text (str): the whole dump, decoded, ``\\n`` newlines.
        config (TextCleanConfig): thresholds (defaults are the tuned ones).

    Returns:
        records.Cleaned: one segment per non-empty line; ``text`` is the body
        lines joined by blank lines; ``truncated`` when a body paragraph ends
        mid-sentence.
    """
    lines = split_lines(page_text)
    scores = body_scores(lines)
    segments = to_segments(lines, label_page(lines, scores, config), scores)
    text = "\n\n".join(page_text[s.start : s.end] for s in segments if s.is_body)
    evidence = _truncation(text, segments, config)
    return records.Cleaned(
        page_text=page_text,
        text=text,
        segments=tuple(segments),
        truncated=evidence is not None,
        truncation_evidence=evidence,
        method=METHOD,
    )
