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
from typing import TYPE_CHECKING, Any

import jsonschema

from storytrace import __version__
from storytrace.errors import ConfigError, InputError, StoreError, no_readable_input
from storytrace.pipeline import beside, cpu
from storytrace.pipeline import run as pipeline
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.engine import DaskConfig, iter_results_dask
from storytrace.pipeline.parallel import run_parallel
from storytrace.pipeline.pool import default_workers
from storytrace.pipeline.run import ProgressCallback
from storytrace.records import Diagnostic, Document, Dossier, codec
from storytrace.records.corrections import Correction, Draft, apply_corrections
from storytrace.report import render, serialize
from storytrace.store import Store, analysis, incremental, interchange, per_story
from storytrace.store import corrections as stored_corrections

if TYPE_CHECKING:  # the collect package (and httpx) load only when a command fetches
    from storytrace.collect.config import CollectConfig
    from storytrace.collect.run import CollectReport, FetchCallback
    from storytrace.collect.watch import WatchResult

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
        kept_after_claims (int): stories whose drift, disagreements, timeline and
            verdict (the stages of ``per_story``) were kept from the stored analysis.
        recomputed (tuple[str, ...]): corpus stages run over every stored document
            (their results cross stories).
        per_story (tuple[str, ...]): the stages after the claims run per story.
    """

    added: int
    already_stored: int
    failed: int
    total_stored: int
    analysed: bool = False
    stories_reused: int = 0
    stories_aligned: int = 0
    documents_parsed: int = 0
    kept_after_claims: int = 0
    recomputed: tuple[str, ...] = ()
    per_story: tuple[str, ...] = ()

    def analysis_line(self) -> str:
        """What the analysis reused and recomputed, in a sentence (``ingest`` prints it)."""
        stories = self.stories_reused + self.stories_aligned
        line = (
            f"analysis stored: {self.documents_parsed} documents parsed, claims of "
            f"{self.stories_aligned} stories aligned, {self.stories_reused} kept"
        )
        if self.per_story:
            what = ", ".join(per_story.MAKES[s] for s in self.per_story)
            line += (
                f"; {what} of {stories - self.kept_after_claims} stories computed, "
                f"{self.kept_after_claims} kept"
            )
        done = ", ".join(self.recomputed) or "nothing"
        return f"{line}; over all {self.total_stored} documents: {done}"


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
    if count > 1:  # the driver compiles the report's templates while the workers start
        meanwhile = (render.warm_up,)
        dossier = run_parallel(specs, config or AnalyzeConfig(), count, progress, None, meanwhile)
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


@cache
def _fast_validator() -> Any:
    import jsonschema_rs  # only writing a dossier needs it

    return jsonschema_rs.Draft202012Validator(schema())


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` if ``data`` is not a valid dossier.

    The check runs on every dossier written, on the driver while nothing else can: the
    Rust validator (``jsonschema-rs``) takes 0.016 s of CPU where ``jsonschema`` takes
    1.5 s on a 210-article dossier. ``jsonschema`` stays the reference: it re-checks
    only what the fast one rejects, and its error -- the one callers catch -- is raised.
    """
    if _fast_validator().is_valid(data):
        return
    jsonschema.Draft202012Validator(schema()).validate(data)


def write_dossier(
    dossier: Dossier,
    out_dir: str | os.PathLike[str],
    timestamp: bool = False,
    workers: int | None = None,
) -> WrittenDossier:
    """Write ``dossier.json``, ``dossier.md`` and ``dossier.html`` into ``out_dir``.

    The three are written as a set: every file goes to a temporary name first
    (rendered, written and flushed to disk), and only when all three are complete
    are they renamed over the old ones. A full disk or an interruption while
    writing leaves the previous dossier whole and no temporary file behind.

    Args:
        dossier (Dossier): what to write.
        out_dir: the folder (created when missing).
        timestamp (bool): record ``generated_at`` in the JSON and HTML.
        workers (int | None): with 2 or more (``None``: every core), the HTML is
            rendered in a forked process while this one writes the JSON and Markdown
            (:mod:`storytrace.pipeline.beside`); the files are the same bytes either way.

    Returns:
        WrittenDossier: the three paths.
    """
    out = output_folder(out_dir)
    data = to_json_data(dossier, timestamp)
    validate(data)
    written = WrittenDossier(out / "dossier.json", out / "dossier.md", out / "dossier.html")
    html_tmp = _temporary(written.html)
    fork = (default_workers() if workers is None else workers) > 1

    def html() -> None:
        _write_file(html_tmp, render.render_html(data))

    child = beside.start("render html", html) if fork else None
    try:
        contents = {written.json: codec.dumps(data), written.markdown: render.render_markdown(data)}
        done = {written.html: html_tmp} if child and child.succeeded(_HTML_WAIT_S) else {}
        if not done:
            contents[written.html] = render.render_html(data)
        _write_set(contents, done)
    except OSError as exc:
        raise _unwritable(out, exc) from None
    finally:
        if child:
            child.stop()
        html_tmp.unlink(missing_ok=True)  # the child's, when it failed or was stopped
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


#: How long the HTML's forked renderer may take before the driver renders it itself (a
#: guard against a child that never ends; 10,000 articles render in about a minute).
_HTML_WAIT_S = 900.0


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _write_file(path: Path, content: str) -> None:
    """``content`` into ``path``, flushed to disk."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _write_set(contents: dict[Path, str], done: dict[Path, Path] | None = None) -> None:
    """Write files all or none: temporaries first, renamed only once all are on disk.

    ``done`` maps further paths to temporaries already written (by a forked renderer).
    """
    temps: dict[Path, Path] = dict(done or {})
    try:
        for path, content in contents.items():
            temps[path] = _temporary(path)
            _write_file(temps[path], content)
    except BaseException:
        for tmp in temps.values():
            tmp.unlink(missing_ok=True)
        raise
    for path, tmp in temps.items():
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
            len(done.parsed) if done else 0, done.kept_after_claims if done else 0,
            done.recomputed if done else (), done.per_story if done else (),
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
    with cpu.part("reading the store"):
        base = pipeline.assemble(
            store.documents(), store.diagnostics(), config, store.document_stages()
        )
        reusable = store.reuse_problem(__version__, config.corpus_stages, digest) is None
        previous = incremental.load_previous(store.con) if reusable else None
        stamp = incremental.parse_stamp(config)
        known = incremental.stored_parses(store.con, stamp)
    done = incremental.analyse(base, config, known, previous)
    with cpu.part("writing the analysis"):
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
            if dossier is not None:  # the reporter's corrections hold in what others load too
                fixes = stored_corrections.load(store.con)
                written += interchange.write_interchange(apply_corrections(dossier, fixes), folder)
        except OSError as exc:
            raise _unwritable(folder, exc) from None
        documents = store.count()
        diagnostics = int(store.query("SELECT count(*) FROM diagnostics")[0][0])
    return ExportSummary(tuple(written), documents, diagnostics)


def _analysis_problem(store: Store, config: AnalyzeConfig) -> str | None:
    """Why the store's analysis is not this version's with ``config``; ``None`` when current."""
    digest = incremental.config_digest(config)
    return store.analysis_problem(__version__, config.corpus_stages, digest)


def analysis_current(store: Store, config: AnalyzeConfig | None = None) -> bool:
    """Whether an open store holds a current analysis: made by this version with
    ``config``'s corpus stages and options over exactly the stored documents."""
    config = config or AnalyzeConfig()
    return bool(config.corpus_stages) and _analysis_problem(store, config) is None


def _stored_analysis(store: Store, config: AnalyzeConfig) -> Dossier | None:
    """The dossier from the store's tables when its analysis is current, else ``None``."""
    if _analysis_problem(store, config) is not None:
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
    """The dossier of everything in a store, read from its tables when it holds a current
    analysis, with the store's corrections applied.

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
    with Store(db, read_only=True) as store:
        fixes = stored_corrections.load(store.con)
        return apply_corrections(store_analysis(store, config, status), fixes)


def store_analysis(
    store: Store, config: AnalyzeConfig | None = None, status: StatusCallback | None = None
) -> Dossier:
    """The analysis of an open store, corrections not applied: its stored tables when
    current, else the corpus stages run now (``status`` is told why)."""
    config = config or AnalyzeConfig()
    ran = store.document_stages()
    base = pipeline.assemble(store.documents(), store.diagnostics(), config, ran)
    if not config.corpus_stages:
        return base
    problem = _analysis_problem(store, config)
    if problem is None:
        return store.stored_dossier(base)
    if status is not None and base.documents:
        status(
            f"computing the analysis of {len(base.documents)} documents: {problem} "
            "(`storytrace ingest` stores it)"
        )
    return pipeline.analyze_corpus(base, config)


def story_from_store(
    store: Store, story_id: str, config: AnalyzeConfig | None = None
) -> Dossier | None:
    """One story of an open store as a dossier, read by its indexed rows: its articles,
    claims, quotes, disagreements, drift, timeline (no entities or provenance, which
    cross stories); ``None`` when the store holds no current analysis or no such story.
    Corrections are not applied."""
    config = config or AnalyzeConfig()
    if not config.corpus_stages or _analysis_problem(store, config) is not None:
        return None
    found = store.story_records(story_id)
    if found is None:
        return None
    doc_ids, records = found
    docs = [d for d in (store.document(i) for i in doc_ids) if d is not None]
    base = pipeline.assemble(docs, (), config, store.document_stages())
    return store.stored_dossier(base, records)


@dataclass(frozen=True, slots=True)
class CorrectionMade:
    """What ``correct`` recorded.

    Attributes:
        correction (Correction): the row written (``before`` filled from the store when not given).
        found (bool): the target is in the stored analysis (a correction of a target that
            is not changes nothing, and stays listed).
    """

    correction: Correction
    found: bool


def correct(db: str | os.PathLike[str], draft: Draft) -> CorrectionMade:
    """Record a correction in a store's overlay, as ``serve --allow-edits`` does.

    ``draft.before`` empty is filled with what the stored analysis has for the target
    (the speaker, stance, origin label, story or entity name). Opens the store for
    writing: not while ``serve`` or an ``ingest`` holds it (``ST142``).

    Raises:
        InputError: ``ST180`` for a correction that cannot mean anything.
        StoreError: ``ST143`` no store at ``db`` (a mistyped path must not make a new one).
    """
    stored_corrections.check(draft)
    _require_store(db)
    with Store(db) as store:
        analysed = store.analysis_run() is not None
        before = analysis.stored_value(store.con, draft.kind, draft.target) if analysed else None
        if not draft.before and before:
            draft = replace(draft, before=before)
        return CorrectionMade(stored_corrections.add(store.con, draft), before is not None)


def undo_correction(
    db: str | os.PathLike[str], correction_id: int, who: str, why: str
) -> Correction:
    """Undo a correction: an ``undo`` row naming it (who, when, why), its ``undone`` flag set.

    Raises:
        InputError: ``ST181`` no such correction (or undone already); ``ST180`` no name or reason.
        StoreError: ``ST143`` no store at ``db``.
    """
    _require_store(db)
    with Store(db) as store:
        return stored_corrections.undo(store.con, correction_id, who, why)


def _require_store(db: str | os.PathLike[str]) -> None:
    """A correction goes into an existing store: opening one for writing would create it."""
    if not Path(db).exists():
        raise StoreError(
            "ST143", f"No store at {db}. Create one with `storytrace ingest PATH --db {db}`."
        )


def corrections_from_store(db: str | os.PathLike[str]) -> tuple[Correction, ...]:
    """Every correction kept in a store, undone ones included, in the order made."""
    with Store(db, read_only=True) as store:
        return stored_corrections.load(store.con)


#: The corpus stages the story list needs when no analysis is stored.
_STORY_STAGES = ("dedup.minhash.v1", "stories.cluster.v3")


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


def collect(  # noqa: PLR0913 -- ``on_fetch`` is a callback, not an option
    targets: Iterable[str],
    db: str | os.PathLike[str],
    archive: str | os.PathLike[str] | None = None,
    keywords: Iterable[str] = (),
    config: CollectConfig | None = None,
    on_fetch: FetchCallback | None = None,
) -> CollectReport:
    """Fetch pages, RSS/Atom feeds and sitemaps politely into a store.

    robots.txt is obeyed, each host rate-limited, each URL asked conditionally
    (ETag / Last-Modified of its last version); every page is archived as a
    WARC record and ingested through the WARC reader; a page whose content
    changed becomes a new document linked to the URL's earlier versions (the
    ``fetches`` table and ``versions`` view). The only API function that opens
    a socket, with ``watch``.

    Args:
        targets: page, feed or sitemap URLs (recognised by their content).
        db: the store (created when missing).
        archive: folder for the run's WARC file (default: ``<db stem>-archive`` beside it).
        keywords: feed entries naming none of these are skipped (none: keep all).
        config: politeness and limits.
        on_fetch: called with each fetch as it is logged.

    Returns:
        CollectReport: new, edited, removed, unchanged pages and every fetch.

    Raises:
        ConfigError: ``ST170`` when no URL is given.
    """
    from storytrace.collect.run import Sources
    from storytrace.collect.run import collect as run_collect

    urls = tuple(t.strip() for t in targets if t.strip())
    if not urls:
        raise ConfigError("ST170", "No URL given. Pass page, feed or sitemap URLs to collect.")
    db_path = Path(db)
    folder = Path(archive) if archive else db_path.with_name(db_path.stem + "-archive")
    sources = Sources(urls, tuple(keywords))
    return run_collect(sources, db_path, folder, _ingest_into(db_path), config, on_fetch)


def _ingest_into(db: Path) -> Callable[[list[Path]], int]:
    """Collected pages are stored as documents only: the analysis of a watched store
    leaves superseded versions out (``_analyse_store``), so an analysis stored at
    collect time would be of the wrong set; ``report --db`` computes it on demand."""
    documents_only = AnalyzeConfig(corpus_stages=())

    def ingest_files(paths: list[Path]) -> int:
        return ingest(paths, db, documents_only).added

    return ingest_files


def _analyse_store(db: Path) -> dict[str, Any]:
    """The dossier JSON of a watched store: the current version of each collected page.

    Earlier versions of an edited page stay stored and archived (the edit is
    reported as a diff) but are left out of the analysis, so an edit does not
    count as a second article repeating the first.
    """
    from storytrace.store.fetches import superseded

    config = AnalyzeConfig()
    with Store(db, read_only=True) as store:
        old = superseded(store)
        docs = (d for d in store.documents() if d.doc_id not in old)
        dossier = pipeline.assemble(docs, store.diagnostics(), config, store.document_stages())
    return to_json_data(pipeline.analyze_corpus(dossier, config))


def watch(
    watchfile: str | os.PathLike[str],
    db: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    on_fetch: FetchCallback | None = None,
) -> WatchResult:
    """Run a watch file once: collect, analyse the store, write what changed.

    Writes ``changes.md``, ``changes.json`` and the Atom feed ``alerts.xml``
    into the watch's output folder; the previous run's snapshot is kept beside
    them in ``watch-state.json``.

    Args:
        watchfile: the TOML file naming the situation's feeds, URLs and keywords.
        db: the store (overrides the file's ``db``).
        out: the output folder (overrides the file's ``out``).
        on_fetch: called with each fetch as it is logged.

    Raises:
        ConfigError: ``ST171`` for a missing or invalid watch file.
    """
    from storytrace.collect.watch import watch_once
    from storytrace.collect.watchfile import load_watchfile

    spec = load_watchfile(Path(watchfile))
    if db is not None:
        spec = replace(spec, db=Path(db))
    if out is not None:
        spec = replace(spec, out=Path(out), archive=Path(out) / "archive")
    out_dir = output_folder(spec.out)
    return watch_once(replace(spec, out=out_dir), _ingest_into(spec.db), _analyse_store, on_fetch)
