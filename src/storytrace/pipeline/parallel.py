"""One analysis on a pool of worker processes: the same dossier as ``run.run``, sooner.

The driver reads the inputs (the source stage) and drops repeated contents, as
in one process; each worker runs a chunk of inputs through the document stages
and, when the run has the entity or quote stage, parses each new document with
spaCy right there (``stages.parse.parse_doc``), so the dominant cost of a run is
spread over the workers and the corpus stages find the parse done. Results come
back in input order (``WorkerPool.stream``), so the diagnostics, the documents
and every section are what one process gives. The corpus stages then run on the
driver with the pool at hand: the lineage stages that work story by story
(claims, disagreements) send their stories to the workers (``pipeline.stages``).

DOCS: docs/scale.md
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass

from storytrace.models.services import Services
from storytrace.pipeline import cpu
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.pool import WorkerPool
from storytrace.pipeline.registry import check_order, source_stage
from storytrace.pipeline.run import (
    ProgressCallback,
    _dedupe_inputs,
    analyze_corpus,
    assemble,
    gather,
    process,
)
from storytrace.records import Diagnostic, Document, Dossier, RawInput
from storytrace.stages.parse import DocAttribution, parsed_sections

#: Inputs sent to a worker at a time: few enough that progress moves steadily.
CHUNK = 4


@dataclass(frozen=True, slots=True)
class Chunk:
    """Inputs for one worker task, and whether to parse the documents built."""

    raws: tuple[RawInput, ...]
    config: AnalyzeConfig
    parse: bool


@dataclass(frozen=True, slots=True)
class Built:
    """One input's result in a worker: the document or why not, the stages, its parse."""

    result: Document | Diagnostic
    ran: tuple[str, ...]
    parsed: DocAttribution | None


def build_chunk(chunk: Chunk) -> list[Built]:
    """Run in a worker: each input through the document stages, then the parse of the
    documents built, in one ``nlp.pipe`` (a text's parse does not depend on its batch).

    Args:
        chunk (Chunk): the inputs and options.

    Returns:
        list[Built]: one per input, in order.
    """
    results: list[tuple[Document | Diagnostic, tuple[str, ...]]] = []
    for raw in chunk.raws:
        ran: set[str] = set()
        results.append((process(raw, chunk.config, ran), tuple(sorted(ran))))
    docs = [r for r, _ in results if isinstance(r, Document)]
    parsed = _parse(docs, chunk.config) if chunk.parse else {}
    return [Built(r, ran, parsed.get(id(r))) for r, ran in results]


def _parse(docs: list[Document], config: AnalyzeConfig) -> dict[int, DocAttribution]:
    """Each document's parse, by the document object's identity."""
    from storytrace.stages.entities.extract import entity_pipeline
    from storytrace.stages.parse import MAX_PARSE_CHARS, attribute_doc

    if not docs:
        return {}
    texts = [d.text[:MAX_PARSE_CHARS] for d in docs]
    parses = entity_pipeline().pipe(texts, batch_size=config.entities.batch_size)
    return {
        id(doc): attribute_doc(doc, sdoc, config.quotes)
        for doc, sdoc in zip(docs, parses, strict=True)
    }


def _chunks(
    items: Iterable[RawInput | Diagnostic], config: AnalyzeConfig, parse: bool, tail: int = 0
) -> Iterator[Chunk | Diagnostic]:
    """Consecutive inputs grouped ``CHUNK`` at a time, the last ``tail`` one at a time; a
    read diagnostic keeps its place.

    The last inputs go one a task so that the workers finish the documents together:
    a chunk of four long articles handed out last would keep one worker parsing while
    the others wait for the corpus stages. Grouping looks ``tail`` inputs ahead.
    """
    ahead: deque[RawInput | Diagnostic] = deque()
    raws = 0
    for item in items:
        ahead.append(item)
        raws += isinstance(item, RawInput)
        while raws >= CHUNK + tail:
            taken = yield from _take(ahead, CHUNK, config, parse)
            raws -= taken
    while ahead:
        yield from _take(ahead, 1, config, parse)


def _take(
    ahead: deque[RawInput | Diagnostic], size: int, config: AnalyzeConfig, parse: bool
) -> Generator[Chunk | Diagnostic, None, int]:
    """From the front of ``ahead``: the diagnostics before the first input, then a chunk of
    up to ``size`` inputs (ended early by a diagnostic). Returns how many inputs it took."""
    raws: list[RawInput] = []
    while ahead and len(raws) < size:
        first = ahead[0]
        if isinstance(first, Diagnostic) and raws:
            break
        ahead.popleft()
        if isinstance(first, Diagnostic):
            yield first
        else:
            raws.append(first)
    if raws:
        yield Chunk(tuple(raws), config, parse)
    return len(raws)


def _run_chunk(task: Chunk | Diagnostic) -> list[Built] | Diagnostic:
    """A worker task: build a chunk; a read diagnostic passes through (it keeps its place)."""
    return build_chunk(task) if isinstance(task, Chunk) else task


def iter_results_pool(
    specs: Iterable[str],
    config: AnalyzeConfig,
    pool: WorkerPool,
    ran: set[str],
    parsed: dict[str, DocAttribution],
) -> Iterator[Document | Diagnostic]:
    """Documents and diagnostics of every input, built by the pool, in input order.

    ``ran`` collects the stages that ran; ``parsed`` the workers' parse of each
    document (when the run has the entity or quote stage).
    """
    check_order(config.pipeline + config.corpus_stages)
    source = source_stage(config.pipeline)
    parse = bool(parsed_sections(config.corpus_stages))  # a worker parses what it builds
    inputs = _dedupe_inputs(source.run(specs, config.ingest))
    tasks = _chunks(inputs, config, parse, tail=CHUNK * pool.workers)
    for done in pool.stream(_run_chunk, tasks):
        if isinstance(done, Diagnostic):
            yield done
            continue
        ran.add(source.name)
        for built in done:
            ran.update(built.ran)
            if built.parsed is not None:
                parsed[built.parsed.doc_id] = built.parsed
            yield built.result


def _driver_imports(config: AnalyzeConfig) -> None:
    """Import what the driver's own corpus stages load on first use (dedup's
    datasketch, ~0.4 s), while the workers are busy building documents."""
    if any(name.split(".")[0] == "dedup" for name in config.corpus_stages):
        importlib.import_module("datasketch")


def run_parallel(  # noqa: PLR0913 -- meanwhile is the caller's, not an option
    specs: Iterable[str],
    config: AnalyzeConfig,
    workers: int,
    progress: ProgressCallback | None = None,
    services: Services | None = None,
    meanwhile: Sequence[Callable[[], object]] = (),
) -> Dossier:
    """``run.run`` on ``workers`` processes: the same dossier, byte for byte.

    Args:
        specs (Iterable[str]): files, folders (recursive) and globs.
        config (AnalyzeConfig): options.
        workers (int): worker processes (2 or more; 1 is ``run.run``).
        progress (ProgressCallback | None): called once per input, in input order.
        services (Services | None): the driver's models and caches for the corpus stages.
        meanwhile (Sequence[Callable]): work for the driver while the workers
            build the documents (run once the first document is back), such as
            getting ready to render: the driver is otherwise idle then.

    Returns:
        Dossier: documents in a deterministic order (by id) and all diagnostics.
    """
    ran: set[str] = set()
    parsed: dict[str, DocAttribution] = {}
    jobs = [lambda: _driver_imports(config), *meanwhile]
    with cpu.part("pool start and stop"):
        pool = WorkerPool(workers)
    with pool:
        with cpu.part("documents"):
            results = iter_results_pool(specs, config, pool, ran, parsed)
            documents, diagnostics = gather(_after_first(results, jobs), progress)
            dossier = assemble(documents, diagnostics, config, ran)
        dossier = analyze_corpus(dossier, config, services, pool=pool, parsed=parsed)
        with cpu.part("pool start and stop"):
            pool.close()
        return dossier


def _after_first(
    results: Iterable[Document | Diagnostic], jobs: list[Callable[[], object]]
) -> Iterator[Document | Diagnostic]:
    """``results`` as they come; the driver's ``jobs`` run once the first is back (the
    workers are busy then, and the driver otherwise idle)."""
    for result in results:
        while jobs:
            with cpu.part("driver's warm-up"):
                jobs.pop(0)()
        yield result
