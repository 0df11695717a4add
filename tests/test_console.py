"""Tests of the benchmark tables printed by ``storytrace bench`` (``storytrace.console``)."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from storytrace import console
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


def test_console_long_headers_are_transposed_not_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    # The throughput figures: six keys whose names are the point of the table.
    figures = {
        "": "value",
        "articles": 581,
        "full_over_spacy_overhead": 0.232,
        "full_without_lineage_over_spacy_overhead": 0.11,
        "full_over_spacy_overhead_with_spacy_components": 0.374,
    }
    out = io.StringIO()
    monkeypatch.setattr(console, "stdout", Console(file=out, width=80))
    console.bench_table("one_core (figures)", [figures])
    printed = out.getvalue()
    assert "full_over_spacy_overhead_with_spacy_components │ 0.374" in printed
    assert "…" not in printed
    out.truncate(0)
    console.bench_table("dask", [{"": "seconds", "workers_1": 1.0, "workers_2": 0.5}])
    assert "│ seconds │ 1.000     │ 0.500     │" in out.getvalue()  # short: as it is


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain name.html", "plain name.html"),
        ("a\x1b[2Jb", "a\\x1b[2Jb"),
        ("title\x1b]0;pwned\x07", "title\\x1b]0;pwned\\x07"),
        ("two\nlines\r", "two\\x0alines\\x0d"),
        ("c1\x9b31m", "c1\\x9b31m"),
        ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
        ("Zürich – «ok»", "Zürich – «ok»"),
    ],
)
def test_console_printable_escapes_what_steers_a_terminal(raw: str, shown: str) -> None:
    assert console.printable(raw) == shown


def test_console_safe_prints_markup_literally() -> None:
    out = io.StringIO()
    Console(file=out, width=200, force_terminal=True, highlight=False).print(
        console.safe("[red]x[/] \x1b[1m")
    )
    assert out.getvalue().startswith("[red]x[/] \\x1b[1m")


def test_console_line_ticker_says_count_rate_and_time_left() -> None:
    ticker = console.LineTicker(Console(file=io.StringIO()), "reading", total=10)
    ticker.done = 4
    assert ticker.line(2.0) == "reading 4/10 articles, 2.0 articles/s, about 0:00:03 left"
    assert console.LineTicker(Console(), "reading", None, done=7).line(7.0) == (
        "reading 7 articles, 1.0 articles/s"
    )


def test_library_log_records_are_printed_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from storytrace.console import PrintableLogHandler

    logger = logging.getLogger("storytrace-test-library")
    handler = PrintableLogHandler(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("bad header: %s", "x\x1b]2;owned\x07\ny")
        logger.info("not shown")
    finally:
        logger.removeHandler(handler)
    err = capsys.readouterr().err
    assert err == "warning (storytrace-test-library): bad header: x\\x1b]2;owned\\x07\\x0ay\n"


def test_library_log_records_are_json_lines_under_json_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With --json-log a library's warning is one JSON line like the CLI's own events
    (the crash audit of session 17 found trafilatura's plain lines among them)."""
    import json
    import logging

    from storytrace.console import OutputMode, PrintableLogHandler, route_library_logs

    logger = logging.getLogger("storytrace-test-library-json")
    handler = PrintableLogHandler(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    route_library_logs(OutputMode(json_log=True))
    try:
        logger.warning("discarding data: %s", "x\x1b]2;owned\x07")
    finally:
        route_library_logs(OutputMode())
        logger.removeHandler(handler)
    (line,) = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record == {
        "event": "library_log",
        "level": "warning",
        "logger": "storytrace-test-library-json",
        "message": "discarding data: x\\x1b]2;owned\\x07",
    }
