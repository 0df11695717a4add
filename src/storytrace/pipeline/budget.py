"""Time budgets of the corpus stages: a stage that runs out degrades story by story.

Each budgeted corpus stage runs under a clock (``stages/budget.py``) of its family's
budget (``AnalyzeConfig.budgets``: stories, claims, drift, disagreements, timeline,
provenance). The stage's loops ask the clock before each story (the stories stage:
before each topic group of its second pass); once the budget is spent the remaining
ones are skipped, and each skipped one becomes one ``ST217`` warning naming the stage,
the story and what was not computed for it. The dossier stays complete: every other
story, and every other stage, is as it would have been. A story begun before the
budget ran out is finished (the check is cooperative, between stories; no signal, so
it works in threads and worker processes).

The budget is a property of the run: the driver owns the clock. A family's deadline
(:func:`deadline`) is set when its work first starts -- when the stage runs, or earlier
when its work is handed to the worker pool ahead of it (``pipeline/ahead.py``) -- and
every worker task of that family carries it: a task started after it skips its story
and says so (:class:`Cut`), and the driver adds what its tasks skipped to the stage's
clock (:func:`taken`). Which stories are cut therefore depends on time and on how many
workers share the work; what holds whatever the timing is that every story is either
complete or named in one ``ST217`` warning of the stage, and the report is written.

The defaults are far above what a stage takes (docs/benchmarks.md, "Time budgets"), so
ordinary runs never meet them; they bound a pathological input. Stages not listed here
(dedup, the parse) have none.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Generic, Protocol, TypeVar

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, Dossier, Severity
from storytrace.stages import budget

R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class StageBudgets:
    """Seconds each corpus stage family may run before it skips its remaining stories.

    A family is the first part of a stage's name (``claims`` for ``claims.align.v7``);
    ``0`` disables that budget. Each budget covers a run of up to ``articles`` articles
    and grows in proportion beyond it (a stage's work grows at least with the articles:
    3,000 articles get 15 times the seconds), so a large ordinary run is never cut.

    Attributes:
        stories (float): story clustering; once spent, the topic groups not yet split
            leave each of their articles a story of its own.
        claims (float): claim alignment.
        drift (float): quote drift.
        disagreements (float): disagreements.
        timeline (float): inferred dates and the timeline.
        provenance (float): the stories' verdicts (main claim, independent origins).
        articles (int): the run size each budget covers as it is.
    """

    stories: float = 300.0
    claims: float = 600.0
    drift: float = 300.0
    disagreements: float = 300.0
    timeline: float = 300.0
    provenance: float = 120.0
    articles: int = 200

    def seconds(self, stage: str, articles: int = 0) -> float:
        """The budget of ``stage`` (a registered name) in a run of ``articles``; 0: none."""
        base = float(getattr(self, stage.split(".")[0], 0.0))
        return base * max(1.0, articles / max(1, self.articles))


class _Configured(Protocol):
    @property
    def budgets(self) -> StageBudgets: ...


class Run(Protocol):
    """What a run holds for its budgets (``pipeline.work.CorpusRun``)."""

    @property
    def config(self) -> _Configured: ...

    @property
    def clocks(self) -> dict[str, float]: ...

    @property
    def cut(self) -> dict[str, tuple[str, ...]]: ...

    @property
    def articles(self) -> int: ...


def deadline(run: Run, stage: str) -> float:
    """The deadline of ``stage``'s family in this run (``time.monotonic()``; ``inf``: none).

    Set the first time it is asked for -- when the family's work starts, on the driver
    or handed to the workers ahead -- and the same for the rest of the run.
    """
    family = stage.split(".")[0]
    if family not in run.clocks:
        run.clocks[family] = budget.deadline_in(run.config.budgets.seconds(stage, run.articles))
    return run.clocks[family]


@dataclass(frozen=True, slots=True)
class Cut(Generic[R]):
    """What a worker task run under a deadline gives back: its value, the units it skipped.

    Attributes:
        value (R): what the task's function returned.
        cut (tuple[str, ...]): the units (story ids) skipped once the deadline passed.
    """

    value: R
    cut: tuple[str, ...] = ()


def within(end: float, work: Callable[[], R]) -> Cut[R]:
    """Run ``work`` under the deadline ``end`` (in a worker): its value and what it skipped."""
    with budget.until(end) as clock:
        value = work()
    return Cut(value, tuple(clock.cut))


def taken(done: Cut[R]) -> R:
    """A worker's result on the driver: what it skipped goes to the running stage's clock."""
    budget.record(done.cut)
    return done.value


def run_stage(
    name: str,
    sections: tuple[str, ...],
    seconds: float,
    stage: Callable[[], Dossier],
    run: Run | None = None,
) -> Dossier:
    """Run one corpus stage under its budget; each story it skipped is an ``ST217`` warning.

    Args:
        name (str): the stage's registered name (the source of its warnings).
        sections (tuple[str, ...]): the dossier sections it fills (named as cut short).
        seconds (float): its budget (``StageBudgets.seconds``); 0: none.
        stage (Callable[[], Dossier]): the stage, applied to the dossier.
        run (Run | None): the run (``CorpusRun``): its deadline of the stage's family
            (:func:`deadline`: its work may have started before the stage), and where
            the units skipped are kept for later stages (``CorpusRun.cut``); ``None``:
            ``seconds`` from now.
    """
    end = budget.deadline_in(seconds) if run is None else deadline(run, name)
    with budget.until(end) as clock:
        done = stage()
    if not clock.cut:
        return done
    if run is not None:
        run.cut[name.split(".")[0]] = tuple(clock.cut)
    cut = tuple(_cut_short(name, sections, unit, seconds) for unit in clock.cut)
    return replace(done, diagnostics=(*done.diagnostics, *cut))


def _not_computed(name: str, sections: tuple[str, ...], unit: str) -> str:
    """What was not computed for one skipped unit, as the warning says it."""
    family = name.split(".")[0]
    if family == "stories":
        return (
            f"the clustering was cut short: the articles now stories {unit} share a topic "
            "but were not compared with each other, so each is a story of its own"
        )
    if family == "provenance":
        return (
            f"the verdict of {unit} (its main claim and its independent origins) was not computed"
        )
    what = ", ".join(sections) or name
    return f"the {what} of {unit} were not computed"


def _cut_short(name: str, sections: tuple[str, ...], unit: str, seconds: float) -> Diagnostic:
    message = (
        f"{REASON_HELP[Reason.CUT_SHORT]} ({name}, budget {seconds:g} s: "
        f"{_not_computed(name, sections, unit)})"
    )
    return Diagnostic(Reason.CUT_SHORT.value, Severity.WARNING, name, message)
