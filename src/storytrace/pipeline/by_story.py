"""Lineage stages story by story on the worker pool: the same sections, computed in parallel.

Claims and disagreements never cross a story, so with ``analyze --workers N``
each story (with two articles or more) is one task: the driver sends the
story's articles and what the stage reads of them, a worker runs the very stage
function on that one story, and the driver joins the parts in story order --
what the stage gives over all stories at once. Claim ids (``c1``, ``c2`` ...)
are numbered over the joined list, as the stage numbers them.

What a story's task must carry, beside its own articles: claims name the
first article of a copy group as its own-reporting origin, which may belong to
another story, so that article and the pairs of the story's copy groups go
too. The MiniLM vectors a worker computes come back with its result and are
memoised on the driver (a text's vector does not depend on its batch), so the
stages that stay on the driver (drift, the timeline) find them.

DOCS: docs/scale.md
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from storytrace.models.services import Embed, Embeddings, Services
from storytrace.records import Claim, Disagreement, DocPair, Document, Dossier, Quote, Story

if TYPE_CHECKING:
    from storytrace.pipeline.pool import WorkerPool
    from storytrace.stages.lineage.disagreements import DisagreementConfig
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
    """One story's claim alignment: its articles (and copy-group roots), quotes, pairs."""

    story: Story
    docs: tuple[Document, ...]
    quotes: tuple[Quote, ...]
    pairs: tuple[DocPair, ...]
    config: PropositionConfig
    outlets: frozenset[str]


@dataclass(frozen=True, slots=True)
class ConflictTask:
    """One story's disagreements: its claims and its articles."""

    story: Story
    claims: tuple[Claim, ...]
    docs: tuple[Document, ...]
    config: DisagreementConfig


def claims_of_story(task: ClaimsTask) -> tuple[tuple[Claim, ...], Vectors]:
    """Run in a worker: ``claims.align.v3`` over one story, and the vectors it computed."""
    from storytrace.stages.lineage.propositions import align_propositions

    embed = Recording(Services.shared().embed)
    claims = align_propositions(
        task.docs, (task.story,), task.quotes, task.pairs, task.config,
        embed=embed, outlets=task.outlets,
    )  # fmt: skip
    return claims, embed.vectors


def conflicts_of_story(
    task: ConflictTask,
) -> tuple[tuple[Disagreement, ...], tuple[Disagreement, ...], Vectors]:
    """Run in a worker: one story's polarity conflicts, number conflicts and vectors."""
    from storytrace.stages.lineage.disagreements import (
        find_disagreements,
        sentence_number_conflicts,
    )

    embed = Recording(Services.shared().embed)
    polar = find_disagreements(task.claims, task.config, embed=embed) if task.claims else ()
    numbers = sentence_number_conflicts(task.docs, (task.story,), task.config, embed=embed)
    return polar, numbers, embed.vectors


def _remember(embed: Embed, vectors: Vectors) -> None:
    if isinstance(embed, Embeddings):
        embed.remember(vectors)


def claims_in_pool(
    dossier: Dossier,
    config: PropositionConfig,
    outlets: frozenset[str],
    pool: WorkerPool,
    embed: Embed,
) -> tuple[Claim, ...]:
    """``align_propositions`` over the dossier, one story a task on ``pool``.

    Args:
        dossier (Dossier): documents, stories, quotes and pairs.
        config (PropositionConfig): options.
        outlets (frozenset[str]): outlet names (lower case) that count as sources.
        pool (WorkerPool): the workers.
        embed (Embed): the driver's vectors, which memoise the workers' ones.

    Returns:
        tuple[Claim, ...]: what ``align_propositions`` returns.
    """
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
                pairs, config, outlets,
            )
        )  # fmt: skip
    results = pool.map_sized(claims_of_story, tasks, [len(t.docs) for t in tasks])
    joined: list[Claim] = []
    for claims, vectors in results:
        _remember(embed, vectors)
        joined.extend(claims)
    return tuple(replace(c, claim_id=f"c{i + 1}") for i, c in enumerate(joined))


def conflicts_in_pool(
    dossier: Dossier, config: DisagreementConfig, pool: WorkerPool, embed: Embed
) -> tuple[Disagreement, ...]:
    """``find_disagreements`` then ``sentence_number_conflicts``, one story a task on ``pool``.

    Returns:
        tuple[Disagreement, ...]: the polarity conflicts of every story (in the
        order the claims give the stories), then the number conflicts (in story
        order), as the two functions give them over all stories; not yet
        deduplicated (``unique_conflicts``).
    """
    by_id = {d.doc_id: d for d in dossier.documents}
    claims: dict[str, list[Claim]] = defaultdict(list)
    for claim in dossier.claims:
        claims[claim.story_id].append(claim)
    tasks = [
        ConflictTask(
            story, tuple(claims.get(story.story_id, ())),
            tuple(by_id[d] for d in dict.fromkeys(story.doc_ids) if d in by_id), config,
        )
        for story in dossier.stories
        if len(story.doc_ids) >= 2 or story.story_id in claims
    ]  # fmt: skip
    results = pool.map_sized(conflicts_of_story, tasks, [len(t.docs) for t in tasks])
    polar: dict[str, tuple[Disagreement, ...]] = {}
    numbers: list[Disagreement] = []
    for task, (story_polar, story_numbers, vectors) in zip(tasks, results, strict=True):
        _remember(embed, vectors)
        polar[task.story.story_id] = story_polar
        numbers.extend(story_numbers)
    ordered = [d for story_id in claims for d in polar.get(story_id, ())]
    return (*ordered, *numbers)
