"""``crosscheck_errors --speakers`` lists each gold speaker the quote stage got wrong, with
what it predicted and the sentence, and tallies the same figure as the bench."""

from __future__ import annotations

import pytest
from bench.crosscheck_errors import show_speakers
from bench.crosscheck_set import PQuote, Predictions, Tally

TEXT = "Summit says no deal was signed. Officials said the talks go on."


def story() -> dict[str, object]:
    item = {"article": "a1", "kind": "reported"}
    return {
        "speakers": [
            {**item, "id": "s1", "snippet": "no deal was signed",
             "speaker": {"name": "Summit Entertainment", "anonymous": False}},
            {**item, "id": "s2", "snippet": "the talks go on",
             "speaker": {"name": None, "anonymous": True, "descriptor": "officials"}},
        ]
    }  # fmt: skip


def test_a_wrong_speaker_is_listed_with_its_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    pred = Predictions({"a1": TEXT})
    pred.quotes.append(PQuote((("a1", 12, 30),), "Summit", False))
    pred.quotes.append(PQuote((("a1", 46, 61),), "Officials", True))
    tally = Tally()
    show_speakers(story(), pred, tally)
    out = capsys.readouterr().out
    assert "s1 a1 reported: gold 'Summit Entertainment' got 'Summit'" in out
    assert "Summit says no deal was signed." in out
    assert "s2" not in out  # right: not listed
    row = tally.table()["speakers right"]
    assert (row["right"], row["of"]) == (1, 2)


def test_nothing_listed_when_every_speaker_is_right(capsys: pytest.CaptureFixture[str]) -> None:
    pred = Predictions({"a1": TEXT})
    pred.quotes.append(PQuote((("a1", 12, 30),), "Summit Summit Entertainment", False))
    pred.quotes.append(PQuote((("a1", 46, 61),), "Officials", True))
    tally = Tally()
    show_speakers(story(), pred, tally)
    assert capsys.readouterr().out == ""
    assert tally.table()["speakers right"]["share"] == 1.0
