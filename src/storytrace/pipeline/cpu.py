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

The bound assumes the workers are never idle while work remains; where they are
is read off the wall clock (``CpuLedger.occupancy``): the seconds of each driver
part spent with no task in flight (the driver alone), with fewer tasks in flight
than workers (a worker idle: a stage's last task, a barrier between stages), and
with every worker fed. On a shared machine these are stretched by other jobs,
but which parts leave a worker idle, and roughly how long, still shows.

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
    workers_started: int = 0
    occupancy: dict[str, dict[str, float]] = field(default_factory=dict)
    _in_flight: int = 0
    _since: float = 0.0
    _parts: list[str] = field(default_factory=list)
    _wall_since: float = field(default_factory=time.perf_counter)
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
            self._tick()
            if self._in_flight == 0:
                self._since = time.process_time()
            self._in_flight += 1

    def task_ended(self) -> None:
        """A task's result (or failure) is back."""
        with self._lock:
            self._tick()
            self._in_flight -= 1
            if self._in_flight == 0:
                self.beside += time.process_time() - self._since

    def enter_part(self, name: str) -> None:
        """The driver starts ``name`` (wall seconds from now go to it)."""
        with self._lock:
            self._tick()
            self._parts.append(name)

    def leave_part(self) -> None:
        """The driver ends its innermost part."""
        with self._lock:
            self._tick()
            self._parts.pop()

    def _tick(self) -> None:
        """Add the wall seconds since the last change to the current part and level."""
        now = time.perf_counter()
        if self._in_flight == 0:
            level = "no task"
        elif self._in_flight < self.workers_started:
            level = "a worker idle"
        else:
            level = "every worker busy"
        where = self._parts[-1] if self._parts else "between parts"
        row = self.occupancy.setdefault(where, {})
        row[level] = row.get(level, 0.0) + now - self._wall_since
        self._wall_since = now

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
            "wall_s": {
                part: {level: round(v, 3) for level, v in levels.items()}
                for part, levels in self.occupancy.items()
            },
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
    ledger.enter_part(name)
    try:
        yield
    finally:
        ledger.leave_part()
        inner = sum(ledger.driver.values()) - before
        ledger.add_driver(name, time.process_time() - started - inner)
