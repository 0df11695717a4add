"""Corpus-level analysis: the stages that look at all documents together.

Each document is parsed once by spaCy (the dominant cost of the whole pipeline);
entity mentions and quotes are read from the same parse. A document whose
analysis fails becomes a diagnostic and the others go on.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, Document, Severity
from storytrace.stages.entities.extract import EntityConfig
from storytrace.stages.quotes.extract import QuoteConfig

if TYPE_CHECKING:
    from storytrace.records import Entity, EntityMention, Quote

#: spaCy refuses texts over 1,000,000 characters; a body past this is parsed in
#: its first part only (offsets stay valid: it is a prefix).
MAX_PARSE_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class AttributionResult:
    """Entities, quotes and the documents that could not be analysed."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


def attribute(
    docs: Sequence[Document], entities: EntityConfig, quotes: QuoteConfig
) -> AttributionResult:
    """Entities and quotes of every document, from one spaCy parse each.

    Args:
        docs (Sequence[Document]): cleaned documents.
        entities (EntityConfig): entity stage options.
        quotes (QuoteConfig): quote stage options.

    Returns:
        AttributionResult: merged entities, quotes in document order, diagnostics.
    """
    from storytrace.stages.entities.extract import entity_pipeline, mentions_of_doc, merge_mentions
    from storytrace.stages.quotes.extract import quotes_of_doc

    nlp = entity_pipeline()
    mentions: list[EntityMention] = []
    found: list[Quote] = []
    problems: list[Diagnostic] = []
    texts = (d.text[:MAX_PARSE_CHARS] for d in docs)
    for doc, sdoc in zip(docs, nlp.pipe(texts, batch_size=entities.batch_size), strict=True):
        try:
            doc_mentions = mentions_of_doc(doc.doc_id, sdoc)
            doc_quotes = quotes_of_doc(doc.doc_id, sdoc, quotes)
        except Exception as exc:
            detail = (
                f"{REASON_HELP[Reason.STAGE_FAILED]} (attribution: {type(exc).__name__}: {exc})"
            )
            problems.append(
                Diagnostic(
                    Reason.STAGE_FAILED.value, Severity.WARNING, str(doc.source), detail, doc.doc_id
                )
            )
            continue
        mentions.extend(doc_mentions)
        found.extend(doc_quotes)
    return AttributionResult(merge_mentions(mentions, entities), tuple(found), tuple(problems))
