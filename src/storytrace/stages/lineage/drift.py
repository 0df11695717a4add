"""Quote drift: one speaker's quote printed in different wordings by different articles.

Candidates are direct (or mixed) quotes of one story in two different articles
whose speakers are compatible (the same name, or unnamed sources described with
shared words, e.g. "a diplomatic source in the region" / "a regional diplomatic
source") and whose intermediary outlets do not differ. Each pair gets a kind:

* ``verbatim`` -- the same words (case, punctuation and quote marks ignored);
* ``minor_edit`` -- word-sequence similarity of at least ``minor_edit`` and no
  change of negation or numbers;
* ``meaning_changed`` -- a negation or a number differs;
* ``reworded`` -- the same statement in other words (embedding cosine at least
  ``reworded_cosine``), e.g. "transferred ... desperate move" / "equipped ...
  reckless effort".

Each comes with a word-level diff (``difflib`` opcodes on words).

DOCS: docs/stages/drift.md
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from storytrace.models.services import Embed
from storytrace.records import DiffOp, DocSpan, Document, DriftKind, Quote, QuoteDrift, Story
from storytrace.stages.lineage.claims import quote_text
from storytrace.stages.lineage.disagreements import numbers_of
from storytrace.stages.lineage.provenance import published_day, quote_origin
from storytrace.stages.quotes.spans import wording

METHOD = "drift.difflib-minilm.v1"

__all__ = ["DriftConfig", "find_drift", "word_diff"]


@dataclass(frozen=True, slots=True)
class DriftConfig:
    """Options of the drift stage.

    Attributes:
        min_words (int): shorter quotes are not compared.
        minor_edit (float): word-sequence similarity of a minor edit.
        candidate_ratio (float): word-sequence similarity that makes two quotes one
            quote's wordings (or ``reworded_cosine``).
        reworded_cosine (float): embedding cosine of a rewording.
    """

    min_words: int = 6
    minor_edit: float = 0.85
    candidate_ratio: float = 0.5
    reworded_cosine: float = 0.8


_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NEGATION = frozenset({"not", "no", "never", "n't", "cannot", "nor", "without"})
_DESCRIPTOR_STOP = frozenset("a an the in of from to and with close some".split())


def word_diff(a: str, b: str) -> tuple[DiffOp, ...]:
    """Word-level diff from ``a`` to ``b`` (punctuation kept as its own tokens).

    Args:
        a (str): the first wording.
        b (str): the second wording.

    Returns:
        tuple[DiffOp, ...]: ``equal`` / ``replace`` / ``delete`` / ``insert`` runs.
    """
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    matcher = difflib.SequenceMatcher(
        None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False
    )
    return tuple(
        DiffOp(op, " ".join(ta[i1:i2]), " ".join(tb[j1:j2]))
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def _speaker_words(quote: Quote) -> frozenset[str]:
    text = (quote.speaker_resolved or quote.speaker_text or "").lower()
    words = {w.removesuffix("al") if w.endswith("ional") else w for w in _WORD.findall(text)}
    return frozenset(w for w in words if w not in _DESCRIPTOR_STOP)


def _same_speaker(a: Quote, b: Quote, docs: Mapping[str, Document]) -> bool:
    wa, wb = _speaker_words(a), _speaker_words(b)
    if not wa or not wb:
        return False
    via_a = quote_origin(a, docs.get(a.doc_id))
    via_b = quote_origin(b, docs.get(b.doc_id))
    if via_a.kind == via_b.kind == "outlet" and via_a.key != via_b.key:
        return False
    if a.anonymous != b.anonymous:
        return False
    return len(wa & wb) >= (2 if a.anonymous else 1)


def _kind(a: str, b: str, ratio: float, config: DriftConfig) -> tuple[DriftKind, str]:
    wa, wb = wording(a), wording(b)
    if wa == wb:
        return "verbatim", "same words"
    neg = (set(wa) ^ set(wb)) & _NEGATION
    if neg:
        return "meaning_changed", "negation differs: " + ", ".join(sorted(neg))
    if numbers_of(a) != numbers_of(b):
        return "meaning_changed", "numbers differ"
    if ratio >= config.minor_edit:
        return "minor_edit", f"{ratio:.0%} of the word sequence kept"
    return "reworded", f"same statement in other words ({ratio:.0%} of the word sequence kept)"


@dataclass(frozen=True, slots=True)
class _Item:
    quote: Quote
    text: str
    rank: tuple[int, str, str]


def _items(
    story: Story, quotes: Sequence[Quote], docs: Mapping[str, Document], config: DriftConfig
) -> list[_Item]:
    members = set(story.doc_ids)
    out = []
    for q in quotes:
        if q.doc_id in members and q.kind in ("direct", "mixed"):
            text = quote_text(q, docs.get(q.doc_id))
            if len(wording(text)) >= config.min_words:
                day = published_day(docs.get(q.doc_id))
                out.append(
                    _Item(q, text, (0 if day else 1, day.isoformat() if day else "", q.quote_id))
                )
    return sorted(out, key=lambda it: it.rank)


def _story_drift(
    story: Story,
    items: Sequence[_Item],
    docs: Mapping[str, Document],
    config: DriftConfig,
    *,
    embed: Embed,
) -> list[QuoteDrift]:
    out = []
    for i, a in enumerate(items):
        for j in range(i + 1, len(items)):
            b = items[j]
            if a.quote.doc_id == b.quote.doc_id or not _same_speaker(a.quote, b.quote, docs):
                continue
            ratio = difflib.SequenceMatcher(
                None, wording(a.text), wording(b.text), autojunk=False
            ).ratio()
            if ratio < config.candidate_ratio:
                va, vb = embed([a.text, b.text])
                if float(va @ vb) < config.reworded_cosine:
                    continue
            out.append(_drift(story.story_id, (a, b), ratio, docs, config))
    return out


def _drift(
    story_id: str,
    pair: tuple[_Item, _Item],
    ratio: float,
    docs: Mapping[str, Document],
    config: DriftConfig,
) -> QuoteDrift:
    a, b = pair
    kind, reason = _kind(a.text, b.text, ratio, config)
    origin = quote_origin(a.quote, docs.get(a.quote.doc_id))
    spans = tuple(
        DocSpan(
            it.quote.doc_id,
            it.quote.content_spans[0].start,
            it.quote.content_spans[-1].end,
            it.text,
        )
        for it in (a, b)
    )
    speaker = a.quote.speaker_resolved or a.quote.speaker_text
    via = origin.label if origin.kind == "outlet" else None
    diff = word_diff(a.text, b.text)
    return QuoteDrift(
        story_id, speaker, via, kind, spans[0], spans[1], round(ratio, 4), reason, diff, METHOD
    )


def find_drift(
    docs: Sequence[Document],
    stories: Sequence[Story],
    quotes: Sequence[Quote],
    config: DriftConfig | None = None,
    *,
    embed: Embed,
) -> tuple[QuoteDrift, ...]:
    """Pairs of wordings of one speaker's quote across the articles of each story.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): stories (quotes are compared within one story).
        quotes (Sequence[Quote]): the quote stage's output.
        config (DriftConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[QuoteDrift, ...]: by story, earlier article's wording as ``a``.
    """
    cfg = config or DriftConfig()
    by_id = {d.doc_id: d for d in docs}
    out: list[QuoteDrift] = []
    for story in stories:
        items = _items(story, quotes, by_id, cfg)
        out.extend(_story_drift(story, items, by_id, cfg, embed=embed))
    return tuple(out)
