"""The orchestrator: runs the registered stages over inputs and assembles a Dossier.

Stages are pure; this module is where inputs are read and results collected.
Per-input failure is data: an input that cannot be read, or a stage that raises
on one document, becomes a ``Diagnostic`` and the batch goes on.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

import signal
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from storytrace import __version__
from storytrace.errors import REASON_HELP, Reason
from storytrace.pipeline.registry import CORPUS_STAGES, DEFAULT_PIPELINE, check_order, load
from storytrace.records import (
    Cleaned,
    Diagnostic,
    Document,
    Dossier,
    Metadata,
    RawInput,
    RunInfo,
    Severity,
)
from storytrace.stages.dedup.minhash import DedupConfig
from storytrace.stages.entities.extract import EntityConfig
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.splits import FileSplit, read_split
from storytrace.stages.lineage.trace import SECTION_OF, CorpusView, LineageConfig, trace
from storytrace.stages.metadata.text import MetadataConfig
from storytrace.stages.quotes.extract import QuoteConfig
from storytrace.stages.stories.config import StoryConfig


@dataclass(frozen=True, slots=True)
class AnalyzeConfig:
    """Options of one analysis run, grouped by stage.

    Attributes:
        ingest (IngestConfig): file discovery and reading.
        metadata (MetadataConfig): printed metadata.
        dedup (DedupConfig): duplicate and text-reuse detection.
        stories (StoryConfig): story clustering.
        entities (EntityConfig): entity extraction and alias merging.
        quotes (QuoteConfig): quote and attribution extraction.
        lineage (LineageConfig): claims, provenance, drift, disagreements, timeline.
        pipeline (tuple[str, ...]): registered per-document stage names, in order.
        corpus_stages (tuple[str, ...]): registered corpus-level stages to run
            over all documents (empty: documents only, the fast path).
        doc_timeout_s (float): a document whose per-document stages take longer
            is skipped with ``ST213``; 0 disables the limit.
    """

    ingest: IngestConfig = field(default_factory=IngestConfig)
    metadata: MetadataConfig = field(default_factory=MetadataConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    entities: EntityConfig = field(default_factory=EntityConfig)
    quotes: QuoteConfig = field(default_factory=QuoteConfig)
    lineage: LineageConfig = field(default_factory=LineageConfig)
    pipeline: tuple[str, ...] = DEFAULT_PIPELINE
    corpus_stages: tuple[str, ...] = CORPUS_STAGES
    doc_timeout_s: float = 60.0


#: Called once per input read (a document or a diagnostic), for progress bars.
ProgressCallback = Callable[[Document | Diagnostic], None]


def clean(raw: RawInput) -> Cleaned:
    """Run the boilerplate stage that fits the input's format."""
    if raw.html is not None:
        cleaned: Cleaned = load("boilerplate.html.v1")(raw.html)
    else:
        cleaned = load("boilerplate.text.v1")(raw.text or "")
    return cleaned


def read_metadata(raw: RawInput, cleaned: Cleaned, config: AnalyzeConfig) -> Metadata:
    """Run the metadata stages: markup (HTML only), printed text, then the merge."""
    markup: Metadata | None = None
    if raw.html is not None:
        markup = load("metadata.html.v1")(raw.html, raw.url)
    printed: Metadata = load("metadata.text.v1")(cleaned, config.metadata)
    merged: Metadata = load("metadata.merge.v1")(raw, printed, markup)
    return merged


def _document_diagnostics(raw: RawInput, cleaned: Cleaned) -> tuple[Diagnostic, ...]:
    if cleaned.text.strip():
        return ()
    message = REASON_HELP[Reason.NO_BODY] + "; the page is kept with its boilerplate viewable"
    return (
        Diagnostic(
            Reason.NO_BODY.value, Severity.WARNING, str(raw.source), message, raw.content_hash
        ),
    )


def build_document(raw: RawInput, config: AnalyzeConfig) -> Document:
    """One raw input through the per-document stages.

    Args:
        raw (RawInput): a reader's output.
        config (AnalyzeConfig): options.

    Returns:
        Document: the cleaned article with its metadata and any warnings.
    """
    cleaned = clean(raw)
    return Document(
        doc_id=raw.content_hash,
        source=raw.source,
        format=raw.format,
        page_text=cleaned.page_text,
        text=cleaned.text,
        segments=cleaned.segments,
        metadata=read_metadata(raw, cleaned, config),
        truncated=cleaned.truncated,
        truncation_evidence=cleaned.truncation_evidence,
        diagnostics=_document_diagnostics(raw, cleaned),
    )


class DocumentTimeout(Exception):
    """Raised inside a document's stages when its time limit is over."""


def _on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` with ``DocumentTimeout``.

    Uses SIGALRM, so it works in the main thread of a POSIX process (the CLI, a
    Dask worker process runs tasks in a thread: there it is a no-op and the
    input size limits bound the work). Python code and ``re`` are interrupted at
    once; a long C call (lxml) when it returns.
    """
    usable = (
        seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def process(raw: RawInput, config: AnalyzeConfig) -> Document | Diagnostic:
    """``build_document`` with failure isolation: a stage error or a time-out becomes a diagnostic."""
    try:
        with time_limit(config.doc_timeout_s):
            return build_document(raw, config)
    except DocumentTimeout:
        message = f"{REASON_HELP[Reason.TIMEOUT]} ({config.doc_timeout_s:g} s)"
        return Diagnostic(Reason.TIMEOUT.value, Severity.ERROR, str(raw.source), message)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc} at {_where(exc)}"
        message = f"{REASON_HELP[Reason.STAGE_FAILED]} ({detail})"
        return Diagnostic(Reason.STAGE_FAILED.value, Severity.ERROR, str(raw.source), message)


def _where(exc: BaseException) -> str:
    """``module.py:line`` of the deepest storytrace frame of a traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/storytrace/" in f.filename] or frames
    return f"{ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno}" if ours else "?"


def first_or_duplicate(
    item: RawInput | Document, seen: dict[str, str]
) -> RawInput | Document | Diagnostic:
    """``item`` if its content is new; else an info diagnostic naming the first source.

    ``seen`` maps content hashes (document ids) to the first source, and is updated.
    """
    key = item.content_hash if isinstance(item, RawInput) else item.doc_id
    if key in seen:
        message = f"{REASON_HELP[Reason.DUPLICATE_INPUT]} (same as {seen[key]})"
        return Diagnostic(
            Reason.DUPLICATE_INPUT.value, Severity.INFO, str(item.source), message, key
        )
    seen[key] = str(item.source)
    return item


def _dedupe_inputs(items: Iterable[RawInput | Diagnostic]) -> Iterator[RawInput | Diagnostic]:
    """Each distinct content once; a repeat becomes an info diagnostic naming the first."""
    seen: dict[str, str] = {}
    for item in items:
        checked = first_or_duplicate(item, seen) if isinstance(item, RawInput) else item
        assert not isinstance(checked, Document)
        yield checked


def _read_task(
    task: Sequence[str | FileSplit], config: AnalyzeConfig
) -> Iterator[RawInput | Diagnostic]:
    read = load("ingest.files.v1")
    files = [item for item in task if isinstance(item, str)]
    yield from read(files, config.ingest)
    for item in task:
        if isinstance(item, FileSplit):
            yield from read_split(item, config.ingest)


def process_task(
    task: Sequence[str | FileSplit], config: AnalyzeConfig, skip: frozenset[str] = frozenset()
) -> tuple[list[Document | Diagnostic], int]:
    """Read and process files and file splits: one task of a distributed run.

    Pure apart from reading the files; returns plain records that pickle, so a
    Dask worker can run it and send the results back, and how many inputs and
    read diagnostics the readers gave (skipped inputs included).
    """
    results: list[Document | Diagnostic] = []
    read = 0
    for item in _dedupe_inputs(_read_task(task, config)):
        read += 1
        if isinstance(item, Diagnostic):
            results.append(item)
        elif item.content_hash not in skip:
            results.append(process(item, config))
    return results, read


def process_paths(
    paths: Sequence[str | FileSplit], config: AnalyzeConfig, skip: frozenset[str] = frozenset()
) -> list[Document | Diagnostic]:
    """The documents and diagnostics of ``process_task``."""
    return process_task(paths, config, skip)[0]


def iter_results(
    specs: Iterable[str], config: AnalyzeConfig, skip: frozenset[str] = frozenset()
) -> Iterator[Document | Diagnostic]:
    """Documents and diagnostics of every input the path specs name, streamed.

    Args:
        specs (Iterable[str]): files, folders and globs.
        config (AnalyzeConfig): options.
        skip (frozenset[str]): content hashes already analysed (e.g. stored by an
            earlier, interrupted run); such inputs are read but not processed again.
    """
    check_order(config.pipeline)
    read = load("ingest.files.v1")
    for item in _dedupe_inputs(read(specs, config.ingest)):
        if isinstance(item, RawInput):
            if item.content_hash not in skip:
                yield process(item, config)
        else:
            yield item


def assemble(
    documents: Iterable[Document], diagnostics: Iterable[Diagnostic], config: AnalyzeConfig
) -> Dossier:
    """The dossier of a set of documents: sorted, counted, with every diagnostic.

    Corpus-level sections are added by ``analyze_corpus``.
    """
    docs = sorted(documents, key=lambda d: (d.source.path, d.source.member or "", d.doc_id))
    diags = tuple(diagnostics)
    failed = sum(1 for d in diags if d.severity is Severity.ERROR)
    stages = config.pipeline + config.corpus_stages
    info = RunInfo(__version__, stages, len(docs) + failed, len(docs), failed)
    return Dossier(run=info, documents=tuple(docs), diagnostics=diags)


def analyze_corpus(dossier: Dossier, config: AnalyzeConfig) -> Dossier:
    """Run the corpus-level stages over a dossier's documents and add their sections."""
    stages = set(config.corpus_stages)
    if not dossier.documents or not stages:
        return dossier
    docs = dossier.documents
    sections = list(dossier.sections_computed)
    if "dedup.minhash.v1" in stages:
        dossier = replace(dossier, pairs=load("dedup.minhash.v1")(docs, config.dedup))
    if "stories.cluster.v1" in stages:
        dossier = replace(dossier, stories=load("stories.cluster.v1")(docs, config.stories))
        sections.append("stories")
    wanted = {"entities": "entities.spacy.v1" in stages, "quotes": "quotes.rules.v1" in stages}
    if any(wanted.values()):
        from storytrace.stages.parse import attribute

        # One spaCy parse serves both stages; only the requested sections are kept.
        result = attribute(docs, config.entities, config.quotes)
        dossier = replace(
            dossier,
            entities=result.entities if wanted["entities"] else (),
            quotes=result.quotes if wanted["quotes"] else (),
            diagnostics=dossier.diagnostics + result.diagnostics,
        )
        sections += [name for name, on in wanted.items() if on]
    dossier = _add_lineage(dossier, stages, config.lineage)
    sections += [SECTION_OF[name] for name in SECTION_OF if name in stages]
    return replace(dossier, sections_computed=tuple(sections))


def _add_lineage(dossier: Dossier, stages: set[str], config: LineageConfig) -> Dossier:
    """Claims, provenance, drift, disagreements and the timeline; inferred dates on documents."""
    wanted = stages & set(SECTION_OF)
    if not wanted:
        return dossier
    view = CorpusView(dossier.documents, dossier.stories, dossier.quotes, dossier.pairs)
    found = trace(view, wanted, config)
    inferred = {i.doc_id: i.value for i in found.inferred if i.value.known}
    docs = tuple(
        replace(d, metadata=replace(d.metadata, published=inferred[d.doc_id]))
        if d.doc_id in inferred
        else d
        for d in dossier.documents
    )
    return replace(
        dossier, documents=docs, claims=found.claims, provenance=found.edges,
        verdicts=found.verdicts, drift=found.drift, disagreements=found.disagreements,
        timeline=found.timeline, date_inferences=found.inferred,
    )  # fmt: skip


def run(
    specs: Iterable[str], config: AnalyzeConfig, progress: ProgressCallback | None = None
) -> Dossier:
    """Analyse every input and assemble the dossier.

    Args:
        specs (Iterable[str]): files, folders (recursive) and globs.
        config (AnalyzeConfig): options.
        progress (ProgressCallback | None): called once per input read.

    Returns:
        Dossier: documents in a deterministic order (by id) and all diagnostics.
    """
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for result in iter_results(specs, config):
        if progress is not None:
            progress(result)
        if isinstance(result, Document):
            documents.append(result)
            diagnostics.extend(result.diagnostics)
        else:
            diagnostics.append(result)
    return analyze_corpus(assemble(documents, diagnostics, config), config)
