"""The one-page dossier of one store state, rendered in a process of its own.

``serve`` starts ``python -m storytrace.web.render_job --db STORE --out FILE`` and
writes the state's corrections (JSON rows) to its standard input. The job opens
the store read-only (or the snapshot ``serve --allow-edits`` made of it, since a
store open for writing cannot be opened by another process), reads or computes
the analysis, lays the corrections over it, renders the page and writes it to a
temporary file renamed to ``FILE`` when complete. It prints one line per step
(``step 1`` reading, ``step 2`` rendering, ``step 3`` writing, ``step 4`` done)
or ``error MESSAGE``, which the server reads to say how far it got. Its own
interpreter renders, so the server's page threads keep theirs.

When the server goes away the job stops at its next step (its output pipe is
broken, or its parent changed), removing its temporary file.

DOCS: docs/web.md
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from storytrace.api import store_analysis
from storytrace.errors import StorytraceError
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records.corrections import Correction, apply_corrections
from storytrace.report import render, serialize
from storytrace.store import Store

STEPS = ("reading the analysis", "rendering the page", "writing the file")


def partial_path(path: Path, pid: int) -> Path:
    """Where process ``pid`` writes ``path`` before renaming it (cleaned at ``serve``'s start
    when ``pid`` is gone)."""
    return path.with_name(f".{path.name}.{pid}.partial")


class _Gone(Exception):
    """The server that started this job is gone: stop."""


def _say(line: str, parent: int) -> None:
    if os.getppid() != parent:
        raise _Gone
    try:
        print(line, flush=True)
    except BrokenPipeError:
        raise _Gone from None


def render_state(db: Path, out: Path, fixes: Sequence[Correction], parent: int) -> None:
    """Read the analysis of ``db``, apply ``fixes``, render and write ``out`` (temporary + rename).

    Raises:
        _Gone: the server went away (nothing is written).
        StorytraceError: the store cannot be read, or the analysis cannot be computed.
    """
    _say("step 1", parent)
    with Store(db, read_only=True) as store:
        dossier = apply_corrections(store_analysis(store, AnalyzeConfig()), fixes)
    _say("step 2", parent)
    page = render.render_html(serialize.dossier_json(dossier))
    _say("step 3", parent)
    partial = partial_path(out, os.getpid())
    try:
        # owner only, as the cache folder: the page holds every article's text
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(page)
        if os.getppid() != parent:
            raise _Gone
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    _say("step 4", parent)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one render; the corrections come as JSON rows on standard input."""
    parser = argparse.ArgumentParser(prog="python -m storytrace.web.render_job")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--parent", type=int, default=os.getppid())
    args = parser.parse_args(argv)
    fixes = tuple(Correction(*row) for row in json.loads(sys.stdin.read() or "[]"))
    try:
        render_state(args.db, args.out, fixes, args.parent)
    except _Gone:
        return 3
    except StorytraceError as exc:
        _report(str(exc))
        return 1
    except Exception as exc:
        _report(f"{type(exc).__name__}: {exc}")
        raise
    return 0


def _report(message: str) -> None:
    try:
        print("error " + " ".join(message.split()), flush=True)
    except BrokenPipeError:
        pass


if __name__ == "__main__":
    sys.exit(main())
