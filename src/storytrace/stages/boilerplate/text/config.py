"""Options of the plain-text cleaner."""

from __future__ import annotations

from dataclasses import dataclass


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
