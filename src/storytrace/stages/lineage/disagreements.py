"""Disagreements: statements of one story that contradict each other, and why.

No licensed NLI model is packaged, so a conflict is only reported when an
explainable rule finds it:

* ``polarity`` -- one statement asserts what another denies, about the same
  predicate ("were preparing to disarm" / "had refused to disarm" / "the picture
  that the militias are disarming is a ruse"): opposite polarity (claim stage),
  a shared predicate lemma, and embedding similarity above a floor;
* ``number`` -- alike sentences of two articles give figures of one unit that
  cannot both be right ("700 km" / "1,000 km"; "a .38 caliber" / "a .357 caliber"),
  within rounding, hedges and bounds, and unless the story itself gives both;
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
from datetime import date, datetime

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
from storytrace.stages.budget import spent
from storytrace.stages.dates.inferred import sentence_spans
from storytrace.stages.lineage.numbers import NUMBER_WORDS, Quantity, conflicts, quantities
from storytrace.stages.quotes.spans import wording

METHOD = "disagreements.rules.v5"

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
            their figures to count the same thing (with shared words around the figures).
        number_max_ratio (float): two figures further apart than this factor count
            different things ("12 people were injured" / "30,000 people marched"),
            not the same thing differently.
    """

    min_similarity: float = 0.5
    number_cosine: float = 0.45
    number_max_ratio: float = 5.0


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
    na, nb = _names(a.subject), _names(b.subject)
    if na and nb and not na & nb:
        return True  # two people named: "Andrew Lopez fired" / "Timmons isn't the one who fired"
    return bool(wa & wb) and bool(wa - wb) and bool(wb - wa)


_NAME = re.compile(r"\b[A-Z][a-z]+(?:['’]s)?\b")


def _names(subject: str) -> set[str]:
    """Capitalised words of a subject phrase ("Andrew Lopez", "Timmons")."""
    words = {w.removesuffix("'s").removesuffix("’s").lower() for w in _NAME.findall(subject)}
    return words - {"the", "a", "an", "he", "she", "they", "it"}


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
    return sorted(
        p
        for p in shared
        if p not in a.denied
        and p in b.denied
        and not _WITHDRAWN.search(a.span.text)
        and _denies_here(b.span.text, p, a.subject)
    )


#: An "asserted" statement that says by its meaning that it did not or will not happen
#: ("has pulled out of negotiations to direct", "withdrew from", "refused to"): it
#: agrees with a denial rather than opposing it.
_WITHDRAWN = re.compile(
    r"\b(?:pull(?:s|ed|ing)? out|withdr[ae]w\w*|step(?:s|ped|ping)? (?:away|down|aside)"
    r"|quit\w*|declin\w*|abandon\w*|drop(?:s|ped|ping)? out|turn(?:s|ed|ing)? down"
    r"|refus\w*|den(?:y|ies|ied)|reject\w*|ruled? out)\b",
    re.I,
)


_TOKENS = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_PLAIN_NEGATION = frozenset("not no never nor cannot".split())
#: Words that deny a content by their meaning ("refused to disarm", "is a ruse"): the
#: clause they deny is read by the claim stage, not by the place of a "not".
_DENIAL_CUE = re.compile(
    r"\b(?:refus\w*|den(?:y|ies|ied|ial)\w*|reject\w*|ruled? out|dismiss\w*|ruse|fa[cç]ade"
    r"|false|untrue|baseless|unfounded|disput\w*|contradict\w*)\b",
    re.I,
)
#: Where a clause ends between a negation and a verb: "have not yet determined whether
#: the teenager fired" does not deny the firing.
_BOUNDARY = frozenset(
    ", ; : . ! ? whether if that and but because which while although though when".split()
)
_FIRST_PERSON = frozenset("i we you i'm we're you're i’m we’re you’re".split())
#: Past forms that do not start with their lemma.
_IRREGULAR = {
    "paid": "pay", "said": "say", "made": "make", "took": "take", "held": "hold",
    "fled": "flee", "ran": "run", "led": "lead", "left": "leave", "won": "win",
    "lost": "lose", "went": "go", "gave": "give", "got": "get", "came": "come",
    "told": "tell", "found": "find", "kept": "keep", "brought": "bring", "knew": "know",
}  # fmt: skip


def _is_form(token: str, predicate: str) -> bool:
    """``token`` is a form of the verb ``predicate`` ("returning", "fired", "paid")."""
    token = token.lower()
    if _IRREGULAR.get(token) == predicate:
        return True
    stem = predicate[:-1] if predicate.endswith("e") and len(predicate) > 3 else predicate
    return token.startswith(stem) and len(token) - len(stem) <= 4


def _negation(token: str) -> bool:
    low = token.lower()
    return low in _PLAIN_NEGATION or low.endswith(("n't", "n’t"))


def _denies_here(text: str, predicate: str, subject: str | None) -> bool:
    """Whether ``text`` denies ``predicate`` itself, not a neighbour of it.

    A sentence holding a denial word ("refused to disarm", "a ruse") denies what the
    claim stage read. Otherwise a plain negation must stand before a form of the
    verb within four words of the same clause ("would definitely not be returning",
    "isn't the one who fired"), and the clause's subject before the negation must
    not name someone else than ``subject`` ("Lionsgate had never paid" does not deny
    that Ross was paid; "I'm not running" in a quote is the speaker's own word).
    A sentence where the verb is not found keeps the claim stage's reading.
    """
    if _DENIAL_CUE.search(text):
        return True
    tokens = _TOKENS.findall(text)
    forms = [i for i, t in enumerate(tokens) if _is_form(t, predicate)]
    if not forms:
        return True
    for i in forms:
        window = tokens[max(0, i - 5) : i]
        negs = [j for j, t in enumerate(window) if _negation(t)]
        if not negs:
            continue
        between = [t.lower() for t in window[negs[-1] + 1 :]]
        if _BOUNDARY & set(between) and " ".join(between[-3:-1]) not in ("the one", "one who"):
            continue
        start = max(0, i - 5) + negs[-1]
        if not _other_subject(tokens, start, subject):
            return True
    return False


def _other_subject(tokens: Sequence[str], negation: int, subject: str | None) -> bool:
    """The clause before a negation names another subject than ``subject``."""
    left = negation
    while left > 0 and tokens[left - 1].lower() not in _BOUNDARY:
        left -= 1
    clause = tokens[left:negation]
    if not clause:
        return False
    if clause[-1].lower() in _FIRST_PERSON or (
        len(clause) >= 2 and clause[-2].lower() in _FIRST_PERSON
    ):
        return (subject or "").lower() not in _FIRST_PERSON
    words = {t.lower().removesuffix("'s").removesuffix("’s") for t in clause if t.isalpha()}
    words -= _FUNCTION_WORDS
    if not subject or not words or words & _PERSONAL:
        return False
    return not words & _subject_words(subject)


#: Auxiliaries, adverbs and particles of a clause before its negation: not its subject.
_FUNCTION_WORDS = frozenset(
    "would will could should can may might must do does did has have had is are was were be "
    "been being definitely still also yet just really actually ever usually reportedly already "
    "as so then now the a an of to in on at for with by from it its his her their this these "
    "those there here said says say told".split()
)


def _polarity_pairs(
    mentions: Sequence[ClaimMention], config: DisagreementConfig, *, embed: Embed
) -> dict[str, list[tuple[ClaimMention, ClaimMention]]]:
    """(asserts, denies) mention pairs of different speakers in different articles, by the
    predicate in question.

    One article that reports both sides ("the director had stepped away ..." / "Ross
    hadn't stepped away") is a dispute inside that article, which it already lays out
    for its reader: conflicts *between* articles are what this stage adds.
    """
    candidates = [
        (a, b, opposed[0])
        for a in mentions
        for b in mentions
        if a.span.doc_id != b.span.doc_id and (opposed := _opposed(a, b))
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
    day: date | None = None


_STOP = frozenset(
    "the a an of in on at to for from with by was were is are been be had has have and or "
    "that this which who said says according their they there them about more than".split()
)
_WEEKDAYS = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_CLAUSE_END = re.compile(r"[;:()\[\]—–]|,\s|\s-\s")


def _stem(word: str) -> str:
    """The first five letters after an inflection: "killing" and "killed" are one word."""
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    return word[:5]


def _context(text: str, q: Quantity, reach: int = 60) -> set[str]:
    """Content words around a quantity ("deliberated ... for 40 hours" -> delib), its unit
    and the number words of other figures ("seven life sentences and four ...") left out."""
    around = text[max(0, q.start - reach) : q.start] + " " + text[q.end : q.end + reach]
    words = re.findall(r"[a-z]{4,}", around.lower())
    return {_stem(w) for w in words if w not in _STOP and w not in NUMBER_WORDS} - {_stem(q.unit)}


_VERB_AFTER = re.compile(r"\s+(?:(?:were|was|had|have|has|been|are|is)\s+)+([a-z]{3,}ed)\b")


def _other_verbs(a: str, qa: Quantity, b: str, qb: Quantity) -> bool:
    """Both figures are followed by what happened to them, and not the same thing:
    "12 people were arrested" / "18 people had been injured" count different people."""
    va, vb = _VERB_AFTER.match(a, qa.end), _VERB_AFTER.match(b, qb.end)
    return bool(va and vb and _stem(va[1]) != _stem(vb[1]))


def _weekdays(text: str) -> set[str]:
    return {m.lower() for m in _WEEKDAYS.findall(text)}


#: A day named relative to the sentence's weekday: the figure after it is of another day.
_OTHER_DAY = re.compile(
    r"\b(?:the\s+(?:night|day|evening|morning)\s+before|the\s+previous\s+(?:night|day|evening)"
    r"|the\s+next\s+(?:night|day|morning)|a\s+day\s+(?:earlier|later))\b",
    re.I,
)


def _days_of(text: str, q: Quantity) -> set[str]:
    """The weekdays a figure is dated by: those of its clause, else those of its
    sentence, unless a day relative to them ("the night before") stands between."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, q.start)), default=0)
    after = _CLAUSE_END.search(text, q.end)
    clause = text[left : after.start() if after else len(text)]
    if _weekdays(clause):
        return _weekdays(clause)
    if _OTHER_DAY.search(text):
        return set()
    return _weekdays(text)


def _other_times(a: str, qa: Quantity, b: str, qb: Quantity) -> bool:
    """The two figures are dated by weekdays, and not the same one: figures of different
    days ("nearly 100 people set off Monday" / "about 200 people attended on Wednesday").
    "On Tuesday, investigators were inside the store where, the night before, three
    dozen people rampaged" dates the three dozen by no weekday."""
    wa, wb = _days_of(a, qa), _days_of(b, qb)
    return bool(wa) and bool(wb) and not (wa & wb)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
#: A sentence about another, earlier event: "The same island was hit by a 6.1 quake in
#: September", "in December 2003", "last year", "earlier on Sunday", "the previous".
_ELSEWHEN = re.compile(
    r"\b(?i:in|since|during)\s+(?:(?i:early|late|mid)[- ])?(?P<month>" + _MONTHS + r")\b"
    r"(?:,?\s+(?P<myear>(?:19|20)\d\d)\b|(?!\s+\d{1,2}\b))"
    r"|\b(?i:in|since|during)\s+(?P<year>(?:19|20)\d\d)\b"
    r"|\b(?P<past>(?i:last\s+(?:year|month)|earlier\s+(?:on|this|that|in)|previous|years?\s+ago))\b",
)


def _eras(text: str) -> set[str]:
    """The earlier times a sentence places what it tells in (months, years, "past")."""
    out = set()
    for m in _ELSEWHEN.finditer(text):
        out.add((m["month"] or m["year"] or "past").lower())
        if m["myear"]:
            out.add(m["myear"])
    return out


def _other_events(a: str, b: str) -> bool:
    """One sentence places its figure in an earlier time and the other does not, or both
    do and not the same: "The same island was hit by a 6.1 quake in September" is not
    the magnitude of today's quake, "killed more than 26,000 people in the ancient city
    of Bam in December 2003" is the same event as "In December 2003, ... Bam"."""
    ea, eb = _eras(a), _eras(b)
    return bool(ea) != bool(eb) or (bool(ea) and not ea & eb)


_PLACE = re.compile(r"\b(?i:in|at|near|outside)\s+(?:the\s+)?((?:[A-Z][a-z]+\s?){1,3})")
_NOT_PLACES = re.compile(
    r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|^(?:January|February|March|April|May|June"
    r"|July|August|September|October|November|December)\b"
)


def _places_of(text: str, q: Quantity) -> set[str]:
    """The places named in a figure's own clause ("In Heraklion, 10,000 people ..."): a
    capitalised name after "in", "at", "near" or "outside", weekdays and months left out."""
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, q.start)), default=0)
    after = _CLAUSE_END.search(text, q.end)
    clause = text[left : after.start() if after else len(text)]
    found = list(_PLACE.finditer(clause))
    if not found:  # a place set before the clause: "In Heraklion, 10,000 people ..."
        found = [m for m in _PLACE.finditer(text[:left]) if m.start() == 0]
    names = (m[1].strip() for m in found)
    return {n.lower() for n in names if not _NOT_PLACES.match(n)}


def _other_places(a: str, qa: Quantity, b: str, qb: Quantity) -> bool:
    """Both figures' clauses name where, and not the same place: counts of two places
    ("In Heraklion, 10,000 people marched" / "roughly 30,000 people marched in Athens")."""
    pa, pb = _places_of(a, qa), _places_of(b, qb)
    return bool(pa) and bool(pb) and not (pa & pb)


def _clause(item: Numbered, q: Quantity) -> DocSpan:
    """The clause of a statement that holds a quantity, so a side points at the figure."""
    text, span = item.span.text, item.span
    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, q.start)), default=0)
    after = _CLAUSE_END.search(text, q.end)
    right = after.start() if after else len(text)
    while left < q.start and text[left].isspace():
        left += 1
    return DocSpan(span.doc_id, span.start + left, span.start + right, text[left:right])


@dataclass(frozen=True, slots=True)
class _Figure:
    """One quantity as stated: where (its clause), by whom, and how it reads."""

    quantity: Quantity
    clause: DocSpan
    source: str
    label: str


def _figure(item: Numbered, q: Quantity) -> _Figure:
    return _Figure(q, _clause(item, q), item.source, item.span.text[q.start : q.end].strip())


def _same_count(qa: Quantity, qb: Quantity, max_ratio: float) -> bool:
    """Conflicting figures close enough to be two counts of one thing."""
    low, high = sorted((qa.value, qb.value))
    return conflicts(qa, qb) and (low > 0 and high / low <= max_ratio)


def _conflicting(a: Numbered, b: Numbered, max_ratio: float) -> list[tuple[Quantity, Quantity]]:
    """Figure pairs of two statements that conflict: one unit, intervals apart by less
    than ``max_ratio``, shared words around them, and no two different weekdays dating them."""
    return [
        (qa, qb)
        for qa in a.quantities
        for qb in b.quantities
        if _same_count(qa, qb, max_ratio)
        and _context(a.span.text, qa) & _context(b.span.text, qb)
        and not _other_verbs(a.span.text, qa, b.span.text, qb)
        and not _other_times(a.span.text, qa, b.span.text, qb)
        and not _other_places(a.span.text, qa, b.span.text, qb)
        and not _other_events(a.span.text, b.span.text)
    ]


def _near(a: Quantity, b: Quantity, max_ratio: float) -> bool:
    low, high = sorted((a.value, b.value))
    return low > 0 and high / low <= max_ratio


def _groups(figures: Sequence[_Figure], max_ratio: float) -> list[list[_Figure]]:
    """Figures of one unit grouped by what they allow: figures whose intervals overlap
    ("38 caliber", ".38-caliber") are one side, unless they are further apart than
    ``max_ratio`` ("as many as 20,000 people" allows 18 people but does not count them)."""
    groups: list[list[_Figure]] = []
    for f in sorted(figures, key=lambda f: (f.quantity.interval(), f.label)):
        home = next(
            (
                g
                for g in groups
                if not any(
                    conflicts(f.quantity, o.quantity)
                    or not _near(f.quantity, o.quantity, max_ratio)
                    for o in g
                )
            ),
            None,
        )
        if home is None:
            groups.append([f])
        else:
            home.append(f)
    return groups


def _figure_side(group: Sequence[_Figure]) -> Side:
    labels = Counter(f.label for f in group)
    label = min(labels, key=lambda s: (-labels[s], s))
    ordered = sorted(group, key=lambda f: (f.clause.doc_id, f.clause.start))
    return Side(
        label,
        tuple(dict.fromkeys(f.clause for f in ordered)),
        tuple(dict.fromkeys(f.source for f in ordered)),
    )


@dataclass(frozen=True, slots=True)
class _Stated:
    """One figure an article gives, with the content words around it."""

    quantity: Quantity
    context: frozenset[str]
    at: int = 0
    lead: str = ""


def _stated(items: Sequence[Numbered]) -> dict[tuple[str, str], list[_Stated]]:
    """Every figure each article gives, by article and unit (with where it stands and
    its sentence up to it)."""
    out: dict[tuple[str, str], list[_Stated]] = defaultdict(list)
    for item in items:
        for q in item.quantities:
            out[(item.span.doc_id, q.unit)].append(
                _Stated(
                    q,
                    frozenset(_context(item.span.text, q)),
                    item.span.start + q.start,
                    item.span.text[: q.start],
                )
            )
    return out


#: An article that sets two figures against each other ("Police put the march at
#: roughly 30,000 people. But witnesses said there were more than 50,000") reports a
#: dispute over one count, not counts of two things.
_CONTRAST = re.compile(
    r"\b(?:but|however|while|whereas|although|though|instead|disput\w*|contrary|contradict\w*"
    r"|organi[sz]ers|others)\b",
    re.I,
)


#: Who gives a figure: the later figure of a dispute is someone's count.
_GIVEN_BY = re.compile(
    r"\b(?:said|says|say|told|tell|according|estimat\w*|put|claim\w*|report\w*|count\w*)\b",
    re.I,
)


def _set_against(x: _Stated, y: _Stated, reach: int = 400) -> bool:
    """The later of two figures of one article follows the other closely, after a
    contrast and credited to someone ("But witnesses said", "however, organisers put
    it at"): one count disputed. A "but" alone ("but Iguodala is averaging just 14.9
    points") sets two things side by side."""
    first, last = sorted((x, y), key=lambda f: f.at)
    return (
        last.at - first.at <= reach
        and bool(_CONTRAST.search(last.lead))
        and bool(_GIVEN_BY.search(last.lead))
    )


def _leans(words: set[str], own: frozenset[str], other: frozenset[str]) -> int:
    """How much more the words around a side's figure match what is said only around
    ``own`` than what is said only around ``other`` (two figures of one article)."""
    return len(words & (own - other)) - len(words & (other - own))


def _fits(figure: Quantity, own: Quantity, other: Quantity, max_ratio: float) -> bool:
    """A figure allows ``own`` and not ``other``, and is of its size: "as many as 20,000
    people" allows 18 injured people, but 18 does not count the marchers."""
    return not conflicts(figure, own) and conflicts(figure, other) and _near(figure, own, max_ratio)


def _both_in_one_article(  # noqa: PLR0913 -- two figures, their statements, the story's figures
    a: Numbered,
    qa: Quantity,
    b: Numbered,
    qb: Quantity,
    stated: dict[tuple[str, str], list[_Stated]],
    max_ratio: float = 5.0,
) -> bool:
    """Some article of the story itself gives both figures as counts of two things
    ("loaded with four bullets" / "fired 11 shots"; a round-up of three heists).

    The article's two figures must each fit one side only (an "at least three
    people" fits 12 and 18 alike, and says nothing of which thing either counts),
    and neither side may lean to the other figure's thing: the words around ``qa``
    must match what is said only around the article's figure for ``qa`` at least
    as much as what is said only around its figure for ``qb``, and the other way
    round. "Thieves nab $2.5 million worth of jewellery" does not lean to "a $2.5
    million necklace" of a round-up that also gives "a $2.6 million raid on Paris";
    "the officers fired 4 shots" leans to "fired 11 shots", not to "the gun held 4".
    """
    ca, cb = _context(a.span.text, qa), _context(b.span.text, qb)
    for (_, unit), figures in stated.items():
        if unit != qa.unit:
            continue
        fits_a = [f for f in figures if _fits(f.quantity, qa, qb, max_ratio)]
        fits_b = [f for f in figures if _fits(f.quantity, qb, qa, max_ratio)]
        for x in fits_a:
            for y in fits_b:
                if _set_against(x, y):
                    continue
                if _leans(ca, x.context, y.context) >= 0 and _leans(cb, y.context, x.context) >= 0:
                    return True
    return False


def number_disagreements(
    story_id: str,
    items: Sequence[Numbered],
    pairs: Sequence[tuple[int, int]],
    config: DisagreementConfig,
) -> list[Disagreement]:
    """Number conflicts between statement pairs: one disagreement per unit and pair of
    figures that cannot both be right.

    Figures of one unit that allow a common value ("38 caliber" / ".38-caliber",
    "about 100" / "some 110") stand on one side; each pair of sides whose figures
    conflict is one disagreement with those two sides. Two figures that one article
    gives both of are not a conflict (see :func:`_both_in_one_article`).

    Args:
        story_id (str): the story.
        items (Sequence[Numbered]): the story's statements with quantities.
        pairs (Sequence[tuple[int, int]]): index pairs that state the same thing.
        config (DisagreementConfig): options (``number_max_ratio``).

    Returns:
        list[Disagreement]: by unit, then by the smaller figure.
    """
    stated = _stated(items)
    by_unit: dict[str, list[tuple[_Figure, _Figure]]] = defaultdict(list)
    for i, j in pairs:
        a, b = items[i], items[j]
        if a.span.doc_id == b.span.doc_id:
            continue
        for qa, qb in _conflicting(a, b, config.number_max_ratio):
            if _update(a, qa, b, qb):
                continue
            if not _both_in_one_article(a, qa, b, qb, stated, config.number_max_ratio):
                by_unit[qa.unit].append((_figure(a, qa), _figure(b, qb)))
    out = []
    for unit, edges in sorted(by_unit.items()):
        groups = _groups(
            list({id(f): f for edge in edges for f in edge}.values()), config.number_max_ratio
        )
        home = {id(f): n for n, g in enumerate(groups) for f in g}
        linked = {tuple(sorted((home[id(fa)], home[id(fb)]))) for fa, fb in edges}
        for x, y in sorted(linked):
            if not _split_by_articles(groups[x], groups[y]):
                out.append(_number_disagreement(story_id, unit, groups[x], groups[y]))
    return out


#: Quantities that do not grow as a story goes on: a later article's other figure is
#: not an update of them.
_FIXED_UNITS = frozenset({"caliber", "child"})


def _update(a: Numbered, qa: Quantity, b: Numbered, qb: Quantity) -> bool:
    """The article published on a later day gives the higher figure: a toll, a count of
    arrests or a number of days of protest that rose as the story went on is an update,
    not a contradiction (both articles' days printed; calibres and children excepted)."""
    if a.day is None or b.day is None or a.day == b.day or qa.unit in _FIXED_UNITS:
        return False
    early, late = (qa, qb) if a.day < b.day else (qb, qa)
    return late.value > early.value


def _day(doc: Document) -> date | None:
    """The printed publication day (``None`` when unknown, inferred or not one day)."""
    published = doc.metadata.published
    if published.inferred or published.earliest is None or published.latest is None:
        return None
    first, last = (
        v.date() if isinstance(v, datetime) else v for v in (published.earliest, published.latest)
    )
    return first if first == last else None


def _split_by_articles(gx: Sequence[_Figure], gy: Sequence[_Figure]) -> bool:
    """Two groups of figures that only one article's figures set apart are not a
    conflict between articles (an article counting two things)."""
    return {f.clause.doc_id for f in gx} == {f.clause.doc_id for f in gy} and len(
        {f.clause.doc_id for f in gx}
    ) == 1


def _number_disagreement(
    story_id: str, unit: str, gx: Sequence[_Figure], gy: Sequence[_Figure]
) -> Disagreement:
    sides = (_figure_side(gx), _figure_side(gy))
    reason = f"different figures for the same count ({unit}): " + " vs ".join(
        s.label for s in sides
    )
    return Disagreement(story_id, "number", f"how many {unit}", reason, sides, f"{METHOD}.number")


def find_disagreements(
    claims: Sequence[Claim], config: DisagreementConfig | None = None, *, embed: Embed
) -> tuple[Disagreement, ...]:
    """Polarity conflicts between the statements of different articles of each story.

    Number conflicts are found between sentences (:func:`sentence_number_conflicts`),
    where the whole article is at hand to tell two counts from two figures of one.

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
        if spent(story_id):
            continue
        mentions = [m for c in story_claims for m in c.mentions]
        for predicate, pairs in sorted(_polarity_pairs(mentions, cfg, embed=embed).items()):
            out.append(_polarity_disagreement(story_id, predicate, pairs))
    return tuple(out)


_CUT_FIGURE = re.compile(r"(?:\d|\b[a-z])\.\s*$")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence bounds, with a figure cut by the cleaner's space after its point joined
    again ("$2. 6 million", "a. 38-caliber revolver" are not two sentences)."""
    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(text):
        if out and _CUT_FIGURE.search(text[out[-1][0] : out[-1][1]]) and text[s : s + 1].isdigit():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _numbered_sentences(doc: Document) -> list[Numbered]:
    source = doc.metadata.outlet.value or doc.doc_id
    day = _day(doc)
    out = []
    for s, e in _sentences(doc.text):
        found = quantities(doc.text[s:e])
        if found:
            span = DocSpan(doc.doc_id, s, e, doc.text[s:e])
            out.append(Numbered(span, source, tuple(found), day))
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
    unit, shared words around the figures, sentence cosine of at least
    ``number_cosine``, intervals (hedges and rounding included) that do not overlap
    and lie within ``number_max_ratio`` of each other. Not a conflict: figures that
    one article of the story gives both of, figures followed by different verbs
    ("arrested" / "injured"), sentences naming different weekdays.

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
        if len(story.doc_ids) < 2 or spent(story.story_id):
            continue
        items = [n for d in story.doc_ids if d in by_id for n in _numbered_sentences(by_id[d])]
        conflicting = _conflicting_pairs(items, cfg.number_max_ratio)
        if not conflicting:
            continue
        # Only the sentences of pairs whose figures conflict are embedded: the
        # cosine test can only remove pairs, and most figures conflict with none.
        wanted = sorted({i for pair in conflicting for i in pair})
        vecs = dict(zip(wanted, embed([items[i].span.text for i in wanted]), strict=True))
        pairs = [(i, j) for i, j in conflicting if float(vecs[i] @ vecs[j]) >= cfg.number_cosine]
        out += number_disagreements(story.story_id, items, pairs, cfg)
    return tuple(out)


def _conflicting_pairs(items: Sequence[Numbered], max_ratio: float) -> list[tuple[int, int]]:
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
    return [(i, j) for i, j in sorted(candidates) if _conflicting(items[i], items[j], max_ratio)]


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
