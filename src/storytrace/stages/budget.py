"""The running corpus stage's time budget, checked cooperatively in its loops.

A corpus stage works story by story (claims, drift, disagreements, the timeline, the
verdicts) or group by group (the stories' second pass); a pathological story must not
hold the whole run. The pipeline (``pipeline/budget.py``) runs each stage under a clock
whose deadline the run owns; the stage's loop asks :func:`spent` before each unit (a
story, a group of articles) and skips the unit once the deadline has passed, which the
clock records, and the pipeline reports each skipped unit as cut short. A unit begun
before the deadline is finished: the check is cooperative (no signal, so it works in
any thread), between units.

The deadline is a ``time.monotonic()`` value: the system's monotonic clock, the same in
every process of the machine, so a worker process runs its task under the driver's
deadline (:func:`until`) and sends the units it skipped back, which the driver adds to
its own clock (:func:`record`).

Outside a budgeted stage (a direct call of a stage function) no clock runs and
:func:`spent` is always false.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(slots=True)
class Clock:
    """One stage's deadline and the units (story ids) skipped once it passed.

    Attributes:
        deadline (float): ``time.monotonic()`` value after which units are skipped.
        cut (list[str]): the skipped units, in the order they were met, each once.
    """

    deadline: float
    cut: list[str] = field(default_factory=list)


_CLOCK: ContextVar[Clock | None] = ContextVar("storytrace_stage_clock", default=None)


def spent(unit: str) -> bool:
    """True when the running stage's budget is spent: the caller skips ``unit``.

    Args:
        unit (str): what the caller is about to work on (a story id), recorded as
            cut short when the answer is true.
    """
    clock = _CLOCK.get()
    if clock is None or time.monotonic() < clock.deadline:
        return False
    if unit not in clock.cut:
        clock.cut.append(unit)
    return True


def past(end: float) -> bool:
    """Whether the deadline ``end`` has passed (a worker task that starts late skips its story)."""
    return time.monotonic() >= end


def deadline() -> float:
    """The running stage's deadline (``time.monotonic()``); ``math.inf`` when none runs."""
    clock = _CLOCK.get()
    return math.inf if clock is None else clock.deadline


def record(units: Iterable[str]) -> None:
    """Add units skipped elsewhere (in a worker, under this deadline) to the running clock."""
    clock = _CLOCK.get()
    if clock is None:
        return
    for unit in units:
        if unit not in clock.cut:
            clock.cut.append(unit)


@contextmanager
def until(end: float) -> Iterator[Clock]:
    """A clock for the work inside the ``with`` block, spent at ``time.monotonic() >= end``."""
    clock = Clock(end)
    token = _CLOCK.set(clock)
    try:
        yield clock
    finally:
        _CLOCK.reset(token)


def deadline_in(seconds: float) -> float:
    """The deadline ``seconds`` from now (``seconds <= 0``: none, ``math.inf``)."""
    return time.monotonic() + seconds if seconds > 0 else math.inf


@contextmanager
def running(seconds: float) -> Iterator[Clock]:
    """A clock for the stage run inside the ``with`` block (``seconds <= 0``: no limit)."""
    with until(deadline_in(seconds)) as clock:
        yield clock
