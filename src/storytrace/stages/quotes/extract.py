"""Quotes and reported speech with full attribution chains ("who says so").

A cascade of explicit layers, each its own function and each naming itself in
``Quote.method``:

1. ``marks`` (:mod:`~storytrace.stages.quotes.marks`) -- quotation marks of every
   style are paired on the raw text, without a model. Unbalanced marks degrade per quote (the quote ends at its paragraph), never
   per document: textacy's ``direct_quotations`` raises for the whole document on an
   odd count, which loses every quote of a messy news page.
2. ``frames`` -- cue words in the dependency parse: a reporting verb with its clause
   (``X told Y that ...``), ``according to X``, a reporting noun (``warnings from X
   to ...``) and ``reportedly``. See :mod:`~storytrace.stages.quotes.frames` (verbs)
   and :mod:`~storytrace.stages.quotes.cues` (the others and the dispatcher).
3. ``combine`` -- a frame whose content is (almost) all inside marks is a direct quote,
   one that contains marks a mixed one, else an indirect one.
4. ``nearest`` -- a quotation no frame covers takes the nearest reporting verb of its
   paragraph; failing that it continues the quote right before it (``"A," X said. "B."``).
5. ``resolve`` (:mod:`~storytrace.stages.quotes.chains`) -- pronouns and definite descriptions ("the source", "the official",
   "the report") are resolved to earlier speakers, and ``via`` chains are built from
   addressees (``told the Times``), nesting (a claim inside a reported claim) and
   inherited intermediaries (seed 002: Trump -> Israeli officials -> Channel 12).

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from storytrace.records import Document, Quote, QuoteKind, TextSpan
from storytrace.stages.entities.extract import entity_pipeline
from storytrace.stages.quotes.chains import resolve_all
from storytrace.stages.quotes.cues import frames_of, nearest_cue
from storytrace.stages.quotes.frames import Frame
from storytrace.stages.quotes.marks import Marked, find_marked
from storytrace.stages.quotes.orphans import orphan_quote
from storytrace.stages.quotes.spans import doc_text, span_words
from storytrace.stages.quotes.statements import read_statement

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc


__all__ = ["QuoteConfig", "extract_quotes", "quotes_of_doc"]


@dataclass(frozen=True, slots=True)
class QuoteConfig:
    """Options of the quote stage.

    Attributes:
        min_direct_words (int): a quotation with fewer words is a title or scare
            quote unless a frame makes it part of a reported clause.
        max_outside_words (int): a frame content with at most this many words
            outside quotation marks (``that``, ``:``) is still a direct quote.
        continuation_gap (int): how far (characters) a cue-less quotation may be
            from the quote it continues.
        batch_size (int): documents per ``nlp.pipe`` batch.
    """

    min_direct_words: int = 3
    max_outside_words: int = 1
    continuation_gap: int = 260
    batch_size: int = 16


def extract_quotes(
    docs: Sequence[Document], config: QuoteConfig | None = None
) -> tuple[Quote, ...]:
    """Find the direct, indirect and mixed quotes of documents, with attribution chains.

    Args:
        docs (Sequence[Document]): cleaned documents; offsets point into ``Document.text``.
        config (QuoteConfig | None): options; defaults when ``None``.

    Returns:
        tuple[Quote, ...]: every quote, per document in text order.

    Raises:
        ModelMissingError: ``ST130`` when no spaCy English model is installed.
    """
    cfg = config or QuoteConfig()
    texts = [d.text for d in docs]
    # the entity stage's pipeline: outlets and weapons are tagged the same way in both
    parsed = entity_pipeline().pipe(texts, batch_size=cfg.batch_size)
    out: list[Quote] = []
    for doc, sdoc in zip(docs, parsed, strict=True):
        out.extend(quotes_of_doc(doc.doc_id, sdoc, cfg))
    return tuple(out)


def quotes_of_doc(doc_id: str, sdoc: SpacyDoc, config: QuoteConfig) -> tuple[Quote, ...]:
    """All quotes of one parsed text (the layers 1-5 of the module docstring).

    Args:
        doc_id (str): the document id recorded on each quote.
        sdoc (spacy.tokens.Doc): the parsed ``Document.text``.
        config (QuoteConfig): options.

    Returns:
        tuple[Quote, ...]: quotes in text order.
    """
    text = doc_text(sdoc)
    marked = find_marked(text)
    drafts, used = _combine(frames_of(sdoc, marked), marked, config)
    drafts = _attach_loose(sdoc, drafts, [m for i, m in enumerate(marked) if i not in used], config)
    drafts.sort(key=lambda q: (q.content_spans[0].start, q.content_spans[0].end))
    drafts = [replace(q, quote_id=f"{doc_id}:q{i}", doc_id=doc_id) for i, q in enumerate(drafts)]
    return tuple(
        replace(q, statement=read_statement(sdoc, q.content_spans))
        for q in resolve_all(sdoc, drafts, [m.span for m in marked])
    )


def _combine(
    frames: Sequence[Frame], marked: Sequence[Marked], config: QuoteConfig
) -> tuple[list[Quote], set[int]]:
    """Turn frames into quotes, classifying each by how much of it is in marks.

    Returns:
        tuple[list[Quote], set[int]]: the quotes and the indexes of the marked spans used.
    """
    quotes: list[Quote] = []
    used: dict[int, Frame] = {}
    for frame in frames:
        hits = [i for i, m in enumerate(marked) if _overlaps_any(m.span, frame.content)]
        if any(not _nested(frame, used[i]) for i in hits if i in used):
            # two cues for one quotation ("X said, adding ..."): the first frame wins
            continue
        if any(_same_content(frame.content, q.content_spans) for q in quotes):
            continue  # "claims from X suggesting that ...": a noun and a verb frame
        if _swallows(frame, quotes):
            continue
        kind, content = _classify(frame, [marked[i] for i in hits], config)
        quotes.append(_from_frame(frame, kind, content))
        used.update({i: frame for i in hits if i not in used})
    return quotes, set(used)


def _swallows(frame: Frame, quotes: Sequence[Quote]) -> bool:
    """A content left of its cue that holds another cue is a run-on misparse.

    ``Payton said A, he also said that B`` (ECB+): the parser makes ``Payton said A``
    the clause of the second ``said``; a claim inside a claim reads left to right.
    """
    first = frame.content[0]
    if first.end > frame.cue.start:
        return False
    return any(
        q.cue_span is not None
        and q.speaker_span is not None
        and q.method.startswith("quotes.frames.verb")
        and 0 <= q.speaker_span.start - first.start <= 2
        and q.cue_span.end <= first.end
        for q in quotes
    )


def _nested(inner: Frame, outer: Frame) -> bool:
    """A frame whose cue is inside another's content: a claim inside a claim."""
    return any(s.start <= inner.cue.start and inner.cue.end <= s.end for s in outer.content)


def _same_content(a: Sequence[TextSpan], b: Sequence[TextSpan]) -> bool:
    return abs(a[0].start - b[0].start) + abs(a[-1].end - b[-1].end) <= 12


def _classify(
    frame: Frame, hits: Sequence[Marked], config: QuoteConfig
) -> tuple[QuoteKind, tuple[TextSpan, ...]]:
    if not hits:
        return "indirect", frame.content
    text = frame.text
    outside = sum(
        1
        for s in frame.content
        for w in span_words(text, s)
        if not any(m.start - 1 <= w.start and w.end <= m.end + 1 for m in hits)
    )
    core = frame.core
    whole = core is not None and any(m.start <= core.start and core.end <= m.end for m in hits)
    whole = whole or _new_clause_before_cue(frame, hits)
    if outside <= config.max_outside_words or whole:
        # 'In addition to X, "she's been a promoter ...," he said': the quotation holds
        # the reported clause's verb and subject, so it is the statement itself
        return "direct", tuple(m.span for m in hits)
    start = min([s.start for s in frame.content] + [m.start for m in hits])
    end = max([s.end for s in frame.content] + [m.close for m in hits])
    # a mixed quote keeps the closing mark: the quoted words end there, not at the clause
    return "mixed", (TextSpan(start, end),)


_CLAUSE_JOIN = re.compile(r"[,;:]?\s*\b(?:but|and|yet|so|while)\s*$", re.IGNORECASE)


def _new_clause_before_cue(frame: Frame, hits: Sequence[Marked]) -> bool:
    """``Police were still gathering statements, but "we do know alcohol was a factor,"
    Earley said``: a quotation opening a new clause right before its cue is the statement;
    the clause before it is the reporter's."""
    last = max(hits, key=lambda m: m.close)
    if not 0 <= frame.cue.start - last.close <= 40:
        return False
    between = frame.text[last.close : frame.cue.start]
    if "\n" in between or len(between.split()) > 4:
        return False
    return _CLAUSE_JOIN.search(frame.text[max(0, last.start - 12) : last.start - 1]) is not None


def _from_frame(frame: Frame, kind: QuoteKind, content: tuple[TextSpan, ...]) -> Quote:
    text = frame.text
    return Quote(
        doc_id="",
        quote_id="",
        kind=kind,
        content_spans=content,
        cue_span=frame.cue,
        cue=text[frame.cue.start : frame.cue.end],
        speaker_span=frame.source,
        speaker_text=text[frame.source.start : frame.source.end] if frame.source else "",
        speaker_resolved=None,
        anonymous=False,
        descriptor=None,
        addressee_span=frame.addressee,
        via=(),
        method=f"quotes.frames.{frame.rule}" + ("" if kind == "indirect" else "+marks"),
    )


def _overlaps_any(span: TextSpan, spans: Sequence[TextSpan]) -> bool:
    return any(span.start < s.end and s.start < span.end for s in spans)


def _attach_loose(
    sdoc: SpacyDoc, quotes: list[Quote], loose: Sequence[Marked], config: QuoteConfig
) -> list[Quote]:
    """Attribute quotations no frame covered: nearest cue, else continuation."""
    for mark in loose:
        if len(span_words(doc_text(sdoc), mark.span)) < config.min_direct_words:
            continue
        introduced = _introducing(doc_text(sdoc), quotes, mark)
        if introduced is not None:
            quotes[introduced] = _reassigned(quotes[introduced], mark)
            continue
        taken = {q.cue_span for q in quotes if q.kind == "indirect"}
        frame = nearest_cue(sdoc, mark, taken)
        owner = _quote_with_cue(quotes, frame.cue) if frame else None
        if frame is not None and owner is None:
            quotes.append(_from_frame(frame, "direct", (mark.span,)))
            quotes[-1] = replace(quotes[-1], method=f"quotes.nearest.{frame.rule}+marks")
            continue
        if owner is None and _sentence_like(doc_text(sdoc), mark):
            orphan = orphan_quote(sdoc, quotes, mark, config.continuation_gap)
            if orphan is not None:
                quotes.append(orphan)
                continue
            owner = _previous_quote(quotes, mark, config)
        if owner is not None:
            quotes[owner] = _extend(quotes[owner], mark)
    return quotes


_INTRO_GAP = re.compile(r"[\s,:]*")


def _introducing(text: str, quotes: Sequence[Quote], mark: Marked) -> int | None:
    """The indirect quote whose cue opens ``mark``: ``his sister Mahnefah Gray said,
    "He has common sense...`` (ECB+). When the quotation is a sentence of its own, the
    parser gives the cue the clause before it for content; the quotation is what was
    said."""
    for i, q in enumerate(quotes):
        cue = q.cue_span
        if q.kind != "indirect" or cue is None or cue.end >= mark.start:
            continue
        if (
            _INTRO_GAP.fullmatch(text, cue.end, mark.start - 1)
            and "\n" not in text[cue.end : mark.start]
        ):
            return i
    return None


def _reassigned(quote: Quote, mark: Marked) -> Quote:
    method = quote.method.replace("quotes.frames.", "quotes.nearest.", 1) + "+marks"
    return replace(quote, kind="direct", content_spans=(mark.span,), method=method)


def _sentence_like(text: str, mark: Marked) -> bool:
    """A quotation that can continue a quote: not a title ("The Big Lebowski")."""
    words = text[mark.start : mark.end].split()
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 or capitalised < len(words)


def _quote_with_cue(quotes: Sequence[Quote], cue: TextSpan) -> int | None:
    return next((i for i, q in enumerate(quotes) if q.cue_span == cue), None)


def _previous_quote(quotes: Sequence[Quote], mark: Marked, config: QuoteConfig) -> int | None:
    """The direct or mixed quote ending just before ``mark``, if near enough."""
    best: int | None = None
    for i, q in enumerate(quotes):
        end = max(s.end for s in q.content_spans)
        if (
            q.kind != "indirect"
            and end <= mark.start
            and mark.start - end <= config.continuation_gap
        ):
            if best is None or end > max(s.end for s in quotes[best].content_spans):
                best = i
    if best is not None and _other_quote_between(quotes, best, mark):
        return None
    return best


def _other_quote_between(quotes: Sequence[Quote], owner: int, mark: Marked) -> bool:
    end = max(s.end for s in quotes[owner].content_spans)
    return any(
        i != owner and end <= s.start < mark.start
        for i, q in enumerate(quotes)
        for s in q.content_spans
    )


def _extend(quote: Quote, mark: Marked) -> Quote:
    spans = tuple(sorted((*quote.content_spans, mark.span), key=lambda s: s.start))
    kind: QuoteKind = "mixed" if quote.kind == "mixed" else "direct"
    return replace(quote, content_spans=spans, kind=kind, method=quote.method + "+continued")
