"""Quote drift: one speaker's statement printed in different wordings by different articles.

The compared units are the sentences of every quote -- direct, mixed and reported
(indirect) -- so a long quote of one article meets the one sentence another article
kept of it; and the sentences no quote covers, where an article prints a statement
without crediting it. Two units of two articles are one statement's wordings when

* their speakers can be one (:func:`speaker_match`): the same head word ("Lt. Gregg
  Hastings of the Oregon State Police" / "Hastings"; "an inside source" / "a source
  with knowledge of the discussions"), two shared words ("Oregon State Police" /
  "State police") or initials ("THR"), and no two different outlets in between; and
* their wordings are close enough for that evidence: a word-sequence similarity of
  ``candidate_ratio`` or a MiniLM cosine of ``named_cosine`` (one named speaker) or
  ``reworded_cosine`` (an unnamed source or group); when one side names no speaker,
  ``same_words_ratio`` or a cosine of ``unknown_speaker_cosine``.

Each sentence is paired at most once per pair of articles, best match first; copies
and wordings of one statement are then joined as a tree from the first printing
(not every pair of reprints), and one pair of quotes makes one finding. Kinds:

* ``verbatim`` -- the same words (case, punctuation and quote marks ignored), each
  article prints the other's wording, or one wording is a stretch of the other word
  for word (a quotation cut short): a consistent copy, not drift;
* ``meaning_changed`` -- with its evidence, in the stretch both wordings cover: the
  negation count changes parity ("stepped away" / "decided not to return"; "did not
  win" / "don't think ... won" keeps it), or a unit's figures differ;
* ``minor_edit`` -- word-sequence similarity of at least ``minor_edit``;
* ``reworded`` -- the same statement in other words, e.g. "transferred ... desperate
  move" / "equipped ... reckless effort".

Each comes with a word-level diff (``difflib`` opcodes on words).

DOCS: docs/stages/drift.md
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from storytrace.models.services import Embed
from storytrace.records import DiffOp, DocSpan, Document, DriftKind, Quote, QuoteDrift, Story
from storytrace.stages.budget import spent
from storytrace.stages.lineage.disagreements import numbers_of
from storytrace.stages.lineage.provenance import published_day, quote_origin
from storytrace.stages.quotes.spans import wording

METHOD = "drift.sentences-minilm.v3"

__all__ = ["DriftConfig", "find_drift", "sentence_spans", "speaker_match", "word_diff"]


@dataclass(frozen=True, slots=True)
class DriftConfig:
    """Options of the drift stage.

    Attributes:
        min_words (int): shorter sentences are not compared.
        minor_edit (float): word-sequence similarity of a minor edit.
        candidate_ratio (float): word-sequence similarity that makes two sentences of
            compatible speakers one statement's wordings (or ``reworded_cosine``).
        reworded_cosine (float): embedding cosine of a rewording (compatible speakers).
        named_cosine (float): embedding cosine of a rewording when both speakers are
            one named person or body (a named speaker's statements in one event's
            coverage are few; an unnamed "police" says many things).
        unknown_speaker_cosine (float): embedding cosine needed when one side's
            speaker is unknown (or ``same_words_ratio``): the wording alone must show
            it is the same statement.
        same_words_ratio (float): word-sequence similarity that pairs a sentence
            with one whose speaker is unknown or not credited (or
            ``unknown_speaker_cosine``).
        across_stories (bool): compare the articles of different stories too (the
            story clusters may split one event's coverage); the finding is filed
            under the first wording's story. Off: on the dev topics of the annotated
            set it added only findings the annotation does not hold.
        unattributed (bool): compare quotes with the sentences no quote covers too
            (an article printing a statement without crediting it).
        min_cosine (float): pairs of a lower embedding cosine are not compared further.
        negation_min_ratio (float): below this word-sequence similarity, two wordings
            whose negation differs are two statements (which the disagreement stage
            weighs), not one statement's drift: the pair is not reported. A rewording
            moves negation around ("eager" / "not a task to be taken lightly"); a
            change of meaning is shown only where most of the words are kept.
    """

    min_words: int = 5
    minor_edit: float = 0.85
    candidate_ratio: float = 0.5
    reworded_cosine: float = 0.75
    named_cosine: float = 0.6
    unknown_speaker_cosine: float = 0.85
    same_words_ratio: float = 0.7
    across_stories: bool = False
    unattributed: bool = True
    min_cosine: float = 0.5
    negation_min_ratio: float = 0.5


_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_NEGATION = frozenset({"not", "no", "never", "cannot", "nor", "without"})
_STOP = frozenset(
    "a an the in of from to and with close some his her their its this that who".split()
)
_PRONOUNS = frozenset("i we you he she it they him them us me one".split())
# Where a speaker's head phrase ends: an apposition, a relative clause, a prepositional
# or participial modifier ("Lt. Gregg Hastings of the Oregon State Police", "a source
# with knowledge of the discussions", "experts hired by the family").
_HEAD_END = re.compile(r"\s(?:of|who|which|with|from|in|at|for|to|by|close|familiar|on|\w+ed)\s")
# A sentence ends at . ! ? (and closing quotes) before a capital, or at a paragraph
# break; an initial or a title ("U.S. Attorney", "Lt. Hastings") does not end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’']*\s+(?=[\"“‘']*[A-Z])|\n\s*\n")
_ABBREV = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Lt|Sgt|Gen|Gov|Sen|Rep|Col|Capt|St|Jr|Sr))\.$")

SpeakerMatch = Literal["named", "same", "unknown", "different"]


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


def sentence_spans(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """Half-open spans of the sentences of ``text`` (offset by ``start``), trimmed.

    Why: a quote of one article is often several sentences, of which another article
    prints one; compared whole, the two wordings look unlike.

    Args:
        text (str): one quote's content span.
        start (int): the span's offset in the document text.

    Returns:
        Iterator[tuple[int, int]]: each sentence's start and end.
    """
    at = 0
    for m in _SENTENCE_END.finditer(text):
        if m.group().strip() or not _ABBREV.search(text[at : m.start()]):
            yield from _trimmed(text, at, m.start(), start)
            at = m.end()
    yield from _trimmed(text, at, len(text), start)


def _trimmed(text: str, i: int, j: int, offset: int) -> Iterator[tuple[int, int]]:
    piece = text[i:j]
    core = piece.strip(" \t\n\"“”‘’'")
    if core:
        lead = piece.index(core)
        yield offset + i + lead, offset + i + lead + len(core)


def _name_words(text: str) -> list[str]:
    """Content words of a speaker description, lower-cased, possessive and plural dropped."""
    words = (w.lower().removesuffix("'s").removesuffix("’s") for w in _WORD.findall(text))
    return [w.removesuffix("s") for w in words if w not in _STOP | _PRONOUNS]


def _name(quote: Quote) -> str:
    resolved = quote.speaker_resolved or ""
    return resolved if _name_words(resolved) else quote.speaker_text


def _heads(name: str) -> frozenset[str]:
    """The head word of each appositive part of a speaker description: the last word
    before its modifiers ("Mr. Kelly, the police commissioner": kelly, commissioner)."""
    out = set()
    for part in name.split(","):
        m = _HEAD_END.search(part)
        words = _name_words(part[: m.start()] if m else part)
        out.update(words[-1:])
    return frozenset(out)


def speaker_match(a: Quote, b: Quote, docs: Mapping[str, Document]) -> SpeakerMatch:
    """Whether two quotes' speakers can be one speaker, printed differently.

    Args:
        a (Quote): one quote.
        b (Quote): a quote of another article.
        docs (Mapping[str, Document]): the documents by id (for the outlets).

    Returns:
        SpeakerMatch: ``named`` (one named speaker: one head word, or two shared
        words, or an acronym, and no two different outlets between), ``same`` (so,
        but one side an unnamed source or group: "police", "a police source"),
        ``unknown`` (one side names no one) or ``different``.
    """
    via_a = quote_origin(a, docs.get(a.doc_id))
    via_b = quote_origin(b, docs.get(b.doc_id))
    if via_a.kind == via_b.kind == "outlet" and via_a.key != via_b.key:
        return "different"
    name_a, name_b = _name(a), _name(b)
    wa, wb = set(_name_words(name_a)), set(_name_words(name_b))
    if not wa or not wb:
        return "unknown"
    alike = _heads(name_a) & _heads(name_b) or len(wa & wb) >= 2
    if alike or _acronym(name_a, name_b) or _acronym(name_b, name_a):
        return "same" if a.anonymous or b.anonymous else "named"
    if not (_name_words(a.speaker_text) and _name_words(b.speaker_text)):
        return "unknown"  # a pronoun's antecedent is a guess: the wording must decide
    return "different"


def _acronym(short: str, name: str) -> bool:
    """``short`` is the initials of ``name``'s capitalised words ("THR": "The Hollywood
    Reporter", "EW": "Entertainment Weekly")."""
    letters = short.strip()
    capitalised = [w for w in _WORD.findall(name) if w[0].isupper()]
    every = "".join(w[0] for w in capitalised)
    content = "".join(w[0] for w in capitalised if w.lower() not in _STOP)
    return (
        len(letters) >= 2
        and letters.isupper()
        and letters.isalpha()
        and letters in (every, content)
    )


def _negations(text: str) -> int:
    return sum(1 for w in wording(text) if w in _NEGATION or w.endswith("n't"))


def _changed_figures(a: str, b: str) -> list[str]:
    """The units whose figures both wordings give, differently (an added figure is detail)."""
    na, nb = numbers_of(a), numbers_of(b)
    return sorted(unit for unit in na.keys() & nb.keys() if na[unit] != nb[unit])


def _shared_stretch(a: str, b: str) -> tuple[str, str]:
    """Each wording from the first to the last word the other also prints.

    Why: one article often quotes only part of what another prints ("without these
    measures, the situation would be infinitely more serious" / "the situation would
    be infinitely more serious"); a negation or figure in the part left out is not
    a change of meaning.
    """
    ta, tb = list(_WORD.finditer(a)), list(_WORD.finditer(b))
    matcher = difflib.SequenceMatcher(None, _normal(ta), _normal(tb), autojunk=False)
    blocks = [m for m in matcher.get_matching_blocks() if m.size]
    if not blocks:
        return a, b
    first, last = blocks[0], blocks[-1]
    # an edge is trimmed only where one wording prints nothing the other lacks there
    head_a, head_b = (0, 0) if first.a and first.b else (first.a, first.b)
    end_a, end_b = last.a + last.size, last.b + last.size
    if end_a < len(ta) and end_b < len(tb):
        end_a, end_b = len(ta), len(tb)
    return _stretch(a, ta, head_a, end_a), _stretch(b, tb, head_b, end_b)


def _normal(tokens: Sequence[re.Match[str]]) -> list[str]:
    return [t.group().lower().replace("’", "'") for t in tokens]


def _stretch(text: str, tokens: Sequence[re.Match[str]], i: int, j: int) -> str:
    return text[tokens[i].start() : tokens[j - 1].end()] if i < j else ""


@functools.lru_cache(maxsize=256)
def _text_wording(text: str) -> str:
    return " " + " ".join(wording(text)) + " "


def _copied(a: _Unit, b: _Unit, docs: Mapping[str, Document]) -> bool:
    """Each article prints the other's wording somewhere: the quote stage cut one copy
    of a sentence shorter than the other ("... to stay in jail," / "... to stay in
    jail, which is what he has to look forward to"), so nothing was re-worded."""
    doc_a, doc_b = docs.get(a.span.doc_id), docs.get(b.span.doc_id)
    if doc_a is None or doc_b is None:
        return False
    return (" " + " ".join(a.words) + " ") in _text_wording(doc_b.text) and (
        " " + " ".join(b.words) + " "
    ) in _text_wording(doc_a.text)


def _part_of(a: Sequence[str], b: Sequence[str]) -> bool:
    """The shorter wording is a stretch of the longer one, word for word: a quotation
    cut short ("I will not bring dishonor to the decision to spare my life" / "And I
    just wanted to say that I will not bring dishonor ..."), not a re-wording."""
    short, long_ = sorted((a, b), key=len)
    return (" " + " ".join(short) + " ") in (" " + " ".join(long_) + " ")


def _kind(a: str, b: str, ratio: float, config: DriftConfig) -> tuple[DriftKind, str]:
    wa, wb = wording(a), wording(b)
    if wa == wb:
        return "verbatim", "same words"
    core_a, core_b = _shared_stretch(a, b)
    if _negations(core_a) % 2 != _negations(core_b) % 2:
        neg = sorted({w for w in (*wa, *wb) if w in _NEGATION or w.endswith("n't")})
        return "meaning_changed", "negation differs: " + ", ".join(neg)
    figures = _changed_figures(core_a, core_b)
    if figures:
        return "meaning_changed", "figures differ: " + ", ".join(figures)
    if ratio >= config.minor_edit:
        return "minor_edit", f"{ratio:.0%} of the word sequence kept"
    return "reworded", f"same statement in other words ({ratio:.0%} of the word sequence kept)"


@dataclass(frozen=True, slots=True)
class _Unit:
    """One sentence of one quote (or, ``quote`` ``None``, an unattributed sentence)."""

    quote: Quote | None
    span: DocSpan
    words: tuple[str, ...]
    rank: tuple[int, str, int]
    index: int


def _rank(doc: Document, position: int) -> tuple[int, str, int]:
    """First printing first: dated articles by day, then the order handed in."""
    day = published_day(doc)
    return (0 if day else 1, day.isoformat() if day else "", position)


def _units(
    docs: Mapping[str, Document], quotes: Sequence[Quote], config: DriftConfig
) -> list[_Unit]:
    position = {doc_id: i for i, doc_id in enumerate(docs)}
    out: list[_Unit] = []
    for q in quotes:
        doc = docs.get(q.doc_id)
        if doc is None:
            continue
        for span in q.content_spans:
            for s, e in sentence_spans(doc.text[span.start : span.end], span.start):
                words = tuple(wording(doc.text[s:e]))
                if len(words) >= config.min_words:
                    span_ = DocSpan(q.doc_id, s, e, doc.text[s:e])
                    out.append(_Unit(q, span_, words, _rank(doc, position[q.doc_id]), len(out)))
    if config.unattributed:
        out.extend(_plain_units(docs, quotes, config, len(out)))
    return out


def _plain_units(
    docs: Mapping[str, Document], quotes: Sequence[Quote], config: DriftConfig, first: int
) -> list[_Unit]:
    """The sentences no quote covers: where an article prints a statement without
    crediting it ("The inside of the bank suffered extensive damage")."""
    quoted: dict[str, list[DocSpan]] = {}
    for q in quotes:
        quoted.setdefault(q.doc_id, []).extend(
            DocSpan(q.doc_id, c.start, c.end, "") for c in q.content_spans
        )
    out: list[_Unit] = []
    for position, doc in enumerate(docs.values()):
        for s, e in sentence_spans(doc.text):
            span = DocSpan(doc.doc_id, s, e, doc.text[s:e])
            words = tuple(wording(span.text))
            if len(words) >= config.min_words and not _overlaps(span, quoted.get(doc.doc_id, [])):
                out.append(_Unit(None, span, words, _rank(doc, position), first + len(out)))
    return out


@dataclass(frozen=True, slots=True)
class _Match:
    """A candidate pair of units with its evidence."""

    a: _Unit
    b: _Unit
    ratio: float
    score: float


def _accepts(speakers: SpeakerMatch, ratio: float, cosine: float, config: DriftConfig) -> bool:
    """Whether the wording is close enough for what is known of the speakers."""
    if speakers == "different":
        return False
    if speakers == "unknown":
        return ratio >= config.same_words_ratio or cosine >= config.unknown_speaker_cosine
    if speakers == "named":
        return ratio >= config.candidate_ratio or cosine >= config.named_cosine
    if speakers == "same":
        return ratio >= config.candidate_ratio or cosine >= config.reworded_cosine
    return False


def _candidates(
    left: Sequence[_Unit],
    right: Sequence[_Unit],
    vectors: NDArray[np.float32],
    context: tuple[Mapping[str, Document], DriftConfig],
) -> list[_Match]:
    docs, config = context
    speakers: dict[tuple[str, str], SpeakerMatch] = {}
    out = []
    for a in left:
        for b in right:
            if not (_credited(a) or _credited(b)):
                continue  # a statement is someone's only where someone is credited with it
            cosine = float(vectors[a.index] @ vectors[b.index])
            if cosine < config.min_cosine:
                continue
            key = (a.quote.quote_id if a.quote else "", b.quote.quote_id if b.quote else "")
            if key not in speakers:
                speakers[key] = _speakers(a.quote, b.quote, docs)
            ratio = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
            if _accepts(speakers[key], ratio, cosine, config):
                out.append(_Match(a, b, ratio, max(ratio, cosine)))
    return out


def _credited(unit: _Unit) -> bool:
    return unit.quote is not None and bool(_name_words(_name(unit.quote)))


def _speakers(a: Quote | None, b: Quote | None, docs: Mapping[str, Document]) -> SpeakerMatch:
    return speaker_match(a, b, docs) if a is not None and b is not None else "unknown"


def _overlaps(span: DocSpan, taken: Sequence[DocSpan]) -> bool:
    return any(span.doc_id == t.doc_id and span.start < t.end and t.start < span.end for t in taken)


def _one_to_one(matches: Sequence[_Match]) -> list[_Match]:
    """Best matches first; a sentence (or one overlapping it) is paired once."""
    taken: list[DocSpan] = []
    out = []
    for m in sorted(matches, key=lambda m: (-m.score, m.a.span.start, m.b.span.start)):
        if not _overlaps(m.a.span, taken) and not _overlaps(m.b.span, taken):
            taken += [m.a.span, m.b.span]
            out.append(m)
    return out


def _drift(
    story_id: str, match: _Match, docs: Mapping[str, Document], config: DriftConfig
) -> QuoteDrift:
    a, b = sorted((match.a, match.b), key=lambda u: (u.rank, u.span.start))
    kind, reason = _kind(a.span.text, b.span.text, match.ratio, config)
    if kind != "verbatim" and _copied(a, b, docs):
        kind, reason = "verbatim", "each article prints the other's words"
    elif kind != "verbatim" and _part_of(a.words, b.words):
        kind, reason = "verbatim", "one wording prints part of the other's words"
    credited = a.quote or b.quote
    assert credited is not None  # _candidates pairs a quote with something
    origin = quote_origin(credited, docs.get(credited.doc_id))
    speaker = next((_name(u.quote) for u in (a, b) if u.quote and _name(u.quote)), "")
    via = origin.label if origin.kind == "outlet" else None
    diff = word_diff(a.span.text, b.span.text)
    return QuoteDrift(
        story_id, speaker, via, kind, a.span, b.span, round(match.ratio, 4), reason, diff, METHOD
    )


def _two_statements(drift: QuoteDrift, config: DriftConfig) -> bool:
    """A negation flip between wordings that share little: two statements, not drift."""
    return (
        drift.kind == "meaning_changed"
        and drift.reason.startswith("negation")
        and drift.similarity < config.negation_min_ratio
    )


def _doc_pairs(stories: Sequence[Story], config: DriftConfig) -> list[tuple[str, str]]:
    """Pairs of articles to compare (of one story unless ``across_stories``)."""
    story_of: dict[str, str] = {}
    for story in stories:
        for doc_id in story.doc_ids:
            story_of.setdefault(doc_id, story.story_id)
    ids = list(story_of)
    return [
        (x, y)
        for i, x in enumerate(ids)
        for y in ids[i + 1 :]
        if config.across_stories or story_of[x] == story_of[y]
    ]


def _first(units: Iterable[_Unit]) -> _Unit:
    return min(units, key=lambda u: (u.rank, u.span.start))


def _copies(matches: Sequence[_Match]) -> dict[int, _Unit]:
    """Each matched sentence's first printing among its word-for-word copies."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            i = parent[i]
        return i

    units = {u.index: u for m in matches for u in (m.a, m.b)}
    for m in matches:
        if m.a.words == m.b.words:
            parent[find(m.a.index)] = find(m.b.index)
    groups: dict[int, list[_Unit]] = {}
    for i, u in units.items():
        groups.setdefault(find(i), []).append(u)
    return {u.index: _first(group) for group in groups.values() for u in group}


def _pair(a: _Unit, b: _Unit) -> _Match:
    ratio = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
    return _Match(a, b, ratio, ratio)


def _between(p: _Unit, c: _Unit, copies: Mapping[int, Sequence[_Unit]]) -> list[_Match]:
    """Every printing of two wordings against the other wording's first printing."""
    return [_pair(p, u) for u in (c, *copies.get(c.index, []))] + [
        _pair(c, u) for u in copies.get(p.index, [])
    ]


def _tree(matches: Sequence[_Match]) -> list[_Match]:
    """One finding per printing: word-for-word copies are one wording (each copy paired
    with its first printing, as ``verbatim``); the wordings of one statement are
    joined by a breadth-first tree from the first printing (earliest dated, else first
    handed in), best match first, and every copy of a wording is paired with its
    parent wording's first printing. Why: a wire sentence reprinted by eight articles
    in two wordings is one re-wording, not 28 pairs of drift."""
    first = _copies(matches)
    edges: dict[int, list[int]] = {}
    for m in sorted(matches, key=lambda m: -m.score):
        a, b = first[m.a.index].index, first[m.b.index].index
        if a != b:
            edges.setdefault(a, []).append(b)
            edges.setdefault(b, []).append(a)
    copies: dict[int, list[_Unit]] = {}
    for i, rep in first.items():
        if i != rep.index:
            copies.setdefault(rep.index, []).append(
                next(u for m in matches for u in (m.a, m.b) if u.index == i)
            )
    reps = {rep.index: rep for rep in first.values()}
    out = [_pair(reps[r], u) for r, us in copies.items() for u in us]
    seen: set[int] = set()
    for root in sorted(reps.values(), key=lambda u: (u.rank, u.span.start)):
        if root.index in seen:
            continue
        seen.add(root.index)
        queue = [root.index]
        while queue:
            node = queue.pop(0)
            for other in edges.get(node, []):
                if other not in seen:
                    seen.add(other)
                    queue.append(other)
                    out += _between(reps[node], reps[other], copies)
    return out


def _key(unit: _Unit) -> str:
    return unit.quote.quote_id if unit.quote is not None else f"sentence:{unit.index}"


def _merge(matches: Sequence[_Match], docs: Mapping[str, Document]) -> list[_Match]:
    """One finding per pair of quotes: the matched sentences of one quote and those of
    the other, each side spanning from its first matched sentence to its last."""
    groups: dict[tuple[str, str], list[_Match]] = {}
    for m in matches:
        a, b = sorted((m.a, m.b), key=_key)
        groups.setdefault((_key(a), _key(b)), []).append(m)
    out = []
    for (key_a, _), group in groups.items():
        if len(group) == 1:
            out.append(group[0])
            continue
        sides = [[u for m in group for u in (m.a, m.b) if _key(u) == key_a]]
        sides.append([u for m in group for u in (m.a, m.b) if _key(u) != key_a])
        a, b = (_span_of(units, docs) for units in sides)
        ratio = difflib.SequenceMatcher(None, a.words, b.words, autojunk=False).ratio()
        out.append(_Match(a, b, ratio, max(m.score for m in group)))
    return out


def _span_of(units: Sequence[_Unit], docs: Mapping[str, Document]) -> _Unit:
    """One unit from the first to the last of some sentences of one quote."""
    first = min(units, key=lambda u: u.span.start)
    end = max(u.span.end for u in units)
    text = docs[first.span.doc_id].text[first.span.start : end]
    span = DocSpan(first.span.doc_id, first.span.start, end, text)
    return _Unit(first.quote, span, tuple(wording(text)), first.rank, first.index)


def _story_of(stories: Sequence[Story]) -> dict[str, str]:
    out: dict[str, str] = {}
    for story in stories:
        for doc_id in story.doc_ids:
            out.setdefault(doc_id, story.story_id)
    return out


def find_drift(
    docs: Sequence[Document],
    stories: Sequence[Story],
    quotes: Sequence[Quote],
    config: DriftConfig | None = None,
    *,
    embed: Embed,
) -> tuple[QuoteDrift, ...]:
    """Pairs of wordings of one speaker's statement across the articles of the stories.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): stories (their articles are compared).
        quotes (Sequence[Quote]): the quote stage's output.
        config (DriftConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[QuoteDrift, ...]: by story, earlier article's wording as ``a``.
    """
    cfg = config or DriftConfig()
    by_id = {d.doc_id: d for d in docs}
    units = _units(by_id, quotes, cfg)
    vectors = embed([u.span.text for u in units])
    by_doc: dict[str, list[_Unit]] = {}
    for u in units:
        by_doc.setdefault(u.span.doc_id, []).append(u)
    story_of = _story_of(stories)
    matches: list[_Match] = []
    for x, y in _doc_pairs(stories, cfg):
        if spent(story_of[x]):
            continue
        found = _candidates(by_doc.get(x, []), by_doc.get(y, []), vectors, (by_id, cfg))
        matches.extend(_one_to_one(found))
    # The tree pairs every copy with its wording's first printing; when that printing
    # and a copy are both narration (the quote's own printing being a third copy),
    # the pair is no one's quote: it is left out, the quote's own pairs stay.
    merged = [m for m in _merge(_tree(matches), by_id) if m.a.quote or m.b.quote]
    drifts = [_drift(story_of[m.a.span.doc_id], m, by_id, cfg) for m in merged]
    out = [d for d in drifts if not _two_statements(d, cfg)]
    order = {s.story_id: i for i, s in enumerate(stories)}
    return tuple(sorted(out, key=lambda d: (order[d.story_id], d.a.doc_id, d.a.start, d.b.doc_id)))
