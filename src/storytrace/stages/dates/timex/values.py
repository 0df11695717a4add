"""TIMEX3 values: calendar arithmetic, value -> interval, and year picking by tense.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from storytrace.records import DateValue
from storytrace.stages.dates.timex.model import Tense, TimexConfig, _Context, _Reading

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


def _year(year: int) -> str:
    """A TIMEX3 year: four digits ("0999", never "999", which is a decade); X's for
    one outside the calendar (a DCT's neighbour past year 9999 or before year 1)."""
    return f"{year:04d}" if 1 <= year <= 9999 else _X["year"]


def _week_value(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{_year(year)}-W{week:02d}"


def _relative_value(dct: date, unit: str, step: int) -> str:
    """The value of the ``unit`` ``step`` units from the DCT's (0 = this one)."""
    if unit == "day":
        return (dct + timedelta(days=step)).isoformat()
    if unit in ("week", "weekend"):
        week = _week_value(dct + timedelta(weeks=step))
        return week + "-WE" if unit == "weekend" else week
    if unit == "month":
        year, month = _shift_month(dct, step)
        return f"{_year(year)}-{month:02d}"
    if unit == "quarter":
        year, month = _shift_month(dct, 3 * step)
        return f"{_year(year)}-Q{(month - 1) // 3 + 1}"
    if unit == "decade":
        decade = dct.year // 10 + step
        return f"{decade:03d}" if 0 <= decade <= 999 else _X["decade"]
    if unit == "century":
        century = dct.year // 100 + step
        return f"{century:02d}" if 0 <= century <= 99 else _X["century"]
    return _year(dct.year + step)


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
            except (ValueError, OverflowError):  # 2025-02-30, week 54, past 9999: no date
                return None
    return None


def _fiscal_split(value: str) -> tuple[str, str]:
    """ "FY2007" -> ("FY", "2007"); any other value -> ("", value)."""
    return ("FY", value[2:]) if value.startswith("FY") else ("", value)


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
    """A month/day/quarter/season without a year: the year is picked around the DCT.

    When no year around the DCT makes it a calendar date ("Feb. 29" read in 2022, "Feb.
    30") the year stays unknown (XXXX), never an error.
    """
    unknown = _Reading("DATE", template.format(year="XXXX"), "dct")
    if ctx.dct is None:
        return unknown
    years = [_year(y) for y in (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)]
    values = [
        v for v in (template.format(year=y) for y in years if y != _X["year"]) if interval_of(v)
    ]
    if not values:
        return unknown
    value = _pick(values, ctx.dct, ctx.tense, ctx.config)
    return _Reading("DATE", value, "dct")
