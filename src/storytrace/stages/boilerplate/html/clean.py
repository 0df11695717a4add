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

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import trafilatura
from lxml import etree
from lxml.html import (
    HtmlComment,
    HtmlElement,
    HtmlEntity,
    HTMLParser,
    HtmlProcessingInstruction,
    fromstring,
)
from trafilatura.utils import is_dubious_html, repair_faulty_html

from storytrace import records
from storytrace.records import SegmentLabel

#: Tags whose content is never visible text.
_INVISIBLE = frozenset(
    {"script", "style", "noscript", "template", "head", "svg", "iframe", "object", "embed"}
)

#: Tags that start a new line in the rendering (HTML block-level and table cells).
_BLOCK = frozenset(
    """p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd table thead tbody tfoot tr td th caption
    blockquote pre section article header footer nav aside main figure figcaption form
    fieldset legend address details summary hr br body html center menu dialog option
    select textarea label button title""".split()
)

_WS = re.compile(r"\s+")
_WORD = re.compile(r"\w+")

# Class/id hints, nearest ancestor first wins. Ordered so that specific kinds
# (comments, captions) beat the generic navigation words that wrap them.
_HINTS: tuple[tuple[SegmentLabel, re.Pattern[str]], ...] = (
    (SegmentLabel.COMMENTS, re.compile(r"comment|disqus|respond|reply|discussion")),
    (SegmentLabel.CAPTION, re.compile(r"caption|credit|figcaption|wp-caption|photo-?info")),
    (SegmentLabel.AUTHOR_BIO, re.compile(r"author-?bio|about-?the-?author|author-?box|bio\b")),
    (SegmentLabel.BYLINE, re.compile(r"byline|author|writer|contributor")),
    (SegmentLabel.DATELINE, re.compile(r"\bdate|timestamp|published|dateline|\btime\b")),
    (
        SegmentLabel.RELATED,
        re.compile(
            r"related|recommend|more-?stories|read-?more|also-?read|trending|popular"
            r"|outbrain|taboola|recirc|most-?read|next-?article|promo|teaser"
        ),
    ),
    (
        SegmentLabel.SOCIAL,
        re.compile(
            r"share|sharing|social-?(?:links|icons|bar|media|buttons)|follow-?us|newsletter|subscri"
        ),
    ),
    (SegmentLabel.LEGAL, re.compile(r"copyright|legal|terms|privacy|cookie|disclaimer|gdpr")),
    (
        SegmentLabel.NAVIGATION,
        re.compile(r"\bnav|menu|breadcrumb|header|footer|sidebar|masthead|toolbar|paginat|skip"),
    ),
    (SegmentLabel.COUNTER, re.compile(r"views?-?count|counter|hits\b")),
)

_TAG_LABELS: dict[str, SegmentLabel] = {
    "nav": SegmentLabel.NAVIGATION,
    "header": SegmentLabel.NAVIGATION,
    "footer": SegmentLabel.BOILERPLATE,
    "figcaption": SegmentLabel.CAPTION,
    "h1": SegmentLabel.TITLE,
    "time": SegmentLabel.DATELINE,
    "address": SegmentLabel.BYLINE,
    "aside": SegmentLabel.BOILERPLATE,
    "form": SegmentLabel.BOILERPLATE,
    "menu": SegmentLabel.NAVIGATION,
}

_LEGAL_TEXT = re.compile(r"^(©|\(c\)|copyright\b|all rights reserved)", re.IGNORECASE)
_BYLINE_TEXT = re.compile(r"^(by|von|par|por)\s+\S", re.IGNORECASE)
# Prose stopping on a word or comma; not a URL, e-mail address or number.
_PROSE_CUT = re.compile(r"(?:^|\s)[^\W\d_][\w'’-]*,?\s*$")
_SENTENCE_END = re.compile(r"[^\W\d_]{2}[.!?][\"'”’)]?\s+\S")
_MORE_LABEL = re.compile(r"\b(?:more|also like|continue|read|see)\b\W*$", re.IGNORECASE)
_ELLIPSIS_END = re.compile(r"(\.\.\.|…)\s*$")


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


@dataclass(frozen=True, slots=True)
class Block:
    """One line of the page rendering.

    Attributes:
        start (int): offset in ``page_text``.
        end (int): offset one past the end in ``page_text``.
        key (str): lower-cased words joined by spaces, used for alignment.
        hint (SegmentLabel | None): boilerplate kind suggested by the markup.
        owner (HtmlElement): innermost block element holding the text.
    """

    start: int
    end: int
    key: str
    hint: SegmentLabel | None
    owner: HtmlElement


@dataclass(frozen=True, slots=True)
class Rendering:
    """The page text and its blocks."""

    page_text: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class BodyChoice:
    """Which blocks one layer keeps as body.

    Attributes:
        body (frozenset[int]): indices into ``Rendering.blocks``.
        method (str): the layer's versioned name.
    """

    body: frozenset[int]
    method: str


def parse_html(html: str) -> HtmlElement | None:
    """Parse an HTML string the way trafilatura does (so one tree serves both).

    Args:
        html: decoded HTML.

    Returns:
        The root element, or ``None`` when lxml finds no document at all.
    """
    return _parse_cached(html)


def clear_parse_cache() -> None:
    """Forget cached parses, e.g. so a benchmark times each stage's own parse."""
    _parse_cached.cache_clear()


def _html_parser() -> HTMLParser:
    """trafilatura's parser settings with lxml's C-level element class lookup.

    ``lxml.html`` resolves the Python class of every element proxy through a
    Python callback (``HtmlElementClassLookup.lookup``); the cleaner, the
    metadata readers and trafilatura's own passes create ~8,600 proxies a page,
    and that callback alone was 3.3 s of 48 s over the 581 benchmark pages.
    ``ElementDefaultClassLookup`` gives every element the same ``HtmlElement``
    class from C. Only ``lxml.html``'s form classes (``FormElement``,
    ``InputElement``...) are lost, and nothing here uses their form API.
    """
    parser = HTMLParser(
        collect_ids=False,
        default_doctype=False,
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
    )
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=HtmlElement,
            comment=HtmlComment,
            pi=HtmlProcessingInstruction,
            entity=HtmlEntity,
        )
    )
    return parser


_PARSER = _html_parser()


def _fromstring(html: str | bytes) -> HtmlElement | None:
    try:
        tree = fromstring(html, parser=_PARSER)
    except (ValueError, TypeError, etree.ParserError):
        return None
    return tree if isinstance(tree, HtmlElement) else None


@lru_cache(maxsize=4)
def _parse_cached(html: str) -> HtmlElement | None:
    # A tiny cache: the metadata stage reads the same string right after this
    # stage, so the page is parsed once per document. Trees are never mutated.
    # The steps are trafilatura's ``load_html`` for a decoded string (repair,
    # a bytes retry, the not-HTML-at-all check), with the faster parser above.
    if not html.strip():
        return None
    beginning = html[:50].lower()
    html = repair_faulty_html(html, beginning)
    try:
        tree = fromstring(html, parser=_PARSER)
    except ValueError:
        # "Unicode strings with encoding declaration are not supported."
        tree = _fromstring(html.encode("utf-8", "surrogatepass"))
    except (TypeError, etree.ParserError):
        tree = None
    if tree is None or len(tree) < 1:
        tree = _fromstring(html.encode("utf-8", "surrogatepass"))
    if tree is not None and is_dubious_html(beginning) and len(tree) < 2:
        return None
    return tree if isinstance(tree, HtmlElement) else None


def _words_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _walk_text(root: HtmlElement) -> Iterator[tuple[str, HtmlElement | None]]:
    """Yield text pieces in document order; ``("", owner)`` marks a line break.

    Args:
        root: parsed page.

    Returns:
        Iterator of (text, owner): text pieces with the block element they sit in,
        or an empty string with the new owner whenever a block starts or ends.
    """
    owners: list[HtmlElement] = [root]
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            # Hidden elements are kept: React streaming pages (WCXB 0155) ship the
            # whole article in <div hidden> that a script moves into place.
            if not tag or tag in _INVISIBLE:
                walker.skip_subtree()
                continue
            if tag in _BLOCK:
                owners.append(el)
                yield "", el
            if el.text:
                yield el.text, owners[-1]
            continue
        if tag in _BLOCK and owners[-1] is el:
            owners.pop()
            yield "", owners[-1]
        if el.tail and el is not root:
            yield el.tail, owners[-1]


class _LineBuilder:
    """Accumulates text pieces into whitespace-collapsed lines with offsets."""

    __slots__ = ("lines", "owner", "parts", "pos")

    def __init__(self) -> None:
        self.lines: list[tuple[int, str, HtmlElement]] = []
        self.parts: list[str] = []
        self.owner: HtmlElement | None = None
        self.pos = 0

    def add(self, text: str, owner: HtmlElement | None) -> None:
        if not self.parts and not text.strip():
            return
        if not self.parts:
            self.owner = owner
        self.parts.append(text)

    def flush(self) -> None:
        line = _WS.sub(" ", "".join(self.parts)).strip()
        self.parts = []
        if line and self.owner is not None:
            self.lines.append((self.pos, line, self.owner))
            self.pos += len(line) + 1


def render_page(root: HtmlElement) -> Rendering:
    """Render the visible text of a page, one block per line.

    Args:
        root: parsed page.

    Returns:
        The page text (lines joined by ``\\n``) and its blocks with markup hints.
    """
    builder = _LineBuilder()
    for text, owner in _walk_text(root):
        if text:
            builder.add(text, owner)
        else:
            builder.flush()
    builder.flush()
    hints: dict[HtmlElement, SegmentLabel | None] = {}
    blocks = tuple(
        Block(
            pos, pos + len(line), _words_key(line), _text_hint(line) or _hint(owner, hints), owner
        )
        for pos, line, owner in builder.lines
    )
    return Rendering("\n".join(line for _, line, _ in builder.lines), blocks)


def _own_hint(el: HtmlElement) -> SegmentLabel | None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _TAG_LABELS:
        return _TAG_LABELS[tag]
    return _names_hint(f"{el.get('class', '')} {el.get('id', '')} {el.get('itemprop', '')}")


@lru_cache(maxsize=8192)
def _names_hint(names: str) -> SegmentLabel | None:
    # Cached by the names string: a page repeats a few dozen class names over
    # thousands of elements (1.1 M regex searches on the 581 benchmark pages).
    names = names.lower()
    if not names.strip():
        return None
    for label, pattern in _HINTS:
        if pattern.search(names):
            return label
    return None


def _hint(el: HtmlElement, memo: dict[HtmlElement, SegmentLabel | None]) -> SegmentLabel | None:
    """The boilerplate kind suggested by the element or its nearest hinted ancestor."""
    chain: list[HtmlElement] = []
    node: HtmlElement | None = el
    found: SegmentLabel | None = None
    while node is not None:
        if node in memo:
            found = memo[node]
            break
        chain.append(node)
        found = _own_hint(node)
        if found is not None:
            break
        node = node.getparent()
    for visited in chain:
        memo[visited] = found
    return found


def _text_hint(line: str) -> SegmentLabel | None:
    if _LEGAL_TEXT.match(line):
        return SegmentLabel.LEGAL
    if len(line) < 80 and _BYLINE_TEXT.match(line):
        return SegmentLabel.BYLINE
    return None


@dataclass(frozen=True, slots=True)
class _Output:
    """Trafilatura's text as one padded word string, for boundary-safe ``find``.

    Attributes:
        words (str): ``" w1 w2 ... wn "``.
        line_starts (frozenset[int]): positions of the space before each line.
    """

    words: str
    line_starts: frozenset[int]


def _output_words(text: str) -> _Output:
    keys = [k for k in (_words_key(line) for line in text.split("\n")) if k]
    starts: list[int] = []
    pos = 0
    for key in keys:
        starts.append(pos)
        pos += len(key) + 1
    return _Output(" " + " ".join(keys) + " ", frozenset(starts))


def _increasing(anchors: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest run of anchors whose output positions increase with page order.

    Args:
        anchors: (block index, output position) pairs in block order.

    Returns:
        The longest subsequence with strictly increasing output positions, so a
        block repeated on the page (teaser + article) anchors only once.
    """
    tails: list[int] = []  # tails[k]: index into anchors ending a run of length k+1
    back: list[int] = [-1] * len(anchors)
    for i, (_, pos) in enumerate(anchors):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if anchors[tails[mid]][1] < pos:
                lo = mid + 1
            else:
                hi = mid
        back[i] = tails[lo - 1] if lo else -1
        tails[lo : lo + 1] = [i]
    run: list[tuple[int, int]] = []
    k = tails[-1] if tails else -1
    while k >= 0:
        run.append(anchors[k])
        k = back[k]
    return run[::-1]


def _find_anchors(blocks: Sequence[Block], out: _Output, min_tokens: int) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for i, block in enumerate(blocks):
        if not block.key or block.key.count(" ") + 1 < min_tokens:
            continue
        needle = f" {block.key} "
        pos = out.words.find(needle)
        if pos >= 0 and out.words.find(needle, pos + 1) < 0:
            found.append((i, pos))
    return _increasing(found)


def align_blocks(blocks: Sequence[Block], text: str, min_tokens: int) -> frozenset[int]:
    """Which page blocks an extractor's output text consists of.

    Long blocks found once in the output anchor the alignment. Other blocks count
    if found between their neighbouring anchors; a short one only at an output
    line start or right after the previous match (so a menu item "News" never
    matches inside a sentence). A long block the output reworded (glued words)
    counts when most of its words are unused between its anchors.

    Args:
        blocks: page blocks in order.
        text: the extractor's plain-text output.
        min_tokens: words a block needs to be an anchor.

    Returns:
        Indices of the blocks that are body.
    """
    out = _output_words(text)
    anchors = dict(_find_anchors(blocks, out, min_tokens))
    bounds = _anchor_bounds(len(blocks), anchors, blocks, len(out.words))
    body: set[int] = set()
    budgets: dict[tuple[int, int], Counter[str]] = {}
    cursor = 0
    for i, block in enumerate(blocks):
        if i in anchors:
            body.add(i)
            cursor = anchors[i] + len(block.key) + 1
            continue
        lo, hi = bounds[i]
        pos = out.words.find(f" {block.key} ", max(cursor, lo), hi) if block.key else -1
        short = block.key.count(" ") + 1 < min_tokens  # an empty key is short too
        if pos >= 0 and (not short or pos == cursor or pos in out.line_starts):
            body.add(i)
            cursor = pos + len(block.key) + 1
        elif not short:
            budget = budgets.setdefault((lo, hi), Counter(out.words[lo:hi].split()))
            if _take_words(block.key, budget):
                body.add(i)
    return frozenset(body)


def _anchor_bounds(
    count: int, anchors: dict[int, int], blocks: Sequence[Block], size: int
) -> list[tuple[int, int]]:
    """For each block, the output span between the anchors before and after it."""
    bounds: list[tuple[int, int]] = [(0, size)] * count
    lo = 0
    for i in range(count):
        if i in anchors:
            lo = anchors[i] + len(blocks[i].key) + 1
        bounds[i] = (lo, size)
    hi = size
    for i in range(count - 1, -1, -1):
        if i in anchors:
            hi = anchors[i] + 1
        else:
            bounds[i] = (bounds[i][0], hi)
    return bounds


#: Share of a block's words that must occur in its output window to count as body.
_OVERLAP_MIN = 0.8


def _take_words(key: str, budget: Counter[str]) -> bool:
    """Whether most words of ``key`` are still unused in ``budget``; if so use them.

    Spending the window's words means a block repeated on the page (a
    placeholder paragraph, a teaser) is matched against the output only once.
    """
    need = Counter(key.split())
    found = sum(min(n, budget[w]) for w, n in need.items())
    if found < _OVERLAP_MIN * sum(need.values()):
        return False
    budget.subtract(need)
    return True


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
    root = parse_html(html)
    if root is None:
        return records.Cleaned("", "", (), method="htmlclean.empty.v1")
    page = render_page(root)
    choice = choose_body(root, page, config)
    segments, text = _segments(page, choice)
    evidence = truncation(text, config.truncation_min_words)
    return records.Cleaned(
        page.page_text, text, segments, evidence is not None, evidence, choice.method
    )
