"""Helpers for tests: seed paths and hand-built records."""

from __future__ import annotations

from pathlib import Path

from storytrace.records import Cleaned, Document, Metadata, Segment, SegmentLabel, SourceRef

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
