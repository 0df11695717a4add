"""Regex fragments and word tables the rules are written with.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re

_MONTH_FULL = (
    r"(?-i:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ANY = r"(?-i:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|Aug(?:ust|\.)?|Sep(?:t(?:ember)?)?\.?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
_WEEKDAY = r"(?-i:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day)"
_YEAR = r"(?:19|20)\d\d"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
#: Position modifiers kept in the extent but not in the value ("the end of 2009").
_POS = r"(?:(?:the )?(?:very )?(?:end|start|beginning|middle|close|turn|rest|remainder) of |(?:early|late)[- ]|mid-?)?"
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
