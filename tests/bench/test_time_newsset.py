"""The news time set (bench/data/time) and its scoring beside MEANTIME.

The set itself is checked: every span is found, every value is a TIMEX3 value of its
type, the split is the fixed rule's and balanced by genre, and each region is the
start of its source article, unedited (when the shared data is present).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from tests.helpers import REPO

from bench import time as bt
from bench import time_newsset as ns

DATA = Path(os.environ.get("STORYTRACE_DATA", REPO.parent / "shared" / "data"))
_VALUES = {
    "DATE": re.compile(
        r"(?:FY)?(?:\d{4}|X{4})(?:-(?:\d\d|Q[1-4]|H[12]|SP|SU|FA|WI|W\d\d(?:-WE)?)(?:-\d\d)?)?"
        r"|\d{2,3}|(?:PRESENT|PAST|FUTURE)_REF|FY\d{4}-[QH]\d"
    ),
    "TIME": re.compile(r"(?:\d{4}-\d\d-\d\d|XXXX-XX-XX)T(?:\d\d:\d\dZ?|MO|AF|EV|NI)"),
    "DURATION": re.compile(r"P(?:[\dX.]+[YMWD]|T[\dX.]+[HMS])"),
    "SET": re.compile(r"P(?:1[YMWD]|T1[HM])"),
}


def test_newsset_loads_eighty_articles_in_two_halves_and_a_dev_batch() -> None:
    articles = ns.load_newsset()
    assert len(articles) == 80
    assert Counter(a.corpus for a in articles) == {"dev2": 31, "check2": 29, "dev3": 20}
    assert all(a.dct is not None for a in articles)
    # a results table, a product note and a how-to page: no time at all
    assert sum(1 for a in articles if not a.gold) == 3


def test_newsset_batch_three_is_all_dev_and_moves_no_earlier_article() -> None:
    third = ns.load_newsset(batch="3")
    assert len(third) == 20 and {a.corpus for a in third} == {"dev3"}
    assert sum(len(a.gold) for a in third) == 85
    earlier = {a.doc_id: a.corpus for a in ns.load_newsset() if a.corpus != "dev3"}
    assert Counter(earlier.values()) == {"dev2": 31, "check2": 29}


def test_newsset_a_later_batch_moves_no_earlier_article() -> None:
    first = {a.doc_id: a.corpus for a in ns.load_newsset(batch="1")}
    everything = {a.doc_id: a.corpus for a in ns.load_newsset()}
    assert len(first) == 40
    assert Counter(first.values()) == {"dev2": 20, "check2": 20}
    assert all(everything[k] == v for k, v in first.items())


def test_newsset_split_is_balanced_by_genre() -> None:
    genres: dict[str, list[str]] = {}
    for path in sorted(ns.GOLD.glob("*.ann")):
        header, _, _ = ns.parse_ann(path)
        genres.setdefault(f"{header.get('batch', '1')}/{header['genre']}", []).append(path.stem)
    split = ns.split_of(genres)
    for ids in genres.values():
        halves = Counter(split[i] for i in ids)
        assert abs(halves["dev2"] - halves["check2"]) <= 1


def test_newsset_values_are_timex3_values_of_their_type() -> None:
    for article in ns.load_newsset():
        for timex in article.gold:
            assert _VALUES[timex.type].fullmatch(timex.value), (article.doc_id, timex)
            assert (
                article.text[timex.start : timex.end].strip()
                == article.text[timex.start : timex.end]
            )


def test_newsset_excluded_stamps_hold_no_gold() -> None:
    for article in ns.load_newsset():
        for start, end in article.excluded:
            assert not [g for g in article.gold if g.start < end and start < g.end]


def test_newsset_a_missing_span_is_an_error(tmp_path: Path) -> None:
    source = next(iter(sorted(ns.GOLD.glob("*.ann")))).read_text("utf-8")
    (tmp_path / "x.ann").write_text(source + "DATE 2019 | no such words here\n", "utf-8")
    with pytest.raises(ValueError, match="not found"):
        ns.load_newsset(tmp_path)


def test_newsset_spans_are_whole_words() -> None:
    text = "He knows it now."
    (found,) = ns._spans(text, [("DATE", "PRESENT_REF", "now")], "x")
    assert text[found.start : found.end] == "now" and found.start == 12


def test_newsset_agreement_of_the_two_passes() -> None:
    """The two passes agree on the value of nearly every expression (what the bench scores);
    span edges adjudicated later (bench/data/time/AGREEMENT.md) may move exact identity."""
    agreement = ns.agreement()
    assert agreement["second_pass"] >= agreement["first_pass"] > 250
    assert agreement["overlap_same_value"] / agreement["second_pass"] >= 0.97
    assert agreement["f1_identical"] >= 0.95


@pytest.mark.skipif(not (DATA / "ecbplus-stories").is_dir(), reason="shared data absent")
def test_newsset_regions_are_their_sources_unedited() -> None:
    for path in sorted(ns.GOLD.glob("*.ann")):
        header, text, _ = ns.parse_ann(path)
        source = ns.source_text(DATA, header["source"])
        assert source.startswith(text), path.stem
        assert len(text) == ns.region_end(source), path.stem


def test_newsset_is_scored_with_meantime_splits_apart() -> None:
    articles = ns.load_newsset()
    result = bt.evaluate(articles, bt.printed_dates_system)
    assert set(result) >= {"dev2", "check2", "articles_per_s"}
    assert "overall" not in result  # MEANTIME's overall needs its three sub-corpora
    halves = result["dev2"]["gold"] + result["check2"]["gold"] + result["dev3"]["gold"]
    assert halves == sum(len(a.gold) for a in articles)
