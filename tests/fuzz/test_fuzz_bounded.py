"""A bounded coverage-guided fuzzing run in CI (longer runs: tools/fuzz.py, recorded in docs/benchmarks.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_fuzz_bounded_run_finds_nothing_and_executes() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "fuzz.py"), "all", "--seconds", "3"],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    counts = [int(n) for n in re.findall(r"exit 0\s+(\d+) executions", done.stdout)]
    sys.path.insert(0, str(ROOT / "tools"))
    from fuzz import TARGETS

    assert len(counts) == len(TARGETS) and all(n > 0 for n in counts), done.stdout
