"""Tests of stages/dedup/minhash.py: exact and near duplicates, passage-level reuse."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from tests.helpers import body_document

from storytrace.records import Document
from storytrace.stages.dedup import minhash as dedup
from storytrace.stages.dedup.minhash import (
    DedupConfig,
    content_hash,
    exact_duplicates,
    find_duplicates,
    find_reuse,
    near_duplicates,
    reuse_candidates,
    reuse_passages,
)

SEEDS = Path(__file__).resolve().parents[2] / "examples" / "seeds"

ARTICLE = (
    "The city council voted on Tuesday to close the old bridge over the river for "
    "repairs, after engineers found cracks in two of its supporting piers. The mayor "
    "said traffic would be diverted through the northern ring road for at least six "
    "months. Local shop owners warned that the closure would hurt business in the old "
    "town, which depends on visitors crossing the bridge on foot. A spokesman for the "
    "transport department said the repair would cost about 12 million euros."
)


def make_doc(doc_id: str, text: str) -> Document:
    """A hand-built document whose whole text is body."""
    return body_document(text, doc_id)


def test_dedup_exact_ignores_case_space_and_quote_style() -> None:
    variant = "  " + ARTICLE.upper().replace(" ", "   ") + "\n"
    docs = [make_doc("b", variant), make_doc("a", ARTICLE), make_doc("c", "Other text.")]
    pairs = exact_duplicates(docs)
    assert [(p.a, p.b, p.relation, p.similarity) for p in pairs] == [("a", "b", "exact", 1.0)]
    assert content_hash("\u201cQuote\u201d \u2013 x") == content_hash('"quote" - X')


def test_dedup_near_duplicate_syndicated_copy() -> None:
    copy = "By Wire Staff. " + ARTICLE.replace("Tuesday", "Wednesday")
    docs = [make_doc("orig", ARTICLE), make_doc("copy", copy), make_doc("other", "Unrelated.")]
    pairs = near_duplicates(docs)
    assert [(p.a, p.b, p.relation) for p in pairs] == [("copy", "orig", "near")]
    assert 0.8 <= pairs[0].similarity < 1.0


def test_dedup_near_excludes_exact_and_unrelated() -> None:
    docs = [make_doc("a", ARTICLE), make_doc("b", ARTICLE), make_doc("c", ARTICLE[:120])]
    assert near_duplicates(docs) == ()
    relations = {(p.a, p.b): p.relation for p in find_duplicates(docs)}
    assert relations[("a", "b")] == "exact"


def test_dedup_reuse_spans_on_both_sides() -> None:
    quote = "the repair would cost about 12 million euros and take at least six months"
    a_text = f"Officials spoke on Monday. A spokesman said {quote}, he added."
    b_text = f"In a statement, the ministry wrote that {quote}. Nothing else was said."
    a, b = make_doc("a", a_text), make_doc("b", b_text)
    passages = reuse_passages(a, b)
    assert len(passages) == 1
    p = passages[0]
    assert a_text[p.a_start : p.a_end] == quote
    assert b_text[p.b_start : p.b_end] == quote
    assert p.words == len(quote.split())


def test_dedup_reuse_joins_small_edits_inside_a_passage() -> None:
    a_text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron"
    b_text = "alpha beta gamma delta epsilon zeta CHANGED theta iota kappa lambda mu nu xi omicron"
    (p,) = reuse_passages(make_doc("a", a_text), make_doc("b", b_text))
    assert a_text[p.a_start : p.a_end] == a_text
    assert b_text[p.b_start : p.b_end] == b_text
    assert p.words == 14


def test_dedup_reuse_ignores_short_overlaps() -> None:
    a = make_doc("a", "according to the report the weather was fine today in town")
    b = make_doc("b", "according to the report nothing happened at all in the city")
    assert reuse_passages(a, b, DedupConfig(min_passage_words=8)) == ()


def test_dedup_reuse_candidates_skip_furniture() -> None:
    furniture = "share this story on facebook twitter and email with your friends now"
    docs = [make_doc(f"d{i}", f"Story number {i} is unique. {furniture}") for i in range(40)]
    all_pairs = 40 * 39 // 2
    assert len(reuse_candidates(docs, DedupConfig(max_posting=50))) == all_pairs
    # Capped posting lists: furniture shared by every page cannot make it quadratic.
    assert len(reuse_candidates(docs, DedupConfig(max_posting=5))) < all_pairs // 10


def test_dedup_result_does_not_depend_on_order() -> None:
    docs = [make_doc("a", ARTICLE), make_doc("b", "Intro. " + ARTICLE), make_doc("c", ARTICLE)]
    assert find_duplicates(docs) == find_duplicates(list(reversed(docs)))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="seed corpus not found")
def test_dedup_seeds_shared_quotes() -> None:
    paths = sorted(SEEDS.glob("*.txt"))
    docs = [make_doc(p.name[:3], p.read_text(encoding="utf-8")) for p in paths]
    by_id = {d.doc_id: d for d in docs}
    found = {(p.a, p.b): p for p in find_reuse(docs)}
    ruse = (
        "The efforts seen in the last 48 hours to create a picture that the militias "
        "are disarming is a ruse"
    )
    intel = "Iran has recently transferred missiles to Shia militias in Iraq, including new models"
    for (a, b), needle in ((("000", "001"), ruse), (("001", "002"), intel)):
        spans = [(by_id[a].text[p.a_start : p.a_end], by_id[b].text[p.b_start : p.b_end])
                 for p in found[(a, b)].passages]  # fmt: skip
        assert any(needle in sa and needle in sb for sa, sb in spans)
    assert not any("004" in pair for pair in found)


def test_dedup_find_duplicates_keeps_no_tokens_afterwards() -> None:
    """Issue #7: the token cache lived on after a run (up to 2,048 tokenised articles)."""
    docs = [make_doc("a", ARTICLE), make_doc("b", "Intro. " + ARTICLE)]
    find_duplicates(docs)
    assert dedup.tokens.cache_info().currsize == 0


def test_dedup_reuse_with_known_duplicates_equals_computed() -> None:
    docs = [make_doc("a", ARTICLE), make_doc("b", ARTICLE), make_doc("c", "Intro. " + ARTICLE)]
    known = exact_duplicates(docs) + near_duplicates(docs)
    assert find_reuse(docs, duplicates=known) == find_reuse(docs)


def test_dedup_reuse_survives_gram_hash_collisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seeds are matched by gram hash and verified on the words: collisions change nothing."""
    quote = "the repair would cost about 12 million euros and take at least six months"
    a = make_doc("a", f"Officials spoke on Monday. A spokesman said {quote}, he added.")
    b = make_doc("b", f"In a statement, the ministry wrote that {quote}. Nothing else was said.")
    expected = reuse_passages(a, b)

    def colliding(text: str, size: int) -> npt.NDArray[np.uint64]:
        return np.zeros(max(0, len(dedup.tokens(text).words) - size + 1), dtype=np.uint64)

    monkeypatch.setattr(dedup, "gram_hashes", colliding)  # every gram collides
    assert reuse_passages(a, b) == expected and len(expected) == 1


def test_dedup_gram_hashes_are_stable_and_order_sensitive() -> None:
    """Fingerprints must not depend on Python's per-run hash salt (winnowing picks minima)."""
    hashes = dedup.gram_hashes("the old bridge over the river", 5)
    assert hashes.tolist() == [16851177559291349802, 8087386297818538145]
    assert dedup.gram_hashes("river the over bridge old the", 5).tolist()[0] != hashes[0]
    assert dedup.gram_hashes("The OLD bridge!", 5).size == 1  # shorter: one gram of all words
    assert dedup.gram_hashes("", 5).size == 0
