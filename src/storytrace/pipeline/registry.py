"""The one place stage implementations are registered, under versioned names.

A stage implementation is named ``<stage>.<variant>.v<N>`` (``boilerplate.text.v1``)
and declares what it needs and what it produces; ``check_order`` verifies a
run's stages before any input is read, as spaCy's ``pipe_analysis`` does.

The registry is the truth about a run: ``AnalyzeConfig.pipeline`` and
``AnalyzeConfig.corpus_stages`` decide what runs, every stage is called through
its spec here, and ``RunInfo.stages`` lists the stages that did run. There are
three kinds, each with a typed signature so that mypy checks every call:

* a **source** reads path specs into raw inputs (``ingest.files.v1``);
* a **document** stage turns one :class:`~storytrace.pipeline.work.DocumentWork`
  into the next (cleaning, metadata), skipping inputs it does not apply to;
* a **corpus** stage reads the dossier so far and returns it with its sections.

The implementations (``pipeline/stages.py``) import their stage modules when
they first run, so registering a heavy stage (spaCy, embeddings) costs nothing
until it is used.

DOCS: docs/pipeline.md
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from storytrace.errors import ConfigError
from storytrace.pipeline import stages as impl

if TYPE_CHECKING:
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.work import CorpusRun, DocumentWork
    from storytrace.records import Dossier
    from storytrace.stages.ingest.config import IngestConfig, ReadResult


class SourceStage(Protocol):
    """Reads files, folders and globs into raw inputs and per-input diagnostics."""

    def __call__(self, specs: Iterable[str], config: IngestConfig, /) -> Iterator[ReadResult]: ...


class DocumentStage(Protocol):
    """One step of one document's analysis; returns ``work`` unchanged where it does not apply."""

    def __call__(self, work: DocumentWork, config: AnalyzeConfig, /) -> DocumentWork: ...


class CorpusStage(Protocol):
    """One step over the whole corpus: the dossier so far in, the dossier with its sections out."""

    def __call__(self, dossier: Dossier, run: CorpusRun, /) -> Dossier: ...


@dataclass(frozen=True, slots=True)
class StageSpec:
    """What every registered stage declares.

    Attributes:
        name (str): versioned name, e.g. ``boilerplate.text.v1``; never reused for
            different behaviour.
        requires (tuple[str, ...]): record fields it reads.
        assigns (tuple[str, ...]): record fields it produces.
        doc (str): one line for ``storytrace stages`` and the docs.
    """

    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


@dataclass(frozen=True, slots=True)
class SourceSpec(StageSpec):
    run: SourceStage
    kind: Literal["source"] = "source"


@dataclass(frozen=True, slots=True)
class DocumentSpec(StageSpec):
    run: DocumentStage
    kind: Literal["document"] = "document"


@dataclass(frozen=True, slots=True)
class CorpusSpec(StageSpec):
    """A corpus stage; ``sections`` are the dossier sections it fills (reported as computed)."""

    run: CorpusStage
    sections: tuple[str, ...] = ()
    kind: Literal["corpus"] = "corpus"


AnySpec = SourceSpec | DocumentSpec | CorpusSpec

_SPECS: tuple[AnySpec, ...] = (
    SourceSpec(
        "ingest.files.v1", (), ("raw",),
        "Read .txt, .html(.gz), .jsonl(.gz), .warc(.gz) and feed files, folders and globs.",
        impl.read_inputs,
    ),
    DocumentSpec(
        "boilerplate.text.v1", ("raw.text",), ("cleaned",),
        "Label each line of a plain-text page dump as article body or boilerplate.",
        impl.clean_text,
    ),
    DocumentSpec(
        "boilerplate.html.v1", ("raw.html",), ("cleaned",),
        "Render an HTML page to text blocks and label each as body or boilerplate.",
        impl.clean_html,
    ),
    DocumentSpec(
        "metadata.html.v1", ("raw.html",), ("markup_metadata",),
        "Read title, outlet, author, URL, language and date from HTML markup.",
        impl.html_metadata,
    ),
    DocumentSpec(
        "metadata.text.v1", ("cleaned",), ("printed_metadata",),
        "Read the printed title, byline, dateline, outlet cues and language.",
        impl.printed_metadata,
    ),
    DocumentSpec(
        "metadata.merge.v1", ("raw", "printed_metadata"), ("metadata",),
        "Combine input fields, markup and printed metadata, most trusted first.",
        impl.merge_metadata,
    ),
    CorpusSpec(
        "dedup.minhash.v1", ("documents",), ("pairs",),
        "Exact duplicates, near duplicates (MinHash+LSH) and reused passages with spans on both sides.",
        impl.find_duplicates,
    ),
    CorpusSpec(
        "stories.cluster.v3", ("documents",), ("stories",),
        "Group articles by the real-world event they report (sub-quadratic, incremental).",
        impl.cluster_stories, ("stories",),
    ),
    CorpusSpec(
        "entities.spacy.v5", ("documents",), ("entities",),
        "Entity mentions from spaCy NER plus a gazetteer ruler, merged into entities with aliases.",
        impl.find_entities, ("entities",),
    ),
    CorpusSpec(
        "quotes.rules.v4", ("documents",), ("quotes",),
        "Direct, indirect and mixed quotes with speakers, cues and attribution chains; "
        "v4 (session 17): outlets of a kind and authorities unnamed, 'quoted as saying', "
        "speakers the parse lost, titles and odd labels resolved, naming and estimate verbs.",
        impl.find_quotes, ("quotes",),
    ),
    CorpusSpec(
        "claims.align.v1", ("stories", "quotes", "pairs"), ("claims",),
        "Align each story's statements across articles into claims with independent origins.",
        impl.align_claims, ("claims",),
    ),
    CorpusSpec(
        "claims.align.v7", ("stories", "quotes", "pairs"), ("claims",),
        "Every statement of a story, narrated or attributed, aligned across articles into "
        "claims; origins by source (a person, an organisation, a wire), denials kept as denials; "
        "v4 (session 14): each mention's stance read in the clause that carries the claim; "
        "v5 (session 15): sources read in the speaker phrase's head, learned membership; "
        "v7 (session 17; v6 was a branch that did not land): a denial joins the claim it "
        "denies, a negated denial verb concedes, the membership refitted on eight dev topics.",
        impl.align_propositions, ("claims",),
    ),
    CorpusSpec(
        "drift.quotes.v5", ("stories", "quotes"), ("drift",),
        "One speaker's quote worded differently across articles, with a word-level diff; "
        "v4 (session 15): a quotation cut short is a copy, not a re-wording; "
        "v5 (session 16): figures compared by the quantity they measure (the number reader).",
        impl.find_drift, ("drift",),
    ),
    CorpusSpec(
        "disagreements.rules.v5", ("stories", "claims"), ("disagreements",),
        "Polarity and number conflicts between a story's statements, with the reason; "
        "v4 (session 15): a denial read where its negation stands, crowd sizes as bare "
        "figures, a figure rising in a later article an update; v5 (session 16): figures "
        "read by the quantity they measure (tolls, magnitudes, distances), two minimums of "
        "one count in conflict, figures of an earlier event apart.",
        impl.find_disagreements, ("disagreements",),
    ),
    CorpusSpec(
        "timeline.timex.v3", ("stories", "claims"), ("timeline", "date_inferences", "disagreements"),
        "Dated events per story, undated articles' publication intervals, date conflicts; "
        "v2 (session 15): statements that print no date placed on or before publication; "
        "v3 (session 17): the time expressions of timex.rules.v4, which date more phrases "
        "(\"the day\", \"the week of Nov. 25\", \"the latter half of 2022\").",
        impl.build_timeline, ("timeline",),
    ),
    CorpusSpec(
        "provenance.origins.v2", ("quotes", "pairs", "claims"), ("provenance", "verdicts"),
        "Citation, copy and intermediary edges; a verdict per story (articles vs origins); "
        "v2 (session 17): the main claim is the one most articles assert, not deny.",
        impl.trace_provenance, ("provenance",),
    ),
)  # fmt: skip

STAGES: dict[str, AnySpec] = {spec.name: spec for spec in _SPECS}

#: Where each corpus section stands in a dossier, whatever the order stages ran in.
SECTION_ORDER: tuple[str, ...] = (
    "documents", "stories", "entities", "quotes", "claims", "provenance", "drift",
    "disagreements", "timeline",
)  # fmt: skip


def check_order(names: Sequence[str], given: Iterable[str] = ()) -> None:
    """Raise ``ConfigError`` if a stage is unknown or needs what no earlier stage produced.

    A requirement ``raw.text`` is met by ``raw``: a field of a produced record.
    Alternatives that produce the same fields (the text and HTML cleaners) may
    both stand in the pipeline; each runs on the inputs it applies to. The
    documents themselves are there for every corpus stage; ``given`` names
    fields that are there before the first stage runs.
    """
    produced: set[str] = set(given)
    for name in names:
        spec = STAGES.get(name)
        if spec is None:
            known = ", ".join(sorted(STAGES))
            raise ConfigError("ST110", f"Unknown stage {name!r}. Registered stages: {known}.")
        if isinstance(spec, CorpusSpec):
            produced.add("documents")
        for need in spec.requires:
            if need not in produced and need.split(".")[0] not in produced:
                raise ConfigError(
                    "ST111",
                    f"Stage {name!r} needs {need!r}, which no earlier stage produces. "
                    "Put a stage that assigns it before this one.",
                )
        produced.update(spec.assigns)


def _of_kind(names: Sequence[str], kind: type[AnySpec]) -> None:
    wrong = [n for n in names if not isinstance(STAGES.get(n), kind)]
    if wrong:
        expected = kind.__name__.removesuffix("Spec").lower()
        raise ConfigError("ST110", f"Not {expected} stages: {', '.join(wrong)}.")


def source_stage(names: Sequence[str]) -> SourceSpec:
    """The one source stage of a per-document pipeline (its first entry)."""
    if not names or not isinstance(spec := STAGES.get(names[0]), SourceSpec):
        raise ConfigError("ST111", "A pipeline starts with a source stage such as ingest.files.v1.")
    return spec


def document_stages(names: Sequence[str]) -> tuple[DocumentSpec, ...]:
    """The document stages of a per-document pipeline, in order (after its source)."""
    _of_kind(names[1:], DocumentSpec)
    return tuple(
        spec for spec in map(STAGES.__getitem__, names[1:]) if isinstance(spec, DocumentSpec)
    )


def corpus_stages(names: Sequence[str]) -> tuple[CorpusSpec, ...]:
    """The corpus stages of a run, in order."""
    _of_kind(names, CorpusSpec)
    return tuple(spec for spec in map(STAGES.__getitem__, names) if isinstance(spec, CorpusSpec))
