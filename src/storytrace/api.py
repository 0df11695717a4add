"""The Python API: what the CLI and the web UI call, and what scripts import.

    >>> import storytrace.api as st
    >>> dossier = st.analyze(["examples/seeds"])
    >>> paths = st.write_dossier(dossier, "out")

DOCS: docs/api.md
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from storytrace.errors import ConfigError, InputError, no_readable_input
from storytrace.pipeline import run as pipeline
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.engine import DaskConfig, iter_results_dask
from storytrace.pipeline.parallel import run_parallel
from storytrace.pipeline.pool import default_workers
from storytrace.pipeline.run import ProgressCallback
from storytrace.records import Diagnostic, Document, Dossier, codec
from storytrace.report import render, serialize
from storytrace.store import Store


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What ``ingest`` did: documents added, already stored, inputs that failed."""

    added: int
    already_stored: int
    failed: int
    total_stored: int


@dataclass(frozen=True, slots=True)
class WrittenDossier:
    """Paths of the three files ``write_dossier`` wrote."""

    json: Path
    markdown: Path
    html: Path


def analyze(
    paths: Iterable[str | os.PathLike[str]],
    config: AnalyzeConfig | None = None,
    progress: ProgressCallback | None = None,
    workers: int | None = None,
) -> Dossier:
    """Analyse news pages: files, folders (searched recursively) and globs.

    Args:
        paths: what to read.
        config (AnalyzeConfig | None): options; defaults when ``None``.
        progress (ProgressCallback | None): called once per input read.
        workers (int | None): worker processes for the per-document stages, the
            spaCy parse and the per-story lineage stages; ``None`` uses every
            core, 1 runs everything in this process. The dossier is the same
            whatever the number (which is why it is not an ``AnalyzeConfig`` option).

    Returns:
        Dossier: documents, diagnostics and every computed section.

    Raises:
        InputError: when no input at all produced a document (``ST101``); the
            diagnostics say why each was skipped.
    """
    specs = [os.fspath(p) for p in paths]
    if not specs:
        raise InputError("ST102", "No input paths given. Pass files, folders or globs to analyse.")
    count = default_workers() if workers is None else workers
    if count > 1:
        dossier = run_parallel(specs, config or AnalyzeConfig(), count, progress)
    else:
        dossier = pipeline.run(specs, config or AnalyzeConfig(), progress)
    if not dossier.documents:
        raise no_readable_input(specs, dossier.diagnostics)
    return dossier


def to_json_data(dossier: Dossier, timestamp: bool = False) -> dict[str, Any]:
    """The dossier as JSON-able data following ``dossier.schema.json``.

    Args:
        dossier (Dossier): the analysis result.
        timestamp (bool): record ``generated_at``; off by default so that the
            same input gives byte-identical output.
    """
    when = datetime.now(UTC).isoformat(timespec="seconds") if timestamp else None
    return serialize.dossier_json(dossier, generated_at=when)


@cache
def schema() -> dict[str, Any]:
    """The JSON Schema of ``dossier.json``."""
    text = resources.files("storytrace").joinpath("schema/dossier.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` is not a valid dossier."""
    jsonschema.Draft202012Validator(schema()).validate(data)


def write_dossier(
    dossier: Dossier, out_dir: str | os.PathLike[str], timestamp: bool = False
) -> WrittenDossier:
    """Write ``dossier.json``, ``dossier.md`` and ``dossier.html`` into ``out_dir``.

    Each file is written to a temporary name and renamed, so an interrupted run
    never leaves a half-written dossier behind.

    Returns:
        WrittenDossier: the three paths.
    """
    out = output_folder(out_dir)
    data = to_json_data(dossier, timestamp)
    validate(data)
    written = WrittenDossier(out / "dossier.json", out / "dossier.md", out / "dossier.html")
    try:
        _write_atomic(written.json, codec.dumps(data))
        _write_atomic(written.markdown, render.render_markdown(data))
        _write_atomic(written.html, render.render_html(data))
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return written


def output_folder(path: str | os.PathLike[str]) -> Path:
    """``path`` as a folder that exists, created with its parents when missing.

    Raises:
        ConfigError: ``ST103`` when it cannot be (a file is in the way, no permission).
    """
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    return out


def _unwritable(out: Path, exc: OSError) -> ConfigError:
    return ConfigError(
        "ST103",
        f"Cannot write the output to {out}: {exc.strerror or exc}. Pass --out a folder you "
        "can write to (a file of that name may be in the way).",
    )


def _write_atomic(path: Path, content: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    os.replace(tmp, path)


def _batches(
    results: Iterable[Document | Diagnostic], size: int
) -> Iterable[list[Document | Diagnostic]]:
    batch: list[Document | Diagnostic] = []
    for result in results:
        batch.append(result)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    config: AnalyzeConfig | None = None,
    progress: ProgressCallback | None = None,
    engine: DaskConfig | None = None,
) -> IngestSummary:
    """Analyse inputs into a DuckDB store, committing batch by batch.

    Idempotent and resumable: documents are keyed by content, inputs already
    stored are not processed again, and a killed run loses at most the batch in
    flight. Raises ``StoreError`` for a corrupt, foreign or locked database.

    Args:
        engine (DaskConfig | None): run the per-document stages on a Dask
            cluster; ``None`` runs them in this process.
    """
    config = config or AnalyzeConfig()
    specs = [os.fspath(p) for p in paths]
    added = failed = 0
    ran: set[str] = set()
    with Store(db) as store:
        known = frozenset(store.known_ids())
        if engine is None:
            results = pipeline.iter_results(specs, config, skip=known, ran=ran)
        else:
            results = iter_results_dask(specs, config, engine, skip=known, ran=ran)
        for batch in _batches(results, config.ingest.batch_size):
            if progress is not None:
                for result in batch:
                    progress(result)
            docs = [r for r in batch if isinstance(r, Document)]
            diags = [r for r in batch if isinstance(r, Diagnostic)] + [
                g for d in docs for g in d.diagnostics
            ]
            failed += sum(1 for d in diags if d.severity.value == "error")
            added += store.add(docs, diags).added
        store.record_stages(ran)
        return IngestSummary(added, len(known), failed, store.count())


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What ``export_store`` wrote.

    Attributes:
        files (tuple[Path, ...]): the Parquet files, one per exported table.
        documents (int): documents exported.
        diagnostics (int): diagnostics exported.
    """

    files: tuple[Path, ...]
    documents: int
    diagnostics: int


def export_store(db: str | os.PathLike[str], out: str | os.PathLike[str]) -> ExportSummary:
    """Export a store's documents and diagnostics to Parquet, for other engines.

    ``documents.parquet`` has the store's queryable columns and each document's
    whole JSON ``record`` (the dossier schema's document); ``diagnostics.parquet``
    has every problem reported while ingesting. Opens the store read-only, so an
    export can run beside ``storytrace serve``.

    Args:
        db (str | os.PathLike[str]): the store.
        out (str | os.PathLike[str]): folder for the files (created when missing).

    Returns:
        ExportSummary: the files and their row counts.
    """
    with Store(db, read_only=True) as store:
        try:
            written = store.export_parquet(Path(out))  # creates the folder
        except OSError as exc:
            raise _unwritable(Path(out), exc) from None
        documents = store.count()
        diagnostics = int(store.query("SELECT count(*) FROM diagnostics")[0][0])
    return ExportSummary(tuple(written.values()), documents, diagnostics)


def dossier_from_store(db: str | os.PathLike[str], config: AnalyzeConfig | None = None) -> Dossier:
    """The dossier of everything in a store."""
    config = config or AnalyzeConfig()
    with Store(db, read_only=True) as store:
        ran = store.document_stages()
        dossier = pipeline.assemble(store.documents(), store.diagnostics(), config, ran)
    return pipeline.analyze_corpus(dossier, config)


def stories_from_store(
    db: str | os.PathLike[str], config: AnalyzeConfig | None = None
) -> list[dict[str, Any]]:
    """The stories of everything in a store, as the dossier's JSON shows them."""
    config = config or AnalyzeConfig()
    stages = tuple(
        s for s in config.corpus_stages if s in ("dedup.minhash.v1", "stories.cluster.v2")
    )
    dossier = dossier_from_store(db, replace(config, corpus_stages=stages))
    stories: list[dict[str, Any]] = serialize.dossier_json(dossier)["stories"]
    return stories
