"""Docs-first, enforced: every config key and every DOCS: link is documented."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.registry import STAGES

ROOT = Path(__file__).resolve().parents[1]
CONFIG_DOC = ROOT / "docs" / "config.md"


def _config_classes() -> list[type]:
    """AnalyzeConfig and every config dataclass nested in it."""
    found: list[type] = [AnalyzeConfig]
    for item in dataclasses.fields(AnalyzeConfig):
        default = (
            item.default_factory()
            if item.default_factory is not dataclasses.MISSING
            else item.default
        )
        if dataclasses.is_dataclass(default):
            found.append(type(default))
    return found


@pytest.mark.parametrize("cls", _config_classes(), ids=lambda c: c.__name__)
def test_docs_every_config_key_is_documented(cls: type) -> None:
    text = CONFIG_DOC.read_text(encoding="utf-8")
    assert f"`{cls.__name__}`" in text
    for item in dataclasses.fields(cls):
        assert f"`{item.name}`" in text, (
            f"docs/config.md does not document {cls.__name__}.{item.name}"
        )


def test_docs_links_in_docstrings_exist() -> None:
    for source in (ROOT / "src").rglob("*.py"):
        for link in re.findall(r"DOCS: (\S+)", source.read_text(encoding="utf-8")):
            assert (ROOT / link).exists(), f"{source.name} links to missing {link}"


def test_docs_every_registered_stage_is_documented() -> None:
    text = (ROOT / "docs" / "pipeline.md").read_text(encoding="utf-8")
    for name in STAGES:
        assert f"`{name}`" in text, f"docs/pipeline.md does not document stage {name}"
