"""The page as text: one block-level element (or ``<br>``-separated line) per line.

:func:`render_page` walks the parsed page once and gives ``page_text`` (all
visible text, scripts and styles dropped) and its blocks, each with the words
the aligner matches on and the boilerplate hint of its markup.

DOCS: docs/stages/htmlclean.md
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from storytrace.records import SegmentLabel
from storytrace.stages.boilerplate.html.label import element_hint, text_hint

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


def words_key(text: str) -> str:
    """Lower-cased words of ``text`` joined by single spaces (``Block.key``)."""
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
            pos,
            pos + len(line),
            words_key(line),
            text_hint(line) or element_hint(owner, hints),
            owner,
        )
        for pos, line, owner in builder.lines
    )
    return Rendering("\n".join(line for _, line, _ in builder.lines), blocks)
