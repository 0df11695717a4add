"""Tests of the benchmark tables printed by ``storytrace bench`` (``storytrace.console``)."""

from __future__ import annotations

from storytrace.console import result_tables


def test_console_scalars_beside_rows_are_printed() -> None:
    # The Dask result: timings as a row, the headline speed-up as a bare scalar.
    result = {
        "dask": {"seconds": {"workers_1": 32.3, "workers_2": 19.0}, "speedup_2_over_1": 1.7},
        "corpus": {"html_pages": 581},
    }
    tables = dict(result_tables(result))
    assert tables["result"] == [{"": "corpus", "html_pages": 581}]
    assert tables["dask"] == [{"": "seconds", "workers_1": 32.3, "workers_2": 19.0}]
    assert tables["dask (figures)"] == [{"": "value", "speedup_2_over_1": 1.7}]


def test_console_flat_result_is_one_row_and_lists_of_rows_are_tables() -> None:
    flat = {"f1": 0.9, "pages": 3}
    assert list(result_tables(flat)) == [("result (figures)", [{"": "value", **flat}])]
    runs = {"runs": [{"workers_1": 30.0}, {"workers_1": 31.0}], "note": "two runs"}
    assert dict(result_tables(runs)) == {
        "runs": [{"workers_1": 30.0}, {"workers_1": 31.0}],
        "result (figures)": [{"": "value", "note": "two runs"}],
    }
