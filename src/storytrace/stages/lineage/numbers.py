"""Quantities in text ("as many as 20,000 people", "5.4 per cent") and when two conflict.

A quantity is a number with the word it counts and its hedge. Hedges make it an
interval: "at least 12 shots" is [12, ∞) and does not conflict with "13 shots";
"as many as 20,000 people" is [0, 20,000] and does conflict with "roughly 30,000
people" ([25,500, 34,500]). Times of day ("6 p.m.", "6:00"), years, ages
("38-year-old"), money magnitudes ("$143 billion", often converted at different
rates) and ordinals are not quantities here.

DOCS: docs/stages/disagreements.md
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal

Hedge = Literal["exact", "at_least", "at_most", "about"]

__all__ = ["Quantity", "conflicts", "quantities"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """A counted number in a text.

    Attributes:
        value (float): the number.
        unit (str): the counted word, normalised ("people", "km", "%").
        hedge (Hedge): exact, at least, at most, or about.
        start (int): offset of the quantity (hedge included) in the text.
        end (int): end of the unit word.
    """

    value: float
    unit: str
    hedge: Hedge
    start: int
    end: int

    def interval(self) -> tuple[float, float]:
        """The values the text allows."""
        v = self.value
        if self.hedge == "at_least":
            return v, math.inf
        if self.hedge == "at_most":
            return 0.0, v
        if self.hedge == "about":
            return 0.85 * v, 1.15 * v
        return v, v


_HEDGES: dict[str, Hedge] = {
    "at least": "at_least", "more than": "at_least", "over": "at_least",
    "up to": "at_most", "as many as": "at_most", "fewer than": "at_most",
    "less than": "at_most", "under": "at_most", "nearly": "at_most", "almost": "at_most",
    "about": "about", "around": "about", "roughly": "about", "approximately": "about",
    "some": "about", "an estimated": "about",
}  # fmt: skip
_QUANTITY = re.compile(
    r"(?:\b(?P<hedge>" + "|".join(sorted(_HEDGES, key=len, reverse=True)) + r")\s+)?"
    r"(?<![\w.,:$€£¥-])(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d:])"
    r"\s*(?:-\s*)?(?P<unit>per ?cent\b|%|[A-Za-z]{2,}(?:-[A-Za-z]+)*)",
    re.IGNORECASE,
)
_UNIT_ALIASES = {
    "kilometers": "km", "kilometres": "km", "kilometer": "km", "kilometre": "km",
    "percent": "%", "per cent": "%", "percentage": "%", "persons": "people", "person": "people",
}  # fmt: skip
_NOT_UNITS = frozenset(
    "am pm st nd rd th of and the in on at to for from with by was were is are who that "
    "this these those or but as a an year years yr million billion trillion thousand "
    "hundred dozen times time per than and-a-half gmt utc bst est pst".split()
)


def _unit(raw: str) -> str | None:
    word = raw.lower()
    if word.startswith(("year-old", "year", "month-old", "day-old")) or word in _NOT_UNITS:
        return None
    word = _UNIT_ALIASES.get(word, word)
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def quantities(text: str) -> list[Quantity]:
    """Every counted number of a text, in order.

    Args:
        text (str): a sentence or statement.

    Returns:
        list[Quantity]: the quantities (years, times, ages and money magnitudes excluded).
    """
    out = []
    for m in _QUANTITY.finditer(text):
        unit = _unit(m["unit"])
        value = float(m["num"].replace(",", ""))
        if unit is None or ("," not in m["num"] and "." not in m["num"] and 1800 <= value <= 2100):
            continue
        hedge = _HEDGES[m["hedge"].lower()] if m["hedge"] else "exact"
        out.append(Quantity(value, unit, hedge, m.start(), m.end()))
    return out


def conflicts(a: Quantity, b: Quantity) -> bool:
    """Two quantities of one unit whose allowed values do not overlap."""
    if a.unit != b.unit:
        return False
    a0, a1 = a.interval()
    b0, b1 = b.interval()
    return a1 < b0 or b1 < a0
