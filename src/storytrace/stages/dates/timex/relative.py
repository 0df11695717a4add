"""Handlers of expressions resolved against the DCT or an earlier expression.

"last week", "on Tuesday", "two days later", "18:00 UTC": the value depends on the
document creation time, the clause's tense or the last date mentioned.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, timedelta
from typing import Literal

from storytrace.stages.dates.timex.lexicon import _in_play, _number, _unit_name
from storytrace.stages.dates.timex.model import Tense, _Context, _Reading
from storytrace.stages.dates.timex.values import (
    _PART_OF_DAY,
    _WEEKDAYS,
    _X,
    _bounds,
    _fiscal_split,
    _month_of,
    _relative_value,
    _year,
    _yearless,
    interval_of,
)

_STEPS = {"this": 0, "current": 0, "the current": 0, "earlier this": 0, "later this": 0,
          "last": -1, "previous": -1, "the previous": -1, "this past": -1, "past": -1,
          "next": 1, "coming": 1, "the coming": 1, "following": 1, "the following": 1,
          "this coming": 1, "the": 0}  # fmt: skip


_SIDES: dict[str, Literal["before", "after"]] = {"earlier this": "before", "later this": "after"}


def _h_rel_unit(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "last week", "this year", "next month", "the end of the year", "this fiscal year"."""
    # A fiscal year is named by the DCT's calendar year ("FY2007"): where a company's
    # year starts is not printed, so its interval stays unknown (``interval_of`` is None).
    unit = m["unit"].lower()
    prefix = "FY" if unit.endswith(" year") else ""
    unit = unit.rpartition(" ")[2]
    if ctx.dct is None:
        return _Reading("DATE", prefix + _X[unit], "dct")
    rel = " ".join((m["rel"] or "the").lower().split())
    step = _STEPS[rel]
    if unit == "weekend" and rel == "this" and ctx.tense == "past" and ctx.dct.weekday() < 5:
        step = -1  # "the fair was held this weekend" in a Monday article: the one just gone
    value = prefix + _relative_value(ctx.dct, unit, step)
    # TIMEX3 keeps the whole week as the value; the interval keeps only the part meant.
    return _Reading("DATE", value, "dct", None, ctx.dct, _SIDES.get(rel))


_DEICTIC = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "this": 0, "last": -1,
            "the day before yesterday": -2, "the day after tomorrow": 2}  # fmt: skip


def _with_part_of_day(day: str, part: str | None, anchor: str) -> _Reading:
    if part:
        return _Reading("TIME", f"{day}T{_PART_OF_DAY[part.lower()]}", anchor)
    return _Reading("DATE", day, anchor)


#: "Today" in a name is no date: "USA Today", "(USA Today article)" (ECB+ 18_3ecbplus read
#: it as the DCT), "NBC's Today show", "BBC Radio 4's Today programme".
_OUTLET_BEFORE = re.compile(r"(?:\b[A-Z]{2,}|\bU\.S\.A\.|'s)\s$")
_OUTLET_AFTER = re.compile(
    r"\s(?:show|programme|program|newspaper|paper|article|report|reporter|correspondent|"
    r"host|co-host|anchor|interview|poll|segment|broadcast|website|editor|columnist|staff)\b"
)


def _is_outlet(m: re.Match[str]) -> bool:
    """Whether a capitalised "Today" is (part of) the name of an outlet or a show."""
    word, text, start = m["d"] or "", m.string, m.start()
    if word == "TODAY":  # an all-caps headline says "TODAY" too: only "USA TODAY" is a name
        return text.endswith("USA ", 0, start)
    if word != "Today" or m.start("d") != start:
        return False  # "today", "later Today"
    return bool(
        _OUTLET_BEFORE.search(text, max(0, start - 8), start)
        or _OUTLET_AFTER.match(text, m.end("d"))
    )


def _h_deictic(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "today", "yesterday", "tonight", "this morning", "last night"."""
    if _is_outlet(m):
        return None
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
    """ "the same month a year ago": the period last mentioned, one year back.

    A fiscal period stays fiscal: "the same period of the last year" after "the
    beginning of the financial year" (FY2007) is FY2006.
    """
    if ctx.period is not None and "X" not in ctx.period.value:
        fiscal, core = _fiscal_split(ctx.period.value)
        value = f"{_year(int(core[:4]) - 1)}{core[4:]}"
        if interval_of(value) is not None:
            return _Reading("DATE", fiscal + value, f"expr@{ctx.period.start}")
    if ctx.dct is None:
        return _Reading("DATE", _X["year"], "dct")
    return _Reading("DATE", _year(ctx.dct.year - 1), "dct")


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
    enough for ``unit`` ("the following day" needs a day), else the DCT when allowed.
    Nothing when the last period is itself unresolved (see ``_h_anaphoric``)."""
    if ctx.period is not None and "X" in ctx.period.value:
        return None
    period = _fiscal_split(ctx.period.value)[1] if ctx.period is not None else ""
    if ctx.period is not None and _grain_of(period) <= _GRAIN[unit]:
        return _bounds(period)[0], f"expr@{ctx.period.start}"
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


#: "the day after he lost his job", "the week before the vote": counted from an event
#: named after it, not from the last date printed (ECB+ 18_8ecbplus).
_EVENT_AFTER = re.compile(
    r"\s+(?:the|a|an|his|her|its|their|our|my|your|this|these|those|he|she|it|they|we|I|you|"
    r"[A-Z][a-z]+|[a-z]+ing)\b"
)


def _h_anaphoric(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the following day", "the previous year", "that week": from the last date mentioned.

    "The day after <event>" is unresolved (X's); it is remembered as the last period,
    so "then returned the following week" is not counted from an older date either.
    """
    unit = (m["unit"] or m["unit2"] or m["unit3"]).lower()
    if m["rel2"] and _EVENT_AFTER.match(m.string, m.end()):
        return _Reading("DATE", _X[unit], "dct")
    step = _ANAPHORIC_STEPS[(m["rel"] or m["rel2"] or m["rel3"] or "that").lower()]
    base = _base(ctx, unit, step != 0 and unit != "day")
    if base is None:
        return _Reading("DATE", _X[unit], "dct")
    return _Reading("DATE", _relative_value(base[0], unit, step), base[1])


_QUARTER_VALUE = re.compile(r"(?:FY)?\d{4}-Q[1-4]")


def _h_the_quarter(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "(in) the quarter": the quarter last mentioned ("lost $2.5 billion in the third
    quarter ... revenue fell in the quarter"), even when a year was named since ("Q3
    2025 ... below the record set in 2021. Deal value in the quarter"); nothing when
    none was, as a quarter of something ("a quarter of its shares") is no time."""
    last = ctx.quarter
    if last is None or not _QUARTER_VALUE.fullmatch(last.value):
        return None
    return _Reading("DATE", last.value, f"expr@{last.start}")


def _h_year_ago_period(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the year-ago quarter", "the year-earlier period": the quarter (or period) last
    mentioned, one year back ("third-quarter profit rose from the year-ago quarter":
    the third quarter of the year before); X's when none was mentioned."""
    unit = m["unit"].lower()
    last = ctx.quarter if unit == "quarter" else ctx.period
    if last is not None and "X" not in last.value:
        fiscal, core = _fiscal_split(last.value)
        value = f"{_year(int(core[:4]) - 1)}{core[4:]}"
        if core[:4].isdigit() and interval_of(value) is not None:
            return _Reading("DATE", fiscal + value, f"expr@{last.start}")
    return _Reading("DATE", _X["quarter" if unit == "quarter" else "year"], "dct")


def _h_weekend(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the weekend": the coming one in a future clause, else the last one begun."""
    if ctx.dct is None:
        return _Reading("DATE", _X["weekend"], "dct")
    started = ctx.dct.weekday() >= 5
    step = 0 if ctx.tense == "future" or started else -1
    return _Reading("DATE", _relative_value(ctx.dct, "weekend", step), "dct")


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
    if m["md_m"]:  # "at 10:30 p.m. Aug. 9": the day printed after the clock
        month, day = _month_of(m["md_m"]), int(re.sub(r"\D", "", m["md_d"]))
        if m["md_y"] and day <= monthrange(int(m["md_y"]), month)[1]:
            return date(int(m["md_y"]), month, day).isoformat(), "absolute"
        if not m["md_y"] and day <= monthrange(2024, month)[1]:
            return _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx).value, "dct"
        return _X["day"], "dct"  # "Feb. 30", "Feb. 29, 2021": a day printed, none known
    if ctx.day is not None:
        return ctx.day.value[:10], f"expr@{ctx.day.start}"
    if ctx.dct is not None:
        return ctx.dct.isoformat(), "dct"
    return _X["day"], "dct"


def _h_time(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "5:53 AM", "18:00 UTC", "12:00 UTC Monday", "noon"; not a game clock."""
    clock = _clock(m)
    if clock is None:
        return None
    bare = m["h2"] is not None and not (m["tz"] or m["day"])
    if bare and _in_play(m.string, m.start("t"), m.end("t")):
        return None  # "scored at 7:14 of the first period", "2:55 into overtime"
    day, anchor = _time_day(m, ctx)
    zone = (m["tz"] or "").upper()
    utc = zone in ("UTC", "GMT", "Z") and not m["off"]
    printed = re.sub(r"\s+", "", f"{m['tz'] or ''}{m['off'] or ''}") or None
    return _Reading("TIME", f"{day}T{clock}{'Z' if utc else ''}", anchor, printed)


#: "was last at $60.73, down 2.74% on the day", "up 12 cents on the day": a market
#: wrap's move over the session it reports.
_PRICE_MOVE = re.compile(r"(?:%|\bpercent|\bpoints?|\bcents?|\bpence)[^.;]{0,25}\bon $")


def _h_the_day(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "was down 2.7% on the day", "Later in the day, he testified", "In the morning,
    lawmakers grilled", "asleep during the night": the day last mentioned (a weekday, a
    date; not one modifying a noun) in its sentence or the two before, else the DCT's,
    as a market wrap's "on the day" is the session it reports; not read when that day
    lies further back (an unresolved reading would keep the timeline from placing the
    sentence by its article's date). Only in a past clause: a habit ("drink water throughout
    the day"), a plan ("will vote in the morning": maybe the next day) is not read."""
    part = m["pod"].lower()
    if ctx.tense != "past" or (part != "day" and m.string.endswith("for ", 0, m.start())):
        return None  # "closed for the night": when, not which night
    last = ctx.frame
    if (
        last is not None
        and "X" in last.value
        and _PRICE_MOVE.search(m.string, max(0, m.start() - 40), m.start())
    ):
        last = None  # "down 2.74% on the day": a wrap's session, the DCT's
    if last is not None and "X" in last.value:
        return None  # a day further back, or "the day after <event>": not given
    if last is not None:
        day, anchor = last.value[:10], f"expr@{last.start}"
    elif ctx.dct is not None:
        day, anchor = ctx.dct.isoformat(), "dct"
    else:
        day, anchor = _X["day"], "dct"
    if part == "day":
        return _Reading("DATE", day, anchor)
    return _Reading("TIME", f"{day}T{_PART_OF_DAY[part]}", anchor)


def _h_the_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the second-highest sales of the year thus far", "for the year", "earlier in the
    year": the year of the last date mentioned (a day, a month, a quarter or a year),
    else the DCT's. "The year before", "the year to March", "the year ended Dec. 31",
    "the year 2000" are not this: they are left to other rules or unread."""
    last = ctx.period
    if last is not None and "X" in last.value:
        return None  # counted from an event
    if last is not None:
        fiscal, core = _fiscal_split(last.value)
        if core[:4].isdigit() and _grain_of(core) <= _GRAIN["year"]:
            return _Reading("DATE", fiscal + core[:4], f"expr@{last.start}")
    if ctx.dct is None:
        return _Reading("DATE", _X["year"], "dct")
    return _Reading("DATE", _year(ctx.dct.year), "dct")
