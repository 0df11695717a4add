"""Whole corpus stages started early on the worker pool, while the stage before them runs.

Drift needs only the stories and the quotes, and the timeline only the
stories and the claims, so with ``analyze --workers N`` they need not wait for
the stage listed before them: when the claim stage starts, drift is handed to
a worker as one task (it is queued first, so a worker takes it while the
others align the stories' claims), and when the disagreement stage starts,
the timeline's computation is. When the run reaches drift or the timeline, it
takes the result -- if the dossier still holds the very inputs the task was
given (checked by identity: a stage in between that changed them voids it),
otherwise it computes the stage where it is. A stage's result does not depend
on where it was computed (MiniLM vectors do not depend on their batch).

DOCS: docs/scale.md
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from storytrace.models.services import Embed, Services
from storytrace.records import (
    Claim,
    DateInference,
    Disagreement,
    Document,
    Dossier,
    Quote,
    QuoteDrift,
    Story,
    TimelineEntry,
)

if TYPE_CHECKING:
    from storytrace.pipeline.work import CorpusRun
    from storytrace.stages.lineage.config import LineageConfig
    from storytrace.stages.lineage.drift import DriftConfig


@dataclass(frozen=True, slots=True)
class DriftTask:
    """What ``drift.quotes.v3`` reads."""

    docs: tuple[Document, ...]
    stories: tuple[Story, ...]
    quotes: tuple[Quote, ...]
    config: DriftConfig


@dataclass(frozen=True, slots=True)
class TimelineTask:
    """What the timeline stage's computation reads."""

    docs: tuple[Document, ...]
    stories: tuple[Story, ...]
    claims: tuple[Claim, ...]
    config: LineageConfig


#: The timeline stage's three results: inferred dates, entries, date conflicts.
TimelineParts = tuple[
    tuple[DateInference, ...], tuple[TimelineEntry, ...], tuple[Disagreement, ...]
]


def drift(task: DriftTask, embed: Embed | None = None) -> tuple[QuoteDrift, ...]:
    """``find_drift`` over the whole dossier (in a worker: with its own vectors)."""
    from storytrace.stages.lineage.drift import find_drift

    vectors = embed or Services.shared().embed
    return find_drift(task.docs, task.stories, task.quotes, task.config, embed=vectors)


def timeline(task: TimelineTask, embed: Embed | None = None) -> TimelineParts:
    """Undated articles' intervals, the timeline and its date conflicts (a worker's or here)."""
    from storytrace.stages.dates.inferred import infer_dates
    from storytrace.stages.lineage.timeline import build_timeline, date_conflicts

    vectors = embed or Services.shared().embed
    docs, stories, claims, config = task.docs, task.stories, task.claims, task.config
    inferred = infer_dates(docs, stories, claims, config.pubdate, embed=vectors)
    entries = build_timeline(docs, stories, inferred, config.timeline, claims, embed=vectors)
    by_id = {doc.doc_id: doc for doc in docs}
    conflicts = date_conflicts(entries, by_id, config.timeline, embed=vectors)
    return tuple(inferred), tuple(entries), tuple(conflicts)


def drift_task(dossier: Dossier, run: CorpusRun) -> DriftTask:
    """The drift stage's inputs in ``dossier``."""
    d = dossier
    return DriftTask(d.documents, d.stories, d.quotes, run.config.lineage.drift)


def timeline_task(dossier: Dossier, run: CorpusRun) -> TimelineTask:
    """The timeline stage's inputs in ``dossier``."""
    d = dossier
    return TimelineTask(d.documents, d.stories, d.claims, run.config.lineage)


def _comes_after(run: CorpusRun, later: str, now: str) -> bool:
    names = run.config.corpus_stages
    return later in names and now in names and names.index(later) > names.index(now)


def start(run: CorpusRun, later: str, now: str, fn: Callable[[Any], Any], task: object) -> None:
    """Hand stage ``later`` to the pool now, during stage ``now``, if the run lists it after."""
    if run.pool is not None and _comes_after(run, later, now) and later not in run.ahead:
        run.ahead[later] = (task, run.pool.submit(fn, task))


def take(run: CorpusRun, name: str, task: object) -> Any | None:
    """The early result of stage ``name`` if it was started on these very inputs, else None.

    Raises what the stage raised in the worker (``WorkerFailure``), as the
    stage would have raised here.
    """
    started = run.ahead.pop(name, None)
    if started is None or run.pool is None:
        return None
    given, future = started
    if not _same_inputs(given, task):
        return None
    return run.pool.result(future)


def _same_inputs(given: object, now: object) -> bool:
    """The task's fields are the very objects (a frozen dossier's tuples) they were."""
    fields = getattr(type(now), "__slots__", ())
    return type(given) is type(now) and all(getattr(given, f) is getattr(now, f) for f in fields)
