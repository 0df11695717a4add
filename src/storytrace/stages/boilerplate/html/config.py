"""Options of the HTML cleaner.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True, slots=True)
class HtmlCleanConfig:
    """Options of :func:`clean_html`.

    Attributes:
        ensemble (bool): also run trafilatura's balanced mode when the precise run
            is in doubt and combine the two (see :func:`ensemble_layer`); better
            than either run alone on both benchmarks, at up to twice the cost.
        favor (Literal["precision", "balanced", "recall"]): trafilatura's
            precision/recall switch when ``ensemble`` is off.
        precision_ratio (float): the precise run is trusted unless it keeps fewer
            than this share of the balanced run's words (then it has lost the
            article, e.g. WCXB dev pages where it returns one paragraph).
        confident_share (float): when the precise run already keeps this share of
            all words on the page, the balanced run cannot outvote it and is
            skipped (about half of all pages; costs 0.0005 F1 on WCXB-dev tune).
        include_tables (bool): keep table text in the body.
        anchor_tokens (int): a page block with at least this many words, found
            once in trafilatura's output, anchors the alignment; shorter blocks are
            body only when they sit between anchors where the output has them.
        min_body_words (int): when trafilatura's body has fewer words than this,
            the density fallback layer is consulted.
        truncation_min_words (int): the last body block must have at least this
            many words to count as a sentence cut off mid-way (shorter blocks
            without final punctuation are usually labels or list items).
        prune_hints (bool): run the prune layer on body blocks inside containers
            named as captions/share bars/related links/comments.
        fast_precise (bool): with ``ensemble``, the precise run is trafilatura's
            ``fast`` mode (no comparison with readability and jusText); the balanced
            run, made when the precise one is in doubt, still compares. On 581 news
            pages the cleaning stage takes ~12% less time; body F1 moves 0.9679 ->
            0.9667 (ScrapingHub) and 0.9421 -> 0.9411 (WCXB dev).
    """

    ensemble: bool = True
    favor: Literal["precision", "balanced", "recall"] = "precision"
    precision_ratio: float = 0.5
    confident_share: float = 0.7
    include_tables: bool = True
    anchor_tokens: int = 4
    min_body_words: int = 25
    truncation_min_words: int = 8
    prune_hints: bool = True
    fast_precise: bool = True
