"""The browsing database copied from the store's tables equals the one projected from the
whole dossier, corrections included, and is cached beside the store per state."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from tests.web.servers import make_store

from storytrace import api
from storytrace.records.corrections import Draft
from storytrace.store import Store
from storytrace.store import corrections as stored
from storytrace.web import browse_db

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    return make_store(tmp_path_factory.mktemp("build"), seeds_dir)


def _tables(path: Path) -> dict[str, list[tuple[object, ...]]]:
    con = sqlite3.connect(path)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%'"
            )
        ]
        return {n: con.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        con.close()


def _both(db: Path, folder: Path) -> tuple[dict[str, list[tuple[object, ...]]], ...]:
    """The tables projected from the whole dossier, copied with the corrections, and
    copied without them then corrected (what ``serve`` does after a correction)."""
    whole = browse_db.build_sqlite(api.dossier_from_store(db), folder / "whole.db")
    with Store(db, read_only=True) as st:
        fixes = stored.load(st.con)
        copied = browse_db.build_sqlite_from_store(st, folder / "copied.db", fixes)
        base = browse_db.build_sqlite_from_store(st, folder / "base.db")
        corrected = browse_db.correct_sqlite(base, st, folder / "corrected.db", fixes)
    return _tables(whole), _tables(copied), _tables(corrected)


def test_the_copy_of_the_store_equals_the_projection_of_the_dossier(
    store: Path, tmp_path: Path
) -> None:
    whole, copied, corrected = _both(store, tmp_path)
    assert corrected == copied
    assert set(whole) == set(copied) >= {"quotes", "claims", "sources", "outlets", "documents"}
    for name in whole:
        assert copied[name] == whole[name], name
    con = sqlite3.connect(tmp_path / "copied.db")
    hits = con.execute("SELECT count(*) FROM quotes_fts WHERE quotes_fts MATCH '\"homes\"'")
    assert hits.fetchone() == (1,)


def test_corrections_are_laid_over_the_copied_rows(store: Path, tmp_path: Path) -> None:
    db = tmp_path / "fixed.duckdb"
    shutil.copy(store, db)
    whole = api.dossier_from_store(db)
    claim = next(c for c in whole.claims if len(c.mentions) > 1)
    mention = claim.mentions[0]
    quote = next(q for q in whole.quotes if q.speaker_resolved or q.speaker_text)
    big = max(whole.stories, key=lambda s: len(s.doc_ids))
    a, b = whole.entities[0], whole.entities[1]
    drafts = [
        Draft("quote_speaker", quote.quote_id, "", "Jane Corrected", "ed", "named later"),
        Draft("mention_stance", f"{claim.claim_id}/{mention.span.doc_id}/{mention.span.start}",
              mention.polarity, "negated", "ed", "it denies it"),
        Draft("claim_origin", f"{claim.claim_id}/{claim.origins[0].key}", "", "The Agency", "ed", "x"),
        Draft("story_move", big.doc_ids[-1], big.story_id, "", "ed", "another event"),
        Draft("entity_merge", b.entity_id, "", a.entity_id, "ed", "one person"),
        Draft("entity_split", a.entity_id, "", b.mentions[0].text, "ed", "two after all"),
        Draft("quote_speaker", quote.quote_id, "", "Undone Name", "ed", "wrong"),
    ]  # fmt: skip
    with Store(db) as st:
        for draft in drafts:
            stored.add(st.con, draft)
        stored.undo(st.con, len(drafts), "ed", "my mistake")
    whole_rows, copied, corrected = _both(db, tmp_path)
    assert corrected == copied
    for name in whole_rows:  # an entity split out is listed last, not beside its entity
        assert sorted(map(repr, copied[name])) == sorted(map(repr, whole_rows[name])), name
    for built in ("copied.db", "corrected.db"):
        con = sqlite3.connect(tmp_path / built)
        speakers = {r[0] for r in con.execute("SELECT source_id FROM quotes")}
        assert browse_db.source_id("Jane Corrected") in speakers
        assert browse_db.source_id("Undone Name") not in speakers
        # the full-text indexes follow the corrected rows
        found = "SELECT count(*) FROM {0}_fts WHERE {0}_fts MATCH ?"
        assert con.execute(found.format("quotes"), ['"Corrected"']).fetchone() == (1,)
        assert con.execute(found.format("sources"), ['"Corrected"']).fetchone() == (1,)
        assert con.execute(found.format("quotes"), ['"Undone"']).fetchone() == (0,)
        con.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('integrity-check')")
        con.execute("INSERT INTO claims_fts(claims_fts) VALUES ('integrity-check')")
    moved = [r for r in copied["stories"] if r[0] == f"story-{big.doc_ids[-1]}"]
    assert len(moved) == 1
