"""Incremental corpus analysis: reuse what new documents cannot have changed.

An ``ingest`` that adds documents re-analyses the store, but not from scratch:

* **The spaCy parse, per document.** Entity mentions (before alias merging) and
  quotes depend on one document's text alone; they are kept per document in
  ``doc_parses`` and only new documents are parsed (the dominant cost). Alias
  merging (``merge_mentions``) then runs over every document's mentions, since
  an entity's id and aliases span the corpus.
* **Claims, per story.** ``claims.align.v7`` aligns each story on its own; a
  story whose articles are the same, with the same copy/reuse pairs touching
  them and the same copy groups among them, gets its stored claims back. Only
  the stories new documents touch are aligned again; claim ids (``c1``, ``c2``
  ... in story order, corpus-wide) are renumbered after.
* **Everything else is recomputed**, because its result crosses stories or the
  whole corpus: duplicate pairs and story clustering (a new article may merge two
  stories), drift, disagreements, the timeline and provenance (they read the
  renumbered claims).

The result equals a full ``analyze_corpus`` of the same documents
(tests/store/test_analysis.py checks it table by table).

DOCS: docs/store.md
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import duckdb

from storytrace import __version__
from storytrace.errors import REASON_HELP, Reason
from storytrace.models.services import Services
from storytrace.pipeline import cpu
from storytrace.pipeline import run as pipeline
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.registry import corpus_stages
from storytrace.pipeline.work import CorpusRun
from storytrace.records import Diagnostic, Document, Dossier, Severity, rows
from storytrace.records.corpus import DocPair, EntityMention, Quote, Story
from storytrace.records.lineage import (
    Claim,
    DateInference,
    Disagreement,
    QuoteDrift,
    StoryVerdict,
    TimelineEntry,
)
from storytrace.stages.parse import parsed_sections
from storytrace.store import per_story

#: The claim stage aligned per story (see the module docstring).
CLAIM_STAGE = "claims.align.v7"


def config_digest(config: AnalyzeConfig) -> str:
    """A digest of the options the corpus stages read (not batch sizes or the document pipeline)."""
    parts = (config.dedup, config.stories, config.entities, config.quotes, config.lineage)
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def parse_stamp(config: AnalyzeConfig) -> str:
    """What a stored parse is valid for: this version and these entity and quote options."""
    text = repr((__version__, config.entities, config.quotes))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Parsed:
    """One document's parse results, before alias merging."""

    mentions: tuple[EntityMention, ...]
    quotes: tuple[Quote, ...]
    problem: Diagnostic | None


@dataclass(frozen=True, slots=True)
class Analysis:
    """An analysed dossier and what was reused to make it.

    Attributes:
        dossier (Dossier): equal to a full ``analyze_corpus`` of the same documents.
        parsed (dict[str, Parsed]): documents parsed now (to store in ``doc_parses``).
        stories_reused (int): stories whose claims came back from the store.
        stories_aligned (int): stories aligned now.
        kept_after_claims (int): stories whose results of the stages after the
            claims (``per_story``) came back from the store.
        recomputed (tuple[str, ...]): the corpus stages run over every document
            (not per story, not per new document).
        per_story (tuple[str, ...]): the stages after the claims run per story
            (``store/per_story.py``).
    """

    dossier: Dossier
    parsed: dict[str, Parsed]
    stories_reused: int
    stories_aligned: int
    kept_after_claims: int = 0
    recomputed: tuple[str, ...] = ()
    per_story: tuple[str, ...] = ()


def stored_parses(con: duckdb.DuckDBPyConnection, stamp: str) -> dict[str, Parsed]:
    """Every stored parse valid for ``stamp``, by document id."""
    found = con.execute(
        "SELECT doc_id, mentions, quotes, problem FROM doc_parses WHERE stamp = ?", [stamp]
    ).fetchall()
    return {
        doc_id: Parsed(
            rows.loads(m, tuple[EntityMention, ...]),
            rows.loads(q, tuple[Quote, ...]),
            rows.loads(p, Diagnostic) if p is not None else None,
        )
        for doc_id, m, q, p in found
    }


def write_parses(con: duckdb.DuckDBPyConnection, stamp: str, parsed: dict[str, Parsed]) -> None:
    """Store new parses (in the caller's transaction); parses of another stamp are dropped."""
    con.execute("DELETE FROM doc_parses WHERE stamp <> ?", [stamp])
    if not parsed:
        return
    items = sorted(parsed.items())
    con.execute(
        "INSERT INTO doc_parses SELECT * FROM (SELECT unnest(?::VARCHAR[]), unnest(?::VARCHAR[]), "
        "unnest(?::JSON[]), unnest(?::JSON[]), unnest(?::JSON[]))",
        [
            [d for d, _ in items],
            [stamp] * len(items),
            [rows.dumps(p.mentions) for _, p in items],
            [rows.dumps(p.quotes) for _, p in items],
            [None if p.problem is None else rows.dumps(p.problem) for _, p in items],
        ],
    )


def parse_documents(docs: Sequence[Document], config: AnalyzeConfig) -> dict[str, Parsed]:
    """Mentions and quotes of each document from one spaCy parse, as ``stages.parse.attribute`` does."""
    from storytrace.stages.entities.extract import entity_pipeline, mentions_of_doc
    from storytrace.stages.parse import MAX_PARSE_CHARS
    from storytrace.stages.quotes.extract import quotes_of_doc

    if not docs:
        return {}
    nlp = entity_pipeline()
    out: dict[str, Parsed] = {}
    texts = (d.text[:MAX_PARSE_CHARS] for d in docs)
    for doc, sdoc in zip(docs, nlp.pipe(texts, batch_size=config.entities.batch_size), strict=True):
        try:
            found = Parsed(
                tuple(mentions_of_doc(doc.doc_id, sdoc)),
                tuple(quotes_of_doc(doc.doc_id, sdoc, config.quotes)),
                None,
            )
        except Exception as exc:
            detail = (
                f"{REASON_HELP[Reason.STAGE_FAILED]} (attribution: {type(exc).__name__}: {exc})"
            )
            problem = Diagnostic(
                Reason.STAGE_FAILED.value, Severity.WARNING, str(doc.source), detail, doc.doc_id
            )
            found = Parsed((), (), problem)
        out[doc.doc_id] = found
    return out


def _with_parse(
    base: Dossier, config: AnalyzeConfig, known: dict[str, Parsed]
) -> tuple[Dossier, dict[str, Parsed]]:
    """``base`` with the entity and quote sections filled from stored and new parses.

    The parse stages then find their sections computed and leave them, as when one
    of them has filled both.
    """
    from storytrace.stages.entities.merge import merge_mentions

    wanted = parsed_sections(config.corpus_stages)
    if not wanted:
        return base, {}
    with cpu.part("spaCy parse of new documents"):
        new = parse_documents([d for d in base.documents if d.doc_id not in known], config)
    every = [{**known, **new}[d.doc_id] for d in base.documents]
    mentions = [m for p in every for m in p.mentions]
    problems = tuple(p.problem for p in every if p.problem is not None)
    return replace(
        base,
        entities=merge_mentions(mentions, config.entities) if "entities" in wanted else (),
        quotes=tuple(q for p in every for q in p.quotes) if "quotes" in wanted else (),
        diagnostics=base.diagnostics + problems,
        sections_computed=(*base.sections_computed, *wanted),
    ), new


@dataclass(frozen=True, slots=True)
class Previous:
    """The stored analysis a new one may reuse: its stories, pairs and claims, and the
    results of the stages after the claims (``store/per_story.py``)."""

    stories: tuple[Story, ...]
    pairs: tuple[DocPair, ...]
    claims: tuple[Claim, ...]
    after_claims: per_story.Stored = field(default_factory=per_story.Stored)


def analyse(
    base: Dossier,
    config: AnalyzeConfig,
    known: dict[str, Parsed],
    previous: Previous | None,
    services: Services | None = None,
) -> Analysis:
    """The corpus analysis of ``base``, reusing stored parses and the claims of untouched stories.

    Args:
        base (Dossier): the stored documents, assembled (``pipeline.assemble``).
        config (AnalyzeConfig): options; its ``corpus_stages`` run.
        known (dict[str, Parsed]): stored parses valid for this config.
        previous (Previous | None): the stored analysis when made by this
            version with these stages and options; ``None`` aligns every story.
        services (Services | None): models and caches.
    """
    services = services or Services.shared()
    dossier, parsed = _with_parse(base, config, known)
    stages = config.corpus_stages
    parse_read = set(parsed_sections(stages))  # their parse is kept per document
    merging = ("entity alias merging",) if "entities" in parse_read else ()
    whole = (*merging, *(s for s in stages if s.split(".")[0] not in parse_read))
    if previous is None or CLAIM_STAGE not in stages:
        done = pipeline.analyze_corpus(dossier, config, services)
        return Analysis(done, parsed, 0, len(done.stories), recomputed=whole)
    cut = stages.index(CLAIM_STAGE)
    first = pipeline.analyze_corpus(dossier, replace(config, corpus_stages=stages[:cut]), services)
    ran = [s for s in first.run.stages if s in stages[:cut]]
    produced = {"documents", *(a for spec in corpus_stages(ran) for a in spec.assigns)}
    if not {"stories", "quotes", "pairs"} <= produced:  # a stage failed: nothing to reuse
        rest = pipeline.analyze_corpus(
            first, replace(config, corpus_stages=stages[cut:]), services, produced
        )
        return Analysis(rest, parsed, 0, len(rest.stories), recomputed=whole)
    run = CorpusRun(config, services)
    untouched = _untouched(first, previous)
    with cpu.part(f"{CLAIM_STAGE} (stories touched)"):
        claims, renamed = _claims(first, previous, run, untouched)
    with_claims = replace(
        first,
        claims=claims,
        run=replace(first.run, stages=(*first.run.stages, CLAIM_STAGE)),
        sections_computed=(*first.sections_computed, "claims"),
    )
    after = stages[cut + 1 :]
    mine = per_story.runnable(after, config.lineage.drift.across_stories)
    kept = frozenset(untouched)
    ctx = per_story.Context(run, kept, previous.after_claims, renamed)
    with_claims = per_story.run_stages(with_claims, mine, ctx)
    given = produced | {"claims"} | {a for spec in corpus_stages(mine) for a in spec.assigns}
    done = pipeline.analyze_corpus(
        with_claims, replace(config, corpus_stages=after[len(mine) :]), services, given
    )
    reused = len(untouched)
    in_full = tuple(s for s in whole if s not in {CLAIM_STAGE, *mine})
    if per_story.PROVENANCE in mine:  # its edges cross stories: made over every document
        in_full = (*in_full, "provenance edges")
    return Analysis(
        done, parsed, reused, len(first.stories) - reused,
        reused if mine else 0, in_full, mine,
    )  # fmt: skip


def _claims(
    dossier: Dossier, previous: Previous, run: CorpusRun, untouched: set[str]
) -> tuple[tuple[Claim, ...], dict[str, str]]:
    """Every story's claims in story order, renumbered: stored for untouched stories,
    aligned for the rest; and each kept claim's stored id -> its new id."""
    touched = tuple(s for s in dossier.stories if s.story_id not in untouched)
    (spec,) = corpus_stages([CLAIM_STAGE])
    aligned = spec.run(replace(dossier, stories=touched), run).claims
    by_story: dict[str, list[Claim]] = defaultdict(list)
    for claim in aligned:
        by_story[claim.story_id].append(claim)
    for claim in previous.claims:
        if claim.story_id in untouched:
            by_story[claim.story_id].append(claim)
    ordered = [c for s in dossier.stories for c in by_story.get(s.story_id, ())]
    renumbered = tuple(replace(c, claim_id=f"c{i + 1}") for i, c in enumerate(ordered))
    renamed = {
        old.claim_id: new.claim_id
        for old, new in zip(ordered, renumbered, strict=True)
        if old.story_id in untouched
    }
    return renumbered, renamed


def _untouched(dossier: Dossier, previous: Previous) -> set[str]:
    """Stories with the same articles, the same pairs touching them and the same copy groups."""
    before = {s.story_id: s for s in previous.stories}
    old_pairs, new_pairs = _pairs_by_doc(previous.pairs), _pairs_by_doc(dossier.pairs)
    old_groups, new_groups = _groups(previous.pairs), _groups(dossier.pairs)
    out: set[str] = set()
    for story in dossier.stories:
        old = before.get(story.story_id)
        if old is None or old.doc_ids != story.doc_ids:
            continue
        docs = story.doc_ids
        if any(old_pairs.get(d) != new_pairs.get(d) for d in docs):
            continue
        if _partition(docs, old_groups) != _partition(docs, new_groups):
            continue
        out.add(story.story_id)
    return out


def _pairs_by_doc(pairs: Sequence[DocPair]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for pair in pairs:
        key = rows.dumps(pair)
        out[pair.a].add(key)
        out[pair.b].add(key)
    return out


def _groups(pairs: Sequence[DocPair]) -> dict[str, str]:
    """Each paired document's connected component (its smallest member) over every pair."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = find(pair.a), find(pair.b)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {d: find(d) for d in list(parent)}


def _partition(docs: Sequence[str], groups: dict[str, str]) -> frozenset[frozenset[str]]:
    """How a story's documents fall into copy groups."""
    parts: dict[str, set[str]] = defaultdict(set)
    for d in docs:
        parts[groups.get(d, d)].add(d)
    return frozenset(frozenset(p) for p in parts.values())


def load_previous(con: duckdb.DuckDBPyConnection) -> Previous:
    """The stored stories, pairs and claims, in their stored order."""

    def records(table: str, cls: type) -> tuple:  # type: ignore[type-arg]
        found = con.execute(f'SELECT record FROM "{table}" ORDER BY ord').fetchall()
        return tuple(rows.loads(r[0], cls) for r in found)

    after = per_story.Stored(
        records("drift", QuoteDrift), records("disagreements", Disagreement),
        records("timeline", TimelineEntry), records("date_inferences", DateInference),
        records("verdicts", StoryVerdict),
    )  # fmt: skip
    return Previous(
        records("stories", Story), records("pairs", DocPair), records("claims", Claim), after
    )
