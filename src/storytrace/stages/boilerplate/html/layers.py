"""Which blocks are the article body: the layer cascade of the HTML cleaner.

Each layer is its own function returning a :class:`BodyChoice` that names it
(STYLE rule 4); :func:`choose_body` runs them in order: trafilatura's precise
run, its balanced run as a second opinion when the precise one is in doubt
(:func:`ensemble_layer`), the density fallback, then the prune layer.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.html.align import align_blocks
from storytrace.stages.boilerplate.html.config import HtmlCleanConfig
from storytrace.stages.boilerplate.html.render import Rendering


@dataclass(frozen=True, slots=True)
class BodyChoice:
    """Which blocks one layer keeps as body.

    Attributes:
        body (frozenset[int]): indices into ``Rendering.blocks``.
        method (str): the layer's versioned name.
    """

    body: frozenset[int]
    method: str


def trafilatura_layer(
    root: HtmlElement,
    page: Rendering,
    config: HtmlCleanConfig,
    favor: Literal["precision", "balanced", "recall"],
    fast: bool = False,
) -> BodyChoice:
    """Layer 1: trafilatura's main-text extraction aligned onto the page blocks.

    Args:
        root: parsed page (trafilatura copies it; it is not modified).
        page: the page rendering.
        config: stage options.
        favor: trafilatura's precision/recall switch.
        fast: trafilatura's fast mode (no readability/jusText comparison).

    Returns:
        The blocks trafilatura kept, named ``htmlclean.trafilatura.<favor>.v1``
        (``<favor>.fast.v1`` in fast mode).
    """
    try:
        text = trafilatura.extract(
            root,
            include_comments=False,
            include_tables=config.include_tables,
            favor_precision=favor == "precision",
            favor_recall=favor == "recall",
            fast=fast,
        )
    except (ValueError, TypeError, LookupError, etree.LxmlError):
        # A pathological tree must not sink the page: the density layer takes over.
        text = None
    body = align_blocks(page.blocks, text or "", config.anchor_tokens)
    return BodyChoice(body, f"htmlclean.trafilatura.{favor}{'.fast' if fast else ''}.v1")


def ensemble_layer(
    precise: BodyChoice, balanced: BodyChoice, page: Rendering, config: HtmlCleanConfig
) -> BodyChoice:
    """Combine trafilatura's precise and balanced runs.

    The precise run is better on most pages but sometimes keeps only a fragment
    of the article (WCXB dev 0030, 0140: one paragraph of a long page); then the
    balanced run is taken whole. Otherwise the precise body is kept and extended
    by balanced-run blocks lying between its first and last block (sub-headings
    and short paragraphs the precise run drops inside the article).

    Args:
        precise: blocks of the ``favor_precision`` run.
        balanced: blocks of the default run.
        page: the page rendering.
        config: stage options (``precision_ratio``; ``fast_precise`` names the result).

    Returns:
        The combined body, named ``htmlclean.ensemble.v1`` (``ensemble.fast.v1`` when
        the precise run was in fast mode), or the balanced run's name.
    """
    if _body_words(page, precise.body) < config.precision_ratio * _body_words(page, balanced.body):
        return balanced
    if not precise.body:
        return precise
    lo, hi = min(precise.body), max(precise.body)
    inside = {i for i in balanced.body if lo <= i <= hi}
    fast = ".fast" if config.fast_precise else ""
    return BodyChoice(precise.body | inside, f"htmlclean.ensemble{fast}.v1")


def density_layer(page: Rendering) -> BodyChoice:
    """Layer 2: the container with the most paragraph text is the body.

    Used when trafilatura keeps (almost) nothing, e.g. pages whose article sits in
    unusual markup. Only blocks of 8+ words vote, so link lists do not win.

    Args:
        page: the page rendering.

    Returns:
        The blocks under the winning container without a boilerplate hint,
        named ``htmlclean.density.v1``.
    """
    votes: dict[HtmlElement, int] = {}
    for block in page.blocks:
        words = block.key.count(" ") + 1 if block.key else 0
        parent = block.owner.getparent()
        if words >= 8 and block.hint is None and parent is not None:
            votes[parent] = votes.get(parent, 0) + words
    if not votes:
        return BodyChoice(frozenset(), "htmlclean.density.v1")
    best = max(votes, key=lambda el: votes[el])
    body = {
        i
        for i, block in enumerate(page.blocks)
        if block.hint is None and _inside(block.owner, best)
    }
    return BodyChoice(frozenset(body), "htmlclean.density.v1")


def _inside(el: HtmlElement, container: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if node is container:
            return True
        node = node.getparent()
    return False


#: Hints the prune layer removes from the body.
_PRUNED = frozenset(
    {SegmentLabel.CAPTION, SegmentLabel.COMMENTS, SegmentLabel.SOCIAL, SegmentLabel.RELATED}
)


def prune_layer(page: Rendering, choice: BodyChoice) -> BodyChoice:
    """Drop body blocks inside captions, share bars, related links and comments.

    A hint that covers half the body or more is ignored: it names the article's
    own wrapper (e.g. ``<div class="post-share-wrapper">`` around everything).

    Args:
        page: the page rendering.
        choice: the body chosen by an earlier layer.

    Returns:
        The pruned body, the method suffixed with ``+htmlclean.prune.v1``.
    """
    words: dict[SegmentLabel | None, int] = {}
    for i in choice.body:
        block = page.blocks[i]
        words[block.hint] = words.get(block.hint, 0) + block.key.count(" ") + 1
    total = sum(words.values()) or 1
    drop = {label for label in _PRUNED if words.get(label, 0) * 2 < total}
    body = frozenset(i for i in choice.body if page.blocks[i].hint not in drop)
    return BodyChoice(body, choice.method + "+htmlclean.prune.v1")


def _body_words(page: Rendering, body: frozenset[int]) -> int:
    return sum(page.blocks[i].key.count(" ") + 1 for i in body if page.blocks[i].key)


def choose_body(root: HtmlElement, page: Rendering, config: HtmlCleanConfig) -> BodyChoice:
    """Run the layer cascade: trafilatura precise, balanced when in doubt, density, prune.

    Args:
        root: parsed page.
        page: the page rendering.
        config: stage options.

    Returns:
        The body blocks and the names of the layers that produced them.
    """
    if config.ensemble:
        choice = trafilatura_layer(root, page, config, "precision", fast=config.fast_precise)
    else:
        choice = trafilatura_layer(root, page, config, config.favor)
    total = _body_words(page, frozenset(range(len(page.blocks))))
    if config.ensemble and _body_words(page, choice.body) < config.confident_share * total:
        balanced = trafilatura_layer(root, page, config, "balanced")
        choice = ensemble_layer(choice, balanced, page, config)
    if _body_words(page, choice.body) < config.min_body_words:
        fallback = density_layer(page)
        if _body_words(page, fallback.body) > _body_words(page, choice.body):
            choice = fallback
    return prune_layer(page, choice) if config.prune_hints else choice
