"""A story's main event is placed by its first report when no article prints its date.

Hand-built articles; publication dates are given as structured metadata.
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.stages.lineage_helpers import Art, run

from storytrace.records import TimelineEntry
from storytrace.stages.lineage.timeline import PUBLISHED_METHOD

# lineage_helpers extracts quotes with spaCy; events embed with MiniLM.
pytestmark = pytest.mark.model

FIRST = (
    "Flood waters broke through the river barrier and forced hundreds of families from "
    "their homes in the lower town.\n\n"
    "Rescue teams said they were still searching the flooded streets."
)
SECOND = (
    "Hundreds of families were forced from their homes after flood waters broke through "
    "the river barrier in the lower town.\n\n"
    "The mayor said the barrier had not been inspected."
)
DATED_LEAD = (
    "Flood waters broke through the river barrier on Tuesday and forced hundreds of "
    "families from their homes.\n\n"
    "Rescue teams said they were still searching the flooded streets."
)


def _main(entries: tuple[TimelineEntry, ...]) -> list[TimelineEntry]:
    return [e for e in entries if e.method == PUBLISHED_METHOD]


def test_main_event_placed_by_the_first_report_when_no_date_is_printed() -> None:
    found = run([[Art("b", SECOND, "Daily Post", date(2025, 4, 10)),
                  Art("a", FIRST, "River News", date(2025, 4, 9))]])  # fmt: skip
    (entry,) = _main(found.timeline)
    assert entry.value == "2025-04-08/2025-04-09"
    assert (entry.when.earliest, entry.when.latest) == (date(2025, 4, 8), date(2025, 4, 9))
    assert entry.when.inferred and entry.when.confidence == 0.5
    assert entry.text.startswith("Flood waters broke through the river barrier")
    (source,) = entry.sources
    assert source.sentence.doc_id == "a"  # the first report, not the first input
    assert "first reported by" in source.anchor and "2025-04-09" in source.anchor
    assert "2 articles published 2025-04-09..2025-04-10" in source.anchor
    assert source.timex.start == source.timex.end  # no time expression was printed
    assert entry.when.evidence[0].snippet == entry.text


def test_main_event_not_added_when_the_lead_prints_its_date() -> None:
    found = run([[Art("a", DATED_LEAD, "River News", date(2025, 4, 9)),
                  Art("b", SECOND, "Daily Post", date(2025, 4, 10))]])  # fmt: skip
    assert _main(found.timeline) == []
    assert "2025-04-08" in {e.value for e in found.timeline}  # "on Tuesday" places it


def test_main_event_unknown_without_any_publication_date() -> None:
    found = run([[Art("a", FIRST, "River News"), Art("b", SECOND, "Daily Post")]])
    assert _main(found.timeline) == []


def test_main_event_never_enters_date_conflicts() -> None:
    found = run([[Art("a", FIRST, "River News", date(2025, 4, 9)),
                  Art("b", SECOND, "Daily Post", date(2025, 4, 30))]])  # fmt: skip
    assert len(_main(found.timeline)) == 1
    assert [d for d in found.disagreements if d.kind == "date"] == []
