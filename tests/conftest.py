"""Shared fixtures: the bundled seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import SEEDS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS
