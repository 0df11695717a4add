"""The pipeline end to end on the seeds: documents, diagnostics, failure isolation, determinism."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from storytrace import api
from storytrace.errors import ConfigError, InputError, Reason
from storytrace.pipeline import registry
from storytrace.pipeline.config import DEFAULT_PIPELINE, AnalyzeConfig
from storytrace.pipeline.registry import check_order
from storytrace.pipeline.run import process
from storytrace.pipeline.work import DocumentWork
from storytrace.records import Diagnostic, Document, RawInput, SourceRef, codec


@pytest.mark.model
def test_pipeline_reads_every_seed(seed_dossier) -> None:  # type: ignore[no-untyped-def]
    assert seed_dossier.run.documents == 5 and seed_dossier.run.failed == 0
    assert all(doc.text.strip() for doc in seed_dossier.documents)


@pytest.mark.model
def test_pipeline_body_maps_back_to_page_text(seed_dossier) -> None:  # type: ignore[no-untyped-def]
    for doc in seed_dossier.documents:
        for seg in doc.segments:
            if seg.is_body:
                assert seg.text_start is not None
                piece = doc.page_text[seg.start : seg.end]
                assert doc.text[seg.text_start : seg.text_start + len(piece)] == piece


@pytest.mark.model
def test_pipeline_goes_on_after_bad_files_and_counts_them(tmp_path: Path, seeds_dir: Path) -> None:
    shutil.copy(next(seeds_dir.glob("001_*.txt")), tmp_path / "good.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    dossier = api.analyze([tmp_path, tmp_path / "missing.txt"])
    assert dossier.run.documents == 1 and dossier.run.failed == 3
    codes = sorted(d.code for d in dossier.diagnostics)
    assert codes == sorted([Reason.EMPTY.value, Reason.BINARY.value, Reason.NOT_FOUND.value])


def test_pipeline_raises_input_error_with_reasons_when_nothing_is_readable(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(InputError) as info:
        api.analyze([tmp_path])
    assert info.value.code == "ST101"
    assert [d.code for d in info.value.diagnostics] == [Reason.EMPTY.value]


def _swap_stage(monkeypatch: pytest.MonkeyPatch, name: str, run: object) -> None:
    """Replace a registered stage's implementation for one test."""
    monkeypatch.setitem(registry.STAGES, name, replace(registry.STAGES[name], run=run))


def test_pipeline_turns_a_stage_crash_into_a_diagnostic(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
        raise RuntimeError("boom")

    _swap_stage(monkeypatch, "boilerplate.text.v1", explode)
    result = process(
        RawInput(SourceRef("x.txt"), "text", text="Some text.", content_hash="0" * 16),
        AnalyzeConfig(),
    )
    assert isinstance(result, Diagnostic) and result.code == Reason.STAGE_FAILED.value
    assert "RuntimeError: boom" in result.message and result.source == "x.txt"


@pytest.mark.model
def test_pipeline_analyses_identical_inputs_once(tmp_path: Path, seeds_dir: Path) -> None:
    seed = next(seeds_dir.glob("003_*.txt"))
    shutil.copy(seed, tmp_path / "a.txt")
    shutil.copy(seed, tmp_path / "b.txt")
    dossier = api.analyze([tmp_path])
    assert dossier.run.documents == 1
    assert [d.code for d in dossier.diagnostics] == [Reason.DUPLICATE_INPUT.value]


@pytest.mark.model
def test_pipeline_output_is_deterministic_across_input_order(seeds_dir: Path) -> None:
    files = sorted(seeds_dir.glob("*.txt"))
    one = codec.dumps(api.to_json_data(api.analyze(files)))
    two = codec.dumps(api.to_json_data(api.analyze(list(reversed(files)))))
    assert one == two


@pytest.mark.parametrize(
    ("names", "code"),
    [(("ingest.files.v1", "nope.v1"), "ST110"), (("metadata.merge.v1",), "ST111")],
)
def test_pipeline_checks_stage_order_at_startup(names: tuple[str, ...], code: str) -> None:
    with pytest.raises(ConfigError) as info:
        check_order(names)
    assert info.value.code == code


def test_pipeline_time_limit_skips_a_slow_document_and_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import re as regex

    real_clean = registry.STAGES["boilerplate.text.v1"].run

    def slow_clean(work: DocumentWork, config: AnalyzeConfig):  # type: ignore[no-untyped-def]
        if "slow" in (work.raw.text or ""):
            regex.match(r"(a+)+$", "a" * 40 + "b")  # catastrophic backtracking: minutes
        return real_clean(work, config)  # type: ignore[call-arg, arg-type]

    _swap_stage(monkeypatch, "boilerplate.text.v1", slow_clean)
    config = replace(AnalyzeConfig(), doc_timeout_s=0.5)

    def ordinary() -> Document | Diagnostic:
        raw = "An ordinary sentence of an article.\n"
        return process(
            RawInput(SourceRef("ok.txt"), "text", text=raw, content_hash="2" * 16), config
        )

    # Warm: a cold first document (imports, caches) can take longer than 0.5 s on a loaded
    # machine; the milliseconds a warm one takes cannot.
    ordinary()
    slow = process(
        RawInput(SourceRef("slow.txt"), "text", text="slow text here.", content_hash="1" * 16),
        config,
    )
    assert (
        isinstance(slow, Diagnostic)
        and slow.code == Reason.TIMEOUT.value
        and slow.source == "slow.txt"
    )
    assert not isinstance(ordinary(), Diagnostic)  # the time limit is the document's, not the run's


def test_pipeline_time_limit_counts_cpu_not_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document that waits (as on a loaded machine, where it waits for a core) past the
    limit is kept: the limit is CPU time, so load alone never changes the dossier."""
    import time

    real_clean = registry.STAGES["boilerplate.text.v1"].run

    def waiting_clean(work: DocumentWork, config: AnalyzeConfig):  # type: ignore[no-untyped-def]
        time.sleep(1.0)  # twice the limit in wall time, almost no CPU
        return real_clean(work, config)  # type: ignore[call-arg, arg-type]

    _swap_stage(monkeypatch, "boilerplate.text.v1", waiting_clean)
    config = replace(AnalyzeConfig(), doc_timeout_s=0.5)
    raw = RawInput(SourceRef("wait.txt"), "text", text="A sentence.\n", content_hash="3" * 16)
    assert isinstance(process(raw, config), Document)


HTML_PAGE = (
    "<html><body><article><p>"
    + "A sentence of the article body. " * 20
    + "</p></article></body></html>"
)


def test_pipeline_runs_only_the_configured_document_stages(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "page.html").write_text(HTML_PAGE)
    shutil.copy(next(seeds_dir.glob("001_*.txt")), tmp_path / "dump.txt")
    without_html = tuple(n for n in DEFAULT_PIPELINE if n != "boilerplate.html.v1")
    config = replace(AnalyzeConfig(), pipeline=without_html, corpus_stages=())
    dossier = api.analyze([tmp_path], config)
    # The HTML page is not cleaned by anything else, and says so; the dump goes on.
    assert [d.format for d in dossier.documents] == ["text"]
    (problem,) = [d for d in dossier.diagnostics if d.code == Reason.NO_STAGE.value]
    assert problem.source.endswith("page.html") and "html input" in problem.message
    assert "boilerplate.html.v1" not in dossier.run.stages
    assert dossier.run.stages == (
        "ingest.files.v1", "boilerplate.text.v1", "metadata.html.v1", "metadata.text.v1",
        "metadata.merge.v1",
    )  # fmt: skip


def test_pipeline_lists_exactly_the_stages_that_ran(seeds_dir: Path) -> None:
    config = replace(AnalyzeConfig(), corpus_stages=("dedup.minhash.v1", "stories.cluster.v3"))
    dossier = api.analyze([seeds_dir], config)  # text dumps only: no HTML stage applies
    assert dossier.run.stages == (
        "ingest.files.v1", "boilerplate.text.v1", "metadata.text.v1", "metadata.merge.v1",
        "dedup.minhash.v1", "stories.cluster.v3",
    )  # fmt: skip
    assert dossier.sections_computed == ("documents", "stories")
    assert dossier.quotes == () and dossier.claims == ()


@pytest.mark.model
def test_pipeline_a_failing_corpus_stage_is_a_diagnostic_and_its_dependents_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, seeds_dir: Path
) -> None:
    def explode(dossier: object, run: object) -> None:
        raise RuntimeError("stories broke")

    _swap_stage(monkeypatch, "stories.cluster.v3", explode)
    stages = ("dedup.minhash.v1", "stories.cluster.v3", "quotes.rules.v4", "drift.quotes.v5")
    dossier = api.analyze([seeds_dir], replace(AnalyzeConfig(), corpus_stages=stages))
    assert dossier.run.stages[-2:] == ("dedup.minhash.v1", "quotes.rules.v4")
    assert dossier.sections_computed == ("documents", "quotes")
    problems = {d.source: d.message for d in dossier.diagnostics if d.code == "ST215"}
    assert "RuntimeError: stories broke" in problems["stories.cluster.v3"]
    assert "not run: needs stories" in problems["drift.quotes.v5"]
    assert dossier.quotes  # the stages that did not need the broken one still ran


def test_pipeline_rejects_a_corpus_stage_whose_needs_come_later() -> None:
    config = replace(AnalyzeConfig(), corpus_stages=("claims.align.v1", "stories.cluster.v3"))
    with pytest.raises(ConfigError) as info:
        api.analyze(["examples/seeds"], config)
    assert info.value.code == "ST111" and "claims.align.v1" in info.value.message


@pytest.mark.model
def test_pipeline_lists_do_not_depend_on_file_names(tmp_path: Path, seeds_dir: Path) -> None:
    # The same articles renamed so they sort in reverse: every list of the dossier in the
    # same order, every value the same, but for the paths themselves.
    seeds = sorted(seeds_dir.glob("*.txt"))
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for i, seed in enumerate(seeds):
        shutil.copy(seed, tmp_path / "a" / f"{i}.txt")
        shutil.copy(seed, tmp_path / "b" / f"{len(seeds) - i}.txt")

    def without_paths(folder: Path, names: dict[str, str]) -> str:
        data = api.to_json_data(api.analyze([folder]))
        for doc in data["documents"]:
            doc["source"] = None
        text = codec.dumps(data)
        for name, seed in names.items():  # an article without outlet or title is named by
            text = text.replace(name, seed)  # its file ("reported by 3.txt"): a path too
        return text

    first = {f"{i}.txt": f"seed {i}" for i in range(len(seeds))}
    second = {f"{len(seeds) - i}.txt": f"seed {i}" for i in range(len(seeds))}
    assert without_paths(tmp_path / "a", first) == without_paths(tmp_path / "b", second)
