"""The one place stage implementations are registered, under versioned names.

A stage implementation is named ``<stage>.<variant>.v<N>`` (``boilerplate.text.v1``)
and declares what it needs and what it produces; ``check_order`` verifies a
pipeline's order before any input is read, as spaCy's ``pipe_analysis`` does.
Implementations are imported lazily (``"module:function"``) so that registering
a heavy stage (a spaCy model, embeddings) costs nothing until it runs, and the
registry imports no stage module (no import cycles).

DOCS: docs/pipeline.md
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from storytrace.errors import ConfigError


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A registered stage implementation.

    Attributes:
        name (str): versioned name, e.g. ``boilerplate.text.v1``; never reused for
            different behaviour.
        target (str): ``"module:function"`` implementing it.
        requires (tuple[str, ...]): record fields it reads.
        assigns (tuple[str, ...]): record fields it produces.
        doc (str): one line for ``storytrace stages`` and the docs.
    """

    name: str
    target: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    doc: str


STAGES: dict[str, StageSpec] = {
    spec.name: spec
    for spec in (
        StageSpec(
            "ingest.files.v1",
            "storytrace.stages.ingest.files:iter_inputs",
            (),
            ("raw",),
            "Read .txt, .html(.gz) and .jsonl files, folders and globs into raw inputs.",
        ),
        StageSpec(
            "boilerplate.text.v1",
            "storytrace.stages.boilerplate.text.clean:clean_text_dump",
            ("raw.text",),
            ("page_text", "segments", "text", "truncated"),
            "Label each line of a plain-text page dump as article body or boilerplate.",
        ),
        StageSpec(
            "boilerplate.html.v1",
            "storytrace.stages.boilerplate.html.clean:clean_html",
            ("raw.html",),
            ("page_text", "segments", "text", "truncated"),
            "Render an HTML page to text blocks and label each as body or boilerplate.",
        ),
        StageSpec(
            "metadata.html.v1",
            "storytrace.stages.metadata.html:read_html_metadata",
            ("raw.html",),
            ("markup_metadata",),
            "Read title, outlet, author, URL, language and date from HTML markup.",
        ),
        StageSpec(
            "metadata.text.v1",
            "storytrace.stages.metadata.text:read_text_metadata",
            ("segments", "text"),
            ("printed_metadata",),
            "Read the printed title, byline, dateline, outlet cues and language.",
        ),
        StageSpec(
            "metadata.merge.v1",
            "storytrace.stages.metadata.text:merge_metadata",
            ("raw", "printed_metadata"),
            ("metadata",),
            "Combine input fields, markup and printed metadata, most trusted first.",
        ),
        StageSpec(
            "dedup.minhash.v1",
            "storytrace.stages.dedup.minhash:find_duplicates",
            ("text",),
            ("pairs",),
            "Exact duplicates, near duplicates (MinHash+LSH) and reused passages with spans on both sides.",
        ),
        StageSpec(
            "stories.cluster.v1",
            "storytrace.stages.stories.cluster:cluster_stories",
            ("text", "metadata"),
            ("stories",),
            "Group articles by the real-world event they report (sub-quadratic, incremental).",
        ),
        StageSpec(
            "entities.spacy.v1",
            "storytrace.stages.entities.extract:mentions_of_doc",
            ("text",),
            ("entities",),
            "Entity mentions from spaCy NER plus a gazetteer ruler, merged into entities with aliases.",
        ),
        StageSpec(
            "quotes.rules.v1",
            "storytrace.stages.quotes.extract:quotes_of_doc",
            ("text",),
            ("quotes",),
            "Direct, indirect and mixed quotes with speakers, cues and attribution chains.",
        ),
        StageSpec(
            "claims.align.v1",
            "storytrace.stages.lineage.claims:align_claims",
            ("stories", "quotes", "pairs"),
            ("claims",),
            "Align each story's statements across articles into claims with independent origins.",
        ),
        StageSpec(
            "provenance.origins.v1",
            "storytrace.stages.lineage.provenance:provenance_edges",
            ("quotes", "pairs"),
            ("provenance", "verdicts"),
            "Citation, copy and intermediary edges; a verdict per story (articles vs origins).",
        ),
        StageSpec(
            "drift.quotes.v1",
            "storytrace.stages.lineage.drift:find_drift",
            ("stories", "quotes"),
            ("drift",),
            "One speaker's quote worded differently across articles, with a word-level diff.",
        ),
        StageSpec(
            "disagreements.rules.v1",
            "storytrace.stages.lineage.disagreements:find_disagreements",
            ("claims",),
            ("disagreements",),
            "Polarity and number conflicts between a story's statements, with the reason.",
        ),
        StageSpec(
            "timeline.timex.v1",
            "storytrace.stages.lineage.timeline:build_timeline",
            ("stories", "claims"),
            ("timeline", "date_inferences"),
            "Dated events per story, undated articles' publication intervals, date conflicts.",
        ),
    )
}

#: Corpus-level stages: they run over all documents once these are built.
CORPUS_STAGES: tuple[str, ...] = (
    "dedup.minhash.v1",
    "stories.cluster.v1",
    "entities.spacy.v1",
    "quotes.rules.v1",
    "claims.align.v1",
    "provenance.origins.v1",
    "drift.quotes.v1",
    "disagreements.rules.v1",
    "timeline.timex.v1",
)

#: The per-document pipeline `analyze` runs, in order.
DEFAULT_PIPELINE: tuple[str, ...] = (
    "ingest.files.v1",
    "boilerplate.text.v1",
    "boilerplate.html.v1",
    "metadata.html.v1",
    "metadata.text.v1",
    "metadata.merge.v1",
)


def check_order(names: Sequence[str]) -> None:
    """Raise ``ConfigError`` if a stage is unknown or needs what no earlier stage produced.

    A requirement ``raw.text`` is met by ``raw``: a field of a produced record.
    Alternatives that produce the same fields (the text and HTML cleaners) may
    both stand in the pipeline; each runs on the inputs it applies to.
    """
    produced: set[str] = set()
    for name in names:
        spec = STAGES.get(name)
        if spec is None:
            known = ", ".join(sorted(STAGES))
            raise ConfigError("ST110", f"Unknown stage {name!r}. Registered stages: {known}.")
        for need in spec.requires:
            if need not in produced and need.split(".")[0] not in produced:
                raise ConfigError(
                    "ST111",
                    f"Stage {name!r} needs {need!r}, which no earlier stage produces. "
                    "Put a stage that assigns it before this one.",
                )
        produced.update(spec.assigns)


@cache
def load(name: str) -> Callable[..., Any]:
    """The function implementing a registered stage (imported on first use)."""
    module, _, attr = STAGES[name].target.partition(":")
    fn: Callable[..., Any] = getattr(importlib.import_module(module), attr)
    return fn
