"""The timeline, date conflicts, and undated articles' publication intervals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.stages.lineage_helpers import Art, corpus, run

from storytrace.models.services import Embed

# lineage_helpers extracts quotes with spaCy; events embed with MiniLM.
pytestmark = pytest.mark.model

DATED = (
    "For the first time, Iran has equipped its proxy forces in Iraq with long-range missiles, "
    "the British Times newspaper reported on Tuesday.\n\n"
    "According to intelligence sources, the missiles were delivered last week under the "
    "coordination of the Aerospace Force."
)
UNDATED = (
    "Iran has delivered long-range missiles to its militia proxies in Iraq, the Times of "
    "London reported.\n\n"
    "The missiles were delivered to the groups last week, according to the report.\n\n"
    "Delegations from America and Iran are set to meet in Oman this Saturday."
)


def test_pubdate_interval_from_cited_report_shared_week_and_future_day() -> None:
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", UNDATED, "Worthy News")]])
    (inferred,) = found.date_inferences
    assert inferred.doc_id == "b"
    assert (inferred.value.earliest, inferred.value.latest) == (date(2025, 4, 8), date(2025, 4, 11))
    assert inferred.value.inferred and inferred.value.evidence
    rules = {s.rule for s in inferred.steps}
    assert rules == {"cited_report", "shared_relative", "future_reference"}


def test_pubdate_unknown_without_anchor() -> None:
    unrelated = "The weather was fine last week.\n\nThe talks will resume this Saturday."
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", unrelated)]])
    assert [i.value.known for i in found.date_inferences] == [False]


def test_pubdate_nothing_inferred_without_a_dated_article() -> None:
    assert run([[Art("a", DATED), Art("b", UNDATED)]]).date_inferences == ()


def test_timeline_resolves_against_each_article_and_merges() -> None:
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", UNDATED, "Worthy News")]])
    by_value = {e.value: e for e in found.timeline}
    assert set(by_value) >= {"2025-04-08", "2025-W14", "2025-04-12"}
    week = by_value["2025-W14"]
    assert {s.sentence.doc_id for s in week.sources} == {"a", "b"}
    assert all(s.timex.text.lower() == "last week" for s in week.sources)
    # "on or before <day>" (a statement that prints no date) sorts at its bound
    assert [e.value for e in found.timeline] == sorted(
        (e.value for e in found.timeline),
        key=lambda v: by_value[v].when.earliest or by_value[v].when.latest,
    )


def test_timeline_date_conflict_between_articles() -> None:
    a = "The US has intensified its strikes, killing Abdul Nasser al-Kamali on Tuesday."
    b = "Last week, the US targeted key Houthi positions, killing Abdul Nasser al-Kamali."
    found = run([[Art("a", a, "A", date(2025, 4, 9)), Art("b", b, "B", date(2025, 4, 9))]])
    dates = [d for d in found.disagreements if d.kind == "date"]
    assert len(dates) == 1
    assert "Abdul Nasser al-Kamali" in dates[0].topic
    assert {s.mentions[0].doc_id for s in dates[0].sides} == {"a", "b"}


def test_timeline_no_conflict_when_dates_overlap() -> None:
    a = "The US has intensified its strikes, killing Abdul Nasser al-Kamali on Tuesday."
    b = "Earlier this week, the US targeted Houthi positions, killing Abdul Nasser al-Kamali."
    found = run([[Art("a", a, "A", date(2025, 4, 9)), Art("b", b, "B", date(2025, 4, 9))]])
    assert [d for d in found.disagreements if d.kind == "date"] == []


def test_timeline_event_dated_relative_to_the_report() -> None:
    """'The revelation came one day after X': X is the day before the report others date."""
    offset = (
        "Iran has delivered long-range missiles to its militia proxies in Iraq, the Times of "
        "London reported.\n\n"
        "The revelation came just one day after President Donald Trump announced direct talks."
    )
    no_report = offset.replace("The revelation came", "The militias moved")
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", offset)]])
    (entry,) = [e for e in found.timeline if e.value == "2025-04-07"]
    assert entry.text.startswith("President Donald Trump announced")
    assert entry.sources[0].timex.text == "one day after"
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", no_report)]])
    assert [e for e in found.timeline if e.value == "2025-04-07"] == []


def test_pubdate_future_reference_yields_to_the_anchors() -> None:
    """A future reading that contradicts the anchors is dropped, not the whole inference."""
    contradicting = UNDATED.replace(
        "Delegations from America and Iran are set to meet in Oman this Saturday.",
        "The ministers are set to meet this Monday.",  # Monday 04-07 is before any day left
    )
    found = run([[Art("a", DATED, "INN", date(2025, 4, 9)), Art("b", contradicting)]])
    (inferred,) = found.date_inferences
    assert inferred.value.known
    assert {s.rule for s in inferred.steps} == {"cited_report", "shared_relative"}


def test_timeline_embeds_only_events_that_could_merge(embed: Embed) -> None:
    """#7: an event whose date no other event of its story shares is never compared, nor embedded."""
    from storytrace.stages.lineage.timeline import build_timeline, date_conflicts

    embedded: list[str] = []

    def spy(texts: Sequence[str]) -> NDArray[np.float32]:
        embedded.extend(texts)
        return embed(texts)

    day = date(2024, 5, 10)
    arts = [
        Art(
            "a",
            "The bridge was closed on May 2, 2024. The mayor resigned on March 3, 2024.",
            "BBC",
            day,
        ),
        Art("b", "Engineers closed the bridge on May 2, 2024, officials said.", "CNN", day),
    ]
    view, docs = corpus([arts])
    entries = build_timeline(docs, view.stories, (), embed=spy)
    date_conflicts(entries, {d.doc_id: d for d in docs}, embed=spy)
    # The lone date is embedded once, by the date-conflict check; merging the
    # two articles' events compares (and embeds) only the bridge closure.
    assert embedded.count("The mayor resigned on March 3, 2024.") == 1
