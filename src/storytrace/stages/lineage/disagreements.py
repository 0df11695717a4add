"""Disagreements: statements of one story that contradict each other, and why.

No licensed NLI model is packaged, so a conflict is only reported when an
explainable rule finds it:

* ``polarity`` -- one statement asserts what another denies, about the same
  predicate ("were preparing to disarm" / "had refused to disarm" / "the picture
  that the militias are disarming is a ruse"): opposite polarity (claim stage),
  a shared predicate lemma, and embedding similarity above a floor;
* ``number`` -- two wordings of one aligned claim give different numbers for the
  same unit ("700 km" / "1,000 km");
* ``date`` -- found by the timeline stage: one event, two dates that do not overlap.

Statements that merely differ in detail (one gives a number the other does not,
one names a place the other leaves out) are not disagreements.

DOCS: docs/stages/disagreements.md
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from storytrace.models.services import Embed
from storytrace.records import (
    Claim,
    ClaimMention,
    Disagreement,
    DocSpan,
    Document,
    Side,
    Story,
)
from storytrace.stages.dates.inferred import sentence_spans
from storytrace.stages.lineage.numbers import Quantity, conflicts, quantities
from storytrace.stages.quotes.spans import wording

METHOD = "disagreements.rules.v1"

__all__ = [
    "DisagreementConfig",
    "find_disagreements",
    "numbers_of",
    "sentence_number_conflicts",
    "unique_conflicts",
]


@dataclass(frozen=True, slots=True)
class DisagreementConfig:
    """Options of the disagreement stage.

    Attributes:
        min_similarity (float): cosine two opposite statements need to be about the
            same thing (besides a shared predicate).
        number_cosine (float): cosine two sentences of different articles need for
            their figures to count the same thing (with shared words after the figure).
    """

    min_similarity: float = 0.5
    number_cosine: float = 0.6


def numbers_of(text: str) -> dict[str, set[float]]:
    """Exact numbers by the unit word they count: ``{"km": {700.0}}`` (see :mod:`.numbers`)."""
    out: dict[str, set[float]] = defaultdict(set)
    for q in quantities(text):
        out[q.unit].add(q.value)
    return out


_PERSONAL = frozenset("i we he she they".split())
_WORDS = re.compile(r"[a-z][a-z'-]{2,}")


def _speaker_key(m: ClaimMention) -> str:
    return (m.speaker or f"?{m.span.doc_id}").lower().removeprefix("the ")


def _subject_words(subject: str) -> set[str]:
    return {w.removesuffix("'s") for w in _WORDS.findall(subject.lower())} - {"the", "of", "and"}


def _subjects_clash(a: ClaimMention, b: ClaimMention) -> bool:
    """Statements about different subjects: "Timmons shot" / "he did not shoot" (a pronoun
    against a name), or "the name of the suspect" / "the victim's name" (one head noun,
    different modifiers)."""
    if not a.subject or not b.subject:
        # a pronoun against an unknown subject: nothing says they are about one thing
        return (a.subject or b.subject or "") in _PERSONAL
    pronouns = [s in _PERSONAL for s in (a.subject, b.subject)]
    if any(pronouns):
        return not all(pronouns)
    wa, wb = _subject_words(a.subject), _subject_words(b.subject)
    return bool(wa & wb) and bool(wa - wb) and bool(wb - wa)


def _opposed(a: ClaimMention, b: ClaimMention) -> list[str]:
    """Predicates ``a`` asserts and ``b`` denies, if the speakers and subjects allow.

    The same wording (as drift's ``verbatim``) cannot disagree with itself: two
    copies of one quote read differently (each is parsed in its own article, where a comma or the sentence
    around it can change the parse) are not a disagreement.
    """
    if (
        _speaker_key(a) == _speaker_key(b)
        or _subjects_clash(a, b)
        or wording(a.span.text) == wording(b.span.text)
    ):
        return []
    shared = set(a.predicates) & set(b.predicates)
    return sorted(p for p in shared if p not in a.denied and p in b.denied)


def _polarity_pairs(
    mentions: Sequence[ClaimMention], config: DisagreementConfig, *, embed: Embed
) -> dict[str, list[tuple[ClaimMention, ClaimMention]]]:
    """(asserts, denies) mention pairs of different speakers, by the predicate in question."""
    candidates = [
        (a, b, opposed[0]) for a in mentions for b in mentions if (opposed := _opposed(a, b))
    ]
    found: dict[str, list[tuple[ClaimMention, ClaimMention]]] = defaultdict(list)
    if not candidates:
        return found
    va = embed([a.span.text for a, _, _ in candidates])
    vb = embed([b.span.text for _, b, _ in candidates])
    sims = np.einsum("ij,ij->i", va, vb)
    for (a, b, predicate), sim in zip(candidates, sims, strict=True):
        if float(sim) >= config.min_similarity:
            found[predicate].append((a, b))
    return found


def _side(label: str, mentions: Iterable[ClaimMention]) -> Side:
    unique = {m.quote_id: m for m in mentions}
    ordered = sorted(unique.values(), key=lambda m: (m.span.doc_id, m.span.start))
    spans = tuple(m.span for m in ordered)
    sources = tuple(dict.fromkeys(m.chain for m in ordered))
    return Side(label, spans, sources)


_QUANTIFIER = re.compile(r"^(?:a|the)\s+(?:number|majority|handful|group|few)\s+of\s+", re.I)


def _topic(predicate: str, affirmed: Sequence[ClaimMention]) -> str:
    subjects = Counter(
        _QUANTIFIER.sub("", m.subject) for m in affirmed if m.subject and m.subject not in _PERSONAL
    )
    subject = min(subjects, key=lambda s: (-subjects[s], s)) if subjects else None
    return f"whether {subject} {predicate}" if subject else f"whether it is true ({predicate})"


def _polarity_disagreement(
    story_id: str, predicate: str, pairs: Sequence[tuple[ClaimMention, ClaimMention]]
) -> Disagreement:
    affirmed = [a for a, _ in pairs]
    negated = [b for _, b in pairs]
    sides = (_side(f"says yes: {predicate}", affirmed), _side(f"says no: {predicate}", negated))
    reason = (
        f"opposite polarity on '{predicate}': "
        f"'{_short(affirmed[0].span.text)}' vs '{_short(negated[0].span.text)}'"
    )
    return Disagreement(
        story_id, "polarity", _topic(predicate, affirmed), reason, sides, f"{METHOD}.polarity"
    )


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Numbered:
    """A statement with quantities: its span, who says it, what it counts."""

    span: DocSpan
    source: str
    quantities: tuple[Quantity, ...]


_STOP = frozenset(
    "the a an of in on at to for from with by was were is are been be had has have and or "
    "that this which who said says according".split()
)


def _context(text: str, q: Quantity) -> set[str]:
    """Content words just after a quantity ("people were injured in the riots" -> injur, riot)."""
    words = re.findall(r"[a-z]{4,}", text[q.end : q.end + 60].lower())
    return {w[:5] for w in words if w not in _STOP}


def _label(q: Quantity, text: str) -> str:
    return text[q.start : q.end]


def _conflicting(a: Numbered, b: Numbered, need_context: bool) -> list[tuple[Quantity, Quantity]]:
    out = []
    for qa in a.quantities:
        for qb in b.quantities:
            if not conflicts(qa, qb):
                continue
            if need_context and not (_context(a.span.text, qa) & _context(b.span.text, qb)):
                continue
            out.append((qa, qb))
    return out


def number_disagreements(
    story_id: str, items: Sequence[Numbered], pairs: Sequence[tuple[int, int]], need_context: bool
) -> list[Disagreement]:
    """Number conflicts between statement pairs, one disagreement per counted unit.

    Args:
        story_id (str): the story.
        items (Sequence[Numbered]): statements with quantities.
        pairs (Sequence[tuple[int, int]]): index pairs that state the same thing.
        need_context (bool): also require shared words after the two quantities
            (for sentences aligned only by similarity, not as one claim).

    Returns:
        list[Disagreement]: by unit.
    """
    sides: dict[str, dict[str, list[Numbered]]] = defaultdict(lambda: defaultdict(list))
    values: dict[str, float] = {}
    for i, j in pairs:
        a, b = items[i], items[j]
        if a.span.doc_id == b.span.doc_id:
            continue
        for qa, qb in _conflicting(a, b, need_context):
            for q, item in ((qa, a), (qb, b)):
                label = _label(q, item.span.text)
                sides[q.unit][label].append(item)
                values[label] = q.value
    out = []
    for unit, by_label in sorted(sides.items()):
        built = tuple(
            Side(
                label,
                tuple(dict.fromkeys(n.span for n in ns)),
                tuple(dict.fromkeys(n.source for n in ns)),
            )
            for label, ns in sorted(by_label.items(), key=lambda kv: (values[kv[0]], kv[0]))
        )
        reason = f"different figures for the same count ({unit}): " + " vs ".join(
            s.label for s in built
        )
        out.append(
            Disagreement(story_id, "number", f"how many {unit}", reason, built, f"{METHOD}.number")
        )
    return out


def _claim_numbers(claim: Claim) -> list[Disagreement]:
    items = [Numbered(m.span, m.chain, tuple(quantities(m.span.text))) for m in claim.mentions]
    pairs = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))]
    return number_disagreements(claim.story_id, items, pairs, need_context=False)


def find_disagreements(
    claims: Sequence[Claim], config: DisagreementConfig | None = None, *, embed: Embed
) -> tuple[Disagreement, ...]:
    """Polarity and number conflicts between the statements of each story.

    Args:
        claims (Sequence[Claim]): the claim stage's output.
        config (DisagreementConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[Disagreement, ...]: by story, polarity conflicts first.
    """
    cfg = config or DisagreementConfig()
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_story[claim.story_id].append(claim)
    out: list[Disagreement] = []
    for story_id, story_claims in by_story.items():
        mentions = [m for c in story_claims for m in c.mentions]
        for predicate, pairs in sorted(_polarity_pairs(mentions, cfg, embed=embed).items()):
            out.append(_polarity_disagreement(story_id, predicate, pairs))
        for claim in story_claims:
            out.extend(_claim_numbers(claim))
    return tuple(out)


def _numbered_sentences(doc: Document) -> list[Numbered]:
    source = doc.metadata.outlet.value or doc.doc_id
    out = []
    for s, e in sentence_spans(doc.text):
        found = quantities(doc.text[s:e])
        if found:
            out.append(Numbered(DocSpan(doc.doc_id, s, e, doc.text[s:e]), source, tuple(found)))
    return out


def sentence_number_conflicts(
    docs: Sequence[Document],
    stories: Sequence[Story],
    config: DisagreementConfig | None = None,
    *,
    embed: Embed,
) -> tuple[Disagreement, ...]:
    """Figures that conflict between alike sentences of different articles of a story.

    "12 people were injured in the riots" / "18 people had been injured": the same
    unit, shared words after the figure, sentence cosine of at least ``number_cosine``,
    and intervals (hedges included) that do not overlap.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): stories (only articles of one story are compared).
        config (DisagreementConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[Disagreement, ...]: one per story and unit.
    """
    cfg = config or DisagreementConfig()
    by_id = {d.doc_id: d for d in docs}
    out: list[Disagreement] = []
    for story in stories:
        if len(story.doc_ids) < 2:
            continue
        items = [n for d in story.doc_ids if d in by_id for n in _numbered_sentences(by_id[d])]
        conflicting = _conflicting_pairs(items)
        if not conflicting:
            continue
        # Only the sentences of pairs whose figures conflict are embedded: the
        # cosine test can only remove pairs, and most figures conflict with none.
        wanted = sorted({i for pair in conflicting for i in pair})
        vecs = dict(zip(wanted, embed([items[i].span.text for i in wanted]), strict=True))
        pairs = [(i, j) for i, j in conflicting if float(vecs[i] @ vecs[j]) >= cfg.number_cosine]
        out += number_disagreements(story.story_id, items, pairs, need_context=True)
    return tuple(out)


def _conflicting_pairs(items: Sequence[Numbered]) -> list[tuple[int, int]]:
    """Index pairs ``i < j`` of different articles with at least one conflicting figure.

    Candidates share a unit (``conflicts`` requires it), found through an index
    by unit rather than by testing every pair.
    """
    by_unit: dict[str, set[int]] = defaultdict(set)
    for i, item in enumerate(items):
        for quantity in item.quantities:
            by_unit[quantity.unit].add(i)
    candidates = {
        (i, j)
        for members in by_unit.values()
        for i in members
        for j in members
        if i < j and items[i].span.doc_id != items[j].span.doc_id
    }
    return [
        (i, j) for i, j in sorted(candidates) if _conflicting(items[i], items[j], need_context=True)
    ]


def date_side(label: str, spans: Sequence[DocSpan], sources: Sequence[str]) -> Side:
    """A side of a date conflict (used by the timeline stage)."""
    return Side(label, tuple(spans), tuple(dict.fromkeys(sources)))


def unique_conflicts(found: Sequence[Disagreement]) -> tuple[Disagreement, ...]:
    """Drop a number conflict already reported with the same sides (claim and sentence level)."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out = []
    for d in found:
        key = (d.story_id, d.kind, tuple(sorted(s.label for s in d.sides)))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return tuple(out)
