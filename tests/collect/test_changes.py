"""What changed between two analyses: the pure comparison of two dossier snapshots."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from storytrace.collect.changes import compare, edit_alert, empty_snapshot, snapshot, text_diff


def _span(doc: str, start: int, text: str) -> dict[str, Any]:
    return {"doc_id": doc, "start": start, "end": start + len(text), "text": text}


def _doc(doc_id: str, url: str | None, title: str) -> dict[str, Any]:
    field = lambda v: {"value": v, "confidence": 1.0, "evidence": []}  # noqa: E731
    return {"doc_id": doc_id, "url": field(url), "title": field(title), "outlet": field("Wire")}


def _mention(doc: str, start: int, text: str, origin: str, **kw: Any) -> dict[str, Any]:
    return {"span": _span(doc, start, text), "origin_key": origin, "polarity": "affirmed",
            "speaker": None, **kw}  # fmt: skip


def _dossier() -> dict[str, Any]:
    claim_text = "Iran delivered missiles to militias in Iraq"
    return {
        "documents": [
            _doc("d1", "https://a.example/1", "Missiles in Iraq"),
            _doc("d2", "https://b.example/2", "Militias armed"),
        ],
        "stories": [
            {"doc_ids": ["d1", "d2"], "headline": "Missiles in Iraq", "outlets": ["A", "B"]}
        ],
        "claims": [
            {
                "text": claim_text,
                "verdict": "2 articles, 1 independent origin: The Times",
                "mentions": [
                    _mention("d1", 0, claim_text, "outlet:The Times"),
                    _mention("d2", 10, claim_text, "outlet:The Times"),
                ],
                "origins": [{"key": "outlet:The Times", "label": "The Times"}],
            }
        ],
        "disagreements": [
            {
                "kind": "number",
                "topic": "how many missiles",
                "reason": "10 vs 12",
                "sides": [
                    {"mentions": [_span("d1", 50, "ten missiles")]},
                    {"mentions": [_span("d2", 60, "twelve missiles")]},
                ],
            }
        ],
        "drift": [],
    }


def test_changes_identical_analyses_raise_nothing() -> None:
    data = _dossier()
    assert compare(snapshot(data), snapshot(copy.deepcopy(data))) == []


def test_changes_first_run_reports_the_story_and_what_stands() -> None:
    alerts = compare(empty_snapshot(), snapshot(_dossier()))
    assert [a.kind for a in alerts] == ["new_story", "new_disagreement"]
    assert alerts[0].url == "https://a.example/1" and "2 articles" in alerts[0].title


def test_changes_claim_gains_and_loses_independent_origins() -> None:
    before = _dossier()
    after = copy.deepcopy(before)
    claim = after["claims"][0]
    claim["mentions"].append(
        _mention("d3", 0, "Iraqi officials confirmed the delivery", "outlet:Reuters")
    )
    claim["origins"].append({"key": "outlet:Reuters", "label": "Reuters"})
    gained = compare(snapshot(before), snapshot(after))
    assert [a.kind for a in gained] == ["origin_gained"]
    assert "now 2 independent origins (+Reuters)" in gained[0].title
    assert gained[0].spans[0]["doc_id"] == "d1"  # the evidence keeps its span

    lost = compare(snapshot(after), snapshot(before))
    assert [a.kind for a in lost] == ["origin_lost"] and "(−Reuters)" in lost[0].title


def test_changes_a_claim_split_by_reclustering_raises_no_origin_alert() -> None:
    """The same mentions and origins, spread over two claims: nothing gained or lost."""
    before = _dossier()
    before["claims"][0]["mentions"].append(
        _mention("d2", 90, "Reuters said so too", "outlet:Reuters")
    )
    before["claims"][0]["origins"].append({"key": "outlet:Reuters", "label": "Reuters"})
    after = copy.deepcopy(before)
    second = copy.deepcopy(after["claims"][0])
    after["claims"][0]["mentions"] = after["claims"][0]["mentions"][:2]
    after["claims"][0]["origins"] = after["claims"][0]["origins"][:1]
    second["mentions"] = second["mentions"][1:]
    second["origins"] = second["origins"][1:]
    after["claims"].append(second)
    assert compare(snapshot(before), snapshot(after)) == []


def test_changes_new_denial_by_a_speaker_and_not_by_the_article_itself() -> None:
    before = _dossier()
    after = copy.deepcopy(before)
    after["claims"][0]["mentions"] += [
        _mention("d2", 200, "no missiles were delivered", "outlet:B", polarity="negated",
                 speaker="an Iraqi official"),
        _mention("d2", 300, "talks did not resume", "article:d2", polarity="negated"),
    ]  # fmt: skip
    alerts = compare(snapshot(before), snapshot(after))
    denials = [a for a in alerts if a.kind == "new_denial"]
    assert len(denials) == 1
    assert denials[0].title.startswith("an Iraqi official denies")
    assert denials[0].url == "https://b.example/2" and denials[0].spans[0]["start"] == 200
    # the same denial found again at other offsets (an edited version) is not new
    moved = copy.deepcopy(after)
    moved["claims"][0]["mentions"][2]["span"]["start"] = 240
    assert [a.kind for a in compare(snapshot(after), snapshot(moved))] == []


def test_changes_new_disagreement_and_new_drift() -> None:
    before = _dossier()
    after = copy.deepcopy(before)
    after["disagreements"].append({"kind": "polarity", "topic": "whether militias disarm",
        "reason": "yes vs no", "sides": [{"mentions": [_span("d1", 400, "militias will disarm")]},
                                         {"mentions": [_span("d2", 500, "militias refuse to disarm")]}]})  # fmt: skip
    after["drift"].append({"a": _span("d1", 0, "we will respond firmly"),
        "b": _span("d2", 0, "we will respond with force"), "speaker": "the minister",
        "kind": "reworded", "reason": "same statement in other words"})  # fmt: skip
    alerts = compare(snapshot(before), snapshot(after))
    assert [a.kind for a in alerts] == ["new_disagreement", "quote_drift"]
    assert "was: we will respond firmly" in alerts[1].detail


def test_changes_edited_version_of_an_article_is_not_a_new_article() -> None:
    before = _dossier()
    after = copy.deepcopy(before)
    after["documents"][0]["doc_id"] = "d1-v2"  # same URL, new content id
    after["stories"][0]["doc_ids"] = ["d1-v2", "d2"]
    after["claims"][0]["mentions"][0]["span"]["doc_id"] = "d1-v2"
    assert compare(snapshot(before), snapshot(after)) == []


def test_changes_story_grows_by_a_new_article() -> None:
    before = _dossier()
    after = copy.deepcopy(before)
    after["documents"].append(_doc("d3", "https://c.example/3", "A third report"))
    after["stories"][0]["doc_ids"].append("d3")
    (alert,) = compare(snapshot(before), snapshot(after))
    assert alert.kind == "story_grew" and "1 new of 3" in alert.title
    assert alert.url == "https://c.example/3" and "A third report" in alert.detail


def test_changes_edit_diff_shows_the_sentences_that_changed() -> None:
    old = "Officials said ten missiles arrived. Talks begin Saturday.\nMore later."
    new = "Officials said twelve missiles arrived. Talks begin Saturday.\nMore later."
    diff = text_diff(old, new)
    assert "-Officials said ten missiles arrived." in diff
    assert "+Officials said twelve missiles arrived." in diff
    alert = edit_alert("https://a.example/1", "Missiles", old, new)
    assert alert.title == "Missiles (sentences: +1 −1)"


@pytest.mark.model
def test_changes_of_the_real_seed_dossier(seed_json: dict[str, Any]) -> None:
    """The snapshot reads a real dossier's JSON; an unchanged one raises nothing."""
    snap = snapshot(seed_json)
    assert compare(snap, snapshot(copy.deepcopy(seed_json))) == []
    first = compare(empty_snapshot(), snap)
    assert sum(a.kind == "new_story" for a in first) == len(seed_json["stories"])
    assert all(s["text"] for a in first for s in a.spans)
