"""Corpus stages computed early on the worker pool, while the stage before them runs.

Stories need only the documents, and merging the entities only the mentions the
workers' parse found, so with a pool both are handed out when the first corpus stage
(dedup) begins, and the driver deduplicates meanwhile: the three used to run one
after another on the driver with both workers idle (~1.1 s at 210 articles).
Drift needs only the stories and the quotes, the disagreements and the
timeline only the stories and the claims, so with ``analyze --workers N`` they
need not wait for the stages listed before them: drift is computed story by
story inside the claim stage's story tasks (``pipeline/by_story.py``: a story's
sentences are embedded once, for both), and as soon as the claims are joined
the timeline (one task, queued first) and the disagreements (a task a story)
are handed to the workers. When the run reaches such a stage, it takes the
result -- if the dossier still holds the very inputs the work was given
(checked by identity: a stage in between that changed them voids it),
otherwise it computes the stage where it is. A stage's result does not depend
on where it was computed (MiniLM vectors do not depend on their batch).

Work handed out early runs under its own stage family's time budget, counted from
the moment it is handed out (``pipeline/budget.py``: the run's deadline of that
family, carried by the task); what the worker skipped once the deadline passed comes
back with the result and goes to the stage's clock when the stage takes it, so each
skipped story is an ``ST217`` warning of that stage.

DOCS: docs/scale.md
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from storytrace.models.services import DIM, Embed, Embeddings, Services
from storytrace.pipeline.budget import Cut, deadline, taken, within
from storytrace.pipeline.work import Pending
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
    from storytrace.pipeline.pool import WorkerPool
    from storytrace.pipeline.work import CorpusRun
    from storytrace.records import Entity, EntityMention
    from storytrace.stages.entities.extract import EntityConfig
    from storytrace.stages.lineage.config import LineageConfig
    from storytrace.stages.lineage.drift import DriftConfig
    from storytrace.stages.stories.config import StoryConfig


@dataclass(frozen=True, slots=True)
class StoriesTask:
    """What ``stories.cluster.v3`` reads."""

    docs: tuple[Document, ...]
    config: StoryConfig


@dataclass(frozen=True, slots=True)
class StoriesJob:
    """The stories' inputs sent to a worker, with the stories' deadline in this run."""

    task: StoriesTask
    deadline: float = math.inf


@dataclass(frozen=True, slots=True)
class MergeTask:
    """What merging the entities reads: the run's documents (checked by identity: the
    mentions are the workers' parse of these) and the options."""

    docs: tuple[Document, ...]
    config: EntityConfig


@dataclass(frozen=True, slots=True)
class MergeJob:
    """The mentions of every document, in document order, to merge in a worker."""

    mentions: tuple[EntityMention, ...]
    config: EntityConfig


@dataclass(frozen=True, slots=True)
class DriftTask:
    """What ``drift.quotes.v5`` reads."""

    docs: tuple[Document, ...]
    stories: tuple[Story, ...]
    quotes: tuple[Quote, ...]
    config: DriftConfig


@dataclass(frozen=True, slots=True)
class DriftJob:
    """Drift's inputs sent to a worker, with drift's deadline in this run."""

    task: DriftTask
    deadline: float = math.inf


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


def stories_ahead(job: StoriesJob) -> Cut[tuple[Story, ...]]:
    """Run in a worker: the stories, under their deadline (a topic group it did not
    split comes back as skipped, its articles each a story of their own)."""
    from storytrace.stages.stories.cluster import cluster_stories

    return within(job.deadline, lambda: cluster_stories(job.task.docs, job.task.config))


def merge_ahead(job: MergeJob) -> Cut[tuple[Entity, ...]]:
    """Run in a worker: the mentions merged into entities (no budget: as on the driver)."""
    from storytrace.stages.entities.merge import merge_mentions

    return Cut(merge_mentions(job.mentions, job.config))


def start_stories(run: CorpusRun, now: str, docs: tuple[Document, ...]) -> None:
    """Hand the stories (one task) to the pool now, during stage ``now``, if the run lists
    them after; their deadline starts now."""
    name = "stories"
    if wanted(run, name, now):
        task = StoriesTask(docs, run.config.stories)
        start(run, name, now, stories_ahead, task, StoriesJob(task, deadline(run, name)))


def start_merge(run: CorpusRun, now: str, docs: tuple[Document, ...], stage: str) -> None:
    """Hand the entities' merge (one task) to the pool now, during stage ``now``, when the
    workers parsed every document and the run lists ``stage`` (which reads it) after."""
    if not wanted(run, stage, now) or not all(d.doc_id in run.parsed for d in docs):
        return
    mentions = tuple(m for d in docs for m in run.parsed[d.doc_id].mentions)
    task = MergeTask(docs, run.config.entities)
    start(run, stage, now, merge_ahead, task, MergeJob(mentions, task.config))


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


@dataclass(frozen=True, slots=True)
class Packed:
    """Vectors by text, packed as one matrix to send to a worker (a dict of rows pickles slowly)."""

    texts: tuple[str, ...] = ()
    matrix: NDArray[np.float32] = field(default_factory=lambda: np.zeros((0, DIM), np.float32))

    @staticmethod
    def of(vectors: Mapping[str, NDArray[np.float32]]) -> Packed:
        """``vectors`` (text -> vector) packed."""
        return Packed(tuple(vectors), np.stack(list(vectors.values()))) if vectors else Packed()

    def memoise(self) -> Embeddings:
        """The worker's shared vectors, with these memoised (as if computed there)."""
        embed = Services.shared().embed
        embed.remember(dict(zip(self.texts, self.matrix, strict=True)))
        return embed


@dataclass(frozen=True, slots=True)
class Seeded:
    """A timeline task with the vectors the driver holds already (the claim tasks'), which
    the worker memoises first, as one process would hold them from the claim stage; and
    the timeline's deadline in this run."""

    task: TimelineTask
    known: Packed = field(default_factory=Packed)
    deadline: float = math.inf


def seeded_timeline(seeded: Seeded) -> Cut[TimelineParts]:
    """Run in a worker: memoise the vectors given, then the timeline stage's computation,
    under the timeline's deadline (the stories it skipped come back with it)."""
    return within(seeded.deadline, lambda: timeline(seeded.task, seeded.known.memoise()))


def drift_ahead(job: DriftJob) -> Cut[tuple[QuoteDrift, ...]]:
    """Run in a worker: ``find_drift`` over every story (``across_stories``), under drift's
    deadline (the stories it skipped come back with it)."""
    return within(job.deadline, lambda: drift(job.task))


def drift_task(dossier: Dossier, run: CorpusRun) -> DriftTask:
    """The drift stage's inputs in ``dossier``."""
    d = dossier
    return DriftTask(d.documents, d.stories, d.quotes, run.config.lineage.drift)


def timeline_task(dossier: Dossier, run: CorpusRun) -> TimelineTask:
    """The timeline stage's inputs in ``dossier``."""
    d = dossier
    return TimelineTask(d.documents, d.stories, d.claims, run.config.lineage)


@dataclass(frozen=True, slots=True)
class OnPool:
    """One task on the pool, run under a deadline: taking its result adds the stories it
    skipped to the running stage's clock."""

    pool: WorkerPool
    future: Future[Any]

    def result(self) -> Any:
        return taken(self.pool.result(self.future))


@dataclass(frozen=True, slots=True)
class Joined:
    """Several tasks on the pool, their results joined (given in the tasks' order)."""

    pool: WorkerPool
    futures: Sequence[Future[Any]]
    join: Callable[[list[Any]], Any]

    def result(self) -> Any:
        return self.join([self.pool.result(f) for f in self.futures])


def family(stage: str) -> str:
    """A stage's family, the first part of its name (``drift`` for ``drift.quotes.v5``):
    stages are named here by family, so a new version of one changes only the registry
    and the default config."""
    return stage.split(".")[0]


def _position(run: CorpusRun, stage: str) -> int | None:
    """Where the run lists a stage of ``stage``'s family, if it does."""
    wanted_family = family(stage)
    names = run.config.corpus_stages
    return next((i for i, name in enumerate(names) if family(name) == wanted_family), None)


def comes_after(run: CorpusRun, later: str, now: str) -> bool:
    """Whether the run lists a stage of ``later``'s family after one of ``now``'s."""
    after, before = _position(run, later), _position(run, now)
    return after is not None and before is not None and after > before


def wanted(run: CorpusRun, later: str, now: str) -> bool:
    """Whether stage ``later`` may be started now, during ``now``: a pool, listed after, not started."""
    return run.pool is not None and comes_after(run, later, now) and family(later) not in run.ahead


def put(run: CorpusRun, later: str, given: object, pending: Pending) -> None:
    """Record stage ``later`` (by family) as started on the inputs ``given``."""
    run.ahead[family(later)] = (given, pending)


def start(  # noqa: PLR0913 -- what runs (fn, job) and what its result is checked against
    run: CorpusRun, later: str, now: str, fn: Callable[[Any], Cut[Any]], given: object, job: object
) -> None:
    """Hand stage ``later`` to the pool now, during stage ``now``, if the run lists it after.

    A worker runs ``fn(job)`` (a :class:`Cut`: its value and the stories it skipped);
    ``given`` are the stage's inputs, which :func:`take` checks its inputs against.
    """
    if run.pool is not None and wanted(run, later, now):
        put(run, later, given, OnPool(run.pool, run.pool.submit(fn, job)))


def start_drift(run: CorpusRun, now: str, task: DriftTask) -> None:
    """Hand drift (one task: ``across_stories``) to the pool now, during stage ``now``, if
    the run lists it after; drift's deadline starts now."""
    name = "drift"
    if wanted(run, name, now):
        start(run, name, now, drift_ahead, task, DriftJob(task, deadline(run, name)))


def start_timeline(
    run: CorpusRun, now: str, task: TimelineTask, known: Packed | None = None
) -> None:
    """Hand the timeline (one task) to the pool now, during stage ``now``, if the run lists
    it after, with the vectors ``known`` to memoise first; its deadline starts now."""
    name = "timeline"
    if wanted(run, name, now):
        seeded = Seeded(task, known or Packed(), deadline(run, name))
        start(run, name, now, seeded_timeline, task, seeded)


def take(run: CorpusRun, name: str, task: object) -> Any | None:
    """The early result of stage ``name`` if it was started on these very inputs, else None.

    Raises what the stage raised in the worker (``WorkerFailure``), as the
    stage would have raised here.
    """
    started = run.ahead.pop(family(name), None)
    if started is None:
        return None
    given, pending = started
    if not _same_inputs(given, task):
        return None
    return pending.result()


def _same_inputs(given: object, now: object) -> bool:
    """The task's fields are the very objects (a frozen dossier's tuples) they were."""
    fields = getattr(type(now), "__slots__", ())
    return type(given) is type(now) and all(getattr(given, f) is getattr(now, f) for f in fields)
