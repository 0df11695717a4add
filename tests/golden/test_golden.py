"""The golden gate: per-stage seed scores may not fall below their pinned floors."""

from __future__ import annotations

import json

import pytest
from tools.golden import FLOORS, run_checks, scores, seed_dossier


@pytest.fixture(scope="module")
def stage_scores() -> dict[str, float]:
    return scores(run_checks(seed_dossier()))


def test_golden_floors_cover_every_stage(stage_scores: dict[str, float]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    assert set(floors) == set(stage_scores), "pin new stages with: python tools/golden.py --update"


def test_golden_no_stage_below_its_floor(stage_scores: dict[str, float]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    low = {
        stage: (score, floors[stage])
        for stage, score in stage_scores.items()
        if score < floors.get(stage, 0.0)
    }
    assert not low, f"below floor (score, floor): {low}; see python tools/golden.py"
