"""Claims aligned across the articles of a story, with their independent origins.

Every attributed statement (a quote of the quote stage) is a claim *mention*.
Within one story -- never across stories, so a look-alike report of another event
is never aligned -- mentions are grouped by average-link agglomeration on their
MiniLM sentence embeddings (paraphrases align, not only shared words), with one
cannot-link rule: an asserted and a denied wording ("preparing to disarm" /
"refused to disarm") are never one claim; they are what the disagreement stage
compares.

Origins: each mention leads to an origin (:func:`~storytrace.stages.lineage.provenance.quote_origin`:
the outlet nearest the speaker, else the article's own reporting). Articles that
copy one another (the dedup stage's pairs) are one origin. So four articles echoing
one newspaper's anonymous-sourced report count as one origin, not four.

DOCS: docs/stages/claims.md
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from storytrace.models.services import Embed
from storytrace.records import (
    Claim,
    ClaimMention,
    DocPair,
    DocSpan,
    Document,
    Origin,
    OriginKind,
    Polarity,
    Quote,
    QuoteOrigin,
    Statement,
    Story,
)
from storytrace.stages.grouping import UnionFind, average_link
from storytrace.stages.lineage.provenance import chain_text, published_day, quote_origin
from storytrace.stages.quotes.statements import analyse

METHOD = "claims.avglink-minilm.v1"

__all__ = ["ClaimConfig", "align_claims", "analyse", "quote_text"]


@dataclass(frozen=True, slots=True)
class ClaimConfig:
    """Options of the claim stage.

    Attributes:
        min_words (int): shorter statements ("to shut down the Strait") are not claims.
        link_threshold (float): average cosine two groups of mentions need to merge.
        exact_limit (int): above this many mentions in one story, groups are formed
            in one pass (each mention joins the closest group centroid) instead of
            the cubic exact agglomeration.
        copy_min_similarity (float): a reuse pair makes two articles one origin when
            this share of the shorter text is shared (exact and near duplicates
            always do); a shared sentence or quote alone does not.
    """

    min_words: int = 4
    link_threshold: float = 0.72
    exact_limit: int = 400
    copy_min_similarity: float = 0.2


_WORD = re.compile(r"\w+")


def quote_text(quote: Quote, doc: Document | None) -> str:
    """The content of a quote as one string (its spans joined)."""
    if doc is None:
        return ""
    return " ".join(doc.text[span.start : span.end] for span in quote.content_spans).strip()


def _mentions(
    quotes: Sequence[Quote], docs: Mapping[str, Document], config: ClaimConfig
) -> list[tuple[Quote, QuoteOrigin, str]]:
    out = []
    for quote in quotes:
        text = quote_text(quote, docs.get(quote.doc_id))
        if len(_WORD.findall(text)) >= config.min_words:
            out.append((quote, quote_origin(quote, docs.get(quote.doc_id)), text))
    return out


def _average_link(
    sims: NDArray[np.float32], pol: Sequence[Polarity], threshold: float
) -> list[list[int]]:
    """Average link with a polarity cannot-link: an asserted and a denied wording never merge."""
    n = len(pol)
    link = sims.astype(np.float64).copy()
    opposite = np.array([[a != b for b in pol] for a in pol], dtype=bool).reshape(n, n)
    link[opposite] = -np.inf
    return average_link(link, threshold)


def _one_pass(
    vecs: NDArray[np.float32], pol: Sequence[Polarity], threshold: float
) -> list[list[int]]:
    """Each mention joins the closest same-polarity group centroid, or starts a group."""
    groups: list[list[int]] = []
    sums: list[NDArray[np.float32]] = []
    for i, vec in enumerate(vecs):
        best, best_sim = -1, threshold
        for g, total in enumerate(sums):
            if pol[groups[g][0]] != pol[i]:
                continue
            sim = float(vec @ total) / float(np.linalg.norm(total))
            if sim >= best_sim:
                best, best_sim = g, sim
        if best < 0:
            groups.append([i])
            sums.append(vec.copy())
        else:
            groups[best].append(i)
            sums[best] = sums[best] + vec
    return groups


class _Copies(UnionFind[str]):
    """Article origins that copy each other are one origin, named after the earliest article."""

    def __init__(
        self, pairs: Sequence[DocPair], docs: Mapping[str, Document], min_similarity: float
    ) -> None:
        super().__init__(lambda key: _article_rank(key, docs))
        for pair in pairs:
            if pair.relation != "reuse" or pair.similarity >= min_similarity:
                self.union(f"article:{pair.a}", f"article:{pair.b}")


def _article_rank(key: str, docs: Mapping[str, Document]) -> tuple[int, str, str]:
    day = published_day(docs.get(key.removeprefix("article:")))
    return (0 if day is not None else 1, day.isoformat() if day else "", key)


def _origins(
    members: Sequence[tuple[Quote, QuoteOrigin, str]], copies: _Copies
) -> tuple[list[Origin], dict[str, str]]:
    """Independent origins of one claim, and each mention's origin key."""
    keyed: dict[str, list[tuple[Quote, QuoteOrigin]]] = defaultdict(list)
    mention_key: dict[str, str] = {}
    for quote, origin, _ in members:
        key = copies.find(origin.key) if origin.kind == "article" else origin.key
        keyed[key].append((quote, origin))
        mention_key[quote.quote_id] = key
    origins = [_origin(key, items) for key, items in keyed.items()]
    origins.sort(key=lambda o: (-len(o.doc_ids), o.key))
    return origins, mention_key


_DETERMINERS = frozenset({"a", "an", "the", "some", "several", "multiple", "other"})


def _sentence_case(text: str) -> str:
    """ "A regional source" -> "a regional source"; names keep their capitals."""
    first = text.split(" ", 1)[0]
    return text[0].lower() + text[1:] if first.lower() in _DETERMINERS else text


def _origin(key: str, items: Sequence[tuple[Quote, QuoteOrigin]]) -> Origin:
    seen: dict[str, str] = {}
    for _, o in items:
        if o.source:
            seen.setdefault(o.source.lower(), _sentence_case(o.source))
    sources = sorted(seen.values())
    flags = {o.anonymous for _, o in items if o.anonymous is not None}
    anonymous = None if not flags else (flags == {True})
    label = next((o.label for _, o in items if o.key == key), items[0][1].label)
    kind: OriginKind = "outlet" if key.startswith("outlet:") else "article"
    doc_ids = tuple(sorted({q.doc_id for q, _ in items}))
    return Origin(key, label, kind, anonymous, tuple(sources), doc_ids)


def describe_origin(origin: Origin) -> str:
    """ "The Times, citing anonymous sources (a regional intelligence source)"."""
    sources = [s for s in origin.sources if s.lower() != origin.label.lower()]
    if not sources:
        return origin.label
    who = "; ".join(sources[:3]) + ("; ..." if len(sources) > 3 else "")
    if origin.anonymous:
        return f"{origin.label}, citing anonymous sources ({who})"
    return f"{origin.label}, citing {who}"


def claim_verdict(doc_count: int, origins: Sequence[Origin]) -> str:
    """ "4 articles, 1 independent origin: The Times, citing anonymous sources (...)"."""
    articles = f"{doc_count} article{'s' if doc_count != 1 else ''}"
    count = f"{len(origins)} independent origin{'s' if len(origins) != 1 else ''}"
    return f"{articles}, {count}: " + " | ".join(describe_origin(o) for o in origins)


def _claim(
    story_id: str,
    members: Sequence[tuple[Quote, QuoteOrigin, str]],
    docs: Mapping[str, Document],
    extras: tuple[Sequence[Statement], _Copies],
) -> Claim:
    stmts, copies = extras
    origins, keys = _origins(members, copies)
    mentions = tuple(
        ClaimMention(
            quote.quote_id,
            DocSpan(quote.doc_id, quote.content_spans[0].start, quote.content_spans[-1].end, text),
            chain_text(quote, docs.get(quote.doc_id)),
            quote.speaker_resolved or quote.speaker_text or None,
            quote.anonymous,
            stmt.polarity,
            keys[quote.quote_id],
            stmt.predicates,
            stmt.subject,
            stmt.denied,
        )
        for (quote, _, text), stmt in zip(members, stmts, strict=True)
    )
    doc_ids = tuple(sorted({m.span.doc_id for m in mentions}))
    first = min(
        mentions, key=lambda m: (_article_rank(f"article:{m.span.doc_id}", docs), m.span.start)
    )
    verdict = claim_verdict(len(doc_ids), origins)
    return Claim("", story_id, first.span.text, mentions, tuple(origins), doc_ids, verdict, METHOD)


def _groups(
    story: Story,
    items: Sequence[tuple[Quote, QuoteOrigin, str]],
    statements: Mapping[str, Statement],
    config: ClaimConfig,
    *,
    embed: Embed,
) -> list[list[int]]:
    """The story's mentions that are one claim, as groups of indices into ``items``."""
    if not items or len(story.doc_ids) == 1:  # nothing to align across articles
        return [[i] for i in range(len(items))]
    pols = [statements[quote.quote_id].polarity for quote, _, _ in items]
    if len(items) <= config.exact_limit:
        vecs = embed([text for _, _, text in items])
        return _average_link(vecs @ vecs.T, pols, config.link_threshold)
    return _one_pass(embed([text for _, _, text in items]), pols, config.link_threshold)


def _story_claims(
    story_id: str,
    items: Sequence[tuple[Quote, QuoteOrigin, str]],
    groups: Sequence[Sequence[int]],
    docs: Mapping[str, Document],
    extras: tuple[Mapping[str, Statement], _Copies],
) -> list[Claim]:
    statements, copies = extras
    stmts = [statements[quote.quote_id] for quote, _, _ in items]
    claims = [
        _claim(story_id, [items[i] for i in g], docs, ([stmts[i] for i in g], copies))
        for g in groups
    ]
    claims.sort(key=lambda c: (-len(c.doc_ids), -len(c.mentions), c.mentions[0].quote_id))
    return claims


def align_claims(  # noqa: PLR0913 -- ``embed`` is a service, not an option for ClaimConfig
    docs: Sequence[Document],
    stories: Sequence[Story],
    quotes: Sequence[Quote],
    pairs: Sequence[DocPair],
    config: ClaimConfig | None = None,
    *,
    embed: Embed,
) -> tuple[Claim, ...]:
    """Group the attributed statements of each story into claims with independent origins.

    Args:
        docs (Sequence[Document]): the documents.
        stories (Sequence[Story]): the story stage's groups (claims never cross them).
        quotes (Sequence[Quote]): attributed statements of the documents.
        pairs (Sequence[DocPair]): reuse pairs (copying articles are one origin).
        config (ClaimConfig | None): options; defaults when ``None``.
        embed (Embed): sentence vectors (the run's ``services.embed``).

    Returns:
        tuple[Claim, ...]: per story, most widely carried first; ids ``c1``, ``c2`` ...
    """
    cfg = config or ClaimConfig()
    by_id = {d.doc_id: d for d in docs}
    copies = _Copies(pairs, by_id, cfg.copy_min_similarity)
    by_doc: dict[str, list[Quote]] = defaultdict(list)
    for quote in quotes:
        by_doc[quote.doc_id].append(quote)
    items = {
        story.story_id: _mentions([q for d in story.doc_ids for q in by_doc.get(d, ())], by_id, cfg)
        for story in stories
    }
    # Statements are read in the quote stage's parse; one without (quotes built
    # elsewhere) is parsed here, all in one call: per story, spaCy's per-call
    # set-up cost more than parsing the few statements of most stories.
    texts = list(
        dict.fromkeys(
            text for found in items.values() for quote, _, text in found if quote.statement is None
        )
    )
    parsed = dict(zip(texts, analyse(texts), strict=True))
    statements = {
        quote.quote_id: quote.statement or parsed[text]
        for found in items.values()
        for quote, _, text in found
    }
    # One embedding call for every statement to align: batches of similar length
    # waste less padding than per-story calls of a few texts. Only worth it when
    # ``embed`` memoises them all (an Embeddings keeps its last ``memo_size`` texts).
    aligned = [
        t for story in stories if len(story.doc_ids) > 1 for _, _, t in items[story.story_id]
    ]
    if len(set(aligned)) <= getattr(embed, "memo_size", 0):
        embed(aligned)
    out: list[Claim] = []
    for story in stories:
        found = items[story.story_id]
        groups = _groups(story, found, statements, cfg, embed=embed)
        out.extend(_story_claims(story.story_id, found, groups, by_id, (statements, copies)))
    return tuple(_numbered(out))


def _numbered(claims: Sequence[Claim]) -> list[Claim]:
    from dataclasses import replace

    return [replace(c, claim_id=f"c{i + 1}") for i, c in enumerate(claims)]
