"""The timeline of each story: dated events merged across articles, and date conflicts.

Every time expression of a story's articles that resolves to a date (against the
article's printed date, or -- when both ends of an inferred interval give the same
value -- against its inferred interval; absolute dates always) makes its sentence
a dated event. Events with the same value and alike sentences (embedding cosine of
at least ``merge_cosine``) from several articles become one entry with all its
sources. Two entries of different articles that state the same event (cosine of at
least ``conflict_cosine`` and a shared name) on dates that do not overlap are a
``date`` disagreement ("killed on Tuesday" = 2025-04-08 / "last week" = 2025-W14).

A story's main event is placed even when no article prints its date: the lead
sentence of its first report (the article published first, printed or inferred) gets
an entry from ``main_event_days_before`` days before that publication to its day, the
ISO interval as value ("2025-04-08/2025-04-09"), method ``...published``, confidence
0.5, and the reasoning in words as its anchor ("first reported by ... on ...; a
story's event precedes its first report"). Only when that lead states no date of its
own (then its dated entry already places it), and never in date conflicts: it is
a bound, not a statement.

DOCS: docs/stages/timeline.md
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from storytrace.models.services import Embed
from storytrace.records import (
    Claim,
    DateInference,
    DateValue,
    Disagreement,
    DocSpan,
    Document,
    Evidence,
    Story,
    TimeExpression,
    TimelineEntry,
    TimelineSource,
)
from storytrace.stages.budget import spent
from storytrace.stages.dates.inferred import (
    cited_report_steps,
    sentence_bounds,
    sentence_spans,
    timexes,
)
from storytrace.stages.lineage.disagreements import date_side
from storytrace.stages.lineage.provenance import outlet_of, published_day

METHOD = "timeline.timex-minilm.v2"
#: The method of a story's main event placed by its first report's publication date.
PUBLISHED_METHOD = f"{METHOD}.published"
#: The method of a statement that prints no date, placed on or before its publication.
REPORTED_METHOD = f"{METHOD}.reported"
#: How sure "it happened on or before the day it was reported" is: a bound, not a date.
REPORTED_CONFIDENCE = 0.3

__all__ = [
    "PUBLISHED_METHOD",
    "REPORTED_METHOD",
    "TimelineConfig",
    "build_timeline",
    "date_conflicts",
]


@dataclass(frozen=True, slots=True)
class TimelineConfig:
    """Options of the timeline stage.

    Attributes:
        merge_cosine (float): sentences with one date this alike are one event.
        conflict_cosine (float): sentences this alike (and sharing a name) state one
            event, so different dates conflict.
        max_sentence_chars (int): event text is cut to this length.
        main_event (bool): place each story's main event by its first report's
            publication date when no article dates it.
        main_event_days_before (int): how many days before its first report a main
            event may have happened (the interval's lower end).
        lead_min_words (int): the lead is the first sentence of the first line this
            long (shorter lines are a headline or a dateline).
        undated (bool): place every statement that prints no date on or before its
            article's publication (``../<day>``), said as such.
        undated_min_words (int): a statement is a sentence this long (a dateline is
            not), not told in the future tense.
    """

    merge_cosine: float = 0.5
    conflict_cosine: float = 0.6
    max_sentence_chars: int = 240
    main_event: bool = True
    main_event_days_before: int = 1
    lead_min_words: int = 8
    undated: bool = True
    undated_min_words: int = 5


@dataclass(frozen=True, slots=True)
class _Event:
    doc: Document
    timex: TimeExpression
    sentence: tuple[int, int]
    anchor: str


_NAME = re.compile(r"\b[A-Z][a-z]+(?:[- ](?:[A-Z][a-z]+|[a-z]{1,3}-[A-Z][a-z]+))+\b")


def _day(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _anchored(doc: Document, inferred: DateInference | None) -> tuple[list[TimeExpression], str]:
    day = published_day(doc)
    if day is not None:
        return list(timexes(doc, day)), f"published {day}"
    if inferred is not None and inferred.value.earliest and inferred.value.latest:
        lo, hi = _day(inferred.value.earliest), _day(inferred.value.latest)
        at_hi = {(t.start, t.value) for t in timexes(doc, hi)}
        same = [t for t in timexes(doc, lo) if (t.start, t.value) in at_hi]
        return same, f"inferred {lo}..{hi}"
    return list(timexes(doc, None)), "absolute"


def _events(doc: Document, inferred: DateInference | None) -> list[_Event]:
    found, anchor = _anchored(doc, inferred)
    out = []
    for t in found:
        if t.type != "DATE" or t.interval is None or "X" in t.value or "REF" in t.value:
            continue
        how = "absolute" if t.anchor == "absolute" else anchor
        out.append(_Event(doc, t, sentence_bounds(doc.text, t.start, t.end), how))
    return out


_OFFSET = re.compile(
    r"\b(?P<n>a|one|two|three|four|five|six|\d{1,2})\s+(?P<unit>day|week)s?\s+"
    r"(?P<dir>after|before)\s+(?P<event>[^.;:!?\n]{10,240})",
    re.IGNORECASE,
)
_REPORT_WORDS = re.compile(r"\b(revelation|report|disclosure|news|publication|leak)\b", re.I)
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def _report_day(
    doc: Document, claims: Sequence[Claim], docs: Mapping[str, Document]
) -> date | None:
    """The one day another article dates the report this article carries, if exactly one."""
    days = {step.earliest for step, _ in cited_report_steps(doc, claims, docs) if step.earliest}
    return days.pop() if len(days) == 1 else None


def _offset_events(doc: Document, report: date) -> list[_Event]:
    """ "The revelation came one day after Trump announced ...": the announcement is dated."""
    out = []
    for m in _OFFSET.finditer(doc.text):
        s, _ = sentence_bounds(doc.text, m.start(), m.end())
        if not _REPORT_WORDS.search(doc.text, s, m.start()):
            continue
        raw = m["n"].lower()
        n = _COUNTS[raw] if raw in _COUNTS else int(raw)
        step = timedelta(days=n * (7 if m["unit"].lower() == "week" else 1))
        day = report - step if m["dir"].lower() == "after" else report + step
        timex = TimeExpression(
            doc.doc_id, m.start(), m.start("event"), doc.text[m.start() : m.start("event")].strip(),
            "DATE", day.isoformat(), DateValue(day, day, "day"), "report", f"{METHOD}.offset",
        )  # fmt: skip
        anchor = f"{m['n']} {m['unit']} {m['dir']} the report of {report}"
        out.append(_Event(doc, timex, (m.start("event"), m.end("event")), anchor))
    return out


def _source(ev: _Event, limit: int) -> TimelineSource:
    s, e = ev.sentence
    text = ev.doc.text
    if e - s > limit:  # cut at a word boundary, never inside a word
        cut = text.rfind(" ", s, s + limit)
        e = cut if cut > s + limit // 2 else s + limit
    return TimelineSource(
        DocSpan(ev.doc.doc_id, s, e, text[s:e]),
        DocSpan(ev.doc.doc_id, ev.timex.start, ev.timex.end, ev.timex.text),
        ev.timex.value,
        ev.anchor,
    )


def _merge(events: Sequence[_Event], config: TimelineConfig, *, embed: Embed) -> list[list[int]]:
    if len({e.doc.doc_id for e in events}) == 1:
        return [[i] for i in range(len(events))]  # one article: nothing to merge across
    # Only events sharing their value with another are ever compared: embed those.
    values = Counter(e.timex.value for e in events)
    shared = [i for i, e in enumerate(events) if values[e.timex.value] > 1]
    texts = [events[i].doc.text[events[i].sentence[0] : events[i].sentence[1]] for i in shared]
    vecs = dict(zip(shared, embed(texts), strict=True))
    groups: list[list[int]] = []
    for i, ev in enumerate(events):
        home = next(
            (
                g
                for g in groups
                if events[g[0]].timex.value == ev.timex.value
                and max(float(vecs[i] @ vecs[j]) for j in g) >= config.merge_cosine
            ),
            None,
        )
        if home is None:
            groups.append([i])
        else:
            home.append(i)
    return groups


def _entry(story_id: str, events: Sequence[_Event], config: TimelineConfig) -> TimelineEntry:
    sources = tuple(_source(e, config.max_sentence_chars) for e in events)
    first = events[0].timex.interval or DateValue.unknown()
    return TimelineEntry(
        story_id, events[0].timex.value, first, sources[0].sentence.text, sources, METHOD
    )


def _lead(doc: Document, min_words: int) -> tuple[int, int] | None:
    """The lead sentence: the first sentence of the first line of ``min_words`` words."""
    at = 0
    for line in doc.text.splitlines(keepends=True):
        if len(line.split()) >= min_words:
            start = at + len(line) - len(line.lstrip())
            return sentence_bounds(doc.text, start, start + 1)
        at += len(line)
    return None


def _published_interval(
    doc: Document, inferred: DateInference | None
) -> tuple[date, date, str] | None:
    """When an article was published: its printed day, else its inferred interval."""
    day = published_day(doc)
    if day is not None:
        return day, day, f"published {day}"
    if inferred is not None and inferred.value.earliest and inferred.value.latest:
        lo, hi = _day(inferred.value.earliest), _day(inferred.value.latest)
        if lo is not None and hi is not None:
            return lo, hi, f"published {lo}..{hi} (inferred)"
    return None


def _main_event(
    story: Story,
    by_id: Mapping[str, Document],
    guesses: Mapping[str, DateInference],
    dated: Sequence[_Event],
    config: TimelineConfig,
) -> TimelineEntry | None:
    """The story's main event, placed by its first report when no article dates it."""
    reports = [
        (got, by_id[d]) for d in story.doc_ids
        if d in by_id and (got := _published_interval(by_id[d], guesses.get(d)))
    ]  # fmt: skip
    if not reports:
        return None  # no publication date at all: nothing to place it by
    (lo, hi, said), first = min(reports, key=lambda r: (r[0][1], r[0][0], r[1].doc_id))
    lead = _lead(first, config.lead_min_words)
    if lead is None or any(
        e.doc.doc_id == first.doc_id and e.sentence[0] < lead[1] and lead[0] < e.sentence[1]
        for e in dated
    ):
        return None  # no lead, or it prints its own date: that entry places it
    earliest = lo - timedelta(days=config.main_event_days_before)
    value = f"{earliest.isoformat()}/{hi.isoformat()}"
    days = sorted({r[0][1] for r in reports})
    reason = (
        f"no article dates it; first reported by {first.name} ({said})"
        + (f", {len(reports)} articles published {days[0]}..{days[-1]}" if len(days) > 1 else "")
        + f"; a story's event precedes its first report, by up to "
        f"{config.main_event_days_before} day(s) assumed"
    )
    evidence = Evidence("text", lead[0], lead[1], first.text[lead[0] : lead[1]], PUBLISHED_METHOD)
    span = DateValue(earliest, hi, "day", None, True, (evidence,), 0.5)
    ev = _Event(first, _lead_timex(first, lead, value, span), lead, reason)
    source = _source(ev, config.max_sentence_chars)
    return TimelineEntry(
        story.story_id, value, span, source.sentence.text, (source,), PUBLISHED_METHOD
    )


def _lead_timex(
    doc: Document, lead: tuple[int, int], value: str, when: DateValue
) -> TimeExpression:
    """A stand-in for the missing time expression: empty, at the lead's start."""
    return TimeExpression(doc.doc_id, lead[0], lead[0], "", "DATE", value, when, "published",
                          PUBLISHED_METHOD)  # fmt: skip


#: A plain future ("will", "shall", "going to") ...
#: A plain future ("will", "shall", "going to") ...
_WILL = re.compile(r"\b(?:will|won't|shall|going to)\b|'ll\b", re.IGNORECASE)
#: ... unless something already happened or was said before it in the sentence
#: ("Singapore Airlines says that it will be compensated": the saying is reported).
_DONE = re.compile(
    r"\b(?:has|have|had|was|were|did|said|says|say|told|tells|announced|announces|"
    r"reported|reports|confirmed|confirms|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)
#: Irregular past forms ("Sales fell", "GM sold Hummer").
_IRREGULAR = (
    "rose|fell|sold|bought|made|took|won|lost|met|began|left|went|came|gave|got|held|paid|"
    "built|brought|kept|led|ran|spent|sent|stood|struck|wrote|spoke|chose|drove|flew|grew|"
    "knew|threw|broke|became|found|heard|felt|sought|fought|caught|taught|shot|saw|thought"
)
#: Anything told in a past or perfect tense (a present passive, "is owned", is not).
_PAST = re.compile(
    r"\b(?:has|have|had|was|were|did|said|told|ago|"
    r"(?<!\bis )(?<!\bare )(?:[a-z]{3,}ed|" + _IRREGULAR + r"))\b",
    re.IGNORECASE,
)
#: A statement in the present tense that is still reported ("Boeing says ...").
_SAYS = re.compile(
    r"\b(?:says|say|tells|announces|reports|confirms|claims|adds|notes|insists|warns|denies)\b",
    re.IGNORECASE,
)
#: The past perfect opening a sentence's verbs ("Boeing had previously hired ...").
_PLUPERFECT = re.compile(
    r"had (?:(?:already|previously|earlier|long|once|also|been) )*[a-z]{3,}"
    r"(?:ed|en|ne|wn|ught|ld|lt|nt|de)\b",
    re.IGNORECASE,
)
#: A sentence's end (a headline has none).
_ENDED = re.compile(r"[.!?][\"'”’)]*\s*$")


def _placeable(sentence: str) -> bool:
    """Whether a sentence states something that happened by its publication.

    Not placed: a future ("Rolls-Royce will supply engines": nothing in it happened
    yet; modals such as may, would, must are not a future), the past perfect that
    opens its verbs ("Boeing had previously hired ...": background from before the
    events reported, which the publication date would wrongly put beside them), and a
    state told in the present with nothing past or reported in it ("Ryanair owns a
    25 percent share in Aer Lingus": no event). A headline (no sentence end) in the
    present is the news itself ("Boeing unveils long-range 777"), so it is placed.
    """
    will = _WILL.search(sentence)
    if will is not None and _DONE.search(sentence, 0, will.start()) is None:
        return False
    first = _DONE.search(sentence)
    if first is not None and _PLUPERFECT.match(sentence, first.start()):
        return False
    return bool(_PAST.search(sentence) or _SAYS.search(sentence) or not _ENDED.search(sentence))


def _statements(doc: Document, config: TimelineConfig) -> list[tuple[int, int]]:
    """The article's statements: sentences of ``undated_min_words`` words or more (not a
    dateline) that :func:`_placeable` accepts. A headline printed in the text is one."""
    out, at = [], 0
    for line in doc.text.splitlines(keepends=True):
        if len(line.split()) >= config.undated_min_words:
            for s, e in sentence_spans(line):
                s += len(line[s:e]) - len(line[s:e].lstrip())
                said = line[s:e]
                if len(said.split()) >= config.undated_min_words and _placeable(said):
                    out.append((at + s, at + e))
        at += len(line)
    return out


def _overlapping(statements: Sequence[tuple[int, int]], span: tuple[int, int]) -> range:
    """Indexes of the (sorted, disjoint) statements that overlap ``span``."""
    starts = [s for s, _ in statements]
    first = max(bisect_right(starts, span[0]) - 1, 0)
    if first < len(statements) and statements[first][1] <= span[0]:
        first += 1
    return range(first, bisect_left(starts, span[1]))


def _mentions_by_doc(claims: Sequence[Claim]) -> dict[str, list[tuple[int, int, str]]]:
    """Per article, the spans of the claims it carries, in claim order."""
    out: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for claim in claims:
        for m in claim.mentions:
            out[m.span.doc_id].append((m.span.start, m.span.end, claim.claim_id))
    return out


def _undated(  # noqa: PLR0913 -- the story's parts, each needed once
    story: Story,
    by_id: Mapping[str, Document],
    guesses: Mapping[str, DateInference],
    taken: Sequence[_Event],
    claims: Sequence[Claim],
    config: TimelineConfig,
) -> list[TimelineEntry]:
    """Statements that print no date, each placed on or before its article's publication.

    One entry per statement, or per claim when several articles carry it (its bound is
    the first of their publications). The value is the open interval ``../<day>``; the
    sources' anchor says the publication date is all that places it.
    """
    busy: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for ev in taken:
        busy[ev.doc.doc_id].append(ev.sentence)
    carried = _mentions_by_doc(claims)
    groups: dict[str, list[tuple[date, _Event]]] = {}
    for doc_id in story.doc_ids:
        doc = by_id.get(doc_id)
        when = _published_interval(doc, guesses.get(doc_id)) if doc is not None else None
        if doc is None or when is None:
            continue  # no publication date: nothing to place a statement by
        day, said = when[1], when[2]
        statements = _statements(doc, config)
        # one that prints a date (or is the main event's lead) is placed already
        placed = {i for span in busy[doc_id] for i in _overlapping(statements, span)}
        keys: dict[int, str] = {}
        for a, b, claim_id in carried[doc_id]:
            for i in _overlapping(statements, (a, b)):
                keys.setdefault(i, claim_id)
        reason = (
            f"publication date: the sentence prints no date; reported by {doc.name} "
            f"({said}), so it happened on or before {day}"
        )
        for i, (s, e) in enumerate(statements):
            if i in placed:
                continue
            stand_in = TimeExpression(doc_id, s, s, "", "DATE", f"../{day}", DateValue.unknown(),
                                      "published", REPORTED_METHOD)  # fmt: skip
            key = keys.get(i, f"{doc_id}@{s}")
            groups.setdefault(key, []).append((day, _Event(doc, stand_in, (s, e), reason)))
    return [_reported_entry(story.story_id, group, config) for group in groups.values()]


def _reported_entry(
    story_id: str, group: Sequence[tuple[date, _Event]], config: TimelineConfig
) -> TimelineEntry:
    """One undated statement (its articles' wordings), bounded by the first publication."""
    ordered = sorted(group, key=lambda g: (g[0], g[1].doc.doc_id, g[1].sentence[0]))
    day, first = ordered[0]
    s, e = first.sentence
    evidence = (
        Evidence("text", s, e, first.doc.text[s:e], REPORTED_METHOD),
        *first.doc.metadata.published.evidence,
    )
    when = DateValue(None, day, "day", None, True, evidence, REPORTED_CONFIDENCE)
    sources = tuple(_source(ev, config.max_sentence_chars) for _, ev in ordered)
    return TimelineEntry(
        story_id, f"../{day.isoformat()}", when, sources[0].sentence.text, sources,
        REPORTED_METHOD,
    )  # fmt: skip


def _sort_key(entry: TimelineEntry) -> tuple[str, str, str]:
    start = entry.when.earliest or entry.when.latest  # "on or before" sorts at its bound
    return (start.isoformat() if start else "9999", entry.value, entry.sources[0].sentence.doc_id)


def build_timeline(  # noqa: PLR0913 -- ``embed`` is a service, not an option for TimelineConfig
    docs: Sequence[Document],
    stories: Sequence[Story],
    inferred: Sequence[DateInference],
    config: TimelineConfig | None = None,
    claims: Sequence[Claim] = (),
    *,
    embed: Embed,
) -> tuple[TimelineEntry, ...]:
    """Dated events of each story, merged across articles, in date order.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): the stories.
        inferred (Sequence[DateInference]): inferred dates of undated articles.
        config (TimelineConfig | None): options; defaults when ``None``.
        claims (Sequence[Claim]): aligned claims: an event dated relative to the
            report an article carries ("one day after ...") needs that report's date.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[TimelineEntry, ...]: per story (story order), by date.
    """
    cfg = config or TimelineConfig()
    by_id = {d.doc_id: d for d in docs}
    guesses = {i.doc_id: i for i in inferred}
    claims_of: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        claims_of[claim.story_id].append(claim)
    out: list[TimelineEntry] = []
    for story in stories:
        if spent(story.story_id):
            continue
        events = [
            ev for d in story.doc_ids if d in by_id for ev in _events(by_id[d], guesses.get(d))
        ]
        for doc_id in story.doc_ids:
            report = _report_day(by_id[doc_id], claims, by_id) if doc_id in by_id else None
            if report is not None:
                events += _offset_events(by_id[doc_id], report)
        main = _main_event(story, by_id, guesses, events, cfg) if cfg.main_event else None
        entries = [
            _entry(story.story_id, [events[i] for i in g], cfg)
            for g in (_merge(events, cfg, embed=embed) if events else [])
        ]
        if main is not None:
            entries.append(main)
        if cfg.undated:
            placed = [*events, *(_main_events(main, by_id))]
            entries += _undated(story, by_id, guesses, placed, claims_of[story.story_id], cfg)
        out.extend(sorted(entries, key=_sort_key))
    return tuple(out)


def _main_events(main: TimelineEntry | None, by_id: Mapping[str, Document]) -> list[_Event]:
    """The main event's lead as an event, so it is not placed a second time."""
    if main is None:
        return []
    span = main.sources[0].sentence
    stand_in = _lead_timex(by_id[span.doc_id], (span.start, span.end), main.value, main.when)
    return [_Event(by_id[span.doc_id], stand_in, (span.start, span.end), "")]


def _overlap(a: DateValue, b: DateValue) -> bool:
    a0, a1, b0, b1 = (_day(x) for x in (a.earliest, a.latest, b.earliest, b.latest))
    if None in (a0, a1, b0, b1):
        return True
    return not (a1 < b0 or b1 < a0)  # type: ignore[operator]


def _fine(value: str) -> bool:
    return len(value) >= 8  # a day or a week, not a month or a year


def _names(text: str) -> dict[str, str]:
    """Multi-word names of a sentence, lower-cased key -> as printed."""
    return {m.group(0).lower(): m.group(0) for m in _NAME.finditer(text)}


def date_conflicts(
    entries: Sequence[TimelineEntry],
    docs: Mapping[str, Document],
    config: TimelineConfig | None = None,
    *,
    embed: Embed,
) -> tuple[Disagreement, ...]:
    """Entries of different articles stating one event on non-overlapping dates.

    Args:
        entries (Sequence[TimelineEntry]): the timeline.
        docs (Mapping[str, Document]): documents by id (for the outlets).
        config (TimelineConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[Disagreement, ...]: one per conflicting pair of entries.
    """
    cfg = config or TimelineConfig()
    bounds = (PUBLISHED_METHOD, REPORTED_METHOD)
    fine = [e for e in entries if _fine(e.value) and e.method not in bounds]
    # Only entries of stories dated by two articles or more can conflict: embed those.
    docs_of: dict[str, set[str]] = defaultdict(set)
    for e in fine:
        docs_of[e.story_id].update(s.sentence.doc_id for s in e.sources)
    fine = [e for e in fine if len(docs_of[e.story_id]) > 1]
    vecs = embed([e.text for e in fine])
    out = []
    for i, a in enumerate(fine):
        for j in range(i + 1, len(fine)):
            b = fine[j]
            if a.story_id != b.story_id or _overlap(a.when, b.when):
                continue
            if {s.sentence.doc_id for s in a.sources} & {s.sentence.doc_id for s in b.sources}:
                continue
            names = _names(a.text)
            shared = sorted(names.keys() & _names(b.text).keys(), key=lambda k: (-len(k), k))
            if shared and float(vecs[i] @ vecs[j]) >= cfg.conflict_cosine:
                out.append(_conflict(a, b, names[shared[0]], docs))
    return tuple(out)


def _conflict(
    a: TimelineEntry, b: TimelineEntry, name: str, docs: Mapping[str, Document]
) -> Disagreement:
    sides = tuple(
        date_side(
            f"{e.value} ('{e.sources[0].timex.text}')",
            [s.sentence for s in e.sources],
            [outlet_of(docs.get(s.sentence.doc_id)) or s.sentence.doc_id for s in e.sources],
        )
        for e in (a, b)
    )
    reason = (
        f"the same event ({name}) dated {a.value} ('{a.sources[0].timex.text}') "
        f"and {b.value} ('{b.sources[0].timex.text}'): the dates do not overlap"
    )
    return Disagreement(
        a.story_id, "date", f"the date of the event naming {name}", reason, sides, f"{METHOD}.date"
    )


def dated_documents(
    documents: Sequence[Document], inferred: Sequence[DateInference]
) -> tuple[Document, ...]:
    """``documents`` with the publication date the timeline inferred, where it knows one."""
    dated = {i.doc_id: i.value for i in inferred if i.value.known}
    return tuple(
        replace(doc, metadata=replace(doc.metadata, published=dated[doc.doc_id]))
        if doc.doc_id in dated
        else doc
        for doc in documents
    )
