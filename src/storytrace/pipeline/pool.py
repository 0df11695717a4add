"""Worker processes for ``analyze --workers N``: a process pool whose results come back in order.

The pool is a ``concurrent.futures.ProcessPoolExecutor``; its workers start
without models and load spaCy or MiniLM the first time a task needs them, once
per worker (the process's ``load_nlp`` and ``Services.shared()`` caches), so the
driver can show progress at once. Results are handed back in the order the
tasks were given, whatever order the workers finish them in: the dossier of a
run does not depend on how many workers computed it, or which was faster.

On Linux the workers are forked from the driver (they inherit the imported
modules: no start-up import). The CLI's driver has loaded no model by then; a
process that has (a test session, a notebook) shares its loaded models with
the workers, copy-on-write. Workers ignore SIGINT: Ctrl-C reaches the driver,
which drops the queued tasks and ends the running ones.

DOCS: docs/scale.md
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Generic, TypeVar

from storytrace.errors import StorytraceError
from storytrace.pipeline import cpu

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """Every core this process may use (``os.sched_getaffinity`` where known)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def where(exc: BaseException) -> str:
    """``module.py:line`` of the deepest storytrace frame of a traceback."""
    if isinstance(exc, WorkerFailure):
        return exc.where
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/storytrace/" in f.filename] or frames
    return f"{ours[-1].filename.rsplit('/', 1)[-1]}:{ours[-1].lineno}" if ours else "?"


class WorkerFailure(Exception):
    """An exception a task raised in a worker, as the driver sees it: its type name,
    message and where it was raised, so a stage failure reads the same as in one process."""

    def __init__(self, kind: str, message: str, place: str) -> None:
        super().__init__(message)
        self.kind, self.where = kind, place


def kind_of(exc: BaseException) -> str:
    """The exception's type name; for a ``WorkerFailure``, the worker's exception's."""
    return exc.kind if isinstance(exc, WorkerFailure) else type(exc).__name__


@dataclass(frozen=True, slots=True)
class _Failed:
    kind: str
    message: str
    where: str
    code: str | None = None


@dataclass(frozen=True, slots=True)
class _Done(Generic[R]):
    """What a task returned, with the CPU seconds it took in its worker."""

    value: R
    name: str
    cpu_s: float


@dataclass(frozen=True, slots=True)
class _Call(Generic[T, R]):
    """``fn(task)`` in a worker, its exception sent back as data (a traceback does not pickle)."""

    fn: Callable[[T], R]

    def __call__(self, task: T) -> _Done[R] | _Failed:
        started = time.process_time()
        try:
            value = self.fn(task)
            return _Done(value, self.fn.__name__, time.process_time() - started)
        except StorytraceError as exc:  # a missing model: the run stops with its one-line error
            return _Failed(type(exc).__name__, exc.message, where(exc), exc.code)
        except Exception as exc:
            exc.__traceback__ = exc.__traceback__ and exc.__traceback__.tb_next  # not this frame
            return _Failed(type(exc).__name__, str(exc), where(exc))


def _result(future: Future[_Done[R] | _Failed]) -> R:
    """A task's result, or its exception raised again here (a ``WorkerFailure``).

    A worker that died (killed, out of memory) stops the run with ``ST151``. The
    task's CPU seconds go to the active ledger (``pipeline.cpu``), if any.
    """
    try:
        done = future.result()
    except BrokenProcessPool:
        raise StorytraceError(
            "ST151",
            "A worker process ended unexpectedly (killed, or out of memory). Run again with "
            "fewer workers (--workers 1 runs everything in one process).",
        ) from None
    if isinstance(done, _Failed) and done.code is not None:
        raise StorytraceError(done.code, done.message)
    if isinstance(done, _Failed):
        raise WorkerFailure(done.kind, done.message, done.where)
    ledger = cpu.active()
    if ledger is not None:
        ledger.add_task(done.name, done.cpu_s)
    return done.value


def _init_worker() -> None:
    """Run in each worker as it starts: leave Ctrl-C to the driver, and the driver's display.

    A forked worker inherits the driver's ``sys.stderr``, which is the progress
    bar's redirect while the bar is up; what a worker prints (a library's
    warning) goes to the terminal itself instead, never through the bar.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__


class WorkerPool:
    """``workers`` processes that run picklable functions; use as a context manager.

    Args:
        workers (int): processes to start (at least 1).
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        ledger = cpu.active()
        if ledger is not None:
            ledger.workers_started = self.workers
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self._executor = ProcessPoolExecutor(
            self.workers, mp_context=multiprocessing.get_context(method), initializer=_init_worker
        )

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers: after the queued tasks, or (``cancel``: Ctrl-C, an error) at once.

        Cancelling drops the queued tasks and ends the running ones, which
        would otherwise finish a whole story first.
        """
        if not cancel:
            self._executor.shutdown(wait=True)
            return
        # The executor has no public way to end running tasks (3.14 adds one).
        processes = list(getattr(self._executor, "_processes", {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            process.terminate()
        for process in processes:
            process.join()

    def submit(self, fn: Callable[[T], R], task: T) -> Future[_Done[R] | _Failed]:
        """Start ``fn(task)`` in a worker; :meth:`result` gives what it returned or raised."""
        ledger = cpu.active()
        if ledger is not None:
            ledger.task_started()
        future = self._executor.submit(_Call(fn), task)
        if ledger is not None:
            future.add_done_callback(lambda _: ledger.task_ended())
        return future

    @staticmethod
    def result(future: Future[_Done[R] | _Failed]) -> R:
        """What a submitted task returned; what it raised, as a ``WorkerFailure``."""
        return _result(future)

    def stream(self, fn: Callable[[T], R], tasks: Iterable[T], window: int = 0) -> Iterator[R]:
        """``fn`` of each task, in the tasks' order, with at most ``window`` tasks queued.

        Tasks are read from ``tasks`` only as the window allows, so a long input
        streams through in bounded memory. ``window`` 0 means four per worker.
        """
        limit = window or 4 * self.workers
        pending: deque[Future[_Done[R] | _Failed]] = deque()
        for task in tasks:
            pending.append(self.submit(fn, task))
            while len(pending) >= limit or (pending and pending[0].done()):
                yield _result(pending.popleft())
        while pending:
            yield _result(pending.popleft())

    def submit_sized(
        self, fn: Callable[[T], R], tasks: Sequence[T], sizes: Sequence[int]
    ) -> list[Future[_Done[R] | _Failed]]:
        """Start ``fn`` of every task, the largest first; the futures in the tasks' order.

        Handing out the largest tasks first keeps the end of a round short (a
        big story left for last would keep one worker busy while the others idle).
        """
        order = sorted(range(len(tasks)), key=lambda i: (-sizes[i], i))
        futures = {i: self.submit(fn, tasks[i]) for i in order}
        return [futures[i] for i in range(len(tasks))]

    def map_sized(self, fn: Callable[[T], R], tasks: Sequence[T], sizes: Sequence[int]) -> list[R]:
        """``fn`` of every task, returned in the tasks' order, the largest started first."""
        return [_result(f) for f in self.submit_sized(fn, tasks, sizes)]
