"""The scale bench's corpora: picked the same way every time, whole ECB+ topics first."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bench.scale import _accounting, write_corpus

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


def test_scale_profile_bound_is_amdahls_over_the_one_worker_run() -> None:
    def ledger(driver: dict[str, float], alone: float, workers: dict[str, float]) -> dict[str, Any]:
        return {
            "driver_s": driver, "workers_s": workers, "tasks": dict.fromkeys(workers, 2),
            "largest_task_s": {k: v / 2 for k, v in workers.items()},
            "driver_alone_s": alone, "driver_beside_workers_s": sum(driver.values()) - alone,
            "workers_total_s": sum(workers.values()), "unaccounted_s": 0.0,
            "total_s": sum(driver.values()) + sum(workers.values()),
        }  # fmt: skip

    one = ledger({"claims.align.v7": 60.0}, 60.0, {})
    two = ledger({"render": 4.0, "documents": 1.0}, 4.0, {"claims_of_story": 64.0})
    table = _accounting({1: one, 2: two})
    assert table["cpu with 1"]["bound"] == 1.0
    assert table["cpu with 2"]["bound"] == round(60.0 / (4.0 + (64.0 + 1.0) / 2), 2)
    assert table["cpu with 2"]["bound_own"] == round(69.0 / (4.0 + (64.0 + 1.0) / 2), 2)
    assert table["cpu with 2"]["parts"]["workers: claims_of_story"]["largest_task_s"] == 32.0
