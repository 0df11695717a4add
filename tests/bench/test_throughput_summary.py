"""The Dask speed-up of ``python -m bench throughput`` is a median over repeats."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.throughput import dask_speedup_fresh, summarize_dask_runs

from storytrace.errors import StorytraceError


def test_throughput_dask_speedup_is_the_median_of_per_repeat_ratios() -> None:
    runs = [
        {"workers_1": 36.0, "workers_2": 20.0, "workers_1_warm": 32.0, "workers_2_warm": 16.0},
        {"workers_1": 30.0, "workers_2": 20.0, "workers_1_warm": 30.0, "workers_2_warm": 20.0},
        {"workers_1": 34.0, "workers_2": 17.0, "workers_1_warm": 34.0, "workers_2_warm": 17.5},
    ]
    out = summarize_dask_runs(runs)
    # Ratios 1.8, 1.5, 2.0 cold; 2.0, 1.5, 1.943 warm.
    assert (out["speedup_2_over_1"], out["speedup_2_over_1_min"], out["speedup_2_over_1_max"]) == (
        1.8, 1.5, 2.0,
    )  # fmt: skip
    assert out["speedup_2_over_1_warm"] == 1.943
    assert out["seconds"] == {
        "workers_1": 34.0, "workers_2": 20.0, "workers_1_warm": 32.0, "workers_2_warm": 17.5,
    }  # fmt: skip
    assert len(out["runs"]) == 3


def test_throughput_dask_summary_without_warm_runs() -> None:
    out = summarize_dask_runs([{"workers_1": 10.0, "workers_2": 6.0}])
    assert out["speedup_2_over_1"] == 1.667
    assert "speedup_2_over_1_warm" not in out


def test_throughput_dask_child_failure_is_an_error_not_a_result(tmp_path: Path) -> None:
    # A measurement that did not happen must not be written to a results file.
    with pytest.raises(StorytraceError) as caught:
        dask_speedup_fresh(tmp_path / "missing.warc.gz", None, 1)
    assert caught.value.code == "ST121"
    assert "missing.warc.gz" in caught.value.message


PAGE = """<html><head><title>Missiles moved | Example News</title></head><body>
<article><h1>Missiles moved</h1>
<p>Iran has delivered long-range missiles to militias in Iraq for the first time, a regional intelligence source told the newspaper on Tuesday.</p>
<p>The transfer was organised by the Revolutionary Guards, officials said, as talks with the United States approach this weekend in Oman.</p>
</article></body></html>"""


def test_throughput_dask_copies_are_distinct_inputs_with_the_same_text(tmp_path: Path) -> None:
    # The Dask corpus repeats the pages: the input dedup must keep every copy
    # (else the larger corpus would silently be the small one), and each copy
    # must cost the same work: the same cleaned text.
    from bench.throughput import copied_pages
    from bench.warcgen import write_warc

    from storytrace import api

    pages = [("https://news.example.org/a", PAGE), ("https://news.example.org/b", PAGE + " ")]
    copies = list(copied_pages(pages, 3))
    assert copies[:2] == pages
    assert write_warc(tmp_path / "x3.warc.gz", copies) == 6
    from dataclasses import replace

    from storytrace.pipeline.config import AnalyzeConfig

    config = replace(AnalyzeConfig(), corpus_stages=())
    docs = api.analyze([tmp_path / "x3.warc.gz"], config).documents
    assert len(docs) == 6 and len({d.doc_id for d in docs}) == 6
    assert len({d.text for d in docs}) == 1 and "copy" not in docs[0].text
    with pytest.raises(ValueError):
        list(copied_pages(pages, 0))


def test_throughput_cc_news_extrapolation_pays_for_imperfect_scaling() -> None:
    from bench.throughput import CC_NEWS_MONTH, extrapolate

    linear = extrapolate(2.0)
    assert linear["cores"] == round(CC_NEWS_MONTH / 86_400 / 2.0, 1)
    # A 1.8x speed-up on two workers: each keeps 90% of a core's rate.
    scaled = extrapolate(2.0, efficiency=0.9)
    assert scaled["cores"] == round(CC_NEWS_MONTH / 86_400 / 1.8, 1) > linear["cores"]
    assert scaled["scaling_efficiency"] == 0.9
    assert scaled["machines_of_2_cores"] == -(-scaled["cores"] // 2)
    with pytest.raises(ValueError):
        extrapolate(2.0, efficiency=0.0)


@pytest.mark.model
def test_throughput_interleaved_timing_sees_every_page_once_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The one-core measurement cuts the WARC into chunks and times the stages
    # chunk by chunk: no page may be lost or doubled at a cut, and the order
    # (which the corpus stages see) is the WARC's.
    from bench.warcgen import write_warc

    from bench import throughput
    from storytrace.pipeline.config import AnalyzeConfig

    monkeypatch.setattr(throughput, "TIMING_CHUNKS", 3)
    pages = [
        (f"https://news.example.org/{n}", PAGE.replace("Missiles moved", f"Missiles moved {n}"))
        for n in range(7)
    ]
    warc = tmp_path / "pages.warc.gz"
    write_warc(warc, pages)
    timed = throughput._interleaved(warc, AnalyzeConfig(), 2)
    assert [d.metadata.url.value for d in timed.docs] == [url for url, _ in pages]
    assert len(timed.per_doc_runs) == 2 and all(t > 0 for t in timed.per_doc_runs)
    assert 0 < timed.per_doc <= max(timed.per_doc_runs) and timed.floor > 0 and timed.ours > 0
    assert timed.quotes  # "... a regional intelligence source told the newspaper"
