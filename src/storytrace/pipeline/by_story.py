"""Lineage stages story by story on the worker pool: the same sections, computed in parallel.

Claims, drift and disagreements never cross a story, so with ``analyze
--workers N`` each story (with two articles or more) is one task: the driver
sends the story's articles and what the stage reads of them, a worker runs the
very stage function on that one story, and the driver joins the parts in story
order -- what the stage gives over all stories at once. Claim ids (``c1``,
``c2`` ...) are numbered over the joined list, as the stage numbers them.

A story's claim task computes the story's drift too (``drift.quotes.v5`` over
that story alone): both read the story's sentences, which the worker then
embeds once (its memo), as one process does for the two stages in a row.
Drift over one story is drift's part of that story in a whole run: it pairs
only articles of one story (unless ``across_stories``: then it stays one
task), each article under the first story that lists it, and sorts its
findings by story first; the units it numbers, and the positions it ranks
articles by, keep their order when restricted to one story.

What a story's task must carry, beside its own articles: claims name the
first article of a copy group as its own-reporting origin, which may belong to
another story, so that article and the pairs of the story's copy groups go
too. The MiniLM vectors a worker computes come back with its result and are
memoised on the driver (a text's vector does not depend on its batch), so a
stage that runs on the driver after all finds them.

Time budgets (``pipeline/budget.py``): every story task carries its stage family's
deadline, the run's. A task that starts after it skips its story and says so; the
driver adds the stories skipped to the stage's clock when it joins the results, in
story order, so each becomes one ``ST217`` warning of the stage. A story's drift rides
along its claim task only when that task ran; the drift of a story whose claim task
was skipped is computed when the drift stage takes the result, under drift's own
deadline (:class:`DriftRest`).

DOCS: docs/scale.md
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from storytrace.models.services import Embed, Embeddings, Services
from storytrace.pipeline.ahead import DriftJob, DriftTask, Joined, Packed
from storytrace.pipeline.budget import Cut, taken
from storytrace.records import (
    Claim,
    Disagreement,
    DocPair,
    Document,
    Dossier,
    Quote,
    QuoteDrift,
    Story,
)
from storytrace.stages import budget

if TYPE_CHECKING:
    from storytrace.pipeline.pool import WorkerPool
    from storytrace.stages.lineage.disagreements import DisagreementConfig
    from storytrace.stages.lineage.drift import DriftConfig
    from storytrace.stages.lineage.propositions import PropositionConfig

Vectors = dict[str, NDArray[np.float32]]


@dataclass(slots=True)
class Recording:
    """An ``Embed`` that keeps every vector it hands out, to send them back to the driver."""

    embed: Embed
    vectors: Vectors = field(default_factory=dict)

    def __call__(self, texts: Sequence[str]) -> NDArray[np.float32]:
        out = self.embed(texts)
        self.vectors.update(zip(texts, out, strict=True))
        return out


@dataclass(frozen=True, slots=True)
class ClaimsTask:
    """One story's claim alignment: its articles (and copy-group roots), quotes, pairs;
    when the run has drift, that story's drift inputs; the claim stage's deadline."""

    story: Story
    docs: tuple[Document, ...]
    quotes: tuple[Quote, ...]
    pairs: tuple[DocPair, ...]
    config: PropositionConfig
    outlets: frozenset[str]
    drift: DriftTask | None = None
    deadline: float = math.inf


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What a story's claim task gives back: its claims, the vectors computed, its drift
    (``None``: not computed), and its story's id when the task started too late (``cut``)."""

    claims: tuple[Claim, ...]
    vectors: Vectors
    drift: tuple[QuoteDrift, ...] | None = ()
    cut: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConflictTask:
    """One story's disagreements: its claims and its articles; the vectors its claim
    task computed, which the worker memoises first (as one process holds them); the
    disagreement stage's deadline."""

    story: Story
    claims: tuple[Claim, ...]
    docs: tuple[Document, ...]
    config: DisagreementConfig
    known: Packed = field(default_factory=Packed)
    deadline: float = math.inf


@dataclass(frozen=True, slots=True)
class ConflictInputs:
    """What the disagreement stage reads of a dossier (compared by identity, ``ahead.take``)."""

    docs: tuple[Document, ...]
    stories: tuple[Story, ...]
    claims: tuple[Claim, ...]
    config: DisagreementConfig


def claims_of_story(task: ClaimsTask) -> StoryResult:
    """Run in a worker: ``claims.align.v7`` over one story, the vectors it computed, its drift;
    nothing but the story's id (cut) when it starts after the claim stage's deadline."""
    from storytrace.pipeline.ahead import drift
    from storytrace.stages.lineage.propositions import align_propositions

    if budget.past(task.deadline):
        return StoryResult((), {}, None, (task.story.story_id,))
    embed = Recording(Services.shared().embed)
    claims = align_propositions(
        task.docs, (task.story,), task.quotes, task.pairs, task.config,
        embed=embed, outlets=task.outlets,
    )  # fmt: skip
    found = drift(task.drift, embed) if task.drift is not None else ()
    return StoryResult(claims, embed.vectors, found)


def drift_of_story(job: DriftJob) -> Cut[tuple[QuoteDrift, ...]]:
    """Run in a worker: ``drift.quotes.v5`` over one story (skipped after the deadline)."""
    from storytrace.pipeline.ahead import drift

    if budget.past(job.deadline):
        return Cut((), tuple(s.story_id for s in job.task.stories))
    return Cut(drift(job.task))


#: A story's polarity conflicts, number conflicts, the vectors computed, and the
#: story's id when its task started after the deadline (its conflicts not computed).
StoryConflicts = tuple[tuple[Disagreement, ...], tuple[Disagreement, ...], Vectors, tuple[str, ...]]


def conflicts_of_story(task: ConflictTask) -> StoryConflicts:
    """Run in a worker: one story's polarity conflicts, number conflicts and vectors."""
    from storytrace.stages.lineage.disagreements import (
        find_disagreements,
        sentence_number_conflicts,
    )

    if budget.past(task.deadline):
        return (), (), {}, (task.story.story_id,)
    embed = Recording(task.known.memoise())
    polar = find_disagreements(task.claims, task.config, embed=embed) if task.claims else ()
    numbers = sentence_number_conflicts(task.docs, (task.story,), task.config, embed=embed)
    return polar, numbers, embed.vectors, ()


def _remember(embed: Embed, vectors: Vectors) -> None:
    if isinstance(embed, Embeddings):
        embed.remember(vectors)


def drift_parts(dossier: Dossier, config: DriftConfig) -> dict[str, DriftTask]:
    """Each story's drift inputs, by story id: the stories with two articles or more.

    An article listed by two stories belongs to the first (as ``find_drift``
    files it); documents and quotes keep the dossier's order.
    """
    first: dict[str, str] = {}
    for story in dossier.stories:
        for doc_id in story.doc_ids:
            first.setdefault(doc_id, story.story_id)
    docs: dict[str, list[Document]] = defaultdict(list)
    for doc in dossier.documents:
        if doc.doc_id in first:
            docs[first[doc.doc_id]].append(doc)
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in dossier.quotes:
        if quote.doc_id in first:
            quotes[first[quote.doc_id]].append(quote)
    parts = {}
    for story in dossier.stories:
        own = tuple(d for d in dict.fromkeys(story.doc_ids) if first[d] == story.story_id)
        if len(own) >= 2:
            alone = replace(story, doc_ids=own)
            parts[story.story_id] = DriftTask(
                tuple(docs[story.story_id]), (alone,), tuple(quotes[story.story_id]), config
            )
    return parts


def join_drift(found: Sequence[tuple[QuoteDrift, ...]]) -> tuple[QuoteDrift, ...]:
    """The stories' drift, given in story order, as ``find_drift`` gives it over them all."""
    return tuple(d for part in found for d in part)


def drift_in_pool(
    dossier: Dossier, config: DriftConfig, pool: WorkerPool, end: float | None = None
) -> Joined:
    """``find_drift`` over the dossier, one story a task on ``pool`` (not ``across_stories``).

    ``end`` is drift's deadline (``None``: the running stage's); the stories skipped
    go to the running stage's clock when the result is taken.
    """
    tasks = list(drift_parts(dossier, config).values())
    return _drift_tasks(tasks, pool, budget.deadline() if end is None else end)


def _drift_tasks(tasks: list[DriftTask], pool: WorkerPool, end: float) -> Joined:
    jobs = [DriftJob(t, end) for t in tasks]
    futures = pool.submit_sized(drift_of_story, jobs, [len(t.quotes) for t in tasks])
    return Joined(pool, futures, lambda done: join_drift([taken(c) for c in done]))


@dataclass(frozen=True, slots=True)
class DriftRest:
    """Drift computed inside the claim tasks, taken by the drift stage (an ``ahead``
    pending result): the stories whose claim task was skipped (budget) have no drift
    yet; :meth:`result` computes theirs on the pool under the running stage's deadline
    (drift's), then joins all in story order.

    Attributes:
        found (dict[str, tuple[QuoteDrift, ...] | None]): each story's drift, in
            story order (``None``: not computed yet).
        parts (dict[str, DriftTask]): each story's drift inputs.
        pool (WorkerPool): the workers.
    """

    found: dict[str, tuple[QuoteDrift, ...] | None]
    parts: dict[str, DriftTask]
    pool: WorkerPool

    def result(self) -> tuple[QuoteDrift, ...]:
        missing = [s for s, found in self.found.items() if found is None]
        rest: dict[str, tuple[QuoteDrift, ...]] = {}
        if missing:
            tasks = [self.parts[s] for s in missing]
            pending = _drift_tasks(tasks, self.pool, budget.deadline())
            parts = [taken(c) for c in (self.pool.result(f) for f in pending.futures)]
            rest = dict(zip(missing, parts, strict=True))
        return join_drift([rest[s] if f is None else f for s, f in self.found.items()])


def _claims_tasks(
    dossier: Dossier,
    config: PropositionConfig,
    outlets: frozenset[str],
    drift: dict[str, DriftTask],
) -> list[ClaimsTask]:
    from storytrace.stages.lineage.origins import Copies

    by_id = {d.doc_id: d for d in dossier.documents}
    copies = Copies(dossier.pairs, config.copy_min_similarity)
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in dossier.quotes:
        quotes[quote.doc_id].append(quote)
    tasks = []
    for story in dossier.stories:
        if len(story.doc_ids) < 2:
            continue
        roots = {copies.find(d) for d in story.doc_ids}
        wanted = dict.fromkeys([*story.doc_ids, *sorted(roots)])
        pairs = tuple(
            p for p in dossier.pairs if copies.find(p.a) in roots or copies.find(p.b) in roots
        )
        tasks.append(
            ClaimsTask(
                story, tuple(by_id[d] for d in wanted if d in by_id),
                tuple(q for d in dict.fromkeys(story.doc_ids) for q in quotes.get(d, ())),
                pairs, config, outlets, drift.get(story.story_id),
            )
        )  # fmt: skip
    return tasks


@dataclass(frozen=True, slots=True)
class ClaimsJoined:
    """The claim stage's result from the story tasks, drift's, and the vectors computed.

    Attributes:
        claims (tuple[Claim, ...]): what ``align_propositions`` returns (the stories
            whose task was skipped, budget spent, left out: they are on the clock).
        drift (DriftRest | None): what ``find_drift`` returns, once taken (``None``:
            not computed with the claims).
        vectors (Vectors): every vector the tasks computed, by text.
        by_story (dict[str, Vectors]): the vectors each story's task computed.
    """

    claims: tuple[Claim, ...]
    drift: DriftRest | None
    vectors: Vectors
    by_story: dict[str, Vectors]


def claims_in_pool(  # noqa: PLR0913 -- the stage's inputs, and drift's when it goes along
    dossier: Dossier,
    config: PropositionConfig,
    outlets: frozenset[str],
    pool: WorkerPool,
    embed: Embed,
    drift: DriftConfig | None = None,
) -> ClaimsJoined:
    """``align_propositions`` over the dossier, one story a task on ``pool``; drift too.

    Each task carries the running stage's deadline (the claim stage's); the stories
    whose task started after it go to the running clock, in story order.

    Args:
        dossier (Dossier): documents, stories, quotes and pairs.
        config (PropositionConfig): options.
        outlets (frozenset[str]): outlet names (lower case) that count as sources.
        pool (WorkerPool): the workers.
        embed (Embed): the driver's vectors, which memoise the workers' ones.
        drift (DriftConfig | None): drift's options, to compute each story's
            drift in its task (not with ``across_stories``); ``None``: no drift.

    Returns:
        ClaimsJoined: the claims, the drift, the vectors.
    """
    parts = drift_parts(dossier, drift) if drift is not None else {}
    end = budget.deadline()
    tasks = [replace(t, deadline=end) for t in _claims_tasks(dossier, config, outlets, parts)]
    results = pool.map_sized(claims_of_story, tasks, [len(t.docs) for t in tasks])
    joined: list[Claim] = []
    vectors: Vectors = {}
    for result in results:
        _remember(embed, result.vectors)
        vectors.update(result.vectors)
        joined.extend(result.claims)
        budget.record(result.cut)
    claims = tuple(replace(c, claim_id=f"c{i + 1}") for i, c in enumerate(joined))
    by_story = {t.story.story_id: r.vectors for t, r in zip(tasks, results, strict=True)}
    if drift is None:
        return ClaimsJoined(claims, None, vectors, by_story)
    found = {t.story.story_id: r.drift for t, r in zip(tasks, results, strict=True)}
    rest = DriftRest({s: found[s] for s in parts}, parts, pool)
    return ClaimsJoined(claims, rest, vectors, by_story)


def conflict_inputs(dossier: Dossier, config: DisagreementConfig) -> ConflictInputs:
    """What the disagreement stage reads of ``dossier``."""
    return ConflictInputs(dossier.documents, dossier.stories, dossier.claims, config)


def conflicts_in_pool(  # noqa: PLR0913 -- the stage's inputs, the vectors and deadline sent along
    dossier: Dossier,
    config: DisagreementConfig,
    pool: WorkerPool,
    embed: Embed,
    known: Mapping[str, Vectors] | None = None,
    end: float | None = None,
) -> Joined:
    """``find_disagreements`` then ``sentence_number_conflicts``, one story a task on ``pool``.

    Args:
        dossier (Dossier): documents, stories, claims.
        config (DisagreementConfig): options.
        pool (WorkerPool): the workers.
        embed (Embed): the driver's vectors, which memoise the workers' ones.
        known (Mapping[str, Vectors] | None): vectors at hand for each story
            (its claim task's), sent along with its task.
        end (float | None): the disagreement stage's deadline (``None``: the running
            stage's); a task started after it skips its story.

    Returns:
        Joined: its result is the polarity conflicts of every story (in the
        order the claims give the stories), then the number conflicts (in story
        order), as the two functions give them over all stories; not yet
        deduplicated (``unique_conflicts``). Taking it adds the stories skipped to
        the running stage's clock, in story order.
    """
    deadline = budget.deadline() if end is None else end
    by_id = {d.doc_id: d for d in dossier.documents}
    claims: dict[str, list[Claim]] = defaultdict(list)
    for claim in dossier.claims:
        claims[claim.story_id].append(claim)
    tasks = [
        ConflictTask(
            story, tuple(claims.get(story.story_id, ())),
            tuple(by_id[d] for d in dict.fromkeys(story.doc_ids) if d in by_id), config,
            Packed.of((known or {}).get(story.story_id, {})), deadline,
        )
        for story in dossier.stories
        if len(story.doc_ids) >= 2 or story.story_id in claims
    ]  # fmt: skip
    story_order = list(claims)

    def join(results: list[StoryConflicts]) -> tuple[Disagreement, ...]:
        polar: dict[str, tuple[Disagreement, ...]] = {}
        numbers: list[Disagreement] = []
        for task, (story_polar, story_numbers, vectors, cut) in zip(tasks, results, strict=True):
            _remember(embed, vectors)
            budget.record(cut)
            polar[task.story.story_id] = story_polar
            numbers.extend(story_numbers)
        ordered = [d for story_id in story_order for d in polar.get(story_id, ())]
        return (*ordered, *numbers)

    futures = pool.submit_sized(conflicts_of_story, tasks, [len(t.docs) for t in tasks])
    return Joined(pool, futures, join)
