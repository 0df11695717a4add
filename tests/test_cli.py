"""The CLI: outputs written, exit codes, one clear line per bad input, no traceback for user mistakes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from storytrace.cli import EXIT_ERROR, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "storytrace", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.model
def test_cli_analyze_writes_three_outputs(tmp_path: Path, seeds_dir: Path) -> None:
    result = run_cli("analyze", str(seeds_dir), "--out", str(tmp_path / "o"))
    assert result.returncode == EXIT_OK, result.stderr
    for name in ("dossier.json", "dossier.md", "dossier.html"):
        assert (tmp_path / "o" / name).stat().st_size > 0
    assert json.loads((tmp_path / "o" / "dossier.json").read_text())["run"]["documents"] == 5


@pytest.mark.model
def test_cli_analyze_partial_failure_exit_code_and_one_line_per_file(
    tmp_path: Path, seeds_dir: Path
) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text(next(seeds_dir.glob("001_*.txt")).read_text())
    (tmp_path / "in" / "empty.txt").write_text("")
    result = run_cli(
        "analyze", str(tmp_path / "in"), str(tmp_path / "gone.html"), "--out", str(tmp_path / "o")
    )
    assert result.returncode == EXIT_PARTIAL
    lines = [line for line in result.stderr.splitlines() if line.startswith("error")]
    assert len(lines) == 2
    assert any("empty.txt" in line and "ST202" in line for line in lines)
    assert any("gone.html" in line and "ST201" in line for line in lines)
    assert "Traceback" not in result.stderr


def test_cli_analyze_nothing_readable_is_an_error_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_bytes(b"\x00\x01" * 50)
    result = run_cli("analyze", str(tmp_path), "--out", str(tmp_path / "o"))
    assert result.returncode == EXIT_ERROR
    assert (
        "ST101" in result.stderr and "ST203" in result.stderr and "Traceback" not in result.stderr
    )
    assert not (tmp_path / "o").exists()


@pytest.mark.model
def test_cli_json_log_emits_machine_readable_lines(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = run_cli(
        "analyze",
        str(seeds_dir),
        str(tmp_path / "empty.txt"),
        "--out",
        str(tmp_path / "o"),
        "--json-log",
    )
    events = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert {"diagnostic", "summary"} <= {e["event"] for e in events}
    summary = next(e for e in events if e["event"] == "summary")
    assert summary["documents"] == 5 and summary["failed"] == 1


def test_cli_usage_error_exit_code(tmp_path: Path) -> None:
    result = run_cli("analyze", "--no-such-option")
    assert result.returncode == EXIT_USAGE


@pytest.mark.parametrize("args", [("--help",), ("analyze", "--help"), ("ingest", "--help")])
def test_cli_help_works(args: tuple[str, ...]) -> None:
    result = run_cli(*args)
    assert result.returncode == 0 and "Usage" in result.stdout


def test_cli_reference_doc_is_generated_from_help() -> None:
    from tools.gen_cli_docs import render_cli_reference

    doc = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    assert doc.read_text(encoding="utf-8") == render_cli_reference(), (
        "run: .venv/bin/python tools/gen_cli_docs.py"
    )


@pytest.mark.model
def test_cli_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path, seeds_dir: Path) -> None:
    """ST103 in one line, no traceback, whether analyze or export cannot write its folder."""
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    seed = sorted(seeds_dir.glob("*.txt"))[0]
    result = run_cli("analyze", str(seed), "--out", str(blocker / "out"), "--quiet")
    assert result.returncode == 3 and "ST103" in result.stderr
    assert "Traceback" not in result.stderr
    db = tmp_path / "s.duckdb"
    assert run_cli("ingest", str(seed), "--db", str(db)).returncode == 0
    result = run_cli("export", "--db", str(db), "--out", str(blocker))
    assert result.returncode == 3 and "ST103" in result.stderr
    assert blocker.read_text() == "not a folder"
