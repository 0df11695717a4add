"""The dossier: everything one run found in a corpus, and what ran to find it."""

from __future__ import annotations

from dataclasses import dataclass

from storytrace.records.corpus import DocPair, Entity, Quote, Story
from storytrace.records.document import Diagnostic, Document
from storytrace.records.lineage import (
    Claim,
    DateInference,
    Disagreement,
    ProvenanceEdge,
    QuoteDrift,
    StoryVerdict,
    TimelineEntry,
)
from storytrace.records.overlay import Correction


@dataclass(frozen=True, slots=True)
class RunInfo:
    """What was run: version, stage implementations, inputs counted."""

    version: str
    stages: tuple[str, ...]
    inputs: int
    documents: int
    failed: int
    generated_at: str | None = None  # excluded from determinism checks


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything storytrace found in one corpus.

    Later stages add stories, entities, quotes, provenance and the timeline;
    sections a run did not compute are empty tuples and reported as absent.
    ``corrections`` lists the reporter's corrections laid over the analysis
    (``records.corrections.apply_corrections``; docs/corrections.md).
    """

    run: RunInfo
    documents: tuple[Document, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    sections_computed: tuple[str, ...] = ("documents",)
    stories: tuple[Story, ...] = ()
    pairs: tuple[DocPair, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    provenance: tuple[ProvenanceEdge, ...] = ()
    verdicts: tuple[StoryVerdict, ...] = ()
    drift: tuple[QuoteDrift, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    date_inferences: tuple[DateInference, ...] = ()
    corrections: tuple[Correction, ...] = ()
