"""Corpus stages under time budgets (issue #29): a stage that has spent its budget skips
its remaining stories, each an ``ST217`` warning, and the dossier is otherwise complete --
in one process and with worker processes (the driver's deadline travels with each
task), for the story stages, story clustering and the verdicts. Budgets are made tiny
(a nanosecond) so every check finds them spent: nothing here depends on how fast the
machine is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.helpers import SEEDS, body_document

from storytrace import api
from storytrace.pipeline.budget import Cut, StageBudgets, run_stage, taken, within
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.pool import WorkerPool
from storytrace.records import Dossier, RunInfo, Story
from storytrace.stages import budget
from storytrace.stages.lineage.disagreements import sentence_number_conflicts
from storytrace.stages.lineage.verdicts import story_verdicts

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

    done = run_stage("disagreements.rules.v5", ("disagreements",), TINY, stage)
    warnings = [d for d in done.diagnostics if d.code == "ST217"]
    assert [w.severity.value for w in warnings] == ["warning", "warning"]
    assert all(w.source == "disagreements.rules.v5" for w in warnings)
    assert ["story-a" in warnings[0].message, "story-b" in warnings[1].message] == [True, True]
    assert "the disagreements of story-a were not computed" in warnings[0].message
    assert done.documents == DOCS and done.stories == STORIES
    untouched = run_stage("disagreements.rules.v5", ("disagreements",), 600, stage)
    assert untouched.diagnostics == () and len(untouched.disagreements) == 2


def test_stage_budgets_by_family() -> None:
    budgets = StageBudgets(claims=5)
    assert budgets.seconds("claims.align.v7") == 5
    assert budgets.seconds("timeline.timex.v3") == StageBudgets().timeline
    assert budgets.seconds("stories.cluster.v3") == StageBudgets().stories
    assert budgets.seconds("dedup.minhash.v1") == 0  # not budgeted
    # A budget covers 200 articles and grows in proportion beyond: a large ordinary run
    # (3,000 articles take 15 times the work of 200 at least) is never cut for its size.
    assert budgets.seconds("claims.align.v7", 150) == 5
    assert budgets.seconds("claims.align.v7", 3000) == 75
    assert StageBudgets(articles=1000).seconds("claims.align.v7", 3000) == 1800
    assert budgets.seconds("dedup.minhash.v1", 3000) == 0


def test_a_runs_deadline_grows_with_its_articles() -> None:
    import time

    from storytrace.pipeline.budget import deadline
    from storytrace.pipeline.work import CorpusRun

    config = AnalyzeConfig(budgets=StageBudgets(claims=5))
    small, large = CorpusRun(config, articles=20), CorpusRun(config, articles=3000)
    now = time.monotonic()
    assert deadline(small, "claims.align.v7") - now < 6  # 5 s from when it was asked
    assert deadline(large, "claims.align.v7") - now > 70  # 75 s from when it was asked


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
    claims_cut = {m for d in cut if d.source == "claims.align.v7" for m in many if m in d.message}
    assert claims_cut == many
    assert {d.source for d in cut} >= {"claims.align.v7", "timeline.timex.v3"}
    # the verdicts still ran: a story whose claims were cut has no count, and says why
    lines = {v.story_id: v.line for v in dossier.verdicts}
    assert all("claims not computed" in lines[m] for m in many)
    assert all(not v.origins and v.main_claim_id is None for v in dossier.verdicts)
    out = tmp_path / "out"
    api.write_dossier(dossier, out)
    html = (out / "dossier.html").read_text(encoding="utf-8")
    assert "ST217" in html and all(story in html for story in many)


# --- budgets with worker processes, stories, provenance (issue #29, round three) ------


def _story_loop(story_ids: tuple[str, ...]) -> tuple[str, ...]:
    """A stage's story loop, as run in a worker: the stories it computed."""
    return tuple(s for s in story_ids if not budget.spent(s))


def test_a_worker_runs_under_the_drivers_deadline_and_its_skips_become_warnings() -> None:
    base = Dossier(RunInfo("test", (), 4, 4, 0), DOCS, stories=STORIES)
    ids = tuple(s.story_id for s in STORIES)
    with WorkerPool(2) as pool:

        def stage(end: float) -> Dossier:
            future = pool.submit(_story_loop_within, (ids, end))
            assert taken(pool.result(future)) in ((), ids)
            return base

        spent = run_stage("claims.align.v7", ("claims",), TINY, lambda: stage(budget.deadline()))
        kept = run_stage("claims.align.v7", ("claims",), 600, lambda: stage(budget.deadline()))
    cut = [d.message for d in spent.diagnostics if d.code == "ST217"]
    assert len(cut) == 2 and "story-a" in cut[0] and "story-b" in cut[1]
    assert all("the claims of" in m and "budget 1e-09 s" in m for m in cut)
    assert kept.diagnostics == ()  # 600 s: the worker computed both stories


def _story_loop_within(job: tuple[tuple[str, ...], float]) -> Cut[tuple[str, ...]]:
    ids, end = job
    return within(end, lambda: _story_loop(ids))


def _stories_only(**budgets: float) -> AnalyzeConfig:
    stages = ("dedup.minhash.v1", "stories.cluster.v3")
    return AnalyzeConfig(corpus_stages=stages, budgets=StageBudgets(**budgets))


def test_stories_cut_short_leave_each_article_a_story_named_in_a_warning(
    tmp_path: Path,
) -> None:
    full = api.analyze([SEEDS], _stories_only(), workers=2)
    grouped = [s for s in full.stories if len(s.doc_ids) > 1]
    assert grouped, "the seeds hold a story of several articles"
    assert not [d for d in full.diagnostics if d.code == "ST217"]
    cut = api.analyze([SEEDS], _stories_only(stories=TINY), workers=2)
    assert all(len(s.doc_ids) == 1 for s in cut.stories)  # never a guessed grouping
    assert len(cut.stories) == len(full.documents)
    warnings = [d for d in cut.diagnostics if d.code == "ST217"]
    assert all(w.source == "stories.cluster.v3" for w in warnings)
    assert all("the clustering was cut short" in w.message for w in warnings)
    alone = {s.doc_ids[0]: s.story_id for s in cut.stories}
    for story in grouped:  # each story not computed: its articles' stories in one warning
        named = [w for w in warnings if all(alone[d] in w.message for d in story.doc_ids)]
        assert len(named) == 1, story.story_id
    out = tmp_path / "out"
    api.write_dossier(cut, out)
    assert "ST217" in (out / "dossier.html").read_text(encoding="utf-8")
    same = api.analyze([SEEDS], _stories_only(stories=0), workers=1)  # 0: no budget
    assert same.stories == full.stories and same.diagnostics == full.diagnostics


def test_verdicts_cut_short_are_absent_and_named_never_a_count() -> None:
    stories = (*STORIES, _story("story-c", "c1"))
    with budget.running(0):
        verdicts = story_verdicts(stories, (), ())
    assert [v.story_id for v in verdicts] == ["story-a", "story-b", "story-c"]
    with budget.running(TINY) as clock:
        assert story_verdicts(stories, (), ()) == ()
    assert clock.cut == ["story-a", "story-b", "story-c"]

    def stage() -> Dossier:
        base = Dossier(RunInfo("test", (), 5, 5, 0), DOCS, stories=stories)
        return replace(base, verdicts=story_verdicts(stories, (), ()))

    done = run_stage("provenance.origins.v2", ("provenance",), TINY, stage)
    assert done.verdicts == ()
    messages = [d.message for d in done.diagnostics if d.code == "ST217"]
    assert len(messages) == len(stories)
    assert all(f"the verdict of {s.story_id}" in m for s, m in zip(stories, messages, strict=True))
    # a story whose claims were cut short: its verdict says so, never "no claim found"
    uncounted = story_verdicts(STORIES, (), (), uncounted=frozenset({"story-a"}))
    assert "claims not computed" in uncounted[0].line and uncounted[0].origins == ()
    assert "no claim carried by two articles found" in uncounted[1].line


@pytest.mark.model
def test_tiny_budgets_with_two_workers_name_every_story_not_computed(
    tmp_path: Path, seed_json: dict[str, object]
) -> None:
    tiny = StageBudgets(claims=TINY, disagreements=TINY, timeline=TINY, provenance=TINY)
    config = AnalyzeConfig(budgets=tiny)
    dossier = api.analyze([SEEDS], config, workers=2)
    data = api.to_json_data(dossier)
    ids = [d["doc_id"] for d in data["documents"]]  # type: ignore[index]
    assert ids == [d["doc_id"] for d in seed_json["documents"]]  # type: ignore[index, union-attr]
    for key in ("stories", "entities", "quotes"):  # documents: no date inferred (timeline)
        assert data[key] == seed_json[key], key
    # drift keeps its own budget: the claim tasks that carried it were skipped, so the
    # drift stage computed it story by story, the same as in a run without budgets
    assert data["drift"] == seed_json["drift"]
    cut = [d for d in dossier.diagnostics if d.code == "ST217"]
    assert all(d.severity.value == "warning" for d in cut)
    full = seed_json
    for source, section in (
        ("claims.align.v7", "claims"),
        ("disagreements.rules.v5", "disagreements"),
        ("timeline.timex.v3", "timeline"),
        ("provenance.origins.v2", "verdicts"),
    ):
        assert data[section] == [], section
        named = {s["story_id"] for s in full["stories"] if any(  # type: ignore[index, union-attr]
            s["story_id"] in d.message for d in cut if d.source == source
        )}  # fmt: skip
        had = {item["story_id"] for item in full[section]}  # type: ignore[index, union-attr]
        assert had and had <= named, section  # every story not computed is named
    many = {s.story_id for s in dossier.stories if len(s.doc_ids) > 1}
    claims_cut = {m for d in cut if d.source == "claims.align.v7" for m in many if m in d.message}
    assert claims_cut == many
    out = tmp_path / "out"
    api.write_dossier(dossier, out)
    assert "ST217" in (out / "dossier.html").read_text(encoding="utf-8")
    # everything due is cut at once, so here the result does not depend on the workers
    one = api.to_json_data(api.analyze([SEEDS], config, workers=1))
    two = dict(data)
    assert sorted(map(str, one.pop("diagnostics"))) == sorted(map(str, two.pop("diagnostics")))  # type: ignore[call-overload]
    assert one == two
