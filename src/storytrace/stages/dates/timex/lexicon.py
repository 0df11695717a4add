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
_POS = r"(?:(?:the )?(?:very )?(?:end|start|beginning|middle|close|turn|rest|remainder) of |(?:early|late)[- ]|mid-?|end-)?"
_NUMBERS = {w: i + 1 for i, w in enumerate(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen".split())} | {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "dozen": 12,
    "a dozen": 12, "a couple of": 2, "a couple": 2, "a": 1, "an": 1}  # fmt: skip
#: "1-1/2 years", "1 1/2 years", "1½ years" (P1.5Y); "half an hour", "a half hour"
#: (PT30M). A bare "half" is not a number here: "the first half year" is a half.
_NUM = (
    r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?(?:(?:-|\s)(?P<frac>[13]/[24])(?!\d)|(?P<frac2>[½¼¾]))?|half an?|a half|"
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen|a hundred|hundred|a dozen|dozen|a couple(?: of)?|a few|several|few|many|an?)"
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


#: Words of a game report: a clock reading ("2:55 into overtime", "at 7:14 of the first
#: period") or a quarter ("late in the fourth quarter", "yards passing in the second
#: quarter") in a sentence holding one is the game's, not the calendar's.
_PLAY = re.compile(
    r"\b(?:overtime|regulation|period|power play|shootout|halftime|touchdowns?|yards?|"
    r"quarterbacks?|field goals?|end zone|interceptions?|fumbles?|rebounds?|free throws?|"
    r"three-pointers?|comebacks?|innings?|tied the game|scored|scoring|goals?|"
    r"assists?|saves)\b|\b\d{1,3}-\d{1,3}\b(?! (?:vote|split|decision|majority|ruling))",
    re.IGNORECASE,
)
_SENTENCE_EDGE = re.compile(r"[.!?][\"'”’)]*\s|\n")


def _in_play(text: str, start: int, end: int) -> bool:
    """Whether the sentence around ``text[start:end]`` reads as a game report."""
    left = max(0, start - 300)
    edges = [m.end() for m in _SENTENCE_EDGE.finditer(text, left, start)]
    first = edges[-1] if edges else left
    after = _SENTENCE_EDGE.search(text, end, min(len(text), end + 300))
    last = after.start() if after else min(len(text), end + 300)
    return bool(_PLAY.search(text[first:start]) or _PLAY.search(text[end:last]))


def _unit_name(raw: str) -> str:
    raw = raw.lower()
    return "century" if raw.startswith("centur") else raw.rstrip("s")


_FRACTIONS = {"1/2": 0.5, "1/4": 0.25, "3/4": 0.75, "½": 0.5, "¼": 0.25, "¾": 0.75}
_LEADING = re.compile(r"\d+(?:\.\d+)?")


def _number(match: re.Match[str]) -> str:
    """The amount of a duration as TIMEX3 writes it: "3", "2.5", or "X" when vague."""
    raw = match.group("num").lower().replace("-", " ").replace(",", "")
    words = raw.split()
    groups = match.groupdict()
    fraction = groups.get("frac") or groups.get("frac2")
    if raw[0].isdigit():
        leading = _LEADING.match(raw)
        assert leading is not None
        amount = float(leading.group()) + (_FRACTIONS[fraction] if fraction else 0)
    elif raw in ("half a", "half an", "a half"):
        amount = 0.5
    elif raw in _NUMBERS:
        amount = _NUMBERS[raw]
    elif len(words) == 2 and words[0] in _NUMBERS and words[1] in _NUMBERS:
        amount = _NUMBERS[words[0]] + _NUMBERS[words[1]]
    else:
        return "X"  # several, a few, many
    amount += 0.5 if match.group("half") else 0
    return f"{amount:g}"
