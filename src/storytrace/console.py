"""Terminal presentation for the CLI: progress bars, summaries, error lines, JSON logs.

Kept apart from ``cli.py`` so that commands stay thin (parse, call the API,
render) and so that the same rendering serves every command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from storytrace.records import Diagnostic, Document, Dossier, Severity

stderr = Console(stderr=True, highlight=False)
stdout = Console(highlight=False)


@dataclass(frozen=True, slots=True)
class OutputMode:
    """How the CLI talks: ``quiet`` prints errors only; ``json_log`` prints JSON lines on stderr."""

    quiet: bool = False
    json_log: bool = False


def log_event(mode: OutputMode, event: str, **fields: Any) -> None:
    """One machine-readable log line (JSON) on stderr, when ``--json-log`` is on."""
    if mode.json_log:
        sys.stderr.write(
            json.dumps({"event": event, **fields}, ensure_ascii=False, default=str) + "\n"
        )


def diagnostic_line(diag: Diagnostic) -> str:
    """``file: reason [code]`` in Rich markup, with the article text escaped."""
    colour = {"error": "red", "warning": "yellow", "info": "dim"}[diag.severity.value]
    return f"[{colour}]{diag.severity.value}[/] {escape(diag.source)}: {escape(diag.message)} [dim]\\[{diag.code}][/]"


def report_diagnostic(mode: OutputMode, diag: Diagnostic) -> None:
    log_event(
        mode,
        "diagnostic",
        code=diag.code,
        severity=diag.severity.value,
        source=diag.source,
        message=diag.message,
    )
    if mode.json_log:
        return
    if diag.severity is Severity.ERROR or (not mode.quiet and diag.severity is Severity.WARNING):
        stderr.print(diagnostic_line(diag))


@contextmanager
def progress_bar(mode: OutputMode, total: int | None, label: str) -> Iterator[Progress | None]:
    """A Rich progress bar with counts, rate and ETA, or nothing when quiet / not a terminal."""
    if mode.quiet or mode.json_log or not stderr.is_terminal:
        yield None
        return
    columns = (
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.speed:>6.1f}/s" if total else ""), TimeElapsedColumn(), TimeRemainingColumn(),
    )  # fmt: skip
    with Progress(*columns, console=stderr, transient=True) as bar:
        bar.add_task(label, total=total)
        yield bar


def on_result(mode: OutputMode, bar: Progress | None, result: Document | Diagnostic) -> None:
    """Per-input callback: advance the bar, print a diagnostic at once."""
    if bar is not None:
        bar.advance(bar.task_ids[0])
    if isinstance(result, Diagnostic):
        report_diagnostic(mode, result)
    else:
        for diag in result.diagnostics:
            report_diagnostic(mode, diag)


def summary(mode: OutputMode, dossier: Dossier, where: str) -> None:
    """The end-of-run summary: documents, failures, where the report is."""
    run = dossier.run
    log_event(
        mode, "summary", documents=run.documents, failed=run.failed, inputs=run.inputs, out=where
    )
    if mode.quiet or mode.json_log:
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("documents", str(run.documents))
    table.add_row("failed inputs", f"[red]{run.failed}[/]" if run.failed else "0")
    truncated = sum(1 for d in dossier.documents if d.truncated)
    table.add_row("truncated bodies", str(truncated))
    table.add_row("report", escape(where))
    stderr.print(table)


#: A benchmark table with more keys than this is printed transposed.
MAX_COLUMNS = 8

#: Width the headers of an untransposed benchmark table may take together.
HEADER_WIDTH = 76


def bench_table(title: str, rows: list[dict[str, Any]]) -> None:
    """Print benchmark rows as a table on stdout; wide rows are transposed to stay readable.

    Wide means more than :data:`MAX_COLUMNS` keys, or headers too long for an
    80-column terminal together -- rich would cut them to ``full_over_spa…``.
    """
    if not rows:
        return
    keys = list(dict.fromkeys(k for row in rows for k in row))
    if len(keys) > MAX_COLUMNS or sum(len(str(k)) + 3 for k in keys) > HEADER_WIDTH:
        first = keys[0]
        names = [str(row.get(first, i)) for i, row in enumerate(rows)]
        rows = [
            {"": key, **{n: row.get(key) for n, row in zip(names, rows, strict=True)}}
            for key in keys[1:]
        ]
        keys = ["", *names]
    table = Table(title=title)
    for key in keys:
        table.add_column(str(key))
    for row in rows:
        table.add_row(*(_cell(row.get(k)) for k in keys))
    stdout.print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else str(value)


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool) or value is None


def _is_row(value: object) -> bool:
    return isinstance(value, dict) and bool(value) and all(map(_is_scalar, value.values()))


def result_tables(
    result: dict[str, Any], path: str = ""
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """Tables hidden in a nested benchmark result: each dict of scalars is a row.

    A dict whose values are rows becomes one table (row name in the first
    column); a list of rows is a table as it is; anything else is walked. The
    scalars that sit beside them (a headline ratio next to its timings) are one
    more row, ``<path> (figures)``.
    """
    rows = {k: v for k, v in result.items() if _is_row(v)}
    if rows:
        yield path or "result", [{"": name, **row} for name, row in rows.items()]
    figures = {k: v for k, v in result.items() if _is_scalar(v)}
    if figures:
        # Named like the rows of a table, so that a transposed wide row keeps its first key.
        yield f"{path or 'result'} (figures)", [{"": "value", **figures}]
    for key, value in result.items():
        where = f"{path}.{key}" if path else str(key)
        if isinstance(value, list) and value and all(_is_row(v) for v in value):
            yield where, list(value)
        elif isinstance(value, dict) and not _is_row(value):
            yield from result_tables(value, where)
