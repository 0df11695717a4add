"""``analyze --workers N``: the same dossier byte for byte with any number of workers,
results in input order whichever worker is faster, progress drawn before any article is done."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from tests.helpers import SEEDS
from tests.terminal import STORYTRACE, run_in_pty

from storytrace import api
from storytrace.errors import StorytraceError
from storytrace.models.services import Services
from storytrace.pipeline import ahead, cpu
from storytrace.pipeline.ahead import DriftTask
from storytrace.pipeline.budget import Cut
from storytrace.pipeline.by_story import drift_parts, join_drift
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.pool import WorkerFailure, WorkerPool, kind_of, where
from storytrace.pipeline.work import CorpusRun
from storytrace.records import Diagnostic
from storytrace.stages.lineage.drift import find_drift

ECB = Path(__file__).resolve().parents[2] / "shared" / "data" / "ecbplus-stories" / "articles.jsonl"


def _slow_square(n: int) -> int:
    time.sleep(0.05 * (5 - n) if n < 5 else 0)  # the first tasks finish last
    return n * n


def test_pool_stream_gives_results_in_task_order_not_finishing_order() -> None:
    with WorkerPool(2) as pool:
        assert list(pool.stream(_slow_square, range(8), window=3)) == [n * n for n in range(8)]


def test_pool_map_sized_starts_the_largest_first_and_returns_in_task_order() -> None:
    with WorkerPool(2) as pool:
        assert pool.map_sized(_slow_square, [1, 2, 3, 4], sizes=[1, 9, 3, 5]) == [1, 4, 9, 16]


def _dies(n: int) -> int:
    if n == 2:
        os._exit(9)  # as the kernel's out-of-memory killer ends a worker
    return n


def test_a_worker_that_dies_stops_the_run_with_a_one_line_error() -> None:
    with pytest.raises(StorytraceError) as caught, WorkerPool(2) as pool:
        list(pool.stream(_dies, range(4)))
    assert caught.value.code == "ST151" and "--workers 1" in str(caught.value)


def _raises(n: int) -> int:
    raise ValueError(f"no {n}")


def test_an_exception_in_a_worker_reads_as_it_would_in_one_process() -> None:
    with WorkerPool(2) as pool:
        with pytest.raises(WorkerFailure) as caught:
            pool.result(pool.submit(_raises, 7))
    assert kind_of(caught.value) == "ValueError" and str(caught.value) == "no 7"
    try:
        _raises(7)
    except ValueError as exc:
        assert where(caught.value) == where(exc)  # the line that raised, not the pool's


def _marked(task: DriftTask) -> Cut[str]:
    return Cut(f"drift of {len(task.docs)} documents")


def test_a_stage_started_early_is_used_only_on_the_very_inputs_it_was_given() -> None:
    config = replace(AnalyzeConfig(), corpus_stages=("claims.align.v7", "drift.quotes.v5"))
    docs: Any = ("doc-a", "doc-b")  # stand-ins: only their identity is looked at
    task = DriftTask(docs, (), (), config.lineage.drift)
    with WorkerPool(2) as pool:
        run = CorpusRun(config, pool=pool)
        ahead.start(run, "drift.quotes.v5", "claims.align.v7", _marked, task, task)
        assert ahead.take(run, "drift.quotes.v5", replace(task)) == "drift of 2 documents"
        ahead.start(run, "drift.quotes.v5", "claims.align.v7", _marked, task, task)
        equal_not_same = replace(task, docs=tuple(list(docs)))
        assert ahead.take(run, "drift.quotes.v5", equal_not_same) is None  # computed again
        ahead.start(run, "claims.align.v7", "drift.quotes.v5", _marked, task, task)  # listed before
        assert not run.ahead
        # stages are named by family: a new version of drift is the same stage here
        ahead.start(run, "drift", "claims", _marked, task, task)
        assert ahead.take(run, "drift.quotes.v9", task) == "drift of 2 documents"


def _sleeps(marker: str) -> None:
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)


def test_an_error_on_the_driver_ends_the_running_tasks_too(tmp_path: Path) -> None:
    marker = tmp_path / "pid"
    with pytest.raises(KeyboardInterrupt), WorkerPool(2) as pool:
        pool.submit(_sleeps, str(marker))
        while not marker.exists() or not marker.read_text():
            time.sleep(0.05)
        raise KeyboardInterrupt  # Ctrl-C reaches the driver
    with pytest.raises(ProcessLookupError):
        os.kill(int(marker.read_text()), 0)  # the worker is gone, not finishing its task


def _documents_only(tmp_path: Path) -> list[str]:
    """Seeds, one empty file (a read diagnostic) and one duplicate, in two folders."""
    first, second = tmp_path / "a", tmp_path / "b"
    shutil.copytree(SEEDS, first, ignore=shutil.ignore_patterns("*.md"))
    second.mkdir()
    (second / "empty.txt").write_bytes(b"")
    shutil.copy(next(SEEDS.glob("003_*.txt")), second / "copy.txt")
    return [str(first), str(second)]


def test_documents_and_diagnostics_are_the_same_with_two_workers(tmp_path: Path) -> None:
    config = replace(AnalyzeConfig(), corpus_stages=())
    specs = _documents_only(tmp_path)
    one = api.to_json_data(api.analyze(specs, config, workers=1))
    seen: list[str] = []
    two = api.to_json_data(
        api.analyze(specs, config, lambda r: seen.append(type(r).__name__), workers=2)
    )
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)
    assert one["run"]["documents"] == 5 and len(one["diagnostics"]) == 2
    assert len(seen) == 7 and seen.count(Diagnostic.__name__) == 2  # progress once per input


def test_cli_refuses_zero_workers(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "storytrace", "analyze", str(SEEDS), "--workers", "0",
         "--out", str(tmp_path / "o")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 2 and "--workers" in run.stderr
    assert not (tmp_path / "o" / "dossier.json").exists()


def _corpus(tmp_path: Path) -> Path:
    """The seeds and two ECB+ topics (two events each: stories, claims, conflicts)."""
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder / "seeds", ignore=shutil.ignore_patterns("*.md"))
    if ECB.is_file():
        rows = [json.loads(line) for line in ECB.read_text("utf-8").splitlines() if line]
        picked = [r for r in rows if r["topic"] in ("1", "3")][:24]
        (folder / "ecb.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in picked), encoding="utf-8"
        )
    return folder


@pytest.mark.model
@pytest.mark.slow
def test_same_dossier_bytes_with_one_and_two_workers_in_any_input_order(tmp_path: Path) -> None:
    folder = _corpus(tmp_path)
    specs = sorted(str(p) for p in folder.iterdir())
    one = api.write_dossier(api.analyze(specs, workers=1), tmp_path / "one", workers=1)
    with cpu.measuring() as ledger:
        two = api.write_dossier(api.analyze(specs[::-1], workers=2), tmp_path / "two")
    # the stories and the entities' merge went to the workers while the driver
    # deduplicated (the HTML rendered beside: tests/test_beside.py)
    assert ledger.tasks["stories_ahead"] == ledger.tasks["merge_ahead"] == 1
    data = json.loads(one.json.read_text("utf-8"))
    assert data["run"]["documents"] >= 5 and data["claims"] and data["quotes"]
    assert one.json.read_bytes() == two.json.read_bytes()
    assert one.html.read_bytes() == two.html.read_bytes()
    assert one.markdown.read_bytes() == two.markdown.read_bytes()


@pytest.mark.model
@pytest.mark.slow
def test_terminal_progress_is_drawn_before_any_article_is_finished(tmp_path: Path) -> None:
    run = run_in_pty(
        [STORYTRACE, "analyze", str(SEEDS), "--workers", "2", "--out", str(tmp_path / "o")]
    )
    assert run.returncode == 0, run.text
    counts = re.findall(r"reading\s.*?(\d+)/5", run.text)
    assert counts, run.text
    # The first thing the bar shows is nought done: it was up before the workers
    # had loaded a model or finished an article.
    assert counts[0] == "0"
    assert re.search(r"documents\s+5", run.text)  # and then every article was read


@pytest.mark.model
@pytest.mark.slow
def test_drift_story_by_story_is_drift_over_all_the_stories(tmp_path: Path) -> None:
    """Each story's drift as a worker computes it, joined in story order, is the whole
    stage's result -- also when articles are listed by two stories (they are the first's)."""
    if not ECB.is_file():  # the seeds alone make one story with drift: nothing to split
        pytest.skip("needs ../shared/data/ecbplus-stories for a second story with drift")
    stages = ("dedup.minhash.v1", "stories.cluster.v3", "entities.spacy.v5", "quotes.rules.v4")
    config = replace(AnalyzeConfig(), corpus_stages=stages)
    dossier = api.analyze([str(_corpus(tmp_path))], config, workers=1)
    embed, drift = Services.shared().embed, config.lineage.drift
    whole = find_drift(dossier.documents, dossier.stories, dossier.quotes, drift, embed=embed)
    assert len(whole) >= 3
    with_drift = next(s for s in dossier.stories if s.story_id == whole[0].story_id)
    again = replace(with_drift, story_id="story-listed-again")  # its articles listed twice
    for stories in (dossier.stories, (*dossier.stories, again)):
        expected = find_drift(dossier.documents, stories, dossier.quotes, drift, embed=embed)
        parts = drift_parts(replace(dossier, stories=stories), drift)
        assert expected == whole and len(parts) >= 2
        assert join_drift([ahead.drift(task, embed) for task in parts.values()]) == whole


def _spins(n: int) -> int:
    end = time.process_time() + 0.05 * n  # CPU time, not sleep: the ledger counts CPU
    while time.process_time() < end:
        pass
    return n


def test_the_cpu_ledger_counts_each_task_in_its_worker_and_the_driver_beside_them() -> None:
    with cpu.measuring() as ledger, WorkerPool(2) as pool:
        with cpu.part("stage"):
            assert pool.map_sized(_spins, [1, 4, 2], sizes=[1, 4, 2]) == [1, 4, 2]
            _spins(2)  # the driver alone: no task in flight
    assert ledger.tasks == {"_spins": 3}
    assert ledger.workers["_spins"] >= 0.3 and ledger.largest["_spins"] >= 0.2
    assert ledger.largest["_spins"] < ledger.workers["_spins"]
    assert ledger.driver["stage"] >= 0.1 and ledger.serial >= 0.1
    assert ledger.beside < 0.1  # waiting on the workers costs the driver no CPU
    one = sum(ledger.driver.values()) + ledger.parallel  # what one process would spend
    assert ledger.bound(2) == pytest.approx(
        one / (ledger.serial + (ledger.parallel + ledger.beside) / 2)
    )
    # Wall time of the part by tasks in flight: both workers fed while the 4 and the 2
    # run, one idle while the 4 finishes alone, none in flight while the driver spins.
    levels = ledger.occupancy["stage"]
    assert set(levels) == {"no task", "a worker idle", "every worker busy"}
    assert all(seconds > 0 for seconds in levels.values())
    assert ledger.as_dict()["wall_s"]["stage"].keys() == levels.keys()
    with WorkerPool(2) as pool:  # no ledger: nothing is counted anywhere
        pool.map_sized(_spins, [1], sizes=[1])
    assert ledger.tasks == {"_spins": 3}


@pytest.mark.model
@pytest.mark.slow
def test_stages_not_handed_out_early_run_story_by_story_with_the_same_result(
    tmp_path: Path,
) -> None:
    """With claims.align.v1 nothing is started early: drift and disagreements go to the
    pool at their own turn (``drift_in_pool``, ``conflicts_in_pool``), same bytes."""
    stages = (
        "dedup.minhash.v1", "stories.cluster.v3", "entities.spacy.v5", "quotes.rules.v4",
        "claims.align.v1", "drift.quotes.v5", "disagreements.rules.v5",
    )  # fmt: skip
    config = replace(AnalyzeConfig(), corpus_stages=stages)
    specs = [str(_corpus(tmp_path))]
    one = api.to_json_data(api.analyze(specs, config, workers=1))
    two = api.to_json_data(api.analyze(specs, config, workers=2))
    assert one["drift"] and one["claims"] and one["run"]["stages"][-3:] == list(stages[-3:])
    assert json.dumps(one, sort_keys=True) == json.dumps(two, sort_keys=True)


def test_the_last_inputs_go_to_the_workers_one_a_task_and_diagnostics_keep_their_place() -> None:
    """Four inputs a task, the last ``tail`` one a task (so the workers end the documents
    together); a read diagnostic ends a chunk and comes out where it was read."""
    from storytrace.pipeline.parallel import CHUNK, Chunk, _chunks
    from storytrace.records import RawInput, Severity, SourceRef

    def raw(n: int) -> RawInput:
        return RawInput(SourceRef(f"a{n}.txt"), "text", text=f"article {n}")

    def diag(n: int) -> Diagnostic:
        return Diagnostic("ST001", Severity.WARNING, f"bad{n}.txt", "unreadable")

    items = [diag(0), *map(raw, range(6)), diag(1), *map(raw, range(6, 16))]
    out = list(_chunks(items, AnalyzeConfig(), parse=False, tail=4))
    shape = [[r.source.path for r in o.raws] if isinstance(o, Chunk) else o.source for o in out]
    assert CHUNK == 4
    assert shape == [
        "bad0.txt",
        ["a0.txt", "a1.txt", "a2.txt", "a3.txt"],
        ["a4.txt", "a5.txt"],  # the diagnostic read after a5 ends the chunk
        "bad1.txt",
        ["a6.txt", "a7.txt", "a8.txt", "a9.txt"],
        *[[f"a{n}.txt"] for n in range(10, 16)],  # at least the last four one a task
    ]
    assert [c.raws[0].text for c in out if isinstance(c, Chunk)][-1] == "article 15"


def test_the_stages_that_read_the_parse_are_known_by_family_whatever_their_version() -> None:
    """The workers parse as they build documents, and a store keeps each document's parse,
    for the entity and quote stages; a new version of either (a renamed stage) must not
    silently lose that (each list of names once had to be edited by hand)."""
    from storytrace.pipeline.registry import STAGES
    from storytrace.stages.parse import parsed_sections

    assert parsed_sections(AnalyzeConfig().corpus_stages) == ("entities", "quotes")
    assert parsed_sections(("quotes.rules.v9", "entities.spacy.v7")) == ("entities", "quotes")
    assert parsed_sections(("dedup.minhash.v1", "claims.align.v7")) == ()
    readers = {n for n, spec in STAGES.items() if {"entities", "quotes"} & set(spec.assigns)}
    assert readers and all(parsed_sections((name,)) for name in readers)
