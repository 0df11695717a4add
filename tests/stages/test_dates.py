"""Printed dates: every common form, precision and zone kept, nothing invented."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from storytrace.stages.dates.printed import find_dates, parse_printed_date

GMT3 = timezone(timedelta(hours=3))


@pytest.mark.parametrize(
    ("printed", "earliest", "precision", "tz"),
    [
        (
            "Apr 9, 2025, 5:53 AM (GMT+3)",
            datetime(2025, 4, 9, 5, 53, tzinfo=GMT3),
            "minute",
            "GMT+3",
        ),
        ("09 April 2025 12:58", datetime(2025, 4, 9, 12, 58), "minute", None),
        ("2025-04-09T05:53:00+03:00", datetime(2025, 4, 9, 5, 53, tzinfo=GMT3), "second", "+03:00"),
        ("2025-04-09", date(2025, 4, 9), "day", None),
        (
            "Wednesday, April 9, 2025 at 10:00 p.m. EDT",
            datetime(2025, 4, 9, 22, 0, tzinfo=timezone(timedelta(hours=-4))),
            "minute",
            "EDT",
        ),
        ("Sept. 3, 2018", date(2018, 9, 3), "day", None),
        ("9th April 2025", date(2025, 4, 9), "day", None),
        ("13/04/2025", date(2025, 4, 13), "day", None),
        ("04/13/2025", date(2025, 4, 13), "day", None),
        ("Posted 12 Dec 2024 | 18:05 IST", datetime(2024, 12, 12, 18, 5), "minute", "IST"),
    ],
)
def test_dates_reads_printed_forms(
    printed: str, earliest: date, precision: str, tz: str | None
) -> None:
    value = parse_printed_date(printed)
    assert value is not None
    assert value.earliest == earliest and value.latest == earliest
    assert value.precision == precision and value.tz == tz
    assert value.evidence and value.evidence[0].snippet in printed


def test_dates_month_only_is_a_month_interval_not_the_first() -> None:
    value = parse_printed_date("April 2025")
    assert value is not None
    assert (value.earliest, value.latest, value.precision) == (
        date(2025, 4, 1),
        date(2025, 4, 30),
        "month",
    )


@pytest.mark.parametrize(
    "printed",
    ["04/09/2025", "Copyright 1999-2025 Worthy News", "February 30, 2025", "Views: 281", ""],
)
def test_dates_reads_nothing_from_ambiguous_or_impossible_text(printed: str) -> None:
    assert parse_printed_date(printed) is None


def test_dates_reads_ambiguous_numeric_dates_with_a_locale_order() -> None:
    value = parse_printed_date("04/09/2025", day_first=True)
    assert value is not None and value.earliest == date(2025, 9, 4)


def test_dates_find_dates_gives_spans_in_order() -> None:
    text = "Filed 09 April 2025 12:58; updated April 10, 2025."
    matches = find_dates(text, base=100)
    assert [text[m.start - 100 : m.end - 100] for m in matches] == [
        "09 April 2025 12:58",
        "April 10, 2025",
    ]
    assert all(m.value.evidence[0].start == m.start for m in matches)


@pytest.mark.parametrize(
    "printed",
    [
        "April 9, 2025 5:53 AM GMT+35",
        "April 9, 2025 5:53 AM UTC+14:75",
        "2025-04-09T05:53:00+25:00",
    ],
)
def test_dates_impossible_utc_offset_is_kept_as_text_not_converted(printed: str) -> None:
    # Regression: fuzzing found that an offset of 24 hours or more crashed the stage.
    matches = find_dates(printed)
    assert all(
        m.value.earliest is None or getattr(m.value.earliest, "tzinfo", None) is None
        for m in matches
    )
