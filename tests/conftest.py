"""Shared fixtures: the bundled seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers import SEEDS


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def embed() -> object:
    """The process's shared sentence vectors (an ``Embed``), for tests that call a stage directly."""
    from storytrace.models.services import Services

    return Services.shared().embed
