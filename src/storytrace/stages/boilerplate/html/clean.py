"""Article body from HTML, with every removed block kept and labelled.

The page is parsed once and rendered to ``page_text``: all visible text, one
block-level element (or ``<br>``-separated line) per line, scripts and styles
dropped. Each line is a block. Which blocks are the article body is decided by a
cascade of layers (STYLE rule 4), each its own function and named in ``method``:

1. ``htmlclean.trafilatura.precision.fast.v1`` -- trafilatura with ``favor_precision``
   in its ``fast`` mode (``fast_precise``; ``precision.v1`` without it),
   its output aligned back onto the page blocks by normalised word sequence;
2. ``htmlclean.ensemble.v1`` (``ensemble.fast.v1`` after a fast precise run) --
   unless that run already holds most of the page,
   trafilatura's balanced run too: the balanced body replaces a precise body that
   lost the article, or fills gaps inside it (``htmlclean.trafilatura.balanced.v1``
   when the balanced run is taken whole);
3. ``htmlclean.density.v1`` -- when both keep (almost) nothing, the container
   holding the most paragraph text;
4. ``+htmlclean.prune.v1`` -- drops body blocks inside containers marked as
   captions, share bars, related links or comments.

Settings were chosen on the WCXB-dev tune half (``bench.extract``).

``text`` is the body blocks joined by blank lines; each body segment carries
``text_start``, so ``text[s.text_start : s.text_start + (s.end - s.start)]`` equals
``page_text[s.start : s.end]``.

Where each part lives: the parse is :data:`storytrace.models.html.SHARED_PARSER`'s
(shared with the metadata readers); the rendering is ``render`` with the markup
hints of ``label``; the layers are ``layers``, trafilatura's text mapped back onto
the blocks by ``align``; the truncation evidence is ``truncation``; the options
are ``config``.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

from storytrace import records
from storytrace.models.html import SHARED_PARSER
from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.html.config import HtmlCleanConfig
from storytrace.stages.boilerplate.html.layers import BodyChoice, choose_body
from storytrace.stages.boilerplate.html.render import Rendering, render_page
from storytrace.stages.boilerplate.html.truncation import truncation

#: The default options (a module-level record: ruff's B008 accepts frozen dataclass
#: calls as defaults only in the module defining them).


def _segments(page: Rendering, choice: BodyChoice) -> tuple[tuple[records.Segment, ...], str]:
    segments: list[records.Segment] = []
    parts: list[str] = []
    offset = 0
    for i, block in enumerate(page.blocks):
        if i not in choice.body:
            label = block.hint or SegmentLabel.BOILERPLATE
            segments.append(records.Segment(block.start, block.end, label, method=choice.method))
            continue
        if parts:
            offset += 2  # the "\n\n" joining body blocks
        segments.append(
            records.Segment(
                block.start, block.end, SegmentLabel.BODY, method=choice.method, text_start=offset
            )
        )
        parts.append(page.page_text[block.start : block.end])
        offset += block.end - block.start
    return tuple(segments), "\n\n".join(parts)


def clean_html(html: str, config: HtmlCleanConfig = HtmlCleanConfig()) -> records.Cleaned:
    """Split an HTML page into its whole-page text, labelled segments and body.

    Args:
        html: decoded HTML of one page.
        config: stage options.

    Returns:
        ``Cleaned`` with ``page_text`` (all visible text, one block per line),
        one segment per block (``BODY`` or a boilerplate label) and ``text``, the
        body blocks joined by blank lines. Empty or unparsable HTML gives empty texts.
    """
    root = SHARED_PARSER.parse(html)
    if root is None:
        return records.Cleaned("", "", (), method="htmlclean.empty.v1")
    page = render_page(root)
    choice = choose_body(root, page, config)
    segments, text = _segments(page, choice)
    evidence = truncation(text, config.truncation_min_words)
    return records.Cleaned(
        page.page_text, text, segments, evidence is not None, evidence, choice.method
    )
