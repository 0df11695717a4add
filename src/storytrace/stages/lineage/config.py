"""Options of the cross-document stages: claims, drift, disagreements, inferred dates, timeline."""

from __future__ import annotations

from dataclasses import dataclass, field

from storytrace.stages.dates.inferred import PubdateConfig
from storytrace.stages.lineage.claims import ClaimConfig
from storytrace.stages.lineage.disagreements import DisagreementConfig
from storytrace.stages.lineage.drift import DriftConfig
from storytrace.stages.lineage.propositions import PropositionConfig
from storytrace.stages.lineage.timeline import TimelineConfig


@dataclass(frozen=True, slots=True)
class LineageConfig:
    """Options of the cross-document stages.

    Attributes:
        claims (ClaimConfig): claim alignment over quotes (``claims.align.v1``).
        propositions (PropositionConfig): claim alignment over every statement,
            narrated or attributed (``claims.align.v7``).
        drift (DriftConfig): quote drift.
        disagreements (DisagreementConfig): polarity and number conflicts.
        pubdate (PubdateConfig): undated articles' publication intervals.
        timeline (TimelineConfig): timeline entries and date conflicts.
    """

    claims: ClaimConfig = field(default_factory=ClaimConfig)
    propositions: PropositionConfig = field(default_factory=PropositionConfig)
    drift: DriftConfig = field(default_factory=DriftConfig)
    disagreements: DisagreementConfig = field(default_factory=DisagreementConfig)
    pubdate: PubdateConfig = field(default_factory=PubdateConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
