"""Hand-built corpora for the cross-document stages: documents, one story each group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tests.helpers import body_document

from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.run import analyze_corpus
from storytrace.records import (
    Claim,
    DateValue,
    Document,
    Dossier,
    Metadata,
    RunInfo,
    Story,
    TextValue,
)
from storytrace.stages.dedup.minhash import find_duplicates
from storytrace.stages.lineage.config import LineageConfig
from storytrace.stages.quotes.extract import extract_quotes


@dataclass(frozen=True, slots=True)
class Art:
    """One article of a test corpus."""

    doc_id: str
    text: str
    outlet: str | None = None
    day: date | None = None


def document(art: Art) -> Document:
    published = DateValue(art.day, art.day, "day") if art.day else DateValue.unknown()
    meta = Metadata(outlet=TextValue(art.outlet), published=published)
    return body_document(art.text, art.doc_id, meta)


#: The cross-document stages after the claim stage, in the order ``analyze`` runs them.
AFTER_CLAIMS = (
    "drift.quotes.v5",
    "disagreements.rules.v5",
    "timeline.timex.v3",
    "provenance.origins.v2",
)


def corpus(groups: Sequence[Sequence[Art]]) -> tuple[Dossier, list[Document]]:
    """A dossier of hand-built documents with their quotes and pairs, one story per group."""
    docs = [document(a) for group in groups for a in group]
    stories = tuple(
        Story(f"story-{i}", tuple(sorted(a.doc_id for a in group)), "test")
        for i, group in enumerate(groups)
    )
    dossier = Dossier(
        run=RunInfo("test", (), len(docs), len(docs), 0),
        documents=tuple(docs),
        stories=stories,
        quotes=extract_quotes(docs),
        pairs=find_duplicates(docs),
        sections_computed=("documents", "stories", "quotes"),
    )
    return dossier, docs


def run(
    groups: Sequence[Sequence[Art]],
    config: LineageConfig | None = None,
    claims: str = "claims.align.v1",
) -> Dossier:
    """Every cross-document stage, through the registry, over a hand-built corpus.

    ``claims`` picks the claim stage: ``claims.align.v1`` (attributed statements, what
    these tests were written for) or ``claims.align.v7`` (every statement).
    """
    dossier, _ = corpus(groups)
    stages = (claims, *AFTER_CLAIMS)
    options = AnalyzeConfig(lineage=config or LineageConfig(), corpus_stages=stages)
    return analyze_corpus(dossier, options, given=("stories", "quotes", "pairs"))


def claim_with(found: Dossier, words: str) -> Claim:
    """The claim carried by most articles among those with a mention containing ``words``."""
    hits = [c for c in found.claims if any(words in m.span.text for m in c.mentions)]
    assert hits, [c.text for c in found.claims]
    return max(hits, key=lambda c: len(c.doc_ids))


def affirmed_origins(claim: Claim) -> set[str]:
    """The origin keys of a claim's affirmed mentions."""
    return {m.origin_key for m in claim.mentions if m.polarity == "affirmed"}
