"""The Python API: what the CLI and the web UI call, and what scripts import.

    >>> import storytrace.api as st
    >>> dossier = st.analyze(["examples/seeds"])
    >>> paths = st.write_dossier(dossier, "out")

DOCS: docs/api.md
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from storytrace import __version__
from storytrace.errors import ConfigError, InputError, no_readable_input
from storytrace.pipeline import run as pipeline
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.engine import DaskConfig, iter_results_dask
from storytrace.pipeline.run import ProgressCallback
from storytrace.records import Diagnostic, Document, Dossier, codec
from storytrace.report import render, serialize
from storytrace.store import Store, incremental, interchange

#: Told, in one sentence, what a long step is about to do (e.g. "analysing 210 documents").
StatusCallback = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What ``ingest`` did.

    Attributes:
        added (int): documents added.
        already_stored (int): documents found stored already.
        failed (int): inputs that failed.
        total_stored (int): documents in the store now.
        analysed (bool): the corpus analysis was computed and stored.
        stories_reused (int): stories whose claims were kept from the stored analysis.
        stories_aligned (int): stories whose claims were aligned now.
        documents_parsed (int): documents parsed by spaCy now (the others' parses were stored).
    """

    added: int
    already_stored: int
    failed: int
    total_stored: int
    analysed: bool = False
    stories_reused: int = 0
    stories_aligned: int = 0
    documents_parsed: int = 0


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
) -> Dossier:
    """Analyse news pages: files, folders (searched recursively) and globs.

    Args:
        paths: what to read.
        config (AnalyzeConfig | None): options; defaults when ``None``.
        progress (ProgressCallback | None): called once per input read.

    Returns:
        Dossier: documents, diagnostics and every computed section.

    Raises:
        InputError: when no input at all produced a document (``ST101``); the
            diagnostics say why each was skipped.
    """
    specs = [os.fspath(p) for p in paths]
    if not specs:
        raise InputError("ST102", "No input paths given. Pass files, folders or globs to analyse.")
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


def ingest(  # noqa: PLR0913 -- progress and engine are services, not options
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    config: AnalyzeConfig | None = None,
    progress: ProgressCallback | None = None,
    engine: DaskConfig | None = None,
    status: StatusCallback | None = None,
) -> IngestSummary:
    """Analyse inputs into a DuckDB store, committing batch by batch, then store the analysis.

    Idempotent and resumable: documents are keyed by content, inputs already
    stored are not processed again, and a killed run loses at most the batch in
    flight. Once the documents are in, the corpus stages of ``config`` run over
    every stored document and their results replace the stored analysis in one
    transaction (skipped when the stored analysis already covers exactly these
    documents with this version and these stages; ``corpus_stages=()`` stores
    documents only). Raises ``StoreError`` for a corrupt, foreign or locked database.

    Args:
        engine (DaskConfig | None): run the per-document stages on a Dask
            cluster; ``None`` runs them in this process.
        status (StatusCallback | None): told, in a sentence, when the corpus
            analysis starts and why.
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
        done = _refresh_analysis(store, config, status) if config.corpus_stages else None
        return IngestSummary(
            added, len(known), failed, store.count(), done is not None,
            done.stories_reused if done else 0, done.stories_aligned if done else 0,
            len(done.parsed) if done else 0,
        )  # fmt: skip


def _refresh_analysis(
    store: Store, config: AnalyzeConfig, status: StatusCallback | None
) -> incremental.Analysis | None:
    """Compute and store the corpus analysis unless the stored one is current.

    Reuses stored parses and the claims of stories the new documents did not
    touch (``store/incremental.py``); ``None`` when nothing needed computing.
    """
    digest = incremental.config_digest(config)
    problem = store.analysis_problem(__version__, config.corpus_stages, digest)
    if problem is None or not store.count():
        return None
    if status is not None:
        status(f"analysing {store.count()} stored documents ({problem})")
    base = pipeline.assemble(
        store.documents(), store.diagnostics(), config, store.document_stages()
    )
    reusable = store.reuse_problem(__version__, config.corpus_stages, digest) is None
    previous = incremental.load_previous(store.con) if reusable else None
    stamp = incremental.parse_stamp(config)
    done = incremental.analyse(base, config, incremental.stored_parses(store.con, stamp), previous)
    store.write_analysis(
        done.dossier, config.corpus_stages, digest, len(base.diagnostics), (stamp, done.parsed)
    )
    return done


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What ``export_store`` wrote.

    Attributes:
        files (tuple[Path, ...]): every file written: one per table and format,
            then ``entities.ftm.jsonl`` and ``claims.jsonld`` when the store holds
            an analysis.
        documents (int): documents exported.
        diagnostics (int): diagnostics exported.
    """

    files: tuple[Path, ...]
    documents: int
    diagnostics: int


#: ``export_store`` formats: the tables as Parquet, as CSV, or both.
EXPORT_FORMATS: dict[str, tuple[str, ...]] = {
    "parquet": ("parquet",),
    "csv": ("csv",),
    "both": ("parquet", "csv"),
}


def export_store(
    db: str | os.PathLike[str], out: str | os.PathLike[str], fmt: str = "parquet"
) -> ExportSummary:
    """Export a store: every table as Parquet and/or CSV, entities as FtM, claims as JSON-LD.

    Tables: ``documents`` (queryable columns and each document's whole JSON
    ``record``), ``diagnostics``, and, when the store holds an analysis, ``runs``
    and every table of ``records.tables.TABLES``. With an analysis, also
    ``entities.ftm.jsonl`` (FollowTheMoney entities: people, organisations and
    the articles that mention them) and ``claims.jsonld`` (schema.org ``Claim``
    with its appearances; no rating). Opens the store read-only, so an export can
    run beside ``storytrace serve``.

    Args:
        db (str | os.PathLike[str]): the store.
        out (str | os.PathLike[str]): folder for the files (created when missing).
        fmt (str): ``parquet``, ``csv`` or ``both``.

    Returns:
        ExportSummary: the files and the row counts.
    """
    if fmt not in EXPORT_FORMATS:
        raise ConfigError("ST104", f"Unknown export format {fmt!r}: use parquet, csv or both.")
    folder = Path(out)
    with Store(db, read_only=True) as store:
        try:
            written = list(store.export(folder, EXPORT_FORMATS[fmt]).values())  # creates the folder
            dossier = _stored_analysis(store, AnalyzeConfig())
            if dossier is not None:
                written += interchange.write_interchange(dossier, folder)
        except OSError as exc:
            raise _unwritable(folder, exc) from None
        documents = store.count()
        diagnostics = int(store.query("SELECT count(*) FROM diagnostics")[0][0])
    return ExportSummary(tuple(written), documents, diagnostics)


def _stored_analysis(store: Store, config: AnalyzeConfig) -> Dossier | None:
    """The dossier from the store's tables when its analysis is current, else ``None``."""
    digest = incremental.config_digest(config)
    if store.analysis_problem(__version__, config.corpus_stages, digest) is not None:
        return None
    base = pipeline.assemble(
        store.documents(), store.diagnostics(), config, store.document_stages()
    )
    return store.stored_dossier(base)


def dossier_from_store(
    db: str | os.PathLike[str],
    config: AnalyzeConfig | None = None,
    status: StatusCallback | None = None,
) -> Dossier:
    """The dossier of everything in a store, read from its tables when it holds a current analysis.

    The stored analysis is used when it was made by this version with
    ``config.corpus_stages`` over exactly the stored documents; it gives the same
    dossier as ``analyze`` on the same inputs. Otherwise (an older store, an
    ingest with ``--no-analysis``, another version) the corpus stages run now and
    ``status`` is told why; ``storytrace ingest`` stores the result.

    Args:
        db (str | os.PathLike[str]): the store.
        config (AnalyzeConfig | None): options; defaults when ``None``.
        status (StatusCallback | None): told, in a sentence, when the analysis is computed.
    """
    config = config or AnalyzeConfig()
    with Store(db, read_only=True) as store:
        ran = store.document_stages()
        base = pipeline.assemble(store.documents(), store.diagnostics(), config, ran)
        digest = incremental.config_digest(config)
        problem = store.analysis_problem(__version__, config.corpus_stages, digest)
        if problem is None or not config.corpus_stages:
            return store.stored_dossier(base) if config.corpus_stages else base
    if status is not None and base.documents:
        status(
            f"computing the analysis of {len(base.documents)} documents: {problem} "
            "(`storytrace ingest` stores it)"
        )
    return pipeline.analyze_corpus(base, config)


#: The corpus stages the story list needs when no analysis is stored.
_STORY_STAGES = ("dedup.minhash.v1", "stories.cluster.v2")


def stories_from_store(
    db: str | os.PathLike[str],
    config: AnalyzeConfig | None = None,
    status: StatusCallback | None = None,
) -> list[dict[str, Any]]:
    """The stories of everything in a store, as the dossier's JSON shows them.

    Read from the stored ``stories`` table when the store holds a current
    analysis; otherwise only deduplication and story clustering run.
    """
    config = config or AnalyzeConfig()
    with Store(db, read_only=True) as store:
        stored = _stored_analysis(store, config)
    if stored is None:
        stages = tuple(s for s in config.corpus_stages if s in _STORY_STAGES)
        stored = dossier_from_store(db, replace(config, corpus_stages=stages), status)
    stories: list[dict[str, Any]] = serialize.dossier_json(stored)["stories"]
    return stories
