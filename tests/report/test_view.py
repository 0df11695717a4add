"""What the templates show: story letters, matrix cells, diff sides, verdict lines."""

from __future__ import annotations

from typing import Any

import pytest

from storytrace.report.view import (
    ViewConfig,
    build_view,
    cell_chain,
    drift_sides,
    sort_timeline,
    story_letter,
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
def test_view_verdicts_split_the_count_and_link_disputes(seed_data: dict[str, Any]) -> None:
    view = build_view(seed_data)
    first = view["verdicts"][0]
    assert (first["tag"], first["head"]) == ("A", "4 articles, 1 independent origin")
    assert "disputed" not in first["rest"], "disputed topics are shown as links, not twice"
    assert first["disputed_links"][0] == (
        "whether Iranian proxy groups based in Iraq disarm",
        f"dis-{first['story_id']}-0",
    )


@pytest.mark.model
def test_view_matrix_keeps_the_busiest_articles_past_the_column_bound(
    seed_data: dict[str, Any],
) -> None:
    view = build_view(seed_data, ViewConfig(matrix_columns=2, matrix_rows=3))
    story_a = view["claims"][0]
    assert len(story_a["columns"]) == 1 and story_a["others"] == 3
    assert len(story_a["rows"]) == 3 and story_a["more_rows"]
    first = story_a["rows"][0]
    in_cells = sum(len(v) for v in first["cells"].values())
    assert in_cells + len(first["others"]) == len(first["claim"]["mentions"])
