"""The Dask engine on a LocalCluster: the same store as the local engine, resumable the same way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.engine import DaskConfig, partitions

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


@pytest.mark.model
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
    docs_only = AnalyzeConfig(corpus_stages=())  # the engine's part: documents, no model
    api.ingest([part], db, docs_only)
    result = api.ingest([corpus], db, docs_only, engine=DaskConfig(workers=2, files_per_task=5))
    assert result.already_stored == len(first) and result.total_stored == 25


def test_engine_cli_ingest_with_dask(corpus: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    from storytrace.store import Store

    db = tmp_path / "cli.duckdb"
    cmd = [
        sys.executable,
        "-m",
        "storytrace",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--no-analysis",
    ]
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


def _images_warc(path: Path) -> None:
    """A WARC.gz of responses that are not HTML pages: nothing readable in it."""
    import io

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for i in range(6):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], "HTTP/1.1")
            payload = io.BytesIO(bytes(range(256)) * (4 + i))
            record = writer.create_warc_record(
                f"https://x.org/{i}.png", "response", payload=payload, http_headers=headers
            )
            writer.write_record(record)


@pytest.mark.model
def test_engine_dask_reads_large_archives_in_splits_like_the_local_engine(
    seeds_dir: Path, tmp_path: Path
) -> None:
    from bench.warcgen import write_warc

    pages = [
        (
            f"https://x.org/{p.stem}",
            "<html><body><p>"
            + p.read_text(encoding="utf-8").replace("\n\n", "</p><p>")
            + "</p></body></html>",
        )
        for p in sorted(seeds_dir.glob("*.txt"))
    ]
    write_warc(tmp_path / "pages.warc.gz", pages * 2 + [(u + "?b", h) for u, h in pages])
    _images_warc(tmp_path / "images.warc.gz")
    specs = [str(tmp_path / "pages.warc.gz"), str(tmp_path / "images.warc.gz")]
    local = api.ingest(specs, tmp_path / "local.duckdb")
    engine = DaskConfig(workers=2, split_bytes=2_000)
    dask = api.ingest(specs, tmp_path / "dask.duckdb", engine=engine)
    assert dask.added == local.added == len(pages) and dask.failed == local.failed == 1
    one = api.to_json_data(api.dossier_from_store(tmp_path / "local.duckdb"))
    two = api.to_json_data(api.dossier_from_store(tmp_path / "dask.duckdb"))
    # Splits finish in any order; the store holds the same documents.
    assert sorted(d["doc_id"] for d in one["documents"]) == sorted(
        d["doc_id"] for d in two["documents"]
    )
    codes = [(d["code"], d["source"]) for d in two["diagnostics"] if d["severity"] == "error"]
    assert codes == [("ST207", str(tmp_path / "images.warc.gz"))]
