"""Terminal presentation for the CLI: progress bars, summaries, error lines, JSON logs.

Kept apart from ``cli.py`` so that commands stay thin (parse, call the API,
render) and so that the same rendering serves every command.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from storytrace.records import Diagnostic, Document, Dossier, Severity

# soft_wrap: a line longer than the terminal is folded by the terminal, never split
# by rich into several lines -- piped to a file, one diagnostic stays one line.
stderr = Console(stderr=True, highlight=False, soft_wrap=True)
stdout = Console(highlight=False, soft_wrap=True)

#: Characters that steer a terminal or reorder what it shows: C0 and C1 controls
#: (ESC starts every escape sequence), DEL, line and paragraph separators and the
#: bidirectional overrides and isolates ("Trojan source").
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Input-derived text made safe for a terminal: every unsafe character as an escape.

    ``printable("a\x1b[2Jb")`` is ``a\\x1b[2Jb``: shown, not obeyed. Newlines are
    escaped too, so a file name cannot start a fake line of output.
    """
    return _UNSAFE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class PrintableLogHandler(logging.Handler):
    """Library log records on stderr with every terminal-steering character escaped.

    Libraries under the readers (warcio, feedparser, lxml, ...) log warnings that quote
    the input -- a header, a URL -- and with no handler configured Python prints them raw:
    a file could write escape sequences onto the user's terminal. The CLI installs this
    handler on the root logger so such lines are shown, escaped, one per record.
    """

    #: Under ``--json-log`` each record is one JSON line like the CLI's own events, so the
    #: log stays machine-readable (set by :func:`route_library_logs`).
    json_lines = False

    def emit(self, record: logging.LogRecord) -> None:
        """Print ``warning (logger): message`` with the message made printable, or one
        ``library_log`` JSON line under ``--json-log``."""
        try:
            level, message = record.levelname.lower(), printable(record.getMessage())
            if PrintableLogHandler.json_lines:
                event = {"event": "library_log", "level": level, "logger": record.name}
                line = json.dumps({**event, "message": message}, ensure_ascii=False)
            else:
                line = printable(f"{level} ({record.name}): ") + message
            sys.stderr.write(line + "\n")
        except Exception:
            self.handleError(record)


def route_library_logs(mode: OutputMode) -> None:
    """Library log records follow the command's output mode (JSON lines under ``--json-log``)."""
    PrintableLogHandler.json_lines = mode.json_log


def install_log_handler() -> None:
    """Route library warnings through :class:`PrintableLogHandler` unless logging is set up."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(PrintableLogHandler(logging.WARNING))


def safe(value: object) -> str:
    """Any value from input (a file name, a title, a URL) as Rich markup that prints it literally."""
    return escape(printable(str(value)))


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
    return f"[{colour}]{diag.severity.value}[/] {safe(diag.source)}: {safe(diag.message)} [dim]\\[{diag.code}][/]"


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


class Ticker(Protocol):
    """What a command's per-input callback tells the progress display."""

    def advance(self) -> None: ...


class RateColumn(ProgressColumn):
    """Articles per second, once rich has measured it (blank until then, never a guess)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:.1f} articles/s", style="progress.data.speed")


class _LiveTicker:
    """A live bar on a capable terminal: count, rate and ETA once they are known."""

    def __init__(self, bar: Progress, label: str, total: int | None) -> None:
        self.bar = bar
        self.task = bar.add_task(escape(label), total=total)

    def advance(self) -> None:
        self.bar.advance(self.task)
        if self.bar.tasks[0].finished:  # every input read: the corpus stages run now
            self.bar.update(self.task, description="analysing")


@dataclass(slots=True)
class LineTicker:
    """Progress as a plain line every ``every`` seconds, for terminals that cannot redraw (``TERM=dumb``)."""

    console: Console
    label: str
    total: int | None
    every: float = 5.0
    done: int = 0
    started: float = 0.0
    shown: float = 0.0

    def __post_init__(self) -> None:
        self.started = self.shown = time.monotonic()

    def advance(self) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.shown >= self.every:
            self.shown = now
            self.console.print(self.line(now - self.started), markup=False)

    def line(self, elapsed: float) -> str:
        rate = self.done / elapsed if elapsed > 0 else 0.0
        count = f"{self.done}/{self.total}" if self.total else str(self.done)
        text = f"{self.label} {count} articles, {rate:.1f} articles/s"
        if self.total and rate > 0 and self.done < self.total:
            text += f", about {_clock((self.total - self.done) / rate)} left"
        return text


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds + 0.5), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{secs:02d}"


@contextmanager
def progress_bar(mode: OutputMode, total: int | None, label: str) -> Iterator[Ticker | None]:
    """Progress on stderr while inputs are read, or nothing when quiet, logging JSON or piped.

    ``total`` is the number of articles when known (``None`` for JSONL, WARC and
    feeds): then the bar shows a count and a rate, with no bar and no ETA.
    """
    if mode.quiet or mode.json_log or not stderr.is_terminal:
        yield None
        return
    if stderr.is_dumb_terminal:
        yield LineTicker(stderr, label, total)
        return
    columns: list[ProgressColumn] = [TextColumn("[bold]{task.description}")]
    if total:
        columns += [BarColumn(bar_width=20), MofNCompleteColumn()]
    else:
        columns.append(TextColumn("{task.completed} articles"))
    columns += [RateColumn(), TimeElapsedColumn()]
    if total:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        yield _LiveTicker(bar, label, total)


def on_result(mode: OutputMode, ticker: Ticker | None, result: Document | Diagnostic) -> None:
    """Per-input callback: advance the progress display, print a diagnostic at once."""
    if ticker is not None:
        ticker.advance()
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
    truncated = sum(1 for d in dossier.documents if d.truncated)
    failed = f"[red]{run.failed}[/]" if run.failed else "0"
    # Plain lines, not a table: a table would cut the report's path at the terminal's width.
    for name, value in (
        ("documents", str(run.documents)),
        ("failed inputs", failed),
        ("truncated bodies", str(truncated)),
        ("report", safe(where)),
    ):
        stderr.print(f"{name:<17} {value}")


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
    table = Table(title=safe(title))
    for key in keys:
        table.add_column(str(key))
    for row in rows:
        table.add_row(*(_cell(row.get(k)) for k in keys))
    stdout.print(table)


def _cell(value: Any) -> str:
    """A table cell as markup: figures rounded, text (a headline, an outlet) printed literally."""
    if isinstance(value, float):
        return f"{value:.3f}"
    return "" if value is None else safe(value)


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
