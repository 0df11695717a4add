"""The scale bench's corpora: picked the same way every time, whole ECB+ topics first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bench.scale import write_corpus

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"

pytestmark = pytest.mark.skipif(not (DATA / "ecbplus-stories").is_dir(), reason="no shared data")


def test_scale_corpus_is_deterministic_and_topic_ordered(tmp_path: Path) -> None:
    one = write_corpus(DATA, 210, tmp_path / "a")
    two = write_corpus(DATA, 210, tmp_path / "b")
    text = (tmp_path / "a" / "articles.jsonl").read_text("utf-8")
    assert one == two == {"ecbplus": 210, "scrapinghub-aeb": 0, "wcxb": 0}
    assert text == (tmp_path / "b" / "articles.jsonl").read_text("utf-8")
    topics = [int(json.loads(line)["topic"]) for line in text.splitlines()]
    assert topics == sorted(topics) and topics[0] == 1


def test_scale_corpus_past_ecbplus_is_topped_up_with_html_pages(tmp_path: Path) -> None:
    counts = write_corpus(DATA, 1000, tmp_path / "c")
    assert counts == {"ecbplus": 772, "scrapinghub-aeb": 181, "wcxb": 47}
    pages = [p for p in (tmp_path / "c").rglob("*.htm*") if p.is_file()]
    assert len(pages) == 228
