"""What the templates show: story letters, matrix cells, diff sides, verdict lines."""

from __future__ import annotations

from typing import Any

import pytest

from storytrace.report.view import (
    ViewConfig,
    build_view,
    cell_chain,
    disputed_claim_ids,
    drift_sides,
    figures_label,
    sort_timeline,
    story_letter,
    story_order,
    tidy,
)


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ")]
)
def test_view_story_letter(index: int, letters: str) -> None:
    assert story_letter(index) == letters


@pytest.mark.parametrize(
    ("chain", "cell"),
    [
        ("a regional intelligence source → The Times → Worthy News", "a regional intelligence source → The Times"),
        ("The Times → Caliber.az", "The Times"),
        ("unknown speaker", "unknown speaker"),
    ],
)  # fmt: skip
def test_view_cell_chain_drops_the_publishing_article(chain: str, cell: str) -> None:
    assert cell_chain({"chain": chain}) == cell


@pytest.mark.parametrize(
    ("tokens", "text"),
    [("Iraq , including", "Iraq, including"), ("longer - range", "longer-range"),
     ("( Islamic State )", "(Islamic State)"), ("It’s a move .", "It’s a move.")],
)  # fmt: skip
def test_view_tidy_rejoins_punctuation(tokens: str, text: str) -> None:
    assert tidy(tokens) == text


def test_view_drift_sides_mark_deleted_and_inserted_words() -> None:
    drift = {"diff": [
        {"op": "equal", "a": "Iran has recently", "b": "Iran has recently"},
        {"op": "replace", "a": "transferred missiles to", "b": "equipped"},
        {"op": "insert", "a": "", "b": ", longer - range"},
        {"op": "delete", "a": "risking", "b": ""},
    ]}  # fmt: skip
    sides = drift_sides(drift)
    assert [(s["mark"], s["text"]) for s in sides["a_segments"]] == [
        ("eq", "Iran has recently"), ("del", "transferred missiles to"), ("del", "risking")]  # fmt: skip
    assert [(s["mark"], s["text"], s["space"]) for s in sides["b_segments"]] == [
        ("eq", "Iran has recently", False), ("ins", "equipped", True), ("ins", ", longer-range", False)]  # fmt: skip
    assert [s["mark"] for s in sides["unified"]] == ["eq", "del", "ins", "ins", "del"]


def test_view_timeline_sorts_by_date_undated_last() -> None:
    def entry(earliest: str | None, latest: str | None) -> dict[str, Any]:
        return {"when": {"earliest": earliest, "latest": latest}}

    entries = [entry(None, None), entry("2025-04-08", None), entry("2018-01-01", "2018-12-31")]
    assert [e["when"]["earliest"] for e in sort_timeline(entries)] == [
        "2018-01-01",
        "2025-04-08",
        None,
    ]


@pytest.mark.model
def test_view_index_splits_the_count_and_links_disputes(seed_data: dict[str, Any]) -> None:
    view = build_view(seed_data)
    first = view["index"][0]
    assert (first["tag"], first["head"]) == ("A", "4 articles, 1 independent origin")
    assert "disputed" not in first["rest"], "disputed topics are shown as links, not twice"
    assert first["disputed_links"][0] == (
        "whether the militias disarm",
        f"dis-{first['story_id']}-0",
    )
    assert (first["size"], first["earliest"]) == (4, "2025-04-09")
    assert "Caliber.az" in first["outlets"]


@pytest.mark.model
def test_view_claims_table_keeps_the_busiest_outlets_past_the_column_bound(
    seed_data: dict[str, Any],
) -> None:
    view = build_view(seed_data, ViewConfig(outlet_columns=2, matrix_rows=3))
    table = view["stories"][0]["claims"]
    assert len(table["columns"]) == 2 and table["others"] == 2
    assert table["shown"] == 3 and len(table["rows"]) > 3, "every row is in the page"
    for row in table["rows"]:
        in_cells = sum(len(v) for v in row["cells"].values())
        in_others = sum(len(mns) for _, mns in row["others"])
        assert in_cells + in_others == len(row["claim"]["mentions"])
        assert set(row["cells"]) <= set(table["columns"])


@pytest.mark.model
def test_view_drift_counts_verbatim_pairs_instead_of_listing_them(
    seed_data: dict[str, Any],
) -> None:
    drift = build_view(seed_data)["stories"][0]["drift"]
    assert drift["verbatim"] == 2
    assert drift["changed"] and all(d["kind"] != "verbatim" for d in drift["changed"])


def _story(sid: str, size: int) -> dict[str, Any]:
    return {"story_id": sid, "size": size, "doc_ids": [f"{sid}{i}" for i in range(size)]}


def test_view_story_order_puts_disputed_and_big_stories_first() -> None:
    span = {"doc_id": "m0", "start": 0, "end": 10, "text": "x"}
    data = {
        "stories": [_story("s", 1), _story("big", 40), _story("m", 3), _story("mid", 9)],
        "verdicts": [{"story_id": "m", "main_claim_id": "c1"}],
        "claims": [{"claim_id": "c1", "story_id": "m", "mentions": [{"span": span}]}],
        "disagreements": [{"story_id": "m", "kind": "polarity", "sides": [{"mentions": [span]}]}],
    }
    assert story_order(data) == ["m", "big", "mid", "s"]
    assert disputed_claim_ids(data) == {"c1"}
    data["disagreements"][0]["kind"] = "date"  # whole sentences: not a disputed claim
    assert disputed_claim_ids(data) == set()
    assert story_order(data) == ["m", "big", "mid", "s"], "still a disagreement in the story"


def test_view_number_disputes_of_one_topic_become_one_link() -> None:
    def number(a: str, b: str) -> dict[str, Any]:
        sides = [
            {
                "label": x,
                "sources": [],
                "mentions": [{"doc_id": x, "start": 0, "end": 1, "text": x}],
            }
            for x in (a, b)
        ]
        return {
            "story_id": "s",
            "kind": "number",
            "topic": "how many staff",
            "sides": sides,
            "reason": "",
        }

    data = {
        "documents": [], "stories": [{"story_id": "s", "size": 3, "doc_ids": ["a", "b", "c"], "headline": None,
                     "outlets": [], "earliest": None, "latest": None, "pairs": []}],
        "claims": [], "disagreements": [number("1 staff", "2 staff"), number("1 staff", "12 staff")],
    }  # fmt: skip
    view = build_view({**data, "sections": {}, "verdicts": [
        {"story_id": "s", "line": "3 articles, 1 independent origin: X; disputed: how many staff",
         "disputed": ["how many staff"], "main_claim_id": None}]})  # fmt: skip
    row = view["index"][0]
    assert row["head"] == "3 articles, 1 independent origin" and row["rest"] == "X"
    assert row["disputed_links"] == [("figures differ: 1 staff, 2 staff or 12 staff", "dis-s-0")]


def test_view_figures_label_elides_past_a_bound() -> None:
    figures = [f"{n} staff" for n in range(1, 10)]
    assert (
        figures_label(figures, most=4) == "figures differ: 1 staff, 2 staff, 3 staff, … or 9 staff"
    )


def test_statements_that_print_no_date_are_kept_apart_from_the_dated_timeline() -> None:
    from storytrace.report.view import timeline_parts

    def entry(value: str, method: str, sources: int, earliest: str | None) -> dict:
        when = {"earliest": earliest, "latest": value[-10:], "display": value}
        return {"value": value, "method": method, "sources": [{}] * sources, "when": when}

    dated = entry("2025-04-08", "timeline.timex-minilm.v2", 1, "2025-04-08")
    undated = [
        entry(f"../2025-04-0{i}", "timeline.timex-minilm.v2.reported", i, None) for i in (1, 3, 2)
    ]
    parts = timeline_parts([*undated, dated], shown=2)
    assert parts["timeline"] == [dated]
    assert [e["value"] for e in parts["undated"]] == ["../2025-04-03", "../2025-04-02"]
    assert parts["undated_total"] == 3  # the third is in the JSON, said in the page
