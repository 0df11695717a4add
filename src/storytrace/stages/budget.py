"""The running corpus stage's time budget, checked cooperatively in its loops.

A corpus stage works story by story (claims, drift, disagreements, the timeline); a
pathological story must not hold the whole run. The pipeline
(``pipeline/budget.py``) starts a clock for each stage; the stage's loop asks
:func:`spent` before each story and skips the story once the budget is spent, which
the clock records, and the pipeline reports each skipped story as cut short. A story
begun before the budget ran out is finished: the check is cooperative (no signal,
so it works in any thread), between stories.

Outside a budgeted stage (a worker process, a direct call of a stage function) no
clock runs and :func:`spent` is always false.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
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


@contextmanager
def running(seconds: float) -> Iterator[Clock]:
    """A clock for the stage run inside the ``with`` block (``seconds <= 0``: no limit)."""
    clock = Clock(time.monotonic() + seconds if seconds > 0 else math.inf)
    token = _CLOCK.set(clock)
    try:
        yield clock
    finally:
        _CLOCK.reset(token)
