"""Time-expression error classes seen on coverage nobody tuned on (issue #25, "Time").

Every sentence is hand-built, none is benchmark text. Each class: month-day dates
without a year, weekends, and numbers that only look like years.
"""

from __future__ import annotations

from datetime import date

import pytest

from storytrace.stages.dates.timex import find_time_expressions


def _values(text: str, dct: date) -> dict[str, str]:
    return {e.text: e.value for e in find_time_expressions(text, dct)}


# --------------------------------------------------------------- month-day, no year


@pytest.mark.parametrize(
    ("text", "dct", "expr", "value"),
    [
        # the year the article prints nearby, same sentence or the one before
        ("In 2019, the plant closed. It reopened on March 3 after repairs.",
         date(2025, 6, 2), "March 3", "2019-03-03"),
        ("The plant, shut in 2019, reopened on March 3 that year after repairs.",
         date(2025, 6, 2), "March 3", "2019-03-03"),
        ("The 2021 season began badly. On Sept. 12 the team lost its coach.",
         date(2024, 2, 20), "Sept. 12", "2021-09-12"),
        ("In 2019, the plant closed. It reopened on March 3. On April 5 it closed again.",
         date(2025, 6, 2), "April 5", "2019-04-05"),
        ("By May 2, 2018 the mine was flooded; on June 9 it was sealed.",
         date(2025, 8, 20), "June 9", "2018-06-09"),
        # no year printed: the publication date's year, with the rollover
        ("The deal was signed on Dec. 30, the company said.",
         date(2025, 1, 2), "Dec. 30", "2024-12-30"),
        ("The company said on Dec. 30 it had sold the plant.",
         date(2025, 1, 2), "Dec. 30", "2024-12-30"),
        ("The vote will be held Jan. 5.", date(2024, 12, 28), "Jan. 5", "2025-01-05"),
        ("The strike began on March 3.", date(2025, 6, 2), "March 3", "2025-03-03"),
        # a year printed before fresh news does not pull the news back
        ("Sales rose in 2007. According to an April 2 report, the memo was real.",
         date(2008, 4, 9), "April 2", "2008-04-02"),
        # a later year is a plan, not the year of a past day
        ("The line will open in 2027. Work stopped on March 3.",
         date(2025, 6, 2), "March 3", "2025-03-03"),
    ],
)  # fmt: skip
def test_month_day_takes_the_printed_year_else_the_dct_year(
    text: str, dct: date, expr: str, value: str
) -> None:
    assert _values(text, dct)[expr] == value


def test_month_day_in_a_printed_year_keeps_its_interval_and_evidence() -> None:
    found = {
        e.text: e
        for e in find_time_expressions(
            "In 2019, the plant closed. It reopened on March 3.", date(2025, 6, 2)
        )
    }
    day = found["March 3"]
    assert day.interval is not None
    assert day.interval.earliest == day.interval.latest == date(2019, 3, 3)
    assert day.interval.inferred  # resolved, not printed
    assert day.anchor == f"expr@{found['2019'].start}"  # counted from the printed year
    assert day.interval.evidence[0].snippet == "March 3"


# --------------------------------------------------------------- weekends


# 2025-04-05/06 is a weekend; 2025-04-07 a Monday, 2025-04-09 a Wednesday,
# 2025-04-12 a Saturday, 2025-04-14 a Monday.
@pytest.mark.parametrize(
    ("text", "dct", "expr", "value"),
    [
        ("Police said the fire broke out over the weekend.", date(2025, 4, 9),
         "the weekend", "2025-W14-WE"),
        ("Over the weekend, talks collapsed.", date(2025, 4, 7), "the weekend", "2025-W14-WE"),
        ("Police said the fire broke out last weekend.", date(2025, 4, 9),
         "last weekend", "2025-W14-WE"),
        ("Police said the fire broke out last weekend.", date(2025, 4, 12),
         "last weekend", "2025-W14-WE"),
        ("Crowds gathered over the weekend, police said.", date(2025, 4, 12),
         "the weekend", "2025-W15-WE"),
        ("The festival will be held this weekend.", date(2025, 4, 9),
         "this weekend", "2025-W15-WE"),
        ("The leaders will meet over the weekend.", date(2025, 4, 9),
         "the weekend", "2025-W15-WE"),
        ("The festival was held this weekend.", date(2025, 4, 14),
         "this weekend", "2025-W15-WE"),
        ("Talks are planned this weekend.", date(2025, 4, 9), "this weekend", "2025-W15-WE"),
    ],
)  # fmt: skip
def test_weekend_is_the_right_weekend_relative_to_the_dct(
    text: str, dct: date, expr: str, value: str
) -> None:
    assert _values(text, dct)[expr] == value


def test_weekend_interval_is_saturday_and_sunday() -> None:
    (found,) = find_time_expressions("The festival was held this weekend.", date(2025, 4, 14))
    assert found.interval is not None
    assert (found.interval.earliest, found.interval.latest) == (
        date(2025, 4, 12),
        date(2025, 4, 13),
    )


# --------------------------------------------------------------- numbers that look like years


@pytest.mark.parametrize(
    "text",
    [
        "More than 2,000 people marched.",
        "About 2000 people marched.",
        "The army sent 1500 troops to the border.",
        "Police arrested 2010 protesters.",
        "The index rose 2015 points.",
        "The ruling is on page 2013 of the report.",
        "They live at 2016 Main Street.",
        "Flight 2011 landed safely.",
        "The bill, H.R. 2010, passed.",
        "Room 2003 was locked.",
        "The Lakers won 2012 to 1998.",
        "The motion passed 2001-1999 after a recount.",
    ],
)
def test_numbers_that_look_like_years_are_not_dated(text: str) -> None:
    assert [e for e in find_time_expressions(text, date(2025, 4, 7)) if e.type == "DATE"] == []


@pytest.mark.parametrize(
    ("text", "expr"),
    [
        ("In 2010 protesters stormed the building.", "2010"),
        ("The 2010 elections were close.", "2010"),
        ("Ford posted 2008 results on Tuesday.", "2008"),
        ("The company's 2009 profits fell.", "2009"),
        ("Prices rose from 2009 to 2011.", "2009"),
        ("It was a 2010 report.", "2010"),
        ("The U.S. 2008 election was close.", "2008"),
        ("Boeing 2010 revenue rose.", "2010"),
    ],
)
def test_years_that_modify_a_noun_stay_years(text: str, expr: str) -> None:
    assert _values(text, date(2025, 4, 7))[expr] == expr


# --------------------------------------------------------------- tense of irregular verbs


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        # an irregular past is a past marker: the March before the DCT, not the next one
        ("Sales fell in March, after the plant closed.", "March", "2008-03"),
        ("It rose in March.", "March", "2008-03"),
        ("GM sold Hummer in the spring.", "the spring", "2008-SP"),
        ("The company lost money in May.", "May", "2008-05"),
        # a passive of one says nothing about when; a plan stays ahead
        ("The fair is held in March.", "March", "2009-03"),
        ("The vote is to be held in March.", "March", "2009-03"),
        ("The plant will be built in March.", "March", "2009-03"),
    ],
)
def test_irregular_past_verbs_set_the_tense(text: str, expr: str, value: str) -> None:
    assert _values(text, date(2008, 11, 7))[expr] == value


# --------------------------------------------------------------- a quarter after its year


@pytest.mark.parametrize(
    ("text", "expr", "value"),
    [
        ("GM reported 2008 third-quarter results on Friday.", "2008 third-quarter", "2008-Q3"),
        ("Its 2007 fourth quarter was the worst.", "2007 fourth quarter", "2007-Q4"),
        ("The 2009 first-half loss widened.", "2009 first-half", "2009-H1"),
        ("In the third quarter of 2008 sales fell.", "the third quarter of 2008", "2008-Q3"),
    ],
)
def test_a_year_before_a_quarter_is_one_expression(text: str, expr: str, value: str) -> None:
    found = _values(text, date(2008, 11, 7))
    assert found[expr] == value
    assert not any(e != expr and e in expr for e in found)  # the year is not tagged apart


# --------------------------------------------------------------- "the quarter"


def test_the_quarter_is_the_quarter_last_mentioned() -> None:
    text = "GM lost $2.5 billion in the third quarter. Revenue fell 13 percent in the quarter."
    found = find_time_expressions(text, date(2008, 11, 7))
    assert [(e.text, e.value) for e in found] == [
        ("the third quarter", "2008-Q3"),
        ("the quarter", "2008-Q3"),
    ]
    assert found[1].anchor == f"expr@{found[0].start}"


@pytest.mark.parametrize(
    "text",
    [
        "Revenue fell in the quarter.",  # no quarter mentioned before: not guessed
        "On Friday it sold the quarter of its shares it held.",
        "They met in the French Quarter last night.",
    ],
)
def test_the_quarter_without_an_earlier_quarter_is_no_time(text: str) -> None:
    assert "the quarter" not in {
        e.text.lower() for e in find_time_expressions(text, date(2008, 11, 7))
    }
