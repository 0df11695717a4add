"""Where a run's CPU seconds go: each part on the driver, each kind of task in the workers.

On a shared machine wall-clock times say little; CPU seconds do. With a ledger
active (``with measuring() as ledger:``), the run adds the driver's CPU time
(``time.process_time``) of each part (reading and building the documents, each
corpus stage, rendering) under the part's name, and every worker task reports
the CPU time it took in its worker, added under the task function's name with
the largest single task kept. Nothing is measured without an active ledger
beyond two clock reads a task.

The ledger also splits the driver's seconds by whether a worker task was in
flight meanwhile (``beside``: reading inputs while the workers build
documents, joining results) or none was (``alone``: the stages the driver
runs by itself, rendering). The driver's seconds alone are the serial part of a
run; the workers' seconds and the driver's beside them are the part ``N``
cores share, so by Amdahl's law ``N`` workers can be at most
``total / (alone + (parallel + beside) / N)`` times as fast
(``CpuLedger.bound``), and no stage ends before its largest task.

DOCS: docs/scale.md
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class CpuLedger:
    """CPU seconds of one run by part.

    Attributes:
        driver (dict[str, float]): the driver's CPU seconds per part, in the order first met.
        workers (dict[str, float]): the workers' CPU seconds per task function.
        largest (dict[str, float]): the largest single task of each task function.
        tasks (dict[str, int]): how many tasks of each function ran.
    """

    driver: dict[str, float] = field(default_factory=dict)
    workers: dict[str, float] = field(default_factory=dict)
    largest: dict[str, float] = field(default_factory=dict)
    tasks: dict[str, int] = field(default_factory=dict)
    beside: float = 0.0
    _in_flight: int = 0
    _since: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add_driver(self, part: str, seconds: float) -> None:
        """Add ``seconds`` of the driver's CPU to ``part``."""
        self.driver[part] = self.driver.get(part, 0.0) + seconds

    def add_task(self, name: str, seconds: float) -> None:
        """Add one worker task of function ``name`` that took ``seconds`` of CPU."""
        self.workers[name] = self.workers.get(name, 0.0) + seconds
        self.largest[name] = max(self.largest.get(name, 0.0), seconds)
        self.tasks[name] = self.tasks.get(name, 0) + 1

    def task_started(self) -> None:
        """A task was handed to the pool (the driver's clock for ``beside`` starts at the first)."""
        with self._lock:
            if self._in_flight == 0:
                self._since = time.process_time()
            self._in_flight += 1

    def task_ended(self) -> None:
        """A task's result (or failure) is back."""
        with self._lock:
            self._in_flight -= 1
            if self._in_flight == 0:
                self.beside += time.process_time() - self._since

    @property
    def serial(self) -> float:
        """The driver's CPU seconds with no worker task in flight."""
        return max(0.0, sum(self.driver.values()) - self.beside)

    @property
    def parallel(self) -> float:
        """The workers' CPU seconds."""
        return sum(self.workers.values())

    def bound(self, workers: int, total: float | None = None) -> float:
        """Amdahl's bound on the speed-up of ``workers`` processes over one.

        Args:
            workers (int): worker processes.
            total (float | None): the CPU seconds of the one-process run; ``None``
                takes this run's own total (which also counts the work the pool
                adds: each worker's model loading, pickling).

        Returns:
            float: ``total / (serial + (parallel + beside) / workers)``.
        """
        spent = self.serial + (self.parallel + self.beside) / max(1, workers)
        whole = sum(self.driver.values()) + self.parallel if total is None else total
        return whole / spent if spent else 0.0

    def as_dict(self) -> dict[str, Any]:
        """The figures, rounded to milliseconds, for a bench's JSON."""
        return {
            "driver_s": {k: round(v, 3) for k, v in self.driver.items()},
            "workers_s": {k: round(v, 3) for k, v in self.workers.items()},
            "largest_task_s": {k: round(v, 3) for k, v in self.largest.items()},
            "tasks": dict(self.tasks),
            "driver_alone_s": round(self.serial, 3),
            "driver_beside_workers_s": round(self.beside, 3),
            "workers_total_s": round(self.parallel, 3),
        }


_ACTIVE: ContextVar[CpuLedger | None] = ContextVar("storytrace_cpu_ledger", default=None)


def active() -> CpuLedger | None:
    """The ledger being filled, if any."""
    return _ACTIVE.get()


@contextmanager
def measuring(ledger: CpuLedger | None = None) -> Iterator[CpuLedger]:
    """Fill ``ledger`` (a new one by default) with the CPU seconds of what runs inside."""
    ledger = ledger if ledger is not None else CpuLedger()
    token = _ACTIVE.set(ledger)
    try:
        yield ledger
    finally:
        _ACTIVE.reset(token)


@contextmanager
def part(name: str) -> Iterator[None]:
    """Add the driver's CPU time inside the block to ``name`` (nothing without a ledger).

    Parts do not nest: an inner part's seconds are taken out of the outer one.
    """
    ledger = _ACTIVE.get()
    if ledger is None:
        yield
        return
    before = sum(ledger.driver.values())
    started = time.process_time()
    try:
        yield
    finally:
        inner = sum(ledger.driver.values()) - before
        ledger.add_driver(name, time.process_time() - started - inner)
