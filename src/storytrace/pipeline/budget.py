"""Time budgets of the corpus stages: a stage that runs out degrades story by story.

Each budgeted corpus stage runs under a clock (``stages/budget.py``) of its family's
budget (``AnalyzeConfig.budgets``: claims, drift, disagreements, timeline). The stage's
loops ask the clock before each story; once the budget is spent the remaining stories
are skipped, and each skipped story becomes one ``ST217`` warning naming the story and
the sections cut short for it. The dossier stays complete: every other story, and every
other stage, is as it would have been. A story begun before the budget ran out is
finished (the check is cooperative, between stories; no signal, so it works in threads).

The defaults are far above what a story takes (the whole analysis of a 3 MB article
took 19 s of CPU, docs/security.md), so ordinary runs never meet them; they bound a
pathological input. Budgets apply where the corpus stages run in this process
(``ingest``'s stored analysis, ``analyze --workers 1``); with worker processes, claims
and disagreements run in the workers and drift and the timeline ahead in a thread,
without a budget. Stages not listed here have none.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, Dossier, Severity
from storytrace.stages import budget


@dataclass(frozen=True, slots=True)
class StageBudgets:
    """Seconds each corpus stage family may run before it skips its remaining stories.

    A family is the first part of a stage's name (``claims`` for ``claims.align.v3``);
    ``0`` disables that budget.

    Attributes:
        claims (float): claim alignment.
        drift (float): quote drift.
        disagreements (float): disagreements.
        timeline (float): inferred dates and the timeline.
    """

    claims: float = 600.0
    drift: float = 300.0
    disagreements: float = 300.0
    timeline: float = 300.0

    def seconds(self, stage: str) -> float:
        """The budget of ``stage`` (a registered name); 0 when it has none."""
        return float(getattr(self, stage.split(".")[0], 0.0))


def run_stage(
    name: str, sections: tuple[str, ...], seconds: float, stage: Callable[[], Dossier]
) -> Dossier:
    """Run one corpus stage under its budget; each story it skipped is an ``ST217`` warning.

    Args:
        name (str): the stage's registered name (the source of its warnings).
        sections (tuple[str, ...]): the dossier sections it fills (named as cut short).
        seconds (float): its budget (``StageBudgets.seconds``); 0: none.
        stage (Callable[[], Dossier]): the stage, applied to the dossier.
    """
    with budget.running(seconds) as clock:
        done = stage()
    if not clock.cut:
        return done
    cut = tuple(_cut_short(name, sections, story, seconds) for story in clock.cut)
    return replace(done, diagnostics=(*done.diagnostics, *cut))


def _cut_short(name: str, sections: tuple[str, ...], story: str, seconds: float) -> Diagnostic:
    what = ", ".join(sections) or name
    message = (
        f"{REASON_HELP[Reason.CUT_SHORT]} ({name}, budget {seconds:g} s: the {what} "
        f"of {story} were not computed)"
    )
    return Diagnostic(Reason.CUT_SHORT.value, Severity.WARNING, name, message)
