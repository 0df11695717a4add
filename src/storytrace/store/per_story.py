"""The stages after the claims, story by story: an unchanged story keeps its stored results.

Quote drift, disagreements, the timeline (with inferred publication dates and date
conflicts) and each story's verdict read one story at a time: a story's articles,
its quotes and its claims (drift compares the articles of one story, with
``across_stories`` off; disagreements and date conflicts are between the articles
of one story; an undated article is dated from its story-mates only). A story the
new documents did not touch (``incremental._untouched``: the same articles, the
same pairs touching them and the same copy groups, so the same quotes, texts and
claims) gets its stored rows back; the stages run only over the stories touched,
each story given only its own articles, claims and quotes. Claim ids are
renumbered across the corpus, so a kept verdict's main claim gets its new id.

What crosses stories is recomputed over every document: provenance edges (copy
and reuse pairs join articles of different stories) — and, before the claims,
duplicates, story clustering and alias merging.

Each stage's result is put together as the stage orders it, so the dossier equals
a full run's: drift, timeline, inferred dates and verdicts in story order;
disagreements as the polarity conflicts of every story, then the number conflicts
of every story (deduplicated), then the date conflicts of every story.

DOCS: docs/store.md
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from storytrace.pipeline import cpu
from storytrace.pipeline.registry import corpus_stages
from storytrace.pipeline.work import CorpusRun
from storytrace.records import Document, Dossier
from storytrace.records.corpus import Quote, Story
from storytrace.records.lineage import (
    Claim,
    DateInference,
    Disagreement,
    QuoteDrift,
    StoryVerdict,
    TimelineEntry,
)

DRIFT = "drift.quotes.v5"
DISAGREEMENTS = "disagreements.rules.v5"
TIMELINE = "timeline.timex.v3"
PROVENANCE = "provenance.origins.v2"
#: The stages this module runs per story, in the order they must come after the claims.
STAGES = (DRIFT, DISAGREEMENTS, TIMELINE, PROVENANCE)
#: What each makes per story, in words (provenance's per-story part is the verdict).
MAKES = {DRIFT: "drift", DISAGREEMENTS: "disagreements", TIMELINE: "timeline",
         PROVENANCE: "verdicts"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Stored:
    """The stored results of the stages after the claims (every story's, in stored order)."""

    drift: tuple[QuoteDrift, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    date_inferences: tuple[DateInference, ...] = ()
    verdicts: tuple[StoryVerdict, ...] = ()


@dataclass(frozen=True, slots=True)
class Context:
    """What the per-story stages share: the run, the stories kept, their stored rows.

    Attributes:
        run (CorpusRun): options and models.
        kept (frozenset[str]): ids of the stories whose stored results are kept.
        stored (Stored): the stored results.
        claim_ids (dict[str, str]): a kept claim's stored id -> its id now.
    """

    run: CorpusRun
    kept: frozenset[str]
    stored: Stored
    claim_ids: dict[str, str]


def runnable(after_claims: Sequence[str], across_stories: bool) -> tuple[str, ...]:
    """The stages after the claims this module runs: the longest run of ``STAGES`` in
    order at their start (none when drift compares stories with each other)."""
    if across_stories:
        return ()
    count = 0
    while count < min(len(after_claims), len(STAGES)) and after_claims[count] == STAGES[count]:
        count += 1
    return tuple(after_claims[:count])


def run_stages(dossier: Dossier, names: Iterable[str], ctx: Context) -> Dossier:
    """Run ``names`` (of ``STAGES``, in order) over ``dossier``: stored rows for the kept
    stories, the stage over the others, each story alone."""
    for name in names:
        with cpu.part(f"{name} (stories touched)"):
            dossier = _STEPS[name](dossier, ctx)
        (spec,) = corpus_stages([name])
        sections = tuple(s for s in spec.sections if s not in dossier.sections_computed)
        dossier = replace(
            dossier,
            run=replace(dossier.run, stages=(*dossier.run.stages, name)),
            sections_computed=(*dossier.sections_computed, *sections),
        )
    return dossier


# --- the stories' own inputs -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Story:
    story: Story
    docs: tuple[Document, ...]
    claims: tuple[Claim, ...]
    quotes: tuple[Quote, ...]


def _touched(dossier: Dossier, ctx: Context) -> list[_Story]:
    """Each story not kept, with its own articles (story order), claims and quotes."""
    by_id = {d.doc_id: d for d in dossier.documents}
    claims: dict[str, list[Claim]] = defaultdict(list)
    for claim in dossier.claims:
        claims[claim.story_id].append(claim)
    story_of = {d: s.story_id for s in dossier.stories for d in s.doc_ids}
    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in dossier.quotes:  # in the dossier's order, as the stages get them
        quotes[story_of.get(quote.doc_id, "")].append(quote)
    return [
        _Story(
            story,
            tuple(by_id[d] for d in dict.fromkeys(story.doc_ids) if d in by_id),
            tuple(claims.get(story.story_id, ())),
            tuple(quotes.get(story.story_id, ())),
        )
        for story in dossier.stories
        if story.story_id not in ctx.kept
    ]


def _in_story_order(
    stories: Sequence[Story], found: Iterable[Any], key: Callable[[Any], str]
) -> tuple[Any, ...]:
    """Rows (each story's in their order) put in story order."""
    by_story: dict[str, list[Any]] = defaultdict(list)
    for row in found:
        by_story[key(row)].append(row)
    return tuple(row for s in stories for row in by_story.get(s.story_id, ()))


def _kept_rows(rows: Iterable[Any], ctx: Context, key: Callable[[Any], str]) -> list[Any]:
    return [row for row in rows if key(row) in ctx.kept]


# --- the stages ---------------------------------------------------------------------------


def _drift(dossier: Dossier, ctx: Context) -> Dossier:
    from storytrace.stages.lineage.drift import find_drift

    config, embed = ctx.run.config.lineage.drift, ctx.run.services.embed
    found: list[QuoteDrift] = []
    for one in _touched(dossier, ctx):
        found += find_drift(one.docs, (one.story,), one.quotes, config, embed=embed)
    found += _kept_rows(ctx.stored.drift, ctx, lambda d: d.story_id)
    return replace(dossier, drift=_in_story_order(dossier.stories, found, lambda d: d.story_id))


def _disagreements(dossier: Dossier, ctx: Context) -> Dossier:
    from storytrace.stages.lineage.disagreements import (
        find_disagreements,
        sentence_number_conflicts,
        unique_conflicts,
    )

    config, embed = ctx.run.config.lineage.disagreements, ctx.run.services.embed
    polar: list[Disagreement] = []
    numbers: list[Disagreement] = []
    for one in _touched(dossier, ctx):
        if len(one.docs) < 2 and not one.claims:
            continue
        if one.claims:
            polar += find_disagreements(one.claims, config, embed=embed)
        numbers += sentence_number_conflicts(one.docs, (one.story,), config, embed=embed)
    kept = _kept_rows(ctx.stored.disagreements, ctx, lambda d: d.story_id)
    polar += [d for d in kept if d.kind == "polarity"]
    numbers += [d for d in kept if d.kind == "number"]
    found = (
        *_in_story_order(dossier.stories, polar, lambda d: d.story_id),
        *_in_story_order(dossier.stories, numbers, lambda d: d.story_id),
    )
    return replace(dossier, disagreements=dossier.disagreements + unique_conflicts(found))


def _timeline(dossier: Dossier, ctx: Context) -> Dossier:
    from storytrace.stages.dates.inferred import infer_dates
    from storytrace.stages.lineage.timeline import build_timeline, date_conflicts, dated_documents

    config, embed = ctx.run.config.lineage, ctx.run.services.embed
    inferred: list[DateInference] = []
    entries: list[TimelineEntry] = []
    conflicts: list[Disagreement] = []
    for one in _touched(dossier, ctx):
        story = (one.story,)
        mine = infer_dates(one.docs, story, one.claims, config.pubdate, embed=embed)
        timeline = build_timeline(one.docs, story, mine, config.timeline, one.claims, embed=embed)
        by_id = {d.doc_id: d for d in one.docs}
        inferred += mine
        entries += timeline
        conflicts += date_conflicts(timeline, by_id, config.timeline, embed=embed)
    story_of = {d: s.story_id for s in dossier.stories for d in s.doc_ids}
    inferred += _kept_rows(ctx.stored.date_inferences, ctx, lambda i: story_of.get(i.doc_id, ""))
    entries += _kept_rows(ctx.stored.timeline, ctx, lambda e: e.story_id)
    kept = _kept_rows(ctx.stored.disagreements, ctx, lambda d: d.story_id)
    conflicts += [d for d in kept if d.kind == "date"]
    ordered = _in_story_order(dossier.stories, inferred, lambda i: story_of.get(i.doc_id, ""))
    documents = dated_documents(dossier.documents, ordered)
    return replace(
        dossier,
        documents=documents,
        timeline=_in_story_order(dossier.stories, entries, lambda e: e.story_id),
        date_inferences=ordered,
        disagreements=dossier.disagreements
        + _in_story_order(dossier.stories, conflicts, lambda d: d.story_id),
    )


def _provenance(dossier: Dossier, ctx: Context) -> Dossier:
    """Provenance edges over every document (pairs cross stories); verdicts per story."""
    from storytrace.stages.lineage.provenance import provenance_edges
    from storytrace.stages.lineage.verdicts import story_verdicts

    d = dossier
    conflicts: dict[str, list[Disagreement]] = defaultdict(list)
    for disagreement in d.disagreements:
        conflicts[disagreement.story_id].append(disagreement)
    found: list[StoryVerdict] = []
    for one in _touched(d, ctx):
        story_id = one.story.story_id
        found += story_verdicts((one.story,), one.claims, conflicts[story_id], one.quotes)
    for verdict in _kept_rows(ctx.stored.verdicts, ctx, lambda v: v.story_id):
        main = verdict.main_claim_id
        found.append(
            replace(verdict, main_claim_id=ctx.claim_ids.get(main, main) if main else main)
        )
    with cpu.part("provenance edges (every document)"):
        edges = provenance_edges(d.documents, d.quotes, d.pairs)
    return replace(
        d, provenance=edges, verdicts=_in_story_order(d.stories, found, lambda v: v.story_id)
    )


_STEPS: dict[str, Callable[[Dossier, Context], Dossier]] = {
    DRIFT: _drift,
    DISAGREEMENTS: _disagreements,
    TIMELINE: _timeline,
    PROVENANCE: _provenance,
}
