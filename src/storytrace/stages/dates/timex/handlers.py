"""Handlers of calendar dates, durations, sets and vague references.

A handler turns one match of its rule into a ``_Reading`` (TIMEX3 type and value),
or ``None`` to reject the match.

DOCS: docs/stages/timex.md
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from storytrace.stages.dates.timex.lexicon import (
    _MONTH_ANY,
    _REFS,
    _SETS,
    _UNIT_CODE,
    _UNIT_SCALE,
    _in_play,
    _number,
    _unit_name,
)
from storytrace.stages.dates.timex.model import Tense, _Context, _Reading
from storytrace.stages.dates.timex.values import (
    _HOLIDAYS,
    _SEASONS,
    _X,
    _fiscal_split,
    _month_of,
    _pick,
    _relative_value,
    _year,
    _yearless,
)


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
    if m["in_year"]:  # "on May 29 in 2008"
        return _day_reading(int(m["in_year"]), month, day, "absolute")
    reading = _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx)
    return _in_printed_year(reading, ctx, m) or reading


#: A year-less day this close to the DCT is the news of the day, whatever year was
#: printed before it ("sales rose in 2007. An April 2nd report said", April 2008).
_FRESH_DAYS = 31


def _in_printed_year(reading: _Reading, ctx: _Context, m: re.Match[str]) -> _Reading | None:
    """The day in the year printed nearby, when the DCT's reading is not fresh news.

    "In 2019 the plant closed. It reopened on March 3" (a 2025 article): 2019-03-03.
    Only an earlier year is taken: a later one would date the future from a plan.
    """
    if ctx.year is None or ctx.dct is None or int(ctx.year.value[:4]) >= ctx.dct.year:
        return None
    if _background_year(m, ctx.year.start):
        return None
    month, day = int(reading.value[5:7]), int(reading.value[8:10])
    # "XXXX-02-29": no year near the DCT has the day, so it is no fresh news either
    fresh = "X" not in reading.value[:4] and abs(
        (date.fromisoformat(reading.value) - ctx.dct).days) <= _FRESH_DAYS  # fmt: skip
    if fresh:
        return None
    anchor = f"expr@{ctx.year.start}"  # counted from that year: a chain of days follows it
    return _day_reading(int(ctx.year.value[:4]), month, day, anchor)


#: A year that dates a company's or a person's past, not the story's frame: "founded
#: in 2012", "since 2016", "which went public in 2014", "born in 1950".
_BACKGROUND_BEFORE = re.compile(
    r"(?:\b(?:founded|established|formed|created|incorporated|set up|launched|built|opened|"
    r"born|listed|went public|acquired|bought|merged|since)\s+(?:in\s+)?|"
    r"\b(?:which|who|whose)\b[^,.;:()]*)$",
    re.IGNORECASE,
)
#: "said on Oct. 3", "reported on Sept. 30 that": the day a statement is dated by.
_REPORTED_ON = re.compile(
    r"\b(?:said|says|announced|reported|told|disclosed|confirmed|unveiled|released|"
    r"published|posted|filed|wrote)\s+(?:\w+\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)


def _background_year(m: re.Match[str], year_at: int) -> bool:
    """Whether the year printed nearby is background the year-less day of ``m`` does
    not belong to: it sits in a founding, "since" or relative clause ("The firm,
    founded in 2012, said on Oct. 3"), or the day dates a statement ("said on Oct. 3")
    and the year lies in an earlier sentence."""
    text, day_at = m.string, m.start()
    if _BACKGROUND_BEFORE.search(text, max(0, year_at - 60), year_at):
        return True
    if not _REPORTED_ON.search(text, max(0, day_at - 30), day_at):
        return False
    between = text[year_at:day_at]
    return ". " in between or "\n" in between


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
    if m.groupdict().get("that"):  # "September of that year"
        return _month_of_that_year(month, m["that"].lower(), ctx)
    rel = (m["rel"] or "").lower()
    if ctx.dct is None or not rel:
        return _yearless(f"{{year}}-{month:02d}", ctx)
    tense: Tense = "past" if rel in ("last", "past") else "future" if rel == "next" else ctx.tense
    if rel == "this":
        return _Reading("DATE", f"{_year(ctx.dct.year)}-{month:02d}", "dct")
    return _yearless(f"{{year}}-{month:02d}", _Context(ctx.dct, tense, None, None, ctx.config))


_YEAR_STEPS = {"that": 0, "the same": 0, "the following": 1, "the next": 1, "the previous": -1}


def _month_of_that_year(month: int, which: str, ctx: _Context) -> _Reading:
    """ "in January 2007 and ... in September of that year": the year last mentioned
    (ECB+ 33_3ecb), never the DCT's; X's when no year was mentioned."""
    year = _period_year(ctx)
    if year is None or ctx.period is None:
        return _Reading("DATE", f"XXXX-{month:02d}", "dct")
    return _Reading(
        "DATE", f"{_year(year + _YEAR_STEPS[which])}-{month:02d}", f"expr@{ctx.period.start}"
    )


def _period_year(ctx: _Context) -> int | None:
    """The calendar year of the last period mentioned, if it was resolved."""
    if ctx.period is None:
        return None
    core = _fiscal_split(ctx.period.value)[1][:4]
    return int(core) if core.isdigit() and len(core) == 4 else None


#: A number in year range that names a place or a product, not a year: "at 2016
#: Ontario" (a street address, ECB+ 18_9ecb), "2016 Ontario St.", "the 2000 block",
#: "a silver 2007 Ford Fusion" (a car's name, ECB+ 18_4ecbplus, as "Windows 2000" is).
#: "The 2008 model year" stays a year: MEANTIME annotates it (gm 60086), a period.
_STREET = r"(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pl|Place|Ct|Court|Pkwy|Parkway|Hwy|Highway|Terrace|Circle|Square)\b"
_MAKES = (
    r"Acura|Audi|BMW|Buick|Cadillac|Chevrolet|Chevy|Chrysler|Dodge|Fiat|Ford|GMC|Honda|Hummer|"
    r"Hyundai|Infiniti|Jaguar|Jeep|Kia|Lexus|Lincoln|Mazda|Mercedes(?:-Benz)?|Mercury|Mini|"
    r"Mitsubishi|Nissan|Oldsmobile|Opel|Peugeot|Plymouth|Pontiac|Porsche|Renault|Saab|Saturn|"
    r"Subaru|Suzuki|Tesla|Toyota|Vauxhall|Volkswagen|VW|Volvo"
)
_ADDRESS = re.compile(
    r" (?:[NSEW]\.? )?(?:(?:[A-Z][a-z]+|\d+(?:st|nd|rd|th))\.? ){1,3}" + _STREET + r"| block\b"
)
_CAR = re.compile(r" (?:" + _MAKES + r")\b")
#: "In 2008 Ford lost $14.6bn": after a preposition the number is a year again.
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:in|since|by|until|till|from|of|during|before|after|through|for|to|and|or|than|"
    r"around|about|between|early|late|mid)[\s-]+$",
    re.IGNORECASE,
)
_AT_BEFORE = re.compile(r"\b[Aa]t $")
_CAPITALISED = re.compile(r" (?!" + _MONTH_ANY + r")[A-Z][a-z]")


def _names_a_place_or_car(m: re.Match[str]) -> bool:
    """Whether the year-like number of ``m`` is part of an address or a car's name."""
    text, start, end = m.string, m.start(), m.end("year")
    if _ADDRESS.match(text, end):
        return True
    if _AT_BEFORE.search(text, max(0, start - 3), start) and _CAPITALISED.match(text, end):
        return True  # "at 2016 Ontario": "at" a number and a name is an address
    before = _PREPOSITION_BEFORE.search(text, max(0, start - 10), start)
    return before is None and bool(_CAR.match(text, end))


#: A number after one of these labels is an identifier: "page 2013", "Flight 2011",
#: "Room 2003", "H.R. 2010", "No. 1999", "Route 2001", "Windows 2000".
_LABEL_BEFORE = re.compile(
    r"(?:\b(?:pages?|pp?\.|flights?|rooms?|suites?|apartments?|apt\.|units?|no\.|nos\.|numbers?|"
    r"routes?|highways?|interstates?|sections?|articles?|chapters?|gates?|platforms?|buses|bus|"
    r"lines?|models?|versions?|H\.\s?R\.|HR|bills?|resolutions?|rules?|codes?|channels?|"
    r"exits?|box|lots?|wards?|districts?|precincts?|seats?|rows?|piers?|terminals?|cells?|"
    r"volumes?|vol\.|issues?|episodes?|levels?|floors?|zones?|ranked|Windows|Office|ISO)|"
    r"#|\bI-)\s?$",
    re.IGNORECASE,
)
#: "arrested 2010 protesters", "rose 2015 points": a count, when no determiner,
#: possessive or preposition makes the number a modifier ("the 2010 elections",
#: "in 2010 protesters marched") and the noun is not one a year commonly modifies
#: ("posted 2008 results").
_PLURAL_AFTER = re.compile(r" (?:[a-z]+-)?([a-z]{2,}(?<!ss)(?<!ous)(?<!is)(?<!us)s)\b")
_PERIODIC_NOUNS = frozenset(
    "results earnings sales profits losses revenues figures accounts elections games "
    "levels prices rates models budgets forecasts targets numbers estimates deliveries "
    "orders rankings standings championships playoffs finals awards nominations "
    "primaries olympics holidays celebrations festivities events talks negotiations "
    "plans goals guidelines rules regulations standards taxes returns reports filings "
    "statements contracts deals agreements levels lows highs peaks totals averages "
    "versions editions releases launches".split()
)
_DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|his|her|their|our|my|your|this|that|these|those|whose|each|"
    r"every|all|both|last|next|early|late|mid|fiscal|financial|calendar)|'s|s')[\s-]*$",
    re.IGNORECASE,
)
_WORD_BEFORE = re.compile(r"\b[a-z]+\s+$")
#: "won 2012 to 1998", "a 2001-1999 vote": a score or a tally, not two years.
_SCORE_BEFORE = re.compile(
    r"\b(?:won|lost|beat|defeated|passed|failed|voted|vote|votes|tally|score|scored|margin|"
    r"led|trailed|leads|trails)\s+(?:(?:19|20)\d\d\s*(?:to|-|–)\s*)?$",
    re.IGNORECASE,
)
_SCORE_AFTER = re.compile(r"\s*(?:to|-|–)\s*\d")
_SCORE_SECOND = re.compile(r"(?:to|-|–)\s*$")


def _is_count(m: re.Match[str]) -> bool:
    """ "arrested 2010 protesters", "sent 1500 troops": a count of things, not a year."""
    text, start, end = m.string, m.start(), m.end("year")
    if m.start("year") != start:
        return False  # "the end of 2010", "FY 2010": a year phrase
    plural = _PLURAL_AFTER.match(text, end)
    if plural is None or plural.group(1) in _PERIODIC_NOUNS:
        return False
    window = max(0, start - 16)
    if _DETERMINER_BEFORE.search(text, window, start) or _PREPOSITION_BEFORE.search(
        text, max(0, start - 10), start
    ):
        return False
    return bool(_WORD_BEFORE.search(text, window, start))


#: "the Nasdaq ended at 2019", "the index fell to 1998": a level a market moved to or
#: stood at, not a year ("sales fell to 2010 levels" stays one: a year modifies the noun).
#: Not "from" ("up from 2018"), nor "slipped"/"slid" (a schedule: "the launch slipped to
#: 2021"), nor a bare "up to" ("from 2010 up to 2019").
_LEVEL_BEFORE = re.compile(
    r"\b(?:closed|closing|ended|ending|finished|settled|opened|opening|traded|trading|stood|"
    r"hovered|rose|risen|fell|fallen|climbed|dropped|jumped|gained|declined|tumbled|surged|"
    r"advanced|sank|plunged|rallied|retreated|rebounded|recovered|eased|"
    r"(?:edged|moved|inched|ticked) (?:up|down|higher|lower))\s+"
    r"(?:at|to|near|around|above|below)\s+$",
    re.IGNORECASE,
)
_LEVEL_NOUN_AFTER = re.compile(r"\s+(?:levels?|highs?|lows?|peaks?|figures?|values?|prices?)\b")


def _is_level(m: re.Match[str]) -> bool:
    """ "the Nasdaq ended at 2019": a market level after a verb of moving or standing."""
    text, start, end = m.string, m.start(), m.end("year")
    if m.start("year") != start or _LEVEL_NOUN_AFTER.match(text, end):
        return False
    return bool(_LEVEL_BEFORE.search(text, max(0, start - 30), start))


def _not_a_year(m: re.Match[str]) -> bool:
    """Whether the year-like number of ``m`` is an address, a car, a label, a count,
    a score or a market level."""
    text, start, end = m.string, m.start(), m.end("year")
    if m.start("year") == start and _LABEL_BEFORE.search(text, max(0, start - 12), start):
        return True
    if _is_level(m):
        return True
    if _SCORE_BEFORE.search(text, max(0, start - 24), start) and (
        _SCORE_AFTER.match(text, end) or _SCORE_SECOND.search(text, max(0, start - 6), start)
    ):
        return True
    return _names_a_place_or_car(m) or _is_count(m)


def _h_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    if _not_a_year(m):
        return None
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
             "4th": 4, "final": 4, "last": 4, "latter": 2, "back": 2, "front": 1}  # fmt: skip
#: Ordinals of a half that are not its number: "the last half of 2019" is H2, not H4.
_HALVES = {"last": 2, "final": 2, "latter": 2, "back": 2, "front": 1}


def _year_phrase(m: re.Match[str], ctx: _Context) -> str | None:
    """The year of "of 2009" / "of last year" / "of this year", or ``None`` if not printed."""
    if m["year"]:
        return str(m["year"])
    rel = (m["ry"] or "").lower()
    if not rel:
        return None
    if ctx.dct is None:
        return "XXXX"
    return _year(ctx.dct.year + {"last": -1, "next": 1}.get(rel, 0))


def _part_number(kind: str, ordinal: str, printed: str | None) -> int | None:
    """The number of a quarter or half: "the latter half" is the second, "the last
    half" too (not a fourth); no quarter is "back" or "latter"."""
    if printed:
        return int(printed)
    if kind == "H":
        number = _HALVES.get(ordinal, _ORDINALS[ordinal])
        return number if number <= 2 else None
    return None if ordinal in ("latter", "back", "front") else _ORDINALS[ordinal]


def _h_part_of_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """Quarters and halves: "the first quarter of 2009", "Q3", "the last quarter".

    A fiscal one is labelled with its fiscal year ("fiscal 2020 third quarter"
    FY2020-Q3; "the fiscal fourth quarter" in the DCT's year, as "this fiscal year" is)
    and gets no interval: where a company's year starts is not printed. A year-less
    quarter in a game report is the game's ("late in the fourth quarter").
    """
    text = m["t"].lower()
    kind = "H" if "half" in text else "Q"
    ordinal = (m["ord"] or "").lower()
    number = _part_number(kind, ordinal, m["qn"])
    if number is None:
        return None
    fiscal = "FY" if re.search(r"\b(?:fiscal|financial)\b|\bfy", text) else ""
    year = _year_phrase(m, ctx)
    if year is None and kind == "H" and not fiscal:
        return None  # "the first half" of a match, not of a year
    if year is None and not fiscal and _in_play(m.string, m.start("t"), m.end("t")):
        return None  # "a touchdown late in the fourth quarter"
    if year is None and fiscal:
        if ctx.dct is None:
            return _Reading("DATE", f"FYXXXX-{kind}{number}", "dct")
        year, anchor = _year(ctx.dct.year), "dct"
    else:
        anchor = "absolute" if m["year"] else "dct"
    if year is not None:
        return _Reading("DATE", f"{fiscal}{year}-{kind}{number}", anchor)
    if ordinal == "last" and kind == "Q":  # "the last quarter": the one before the DCT's
        if ctx.dct is None:
            return _Reading("DATE", _X["quarter"], "dct")
        return _Reading("DATE", _relative_value(ctx.dct, "quarter", -1), "dct")
    return _yearless(f"{{year}}-{kind}{number}", ctx)


def _h_months_of_year(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the last six months of 2017" (2017-H2), "the first three months of the year"
    (Q1 of the DCT's year): a half or a quarter of a named year, one expression, not a
    length beside a year. Other counts ("the first nine months") stay a length."""
    year = _year_phrase(m, ctx)
    if year is None:
        return None
    kind = "Q" if m["n"].lower() in ("three", "3") else "H"
    first = m["ord"].lower() == "first"
    number = 1 if first else 4 if kind == "Q" else 2
    fiscal = "FY" if m["fy"] or m["fy2"] else ""  # "of fiscal 2020", "of this fiscal year"
    anchor = "absolute" if m["year"] else "dct"
    return _Reading("DATE", f"{fiscal}{year}-{kind}{number}", anchor)


def _h_week_of(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the week of Nov. 25", "the week beginning 17 October 2011": the ISO week
    (Monday to Sunday) holding that day; a year-less day is read as a year-less day is."""
    month, day = _month_of(m["month"] or m["month2"]), _leading_int(m["day"] or m["day2"])
    year = m["year"] or m["year2"]
    if year:
        reading = _day_reading(int(year), month, day, "absolute")
    elif day <= monthrange(2024, month)[1]:
        reading = _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx)
    else:
        return None
    if reading is None or "X" in reading.value:
        return _Reading("DATE", "XXXX-WXX", "dct") if reading else None
    iso_year, week, _ = date.fromisoformat(reading.value).isocalendar()
    return _Reading("DATE", f"{_year(iso_year)}-W{week:02d}", reading.anchor)


def _h_season(m: re.Match[str], ctx: _Context) -> _Reading | None:
    season, rel = _SEASONS[m["s"].lower()], (m["rel"] or "").lower()
    if m["s"].lower() == "fall" and not (rel in ("this", "last", "next") or m["year"]):
        return None  # "a fall in sales"
    if m["year"]:
        return _Reading("DATE", f"{m['year']}-{season}", "absolute")
    tense = _REL_TENSE.get(rel, ctx.tense)
    return _yearless(f"{{year}}-{season}", _Context(ctx.dct, tense, None, None, ctx.config))


def _h_holiday(m: re.Match[str], ctx: _Context) -> _Reading | None:
    name = m["h"].lower()
    year = m["year"] or m["in_year"]  # "Valentine's Day 2012", "... in 2012"
    if name in _FLOATING:
        return _floating_holiday(name, int(year) if year else None, ctx)
    month, day = _HOLIDAYS[name]
    if year:
        return _day_reading(int(year), month, day, "absolute")
    return _yearless(f"{{year}}-{month:02d}-{day:02d}", ctx)


#: US holidays on the n-th weekday of a month (n = -1: the last), plus days after:
#: Thanksgiving is the fourth Thursday of November, Black Friday the day after it.
_FLOATING = {"thanksgiving": (11, 3, 4, 0), "thanksgiving day": (11, 3, 4, 0),
             "black friday": (11, 3, 4, 1), "cyber monday": (11, 3, 4, 4),
             "labor day": (9, 0, 1, 0), "memorial day": (5, 0, -1, 0)}  # fmt: skip


def _floating_day(name: str, year: int) -> date:
    month, weekday, nth, after = _FLOATING[name]
    if nth > 0:
        first = date(year, month, 1)
        day = 1 + (weekday - first.weekday()) % 7 + 7 * (nth - 1)
    else:
        last = date(year, month, monthrange(year, month)[1])
        day = last.day - (last.weekday() - weekday) % 7
    return date.fromordinal(date(year, month, day).toordinal() + after)


def _floating_holiday(name: str, year: int | None, ctx: _Context) -> _Reading:
    """ "Black Friday", "Thanksgiving 2018": the day of that year, or the year the tense
    picks around the DCT (as a year-less month and day)."""
    if year is not None:
        return _Reading("DATE", _floating_day(name, year).isoformat(), "absolute")
    if ctx.dct is None:
        return _Reading("DATE", _X["day"], "dct")
    years = (ctx.dct.year - 1, ctx.dct.year, ctx.dct.year + 1)
    values = [_floating_day(name, y).isoformat() for y in years]
    return _Reading("DATE", _pick(values, ctx.dct, ctx.tense, ctx.config), "dct")


def _h_compact_part(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "3Q19", "1H20", "Q3 FY20", "H1 2020": a quarter or half in analysts' shorthand."""
    kind = m["ka"] or m["kb"]
    number = int(m["qa"] or m["qb"])
    if kind == "H" and number > 2:
        return None
    year = m["y4"] or f"20{m['yy']}"
    return _Reading("DATE", f"{'FY' if m['fy'] else ''}{year}-{kind}{number}", "absolute")


def _h_fiscal_short(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "FY20", "FY'19": the fiscal year 2020 (no interval: its start is not printed)."""
    return _Reading("DATE", f"FY20{m['yy']}", "absolute")


_REL_TENSE: dict[str, Tense] = {"last": "past", "next": "future"}
#: A part of a unit is written in the next smaller one: "half an hour" PT30M.
_SMALLER = {"hour": ("minute", 60), "day": ("hour", 24), "week": ("day", 7),
            "year": ("month", 12)}  # fmt: skip


def _h_duration(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "three years" P3Y, "48 hours" PT48H, "the past decade" P10Y, "12-hour" PT12H."""
    unit = _unit_name(m["unit"])
    if unit == "second" and (m["num"] or "").lower() in ("a", "an"):
        return None  # "a second order": the ordinal
    amount = _number(m) if m["num"] else "1"
    if amount != "X":
        amount = f"{float(amount) * _UNIT_SCALE.get(unit, 1):g}"
        if 0 < float(amount) < 1 and unit in _SMALLER:  # "half an hour" PT30M, not PT0.5H
            unit, factor = _SMALLER[unit]
            amount = f"{float(amount) * factor:g}"
    code = _UNIT_CODE[unit]
    value = f"PT{amount}{code[1]}" if code.startswith("T") else f"P{amount}{code}"
    return _Reading("DURATION", value, "absolute")


def _h_vague_duration(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "for years", "recent years", "over the years": an unknown number of units."""
    unit = _unit_name(m["unit"])
    code = _UNIT_CODE[unit]  # "decades" PXY: MEANTIME counts decades in years (P10Y)
    return _Reading(
        "DURATION", f"PTX{code[1]}" if code.startswith("T") else f"PX{code}", "absolute"
    )


def _h_long(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "weeklong" P1W, "a year-long inquiry" P1Y: one unit."""
    unit = _unit_name(m["t"].lower().replace("-", "")[:-4])
    return _Reading("DURATION", f"P1{_UNIT_CODE[unit]}", "absolute")


def _h_set(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "every year" P1Y, "annually", "twice a year"."""
    word = m["t"].lower()
    if word in _SETS:
        return _Reading("SET", _SETS[word], "absolute")
    unit = _unit_name(m["unit"])
    code = _UNIT_CODE[unit]
    return _Reading("SET", f"PT1{code[1]}" if code.startswith("T") else f"P1{code}", "absolute")


def _h_later_date(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "at a later date": a day that is meant but not given, so X's (as MEANTIME has it)."""
    return _Reading("DATE", _X["day"], "dct")


def _h_ref(m: re.Match[str], ctx: _Context) -> _Reading | None:
    return _Reading("DATE", _REFS[" ".join((m["t"] or m["t2"]).lower().split())], "absolute")


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def _h_quarters(m: re.Match[str], ctx: _Context) -> _Reading | None:
    """ "the past three quarters", "four straight quarters": a length in months, as
    decades are written in years (P9M); "three quarters of the vote" is a share."""
    raw = (m["num"] or m["num2"]).lower()
    count = _COUNTS.get(raw) or int(raw)
    return _Reading("DURATION", f"P{3 * count}M", "absolute")
