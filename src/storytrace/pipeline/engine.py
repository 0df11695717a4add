"""Engines: where the per-document stages run -- in this process, or on a Dask cluster.

The stages are pure, so the distributed engine maps the very same
``pipeline.process_task`` over partitions of the input files on Dask workers
(``dask.distributed``) and streams the results back as partitions complete; the
driver alone writes to the store, batch by batch, so an interrupted distributed
ingest resumes exactly like a local one. Cross-document stages (stories,
provenance) run after ingest over candidate blocks, on the driver or as further
Dask tasks.

Cost model: a task is ``files_per_task`` small files (default 32), or one
record-aligned split of ``split_bytes`` (default 64 MB) of a WARC.gz or JSONL
file larger than that (``stages.ingest_splits``), so scheduler overhead (~1 ms
a task) stays small beside ~10-50 ms of work per article. A task returns its
documents as one list, so a worker holds at most one task's documents: a 1 GB
CC-NEWS WARC is ~16 tasks of ~2,000 pages, not one of 30,000. Tasks are handed
out largest first, so the last ones to finish are short.

DOCS: docs/scale.md
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from storytrace.errors import REASON_HELP, ConfigError, Reason
from storytrace.records import Diagnostic, Document, RawInput, Severity, SourceRef
from storytrace.stages.ingest.files import expand_paths
from storytrace.stages.ingest.splits import FileSplit, plan_splits

#: One task: small files read whole, or one split of a large file.
Task = list[str | FileSplit]


@dataclass(frozen=True, slots=True)
class DaskConfig:
    """Options of the Dask engine.

    Attributes:
        scheduler (str | None): address of a running scheduler
            (``tcp://host:8786``); ``None`` starts a local cluster.
        workers (int): worker processes of a local cluster.
        files_per_task (int): input files per task.
        split_bytes (int): WARC.gz and JSONL files larger than this are read
            as record-aligned splits of about this size, one task each; 0 never splits.
    """

    scheduler: str | None = None
    workers: int = 2
    files_per_task: int = 32
    split_bytes: int = 64 * 2**20


def partitions(paths: Sequence[str], size: int) -> list[list[str]]:
    """Consecutive chunks of ``size`` paths (the last may be shorter)."""
    return [list(paths[i : i + size]) for i in range(0, len(paths), size)]


def _task_bytes(task: Task) -> int:
    size = 0
    for item in task:
        if isinstance(item, FileSplit):
            size += item.end - item.start
        else:
            try:
                size += os.path.getsize(item)
            except OSError:
                pass  # the reader reports it
    return size


def plan_tasks(files: Sequence[str], config: DaskConfig) -> tuple[list[Task], set[str]]:
    """Tasks for ``files``, largest first, and the files that were split.

    Small files go ``files_per_task`` to a task in their given order; a large
    WARC.gz or JSONL file becomes one task per split. Handing out the largest
    tasks first keeps the tail of a run short.
    """
    whole: list[str] = []
    tasks: list[Task] = []
    split: set[str] = set()
    for path in files:
        pieces = plan_splits(path, config.split_bytes)
        if pieces is None:
            whole.append(path)
        else:
            split.add(path)
            tasks.extend([piece] for piece in pieces)
    tasks.extend(list(chunk) for chunk in partitions(whole, config.files_per_task))
    sizes = [_task_bytes(task) for task in tasks]
    order = sorted(range(len(tasks)), key=lambda i: -sizes[i])
    return [tasks[i] for i in order], split


def _nothing_read(path: str) -> Diagnostic:
    """The whole-file readers' diagnostic for a split file none of whose splits gave anything."""
    if path.lower().endswith(".warc.gz"):
        reason, detail = Reason.NOTHING_READABLE, " (no HTML response records)"
    else:
        reason, detail = Reason.EMPTY, ""
    return Diagnostic(
        reason.value, Severity.ERROR, str(SourceRef(path)), REASON_HELP[reason] + detail
    )


@contextmanager
def dask_client(config: DaskConfig) -> Iterator[Any]:
    """A connected ``distributed.Client``: to ``config.scheduler``, or to a new local cluster."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - distributed is a pinned dependency
        raise ConfigError(
            "ST150", "The Dask engine needs `distributed`: pip install 'distributed==2026.8.0'."
        ) from exc
    # distributed ships without type hints; its calls are untyped by nature.
    if config.scheduler:
        with Client(config.scheduler) as client:  # type: ignore[no-untyped-call]
            yield client
        return
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=config.workers, threads_per_worker=1, processes=True,
        dashboard_address=None, host="127.0.0.1",
    )  # fmt: skip
    with cluster, Client(cluster) as client:  # type: ignore[no-untyped-call]
        yield client


def iter_results_dask(
    specs: Iterable[str],
    analyze_config: Any,
    dask_config: DaskConfig,
    skip: frozenset[str] = frozenset(),
    ran: set[str] | None = None,
) -> Iterator[Document | Diagnostic]:
    """Documents and diagnostics of every input, computed on a Dask cluster.

    Files are expanded on the driver (path diagnostics come from there), cut
    into tasks (see ``plan_tasks``), and each task runs ``pipeline.process_task`` on a
    worker. Results are yielded as partitions complete; a content seen in two
    partitions is kept once, as the local engine does. ``ran`` collects the
    stages that ran on the workers.
    """
    from distributed import as_completed

    from storytrace.pipeline.run import first_or_duplicate, process_task

    files: list[str] = []
    for item in expand_paths(specs, analyze_config.ingest):
        if isinstance(item, Diagnostic):
            yield item
        else:
            files.append(item)
    tasks, split = plan_tasks(files, dask_config)
    seen: dict[str, str] = {}
    gave: dict[str, int] = dict.fromkeys(split, 0)
    with dask_client(dask_config) as client:
        futures = client.map(
            process_task, tasks, config=analyze_config, skip=skip, pure=False
        )  # fmt: skip
        task_of = {future.key: task for future, task in zip(futures, tasks, strict=True)}
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            results, read, names = future.result()
            if ran is not None:
                ran.update(names)
            for piece in task_of[future.key]:
                if isinstance(piece, FileSplit):
                    gave[piece.path] += read
            for result in results:
                if isinstance(result, Document):
                    checked = first_or_duplicate(result, seen)
                    assert not isinstance(checked, RawInput)
                    yield checked
                else:
                    yield result
            future.release()
    for path in sorted(p for p, count in gave.items() if count == 0):
        yield _nothing_read(path)
