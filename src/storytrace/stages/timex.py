"""Time expressions: find them in an article and resolve them against its date.

A rule-based temporal tagger in the HeidelTime/SUTime tradition. Each expression
gets a TimeML/TIMEX3 ``type`` and ``value`` written as MEANTIME annotates them
("2025-04-08", "2025-W14", "2025-W14-WE", "2025-04", "2025-Q1", "2025-SP", "199"
for the 1990s, "P3Y", "PT48H", "PRESENT_REF") and, for dates and times, the
resolved ``DateValue`` interval (a day, Monday-Sunday of a week, a month ...).

Relative expressions ("last week", "on Tuesday", "in January") are resolved
against the document creation time (DCT). Without a DCT they keep X's in their
value ("XXXX-WXX", "XXXX-01") and get no interval: nothing is invented.

Resolution policy (the guidelines leave these open, so they are fixed here):

* A bare weekday follows the tense of its clause: past (or unknown) -> the latest
  such day on or before the DCT, future -> the first on or after it. The DCT's own
  weekday is the DCT ("Airbus said on Monday" in a Monday article is that Monday,
  as MEANTIME annotates it). "last"/"next" Tuesday exclude the DCT's own day;
  "this Saturday" is the Saturday of the DCT's Monday-Sunday week.
* A month (month and day, quarter, season, holiday) without a year takes the year
  that fits the tense (past: the latest one starting by the DCT; future: the first
  one ending on or after it), else the one nearest the DCT.
* Tense is the nearest tense marker before the expression in its sentence, else
  the nearest after it: "said on Monday it will deliver in October" reads Monday
  as past and October as future. No parser: a marker list is enough for news and
  keeps the stage fast and model-free.
* A clock time takes its day from a weekday/"today" printed with it, else from the
  last day-precision date earlier in the same sentence, else from the DCT.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from bisect import bisect_right
from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from storytrace.records import DateValue, Evidence

METHOD = "timex.rules.v1"

TimexType = Literal["DATE", "TIME", "DURATION", "SET"]
Tense = Literal["past", "future", "none"]


@dataclass(frozen=True, slots=True)
class TimexConfig:
    """Options of the tagger.

    Attributes:
        day_first (bool | None): order of all-numeric dates ("7/8/07"); ``None``
            reads them only when unambiguous, as ``stages.dates`` does.
        use_tense (bool): resolve weekdays and year-less months by tense; when off,
            the candidate nearest the DCT wins.
        near_future_days (int): a year-less date starting this few days after the DCT
            is read as upcoming even in a past-tense clause ("announced a June 3
            hearing" in a May article); a year back is the less likely reading.
    """

    day_first: bool | None = None
    use_tense: bool = True
    near_future_days: int = 45


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression in one document text, typed and (when possible) resolved.

    Attributes:
        doc_id (str): the document.
        start (int): half-open start offset into the text searched.
        end (int): half-open end offset.
        text (str): the expression as printed.
        type (TimexType): TIMEX3 type: DATE, TIME, DURATION or SET.
        value (str): TIMEX3 value ("2025-04-08", "2025-W14", "P1W", "PRESENT_REF",
            "XXXX-XX-XX" when it cannot be resolved).
        interval (DateValue | None): the resolved interval of a DATE/TIME; ``None``
            for durations, sets, vague references and anything unresolved.
        anchor (str): ``absolute``, ``dct``, or ``expr@<start>`` of the expression
            it was resolved against.
        method (str): the rule that produced it, e.g. ``timex.rules.v1.weekday``.
    """

    doc_id: str
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    interval: DateValue | None
    anchor: str
    method: str


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a rule made of a match."""

    type: TimexType
    value: str
    anchor: str
    tz: str | None = None  # a clock time's zone as printed
    dct: date | None = None  # "earlier/later this week": the interval stops/starts here
    side: Literal["before", "after"] | None = None


@dataclass(frozen=True, slots=True)
class _Context:
    """What a rule may use besides its match."""

    dct: date | None
    tense: Tense
    day: TimeExpression | None  # last day-precision date earlier in the sentence
    period: TimeExpression | None  # last resolved day/week/month/quarter in the text
    config: TimexConfig


Handler = Callable[[re.Match[str], _Context], "_Reading | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler


# --------------------------------------------------------------------------- calendar

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}  # fmt: skip
_WEEKDAYS = {d: i for i, d in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
_PART_OF_DAY = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
_SEASON_START = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}
_SEASONS = {"spring": "SP", "summer": "SU", "autumn": "FA", "fall": "FA", "winter": "WI"}
_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
             "new year's day": (1, 1), "new year's eve": (12, 31), "halloween": (10, 31),
             "valentine's day": (2, 14), "independence day": (7, 4)}  # fmt: skip
#: Unresolved value per granularity: X's, never a guessed date.
_X = {"day": "XXXX-XX-XX", "week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX",
      "year": "XXXX", "quarter": "XXXX-QX", "decade": "XXX", "century": "XX"}  # fmt: skip


def _month_of(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


def _shift_month(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _relative_value(dct: date, unit: str, step: int) -> str:
    """The value of the ``unit`` ``step`` units from the DCT's (0 = this one)."""
    if unit == "day":
        return (dct + timedelta(days=step)).isoformat()
    if unit in ("week", "weekend"):
        week = _week_value(dct + timedelta(weeks=step))
        return week + "-WE" if unit == "weekend" else week
    if unit == "month":
        year, month = _shift_month(dct, step)
        return f"{year}-{month:02d}"
    if unit == "quarter":
        year, month = _shift_month(dct, 3 * step)
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if unit == "decade":
        return str(dct.year // 10 + step)
    if unit == "century":
        return f"{dct.year // 100 + step:02d}"
    return str(dct.year + step)


# --------------------------------------------------------------------------- value -> interval


def _month_span(
    year: int, first: int, count: int, precision: Literal["month", "year"]
) -> DateValue:
    last_year, last_month = _shift_month(date(year, first, 1), count - 1)
    end = date(last_year, last_month, monthrange(last_year, last_month)[1])
    return DateValue(date(year, first, 1), end, precision)


def _iv_time(m: re.Match[str]) -> DateValue:
    utc = m.group(6) == "Z"
    year, month, day, hour, minute = (int(m.group(i)) for i in range(1, 6))
    when = datetime(year, month, day, hour, minute, tzinfo=UTC if utc else None)
    return DateValue(when, when, "minute", "UTC" if utc else None)


def _iv_day(m: re.Match[str]) -> DateValue:
    day = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return DateValue(day, day, "day")


def _iv_week(m: re.Match[str]) -> DateValue:
    monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    first = monday + timedelta(days=5) if m.group(3) else monday
    return DateValue(first, monday + timedelta(days=6), "day")


def _iv_part(m: re.Match[str]) -> DateValue:
    """Quarters, halves, seasons and months: runs of whole months."""
    year, part = int(m.group(1)), m.group(2)
    if part.startswith("Q"):
        return _month_span(year, 3 * int(part[1]) - 2, 3, "month")
    if part.startswith("H"):
        return _month_span(year, 6 * int(part[1]) - 5, 6, "month")
    if part in _SEASON_START:
        return _month_span(year, _SEASON_START[part], 3, "month")
    return _month_span(year, int(part), 1, "month")


def _iv_years(m: re.Match[str]) -> DateValue:
    """A year, a decade ("199") or a century ("19")."""
    digits = m.group(1)
    size = 10 ** (4 - len(digits))
    first = int(digits) * size
    return DateValue(date(first, 1, 1), date(first + size - 1, 12, 31), "year")


_VALUE_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], DateValue]], ...] = (
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(Z)?"), _iv_time),
    (re.compile(r"(\d{4})-(\d\d)-(\d\d)(?:T(?:MO|AF|EV|NI))?"), _iv_day),
    (re.compile(r"(\d{4})-W(\d\d)(-WE)?"), _iv_week),
    (re.compile(r"(\d{4})-(\d\d|Q[1-4]|H[12]|SP|SU|FA|WI)"), _iv_part),
    (re.compile(r"(\d{2,4})"), _iv_years),
)


def interval_of(value: str) -> DateValue | None:
    """The interval a TIMEX3 date/time value denotes; ``None`` when it has X's or is vague.

    Args:
        value (str): e.g. "2025-04-08", "2025-W14", "2025-Q1", "199", "2025-04-08T18:00Z".

    Returns:
        DateValue | None: inclusive ``[earliest, latest]`` with its precision.
    """
    for pattern, build in _VALUE_FORMS:
        match = pattern.fullmatch(value)
        if match:
            try:
                return build(match)
            except ValueError:  # 2025-02-30, week 54: not a calendar date
                return None
    return None


def _bounds(value: str) -> tuple[date, date]:
    span = interval_of(value)
    assert span is not None and span.earliest is not None and span.latest is not None
    low, high = span.earliest, span.latest
    return (low.date() if isinstance(low, datetime) else low,
            high.date() if isinstance(high, datetime) else high)  # fmt: skip


def _pick(values: list[str], dct: date, tense: Tense, config: TimexConfig) -> str:
    """Of one expression's candidate values (years around the DCT), the one the tense fits.

    Tense is checked at month granularity, as HeidelTime does: "October 12" in a
    past-tense sentence of an article of October 4 stays in the DCT's year.
    """
    spans = [(v, *_bounds(v)) for v in values if interval_of(v) is not None]
    month_start = dct.replace(day=1)
    month_end = dct.replace(day=monthrange(dct.year, dct.month)[1])
    near = [s for s in spans if 0 < (s[1] - dct).days <= config.near_future_days]
    if tense == "past" and near:
        return near[0][0]
    if tense == "past":
        fits = [s for s in spans if s[1] <= month_end]
        if fits:
            return max(fits, key=lambda s: s[1])[0]
    if tense == "future":
        fits = [s for s in spans if s[2] >= month_start]
        if fits:
            return min(fits, key=lambda s: s[1])[0]

    def distance(span: tuple[str, date, date]) -> int:
        return max((span[1] - dct).days, (dct - span[2]).days, 0)

    return min(spans, key=distance)[0]


def _yearless(template: str, ctx: _Context) -> _Reading:
    """A month/day/quarter/season without a year: the year is picked around the DCT."""
    if ctx.dct is None:
        return _Reading("DATE", template.format(year="XXXX"), "dct")
    years = (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
    value = _pick([template.format(year=y) for y in years], ctx.dct, ctx.tense, ctx.config)
    return _Reading("DATE", value, "dct")


# --------------------------------------------------------------------------- lexicon

_MONTH_FULL = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ANY = r"(?-i:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_WEEKDAY = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: Position modifiers kept in the extent but not in the value ("the end of 2009").
_POS = r"(?:(?:the )?(?:end|start|beginning|middle|close|turn|rest|remainder) of |(?:early|late)[- ]|mid-?)?"
_NUMBERS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())} | {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozen": 12,
    "a dozen": 12, "a couple of": 2, "a": 1, "an": 1}  # fmt: skip
_NUM = (
    r"(?P<num>\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|a hundred|hundred|a dozen|dozen|a couple of|a few|several|few|many|an?)"
    r"(?P<half> and a half)?"
)
_UNIT = r"(?P<unit>seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?|decades?|centur(?:y|ies))"
_UNIT_CODE = {"second": "TS", "minute": "TM", "hour": "TH", "day": "D", "week": "W",
              "fortnight": "W", "month": "M", "year": "Y", "decade": "Y", "century": "Y"}  # fmt: skip
#: MEANTIME writes decades as years ("the past decade" P10Y).
_UNIT_SCALE = {"fortnight": 2, "decade": 10, "century": 100}
_REFS = {"now": "PRESENT_REF", "currently": "PRESENT_REF", "presently": "PRESENT_REF",
         "nowadays": "PRESENT_REF", "present": "PRESENT_REF", "the present": "PRESENT_REF",
         "these days": "PRESENT_REF", "the moment": "PRESENT_REF",
         "the time being": "PRESENT_REF", "recently": "PAST_REF", "more recently": "PAST_REF",
         "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
         "soon": "FUTURE_REF", "very soon": "FUTURE_REF"}  # fmt: skip
_SETS = {"annually": "P1Y", "annual": "P1Y", "yearly": "P1Y", "daily": "P1D",
         "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M", "hourly": "PT1H"}  # fmt: skip


def _unit_name(raw: str) -> str:
    raw = raw.lower()
    return "century" if raw.startswith("centur") else raw.rstrip("s")


def _number(match: re.Match[str]) -> str:
    """The amount of a duration as TIMEX3 writes it: "3", "2.5", or "X" when vague."""
    raw = match.group("num").lower().replace("-", " ")
    words = raw.split()
    if raw[0].isdigit():
        amount = float(raw)
    elif raw in _NUMBERS:
        amount = _NUMBERS[raw]
    elif len(words) == 2 and words[0] in _NUMBERS and words[1] in _NUMBERS:
        amount = _NUMBERS[words[0]] + _NUMBERS[words[1]]
    else:
        return "X"  # several, a few, many
    amount += 0.5 if match.group("half") else 0
    return f"{amount:g}"


# --------------------------------------------------------------------------- handlers


def _leading_int(raw: str) -> int:
    digits = re.match(r"\d+", raw)
    return int(digits.group()) if digits else 0


def _day_reading(year: int, month: int, day: int, anchor: str) -> _Reading | None:
    try:
        return _Reading("DATE", date(year, month, day).isoformat(), anchor)
    except ValueError:
        return None


def _h_full_date(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _day_reading(int(m["year"]), _month_of(m["month"]), _leading_int(m["day"]), "absolute")


def _h_iso(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _day_reading(int(m["year"]), int(m["mon"]), int(m["day"]), "absolute")


def _h_numeric(m: re.Match[str], ctx: _Context) -> _Reading | None:
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    year += 0 if year > 99 else (2000 if year < 50 else 1900)
    day_first = ctx.config.day_first
    if a > 12 >= b or b > 12 >= a:
        day_first = a > 12
    if day_first is None:
        return None  # 04/09/25: April 9 or 4 September? Not read.
    return _day_reading(year, b if day_first else a, a if day_first else b, "absolute")


def _h_month_day(m: re.Match[str], ctx: _Context) -> _Reading | None:
    month, day = _month_of(m["month"]), _leading_int(m["day"])
    if day > monthrange(2024, month)[1]:
        return None
    return _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx)


def _h_month_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _Reading("DATE", f"{m['year']}-{_month_of(m['month']):02d}", "absolute")


#: "May" alone is a month only after one of these words (else the modal verb).
_MAY_BEFORE = re.compile(
    r"\b(?:in|since|until|by|from|to|of|during|before|after|early|late|mid|last|next|this|and|or|through)[\s-]*$",
    re.IGNORECASE,
)


def _h_month(m: re.Match[str], ctx: _Context) -> _Reading | None:
    month = _month_of(m["month"])
    if m["t"] == "May" and not _MAY_BEFORE.search(m.string, max(0, m.start() - 12), m.start()):
        return None
    if m["year"]:  # "April and October 2024": the year printed after the pair
        return _Reading("DATE", f"{m['year']}-{month:02d}", "absolute")
    rel = (m["rel"] or "").lower()
    if ctx.dct is None or not rel:
        return _yearless(f"{{year}}-{month:02d}", ctx)
    tense: Tense = "past" if rel in ("last", "past") else "future" if rel == "next" else ctx.tense
    if rel == "this":
        return _Reading("DATE", f"{ctx.dct.year}-{month:02d}", "dct")
    return _yearless(f"{{year}}-{month:02d}", _Context(ctx.dct, tense, None, None, ctx.config))


def _h_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    prefix = "FY" if m["fy"] else ""
    return _Reading("DATE", prefix + m["year"], "absolute")


_AGE_BEFORE = re.compile(r"\b(?:their|his|her|in (?:the|their|his|her) (?:early|mid|late))[\s-]*$")


def _h_decade(m: re.Match[str], ctx: _Context) -> _Reading | None:
    if not m["c"] and _AGE_BEFORE.search(m.string, max(0, m.start() - 20), m.start()):
        return None  # "in their 20s": an age
    if m["c"]:
        return _Reading("DATE", m["c"] + m["d"], "absolute")
    # "the 70s": the latest such decade begun by the DCT ("the 20s" is the 1920s in 2009)
    if ctx.dct is None:
        return _Reading("DATE", "19" + m["d"] if m["d"] >= "3" else "XXX", "dct")
    century = ctx.dct.year // 100 - (int(m["d"]) * 10 > ctx.dct.year % 100)
    return _Reading("DATE", f"{century}{m['d']}", "dct")


def _h_century(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _Reading("DATE", f"{int(m['n']) - 1:02d}", "absolute")


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4,
             "4th": 4, "final": 4, "last": 4, "latter": 2}  # fmt: skip


def _year_phrase(m: re.Match[str], ctx: _Context) -> str | None:
    """The year of "of 2009" / "of last year" / "of this year", or ``None`` if not printed."""
    if m["year"]:
        return str(m["year"])
    rel = (m["ry"] or "").lower()
    if not rel:
        return None
    if ctx.dct is None:
        return "XXXX"
    return str(ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0))


def _h_part_of_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """Quarters and halves: "the first quarter of 2009", "Q3", "the last quarter"."""
    kind = "H" if "half" in m["t"].lower() else "Q"
    ordinal = (m["ord"] or "").lower()
    number = int(m["qn"]) if m["qn"] else _ORDINALS[ordinal]
    year = _year_phrase(m, ctx)
    if year is None and kind == "H":
        return None  # "the first half" of a match, not of a year
    if year is not None:
        return _Reading("DATE", f"{year}-{kind}{number}", "absolute" if m["year"] else "dct")
    if ordinal == "last" and kind == "Q":  # "the last quarter": the one before the DCT's
        if ctx.dct is None:
            return _Reading("DATE", _X["quarter"], "dct")
        return _Reading("DATE", _relative_value(ctx.dct, "quarter", -1), "dct")
    return _yearless(f"{{year}}-{kind}{number}", ctx)


def _h_season(m: re.Match[str], ctx: _Context) -> _Reading | None:
    season, rel = _SEASONS[m["s"].lower()], (m["rel"] or "").lower()
    if m["s"].lower() == "fall" and not (rel in ("this", "last", "next") or m["year"]):
        return None  # "a fall in sales"
    if m["year"]:
        return _Reading("DATE", f"{m['year']}-{season}", "absolute")
    tense = _REL_TENSE.get(rel, ctx.tense)
    return _yearless(f"{{year}}-{season}", _Context(ctx.dct, tense, None, None, ctx.config))


def _h_holiday(m: re.Match[str], ctx: _Context) -> _Reading | None:
    month, day = _HOLIDAYS[m["h"].lower()]
    if m["year"]:
        return _day_reading(int(m["year"]), month, day, "absolute")
    return _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx)


_STEPS = {"this": 0, "current": 0, "the current": 0, "earlier this": 0, "later this": 0,
          "last": -1, "previous": -1, "the previous": -1, "this past": -1, "past": -1,
          "next": 1, "coming": 1, "the coming": 1, "following": 1, "the following": 1,
          "this coming": 1, "the": 0}  # fmt: skip


_SIDES: dict[str, Literal["before", "after"]] = {"earlier this": "before", "later this": "after"}
_REL_TENSE: dict[str, Tense] = {"last": "past", "next": "future"}


def _h_rel_unit(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "last week", "this year", "next month", "the end of the year"."""
    unit = m["unit"].lower()
    if ctx.dct is None:
        return _Reading("DATE", _X[unit], "dct")
    rel = " ".join((m["rel"] or "the").lower().split())
    value = _relative_value(ctx.dct, unit, _STEPS[rel])
    # TIMEX3 keeps the whole week as the value; the interval keeps only the part meant.
    return _Reading("DATE", value, "dct", None, ctx.dct, _SIDES.get(rel))


_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this": 0, "last": -1,
            "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip


def _with_part_of_day(day: str, part: str | None, anchor: str) -> _Reading:
    if part:
        return _Reading("TIME", f"{day}T{_PART_OF_DAY[part.lower()]}", anchor)
    return _Reading("DATE", day, anchor)


def _h_deictic(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "today", "yesterday", "tonight", "this morning", "last night"."""
    word = " ".join((m["d"] or m["d2"]).lower().split())
    part = m["pod"] or m["pod2"] or ("night" if word == "tonight" else None)
    if ctx.dct is None:
        return _with_part_of_day(_X["day"], part, "dct")
    day = ctx.dct + timedelta(days=_DEICTIC[word])
    return _with_part_of_day(day.isoformat(), part, "dct")


def _weekday_date(dct: date, weekday: int, rel: str, tense: Tense) -> date:
    back = (dct.weekday() - weekday) % 7
    ahead = (weekday - dct.weekday()) % 7
    if rel in ("last", "past", "this past"):
        return dct - timedelta(days=back or 7)
    if rel in ("next", "coming", "this coming"):
        return dct + timedelta(days=ahead or 7)
    if rel == "this":  # the day of the DCT's Monday-Sunday week
        return dct + timedelta(days=weekday - dct.weekday())
    return dct + timedelta(days=ahead) if tense == "future" else dct - timedelta(days=back)


def _h_weekday(m: re.Match[str], ctx: _Context) -> _Reading | None:
    weekday = _WEEKDAYS[m["wd"].lower()[:3]]
    if m["pl"]:  # "on Mondays"
        return _Reading("SET", f"XXXX-WXX-{weekday + 1}", "absolute")
    if ctx.dct is None:
        return _with_part_of_day(f"XXXX-WXX-{weekday + 1}", m["pod"], "dct")
    day = _weekday_date(ctx.dct, weekday, (m["rel"] or "").lower(), ctx.tense)
    return _with_part_of_day(day.isoformat(), m["pod"], "dct")


def _h_same_period(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the same month a year ago": the period last mentioned, one year back."""
    if ctx.period is not None:
        year = int(ctx.period.value[:4]) - 1
        value = f"{year}{ctx.period.value[4:]}"
        if interval_of(value) is not None:
            return _Reading("DATE", value, f"expr@{ctx.period.start}")
    if ctx.dct is None:
        return _Reading("DATE", _X["year"], "dct")
    return _Reading("DATE", str(ctx.dct.year - 1), "dct")


_GRAIN = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5, "century": 6}


def _grain_of(value: str) -> int:
    """How fine a resolved value is, on the ``_GRAIN`` scale."""
    if len(value) == 10:
        return 0
    if "-W" in value:
        return 1
    if "-Q" in value:
        return 3
    return 2 if len(value) == 7 else 4


def _base(ctx: _Context, unit: str, dct_ok: bool) -> tuple[date, str] | None:
    """What an anaphoric expression counts from: the last period mentioned, if fine
    enough for ``unit`` ("the following day" needs a day), else the DCT when allowed."""
    if ctx.period is not None and _grain_of(ctx.period.value) <= _GRAIN[unit]:
        return _bounds(ctx.period.value)[0], f"expr@{ctx.period.start}"
    if dct_ok and ctx.dct is not None:
        return ctx.dct, "dct"
    return None


def _h_ago(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "two days ago", "a week from now" (from the DCT); "two days later" (from the
    last date mentioned)."""
    amount, unit = _number(m), _unit_name(m["unit"])
    direction = m["dir"].lower()
    if unit not in _GRAIN:  # "ten minutes later": a clock time we cannot place
        return _Reading("DATE", _X["day"], "dct")
    base = _base(ctx, unit, False) if direction in ("later", "earlier") else None
    if direction not in ("later", "earlier") and ctx.dct is not None:
        base = ctx.dct, "dct"
    if base is None or amount == "X" or "." in amount:
        return _Reading("DATE", _X.get(unit, "XXXX-XX-XX"), "dct")
    step = int(amount) * (-1 if direction in ("ago", "earlier") else 1)
    return _Reading("DATE", _relative_value(base[0], unit, step), base[1])


_ANAPHORIC_STEPS = {"following": 1, "next": 1, "after": 1, "later": 1, "previous": -1,
                    "prior": -1, "before": -1, "earlier": -1, "same": 0, "that": 0, "entire": 0,
                    "whole": 0, "full": 0}  # fmt: skip


def _h_anaphoric(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the following day", "the previous year", "that week": from the last date mentioned."""
    unit = (m["unit"] or m["unit2"] or m["unit3"]).lower()
    step = _ANAPHORIC_STEPS[(m["rel"] or m["rel2"] or m["rel3"] or "that").lower()]
    base = _base(ctx, unit, step != 0 and unit != "day")
    if base is None:
        return _Reading("DATE", _X[unit], "dct")
    return _Reading("DATE", _relative_value(base[0], unit, step), base[1])


def _h_weekend(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the weekend": the coming one in a future clause, else the last one begun."""
    if ctx.dct is None:
        return _Reading("DATE", _X["weekend"], "dct")
    started = ctx.dct.weekday() >= 5
    step = 0 if ctx.tense == "future" or started else -1
    return _Reading("DATE", _relative_value(ctx.dct, "weekend", step), "dct")


def _h_duration(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "three years" P3Y, "48 hours" PT48H, "the past decade" P10Y, "12-hour" PT12H."""
    unit = _unit_name(m["unit"])
    if unit == "second" and (m["num"] or "").lower() in ("a", "an"):
        return None  # "a second order": the ordinal
    amount = _number(m) if m["num"] else "1"
    if amount != "X":
        amount = f"{float(amount) * _UNIT_SCALE.get(unit, 1):g}"
    code = _UNIT_CODE[unit]
    value = f"PT{amount}{code[1]}" if code.startswith("T") else f"P{amount}{code}"
    return _Reading("DURATION", value, "absolute")


def _h_vague_duration(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "for years", "recent years", "over the years": an unknown number of units."""
    unit = _unit_name(m["unit"])
    code = "DE" if unit == "decade" else _UNIT_CODE[unit]
    return _Reading(
        "DURATION", f"PT{code[1]}X" if code.startswith("T") else f"PX{code}", "absolute"
    )


def _h_set(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "every year" P1Y, "annually", "twice a year"."""
    word = m["t"].lower()
    if word in _SETS:
        return _Reading("SET", _SETS[word], "absolute")
    unit = _unit_name(m["unit"])
    code = _UNIT_CODE[unit]
    return _Reading("SET", f"PT1{code[1]}" if code.startswith("T") else f"P1{code}", "absolute")


def _h_ref(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _Reading("DATE", _REFS[" ".join((m["t"] or m["t2"]).lower().split())], "absolute")


def _clock(m: re.Match[str]) -> str | None:
    if m["noon"]:
        return "12:00" if m["noon"].lower() == "noon" else "00:00"
    hour, minute = int(m["h"] or m["h2"]), int(m["mi"] or m["mi2"] or 0)
    ampm = (m["ampm"] or "").lower().replace(".", "").replace(" ", "")
    hour += 12 if ampm == "pm" and hour < 12 else 0
    hour -= 12 if ampm == "am" and hour == 12 else 0
    return f"{hour:02d}:{minute:02d}" if hour < 24 else None


def _time_day(m: re.Match[str], ctx: _Context) -> tuple[str, str]:
    """The day of a clock time and what it was anchored to."""
    word = (m["day"] or "").lower()
    if ctx.dct is not None and word in _DEICTIC:
        return (ctx.dct + timedelta(days=_DEICTIC[word])).isoformat(), "dct"
    if ctx.dct is not None and word:
        return _weekday_date(ctx.dct, _WEEKDAYS[word[:3]], "", ctx.tense).isoformat(), "dct"
    if ctx.day is not None:
        return ctx.day.value[:10], f"expr@{ctx.day.start}"
    if ctx.dct is not None:
        return ctx.dct.isoformat(), "dct"
    return _X["day"], "dct"


def _h_time(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "5:53 AM", "18:00 UTC", "12:00 UTC Monday", "noon"."""
    clock = _clock(m)
    if clock is None:
        return None
    day, anchor = _time_day(m, ctx)
    zone = (m["tz"] or "").upper()
    utc = zone in ("UTC", "GMT", "Z") and not m["off"]
    printed = re.sub(r"\s+", "", f"{m['tz'] or ''}{m['off'] or ''}") or None
    return _Reading("TIME", f"{day}T{clock}{'Z' if utc else ''}", anchor, printed)


# --------------------------------------------------------------------------- rules


def _rule(name: str, pattern: str, handler: Handler) -> _Rule:
    return _Rule(name, re.compile(pattern, re.IGNORECASE), handler)


_WD_PREFIX = _WEEKDAY + r",? (?:the )?"
_TZ = r"(?:\s*\(?\s*(?P<tz>UTC|GMT|Z|[ECMP][SD]T|BST|CES?T)(?:\s*(?P<off>[+-−]\s*\d{1,2}(?::?\d\d)?))?(?:\s*\))?)?"

#: Order matters only for ties (same start and end): the earlier rule wins.
RULES: tuple[_Rule, ...] = (
    _rule("iso", r"\b(?P<year>" + _YEAR + r")-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b", _h_iso),
    _rule("numeric", r"(?<![\d/.])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)?\d\d)\b(?![/.]\d)", _h_numeric),
    _rule("month_day_year", r"\b(?:" + _WD_PREFIX + r")?(?P<month>" + _MONTH_ANY + r") (?P<day>" + _DAY + r")\b,? (?P<year>" + _YEAR + r")\b", _h_full_date),
    _rule("day_month_year", r"\b(?:" + _WD_PREFIX + r")?(?:the )?(?P<day>" + _DAY + r") (?:of )?(?P<month>" + _MONTH_ANY + r"),? (?P<year>" + _YEAR + r")\b", _h_full_date),
    _rule("month_day", r"\b(?:" + _WD_PREFIX + r")?(?P<month>" + _MONTH_ANY + r") (?P<day>" + _DAY + r")\b(?![:.,]?\d)", _h_month_day),
    _rule("day_month", r"\b(?:" + _WD_PREFIX + r")?(?:the )?(?P<day>" + _DAY + r") (?:of )?(?P<month>" + _MONTH_ANY + r")\b", _h_month_day),
    _rule("month_year", r"\b(?P<t>" + _POS + r"(?P<month>" + _MONTH_ANY + r"),? (?:of )?(?P<year>" + _YEAR + r"))\b", _h_month_year),
    _rule("month_pair", r"\b(?P<t>(?P<month>" + _MONTH_FULL + r"))(?= (?:and|or|to|through|until|-|–) " + _MONTH_FULL + r",? (?P<year>" + _YEAR + r")\b)(?P<rel>)", _h_month),
    _rule("month", r"\b(?P<t>(?:(?P<rel>this|last|next|past) )?" + _POS + r"(?P<month>" + _MONTH_FULL + r"))\b(?P<year>)", _h_month),
    _rule("year", r"(?<![\d$£€#./,-])\b(?P<t>" + _POS + r"(?P<fy>(?:fiscal|financial) (?:year )?|FY ?)?(?P<year>" + _YEAR + r"))\b(?![-/.,]\d|%| percent| (?:jobs|workers|employees|people|units|cars|vehicles|aircraft|planes|shares|passengers|seats|tons|tonnes|barrels|miles|km|feet)\b)", _h_year),
    _rule("decade", r"(?<![\w'])(?P<t>(?:(?:early|late|mid)[- ])?(?:(?P<c>19|20)|')?(?P<d>\d)0'?s)\b", _h_decade),
    _rule("century", r"\b(?:the )?(?P<n>1\d|2[01])(?:st|nd|rd|th) century\b", _h_century),
    _rule("quarter", r"\b(?P<t>(?:the )?(?:(?:fiscal|financial|calendar) )?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[- ](?:fiscal[- ])?(?:quarter|half)(?: of (?:(?:the )?(?:fiscal )?(?P<year>" + _YEAR + r")|(?P<ry>this|last|next|the) year))?)(?P<qn>)\b", _h_part_of_year),
    _rule("quarter_q", r"\b(?P<t>Q(?P<qn>[1-4])(?: (?P<year>" + _YEAR + r"))?)(?P<ord>)(?P<ry>)\b", _h_part_of_year),
    _rule("season", r"\b(?P<t>(?:(?P<rel>this|last|next|early|late|the) )?(?P<s>spring|summer|autumn|winter|fall)(?: (?:of )?(?P<year>" + _YEAR + r"))?)\b", _h_season),
    _rule("holiday", r"\b(?-i:(?P<h>Christmas(?: Day| Eve)?|New Year's (?:Day|Eve)|Valentine's Day|Halloween|Independence Day))(?: (?P<year>" + _YEAR + r"))?\b", _h_holiday),
    _rule("rel_unit", r"\b(?P<t>" + _POS + r"(?P<rel>this(?: past| coming)?|last|next|coming|current|(?:earlier|later) this|the (?:current|coming)) (?P<unit>weekend|week|month|year|quarter|decade|century))\b", _h_rel_unit),
    _rule("period_of", r"\b(?P<t>(?:the )?(?:end|start|beginning|middle|close|rest|remainder) of the (?P<unit>week|month|year|quarter))\b(?P<rel>)", _h_rel_unit),
    _rule("deictic", r"\b(?P<t>(?:(?:earlier|later) )?(?P<d>today|tonight|yesterday|tomorrow|the day (?:before yesterday|after tomorrow))(?: (?P<pod>morning|afternoon|evening|night))?|(?P<d2>this|last) (?P<pod2>morning|afternoon|evening|night))\b", _h_deictic),
    _rule("weekday", r"\b(?P<t>(?:(?P<rel>last|next|this(?: past| coming)?|coming|past) )?(?P<wd>" + _WEEKDAY + r")(?P<pl>s)?(?: (?P<pod>morning|afternoon|evening|night))?)\b", _h_weekday),
    _rule("same_period", r"\b(?P<t>the same (?:month|period|quarter|week|day|time)(?: of)? (?:a year (?:ago|earlier|before)|last year|(?:the )?(?:previous|prior|last) year|the year before))\b", _h_same_period),
    _rule("ago", r"\b(?P<t>" + _NUM + r" " + _UNIT + r" (?P<dir>ago|from now|hence|later|earlier))\b(?! than)", _h_ago),
    _rule("anaphoric", r"\b(?P<t>(?:the (?P<rel>following|previous|prior|same|entire|whole|full)|that) (?P<unit>day|week|month|quarter|year)|the (?P<unit2>day|week|month|year) (?P<rel2>before|after|earlier|later|previous|prior)|the (?P<rel3>next) (?P<unit3>day))\b", _h_anaphoric),
    _rule("weekend", r"\b(?P<t>the weekend)\b", _h_weekend),
    _rule("set_per", r"\b(?:times|once|twice|\d[\d,.]*%?|(?:m|b|tr)illion|percent|dollars|euros|pounds) (?P<t>(?:a|an|per|each) (?P<unit>year|month|week|day|hour))\b", _h_set),
    _rule("set_every", r"\b(?P<t>(?:every|each)(?: other)? (?P<unit>year|month|week|day|hour)|(?-i:annually|annual|yearly|daily|weekly|monthly|quarterly|hourly))\b", _h_set),
    _rule("duration", r"\b(?P<t>(?:(?:almost|nearly|about|around|approximately|roughly|more than|less than|at least|up to|just over|just under) )?(?:the (?:past|last|next|coming|first|previous|following|final|initial|remaining) )?" + _NUM + r"[ -]" + _UNIT + r")\b(?!-old|-olds)", _h_duration),
    _rule("duration_the", r"\b(?P<t>the (?:past|last|next|coming) (?P<unit>decade|century|year|month|week|fortnight))\b(?P<num>)(?P<half>)", _h_duration),
    _rule("vague_duration", r"\b(?P<t>(?:(?:the )?(?:recent|past|coming|next|last|(?:past|last|next|coming) (?:few|several)|several|many|a few) (?P<unit>years|months|weeks|decades|days|hours)))\b", _h_vague_duration),
    _rule("vague_duration_prep", r"\b(?:for|in|over|after|within) (?P<t>(?P<unit>years|months|decades|weeks))\b(?! (?:ago|of)\b)", _h_vague_duration),
    _rule("vague_duration_decades", r"\b(?P<t>(?P<unit>decades))\b(?! (?:ago|of|old)\b)", _h_vague_duration),
    _rule("vague_duration_long", r"\b(?P<t>(?P<unit>years|months|weeks|decades)-long)\b", _h_vague_duration),
    _rule("vague_duration_over", r"\b(?P<t>over the (?P<unit>years|decades|months))\b", _h_vague_duration),
    _rule("ref", r"\b(?P<t>now|currently|presently|nowadays|these days|(?:more )?recently|the (?:near )?future|(?:very )?soon|the time being|the past|the present)\b(?!-)(?<!\bas soon)(?! as\b)|(?<=\bat )(?P<t2>present|the moment)\b", _h_ref),
    _rule("time", r"(?<![\d:.])(?P<t>(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*(?P<ampm>[ap]\.\s?m\.?|[ap]m\b)|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])|(?P<noon>noon|midnight))" + _TZ + r"(?:,?\s+(?:on\s+)?(?P<day>today|tonight|yesterday|tomorrow|" + _WEEKDAY + r"))?)", _h_time),
)  # fmt: skip


# --------------------------------------------------------------------------- engine

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]”’]*\s+(?=[\"'(\[“‘]?[A-Z0-9])|\n")
_TENSE = re.compile(
    r"\b(?P<fut>will|won't|shall|should|must|might|may|going to|plans? to|planned to|expects? to|"
    r"expected to|scheduled|due (?:to|for|in)|set (?:to|for)|is to|are to|to be|intends? to|aims? to|would|upcoming)\b|"
    r"'ll\b|\b(?P<neu>(?:be|been|being) (?:[a-z]+ly )?[a-z]{2,}ed)\b|"
    r"\b(?P<past>was|were|had|did|said|told|ago|[a-z]{2,}ed)\b"
)  # passives ("be approved") say nothing about when; "has" is as often present as perfect


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


def _tense_at(text: str, start: int, end: int, at: int) -> Tense:
    """The tense governing offset ``at`` of the sentence ``[start, end)``."""
    if _CUE_PAST.search(text, max(start, at - 12), at):
        return "past"
    if _CUE_FUTURE.search(text, max(start, at - 12), at):
        return "future"
    before: Tense | None = None
    after: Tense | None = None
    for match in _TENSE.finditer(text, start, end):
        if match.group("neu"):
            continue
        tense: Tense = "past" if match.group("past") else "future"
        if match.end() <= at:
            before = tense
        elif after is None and match.start() >= at:
            after = tense
    return before or after or "none"


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


def _candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    for priority, rule in enumerate(RULES):
        for match in rule.pattern.finditer(text):
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
    """The part of ``span`` before ("earlier this week") or after the DCT."""
    if span is None or reading.side is None or reading.dct is None:
        return span
    if reading.side == "before":
        return DateValue(span.earliest, reading.dct, span.precision)
    return DateValue(reading.dct, span.latest, span.precision)


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


def _context(text: str, cand: _Candidate, starts: tuple[int, ...], state: _Context) -> _Context:
    """The context of one candidate: its clause's tense and the day it may hang on."""
    index = bisect_right(starts, cand.start) - 1
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    tense = _tense_at(text, starts[index], end, cand.start) if state.tense != "none" else "none"
    day = state.day if state.day is not None and state.day.start >= starts[index] else None
    return _Context(state.dct, tense, day, state.period, state.config)


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
    starts = _sentence_starts(text)
    out: list[TimeExpression] = []
    for cand in _select(_candidates(text)):
        reading = cand.rule.handler(cand.match, _context(text, cand, starts, state))
        if reading is None:
            continue
        out.append(_record(cand, reading, text, doc_id))
        state = _remember(state, out[-1])
    return tuple(out)


def _remember(state: _Context, found: TimeExpression) -> _Context:
    """Keep the expressions later ones may be anchored to (a day, a period)."""
    if found.type != "DATE" or found.interval is None or len(found.value) < 4:
        return state  # a decade or century is too coarse to count from
    day = found if len(found.value) == 10 else state.day
    return _Context(state.dct, state.tense, day, found, state.config)
