"""`storytrace correct` at a terminal: add a correction, list it, undo it, as a reporter would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.terminal import STORYTRACE, Terminal, run_in_pty

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig

pytestmark = pytest.mark.model


def _listed(db: Path) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "storytrace", "correct", "list", "--db", str(db), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    found: list[dict[str, object]] = json.loads(done.stdout)
    return found


def test_correct_adds_lists_and_undoes_a_correction(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    api.ingest([seeds_dir], db)
    dossier = api.dossier_from_store(db)
    quote = next(q for q in dossier.quotes if q.speaker_resolved or q.speaker_text)
    printed = quote.speaker_resolved or quote.speaker_text
    wide = Terminal(columns=200)

    added = run_in_pty(
        [STORYTRACE, "correct", "add", "--db", str(db), "--kind", "quote_speaker",
         "--target", quote.quote_id, "--value", "Jane Roe", "--who", "ed", "--why", "named in the video"],
        terminal=wide,
    )  # fmt: skip
    assert added.returncode == 0, added.text
    assert f"correction 1: quote_speaker {quote.quote_id}: {printed} → Jane Roe" in added.text
    assert "warning" not in added.text
    after = api.dossier_from_store(db)
    assert (
        next(q for q in after.quotes if q.quote_id == quote.quote_id).speaker_resolved == "Jane Roe"
    )

    listed = run_in_pty([STORYTRACE, "correct", "list", "--db", str(db)], terminal=wide)
    assert listed.returncode == 0 and "1 corrections in" in listed.text
    assert "Jane Roe" in listed.text and "named in the video" in listed.text

    undone = run_in_pty(
        [STORYTRACE, "correct", "undo", "1", "--db", str(db), "--who", "ed", "--why", "wrong person"],
        terminal=wide,
    )  # fmt: skip
    assert undone.returncode == 0 and "correction 1 undone (correction 2, ed," in undone.text
    rows = _listed(db)
    assert [(r["id"], r["kind"], r["undone"], r["who"]) for r in rows] == [
        (2, "undo", False, "ed"), (1, "quote_speaker", True, "ed"),
    ]  # fmt: skip
    assert rows[0]["why"] == "wrong person" and rows[1]["before"] == printed
    assert api.dossier_from_store(db).quotes == dossier.quotes  # the fix no longer applies

    again = run_in_pty(
        [STORYTRACE, "correct", "undo", "1", "--db", str(db), "--why", "twice"], terminal=wide
    )
    assert again.returncode == 3 and "ST181" in again.text


def test_correct_refuses_a_meaningless_correction_and_warns_of_an_unknown_target(
    tmp_path: Path, seeds_dir: Path
) -> None:
    db = tmp_path / "docs.duckdb"
    api.ingest([seeds_dir], db, AnalyzeConfig(corpus_stages=()))
    stance = run_in_pty(
        [STORYTRACE, "correct", "add", "--db", str(db), "--kind", "mention_stance",
         "--target", "c1/0123456789abcdef/4", "--value", "maybe", "--why", "x"],
    )  # fmt: skip
    assert stance.returncode == 3 and "ST180" in stance.text
    unknown = run_in_pty(
        [STORYTRACE, "correct", "add", "--db", str(db), "--kind", "story_move",
         "--target", "0123456789abcdef", "--why", "its own event", "--who", "ed"],
        terminal=Terminal(columns=200),
    )  # fmt: skip
    assert unknown.returncode == 0 and "is not in the store's analysis" in unknown.text


def test_correct_with_a_mistyped_store_path_makes_no_store(tmp_path: Path) -> None:
    """``--db`` naming no store is ST143: a correction must not go into a new, empty store."""
    typo = tmp_path / "typo.duckdb"
    for args in (
        ["add", "--kind", "story_move", "--target", "0123456789abcdef", "--why", "x", "--who", "ed"],
        ["undo", "1", "--why", "x", "--who", "ed"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "storytrace", "correct", *args, "--db", str(typo)],
            capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 3 and "ST143" in done.stderr, done.stderr
        assert not typo.exists()
