"""Hand-built corpora for the cross-document stages: documents, one story each group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tests.helpers import body_document

from storytrace.records import DateValue, Document, Metadata, Story, TextValue
from storytrace.stages.dedup.minhash import find_duplicates
from storytrace.stages.lineage.trace import SECTION_OF, CorpusView, Lineage, LineageConfig, trace
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


def corpus(groups: Sequence[Sequence[Art]]) -> tuple[CorpusView, list[Document]]:
    """Documents, their quotes and pairs, one story per group."""
    docs = [document(a) for group in groups for a in group]
    stories = [
        Story(f"story-{i}", tuple(sorted(a.doc_id for a in group)), "test")
        for i, group in enumerate(groups)
    ]
    view = CorpusView(docs, stories, extract_quotes(docs), find_duplicates(docs))
    return view, docs


def run(groups: Sequence[Sequence[Art]], config: LineageConfig | None = None) -> Lineage:
    """Every cross-document stage over a hand-built corpus."""
    view, _ = corpus(groups)
    return trace(view, set(SECTION_OF), config or LineageConfig())
