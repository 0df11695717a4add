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
    from spacy.tokens import Doc as SpacyDoc

    from storytrace.records import Entity, EntityMention, Quote

#: The corpus stage families that read each document's spaCy parse; each fills the
#: section of its family's name. By family, not by registered name, so a new version of
#: either stage still has its documents parsed once (in the workers, or kept per
#: document in a store).
PARSED_FAMILIES = ("entities", "quotes")


def parsed_sections(stages: Sequence[str]) -> tuple[str, ...]:
    """The sections of the stages named in ``stages`` that read the parse, in order."""
    families = {name.split(".")[0] for name in stages}
    return tuple(family for family in PARSED_FAMILIES if family in families)


#: spaCy refuses texts over 1,000,000 characters; a body past this is parsed in
#: its first part only (offsets stay valid: it is a prefix).
MAX_PARSE_CHARS = 200_000


@dataclass(frozen=True, slots=True)
class AttributionResult:
    """Entities, quotes and the documents that could not be analysed."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class DocAttribution:
    """One document's share of :class:`AttributionResult`: what its parse gave, or why not.

    Plain records, so a worker process can parse a document and send this back.
    """

    doc_id: str
    mentions: tuple[EntityMention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    problem: Diagnostic | None = None


def attribute_doc(doc: Document, sdoc: SpacyDoc, quotes: QuoteConfig) -> DocAttribution:
    """Entity mentions and quotes of one parsed document; a failure is a diagnostic."""
    from storytrace.stages.entities.extract import mentions_of_doc
    from storytrace.stages.quotes.extract import quotes_of_doc

    try:
        doc_mentions = mentions_of_doc(doc.doc_id, sdoc)
        doc_quotes = quotes_of_doc(doc.doc_id, sdoc, quotes)
    except Exception as exc:
        detail = f"{REASON_HELP[Reason.STAGE_FAILED]} (attribution: {type(exc).__name__}: {exc})"
        problem = Diagnostic(
            Reason.STAGE_FAILED.value, Severity.WARNING, str(doc.source), detail, doc.doc_id
        )
        return DocAttribution(doc.doc_id, problem=problem)
    return DocAttribution(doc.doc_id, tuple(doc_mentions), tuple(doc_quotes))


def parse_doc(doc: Document, quotes: QuoteConfig) -> DocAttribution:
    """:func:`attribute_doc` of one document, parsed here (a worker's unit of work).

    spaCy's parse of a text does not depend on the batch it is parsed in, so this
    gives what :func:`attribute` gives the document.
    """
    from storytrace.stages.entities.extract import entity_pipeline

    return attribute_doc(doc, entity_pipeline()(doc.text[:MAX_PARSE_CHARS]), quotes)


def combine(
    parts: Sequence[DocAttribution],
    entities: EntityConfig,
    merged: tuple[Entity, ...] | None = None,
) -> AttributionResult:
    """The corpus's result from its documents' parts, given in document order.

    ``merged``: the parts' mentions already merged into entities (by a worker), if so.
    """
    from storytrace.stages.entities.merge import merge_mentions

    if merged is None:
        merged = merge_mentions([m for part in parts for m in part.mentions], entities)
    found = tuple(q for part in parts for q in part.quotes)
    problems = tuple(part.problem for part in parts if part.problem is not None)
    return AttributionResult(merged, found, problems)


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
    from storytrace.stages.entities.extract import entity_pipeline

    nlp = entity_pipeline()
    texts = (d.text[:MAX_PARSE_CHARS] for d in docs)
    parsed = nlp.pipe(texts, batch_size=entities.batch_size)
    parts = [attribute_doc(doc, sdoc, quotes) for doc, sdoc in zip(docs, parsed, strict=True)]
    return combine(parts, entities)
