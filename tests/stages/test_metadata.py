"""Metadata read from printed text and merged with input fields and markup."""

from __future__ import annotations

from datetime import date

import pytest
from tests.helpers import cleaned_from_lines

from storytrace.records import (
    DateValue,
    Evidence,
    Metadata,
    RawInput,
    SourceRef,
    TextValue,
)
from storytrace.records import (
    SegmentLabel as L,
)
from storytrace.stages.metadata.text import (
    MetadataConfig,
    merge_metadata,
    read_author,
    read_outlet,
    read_published,
    read_title,
    read_url,
)

BODY = (
    "Iran has delivered long-range missiles to militias in Iraq for the first time, officials said."
)


def test_metadata_title_from_title_segment_with_evidence() -> None:
    cleaned = cleaned_from_lines([("Iran moves missiles to Iraq", L.TITLE), (BODY, L.BODY)])
    title = read_title(cleaned)
    assert title.value == "Iran moves missiles to Iraq"
    assert title.evidence[0].ref == "page_text" and title.evidence[0].start == 0


def test_metadata_title_rejects_a_subheading_repeated_in_the_body() -> None:
    # Seed 002: the first line is a pull quote that reappears in the body.
    sub = "According to the report, the transfer marked the first time"
    cleaned = cleaned_from_lines([(sub, L.TITLE), (BODY + " " + sub + ".", L.BODY)])
    assert read_title(cleaned).value is None


@pytest.mark.parametrize(
    ("line", "label", "author"),
    [
        ("by Emmitt Barry, Worthy News Correspondent", L.BYLINE, "Emmitt Barry"),
        ("By Tamilla Hasanova", L.BYLINE, "Tamilla Hasanova"),
        ("About Siavosh Hosseini (348 Articles)", L.AUTHOR_BIO, "Siavosh Hosseini"),
        ("About The Author", L.AUTHOR_BIO, None),
        ("Shiite militia in IraqReuters", L.CAPTION, None),
        ("By Jane Doe and John Roe", L.BYLINE, "Jane Doe and John Roe"),
    ],
)
def test_metadata_author_from_bylines_not_captions(line: str, label: L, author: str | None) -> None:
    cleaned = cleaned_from_lines([(BODY, L.BODY), (line, label)])
    assert read_author(cleaned).value == author


@pytest.mark.parametrize(
    ("lines", "outlet"),
    [
        (
            [
                (
                    "Copyright 1999-2025 Worthy News. This article was originally published on Worthy News.",
                    L.LEGAL,
                )
            ],
            "Worthy News",
        ),
        (
            [
                ("Caliber.az © 2025. .", L.LEGAL),
                (
                    "Any use of materials is allowed only if there is a hyperlink to Caliber.az",
                    L.LEGAL,
                ),
            ],
            "Caliber.az",
        ),
        (
            [("Israel National News", L.BOILERPLATE), ("Israel National News", L.BOILERPLATE)],
            "Israel National News",
        ),
        ([("(Reuters) – Iran has delivered missiles.", L.BODY)], "Reuters"),
        ([("Latest News from Worthy News", L.RELATED), ("© 2025 Worthy News", L.RELATED)], None),
    ],
)
def test_metadata_outlet_from_printed_cues(lines: list[tuple[str, L]], outlet: str | None) -> None:
    cleaned = cleaned_from_lines([(BODY, L.BODY), *lines])
    assert read_outlet(cleaned).value == outlet


def test_metadata_url_from_content_retrieved_line() -> None:
    cleaned = cleaned_from_lines(
        [
            (BODY, L.BODY),
            ("Content retrieved from: https://www.israelnationalnews.com/news/406622.", L.LEGAL),
        ]
    )
    url = read_url(cleaned)
    assert url.value == "https://www.israelnationalnews.com/news/406622"
    start = url.evidence[0].start
    assert start is not None and cleaned.page_text[start : url.evidence[0].end] == url.value


def test_metadata_published_from_dateline_not_from_related_footer() -> None:
    cleaned = cleaned_from_lines([
        ("Iran moves missiles", L.TITLE), ("09 April 2025 12:58", L.DATELINE), (BODY, L.BODY),
        ("Latest News", L.RELATED), ("November 14, 2025", L.RELATED),
    ])  # fmt: skip
    published = read_published(cleaned, MetadataConfig())
    assert published.earliest is not None and published.earliest.date() == date(2025, 4, 9)  # type: ignore[union-attr]


def test_metadata_published_unknown_when_only_related_or_body_dates() -> None:
    cleaned = cleaned_from_lines(
        [(BODY + " On April 8, 2025 the Times reported.", L.BODY), ("November 14, 2025", L.RELATED)]
    )
    assert not read_published(cleaned, MetadataConfig()).known


def test_metadata_merge_prefers_input_fields_then_markup_then_print() -> None:
    raw = RawInput(
        SourceRef("f.jsonl", "line 1"),
        "text",
        text=BODY,
        url="https://www.example.org/a",
        fields=(("author", "Given Author"),),
    )
    printed = Metadata(
        title=TextValue("Printed title"),
        author=TextValue("Printed Author"),
        published=DateValue(date(2025, 4, 9), date(2025, 4, 9), "day"),
    )
    markup = Metadata(title=TextValue("Markup title", (Evidence("markup", 0, 5, "<title>", "t"),)))
    merged = merge_metadata(raw, printed, markup)
    assert merged.author.value == "Given Author" and merged.author.evidence[0].ref == "input"
    assert merged.title.value == "Markup title"
    assert merged.published.earliest == date(2025, 4, 9)
    assert merged.url.value == "https://www.example.org/a"
    assert merged.outlet.value == "example.org" and merged.outlet.confidence == 0.5


def test_metadata_merge_leaves_unknowns_unknown() -> None:
    raw = RawInput(SourceRef("f.txt"), "text", text=BODY)
    merged = merge_metadata(raw, Metadata())
    assert (merged.title.value, merged.outlet.value, merged.author.value, merged.url.value) == (
        None,
        None,
        None,
        None,
    )
    assert not merged.published.known
