"""Corpus stages under time budgets (issue #29): a stage that has spent its budget skips
its remaining stories, each an ``ST217`` warning, and the dossier is otherwise complete.
Budgets are made tiny (a nanosecond) so every check finds them spent: nothing here
depends on how fast the machine is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.helpers import SEEDS, body_document

from storytrace import api
from storytrace.pipeline.budget import StageBudgets, run_stage
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Dossier, RunInfo, Story
from storytrace.stages import budget
from storytrace.stages.lineage.disagreements import sentence_number_conflicts

TINY = 1e-9


def _same(texts: Sequence[str]) -> NDArray[np.float32]:
    """Every sentence alike (cosine 1): the figures alone decide."""
    return np.ones((len(texts), 4), dtype=np.float32) / 2


def _story(story_id: str, *doc_ids: str) -> Story:
    return Story(story_id, tuple(sorted(doc_ids)), "test")


DOCS = (
    body_document("The fire injured 12 people in the old town on Monday.", "a1"),
    body_document("The fire injured 40 people in the old town on Monday.", "a2"),
    body_document("The storm flooded 30 homes near the river on Tuesday.", "b1"),
    body_document("The storm flooded 90 homes near the river on Tuesday.", "b2"),
)
STORIES = (_story("story-a", "a1", "a2"), _story("story-b", "b1", "b2"))


def test_a_stage_loop_skips_its_stories_once_the_budget_is_spent() -> None:
    full = sentence_number_conflicts(DOCS, STORIES, embed=_same)
    assert {d.story_id for d in full} == {"story-a", "story-b"}
    with budget.running(0) as unlimited:  # 0: no limit
        assert sentence_number_conflicts(DOCS, STORIES, embed=_same) == full
    assert unlimited.cut == []
    with budget.running(TINY) as clock:
        assert sentence_number_conflicts(DOCS, STORIES, embed=_same) == ()
    assert clock.cut == ["story-a", "story-b"]
    assert not budget.spent("story-a")  # no stage running: no clock


def test_each_story_cut_short_is_one_warning_and_the_rest_is_kept() -> None:
    base = Dossier(RunInfo("test", (), 4, 4, 0), DOCS, stories=STORIES)

    def stage() -> Dossier:
        found = sentence_number_conflicts(DOCS, STORIES, embed=_same)
        return replace(base, disagreements=found)

    done = run_stage("disagreements.rules.v3", ("disagreements",), TINY, stage)
    warnings = [d for d in done.diagnostics if d.code == "ST217"]
    assert [w.severity.value for w in warnings] == ["warning", "warning"]
    assert all(w.source == "disagreements.rules.v3" for w in warnings)
    assert ["story-a" in warnings[0].message, "story-b" in warnings[1].message] == [True, True]
    assert "the disagreements of story-a were not computed" in warnings[0].message
    assert done.documents == DOCS and done.stories == STORIES
    untouched = run_stage("disagreements.rules.v3", ("disagreements",), 600, stage)
    assert untouched.diagnostics == () and len(untouched.disagreements) == 2


def test_stage_budgets_by_family() -> None:
    budgets = StageBudgets(claims=5)
    assert budgets.seconds("claims.align.v3") == 5
    assert budgets.seconds("timeline.timex.v1") == StageBudgets().timeline
    assert budgets.seconds("stories.cluster.v3") == 0  # not budgeted


@pytest.mark.model
def test_tiny_budgets_give_a_complete_dossier_that_says_what_was_cut(
    tmp_path: Path, seed_json: dict[str, object]
) -> None:
    tiny = StageBudgets(claims=TINY, drift=TINY, disagreements=TINY, timeline=TINY)
    dossier = api.analyze([SEEDS], AnalyzeConfig(budgets=tiny), workers=1)  # budgets: in-process
    data = api.to_json_data(dossier)
    # the stages without a budget, and the documents, are as in an unbudgeted run
    assert [d["doc_id"] for d in data["documents"]] == [d["doc_id"] for d in seed_json["documents"]]  # type: ignore[index]
    for key in ("stories", "entities", "quotes"):
        assert data[key] == seed_json[key], key
    assert data["claims"] == [] and data["drift"] == [] and data["timeline"] == []
    cut = [d for d in dossier.diagnostics if d.code == "ST217"]
    assert cut and all(d.severity.value == "warning" for d in cut)
    many = {s.story_id for s in dossier.stories if len(s.doc_ids) > 1}
    assert many, "the seeds hold a story of several articles"
    claims_cut = {m for d in cut if d.source == "claims.align.v3" for m in many if m in d.message}
    assert claims_cut == many
    assert {d.source for d in cut} >= {"claims.align.v3", "timeline.timex.v1"}
    out = tmp_path / "out"
    api.write_dossier(dossier, out)
    html = (out / "dossier.html").read_text(encoding="utf-8")
    assert "ST217" in html and all(story in html for story in many)
