"""The tagger: candidates from every rule, leftmost-longest selection, context, records.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime

from storytrace.records import DateValue, Evidence, TimeExpression
from storytrace.stages.dates.timex.gates import DIGIT, Clause, Gate, folded, gate
from storytrace.stages.dates.timex.model import (
    METHOD,
    Tense,
    TimexConfig,
    _Context,
    _Reading,
    _Rule,
)
from storytrace.stages.dates.timex.rules import RULES
from storytrace.stages.dates.timex.values import _fiscal_split, interval_of

_QUARTER = re.compile(r"(?:FY)?\d{4}-Q[1-4]")
_X_DAY = "XXXX-XX-XX"
_DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d(?:T|$)")
#: A day printed as a noun's modifier ("Trump's July 25 phone call", "the Oct. 3 report")
#: is no day a narrative is on: it frames no later "the day" or "in the morning".
_ATTRIBUTIVE = re.compile(r"(?:['’]s|\bthe|\ba|\ban)\s+$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]”’]*\s+(?=[\"'(\[“‘]?[A-Z0-9])|\n")
#: Irregular past forms news is told in ("sales fell in the spring"), without those that
#: are also a present or an infinitive ("cut", "set", "put", "hit", "read", "cost").
_IRREGULAR_PAST = (
    "rose|fell|sold|bought|made|took|won|lost|met|began|left|went|came|gave|got|held|paid|"
    "built|brought|kept|led|ran|spent|sent|stood|struck|wrote|spoke|chose|drove|flew|grew|"
    "knew|threw|broke|became|found|heard|felt|sought|fought|caught|taught|shot|saw|thought|"
    "fled|forgot|hid|rode|sank|sang|swore|tore|wore|woke|withdrew|overtook|undertook"
)
_TENSE = re.compile(
    r"\b(?P<was_due>(?:had|'d) (?:been )?(?:expected|scheduled|planned|due|set|supposed|meant|going) to)\b|"
    r"\b(?P<fut>will|won't|shall|should|must|might|may|going to|plans? to|planned to|expects? to|"
    r"expected to|scheduled|due (?:to|for|in)|set (?:to|for)|is to|are to|"
    r"to be(?: (?:[a-z]+ly )?(?:[a-z]{2,}(?:ed|en)|" + _IRREGULAR_PAST + r"))?|"
    r"intends? to|aims? to|would|upcoming|(?:is|are|'s|'re) (?:due|expected|slated)|"
    r"(?:is|are)(?= (?:on )?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b))\b|"
    r"'ll\b|\b(?P<neu>(?:be|been|being|is|are) (?:[a-z]+ly )?(?:[a-z]{2,}ed|"
    + _IRREGULAR_PAST
    + r"))\b|"
    r"\b(?P<past>was|were|had|did|said|told|ago|[a-z]{2,}ed|" + _IRREGULAR_PAST + r")\b"
)
# "Results are due Thursday", "a ruling is expected Friday", "the vote is Thursday": a
# copula before a weekday, and "is due/expected/slated", are plans, not the past.
# Passives ("be approved") say nothing about when; "has" is as often present as perfect.
# "to be voted" is one future marker: read as "to be" + "voted" the participle was a past
# marker nearer the weekday ("preparing for the measures to be voted on Thursday", ECB+
# 8_1ecbplus, read the Thursday before). A plan told in the pluperfect ("had expected
# to testify on Thursday", ECB+ 33_3ecbplus) is over: past, not the coming Thursday.


#: A period after these is not a sentence end ("U.S. officials said on Tuesday").
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:[A-Z]\.)+[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|St|Inc|Corp|Co|"
    r"Ltd|No|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|vs|approx))\.$"
)


def _sentence_starts(text: str) -> tuple[int, ...]:
    """Start offsets of the sentences of ``text`` (a light splitter is enough for tense)."""
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        if match.group() != "\n" and _ABBREVIATION.search(
            text, max(0, match.start() - 12), match.start()
        ):
            continue
        starts.append(match.end())
    return tuple(starts)


#: A preposition right before the expression outweighs the verb: "Since July", "by June 10".
_CUE_PAST = re.compile(r"\bsince\s+$", re.IGNORECASE)
_CUE_FUTURE = re.compile(r"\b(?:by|until|till)\s+$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Clauses:
    """Sentence starts and tense markers of one text, found once.

    Scanning the sentence again for every expression in it was quadratic on hostile
    text (one endless "sentence" of "this year this year ..."); a bisect into
    markers found once keeps a document linear. No ``_TENSE`` match can cross a
    sentence start (they begin after whitespace), so the markers found in the
    whole text are those a per-sentence scan would find.
    """

    starts: tuple[int, ...]  # sentence starts
    mark_starts: tuple[int, ...]  # tense markers, in text order, continuations left out
    mark_ends: tuple[int, ...]
    tenses: tuple[Tense, ...]


def _continues(match: re.Match[str]) -> bool:
    """A passive after an auxiliary ("will be voted", "has been held") continues that
    auxiliary's tense: it is no marker of its own."""
    neutral = match.group("neu")
    return bool(neutral) and not neutral.lower().startswith(("is ", "are "))


def _marker_tense(match: re.Match[str]) -> Tense:
    if match.group("neu"):
        return "none"  # "talks are planned": says nothing, but hides an older marker
    return "past" if match.group("past") or match.group("was_due") else "future"


def _clauses(text: str) -> _Clauses:
    """The sentences and tense markers of ``text``, in one pass each."""
    marks = [m for m in _TENSE.finditer(text) if not _continues(m)]
    return _Clauses(
        _sentence_starts(text),
        tuple(m.start() for m in marks),
        tuple(m.end() for m in marks),
        tuple(_marker_tense(m) for m in marks),
    )


def _tense_at(
    text: str, clauses: _Clauses, sentence: tuple[int, int], at: int, cues: bool = True
) -> Tense:
    """The tense governing offset ``at`` of the sentence ``[start, end)``: the nearest
    marker before it in the sentence, else the nearest after it. ``cues``: whether a
    preposition right before it counts ("by June 10"); not before a clock time ("were
    reopened by 4.30pm on Saturday" is past: "by" says when it was done)."""
    start, end = sentence
    if cues and _CUE_PAST.search(text, max(start, at - 12), at):
        return "past"
    if cues and _CUE_FUTURE.search(text, max(start, at - 12), at):
        return "future"
    before = bisect_right(clauses.mark_ends, at) - 1
    if before >= 0 and clauses.mark_starts[before] >= start:
        return clauses.tenses[before]
    after = bisect_left(clauses.mark_starts, at)
    if after < len(clauses.tenses) and clauses.mark_ends[after] <= end:
        return clauses.tenses[after]
    return "none"


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    priority: int
    match: re.Match[str]
    rule: _Rule


def _extent(match: re.Match[str]) -> tuple[int, int]:
    """The span of the ``t`` (or ``t2``) group when the rule has one, else the match."""
    for group in ("t", "t2"):
        if group in match.re.groupindex and match.group(group) is not None:
            return match.span(group)
    return match.span()


#: What each rule's matches must contain (see :mod:`.gates`), in rule order.
_GATES: tuple[Gate, ...] = tuple(gate(rule.pattern) for rule in RULES)


def _line_starts(text: str) -> list[int]:
    """Start offset of every line of ``text``."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


_DIGITS = re.compile(r"\d+")


def _line_mask(clause: Clause, low: str, starts: list[int]) -> int:
    """Bit ``i`` set when line ``i`` holds one of the clause's words.

    A word is searched again only from the line after the one it was found in.
    """
    mask = 0
    for word in clause:
        if word == DIGIT:
            for match in _DIGITS.finditer(low):
                mask |= 1 << (bisect_right(starts, match.start()) - 1)
            continue
        at = low.find(word)
        while at >= 0:
            line = bisect_right(starts, at) - 1
            mask |= 1 << line
            at = low.find(word, starts[line + 1]) if line + 1 < len(starts) else -1
    return mask


def _regions(text: str) -> list[list[tuple[int, int]]]:
    """Per rule, the parts of ``text`` its matches can lie in (see :mod:`.gates`).

    Lines without one of a rule's required words are left out; a rule whose
    matches may cross lines gets the whole text or, lacking its words, nothing.
    Each kept line ends past its line break, for look-aheads.
    """
    low = folded(text)
    whole = [(0, len(text))]
    if low is None:
        return [whole] * len(RULES)
    starts = _line_starts(text)
    ends = [*starts[1:], len(text)]
    masks: dict[Clause, int] = {}
    out: list[list[tuple[int, int]]] = []
    for rule_gate in _GATES:
        if not rule_gate.clauses:
            out.append(whole)
            continue
        keep = -1
        for clause in rule_gate.clauses:
            if clause not in masks:
                masks[clause] = _line_mask(clause, low, starts)
            keep &= masks[clause]
        if not rule_gate.one_line:
            ok = all(masks[c] for c in rule_gate.clauses)
            out.append(whole if ok else [])
            continue
        lines = []
        while keep:
            bit = keep & -keep
            line = bit.bit_length() - 1
            lines.append((starts[line], ends[line]))
            keep ^= bit
        out.append(lines)
    return out


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for priority, (rule, regions) in enumerate(zip(RULES, _regions(text), strict=True)):
        for start_at, end_at in regions:
            # pos/endpos: look-behinds still see the text before the line, and
            # look-aheads its line break, as in one pass over the whole text
            for match in rule.pattern.finditer(text, start_at, end_at):
                start, end = _extent(match)
                if end > start:
                    found.append(_Candidate(start, end, priority, match, rule))
    return found


def _select(found: list[_Candidate]) -> list[_Candidate]:
    """Leftmost-longest without overlaps; a tie goes to the earlier rule."""
    chosen: list[_Candidate] = []
    last_end = -1
    for cand in sorted(found, key=lambda c: (c.start, -c.end, c.priority)):
        if cand.start >= last_end:
            chosen.append(cand)
            last_end = cand.end
    return chosen


def _clipped(span: DateValue | None, reading: _Reading) -> DateValue | None:
    """The part of ``span`` before ("earlier this week") or after the DCT; the whole
    span when no part of it lies on that side ("earlier this weekend" on a Monday)."""
    if span is None or reading.side is None or reading.dct is None:
        return span
    low, high = _day(span.earliest), _day(span.latest)
    if reading.side == "before":
        if low is None or reading.dct < low:
            return span
        return DateValue(span.earliest, reading.dct, span.precision)
    if high is None or reading.dct > high:
        return span
    return DateValue(reading.dct, span.latest, span.precision)


def _day(bound: date | datetime | None) -> date | None:
    return bound.date() if isinstance(bound, datetime) else bound


#: Printed dates are surest; a DCT-relative reading depends on the DCT and the tense
#: guess; one counted from another expression inherits that expression's doubt too.
_CONFIDENCE = {"abso": 0.9, "dct": 0.75, "expr": 0.6}


def _record(cand: _Candidate, reading: _Reading, text: str, doc_id: str) -> TimeExpression:
    """The record of one reading; the interval is derived from the value."""
    method = f"{METHOD}.{cand.rule.name}"
    snippet = text[cand.start : cand.end]
    span = interval_of(reading.value) if reading.type in ("DATE", "TIME") else None
    span = _clipped(span, reading)
    interval = None
    if span is not None:
        evidence = Evidence("text", cand.start, cand.end, snippet, method)
        inferred = reading.anchor != "absolute"  # resolved, not printed
        interval = DateValue(
            span.earliest,
            span.latest,
            span.precision,
            reading.tz or span.tz,
            inferred,
            (evidence,),
            _CONFIDENCE[reading.anchor[:4]],
        )
    return TimeExpression(
        doc_id, cand.start, cand.end, snippet, reading.type, reading.value, interval,
        reading.anchor, method,
    )  # fmt: skip


def _context(text: str, cand: _Candidate, clauses: _Clauses, state: _Context) -> _Context:
    """The context of one candidate: its clause's tense and the day it may hang on."""
    starts = clauses.starts
    index = bisect_right(starts, cand.start) - 1
    sentence = (starts[index], starts[index + 1] if index + 1 < len(starts) else len(text))
    cues = cand.rule.name != "time"
    tense = (
        _tense_at(text, clauses, sentence, cand.start, cues) if state.tense != "none" else "none"
    )
    day = state.day if state.day is not None and state.day.start >= starts[index] else None
    return _Context(
        state.dct,
        tense,
        day,
        state.period,
        state.config,
        _near_year(state, starts, index),
        state.quarter,
        _near_frame(state, starts, index),
    )


#: "Later in the day" is read on the day last mentioned only within this many
#: sentences before its own; past that the narrative may have moved on (ECB+-like
#: wires go back to an event's day without naming it), so the day is not given.
_FRAME_SENTENCES = 2


def _near_frame(state: _Context, starts: tuple[int, ...], index: int) -> TimeExpression | None:
    """The day a narrative is on, if mentioned in sentence ``index`` or the two before;
    an unknown day (X's) if one was mentioned further back; ``None`` if none was."""
    frame = state.frame
    if frame is None or frame.start >= starts[max(0, index - _FRAME_SENTENCES)]:
        return frame
    return replace(frame, value=_X_DAY, interval=None)


def _near_year(state: _Context, starts: tuple[int, ...], index: int) -> TimeExpression | None:
    """The last date whose year was printed (or counted from a printed one), when it
    lies in sentence ``index`` or the one before; not one read off the DCT."""
    printed = state.period
    if printed is None or printed.value.startswith("FY") or not printed.value[:4].isdigit():
        return None
    if printed.anchor != "absolute" and not printed.anchor.startswith("expr@"):
        return None
    return printed if printed.start >= starts[max(0, index - 1)] else None


def find_time_expressions(
    text: str,
    dct: date | datetime | None,
    config: TimexConfig | None = None,
    doc_id: str = "",
) -> tuple[TimeExpression, ...]:
    """Every time expression in ``text``, typed and resolved against ``dct``.

    Args:
        text (str): the article text; offsets point into it.
        dct (date | datetime | None): the document creation time; ``None`` leaves
            relative expressions unresolved (X's in the value, no interval).
        config (TimexConfig | None): tagger options; defaults when ``None``.
        doc_id (str): copied into every record.

    Returns:
        tuple[TimeExpression, ...]: expressions in text order, without overlaps.
    """
    config = config or TimexConfig()
    anchor = dct.date() if isinstance(dct, datetime) else dct
    state = _Context(anchor, "past" if config.use_tense else "none", None, None, config)
    clauses = _clauses(text)
    out: list[TimeExpression] = []
    for cand in _select(_candidates(text)):
        reading = _read(cand, _context(text, cand, clauses, state))
        if reading is None:
            continue
        out.append(_record(cand, reading, text, doc_id))
        state = _remember(state, out[-1], text)
    return tuple(out)


#: What date arithmetic raises on values the text makes up: a day that is not in
#: the calendar ("Feb. 30"), or one counted past year 1 or 9999 ("next Tuesday" in
#: an article dated 9999-12-31).
_IMPOSSIBLE = (ValueError, OverflowError)


def _read(cand: _Candidate, ctx: _Context) -> _Reading | None:
    """One candidate's reading; read with no anchor (X's) when resolving it is impossible.

    Text never makes the tagger raise: an expression whose resolution leaves the
    calendar keeps its span and type with the unknown parts as X's, as it would
    without a DCT.
    """
    try:
        return cand.rule.handler(cand.match, ctx)
    except _IMPOSSIBLE:
        pass
    bare = _Context(None, ctx.tense, None, None, ctx.config)
    try:
        return cand.rule.handler(cand.match, bare)
    except _IMPOSSIBLE:  # impossible even unanchored ("Feb. 30, 2025" is a handler's job)
        return None


def _remember(state: _Context, found: TimeExpression, text: str) -> _Context:
    """Keep the expressions later ones may be anchored to (a day, a period).

    An unresolved "the day after <event>" is kept as the period too: what follows it
    ("then returned the following week") counts from that event, so stays unresolved.
    """
    if found.method.endswith(".anaphoric") and "X" in found.value:
        frame = found if found.value == "XXXX-XX-XX" else state.frame
        return replace(state, period=found, frame=frame)
    quarter = found if _QUARTER.fullmatch(found.value) else state.quarter
    frame = state.frame
    if _DAY_VALUE.match(found.value) and not _ATTRIBUTIVE.search(
        text, max(0, found.start - 8), found.start
    ):
        frame = found  # a day, or a clock time on one ("by 5:00pm Monday")
    calendar = _fiscal_split(found.value)[1]  # a fiscal year counts as its calendar year
    if found.type != "DATE" or interval_of(calendar) is None or len(calendar) < 4:
        return replace(state, quarter=quarter, frame=frame)  # too coarse (a decade)
    day = found if len(found.value) == 10 else state.day
    return replace(state, day=day, period=found, quarter=quarter, frame=frame)
