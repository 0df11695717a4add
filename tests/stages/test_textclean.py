"""Tests of the plain-text dump cleaner (``storytrace.stages.boilerplate.text.clean``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from storytrace.records import Cleaned, SegmentLabel
from storytrace.stages.boilerplate.text.clean import (
    clean_text_dump,
    ensemble_from_json,
    predict_proba,
    split_lines,
)
from storytrace.stages.boilerplate.text.config import TextCleanConfig

_HERE = Path(__file__).resolve()
_SEED_DIRS = (_HERE.parents[2] / "examples" / "seeds", _HERE.parents[3] / "shared" / "seeds")
SEEDS = next((d for d in _SEED_DIRS if d.is_dir()), _SEED_DIRS[-1])

PROSE = (
    "The city council voted on Tuesday to expand the bus network, adding three routes "
    "that will connect the northern suburbs with the hospital district.",
    "Officials said the plan, which had been debated for more than a year, would cost "
    "about $12 million and be paid for by a regional transport levy.",
    "Residents who spoke at the meeting were largely supportive, although several "
    "shop owners worried that construction would block access to their stores.",
    "The first of the new routes is expected to open in the spring, the council said, "
    "with the remaining two following before the end of next year.",
)
ARTICLE = "\n".join(
    [
        "Home",
        "News",
        "Sport",
        "Subscribe",
        "",
        "Council approves bigger bus network for the north",
        "By Jane Doe",
        "March 4, 2024",
        "",
        *(p + "\n" for p in PROSE),
        "Share on Facebook",
        "Share on Twitter",
        "Copyright © 2024 Example Media. All rights reserved.",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ]
)


def _seed(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def _body_lines(cleaned: Cleaned) -> list[str]:
    return [cleaned.page_text[s.start : s.end] for s in cleaned.segments if s.is_body]


def _label_of(cleaned: Cleaned, needle: str) -> SegmentLabel:
    for s in cleaned.segments:
        if needle in cleaned.page_text[s.start : s.end]:
            return s.label
    raise AssertionError(f"no segment contains {needle!r}")


@pytest.mark.parametrize(
    "page",
    [ARTICLE, "", "\n\n  \n", "one line only", "  indented\n\n\tline two  \n"],
    ids=["article", "empty", "blank", "one-line", "indented"],
)
def test_textclean_text_start_invariant(page: str) -> None:
    cleaned = clean_text_dump(page)
    assert cleaned.page_text == page
    for s in cleaned.segments:
        assert page[s.start : s.end] == page[s.start : s.end].strip() != ""
        if s.is_body:
            assert s.text_start is not None
            length = s.end - s.start
            assert cleaned.text[s.text_start : s.text_start + length] == page[s.start : s.end]
        else:
            assert s.text_start is None
    assert cleaned.text == "\n\n".join(_body_lines(cleaned))


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_textclean_text_start_invariant_on_seeds(prefix: str) -> None:
    page = _seed(prefix)
    cleaned = clean_text_dump(page)
    for s in cleaned.segments:
        if s.is_body and s.text_start is not None:
            length = s.end - s.start
            assert cleaned.text[s.text_start : s.text_start + length] == page[s.start : s.end]


@pytest.mark.parametrize(
    ("page", "count"),
    [("a\n\nb\n  c  \n", 3), ("", 0), ("\n\n", 0), ("x", 1)],
)
def test_textclean_one_segment_per_nonempty_line(page: str, count: int) -> None:
    assert len(split_lines(page)) == count
    assert len(clean_text_dump(page).segments) == count


@pytest.mark.parametrize("paragraph", PROSE)
def test_textclean_keeps_article_paragraphs(paragraph: str) -> None:
    assert paragraph in _body_lines(clean_text_dump(ARTICLE))


@pytest.mark.parametrize(
    ("needle", "labels"),
    [
        ("Home", {SegmentLabel.NAVIGATION}),
        ("Share on Facebook", {SegmentLabel.SOCIAL}),
        ("Copyright ©", {SegmentLabel.LEGAL}),
        ("Leave a Reply", {SegmentLabel.COMMENTS}),
        ("Your email address", {SegmentLabel.COMMENTS}),
        ("Council approves", {SegmentLabel.TITLE}),
        ("By Jane Doe", {SegmentLabel.BYLINE}),
        ("March 4, 2024", {SegmentLabel.DATELINE}),
    ],
)
def test_textclean_labels_page_furniture(needle: str, labels: set[SegmentLabel]) -> None:
    assert _label_of(clean_text_dump(ARTICLE), needle) in labels


@pytest.mark.parametrize(
    ("last", "truncated"),
    [
        (
            "The levy would rise next year, officials said. Critics say the plan is costly and some",
            True,
        ),
        (
            "The levy would rise next year, officials said. Critics say the plan is too costly.",
            False,
        ),
        ("The levy would rise next year, officials said. Critics called it “too costly”", False),
    ],
)
def test_textclean_truncation(last: str, truncated: bool) -> None:
    # Placed mid-article, as in seed 004, where more text follows the cut.
    page = ARTICLE.replace(PROSE[1], PROSE[1] + "\n\n" + last)
    cleaned = clean_text_dump(page)
    assert last in _body_lines(cleaned)
    assert cleaned.truncated is truncated
    if truncated:
        ev = cleaned.truncation_evidence
        assert ev is not None and ev.ref == "text" and ev.start is not None
        assert cleaned.text[ev.start : ev.end] == ev.snippet
        assert last.endswith(ev.snippet)


# One stump: feature 0 <= 1.5 (or missing) goes left to leaf value -2, else +2.
STUMP = {
    "baseline": 0.0,
    "depth": 1,
    "trees": [
        {
            "feature": [0, 0, 0],
            "threshold": [1.5, 0.0, 0.0],
            "left": [1, 0, 0],
            "right": [2, 0, 0],
            "missing_left": [1, 0, 0],
            "leaf": [0, 1, 1],
            "value": [0.0, -2.0, 2.0],
        }
    ],
}


@pytest.mark.parametrize(
    ("x", "raw"), [(1.0, -2.0), (1.5, -2.0), (1.5000001, 2.0), (float("nan"), -2.0)]
)
def test_textclean_tree_inference(x: float, raw: float) -> None:
    # A value equal to the threshold goes left, as in scikit-learn.
    prob = predict_proba(ensemble_from_json(STUMP), np.array([[x]]))
    assert prob[0] == pytest.approx(1.0 / (1.0 + np.exp(-raw)))


def test_textclean_config_threshold_changes_body() -> None:
    strict = clean_text_dump(ARTICLE, TextCleanConfig(body_threshold=1.01))
    assert strict.text == "" and not any(s.is_body for s in strict.segments)


# --- the five seed pages (GOLDEN.md) ----------------------------------------
SEED_BOILERPLATE = {
    "000": [
        "Latest News from Worthy News",
        "Copyright 1999-2025 Worthy News",
        "South Korea, long seen",
        "Kazakhstan has officially joined",
    ],
    "001": [
        "Israel National News",
        "Shiite militia in IraqReuters",
        "Content retrieved from",
        "About The Author",
        "Leave a Comment",
    ],
    "002": ["PHOTO: Use according to Section 27 A"],
    "003": [
        "twitter",
        "youtube",
        "instagram",
        "facebook",
        "WHAT ARE YOU LOOKING FOR ?",
        "Caliber.az ©",
        "Views: 281",
        "Share it on social media",
        "copy link",
        "Follow us on Telegram",
        "Ссылка скопирована",
    ],
    "004": [
        "News Ticker",
        "About Siavosh Hosseini",
        "My background is in the visual arts",
        "Leave a Reply",
        "Your email address will not be published",
    ],
}
# First and last article paragraph of each seed: every line of 8+ words between
# them is article text.
SEED_ARTICLE = {
    "000": ("(Worthy News)", "If diplomacy fails"),
    "001": ("For the first time, Iran", "A regional diplomatic source"),
    "002": ("Iran recently shipped", "Iran warned Gulf countries"),
    "003": ("The Times has published", "As Iran prepares for negotiations"),
    "004": ("As November looms closer", "A U.S. official confirmed"),
}


@pytest.mark.parametrize(
    ("prefix", "needle"), [(p, n) for p, needles in SEED_BOILERPLATE.items() for n in needles]
)
def test_textclean_seed_boilerplate_not_in_body(prefix: str, needle: str) -> None:
    cleaned = clean_text_dump(_seed(prefix))
    assert all(needle not in line for line in _body_lines(cleaned))


@pytest.mark.parametrize("prefix", sorted(SEED_ARTICLE))
def test_textclean_seed_article_paragraphs_kept(prefix: str) -> None:
    page = _seed(prefix)
    first, last = SEED_ARTICLE[prefix]
    lines = [ln.text for ln in split_lines(page)]
    start = next(i for i, t in enumerate(lines) if t.startswith(first))
    end = next(i for i, t in enumerate(lines) if t.startswith(last))
    body = set(_body_lines(clean_text_dump(page)))
    missing = [t[:60] for t in lines[start : end + 1] if len(t.split()) >= 8 and t not in body]
    assert missing == []


@pytest.mark.parametrize(
    ("prefix", "truncated"),
    [("000", False), ("001", False), ("002", False), ("003", False), ("004", True)],
)
def test_textclean_seed_truncation(prefix: str, truncated: bool) -> None:
    cleaned = clean_text_dump(_seed(prefix))
    assert cleaned.truncated is truncated
    if truncated:
        assert cleaned.truncation_evidence is not None
        assert cleaned.truncation_evidence.snippet.endswith("and some I")


def test_textclean_seed_001_caption_not_body() -> None:
    label = _label_of(clean_text_dump(_seed("001")), "Shiite militia in IraqReuters")
    assert label is not SegmentLabel.BODY


def test_textclean_seed_000_footer_stories_not_body() -> None:
    page = _seed("000")
    cleaned = clean_text_dump(page)
    lines = [page[s.start : s.end] for s in cleaned.segments]
    footer = lines.index("Latest News from Worthy News")
    assert len(lines) - footer - 1 == 7
    assert not any(s.is_body for s in cleaned.segments[footer:])


@pytest.mark.parametrize(
    ("prefix", "needle", "label"),
    [
        ("000", "by Emmitt Barry", SegmentLabel.BYLINE),
        ("001", "Iran defies Trump by bolstering", SegmentLabel.TITLE),
        ("001", "Apr 9, 2025, 5:53 AM", SegmentLabel.DATELINE),
        ("003", "The Times: Iran stokes regional instability", SegmentLabel.TITLE),
        ("003", "09 April 2025 12:58", SegmentLabel.DATELINE),
        ("003", "By Tamilla Hasanova", SegmentLabel.BYLINE),
        ("004", "Iran Moves missiles to Iraq in aggressive warning", SegmentLabel.TITLE),
    ],
)
def test_textclean_seed_metadata_lines(prefix: str, needle: str, label: SegmentLabel) -> None:
    assert _label_of(clean_text_dump(_seed(prefix)), needle) is label
