"""The CLI as a person meets it: in a real terminal (a pseudo-terminal), of any width,
dumb or without colour, and piped into a log.

Every other CLI test captures output through pipes, where the progress bar is
never drawn -- which is how ``make demo`` could crash in every real terminal while
the suite was green. These run the installed ``storytrace`` under a pty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from tests.helpers import SEEDS
from tests.terminal import STORYTRACE, Terminal, run_in_pty

pytestmark = [pytest.mark.model, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[1]
#: Cursor movement, line erase and window-title sequences: a live display redrawing itself.
_REDRAW = re.compile(rb"\x1b\[(?:\d*[ABK]|\?25[lh])")
_COLOUR = re.compile(rb"\x1b\[(?:\d+;)*3[0-9](?:;\d+)*m")


def _one_seed(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(next(SEEDS.glob("001_*.txt")), folder / "article.txt")
    return folder


def _assert_dossier(out: Path, documents: int) -> None:
    assert (out / "dossier.html").stat().st_size > 0
    assert json.loads((out / "dossier.json").read_text())["run"]["documents"] == documents


def test_terminal_analyze_draws_progress_and_writes_the_dossier(tmp_path: Path) -> None:
    run = run_in_pty([STORYTRACE, "analyze", str(SEEDS), "--out", str(tmp_path / "o")])
    assert run.returncode == 0, run.text
    _assert_dossier(tmp_path / "o", 5)
    assert "Traceback" not in run.text and "Error" not in run.text
    # The live bar was drawn, with a measured rate once rich had one.
    assert _REDRAW.search(run.output)
    assert "reading" in run.text and "articles/s" in run.text
    assert "documents" in run.text and "dossier.html" in run.text


@pytest.mark.parametrize("columns", [8, 20, 200])
def test_terminal_analyze_any_width(tmp_path: Path, columns: int) -> None:
    run = run_in_pty(
        [STORYTRACE, "analyze", str(_one_seed(tmp_path / "in")), "--out", str(tmp_path / "o")],
        terminal=Terminal(columns=columns),
    )
    assert run.returncode == 0, run.text
    _assert_dossier(tmp_path / "o", 1)
    assert "Traceback" not in run.text


def test_terminal_dumb_gets_no_redrawing(tmp_path: Path) -> None:
    run = run_in_pty(
        [STORYTRACE, "analyze", str(SEEDS), "--out", str(tmp_path / "o")],
        terminal=Terminal(term="dumb"),
    )
    assert run.returncode == 0, run.text
    _assert_dossier(tmp_path / "o", 5)
    assert not _REDRAW.search(run.output), run.output[-500:]
    assert "documents" in run.text


def test_terminal_no_color_has_no_colour(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_text("")  # a diagnostic, printed in red otherwise
    _one_seed(tmp_path / "in")
    run = run_in_pty(
        [STORYTRACE, "analyze", str(tmp_path / "in"), "--out", str(tmp_path / "o")],
        terminal=Terminal(extra=(("NO_COLOR", "1"),)),
    )
    assert run.returncode == 1, run.text  # one input failed, the dossier is written
    _assert_dossier(tmp_path / "o", 1)
    assert "empty.txt" in run.text and "ST202" in run.text
    assert not _COLOUR.search(run.output), run.output[-500:]


def test_terminal_file_names_are_escaped_not_obeyed(tmp_path: Path) -> None:
    folder = _one_seed(tmp_path / "in")
    # Clears the screen and sets the window title; fakes an ERROR line on a new line.
    (folder / "a\x1b]0;pwned\x07\x1b[2Jb.txt").write_text("")
    (folder / "x\x1b[31mERROR fake\nline.txt").write_text("")
    run = run_in_pty([STORYTRACE, "analyze", str(folder), "--out", str(tmp_path / "o")])
    assert run.returncode == 1, run.text
    assert b"\x1b]0;pwned" not in run.output and b"\x1b[2J" not in run.output
    assert b"\x1b[31mERROR" not in run.output
    assert "a\\x1b]0;pwned\\x07\\x1b[2Jb.txt" in run.text
    assert "x\\x1b[31mERROR fake\\x0aline.txt" in run.text
    assert not any(line.startswith("line.txt") for line in run.text.splitlines())


def test_piped_diagnostics_are_one_line_each(tmp_path: Path) -> None:
    folder = tmp_path / ("a_folder_name_long_enough_to_wrap_" * 4)
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "bad\x1b[2J.txt").write_text("")
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    result = subprocess.run(
        [STORYTRACE, "analyze", str(folder), "--out", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    errors = [line for line in result.stderr.splitlines() if "ST20" in line]
    assert len(errors) == 2, result.stderr
    assert all(line.startswith("error ") and line.endswith("[ST202]") for line in errors)
    assert "\x1b" not in result.stderr


def test_terminal_store_commands(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    run = run_in_pty([STORYTRACE, "ingest", str(SEEDS), "--db", str(db)])
    assert run.returncode == 0, run.text
    assert "added 5" in run.text and _REDRAW.search(run.output)
    run = run_in_pty([STORYTRACE, "report", "--db", str(db), "--out", str(tmp_path / "r")])
    assert run.returncode == 0, run.text
    _assert_dossier(tmp_path / "r", 5)
    run = run_in_pty([STORYTRACE, "export", "--db", str(db), "--out", str(tmp_path / "e")])
    assert run.returncode == 0, run.text
    assert (tmp_path / "e" / "documents.parquet").stat().st_size > 0
    run = run_in_pty([STORYTRACE, "stories", "--db", str(db)], terminal=Terminal(columns=60))
    assert run.returncode == 0, run.text
    assert "stories in" in run.text


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_terminal_serve_starts_answers_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    db = tmp_path / "news.duckdb"
    assert run_in_pty([STORYTRACE, "ingest", str(SEEDS), "--db", str(db)]).returncode == 0
    port = _free_port()
    answered: list[int] = []

    def up(output: bytes) -> bool:
        if f"127.0.0.1:{port}".encode() not in output:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
                answered.append(page.status)
        except OSError:
            return False  # printed before uvicorn listens: try again on the next read
        return True

    run = run_in_pty(
        [STORYTRACE, "serve", "--db", str(db), "--port", str(port)], until=up, timeout=120
    )
    assert answered == [200], run.text
    assert run.returncode == 0, run.text
    assert "Traceback" not in run.text


@pytest.mark.skipif(
    Path(sys.executable).parent != REPO / ".venv" / "bin" or shutil.which("make") is None,
    reason="runs the README's `make demo` against this checkout's .venv",
)
def test_terminal_readme_make_demo(tmp_path: Path) -> None:
    run = run_in_pty(["make", "demo", f"OUT={tmp_path / 'seeds'}"], cwd=REPO)
    assert run.returncode == 0, run.text
    _assert_dossier(tmp_path / "seeds", 5)
    assert "Open " in run.text
