"""Helpers for tests: seed paths and hand-built records."""

from __future__ import annotations

from pathlib import Path

from storytrace.records import (
    Cleaned,
    Document,
    Entity,
    EntityMention,
    Metadata,
    Segment,
    SegmentLabel,
    SourceRef,
)
from storytrace.stages.entities.extract import EntityConfig, alias_key
from storytrace.stages.entities.merge import merge_mentions

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "examples" / "seeds"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with ``prefix`` (e.g. "001")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def cleaned_from_lines(lines: list[tuple[str, SegmentLabel]]) -> Cleaned:
    """A hand-built boilerplate result: one segment per (line, label)."""
    page_text = "\n".join(text for text, _ in lines)
    segments: list[Segment] = []
    body: list[str] = []
    pos = 0
    text_pos = 0
    for text, label in lines:
        text_start = None
        if label is SegmentLabel.BODY:
            if body:
                text_pos += 2
            text_start = text_pos
            body.append(text)
            text_pos += len(text)
        segments.append(Segment(pos, pos + len(text), label, None, "test", text_start))
        pos += len(text) + 1
    return Cleaned(page_text, "\n\n".join(body), tuple(segments))


def body_document(text: str, doc_id: str = "d1", metadata: Metadata | None = None) -> Document:
    """A hand-built document whose whole text is article body (one segment)."""
    return Document(
        doc_id=doc_id,
        source=SourceRef("x"),
        format="text",
        page_text=text,
        text=text,
        segments=(Segment(0, len(text), SegmentLabel.BODY, text_start=0),),
        metadata=metadata or Metadata(),
    )


# --- entity alias merging, from hand-tagged mentions ----------------------------------

#: A hand-tagged mention: text, NER label, article, character offset.
Tagged = tuple[str, str, str, int]


def merge(tagged: list[Tagged]) -> tuple[Entity, ...]:
    """Entities merged from hand-tagged mentions, as the entity stage merges parsed ones."""
    mentions = [
        EntityMention(doc, start, start + len(text), text, label, alias_key(text, label), "test")
        for text, label, doc, start in tagged
    ]
    return merge_mentions(mentions, EntityConfig())


def groups(entities: tuple[Entity, ...]) -> set[frozenset[tuple[str, str]]]:
    """Each entity as the set of its (article, text) mentions."""
    return {frozenset((m.doc_id, m.text) for m in e.mentions) for e in entities}


def together(entities: tuple[Entity, ...], *mentions: tuple[str, str]) -> bool:
    """Whether one entity holds all these (article, text) mentions."""
    return any(set(mentions) <= g for g in groups(entities))
