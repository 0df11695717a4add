"""Dates: read printed dates into ``DateValue`` records.

This module reads dates *as printed* ("Apr 9, 2025, 5:53 AM (GMT+3)",
"09 April 2025 12:58", "2025-04-09T05:53:00+03:00"). It keeps the precision the
page states (a day, or a minute) and the zone as printed, and never fills in
what is not there: "April 2025" is a month-precision interval, not April 1st.

Ambiguous numeric forms (``04/09/2025``) are read only when the day is
unambiguous (> 12) or when a locale order is given; otherwise they are not read.

Resolving relative expressions ("last week", "on Tuesday") against a document's
date belongs here too and comes with the timeline issue.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from storytrace.records import DatePrecision, DateValue, Evidence, TextRef

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_TIME = (
    r"(?:(?:,|\s+at|\s*[-–|•]|\s)\s*(?P<hour>[0-2]?\d)[:.h](?P<minute>[0-5]\d)"
    r"(?::(?P<second>[0-5]\d))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
)
_TZ = (
    r"(?:\s*\(?\s*(?P<tz>(?:GMT|UTC)\s*[+-−]\s*\d{1,2}(?::?\d\d)?|(?:GMT|UTC|Z)\b|"
    r"[+-]\d\d:?\d\d|(?:[ECMP][SD]T|BST|CET|CEST|EET|EEST|IST|MSK|JST|AEST|AEDT)\b)\s*\)?)?"
)

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        (
            "iso",
            r"(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)"
            r"(?:[T ](?P<hour>[0-2]\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d)(?:\.\d+)?)?"
            r"(?P<tz>Z|[+-]\d\d:?\d\d)?)?",
        ),
        ("month_day_year", _WEEKDAY + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME + _TZ),
        ("day_month_year", _WEEKDAY + _DAY + r"\.?\s+(?:of\s+)?" + _MONTH + r",?\s+" + _YEAR + _TIME + _TZ),
        ("numeric", r"(?P<a>[0-3]?\d)[./](?P<b>[0-3]?\d)[./]" + _YEAR + _TIME + _TZ),
        ("month_year", _MONTH + r"\s+" + _YEAR),
    )
)  # fmt: skip

# Zone abbreviations with one unambiguous offset in news use (hours).
_TZ_ABBREV = {
    "GMT": 0, "UTC": 0, "Z": 0, "EST": -5, "EDT": -4, "CST": -6, "CDT": -5,
    "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "BST": 1, "CET": 1, "CEST": 2,
    "EET": 2, "EEST": 3, "MSK": 3, "JST": 9, "AEST": 10, "AEDT": 11,
}  # fmt: skip
# "IST" is India, Ireland or Israel: kept as printed, never converted.


@dataclass(frozen=True, slots=True)
class DateMatch:
    """A printed date found in a text: its span and its value."""

    start: int
    end: int
    value: DateValue


def _offset(tz: str | None) -> timezone | None:
    """A printed zone to a fixed offset, or ``None`` when not convertible."""
    if not tz:
        return None
    raw = tz.upper().replace("−", "-").replace(" ", "")
    if raw in _TZ_ABBREV:
        return timezone(timedelta(hours=_TZ_ABBREV[raw]))
    match = re.fullmatch(r"(?:GMT|UTC)?([+-])(\d{1,2}):?(\d\d)?", raw)
    if not match:
        return None
    sign = -1 if match.group(1) == "-" else 1
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    # Real UTC offsets lie between -12:00 and +14:00; "GMT+35" is a typo or noise,
    # kept as printed text and not converted (found by fuzzing: timezone() raises).
    if minutes > 14 * 60 or int(match.group(3) or 0) >= 60:
        return None
    return timezone(sign * timedelta(minutes=minutes))


def _ymd(
    name: str, groups: dict[str, str | None], day_first: bool | None
) -> tuple[int, int, int] | None:
    year = int(groups["year"] or 0)
    if name == "iso":
        return year, int(groups["mon"] or 0), int(groups["day"] or 0)
    if name == "numeric":
        a, b = int(groups["a"] or 0), int(groups["b"] or 0)
        if day_first is None:
            if a > 12 >= b:
                day_first = True
            elif b > 12 >= a:
                day_first = False
            else:
                return None  # 04/09/2025: April 9 or 4 September? Not read.
        return (year, b, a) if day_first else (year, a, b)
    month = _MONTHS[(groups["month"] or "").lower().rstrip(".")]
    return year, month, int(groups.get("day") or 1)


def _time(groups: dict[str, str | None]) -> tuple[int, int, int] | None:
    if groups.get("hour") is None:
        return None
    hour, minute = int(groups["hour"] or 0), int(groups["minute"] or 0)
    ampm = (groups.get("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23:
        return None
    return hour, minute, int(groups.get("second") or 0)


def _value(name: str, groups: dict[str, str | None], day_first: bool | None) -> DateValue | None:
    """The DateValue of one regex match, or ``None`` for an impossible date."""
    ymd = _ymd(name, groups, day_first)
    if ymd is None:
        return None
    year, month, day = ymd
    try:
        if name == "month_year":
            last = monthrange(year, month)[1]
            return DateValue(date(year, month, 1), date(year, month, last), "month")
        day_value = date(year, month, day)
    except ValueError:
        return None
    clock = _time(groups)
    if clock is None:
        return DateValue(day_value, day_value, "day")
    tz = groups.get("tz")
    when = datetime(year, month, day, *clock, tzinfo=_offset(tz))
    precision: DatePrecision = "second" if groups.get("second") else "minute"
    return DateValue(when, when, precision, tz=tz.strip() if tz else None)


def find_dates(
    text: str, ref: TextRef = "text", day_first: bool | None = None, base: int = 0
) -> tuple[DateMatch, ...]:
    """Every printed absolute date in ``text``, leftmost-longest, without overlaps.

    Args:
        text (str): the text to search.
        ref (TextRef): which document text ``text`` is, for the evidence.
        day_first (bool | None): order of ambiguous numeric dates; ``None`` reads
            only unambiguous ones.
        base (int): offset of ``text`` in the referenced document text.

    Returns:
        tuple[DateMatch, ...]: matches in text order, each with its evidence span.
    """
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    for name, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            value = _value(name, match.groupdict(), day_first)
            if value is None:
                continue
            snippet = text[start:end].strip()
            evidence = Evidence(
                ref, base + start, base + start + len(snippet), snippet, f"dates.printed.{name}"
            )
            found.append(
                DateMatch(
                    base + start, base + start + len(snippet), _with_evidence(value, evidence)
                )
            )
            taken.append((start, end))
    return tuple(sorted(found, key=lambda m: m.start))


def _with_evidence(value: DateValue, evidence: Evidence) -> DateValue:
    return DateValue(
        value.earliest, value.latest, value.precision, value.tz, False, (evidence,), 0.9
    )


def parse_printed_date(text: str, day_first: bool | None = None) -> DateValue | None:
    """The first printed date in a short string (a dateline, a meta tag value).

    Returns:
        DateValue | None: the date with its precision and zone, or ``None``.
    """
    matches = find_dates(text, "input", day_first)
    return matches[0].value if matches else None
