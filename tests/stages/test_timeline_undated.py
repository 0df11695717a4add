"""Statements that print no date are placed on or before their article's publication.

Hand-built articles through ``build_timeline`` itself; sentence vectors are all zeros
(the embed service is passed in: nothing here merges by similarity).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.helpers import body_document

from storytrace.models.services import DIM
from storytrace.records import (
    Claim,
    ClaimMention,
    DateValue,
    DocSpan,
    Document,
    Metadata,
    Story,
    TextValue,
    TimelineEntry,
)
from storytrace.records.codec import date_value_json
from storytrace.stages.lineage.timeline import (
    PUBLISHED_METHOD,
    REPORTED_METHOD,
    TimelineConfig,
    build_timeline,
    date_conflicts,
)

TEXT = (
    "Flood waters broke through the river barrier and forced families from their homes.\n\n"
    "The mayor said the barrier had not been inspected since 2019.\n\n"
    "Rescue teams searched the flooded streets on Tuesday.\n\n"
    "Engineers will inspect every barrier in the valley.\n\n"
    "Officials say repairs will cost millions."
)


def _zeros(texts: Sequence[str]) -> NDArray[np.float32]:
    return np.zeros((len(texts), DIM), dtype=np.float32)


def _doc(doc_id: str, text: str, day: date | None) -> Document:
    published = DateValue(day, day, "day") if day else DateValue.unknown()
    return body_document(
        text, doc_id, Metadata(outlet=TextValue("River News"), published=published)
    )


def _timeline(
    docs: Sequence[Document], claims: Sequence[Claim] = (), config: TimelineConfig | None = None
) -> tuple[TimelineEntry, ...]:
    story = Story("s", tuple(d.doc_id for d in docs), "test")
    return build_timeline(docs, [story], [], config, claims, embed=_zeros)


def _reported(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    return [e for e in entries if e.method == REPORTED_METHOD]


def test_undated_statements_are_placed_on_or_before_publication() -> None:
    doc = _doc("a", TEXT, date(2025, 4, 9))
    entries = _timeline([doc], config=TimelineConfig(main_event=False))
    reported = _reported(entries)
    texts = [e.text for e in reported]
    # the flood (no date printed) and "officials say" are placed; the mayor's 2019 and
    # Tuesday's search are dated by their own expressions; the future plan is not placed
    assert texts == [
        "Flood waters broke through the river barrier and forced families from their homes.",
        "Officials say repairs will cost millions.",
    ]
    assert {"2019", "2025-04-08"} <= {e.value for e in entries}
    for entry in reported:
        assert entry.value == "../2025-04-09"
        assert entry.when.earliest is None and entry.when.latest == date(2025, 4, 9)
        assert entry.when.inferred and entry.when.confidence == 0.3
        assert date_value_json(entry.when)["display"] == "on or before 2025-04-09"
        assert entry.when.evidence[0].snippet == entry.text
        (source,) = entry.sources
        assert source.anchor.startswith("publication date: the sentence prints no date")
        assert "on or before 2025-04-09" in source.anchor
        assert source.timex.start == source.timex.end  # nothing printed
        assert doc.text[source.sentence.start : source.sentence.end] == entry.text


def test_undated_statement_of_a_future_plan_is_not_placed() -> None:
    doc = _doc(
        "a", "Engineers will inspect every barrier in the valley next spring.", date(2025, 4, 9)
    )
    assert _reported(_timeline([doc])) == []
    said = _doc("b", "The council said engineers will inspect every barrier.", date(2025, 4, 9))
    assert [
        e.text for e in _reported(_timeline([said], config=TimelineConfig(main_event=False)))
    ] == ["The council said engineers will inspect every barrier."]


@pytest.mark.parametrize(
    ("sentence", "placed"),
    [
        # background in the past perfect: from before the events reported
        ("Boeing had previously hired a senior Air Force official.", False),
        ("The airline had approached Boeing about a deal for new jets.", False),
        # a state in the present, nothing past or reported in it: no event
        ("Ryanair owns a 25 percent share in Aer Lingus.", False),
        ("Airbus is owned by the European aerospace group EADS.", False),
        # a past, a perfect, a present report, a headline in the present: placed
        ("The engineers had left when the barrier gave way.", True),
        ("Airbus has confirmed a software glitch on the maiden flight.", True),
        ("Boeing says airlines demand better fuel efficiency.", True),
        ("Boeing unveils long-range 777 at the Paris show", True),
    ],
)
def test_undated_statement_must_state_something_that_happened(sentence: str, placed: bool) -> None:
    doc = _doc("a", sentence, date(2025, 4, 9))
    found = _reported(_timeline([doc], config=TimelineConfig(main_event=False)))
    assert [e.text for e in found] == ([sentence.strip()] if placed else [])


def test_undated_statements_need_a_publication_date() -> None:
    assert _reported(_timeline([_doc("a", TEXT, None)])) == []


def test_undated_statements_off_keeps_only_dated_entries() -> None:
    entries = _timeline([_doc("a", TEXT, date(2025, 4, 9))], config=TimelineConfig(undated=False))
    assert _reported(entries) == []
    assert {e.method for e in entries} <= {"timeline.timex-minilm.v2", PUBLISHED_METHOD}


def test_main_event_lead_is_not_placed_twice() -> None:
    entries = _timeline([_doc("a", TEXT, date(2025, 4, 9))])
    (main,) = [e for e in entries if e.method == PUBLISHED_METHOD]
    assert main.text.startswith("Flood waters broke through")
    assert all(not e.text.startswith("Flood waters") for e in _reported(entries))


def test_one_claim_in_two_articles_is_one_entry_bounded_by_the_first_report() -> None:
    first = _doc(
        "a", "Flood waters broke through the river barrier overnight in the town.", date(2025, 4, 9)
    )
    later = _doc(
        "b", "The river barrier gave way to the flood waters in the lower town.", date(2025, 4, 11)
    )
    claim = Claim(
        "c1", "s", first.text,
        tuple(ClaimMention(f"q{i}", _span(d), "narrated", None, False, "affirmed", "o")
              for i, d in enumerate((later, first))),
        (), ("a", "b"), "", "test",
    )  # fmt: skip
    (entry,) = _reported(_timeline([later, first], [claim], TimelineConfig(main_event=False)))
    assert entry.value == "../2025-04-09"  # the first report bounds it
    assert [s.sentence.doc_id for s in entry.sources] == ["a", "b"]
    assert [s.value for s in entry.sources] == ["../2025-04-09", "../2025-04-11"]


def test_undated_entries_never_enter_date_conflicts() -> None:
    a = _doc(
        "a", "Abdul Nasser al-Kamali was killed in a strike near the port city.", date(2025, 4, 1)
    )
    b = _doc(
        "b", "Abdul Nasser al-Kamali was killed in a strike near the port city.", date(2025, 4, 20)
    )
    entries = _timeline([a, b], config=TimelineConfig(main_event=False))
    assert len(_reported(entries)) == 2
    docs = {d.doc_id: d for d in (a, b)}
    assert date_conflicts(entries, docs, embed=lambda t: np.ones((len(t), DIM), np.float32)) == ()


def test_undated_statements_stay_linear_on_hostile_text() -> None:
    text = ("Officials said the barrier failed. " * 4000) + "\n" + ("word " * 20000)
    entries = _timeline(
        [_doc("a", text, date(2025, 4, 9))], config=TimelineConfig(main_event=False)
    )
    assert len(_reported(entries)) == 4001


def _span(doc: Document) -> DocSpan:
    return DocSpan(doc.doc_id, 0, len(doc.text), doc.text)
