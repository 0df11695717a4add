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
2. Smoothing, in ``textclean_rules._body_decisions``: hysteresis (a prose
   line scoring at least ``extend_threshold`` next to body joins it) and
   island removal (small runs of body lines cut off from the article by
   furniture).
3. ``textclean.rule.*`` -- small, generic rules. Some override the model:
   copyright notices (``legal``), captions printed twice with their credit
   (``caption``), bare source URLs (``url``), an "About <author>" block after
   the article (``bio``), and the footer cut (``footer``): a comments heading
   ends the article, a related-stories heading removes its list. Others only
   name the kind of a removed line: the headline (``title``), "By ..." or a
   bare name under the headline (``byline``, ``byline.name``), the printed
   date (``dateline``), and vocabulary classes (``vocab``: social, legal,
   comments, related, counter, caption, navigation).

Before the model, the page is judged as a whole (``clean="auto"``, the
default): a page that is already article text -- no furniture signals, few
lines that are not prose -- skips the classifier, and every line from its first
to its last prose line is body (``textclean.clean_input.v1``, see
:mod:`~storytrace.stages.boilerplate.text.clean_input`). ``clean="never"`` keeps
every line (``textclean.keep_all.v1``); ``clean="always"`` runs the classifier
on every page.

Truncation (``truncated``): a long prose body paragraph that ends on a
function word with no punctuation was cut off (seed 004 stops mid-page at
"... and some I", and more text follows).

Layout: this module holds the stage (:func:`clean_text_dump`, its config and the
truncation check); ``textclean_vocab`` the shared vocabulary, ``textclean_features``
the lines and feature matrices, ``textclean_model`` the bundled ensembles, and
``textclean_rules`` the smoothing and rules. Their public names are re-exported here.
"""

from __future__ import annotations

import re

from storytrace import records
from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.text.clean_input import (
    input_shape,
    is_clean_input,
    keep_all,
    label_clean_page,
)
from storytrace.stages.boilerplate.text.config import TextCleanConfig
from storytrace.stages.boilerplate.text.features import (
    FloatArray,
    Line,
    line_features,
    page_stoplist,
    split_lines,
    stacked_features,
)
from storytrace.stages.boilerplate.text.model import (
    MODEL_METHOD,
    TextCleanModel,
    TreeEnsemble,
    body_scores,
    ensemble_from_json,
    load_model,
    predict_proba,
)
from storytrace.stages.boilerplate.text.rules import (
    FooterCut,
    LineLabel,
    footer_cut,
    is_byline,
    is_dateline,
    is_name_line,
    label_page,
    pick_title,
    word_count,
)
from storytrace.stages.boilerplate.text.vocab import STOPWORDS

__all__ = [
    "METHOD",
    "MODEL_METHOD",
    "FloatArray",
    "FooterCut",
    "Line",
    "LineLabel",
    "TextCleanConfig",
    "TextCleanModel",
    "TreeEnsemble",
    "body_scores",
    "clean_text_dump",
    "ensemble_from_json",
    "footer_cut",
    "is_byline",
    "is_dateline",
    "is_name_line",
    "label_page",
    "line_features",
    "load_model",
    "page_stoplist",
    "pick_title",
    "predict_proba",
    "split_lines",
    "stacked_features",
    "to_segments",
]

METHOD = "textclean.lines.v1"


def _cut_off(para: str, next_para: str, config: TextCleanConfig) -> bool:
    """Whether a body paragraph stops inside a sentence.

    It must be prose (a full stop inside), long enough, end on a letter with
    no punctuation, and its last word must be a function word ("and", "the",
    "some", "I" ...): sentences do not end on those, while headings, source
    lines and link texts without a full stop usually end on a noun.
    """
    if word_count(para) < config.min_truncation_words or not para[-1:].isalpha():
        return False
    if not re.search(r"[.!?]\s", para) or next_para[:1].islower():
        return False
    last = para.split()[-1].lower()
    return last in STOPWORDS and last != "more"  # "... Read More" is a teaser link


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
    lines: tuple[Line, ...], decisions: list[LineLabel], scores: FloatArray | None
) -> list[records.Segment]:
    """One segment per line; body segments get their offset in the joined body text.

    Args:
        lines (tuple[Line, ...]): the page's lines.
        decisions (list[LineLabel]): one label per line.
        scores (FloatArray | None): stage-two body probabilities; ``None``
            when the classifier did not run (clean input, ``clean="never"``).

    Returns:
        list[records.Segment]: in page order; ``text_start`` counts the
        ``"\n\n"`` that joins body paragraphs.
    """
    segments: list[records.Segment] = []
    pos = 0
    for i, (line, decision) in enumerate(zip(lines, decisions, strict=True)):
        text_start = None
        if decision.label is SegmentLabel.BODY:
            text_start = pos
            pos += len(line.text) + 2
        segments.append(
            records.Segment(
                line.start,
                line.end,
                decision.label,
                None if scores is None else round(float(scores[i]), 4),
                decision.method,
                text_start,
            )
        )
    return segments


def clean_text_dump(page_text: str, config: TextCleanConfig = TextCleanConfig()) -> records.Cleaned:
    """Split a plain-text page dump into article body and labelled boilerplate.

    Args:
        page_text (str): the whole dump, decoded, ``\\n`` newlines.
        config (TextCleanConfig): thresholds (defaults are the tuned ones) and
            ``clean``: whether the classifier runs on every page, on pages
            that are not already article text, or never.

    Returns:
        records.Cleaned: one segment per non-empty line; ``text`` is the body
        lines joined by blank lines; ``truncated`` when a body paragraph ends
        mid-sentence.
    """
    lines = split_lines(page_text)
    if config.clean == "never":
        segments = to_segments(lines, keep_all(lines), None)
    elif config.clean == "auto" and is_clean_input(input_shape(lines), config):
        segments = to_segments(lines, label_clean_page(lines, config), None)
    else:
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
