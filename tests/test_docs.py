"""Docs-first, enforced: every config key and every DOCS: link is documented."""

from __future__ import annotations

import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from storytrace import api
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


def _error_codes() -> set[str]:
    """Every ``ST…`` code written in the product's source (the benchmarks raise some too)."""
    sources = [*(ROOT / "src").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]
    return {code for p in sources for code in re.findall(r"\bST\d{3}\b", p.read_text("utf-8"))}


def test_docs_every_error_code_is_documented() -> None:
    """A user who sees a code can look it up: each has a row in docs/errors.md."""
    codes = _error_codes()
    assert {"ST101", "ST201"} <= codes, "the code scan found nothing: is the pattern stale?"
    text = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    missing = sorted(c for c in codes if not re.search(rf"^\| {c} \|", text, re.MULTILINE))
    assert not missing, f"docs/errors.md has no table row for {missing}"


def _api_functions() -> list[str]:
    """Public functions defined in ``storytrace.api`` (cached ones included)."""
    return sorted(
        name
        for name, obj in vars(api).items()
        if not name.startswith("_")
        and inspect.isfunction(inspect.unwrap(obj))
        and getattr(obj, "__module__", None) == api.__name__
    )


@pytest.mark.parametrize("name", _api_functions())
def test_docs_every_api_function_is_documented(name: str) -> None:
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    as_code = re.search(rf"`(api\.)?{name}[(`]", text)
    as_heading = re.search(rf"^#+ .*\b{name}\b", text, re.MULTILINE)
    assert as_code or as_heading, f"docs/api.md does not document storytrace.api.{name}"
