"""Which page blocks an extractor's plain-text output consists of.

trafilatura returns text, not elements; :func:`align_blocks` maps that text back
onto the page blocks by normalised word sequence, so every block keeps its
offsets into ``page_text`` whichever layer chose it.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from storytrace.stages.boilerplate.html.render import Block, words_key


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
    keys = [k for k in (words_key(line) for line in text.split("\n")) if k]
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
