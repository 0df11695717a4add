"""The registered stages' implementations: each calls one stage package with what it needs.

Every function here has one of the registry's three signatures (source, document,
corpus), so the registry can hold them and mypy checks each call into a stage.
Stage modules are imported inside the functions: registering spaCy or the
embedding model costs nothing until a stage runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from storytrace.records import Dossier, Metadata

if TYPE_CHECKING:
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.work import CorpusRun, DocumentWork
    from storytrace.stages.ingest.config import IngestConfig, ReadResult


# --- source ---------------------------------------------------------------------------


def read_inputs(specs: Iterable[str], config: IngestConfig) -> Iterator[ReadResult]:
    from storytrace.stages.ingest.files import iter_inputs

    return iter_inputs(specs, config)


# --- document stages --------------------------------------------------------------------


def _did(work: DocumentWork, name: str, **changes: object) -> DocumentWork:
    return replace(work, ran=(*work.ran, name), **changes)  # type: ignore[arg-type]


def clean_text(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    from storytrace.stages.boilerplate.text.clean import clean_text_dump

    if work.raw.html is not None or work.cleaned is not None:
        return work
    cleaned = clean_text_dump(work.raw.text or "", config.textclean)
    return _did(work, "boilerplate.text.v1", cleaned=cleaned)


def clean_html(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    from storytrace.stages.boilerplate.html.clean import clean_html as clean

    if work.raw.html is None or work.cleaned is not None:
        return work
    return _did(work, "boilerplate.html.v1", cleaned=clean(work.raw.html))


def html_metadata(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    from storytrace.stages.metadata.html import read_html_metadata

    if work.raw.html is None:
        return work
    return _did(work, "metadata.html.v1", markup=read_html_metadata(work.raw.html, work.raw.url))


def printed_metadata(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    from storytrace.stages.metadata.text import read_text_metadata

    if work.cleaned is None:
        return work
    printed = read_text_metadata(work.cleaned, config.metadata)
    return _did(work, "metadata.text.v1", printed=printed)


def merge_metadata(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    from storytrace.stages.metadata.text import merge_metadata as merge

    merged = merge(work.raw, work.printed or Metadata(), work.markup)
    return _did(work, "metadata.merge.v1", metadata=merged)


# --- corpus stages ------------------------------------------------------------------------


def find_duplicates(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.stages.dedup.minhash import find_duplicates as find

    return replace(dossier, pairs=find(dossier.documents, run.config.dedup))


def cluster_stories(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.stages.stories.cluster import cluster_stories as cluster

    return replace(dossier, stories=cluster(dossier.documents, run.config.stories))


def _parse(dossier: Dossier, run: CorpusRun, sections: tuple[str, ...]) -> Dossier:
    """Entities and quotes from one spaCy parse per document; keeps the sections asked for.

    The parse is the dominant cost of a run, so when both stages are in the run
    the first of them to run reads both (``sections``), and the other finds its
    section already computed.
    """
    from storytrace.stages.parse import attribute, combine

    docs = dossier.documents
    if run.parsed and all(d.doc_id in run.parsed for d in docs):  # parsed by the workers
        result = combine([run.parsed[d.doc_id] for d in docs], run.config.entities)
    else:
        result = attribute(docs, run.config.entities, run.config.quotes)
    return replace(
        dossier,
        entities=result.entities if "entities" in sections else dossier.entities,
        quotes=result.quotes if "quotes" in sections else dossier.quotes,
        diagnostics=dossier.diagnostics + result.diagnostics,
        sections_computed=(*dossier.sections_computed, *sections),
    )


def _parse_sections(run: CorpusRun) -> tuple[str, ...]:
    from storytrace.stages.parse import parsed_sections

    return parsed_sections(run.config.corpus_stages)


def find_entities(dossier: Dossier, run: CorpusRun) -> Dossier:
    if "entities" in dossier.sections_computed:
        return dossier
    return _parse(dossier, run, _parse_sections(run))


def find_quotes(dossier: Dossier, run: CorpusRun) -> Dossier:
    if "quotes" in dossier.sections_computed:
        return dossier
    return _parse(dossier, run, _parse_sections(run))


def align_claims(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.stages.lineage.claims import align_claims as align

    d, config = dossier, run.config.lineage.claims
    claims = align(d.documents, d.stories, d.quotes, d.pairs, config, embed=run.services.embed)
    return replace(d, claims=claims)


def align_propositions(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.stages.entities.extract import load_gazetteer
    from storytrace.stages.lineage.propositions import align_propositions as align

    d, config = dossier, run.config.lineage.propositions
    outlets = frozenset(name.lower() for name in load_gazetteer()["outlets"])
    if run.pool is not None:  # one story a task on the workers: the same claims
        return _claims_in_pool(d, run, outlets)
    claims = align(
        d.documents, d.stories, d.quotes, d.pairs, config,
        embed=run.services.embed, outlets=outlets,
    )  # fmt: skip
    return replace(d, claims=claims)


def _claims_in_pool(dossier: Dossier, run: CorpusRun, outlets: frozenset[str]) -> Dossier:
    """Claims story by story on the pool, each story's drift in its task; then the
    stages that need only the claims (timeline, disagreements) handed out at once."""
    from storytrace.pipeline import ahead, budget
    from storytrace.pipeline.by_story import claims_in_pool, conflict_inputs, conflicts_in_pool

    assert run.pool is not None
    config, embed, now = run.config.lineage, run.services.embed, "claims.align.v4"
    drift_given = ahead.drift_task(dossier, run)
    drift = None
    if ahead.wanted(run, "drift.quotes.v4", now):
        if config.drift.across_stories:  # one task, queued first
            ahead.start_drift(run, now, drift_given)
        else:
            drift = config.drift
    joined = claims_in_pool(dossier, config.propositions, outlets, run.pool, embed, drift)
    if joined.drift is not None:  # the stories whose claim task was cut: computed when taken
        ahead.put(run, "drift.quotes.v4", drift_given, joined.drift)
    out = replace(dossier, claims=joined.claims)
    if ahead.wanted(run, "timeline.timex.v1", now):  # one task, queued first
        known = ahead.Packed.of(joined.vectors)
        ahead.start_timeline(run, now, ahead.timeline_task(out, run), known)
    if ahead.wanted(run, "disagreements.rules.v4", now):
        end = budget.deadline(run, "disagreements.rules.v4")  # its work starts now
        pending = conflicts_in_pool(
            out, config.disagreements, run.pool, embed, joined.by_story, end
        )
        ahead.put(
            run, "disagreements.rules.v4", conflict_inputs(out, config.disagreements), pending
        )
    return out


def find_drift(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.pipeline import ahead

    task = ahead.drift_task(dossier, run)
    early = ahead.take(run, "drift.quotes.v4", task)
    if early is None and run.pool is not None and not task.config.across_stories:
        from storytrace.pipeline.by_story import drift_in_pool

        early = drift_in_pool(dossier, task.config, run.pool).result()
    return replace(
        dossier, drift=early if early is not None else ahead.drift(task, run.services.embed)
    )


def find_disagreements(dossier: Dossier, run: CorpusRun) -> Dossier:
    from storytrace.stages.lineage.disagreements import (
        find_disagreements as find,
    )
    from storytrace.stages.lineage.disagreements import (
        sentence_number_conflicts,
        unique_conflicts,
    )

    config, embed = run.config.lineage.disagreements, run.services.embed
    if run.pool is not None:  # one story a task on the workers: the same conflicts
        from storytrace.pipeline import ahead
        from storytrace.pipeline.by_story import conflict_inputs, conflicts_in_pool

        found = ahead.take(run, "disagreements.rules.v4", conflict_inputs(dossier, config))
        if found is None:
            task = ahead.timeline_task(dossier, run)
            ahead.start_timeline(run, "disagreements.rules.v4", task)
            found = conflicts_in_pool(dossier, config, run.pool, embed).result()
    else:
        found = find(dossier.claims, config, embed=embed) + sentence_number_conflicts(
            dossier.documents, dossier.stories, config, embed=embed
        )
    return replace(dossier, disagreements=dossier.disagreements + unique_conflicts(found))


def build_timeline(dossier: Dossier, run: CorpusRun) -> Dossier:
    """Undated articles' publication intervals, the timeline, and date conflicts.

    An inferred publication date replaces the article's unknown one, with its evidence.
    """
    from storytrace.pipeline import ahead
    from storytrace.stages.lineage.timeline import dated_documents

    d = dossier
    task = ahead.timeline_task(d, run)
    early = ahead.take(run, "timeline.timex.v1", task)
    inferred, timeline, conflicts = early or ahead.timeline(task, run.services.embed)
    documents = dated_documents(d.documents, inferred)
    return replace(
        d, documents=documents, timeline=timeline, date_inferences=inferred,
        disagreements=d.disagreements + conflicts,
    )  # fmt: skip


def trace_provenance(dossier: Dossier, run: CorpusRun) -> Dossier:
    """Citation, copy and intermediary edges, and each story's verdict over its claims and conflicts."""
    from storytrace.stages.lineage.provenance import provenance_edges
    from storytrace.stages.lineage.verdicts import story_verdicts

    d = dossier
    uncounted = frozenset(run.cut.get("claims", ()))  # claims cut short: no count to give
    return replace(
        d,
        provenance=provenance_edges(d.documents, d.quotes, d.pairs),
        verdicts=story_verdicts(d.stories, d.claims, d.disagreements, d.quotes, uncounted),
    )
