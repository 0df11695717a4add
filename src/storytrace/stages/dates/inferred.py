"""An undated article's publication date, inferred as an interval from its story, or unknown.

Each candidate day ``D`` around the dated articles of the story is tested
against constraints read from the texts; the days that pass form the interval.
A bound that reaches the edge of the searched window stays open (unknown), and
nothing is inferred without at least one dated anchor:

* ``cited_report`` -- the article carries a claim (claim stage) whose wording in
  a dated article is dated in its sentence ("the British Times newspaper reported
  on Tuesday" = 2025-04-08): the article cannot predate it, ``D >= that day``;
* ``shared_relative`` -- the article's relative expression ("last week") sits in a
  sentence saying what a dated article's same expression says (embedding cosine),
  whose value is known (2025-W14): ``D`` must resolve it to the same value;
* ``future_reference`` -- once an anchor applies, an expression in a clearly
  future clause ("are set to meet ... this Saturday") must resolve after ``D``.

DOCS: docs/stages/timeline.md
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from storytrace.models.services import Embed
from storytrace.records import (
    Claim,
    DateInference,
    DateValue,
    DocSpan,
    Document,
    Evidence,
    InferenceStep,
    Story,
    TimeExpression,
)
from storytrace.stages.budget import spent
from storytrace.stages.dates.timex import find_time_expressions
from storytrace.stages.lineage.provenance import published_day

METHOD = "pubdate.constraints.v1"

__all__ = [
    "PubdateConfig",
    "cited_report_steps",
    "infer_dates",
    "sentence_bounds",
    "sentence_spans",
    "timexes",
]


@dataclass(frozen=True, slots=True)
class PubdateConfig:
    """Options of the date inference.

    Attributes:
        window_days (int): days searched before the earliest and after the latest
            dated article of the story.
        shared_cosine (float): how alike two sentences must be for their shared
            relative expression to be one date.
        max_window_days (int): a story whose dated articles spread over a longer
            window is too loose to bound one day: nothing is inferred.
    """

    window_days: int = 21
    shared_cosine: float = 0.6
    max_window_days: int = 120


_FUTURE = re.compile(
    r"\b(will|shall|set to|due to|expected to|scheduled|going to|"
    r"gears? up|gearing up|ahead of|upcoming)\b",
    re.IGNORECASE,
)
#: A plan told in the past perfect ("had expected to testify on Thursday") is past.
_PLUPERFECT = re.compile(r"\bhad (been )?(expected|planned|scheduled|set|due)\b", re.IGNORECASE)
#: Expressions that name the past whatever the clause's tense.
_PAST_WORDS = re.compile(r"\b(earlier|last|past|ago|previous|recent)", re.IGNORECASE)
_BOUNDARY = re.compile(
    r"(?<=[.!?…])(?<![A-Z]\.[A-Z]\.)(?<!\b[A-Z][a-z]\.)(?<!\b[A-Z]\.)[\"'”’)]*\s+|\n+"
)

Constraint = Callable[[date], bool]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open bounds of every non-empty sentence of a text."""
    out, left = [], 0
    for found in _BOUNDARY.finditer(text):
        if text[left : found.start()].strip():
            out.append((left, found.start()))
        left = found.end()
    if text[left:].strip():
        out.append((left, len(text)))
    return out


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The half-open bounds of the sentence around ``[start, end)``."""
    left = 0
    for found in _BOUNDARY.finditer(text, 0, start):
        left = found.end()
    after = _BOUNDARY.search(text, end)
    return left, (after.start() if after else len(text))


@lru_cache(maxsize=4096)
def _timexes_cached(text: str, dct: date | None) -> tuple[TimeExpression, ...]:
    return find_time_expressions(text, dct)


def timexes(doc: Document, dct: date | None) -> tuple[TimeExpression, ...]:
    """The document's time expressions resolved against ``dct`` (memoised)."""
    return tuple(
        t if t.doc_id == doc.doc_id else _with_doc(t, doc.doc_id)
        for t in _timexes_cached(doc.text, dct)
    )


def _with_doc(t: TimeExpression, doc_id: str) -> TimeExpression:
    from dataclasses import replace

    return replace(t, doc_id=doc_id)


def _span(doc: Document, start: int, end: int) -> DocSpan:
    return DocSpan(doc.doc_id, start, end, doc.text[start:end])


def _is_day(value: str) -> bool:
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", value))


def cited_report_steps(
    doc: Document, claims: Sequence[Claim], docs: Mapping[str, Document]
) -> list[tuple[InferenceStep, Constraint]]:
    """Lower bounds from reports the article carries that another article dates."""
    out: list[tuple[InferenceStep, Constraint]] = []
    for claim in claims:
        mine = [m for m in claim.mentions if m.span.doc_id == doc.doc_id]
        if not mine:
            continue
        keys = {m.origin_key for m in mine if m.origin_key.startswith("outlet:")}
        for m in claim.mentions:
            other = docs.get(m.span.doc_id)
            day = published_day(other)
            if other is None or day is None or m.origin_key not in keys:
                continue
            s, e = sentence_bounds(other.text, m.span.start, m.span.end)
            for t in timexes(other, day):
                if s <= t.start < e and _is_day(t.value) and date.fromisoformat(t.value) <= day:
                    bound = date.fromisoformat(t.value)
                    step = InferenceStep(
                        "cited_report",
                        bound,
                        None,
                        (mine[0].span, _span(other, t.start, t.end)),
                        f"it carries a claim of {m.origin_key.removeprefix('outlet:')} that "
                        f"{other.metadata.outlet.value or other.doc_id} dates to {bound} "
                        f"('{t.text}'): published on or after {bound}",
                    )
                    out.append((step, _not_before(bound)))
    return out


def _not_before(bound: date) -> Constraint:
    return lambda day: day >= bound


def _relative(doc: Document) -> list[TimeExpression]:
    return [
        t
        for t in timexes(doc, None)
        if t.type == "DATE" and "X" in t.value and "REF" not in t.value
    ]


def _shared_steps(
    doc: Document, mates: Sequence[Document], config: PubdateConfig, *, embed: Embed
) -> list[tuple[InferenceStep, Constraint]]:
    mine = _relative(doc)
    wanted = {t.text.lower() for t in mine}
    theirs = [
        (other, t)
        for other in mates
        for t in timexes(other, published_day(other))
        if t.type == "DATE"
        and t.interval is not None
        and "X" not in t.value
        and t.text.lower() in wanted
    ]
    if not mine or not theirs:
        return []
    my_sents = [sentence_bounds(doc.text, t.start, t.end) for t in mine]
    their_sents = [sentence_bounds(o.text, t.start, t.end) for o, t in theirs]
    vecs_a = embed([doc.text[s:e] for s, e in my_sents])
    vecs_b = embed([o.text[s:e] for (o, _), (s, e) in zip(theirs, their_sents, strict=True)])
    sims = vecs_a @ vecs_b.T
    out = []
    for i, t in enumerate(mine):
        for j, (other, u) in enumerate(theirs):
            if u.text.lower() == t.text.lower() and float(sims[i, j]) >= config.shared_cosine:
                out.append(_shared_step(doc, t, (other, u)))
    return out


def _shared_step(
    doc: Document, t: TimeExpression, theirs: tuple[Document, TimeExpression]
) -> tuple[InferenceStep, Constraint]:
    other, u = theirs
    step = InferenceStep(
        "shared_relative",
        None,
        None,
        (_span(doc, t.start, t.end), _span(other, u.start, u.end)),
        f"its '{t.text}' is the same as {other.metadata.outlet.value or other.doc_id}'s "
        f"'{u.text}' = {u.value}",
    )

    def holds(day: date) -> bool:
        return any(x.start == t.start and x.value == u.value for x in timexes(doc, day))

    return step, holds


def _future_steps(doc: Document) -> list[tuple[InferenceStep, Constraint]]:
    out: list[tuple[InferenceStep, Constraint]] = []
    for t in _relative(doc):
        s, e = sentence_bounds(doc.text, t.start, t.end)
        clause = doc.text[s:e]
        if _PAST_WORDS.search(t.text) or not _FUTURE.search(clause) or _PLUPERFECT.search(clause):
            continue
        step = InferenceStep(
            "future_reference",
            None,
            None,
            (_span(doc, t.start, t.end),),
            f"'{t.text}' is ahead in its sentence: published before that day",
        )

        out.append((step, _ahead(doc, t.start)))
    return out


def _ahead(doc: Document, start: int) -> Constraint:
    """The expression at ``start`` resolves after the candidate day."""

    def holds(day: date) -> bool:
        for x in timexes(doc, day):
            if x.start == start and x.interval is not None and x.interval.earliest is not None:
                first = x.interval.earliest
                return (first.date() if isinstance(first, datetime) else first) > day
        return True

    return holds


def _solve(
    window: tuple[date, date], constraints: Sequence[tuple[InferenceStep, Constraint]]
) -> tuple[date | None, date | None] | None:
    lo, hi = window
    days = [lo + timedelta(days=i) for i in range((hi - lo).days + 1)]
    ok = [d for d in days if all(check(d) for _, check in constraints)]
    if not ok:
        return None
    first = ok[0] if ok[0] != lo else None
    last = ok[-1] if ok[-1] != hi else None
    return first, last


def _shifted(day: date, delta: timedelta) -> date:
    """``day + delta``, stopped at the calendar's ends (a page may claim 0001-01-01)."""
    try:
        return day + delta
    except OverflowError:
        return date.min if delta < timedelta(0) else date.max


def _infer_one(
    doc: Document,
    story_docs: Sequence[Document],
    claims: Sequence[Claim],
    config: PubdateConfig,
    *,
    embed: Embed,
) -> DateInference | None:
    mates = [d for d in story_docs if d.doc_id != doc.doc_id and published_day(d) is not None]
    if not mates:
        return None
    by_id = {d.doc_id: d for d in story_docs}
    anchors = cited_report_steps(doc, claims, by_id)
    anchors += _shared_steps(doc, mates, config, embed=embed)
    if not anchors:
        return DateInference(doc.doc_id, DateValue.unknown(), (), METHOD)
    days = sorted(day for d in mates if (day := published_day(d)) is not None)
    pad = timedelta(days=config.window_days)
    if (days[-1] - days[0] + 2 * pad).days > config.max_window_days:
        return DateInference(doc.doc_id, DateValue.unknown(), (), METHOD)
    window = (_shifted(days[0], -pad), _shifted(days[-1], pad))
    constraints = anchors + _future_steps(doc)
    bounds = _solve(window, constraints)
    if bounds is None:  # the weakest evidence, a future reading, yields to the anchors
        constraints = anchors
        bounds = _solve(window, constraints)
    steps = tuple(step for step, _ in constraints)
    if bounds is None or bounds[0] is None:
        return DateInference(doc.doc_id, DateValue.unknown(), steps, METHOD)
    return DateInference(doc.doc_id, _value(doc, bounds, steps), steps, METHOD)


def _value(
    doc: Document, bounds: tuple[date | None, date | None], steps: Sequence[InferenceStep]
) -> DateValue:
    evidence = tuple(
        Evidence("text", span.start, span.end, span.text, f"{METHOD}.{step.rule}")
        for step in steps
        for span in step.evidence
        if span.doc_id == doc.doc_id
    )
    confidence = round(min(0.8, 0.5 + 0.1 * len(steps)), 2)
    return DateValue(bounds[0], bounds[1], "day", None, True, evidence, confidence)


def infer_dates(
    docs: Sequence[Document],
    stories: Sequence[Story],
    claims: Sequence[Claim],
    config: PubdateConfig | None = None,
    *,
    embed: Embed,
) -> tuple[DateInference, ...]:
    """Publication intervals of the undated articles of stories with dated articles.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): stories (anchors come from the same story only).
        claims (Sequence[Claim]): aligned claims (for ``cited_report``).
        config (PubdateConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[DateInference, ...]: one per undated article that has dated story-mates;
        ``value`` unknown when no constraint applied or they contradict each other.
    """
    cfg = config or PubdateConfig()
    by_id = {d.doc_id: d for d in docs}
    out = []
    for story in stories:
        story_docs = [by_id[i] for i in story.doc_ids if i in by_id]
        if spent(story.story_id):
            continue
        story_claims = [c for c in claims if c.story_id == story.story_id]
        for doc in story_docs:
            if published_day(doc) is None and not doc.metadata.published.known:
                found = _infer_one(doc, story_docs, story_claims, cfg, embed=embed)
                if found is not None:
                    out.append(found)
    return tuple(out)
