"""Rule gates: each time-expression rule runs only over lines holding words its
matches must contain. The gated tagger must find exactly what one pass of every
rule over the whole text finds.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.helpers import SEEDS

from storytrace.stages.dates.timex import engine
from storytrace.stages.dates.timex.gates import DIGIT, folded, gate
from storytrace.stages.dates.timex.rules import RULES

SEED_FILES = sorted(SEEDS.glob("*.txt"))  # the bundled copy: CI has no ../shared

#: Every kind of expression, in odd cases and across line breaks.
STRESS = """On Tuesday, March 3rd 2025 at 5 p.m.
(GMT) officials met; LAST WEEK and next month, Q3 2024, the 1990s.
THE SAME PERIOD LAST YEAR, three days ago, 12/04/2023, 2024-02-29T10:00.
Christmas Eve of 2019, the end of the fiscal year, twice a week, every other day.
Q1 results. In ſpring 2021 and ın March; ٢٠٢٤ and 2024. 10:30\r\nam. Decades-long wars, over the years.
at present, in recent weeks, a later date, the day before yesterday, mid-2020, FY2023.
"""


Found = tuple[int, int, int, tuple[tuple[int, int], ...]]


def _one_pass(text: str) -> list[Found]:
    """Every rule's candidates, with the spans of all its groups (handlers read them)."""
    found = []
    for priority, rule in enumerate(RULES):
        for match in rule.pattern.finditer(text):
            start, end = engine._extent(match)
            if end > start:
                found.append((start, end, priority, match.regs))
    return sorted(found)


def _gated(text: str) -> list[Found]:
    return sorted((c.start, c.end, c.priority, c.match.regs) for c in engine._candidates(text))


def _texts() -> list[str]:
    # (no "İ": its lower-casing moves offsets, and the text would not be gated at all)
    texts = [STRESS, STRESS.upper(), STRESS.replace("\n", " "), "İ " + STRESS, ""]
    texts += [p.read_text(encoding="utf-8") for p in SEED_FILES]
    return texts


@pytest.mark.parametrize("index", range(len(_texts())))
def test_gated_rules_find_what_one_pass_finds(index: int) -> None:
    text = _texts()[index]
    assert _gated(text) == _one_pass(text)


def test_seeds_are_read() -> None:
    assert len(SEED_FILES) == 5  # the equality above is only as wide as its texts


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "May",
                    "may ",
                    "Tuesday",
                    "2024",
                    "\n",
                    "ago",
                    " 3 ",
                    "weeks",
                    "last ",
                    "the ",
                    "ſ",
                    "İ",
                    "٣",
                    "p.m.",
                    ":",
                    "FY",
                    "-",
                    "year",
                    "century",
                    "s",
                    "0",
                    "Q",
                    "quarter",
                ]
            ),
            st.text(max_size=6),
        ),
        max_size=40,
    ).map("".join)
)
def test_gated_rules_equal_one_pass_on_any_text(text: str) -> None:
    assert _gated(text) == _one_pass(text)


@pytest.mark.parametrize("index", range(len(RULES)))
def test_every_match_holds_its_rule_words(index: int) -> None:
    rule, rule_gate = RULES[index], engine._GATES[index]
    for text in _texts():
        low = folded(text)
        if low is None:
            continue
        for match in rule.pattern.finditer(text):
            found = low[match.start() : match.end()]
            for clause in rule_gate.clauses:
                assert any(re.search(r"\d", found) if w == DIGIT else w in found for w in clause), (
                    rule.name,
                    match.group(),
                    clause,
                )


def test_gate_reads_literals_branches_and_repeats() -> None:
    got = gate(re.compile(r"\b(?:jan|FEB)uary\b", re.I))
    assert set(got.clauses) == {frozenset({"uary"}), frozenset({"jan", "feb"})}
    assert gate(re.compile(r"a?(?:b|)c*")).clauses == ()  # nothing is required
    assert gate(re.compile(r"x+\d{4}")).clauses[0] in (frozenset({"x"}), frozenset({DIGIT}))
    assert gate(re.compile(r"(?=ago)\bnow")).clauses == (frozenset({"now"}),)


def test_gate_knows_which_rules_may_cross_a_line() -> None:
    assert gate(re.compile(r"a b")).one_line
    assert gate(re.compile(r"(?<![\w\s])a")).one_line  # look-behinds see past ``pos``
    assert gate(re.compile(r"[0-9]+:[0-5]\d")).one_line
    for crossing in (r"a\sb", r"a[^b]c", r"a.c", r"a\nb", r"(a)\1", r"a(?!\s*\d)"):
        assert not gate(re.compile(crossing)).one_line, crossing


def test_folding_keeps_offsets_or_gives_up() -> None:
    assert folded("İstanbul") is None  # lower-casing adds a combining dot
    assert folded("ſpring") == "spring"  # re.IGNORECASE folds the long s onto "s"
    assert folded("MAY") == "may"
