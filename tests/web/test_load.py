"""The web UI stays up under a bounded load from a second process on loopback, with no errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.web import LoadConfig, run_web_bench


@pytest.mark.slow
@pytest.mark.model  # the bench's ingest stores the analysis (spaCy, MiniLM)
def test_web_load_bounded_no_errors(tmp_path: Path, seeds_dir: Path) -> None:
    result = run_web_bench(seeds_dir, tmp_path, LoadConfig(requests=1000, threads=8))["load"][0]
    assert result["errors"] == 0
    assert result["status_404"] == result["expected_404"] > 0
    assert result["alive_after"] is True
