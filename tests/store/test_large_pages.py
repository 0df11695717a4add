"""Large pages ingest under the store's own write limit (issue #29): one 8 MB page, or
40 pages of 1.5 MB in one batch, ran out of DuckDB's memory (128 MB and the index
allowance), and resuming repeated it. Statements and transactions are now bounded by
size as well as by count."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from tests.helpers import SEEDS, body_document

from storytrace.records import Document
from storytrace.store import Store

pytestmark = pytest.mark.slow  # tens of MB of text through the search index


def _sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return [s.strip() for s in text.replace("\n", " ").split(". ") if len(s) > 40]


def _page(size: int, number: int, rng: random.Random, sentences: list[str]) -> Document:
    """An article of ``size`` characters: news sentences, each paragraph numbered."""
    parts: list[str] = []
    total = 0
    while total < size:
        paragraph = (
            ". ".join(rng.sample(sentences, 4)) + f" (paragraph {len(parts)}, page {number})."
        )
        parts.append(paragraph)
        total += len(paragraph) + 2
    return body_document("\n\n".join(parts), f"large{number:03d}")


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
