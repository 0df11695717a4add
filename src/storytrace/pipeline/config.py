"""The options of one analysis run, grouped by stage, and the default stage lists."""

from __future__ import annotations

from dataclasses import dataclass, field

from storytrace.pipeline.budget import StageBudgets
from storytrace.stages.boilerplate.text.config import TextCleanConfig
from storytrace.stages.dedup.minhash import DedupConfig
from storytrace.stages.entities.extract import EntityConfig
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.lineage.config import LineageConfig
from storytrace.stages.metadata.text import MetadataConfig
from storytrace.stages.quotes.extract import QuoteConfig
from storytrace.stages.stories.config import StoryConfig

#: The per-document pipeline `analyze` runs, in order: a source, then document stages.
DEFAULT_PIPELINE: tuple[str, ...] = (
    "ingest.files.v1",
    "boilerplate.text.v1",
    "boilerplate.html.v1",
    "metadata.html.v1",
    "metadata.text.v1",
    "metadata.merge.v1",
)

#: The corpus stages `analyze` runs over all documents once they are built, in order.
CORPUS_STAGES: tuple[str, ...] = (
    "dedup.minhash.v1",
    "stories.cluster.v3",
    "entities.spacy.v5",
    "quotes.rules.v4",
    "claims.align.v7",
    "drift.quotes.v5",
    "disagreements.rules.v5",
    "timeline.timex.v3",
    "provenance.origins.v2",
)


@dataclass(frozen=True, slots=True)
class AnalyzeConfig:
    """Options of one analysis run, grouped by stage.

    Attributes:
        ingest (IngestConfig): file discovery and reading.
        metadata (MetadataConfig): printed metadata.
        textclean (TextCleanConfig): the plain-text boilerplate cleaner.
        dedup (DedupConfig): duplicate and text-reuse detection.
        stories (StoryConfig): story clustering.
        entities (EntityConfig): entity extraction and alias merging.
        quotes (QuoteConfig): quote and attribution extraction.
        lineage (LineageConfig): claims, provenance, drift, disagreements, timeline.
        pipeline (tuple[str, ...]): registered per-document stages, in order: a
            source, then document stages. Only these run.
        corpus_stages (tuple[str, ...]): registered corpus stages to run over all
            documents, in order (empty: documents only, the fast path).
        doc_timeout_s (float): a document whose per-document stages take more CPU
            seconds is skipped with ``ST213``; 0 disables the limit. CPU, not wall,
            seconds: a loaded machine skips nothing an idle one keeps.
        budgets (StageBudgets): seconds per corpus stage before it skips its
            remaining stories, each an ``ST217`` warning (``pipeline/budget.py``).
    """

    ingest: IngestConfig = field(default_factory=IngestConfig)
    metadata: MetadataConfig = field(default_factory=MetadataConfig)
    textclean: TextCleanConfig = field(default_factory=TextCleanConfig)
    dedup: DedupConfig = field(default_factory=DedupConfig)
    stories: StoryConfig = field(default_factory=StoryConfig)
    entities: EntityConfig = field(default_factory=EntityConfig)
    quotes: QuoteConfig = field(default_factory=QuoteConfig)
    lineage: LineageConfig = field(default_factory=LineageConfig)
    pipeline: tuple[str, ...] = DEFAULT_PIPELINE
    corpus_stages: tuple[str, ...] = CORPUS_STAGES
    doc_timeout_s: float = 60.0
    budgets: StageBudgets = field(default_factory=StageBudgets)
