"""Options of the plain-text cleaner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: When the line classifier runs: ``auto`` unless the page is already article text.
CleanMode = Literal["never", "auto", "always"]


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
        clean (CleanMode): ``auto`` runs the classifier unless the page is
            already article text (then every sentence is kept); ``never``
            keeps every line as body; ``always`` runs the classifier on
            every page. CLI ``--clean``.
        clean_max_furniture (int): a clean page has at most this many
            furniture lines (copyright, URL, "Share", menus printed twice);
            one is allowed for a reader prompt under an article.
        clean_max_odd (int): a clean page may always have this many lines
            that are not prose (a headline, a dateline, a prompt) ...
        clean_max_odd_share (float): ... or at most this share of its lines
            (subheads and short lists inside a long article).
        clean_max_indents (int): a clean page has at most this many distinct
            indentation widths (inscriptis dumps nest page blocks).
    """

    body_threshold: float = 0.5
    min_truncation_words: int = 12
    title_window: int = 30
    max_title_words: int = 30
    footer_rule: bool = True
    extend_threshold: float = 0.3
    island_gap: int = 3
    island_words: int = 25
    clean: CleanMode = "auto"
    clean_max_furniture: int = 1
    clean_max_odd: int = 3
    clean_max_odd_share: float = 0.5
    clean_max_indents: int = 2
