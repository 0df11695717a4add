"""Records and options of the time-expression tagger.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from storytrace.records import TimeExpression, TimexType

METHOD = "timex.rules.v4"

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
    # last resolved day/week/month/quarter/year in the text, or an unresolved "the day
    # after <event>", which nothing later may be counted past
    period: TimeExpression | None
    config: TimexConfig
    # the last date whose year was printed ("in 2019", "March 2019", or counted from
    # one: "the following day") when it lies in this sentence or the one before: a
    # year-less day near it is read in that year
    year: TimeExpression | None = None
    # the last quarter mentioned ("the third quarter", "Q3 2025"), whatever came after
    # it: "the quarter" and "the year-ago quarter" are counted from it
    quarter: TimeExpression | None = None
    # the last day a narrative was on: a day-precision date, not one modifying a noun
    # ("Trump's July 25 phone call"); "the day", "in the morning" are read on it
    frame: TimeExpression | None = None


Handler = Callable[[re.Match[str], _Context], "_Reading | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
