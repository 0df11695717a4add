"""The cross-document stages in their order: claims, provenance, drift, disagreements, time.

``trace`` runs the requested ones over a corpus whose stories and quotes are
known, computing what they need first (drift alone needs no claims; the
timeline needs claims to date undated articles). Each stage is its own module
and a pure function; this module only orders them.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from storytrace.records import (
    Claim,
    DateInference,
    Disagreement,
    DocPair,
    Document,
    ProvenanceEdge,
    Quote,
    QuoteDrift,
    Story,
    StoryVerdict,
    TimelineEntry,
)
from storytrace.stages.dates.inferred import PubdateConfig, infer_dates
from storytrace.stages.lineage.claims import ClaimConfig, align_claims
from storytrace.stages.lineage.disagreements import (
    DisagreementConfig,
    find_disagreements,
    sentence_number_conflicts,
)
from storytrace.stages.lineage.drift import DriftConfig, find_drift
from storytrace.stages.lineage.provenance import provenance_edges
from storytrace.stages.lineage.timeline import TimelineConfig, build_timeline, date_conflicts
from storytrace.stages.lineage.verdicts import story_verdicts

#: Registered names of the stages ``trace`` runs, and the dossier section each fills.
SECTION_OF: dict[str, str] = {
    "claims.align.v1": "claims",
    "provenance.origins.v1": "provenance",
    "drift.quotes.v1": "drift",
    "disagreements.rules.v1": "disagreements",
    "timeline.timex.v1": "timeline",
}


@dataclass(frozen=True, slots=True)
class LineageConfig:
    """Options of the cross-document stages.

    Attributes:
        claims (ClaimConfig): claim alignment.
        drift (DriftConfig): quote drift.
        disagreements (DisagreementConfig): polarity and number conflicts.
        pubdate (PubdateConfig): undated articles' publication intervals.
        timeline (TimelineConfig): timeline entries and date conflicts.
    """

    claims: ClaimConfig = field(default_factory=ClaimConfig)
    drift: DriftConfig = field(default_factory=DriftConfig)
    disagreements: DisagreementConfig = field(default_factory=DisagreementConfig)
    pubdate: PubdateConfig = field(default_factory=PubdateConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)


@dataclass(frozen=True, slots=True)
class Lineage:
    """What the cross-document stages found (empty tuples for stages not run)."""

    claims: tuple[Claim, ...] = ()
    edges: tuple[ProvenanceEdge, ...] = ()
    verdicts: tuple[StoryVerdict, ...] = ()
    drift: tuple[QuoteDrift, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    inferred: tuple[DateInference, ...] = ()


@dataclass(frozen=True, slots=True)
class CorpusView:
    """The inputs of the cross-document stages."""

    docs: Sequence[Document]
    stories: Sequence[Story]
    quotes: Sequence[Quote]
    pairs: Sequence[DocPair]


def _unique(found: Sequence[Disagreement]) -> tuple[Disagreement, ...]:
    """Drop a number conflict already reported with the same sides (claim and sentence level)."""
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    out = []
    for d in found:
        key = (d.story_id, d.kind, tuple(sorted(s.label for s in d.sides)))
        if key not in seen:
            seen.add(key)
            out.append(d)
    return tuple(out)


def trace(view: CorpusView, wanted: Collection[str], config: LineageConfig) -> Lineage:
    """Run the requested cross-document stages (names of :data:`SECTION_OF`).

    Args:
        view (CorpusView): documents, stories, quotes and reuse pairs.
        wanted (Collection[str]): registered stage names to run.
        config (LineageConfig): options.

    Returns:
        Lineage: the sections of the stages run.
    """
    need_claims = bool(set(SECTION_OF) - {"drift.quotes.v1"} & set(wanted))
    claims = (
        align_claims(view.docs, view.stories, view.quotes, view.pairs, config.claims)
        if need_claims
        else ()
    )
    disagreements: tuple[Disagreement, ...] = ()
    if "disagreements.rules.v1" in wanted:
        disagreements = _unique(
            find_disagreements(claims, config.disagreements)
            + sentence_number_conflicts(view.docs, view.stories, config.disagreements)
        )
    inferred: tuple[DateInference, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    if "timeline.timex.v1" in wanted:
        inferred = infer_dates(view.docs, view.stories, claims, config.pubdate)
        timeline = build_timeline(view.docs, view.stories, inferred, config.timeline, claims)
        by_id = {d.doc_id: d for d in view.docs}
        disagreements += date_conflicts(timeline, by_id, config.timeline)
    provenance = "provenance.origins.v1" in wanted
    return Lineage(
        claims=claims if "claims.align.v1" in wanted else (),
        edges=provenance_edges(view.docs, view.quotes, view.pairs) if provenance else (),
        verdicts=story_verdicts(view.stories, claims, disagreements) if provenance else (),
        drift=find_drift(view.docs, view.stories, view.quotes, config.drift)
        if "drift.quotes.v1" in wanted
        else (),
        disagreements=disagreements,
        timeline=timeline,
        inferred=inferred,
    )
