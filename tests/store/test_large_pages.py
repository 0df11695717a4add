"""Large pages ingest under the store's own write limit (issue #29): one 8 MB page, or
40 pages of 1.5 MB in one batch, ran out of DuckDB's memory (128 MB and the index
allowance), and resuming repeated it. Statements and transactions are now bounded by
size as well as by count, and a page too large for the limit alone gets room for itself
in its statement."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.helpers import SEEDS

from storytrace.records import Document, Metadata, Segment, SegmentLabel, SourceRef
from storytrace.store import Store

pytestmark = pytest.mark.slow  # tens of MB of text through the search index


def _sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in text.replace("\n", " ").split(". ") if len(s) > 40]


def _page(size: int, number: int, rng: random.Random, sentences: list[str]) -> Document:
    """A page of ``size`` characters as the HTML cleaner gives it: a navigation line
    around the article, one body segment per paragraph (an 8 MB page: ~12,000)."""
    paragraphs: list[str] = []
    total = 0
    while total < size:
        paragraph = (
            ". ".join(rng.sample(sentences, 4)) + f" (paragraph {len(paragraphs)}, page {number})."
        )
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    nav = "Home | World | Politics | Sport | Contact us"
    body = "\n\n".join(paragraphs)
    segments = [Segment(0, len(nav), SegmentLabel.BOILERPLATE)]
    pos, text_pos = len(nav) + 1, 0
    for paragraph in paragraphs:
        segments.append(Segment(pos, pos + len(paragraph), SegmentLabel.BODY, text_start=text_pos))
        pos += len(paragraph) + 2
        text_pos += len(paragraph) + 2
    return Document(
        doc_id=f"large{number:03d}", source=SourceRef(f"page{number}.html"), format="html",
        page_text=f"{nav}\n{body}\n{nav}", text=body, segments=tuple(segments),
        metadata=Metadata(),
    )  # fmt: skip


@pytest.mark.parametrize(("pages", "size"), [(1, 8_000_000), (40, 1_500_000)])
def test_large_pages_are_stored_under_the_write_limit(
    tmp_path: Path, pages: int, size: int
) -> None:
    rng = random.Random(29)
    sentences = _sentences()
    docs = [_page(size, i, rng, sentences) for i in range(pages)]
    db = tmp_path / "s.duckdb"
    with Store(db) as store:
        limit = store.query("SELECT current_setting('memory_limit')")
        result = store.add(docs)  # one batch, as `ingest --batch-size 200` gives it
        assert store.query("SELECT current_setting('memory_limit')") == limit  # not raised
    assert result.added == pages
    with Store(db, read_only=True) as store:
        assert store.count() == pages
        stored = {d.doc_id: d.text for d in store.documents()}
        (indexed,) = store.query("SELECT count(DISTINCT doc_id) FROM terms")[0]
    assert stored == {d.doc_id: d.text for d in docs}
    assert indexed == pages
