"""The golden gate: per-stage seed scores may not fall below their pinned floors.

The floors only mean something for the inputs they were measured on, so those
inputs are pinned too: a seed page or the checklist changed silently (an editor
normalising whitespace, a merge) fails here by name instead of moving the scores.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from tools.golden import CHECKLIST, FLOORS, SEEDS, run_checks, scores

ROOT = Path(__file__).resolve().parents[2]

#: SHA-256 of every input the gate reads: the bundled seeds (a copy of
#: ../shared/seeds) and the checklist written from their GOLDEN.md.
PINNED = {
    "examples/seeds/000_dec87e6e3436f3ae.txt": "91e0c31f13b865c865f606df2fe71f1e87e3eb290236e8843d90a215f7edc862",
    "examples/seeds/001_d5397a2833240fd5.txt": "98736cb47ba6fab56cd29553b3a85009f788194bee44b9dbdd959446666aba99",
    "examples/seeds/002_13b623c90cd3069e.txt": "624e22bf0785b88d350eb8af30320d31596b07be99bf2f2863d83cd41814786e",
    "examples/seeds/003_860481385f417529.txt": "01b25813351972a2c87abfa13512e12fd3934ae80fd52f9a18597f5ef442086b",
    "examples/seeds/004_14f7f39452e76bc6.txt": "aafdc076a8bb39b3a65bb4a5f62331587d450f5ff3733f25c22192d47e75d7ce",
    "tests/golden/seeds_checklist.json": "8e230190271e5b24e8ef227a21b66633665892d4afaf0ebe96889763801517ae",
}
UPDATE_PIN = (
    "If the change is intended, check the checklist still matches GOLDEN.md, run "
    "`python tools/golden.py`, then update PINNED in tests/golden/test_golden.py from "
    "`sha256sum examples/seeds/*.txt tests/golden/seeds_checklist.json`."
)


def _inputs() -> dict[str, str]:
    """SHA-256 of each input the gate reads now, by path relative to the repository."""
    paths = [*sorted(SEEDS.glob("*.txt")), CHECKLIST]
    return {
        p.relative_to(ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths
    }


def _changed_inputs() -> list[str]:
    now = _inputs()
    return sorted(name for name in PINNED.keys() | now.keys() if PINNED.get(name) != now.get(name))


@pytest.fixture(scope="module")
def stage_scores(seed_json: dict[str, Any]) -> dict[str, float]:
    changed = _changed_inputs()
    if changed:  # scores of other inputs would compare against the wrong floors
        pytest.fail(f"golden inputs changed: {', '.join(changed)}. {UPDATE_PIN}", pytrace=False)
    return scores(run_checks(copy.deepcopy(seed_json)))


def test_golden_inputs_are_the_pinned_ones() -> None:
    changed = _changed_inputs()
    assert not changed, f"golden inputs changed (added, removed or edited): {changed}. {UPDATE_PIN}"


@pytest.mark.model
def test_golden_floors_cover_every_stage(stage_scores: dict[str, float]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    assert set(floors) == set(stage_scores), "pin new stages with: python tools/golden.py --update"


@pytest.mark.model
def test_golden_no_stage_below_its_floor(stage_scores: dict[str, float]) -> None:
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))["floors"]
    low = {
        stage: (score, floors[stage])
        for stage, score in stage_scores.items()
        if score < floors.get(stage, 0.0)
    }
    assert not low, f"below floor (score, floor): {low}; see python tools/golden.py"
