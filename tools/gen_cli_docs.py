"""Regenerate docs/cli.md from the CLI's own --help (a test checks it is current).

Usage: .venv/bin/python tools/gen_cli_docs.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def cli_commands() -> list[tuple[str, ...]]:
    """Every command and subcommand of the CLI, in the order they are registered.

    Read from the Typer app itself, so a new command cannot be left out of the
    reference.
    """
    import typer

    from storytrace.cli import app

    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        # Typer bundles its own click: a group is whatever has subcommands.
        found.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())
    return found


HEADER = """# CLI reference

Generated from `storytrace --help` by `tools/gen_cli_docs.py`; do not edit by hand.

Exit codes: `0` every input was read; `1` the dossier was written but some inputs
failed (each is named with its reason on stderr and in the dossier's Problems
section); `2` usage error; `3` nothing could be analysed, or another storytrace
error (a one-line message with an `ST1xx` code; `--debug` shows the traceback).

On a terminal, `analyze` and `ingest` show progress on stderr: a bar with the count,
articles/s and the time left once they are measured (a count and a rate when the
inputs include JSONL, WARC or feeds, whose number of articles is not known ahead);
with `TERM=dumb` a plain line every five seconds; nothing when stderr is piped,
with `--quiet` or with `--json-log`. `NO_COLOR` turns colour off. Everything printed
from input (file names, titles, URLs) has control characters escaped (`\\x1b`), and
each diagnostic is one line.
"""


def _help(args: tuple[str, ...]) -> str:
    env = {
        **os.environ,
        "COLUMNS": "100",
        "TERM": "dumb",
        "NO_COLOR": "1",
        "_TYPER_FORCE_DISABLE_TERMINAL": "1",
    }
    out = subprocess.run(
        [sys.executable, "-m", "storytrace", *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    return "\n".join(line.rstrip() for line in out.strip().splitlines())


def render_cli_reference() -> str:
    """The whole reference as Markdown."""
    parts = [HEADER]
    for args in cli_commands():
        name = " ".join(("storytrace", *args))
        parts.append(f"## `{name}`\n\n```text\n{_help(args)}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    DOC.write_text(render_cli_reference(), encoding="utf-8")
    print(f"wrote {DOC}")
