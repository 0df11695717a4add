"""What the stages hand each other inside a run: a document's work in progress, a corpus run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from storytrace.models.services import Services
from storytrace.records import Cleaned, Metadata, RawInput

if TYPE_CHECKING:
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.pool import WorkerPool
    from storytrace.stages.parse import DocAttribution


@dataclass(frozen=True, slots=True)
class DocumentWork:
    """One input on its way to a ``Document``: each document stage fills one field.

    Attributes:
        raw (RawInput): what the source stage read.
        cleaned (Cleaned | None): the body and labelled boilerplate (a boilerplate stage).
        markup (Metadata | None): metadata read from HTML markup.
        printed (Metadata | None): metadata the page prints.
        metadata (Metadata | None): the merged metadata.
        ran (tuple[str, ...]): the stages that applied to this input, in order.
    """

    raw: RawInput
    cleaned: Cleaned | None = None
    markup: Metadata | None = None
    printed: Metadata | None = None
    metadata: Metadata | None = None
    ran: tuple[str, ...] = ()


class Pending(Protocol):
    """Work handed to the pool early (``pipeline/ahead.py``): ``result`` waits for it."""

    def result(self) -> Any: ...


@dataclass(frozen=True, slots=True)
class CorpusRun:
    """What a corpus stage is given beside the dossier: the options and the shared services.

    Attributes:
        config (AnalyzeConfig): the run's options.
        services (Services): the driver's models and caches.
        pool (WorkerPool | None): worker processes a stage may send its stories to
            (``analyze --workers N``); ``None`` runs everything here.
        parsed (Mapping[str, DocAttribution]): the workers' spaCy parse of each
            document by id, done while building it; empty: parse here.
        ahead (dict): stages started early on the pool (``pipeline/ahead.py``):
            family (``drift``) -> (the inputs they were given, their pending result).
        clocks (dict): each budgeted stage family's deadline (``pipeline/budget.py``),
            set when its work first starts.
        cut (dict): each stage family's units (story ids) skipped once its budget was
            spent, for the stages after it (a verdict does not count claims not computed).
        articles (int): the run's documents, which the time budgets grow with.
    """

    config: AnalyzeConfig
    services: Services = field(default_factory=Services)
    pool: WorkerPool | None = None
    parsed: Mapping[str, DocAttribution] = field(default_factory=dict)
    ahead: dict[str, tuple[object, Pending]] = field(default_factory=dict)
    clocks: dict[str, float] = field(default_factory=dict)
    cut: dict[str, tuple[str, ...]] = field(default_factory=dict)
    articles: int = 0
