"""Plain-word labels and the search index: what a reporter reads instead of internal names."""

from __future__ import annotations

import json
from typing import Any

import pytest

from storytrace.report.plain import entity_kind, short, side_label, stance, topic_label
from storytrace.report.search import search_entries, search_json


def _side(label: str, text: str = "the team played the final") -> dict[str, Any]:
    return {"label": label, "mentions": [{"doc_id": "d", "start": 0, "end": 5, "text": text}]}


@pytest.mark.parametrize(
    ("dis", "label"),
    [
        ({"kind": "number", "topic": "how many mile", "sides": [_side("700 miles"), _side("1,000 miles")]},
         "figures differ: 700 miles or 1,000 miles"),
        ({"kind": "polarity", "topic": "whether it is true (play)", "sides": [_side("says yes: play")]},
         "said and denied: “the team played the final”"),
        ({"kind": "polarity", "topic": "whether it is true (play)", "sides": []}, "said and denied: play"),
        ({"kind": "polarity", "topic": "whether the militias disarm", "sides": []}, "whether the militias disarm"),
    ],
)  # fmt: skip
def test_plain_topic_label(dis: dict[str, Any], label: str) -> None:
    assert topic_label(dis) == label


def test_plain_side_and_entity_labels() -> None:
    assert side_label("says yes: disarm") == "says so (disarm)"
    assert side_label("says no: disarm") == "says not (disarm)"
    assert side_label("700 km") == "700 km"
    assert entity_kind("GPE") == "country, city or state"
    assert entity_kind("MILITARY_UNIT") == "military unit"
    assert entity_kind("SOMETHING_NEW") == "something new"


def test_plain_short_cuts_at_a_word() -> None:
    assert short("one two three four", 9) == "one two…"
    assert short("  a\n b ", 9) == "a b"


def test_plain_stance_of_a_claim() -> None:
    assert stance([{"polarity": "affirmed"}]) == "affirmed"
    assert stance([{"polarity": "negated"}]) == "negated"
    assert stance([{"polarity": "affirmed"}, {"polarity": "negated"}]) == "both"


def test_search_json_cannot_close_the_script_block() -> None:
    hostile = "</script><script>alert(1)</script> & 'x' \u2028"
    text = str(search_json([["quote", hostile, "w", "#x"]]))
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert "\u2028" not in text
    assert json.loads(text) == [["quote", hostile, "w", "#x"]]


def test_search_entries_cover_claims_quotes_sources_and_names() -> None:
    span = {"doc_id": "d1", "start": 3, "end": 9, "text": "rain"}
    data = {
        "claims": [{"claim_id": "c1", "story_id": "s1", "text": "it rained", "doc_ids": ["d1", "d2"]}],
        "quotes": [{"doc_id": "d1", "content": [span], "chain": "Ann → Paper",
                    "speaker": {"resolved": "Ann Lee", "descriptor": None, "text": "Ann"}}],
        "entities": [{"canonical": "Ann Lee", "surface_forms": ["Ann Lee", "Lee"], "label": "PERSON",
                      "mention_count": 2, "documents": ["d1"], "mentions": [span]}],
    }  # fmt: skip
    entries = search_entries(data, {"s1": "A"}, {"d1": "Paper"})
    assert entries == [
        ["claim", "it rained", "Story A · 2 articles", "#claim-c1"],
        ["quote", "rain", "Ann → Paper · Paper", "#hl/d1/text/3/9"],
        ["source", "Ann Lee", "1 quote in 1 article", "#hl/d1/text/3/9"],
        ["entity", "Ann Lee (Lee)", "person · 2 mentions in 1 articles", "#hl/d1/text/3/9"],
    ]
