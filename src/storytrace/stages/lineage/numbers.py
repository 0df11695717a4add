"""Quantities in text ("as many as 20,000 people", "5.4 per cent") and when two conflict.

A quantity is a number with the word it counts and its hedge. Hedges make it an
interval: "at least 12 shots" is [12, ∞) and does not conflict with "13 shots";
"as many as 20,000 people" is [0, 20,000] and does conflict with "roughly 30,000
people" ([25,500, 34,500]); "three or four robbers" is [3, 4]. A bare figure is as
precise as its last written digit, within 10%: "$140 million" allows $136-144
million (a round figure for $142 million), "1,000 km" allows 900-1,100 km, "12
people" does not allow 13.

Besides digits, a quantity is read from number words ("eleven times", "two dozen
young protesters", "the eighth day"), money with its currency ("$2.6 million",
"85 million euros", "£1.2m": a currency is its own unit, so a conversion never
conflicts with the original), calibres (".38-caliber"), "N times" after a
verb, which counts what the verb does ("arrested three times" counts arrests), and
"a mother of 12", which counts children. A count of people by a casualty word is a
toll ("killing at least seven people" counts ``people killed``, "injuring 40" and
"about 50 hurt" count ``people injured``); a quake's magnitude is read however printed
("a magnitude of 5.9", "registering 6.1 on the Richter scale"); miles are read as
kilometres (a distance in brackets is a conversion) and distances allow 5% for
conversion and rounding; "between 40 and 80 percent" is one range; "weighing 130
pounds" a weight. Two bounds of one direction ("at least seven" / "at least six")
are two reports of one count: they conflict when the figures differ.
Times of day ("6 p.m.", "6:00"), years, ages ("38-year-old") and money without
a currency are not quantities here.

DOCS: docs/stages/disagreements.md
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Literal

Hedge = Literal["exact", "at_least", "at_most", "about", "range"]

__all__ = ["MEASURES", "NUMBER_WORDS", "Quantity", "conflicts", "quantities"]

#: Units of measure (not counts): outlets convert them between miles and kilometres and
#: round the result ("35 miles" / "36 miles" from 56 km), so two printings within
#: ``MEASURE_SLACK`` of each other are one figure.
MEASURES = frozenset({"km", "km2"})
MEASURE_SLACK = 0.05


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted number in a text.

    Attributes:
        value (float): the number (the lower end of a range).
        unit (str): the counted word, normalised ("people", "km", "%", "usd").
        hedge (Hedge): exact, at least, at most, about, or a range.
        start (int): offset of the quantity (hedge included) in the text.
        end (int): end of the unit word.
        step (float): the place of the last written digit ("140" → 10, "2.6
            million" → 100,000), how far a bare figure may be rounded.
        upper (float): the upper end of a range ("three or four"); else ``value``.
    """

    value: float
    unit: str
    hedge: Hedge
    start: int
    end: int
    step: float = 1.0
    upper: float | None = None

    def interval(self) -> tuple[float, float]:
        """The values the text allows."""
        v = self.value
        if self.hedge == "at_least":
            return v, math.inf
        if self.hedge == "at_most":
            return 0.0, v
        if self.hedge == "about":
            return 0.85 * v, 1.15 * v
        if self.hedge == "range":
            return v, self.upper if self.upper is not None else v
        # a bare figure stands for what rounds to it at its written precision, but a
        # round figure is still a claim: "1,000 km" is not 700 km (at most 10% off)
        slack = min(0.4 * self.step, 0.1 * abs(v))
        if self.unit in MEASURES:  # a distance or weight is often converted and rounded
            slack = max(slack, MEASURE_SLACK * abs(v))
        return v - slack, v + slack


_HEDGES: dict[str, Hedge] = {
    "at least": "at_least", "more than": "at_least", "over": "at_least",
    "just over": "at_least", "in excess of": "at_least",
    "up to": "at_most", "as many as": "at_most", "fewer than": "at_most",
    "less than": "at_most", "under": "at_most", "nearly": "at_most", "almost": "at_most",
    "just under": "at_most",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "about", "estimated": "about", "an approximate": "about",
    "like": "about", "approximate": "about",
}  # fmt: skip
_WORD_VALUES = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "a hundred": 100,
    "dozen": 12, "a dozen": 12, "two dozen": 24, "three dozen": 36, "four dozen": 48,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}  # fmt: skip
#: Words that write a number ("seven", "eighth", "dozen", "million"): around a figure
#: they are another figure, not what the figure counts.
NUMBER_WORDS = frozenset(
    {w for k in _WORD_VALUES for w in k.split()} - {"a"}
    | set(_ORDINALS)
    | {"hundred", "thousand", "million", "billion", "dozens", "hundreds", "thousands"}
)
_MAGNITUDES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mln": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9,
}  # fmt: skip
_CURRENCY_SIGNS = {
    "$": "usd", "us$": "usd", "€": "eur", "e": "eur", "euro": "eur", "£": "gbp", "p": "gbp",
}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "usd", "dollars": "usd", "euro": "eur", "euros": "eur",
    "pound": "gbp", "pounds": "gbp", "sterling": "gbp", "rand": "zar",
}  # fmt: skip

_HEDGE = r"(?:\b(?P<hedge>" + "|".join(sorted(_HEDGES, key=len, reverse=True)) + r")\s+)?"
_NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_WORD_NUM = "|".join(sorted(map(re.escape, _WORD_VALUES), key=len, reverse=True))
_QUANTITY = re.compile(
    _HEDGE + r"(?<![\w.,:$€£¥×-])(?:(?P<num>" + _NUM + r")(?![\d:])"
    r"(?:\s+(?:or|to)\s+(?P<num2>" + _NUM + r")(?![\d:]))?"
    r"|(?P<word>\b(?:" + _WORD_NUM + r"))(?:\s+or\s+(?P<word2>" + _WORD_NUM + r"))?\b)"
    r"\s*(?:-\s*)?(?P<unit>per ?cent\b|%|[A-Za-z]{2,}(?:-[A-Za-z]+)*)",
    re.IGNORECASE,
)
# "$2.6 million", "$2. 6 million" (a cleaner's space after the point), "e80 million",
# "£910, 000", "85 million euros", "£1.2m".
_MONEY = re.compile(
    _HEDGE + r"(?:(?P<sign>US\$|\$|€|£|\beuro(?=\d)|\be(?=\d)|\bp(?=\d))\s?)?"
    r"(?P<num>\d{1,3}(?:,\s?\d{3})+|\d+(?:\.\s?\d+)?)"
    r"(?:\s*-?\s*(?P<mag>thousand|million|billion|mln|bn|m|k|b)\b)?"
    r"(?:\s*-?\s*(?P<word>dollars?|euros?|pounds?|sterling|rand)\b)?",
    re.IGNORECASE,
)
_CALIBER = re.compile(r"(?<!\d)\.\s?(?P<num>\d{2,3})\s*-?\s*(?:caliber|calibre)\b", re.I)
_ORDINAL = re.compile(
    r"\b(?P<word>" + "|".join(_ORDINALS) + r")\s+(?:(?:straight|consecutive|successive)\s+)?"
    r"(?P<unit>day|night|week|month)s?\b",
    re.IGNORECASE,
)
#: "a mother of 12", "father of three": a count of children with no noun after it.
_PARENT_OF = re.compile(
    r"\b(?:mother|father|parent|mom|mum|dad)s?\s+of\s+(?:(?P<num>\d{1,2})\b(?!\s*\d|/)|(?P<word>"
    + _WORD_NUM
    + r")\b)(?!\s*[-,.]?\s*(?:year|month|week|day)s?\b)",
    re.IGNORECASE,
)
_TIMES = re.compile(r"\b(?P<verb>[a-z]{3,})\s+(?:(?:[A-Z][a-z]+|him|her|them|it)\s+)?$")
_UNIT_ALIASES = {
    "kilometers": "km", "kilometres": "km", "kilometer": "km", "kilometre": "km",
    "percent": "%", "per cent": "%", "percentage": "%", "persons": "people", "person": "people",
    "protesters": "people", "demonstrators": "people", "marchers": "people",
    "bullets": "shot", "rounds": "shot", "shots": "shot", "arrests": "arrest",
    "children": "child", "kids": "child", "kid": "child", "sons": "child", "daughters": "child",
    "miles": "mile", "square-kilometer": "km2", "square-kilometre": "km2",
    "square-kilometers": "km2", "square-kilometres": "km2", "pounds": "lb", "pound": "lb",
    "wounded": "people injured", "injured": "people injured", "hurt": "people injured",
    "dead": "people killed", "killed": "people killed",
}  # fmt: skip
#: Words between a number and what it counts ("four prior arrests", "three dozen
#: mostly young people"); skipped to reach the counted noun.
_MODIFIERS = frozenset(
    "more other further additional prior previous straight consecutive young mostly "
    "separate different new armed masked".split()
)
_NOT_UNITS = frozenset(
    "am pm st nd rd th of and the in on at to for from with by was were is are who that "
    "when where which while another after before since into each both all out up down "
    "this these those or but as a an year years yr million billion trillion thousand "
    "hundred dozen per than and-a-half gmt utc bst est pst".split()
)
#: A count of some more of a thing ("two additional life sentences") is part of a
#: total: at least that many in all.
_PARTIAL_AFTER = frozenset("more other further additional extra".split())
#: "eight days ago" is a date, not a count.
_TIME_UNITS = frozenset("minute hour day night week month".split())
_RELATIVE = re.compile(r"\s*(?:ago|earlier|later|before|after)\b", re.I)
#: A plural noun after the counted word is the head of a compound ("seven life
#: sentences", "three bank workers"); these plural-looking words are not nouns.
_NOT_HEADS = frozenset("was has is does goes says its this thus plus less unless".split())
#: "N times" counts what the verb before it does: "arrested three times" → arrest.
_VERB_UNITS = {"shot": "shot", "fired": "shot", "arrested": "arrest", "stabbed": "stab"}


def _unit(raw: str) -> str | None:
    if raw[:1].isupper() and not raw.isupper() and raw.lower() not in _UNIT_ALIASES:
        return None  # a name follows the number ("mother of 13 Zurana Horton")
    if raw.lower().endswith("ing"):
        return None  # a verb follows the number ("nine voting to put him to death")
    word = raw.lower()
    if word.startswith(("year-old", "year", "month-old", "day-old")) or word in _NOT_UNITS:
        return None
    word = _UNIT_ALIASES.get(word, word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _step(digits: str) -> float:
    """The place of the last significant written digit: "140" → 10, "2.6" → 0.1."""
    digits = digits.replace(",", "").replace(" ", "")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    stripped = digits.rstrip("0")
    return 10.0 ** (len(digits) - len(stripped)) if stripped else 1.0


_NEXT_WORD = re.compile(r"\s+([A-Za-z]{2,}(?:-[A-Za-z]+)*)")


def _counted(text: str, m: re.Match[str]) -> tuple[str, int] | None:
    """The counted noun after a number, past modifiers ("four prior arrests" → arrest)
    and to the head of a compound ("seven life sentences" → sentence)."""
    raw, end = m["unit"], m.end("unit")
    for _ in range(2):
        if raw.lower() not in _MODIFIERS:
            break
        nxt = _NEXT_WORD.match(text, end)
        if nxt is None:
            return None
        raw, end = nxt[1], nxt.end()
    head = _NEXT_WORD.match(text, end)
    if head and re.fullmatch(r"[a-z]{3,}s", head[1]) and head[1] not in _NOT_HEADS:
        if not head[1].endswith("ss") and raw.lower() not in _NOT_UNITS:
            raw, end = head[1], head.end()
    if raw.lower() == "times":
        verb = _TIMES.search(text[: m.start()])
        unit = _VERB_UNITS.get(verb["verb"].lower()) if verb else None
        return (unit, end) if unit else None
    unit = _unit(raw)
    return (unit, end) if unit else None


def _plain(text: str) -> list[Quantity]:
    out = []
    for m in _QUANTITY.finditer(text):
        counted = _counted(text, m)
        if counted is None:
            continue
        if m["num"]:
            value, digits = float(m["num"].replace(",", "")), m["num"]
            if counted[0] == "caliber":  # "38 caliber" with its point lost in cleaning
                value, digits = value / 10 ** len(digits), "0." + "0" * len(digits)
            if "," not in digits and "." not in digits and 1800 <= value <= 2100:
                continue  # a year
            upper = float(m["num2"].replace(",", "")) if m["num2"] else None
        else:
            value, digits = float(_WORD_VALUES[m["word"].lower()]), "1"
            upper = float(_WORD_VALUES[m["word2"].lower()]) if m["word2"] else None
        if counted[0] in _TIME_UNITS and _RELATIVE.match(text, counted[1]):
            continue
        hedge = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        if "dozen" in (m["word"] or "").lower() and hedge == "exact":
            hedge = "about"  # "two dozen" is a round count
        if m["unit"].lower() in _PARTIAL_AFTER:
            hedge = "at_least"
        if upper is not None:
            hedge = "range"
        out.append(Quantity(value, counted[0], hedge, m.start(), counted[1], _step(digits), upper))
    return out


_IN_BRACKETS = re.compile(r"\(\s*$")
_WEIGHT = re.compile(r"\bweigh\w*|\bfoot\b|\bfeet\b|-foot-", re.IGNORECASE)


def _money(text: str) -> list[Quantity]:
    """Amounts with a currency sign or word; a bare "143 billion" has no currency.

    An amount in brackets ("85 million euros ($108 million)", "110 billion ($158
    billion)") is a conversion, made at whatever rate the outlet chose: it is not a
    figure of its own.
    """
    out = []
    for m in _MONEY.finditer(text):
        if _IN_BRACKETS.search(text, max(0, m.start() - 3), m.start()):
            continue
        currency = _CURRENCY_SIGNS.get((m["sign"] or "").lower()) or _CURRENCY_WORDS.get(
            (m["word"] or "").lower()
        )
        if _WEIGHT.search(text, max(0, m.start() - 40), m.start()) and not (m["sign"] or m["mag"]):
            continue  # "weighing 130 pounds" is a weight
        letter_sign = (m["sign"] or "$")[0].isalpha()  # "e80 million", "p74million"
        if currency is None or (letter_sign and m["mag"] is None):
            continue
        digits = m["num"].replace(" ", "")
        scale = _MAGNITUDES[m["mag"].lower()] if m["mag"] else 1.0
        hedge = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        value = float(digits.replace(",", "")) * scale
        out.append(Quantity(value, currency, hedge, m.start(), m.end(), _step(digits) * scale))
    return out


def _calibers(text: str) -> list[Quantity]:
    return [
        Quantity(float("0." + m["num"]), "caliber", "exact", m.start(), m.end(), 0.001)
        for m in _CALIBER.finditer(text)
    ]


def _ordinals(text: str) -> list[Quantity]:
    out = []
    for m in _ORDINAL.finditer(text):
        unit = f"{m['unit'].lower()} (ordinal)"
        out.append(Quantity(float(_ORDINALS[m["word"].lower()]), unit, "exact", m.start(), m.end()))
    return out


def _children(text: str) -> list[Quantity]:
    """ "A mother of 12" counts her children (a noun after the number is read as usual)."""
    out = []
    for m in _PARENT_OF.finditer(text):
        value = float(m["num"]) if m["num"] else float(_WORD_VALUES[m["word"].lower()])
        start = m.start("num") if m["num"] else m.start("word")
        out.append(Quantity(value, "child", "exact", start, m.end()))
    return out


#: A gathering whose size a bare figure gives ("estimated the crowd at 70", "attended by
#: an approximate 200,000", "witnesses said there were more than 50,000").
_GATHERING = re.compile(
    r"\b(?:crowds?|attend\w*|turnout|march(?:es|ed|ers)?|rall(?:y|ies|ied)|protest(?:s|ers)?"
    r"|demonstrat\w*|vigils?|took to the streets|gathered|gathering)\b",
    re.IGNORECASE,
)
#: A figure that ends its phrase: punctuation, a dash, the end, or a conjunction next.
_BARE = re.compile(
    _HEDGE + r"(?<![\w.,:$€£¥×(-])(?P<num>\d{1,3}(?:,\d{3})+|\d{2,})(?![\d:])"
    r"(?=\s*(?:[,.](?!\d)|[;!?)(]|--|—|–|\s-\s|$)|\s+(?:but|which|who|according)\b)",
    re.IGNORECASE,
)


def _crowds(text: str) -> list[Quantity]:
    """Bare figures in a sentence about a gathering count its people: "NBC estimated the
    crowd at 70" is 70 people, as "about 100 people" elsewhere. A figure in brackets is
    an aside (another count, a conversion), a year or a time of day is no count."""
    if not _GATHERING.search(text):
        return []
    out = []
    for m in _BARE.finditer(text):
        digits = m["num"]
        value = float(digits.replace(",", ""))
        if "," not in digits and 1800 <= value <= 2100:
            continue
        if _IN_BRACKETS.search(text, max(0, m.start() - 3), m.start()) or _not_a_crowd(
            text, m.start("num"), m.end("num"), value
        ):
            continue
        hedge = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        out.append(Quantity(value, "people", hedge, m.start(), m.end(), _step(digits)))
    return out


_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\s*$")
_CLOCK_BEFORE = frozenset("at until till before after from to by around since between".split())


def _not_a_crowd(text: str, start: int, end: int, value: float) -> bool:
    """A label ("Route 214", "Oregon 214", "No. 10"), an age set off by commas ("Gray,
    16, was shot") or a time of day ("began at 10.") is not a crowd's size."""
    before = _WORD_BEFORE.search(text, max(0, start - 30), start)
    word = before[1] if before else ""
    if word[:1].isupper() or word.lower() in ("no.", "number", "route", "page", "room"):
        return True
    if text[max(0, start - 2) : start] == ", " and text[end : end + 1] == ",":
        return True
    if word.lower() == "between" or re.search(r"\d\s+(?:and|or|to)\s+$", text[:start]):
        return True  # "between 30 and 35": a range of ages or times
    return word.lower() in _CLOCK_BEFORE and value <= 24


#: A quake's magnitude: "magnitude 5.6", "a magnitude-5.9 earthquake", "a magnitude of 5.9",
#: "put the quake's magnitude at 5.9", "the 6.1-magnitude quake", "a 5.6 quake",
#: "registering 6.1 on the Richter scale", "measured 5.9".
_HEDGE_WORDS = "|".join(sorted(_HEDGES, key=len, reverse=True))
_MAGNITUDE = re.compile(
    r"\bmagnitude(?:\s+(?:of|at))?\s*-?\s*(?:(?P<h1>" + _HEDGE_WORDS + r")\s+)?"
    r"(?P<a>\d\.\d)\b(?!\.\d)"
    r"|(?:\b(?P<h2>" + _HEDGE_WORDS + r")\s+)?(?<![\d.])(?P<b>\d\.\d)\s*-?\s*"
    r"(?:magnitude|(?:degrees?\s+)?on\s+the\s+richter|(?:quake|earthquake|temblor|tremor)s?\b)"
    r"|\b(?:registering|registered|measuring|measured)\s+(?:a\s+)?"
    r"(?:(?P<h3>" + _HEDGE_WORDS + r")\s+)?(?P<c>\d\.\d)\b(?!\.\d)",
    re.IGNORECASE,
)


def _magnitudes(text: str) -> list[Quantity]:
    """A quake's magnitude, whichever way it is printed (one decimal, below 10)."""
    out = []
    for m in _MAGNITUDE.finditer(text):
        group = next(g for g in ("a", "b", "c") if m[g])
        word = m["h1"] or m["h2"] or m["h3"]
        hedge = _HEDGES[word.lower()] if word else "exact"
        value = float(m[group])
        out.append(Quantity(value, "magnitude", hedge, m.start(), m.end(), 0.1))
    return out


_RANGE = re.compile(
    r"\bbetween\s+(?P<a>" + _NUM + r")\s*(?:per ?cent|%)?\s+and\s+(?P<b>" + _NUM + r")\s*"
    r"(?P<unit>per ?cent\b|%|[A-Za-z]{2,})"
    r"|(?<![\w.,])(?P<c>"
    + _NUM
    + r")\s*(?P<unit2>per ?cent\b|%)\s+(?:to|and)\s+(?P<d>"
    + _NUM
    + r")\s*(?:per ?cent\b|%)",
    re.IGNORECASE,
)


def _ranges(text: str) -> list[Quantity]:
    """ "between 40 and 80 percent", "40 percent to 70 percent": one range, not two figures."""
    out = []
    for m in _RANGE.finditer(text):
        low, high = (m["a"], m["b"]) if m["a"] else (m["c"], m["d"])
        unit = _unit(m["unit"] or m["unit2"])
        if unit is None:
            continue
        value, upper = float(low.replace(",", "")), float(high.replace(",", ""))
        out.append(Quantity(value, unit, "range", m.start(), m.end(), _step(low), upper))
    return out


#: What a casualty verb counts: "killing at least seven people", "injuring 40",
#: "wounding other 70", "killed more than 31,000 in the city".
_CASUALTY_VERBS = {
    "kill": "people killed", "killing": "people killed", "killed": "people killed",
    "kills": "people killed", "injure": "people injured", "injuring": "people injured",
    "injured": "people injured", "injures": "people injured", "wounding": "people injured",
    "wounded": "people injured", "wounds": "people injured", "hurting": "people injured",
    "hurt": "people injured",
}  # fmt: skip
_CASUALTY_AFTER = {
    "killed": "people killed", "dead": "people killed", "died": "people killed",
    "injured": "people injured", "wounded": "people injured", "hurt": "people injured",
}  # fmt: skip
_VERB_ALT = "|".join(sorted(_CASUALTY_VERBS, key=len, reverse=True))
_BARE_CASUALTY = re.compile(
    r"\b(?P<verb>" + _VERB_ALT + r")\s+(?:(?:another|other)\s+)?" + _HEDGE
    + r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|" + _WORD_NUM + r")\b(?![.,:]\d|\s*(?:%|per ?cent|-))",
    re.IGNORECASE,
)  # fmt: skip
_BEFORE_CASUALTY = re.compile(
    r"\b(?P<verb>" + _VERB_ALT + r")\s+(?:(?:another|other)\s+)?$", re.IGNORECASE
)
_AFTER_CASUALTY = re.compile(
    r"\s+(?:(?:were|was|are|is|have|has|had|been|being|reportedly|also|now|later|\w+ly)\s+)*"
    r"(?P<word>killed|dead|died|injured|wounded|hurt)\b",
    re.IGNORECASE,
)
#: Who a casualty figure can count: people of any description.
_PERSONS = frozenset(
    "people other villager resident civilian men women soldier officer worker student "
    "passenger victim pilgrim tourist child".split()
)


def _bare_casualties(text: str) -> list[Quantity]:
    """A figure right after a casualty verb with no noun after it: "injuring 40, 15 of them
    on Qeshm" counts people injured."""
    out = []
    for m in _BARE_CASUALTY.finditer(text):
        raw = m["num"]
        if raw[0].isdigit():
            value, step = float(raw.replace(",", "")), _step(raw)
        else:
            value, step = float(_WORD_VALUES[raw.lower()]), 1.0
        if raw.isdigit() and 1800 <= value <= 2100:
            continue
        hedge = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        unit = _CASUALTY_VERBS[m["verb"].lower()]
        start = m.start("hedge") if m["hedge"] else m.start("num")
        out.append(Quantity(value, unit, hedge, start, m.end("num"), step))
    return out


def _casualty(text: str, q: Quantity) -> Quantity:
    """A count of people is a toll when a casualty word stands by it: "killing at least
    seven people" and "three people killed" count the dead, "injured two people" the
    hurt; a count of the dead never conflicts with a count of the hurt."""
    if q.unit not in _PERSONS:
        return q
    after = _AFTER_CASUALTY.match(text, q.end)
    if after and after.end() - q.end <= 40:
        return replace(q, unit=_CASUALTY_AFTER[after["word"].lower()])
    before = _BEFORE_CASUALTY.search(text, max(0, q.start - 25), q.start)
    if before:
        return replace(q, unit=_CASUALTY_VERBS[before["verb"].lower()])
    return q


_MILE_KM = 1.609344


def _metric(text: str, q: Quantity) -> Quantity | None:
    """Miles as kilometres (outlets convert one into the other); a distance in brackets
    ("1,150 kilometers (700 miles)") is a conversion, not a figure of its own."""
    if q.unit in ("mile", "km", "km2") and _IN_BRACKETS.search(text, max(0, q.start - 3), q.start):
        return None
    if q.unit == "mile":
        upper = q.upper * _MILE_KM if q.upper is not None else None
        return replace(q, unit="km", value=q.value * _MILE_KM, step=q.step * _MILE_KM, upper=upper)
    return q


def _overlapping(q: Quantity, taken: list[Quantity]) -> bool:
    return any(q.start < t.end and t.start < q.end for t in taken)


def quantities(text: str) -> list[Quantity]:
    """Every counted number of a text, in order.

    Money, calibres and ordinals are read first; a plain count is kept only where
    none of them was read (so "$2 million" is not also "2 million").

    Args:
        text (str): a sentence or statement.

    Returns:
        list[Quantity]: the quantities (years, times, ages and money without a
        currency excluded).
    """
    out: list[Quantity] = []
    found = [
        *_money(text),
        *_calibers(text),
        *_magnitudes(text),
        *_ordinals(text),
        *_ranges(text),
        *_plain(text),
        *_children(text),
        *_bare_casualties(text),
    ]
    for q in [*found, *_crowds(text)]:
        if not _overlapping(q, out):
            out.append(q)
    read = (_metric(text, _casualty(text, q)) for q in out)
    return sorted((q for q in read if q is not None), key=lambda q: q.start)


def conflicts(a: Quantity, b: Quantity) -> bool:
    """Two quantities of one unit whose allowed values do not overlap.

    Two bounds of one direction are two reports of one count, each the figure its
    source gives ("killing at least seven people" / "killed at least six people";
    "more than 26,000" / "more than 31,000" dead): they conflict when the figures
    differ beyond rounding, as two bare figures would. A bound against a bare figure
    keeps its interval ("at least 12 shots" allows 13).
    """
    if a.unit != b.unit:
        return False
    if a.hedge == b.hedge and a.hedge in ("at_least", "at_most"):
        a, b = replace(a, hedge="exact"), replace(b, hedge="exact")
    a0, a1 = a.interval()
    b0, b1 = b.interval()
    return a1 < b0 or b1 < a0
