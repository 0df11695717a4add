"""Corrections: kept in a real DuckDB table, undone by adding rows, applied by a pure function."""

from __future__ import annotations

import duckdb
import pytest

from storytrace.errors import InputError
from storytrace.records import Dossier
from storytrace.records.corrections import (
    Correction,
    Draft,
    apply_corrections,
    effective,
    mention_key,
    own_story_id,
    split_id,
)
from storytrace.store import corrections as stored


def _fix(i: int, kind: str, target: str, after: str, before: str = "") -> Correction:
    return Correction(i, "ed", "2026-12-07T05:00:00+00:00", "test", kind, target, before, after)  # type: ignore[arg-type]


def test_corrections_are_added_listed_and_undone_by_new_rows() -> None:
    con = duckdb.connect()
    assert stored.load(con) == ()
    first = stored.add(
        con, Draft("mention_stance", "c1/d/0", "affirmed", "negated", "ed", "denied")
    )
    second = stored.add(con, Draft("quote_speaker", "d:q0", "?", "Jane Roe", "ed", "named later"))
    assert (first.id, second.id) == (1, 2)
    undo = stored.undo(con, first.id, "ed", "misread")
    rows = stored.load(con)
    assert [(c.id, c.kind, c.undone) for c in rows] == [
        (1, "mention_stance", True), (2, "quote_speaker", False), (3, "undo", False),
    ]  # fmt: skip
    assert (undo.target, undo.before, undo.after) == ("1", "negated", "affirmed")
    assert [c.id for c in effective(rows)] == [2]
    with pytest.raises(InputError) as again:
        stored.undo(con, first.id, "ed", "twice")
    assert again.value.code == "ST181"


@pytest.mark.parametrize(
    "draft",
    [
        Draft("rename_everything", "x", "", "y", "ed", "why"),
        Draft("undo", "1", "", "", "ed", "why"),
        Draft("mention_stance", "c1/d/0", "", "maybe", "ed", "why"),
        Draft("quote_speaker", "d:q0", "", " ", "ed", "why"),
        Draft("quote_speaker", "", "", "Jane", "ed", "why"),
        Draft("quote_speaker", "d:q0", "", "Jane", "", "why"),
        Draft("quote_speaker", "d:q0", "", "J" * 2001, "ed", "why"),
    ],
)
def test_a_correction_that_cannot_mean_anything_is_refused(draft: Draft) -> None:
    con = duckdb.connect()
    with pytest.raises(InputError) as refused:
        stored.add(con, draft)
    assert refused.value.code == "ST180"
    assert stored.load(con) == ()


def test_effective_drops_undone_rows_even_without_the_flag() -> None:
    rows = (_fix(1, "mention_stance", "c/d/0", "negated"), _fix(2, "undo", "1", ""))
    assert effective(rows) == ()


@pytest.mark.model
def test_apply_corrections_fixes_stance_speaker_and_origin(seed_dossier: Dossier) -> None:
    claim = seed_dossier.claims[0]
    mention = claim.mentions[0]
    quote = next(q for q in seed_dossier.quotes if q.speaker_text)
    origin = claim.origins[0]
    fixes = (
        _fix(1, "mention_stance", mention_key(claim.claim_id, mention), "negated"),
        _fix(2, "quote_speaker", quote.quote_id, "Jane Roe"),
        _fix(3, "claim_origin", f"{claim.claim_id}/{origin.key}", "Reuters (corrected)"),
    )
    out = apply_corrections(seed_dossier, fixes)
    fixed = next(c for c in out.claims if c.claim_id == claim.claim_id)
    assert fixed.mentions[0].polarity == "negated" and fixed.mentions[1:] == claim.mentions[1:]
    assert fixed.origins[0].label == "Reuters (corrected)"
    assert (
        next(q for q in out.quotes if q.quote_id == quote.quote_id).speaker_resolved == "Jane Roe"
    )
    for c in out.claims:
        for m in c.mentions:
            if m.quote_id == quote.quote_id:
                assert m.speaker == "Jane Roe"
    assert apply_corrections(seed_dossier, fixes) == out  # pure: same in, same out
    assert seed_dossier.claims[0] == claim  # the input is untouched
    assert out.corrections == fixes  # the dossier lists what was applied
    undone = (*fixes, _fix(4, "undo", "1", ""), _fix(5, "undo", "2", ""), _fix(6, "undo", "3", ""))
    assert apply_corrections(seed_dossier, undone) == seed_dossier


@pytest.mark.model
def test_apply_corrections_merges_and_splits_entities(seed_dossier: Dossier) -> None:
    a, b = seed_dossier.entities[0], seed_dossier.entities[1]
    merged = apply_corrections(seed_dossier, (_fix(1, "entity_merge", b.entity_id, a.entity_id),))
    ids = [e.entity_id for e in merged.entities]
    assert b.entity_id not in ids and len(ids) == len(seed_dossier.entities) - 1
    kept = next(e for e in merged.entities if e.entity_id == a.entity_id)
    assert len(kept.mentions) == len(a.mentions) + len(b.mentions)
    assert all(m.entity_id == a.entity_id for m in kept.mentions)
    form = b.mentions[0].text
    split = apply_corrections(
        seed_dossier,
        (
            _fix(1, "entity_merge", b.entity_id, a.entity_id),
            _fix(2, "entity_split", a.entity_id, form),
        ),
    )
    new = next(e for e in split.entities if e.entity_id == split_id(a.entity_id, form))
    assert new.canonical == form and all(m.text.casefold() == form.casefold() for m in new.mentions)


@pytest.mark.model
def test_apply_corrections_moves_an_article_between_stories(seed_dossier: Dossier) -> None:
    big = max(seed_dossier.stories, key=lambda s: len(s.doc_ids))
    doc = big.doc_ids[-1]
    alone = apply_corrections(seed_dossier, (_fix(1, "story_move", doc, ""),))
    own = next(s for s in alone.stories if s.story_id == own_story_id(doc))
    assert own.doc_ids == (doc,)
    assert doc not in next(s for s in alone.stories if s.story_id == big.story_id).doc_ids
    back = apply_corrections(
        seed_dossier, (_fix(1, "story_move", doc, ""), _fix(2, "story_move", doc, big.story_id))
    )
    assert doc in next(s for s in back.stories if s.story_id == big.story_id).doc_ids
    assert not any(s.story_id == own_story_id(doc) for s in back.stories)
    nowhere = apply_corrections(seed_dossier, (_fix(1, "story_move", doc, "story-missing"),))
    assert nowhere.stories == seed_dossier.stories  # no such story: nothing moves
