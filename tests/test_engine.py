"""The Dask engine on a LocalCluster: the same store as the local engine, resumable the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storytrace import api
from storytrace.engine import DaskConfig, partitions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    folder = tmp_path_factory.mktemp("dask-corpus")
    seeds = sorted(seeds_dir.glob("*.txt"))
    for i in range(24):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"{i:03d}.txt").write_text(f"Dispatch {i} of the day.\n{text}", encoding="utf-8")
    shutil.copy(seeds[0], folder / "dup.txt")
    shutil.copy(seeds[0], folder / "dup2.txt")
    (folder / "empty.txt").write_text("")
    return folder


def test_engine_partitions_cover_every_path_once() -> None:
    paths = [str(i) for i in range(10)]
    chunks = partitions(paths, 4)
    assert [len(c) for c in chunks] == [4, 4, 2] and [p for chunk in chunks for p in chunk] == paths


def test_engine_dask_store_equals_local_store(corpus: Path, tmp_path: Path) -> None:
    local = api.ingest([corpus], tmp_path / "local.duckdb")
    dask = api.ingest(
        [corpus], tmp_path / "dask.duckdb", engine=DaskConfig(workers=2, files_per_task=5)
    )
    assert (dask.added, dask.failed) == (local.added, local.failed) == (25, 1)
    one = api.to_json_data(api.dossier_from_store(tmp_path / "local.duckdb"))
    two = api.to_json_data(api.dossier_from_store(tmp_path / "dask.duckdb"))
    assert [d["doc_id"] for d in one["documents"]] == [d["doc_id"] for d in two["documents"]]
    assert [d["text"] for d in one["documents"]] == [d["text"] for d in two["documents"]]


def test_engine_dask_resumes_on_a_partial_store(corpus: Path, tmp_path: Path) -> None:
    first = sorted(corpus.glob("00*.txt"))
    part = tmp_path / "part"
    part.mkdir()
    for path in first:
        shutil.copy(path, part / path.name)
    db = tmp_path / "s.duckdb"
    api.ingest([part], db)
    result = api.ingest([corpus], db, engine=DaskConfig(workers=2, files_per_task=5))
    assert result.already_stored == len(first) and result.total_stored == 25


def test_engine_cli_ingest_with_dask(corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from storytrace.store import Store

    db = tmp_path / "cli.duckdb"
    cmd = [sys.executable, "-m", "storytrace", "ingest", str(corpus), "--db", str(db)]
    done = subprocess.run(
        [*cmd, "--engine", "dask", "--workers", "2", "-q"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr  # the corpus holds one empty file: partial failure
    with Store(db, read_only=True) as store:
        assert store.count() == 25
    bad = subprocess.run([*cmd, "--engine", "spark"], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "--engine" in bad.stderr
