"""The orchestrator: runs the registered stages over inputs and assembles a Dossier.

Stages are pure; this module is where inputs are read and results collected.
Per-input failure is data: an input that cannot be read, or a stage that raises
on one document, becomes a ``Diagnostic`` and the batch goes on.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import TYPE_CHECKING

from storytrace import __version__
from storytrace.errors import REASON_HELP, Reason, StorytraceError
from storytrace.models.services import Services
from storytrace.pipeline import budget, cpu
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.pool import kind_of, where
from storytrace.pipeline.registry import (
    SECTION_ORDER,
    CorpusSpec,
    check_order,
    corpus_stages,
    document_stages,
    source_stage,
)
from storytrace.pipeline.work import CorpusRun, DocumentWork
from storytrace.records import (
    Diagnostic,
    Document,
    Dossier,
    Metadata,
    RawInput,
    RunInfo,
    Severity,
)
from storytrace.stages.ingest.splits import FileSplit, read_split

if TYPE_CHECKING:
    from storytrace.pipeline.pool import WorkerPool
    from storytrace.stages.parse import DocAttribution

#: Called once per input read (a document or a diagnostic), for progress bars.
ProgressCallback = Callable[[Document | Diagnostic], None]


def _document_diagnostics(raw: RawInput, text: str, page_text: str) -> tuple[Diagnostic, ...]:
    if text.strip():
        return ()
    visible = len(page_text.strip())
    if visible:
        kept = f"; the page's {visible:,} characters of visible text stay in page_text, each removed run labelled with why"
    else:
        kept = "; the page has no visible text at all"
    message = REASON_HELP[Reason.NO_BODY] + kept
    return (
        Diagnostic(
            Reason.NO_BODY.value, Severity.WARNING, str(raw.source), message, raw.content_hash
        ),
    )


def build_document(
    raw: RawInput, config: AnalyzeConfig
) -> tuple[Document | Diagnostic, tuple[str, ...]]:
    """One raw input through the run's document stages, and the names of those that applied.

    Only the stages in ``config.pipeline`` run. An input that no stage cleans (an
    HTML page in a run without the HTML cleaner) is a diagnostic, not an empty
    document.

    Args:
        raw (RawInput): a reader's output.
        config (AnalyzeConfig): options.

    Returns:
        tuple: the cleaned article with its metadata and any warnings, or the
        diagnostic; and the stages that ran on it.
    """
    work = DocumentWork(raw)
    for spec in document_stages(config.pipeline):
        work = spec.run(work, config)
    cleaned = work.cleaned
    if cleaned is None:
        message = f"{REASON_HELP[Reason.NO_STAGE]} ({raw.format} input)"
        diag = Diagnostic(Reason.NO_STAGE.value, Severity.ERROR, str(raw.source), message)
        return diag, work.ran
    document = Document(
        doc_id=raw.content_hash,
        source=raw.source,
        format=raw.format,
        page_text=cleaned.page_text,
        text=cleaned.text,
        segments=cleaned.segments,
        metadata=work.metadata or Metadata(),
        truncated=cleaned.truncated,
        truncation_evidence=cleaned.truncation_evidence,
        diagnostics=_document_diagnostics(raw, cleaned.text, cleaned.page_text),
    )
    return document, work.ran


class DocumentTimeout(Exception):
    """Raised inside a document's stages when its time limit is over."""


def _on_alarm(signum: int, frame: object) -> None:
    raise DocumentTimeout


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of this process's CPU time with ``DocumentTimeout``.

    CPU time, not wall time (``ITIMER_PROF``): a document that only waits for a core on a
    loaded machine is never skipped, so a busy machine gives the same dossier as an idle
    one; a pathological input burns CPU and is cut as before. The document stages do no
    I/O (the reader has read the input), so waiting is not work they can hang in.
    Uses SIGPROF, so it works in the main thread of a POSIX process (the CLI, a
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
    previous = signal.signal(signal.SIGPROF, _on_alarm)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def process(
    raw: RawInput, config: AnalyzeConfig, ran: set[str] | None = None
) -> Document | Diagnostic:
    """``build_document`` with failure isolation: a stage error or a time-out becomes a diagnostic.

    ``ran``, when given, collects the names of the stages that applied.
    """
    try:
        with time_limit(config.doc_timeout_s):
            result, names = build_document(raw, config)
    except DocumentTimeout:
        message = f"{REASON_HELP[Reason.TIMEOUT]} ({config.doc_timeout_s:g} s)"
        return Diagnostic(Reason.TIMEOUT.value, Severity.ERROR, str(raw.source), message)
    except Exception as exc:
        detail = f"{kind_of(exc)}: {exc} at {where(exc)}"
        message = f"{REASON_HELP[Reason.STAGE_FAILED]} ({detail})"
        return Diagnostic(Reason.STAGE_FAILED.value, Severity.ERROR, str(raw.source), message)
    if ran is not None:
        ran.update(names)
    return result


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
    read = source_stage(config.pipeline).run
    files = [item for item in task if isinstance(item, str)]
    yield from read(files, config.ingest)
    for item in task:
        if isinstance(item, FileSplit):
            yield from read_split(item, config.ingest)


def process_task(
    task: Sequence[str | FileSplit], config: AnalyzeConfig, skip: frozenset[str] = frozenset()
) -> tuple[list[Document | Diagnostic], int, tuple[str, ...]]:
    """Read and process files and file splits: one task of a distributed run.

    Pure apart from reading the files; returns plain records that pickle, so a
    Dask worker can run it and send the results back, how many inputs and read
    diagnostics the readers gave (skipped inputs included), and the stages that ran.
    """
    results: list[Document | Diagnostic] = []
    read = 0
    ran: set[str] = set()
    for item in _dedupe_inputs(_read_task(task, config)):
        read += 1
        if isinstance(item, Diagnostic):
            results.append(item)
            continue
        ran.add(config.pipeline[0])
        if item.content_hash not in skip:
            results.append(process(item, config, ran))
    return results, read, tuple(sorted(ran))


def process_paths(
    paths: Sequence[str | FileSplit], config: AnalyzeConfig, skip: frozenset[str] = frozenset()
) -> list[Document | Diagnostic]:
    """The documents and diagnostics of ``process_task``."""
    return process_task(paths, config, skip)[0]


def iter_results(
    specs: Iterable[str],
    config: AnalyzeConfig,
    skip: frozenset[str] = frozenset(),
    ran: set[str] | None = None,
) -> Iterator[Document | Diagnostic]:
    """Documents and diagnostics of every input the path specs name, streamed.

    Args:
        specs (Iterable[str]): files, folders and globs.
        config (AnalyzeConfig): options.
        skip (frozenset[str]): content hashes already analysed (e.g. stored by an
            earlier, interrupted run); such inputs are read but not processed again.
        ran (set[str] | None): collects the names of the stages that ran.
    """
    check_order(config.pipeline + config.corpus_stages)
    source = source_stage(config.pipeline)
    for item in _dedupe_inputs(source.run(specs, config.ingest)):
        if isinstance(item, RawInput):
            if ran is not None:
                ran.add(source.name)
            if item.content_hash not in skip:
                yield process(item, config, ran)
        else:
            yield item


def assemble(
    documents: Iterable[Document],
    diagnostics: Iterable[Diagnostic],
    config: AnalyzeConfig,
    ran: Iterable[str] | None = None,
) -> Dossier:
    """The dossier of a set of documents: sorted, counted, with every diagnostic.

    ``ran`` names the per-document stages that ran; ``None`` (documents read
    from a store, built by an earlier run) takes the configured pipeline.
    Corpus sections are added by ``analyze_corpus``.
    """
    docs = sorted(documents, key=lambda d: d.doc_id)  # canonical: by content, not by file name
    diags = tuple(diagnostics)
    failed = sum(1 for d in diags if d.severity is Severity.ERROR)
    done = set(config.pipeline if ran is None else ran)
    stages = tuple(name for name in config.pipeline if name in done)
    info = RunInfo(__version__, stages, len(docs) + failed, len(docs), failed)
    return Dossier(run=info, documents=tuple(docs), diagnostics=diags)


def analyze_corpus(  # noqa: PLR0913 -- pool and parse are the workers', not options
    dossier: Dossier,
    config: AnalyzeConfig,
    services: Services | None = None,
    given: Iterable[str] = (),
    pool: WorkerPool | None = None,
    parsed: Mapping[str, DocAttribution] | None = None,
) -> Dossier:
    """Run the corpus stages of ``config`` over a dossier's documents, in order.

    Each stage runs only when what it requires was produced (``given`` names
    fields the dossier already holds, e.g. ``stories`` for a dossier built by
    hand); a stage that fails becomes a run-level diagnostic, its sections stay
    absent and the stages that need them are skipped with a diagnostic too.
    ``RunInfo.stages`` gains the stages that ran; ``sections_computed`` lists
    what the dossier holds. With a ``pool`` (and the workers' ``parsed``
    documents), the stages that can send their stories to worker processes do,
    with the same result.
    """
    produced = {"documents", *given}
    check_order(config.corpus_stages, produced)
    if not dossier.documents:
        return dossier
    run = CorpusRun(
        config, services or Services.shared(), pool, parsed or {}, articles=len(dossier.documents)
    )
    ran: list[str] = []
    for spec in corpus_stages(config.corpus_stages):
        missing = [need for need in spec.requires if need.split(".")[0] not in produced]
        if missing:
            dossier = _with_problem(dossier, spec, f"not run: needs {', '.join(missing)}")
            continue
        try:
            seconds = config.budgets.seconds(spec.name, run.articles)  # spec.run, under it
            stage = functools.partial(spec.run, dossier, run)
            with cpu.part(spec.name):
                dossier = budget.run_stage(spec.name, spec.sections, seconds, stage, run)
        except StorytraceError:
            raise  # a missing model, a bad option: the run stops with its one-line error
        except Exception as exc:
            detail = f"{kind_of(exc)}: {exc} at {where(exc)}"
            dossier = _with_problem(dossier, spec, detail)
            continue
        produced.update(spec.assigns)
        ran.append(spec.name)
    computed = set(dossier.sections_computed)
    computed.update(s for spec in corpus_stages(ran) for s in spec.sections)
    sections = tuple(name for name in SECTION_ORDER if name in computed)
    info = replace(dossier.run, stages=dossier.run.stages + tuple(ran))
    return replace(dossier, run=info, sections_computed=sections)


def _with_problem(dossier: Dossier, spec: CorpusSpec, detail: str) -> Dossier:
    message = f"{REASON_HELP[Reason.CORPUS_STAGE_FAILED]} ({spec.name}: {detail})"
    problem = Diagnostic(Reason.CORPUS_STAGE_FAILED.value, Severity.ERROR, spec.name, message)
    return replace(dossier, diagnostics=(*dossier.diagnostics, problem))


def run(
    specs: Iterable[str],
    config: AnalyzeConfig,
    progress: ProgressCallback | None = None,
    services: Services | None = None,
) -> Dossier:
    """Analyse every input and assemble the dossier.

    Args:
        specs (Iterable[str]): files, folders (recursive) and globs.
        config (AnalyzeConfig): options.
        progress (ProgressCallback | None): called once per input read.
        services (Services | None): models and caches for the corpus stages
            (default: the process's shared ones).

    Returns:
        Dossier: documents in a deterministic order (by id) and all diagnostics.
    """
    ran: set[str] = set()
    with cpu.part("documents"):
        documents, diagnostics = gather(iter_results(specs, config, ran=ran), progress)
    return analyze_corpus(assemble(documents, diagnostics, config, ran), config, services)


def gather(
    results: Iterable[Document | Diagnostic], progress: ProgressCallback | None = None
) -> tuple[list[Document], list[Diagnostic]]:
    """The documents built and every diagnostic (a document's own ones included), in the
    order they come, each shown to ``progress`` first."""
    documents: list[Document] = []
    diagnostics: list[Diagnostic] = []
    for result in results:
        if progress is not None:
            progress(result)
        if isinstance(result, Document):
            documents.append(result)
            diagnostics.extend(result.diagnostics)
        else:
            diagnostics.append(result)
    return documents, diagnostics
