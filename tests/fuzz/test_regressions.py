"""Replay every input that ever broke something (found by tools/fuzz.py or by hand)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tools.fuzz import check

HERE = Path(__file__).parent / "regressions"
CASES = sorted(p for p in HERE.glob("*/*") if p.is_file() and p.name != ".gitkeep")


@pytest.mark.parametrize("case", CASES, ids=[f"{p.parent.name}/{p.name}" for p in CASES])
def test_regressions_replay(case: Path) -> None:
    check(case.parent.name, case.read_bytes())


def test_regressions_folder_is_replayed() -> None:
    """Guards the replay above against a path mistake that would make it replay nothing."""
    assert HERE.is_dir()
    assert all(
        p.parent.name in ("text", "html", "jsonl", "feed", "warc", "dates", "timex") for p in CASES
    )
