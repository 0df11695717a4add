"""The seed dossier's JSON data for the report tests (analysed once per session: ``seed_json``)."""

from __future__ import annotations

import copy
from typing import Any

import pytest


@pytest.fixture
def seed_data(seed_json: dict[str, Any]) -> dict[str, Any]:
    """A fresh deep copy of the seed dossier's JSON data: tests may change it."""
    return copy.deepcopy(seed_json)
