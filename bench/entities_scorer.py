"""Node-pair features of the entity stage's merge nodes, for the alias-pair experiments (#25).

The merge rules (:mod:`storytrace.stages.entities.merge`) join merge nodes by hand-built
tests. This module proposes the node pairs worth scoring (:func:`candidates`: a shared
content word, acronym or spelling prefix), the pairs a scorer may judge (:func:`eligible`)
and their features (:func:`features`): edit and trigram similarity, token overlap and
containment, surname and first-word agreement, an acronym match, label agreement, one
article or related articles, mention counts. ``tools/train_alias.py`` cross-validates a
logistic regression over them (session 16) and ``bench/entities_pairs.py`` compares
learned models with the rules (session 14). Neither is part of the stage: in session 17
the disabled model file and the stage's switch were removed (see docs/benchmarks.md,
"Session 17").

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations

from storytrace.stages.entities.extract import load_gazetteer
from storytrace.stages.entities.merge import content_words, initials
from storytrace.stages.entities.names import fold, generation, name_words, spelling_key

#: Label classes: a person, a body, a place, a thing.
CLASSES = {"PERSON": 0, "ORG": 1, "OUTLET": 1, "MILITARY_UNIT": 1, "GPE": 2, "LOC": 2, "FAC": 2}
#: Separates an article id from a name only that article may use (as in ``merge``).
SCOPE = "\x1f"
#: A bucket of more nodes than this (a word every name holds) proposes no pair.
BUCKET_LIMIT = 60
#: At most this many articles of a node (the first by id) are compared for shared names.
ARTICLE_SAMPLE = 12

FEATURES = (
    "edit_similarity",
    "word_jaccard",
    "word_subset",
    "same_last_word",
    "same_first_word",
    "acronym_match",
    "same_label",
    "same_class",
    "both_person",
    "person_and_other",
    "one_article",
    "related_articles",
    "scoped",
    "fewest_words",
    "word_count_gap",
    "one_word",
    "log_articles",
    "same_letters",
    "both_person_class",
    "both_body",
    "both_place",
    "both_thing",
    "suffix_of",
    "prefix_of",
    "trigram_overlap",
    "log_shared_names",
    "curated",
    "upper_case",
    "body_and_place",
)


@dataclass(frozen=True)
class PairContext:
    """What the features read of a corpus's merge nodes.

    Attributes:
        labels (dict[str, str]): node -> label.
        docs (dict[str, set[str]]): node -> the articles it occurs in.
        in_doc (dict[str, set[str]]): article -> its nodes.
    """

    labels: dict[str, str]
    docs: dict[str, set[str]]
    in_doc: dict[str, set[str]]


def context(labels: dict[str, str], docs: dict[str, set[str]]) -> PairContext:
    """The pair context of a corpus's nodes (``docs``: node -> articles)."""
    in_doc: dict[str, set[str]] = defaultdict(set)
    for node, ids in docs.items():
        for doc_id in ids:
            in_doc[doc_id].add(node)
    return PairContext(labels, docs, dict(in_doc))


def bare(node: str) -> str:
    """A node's name without its article scope."""
    return node.split(SCOPE)[-1]


def candidates(keys: Sequence[str]) -> list[tuple[str, str]]:
    """Node pairs sharing a content word, an acronym or a spelling's first four letters."""
    buckets: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        name = bare(key)
        for word in content_words(name):
            buckets[word].add(key)
        plain = name.replace(".", "")
        for acronym in (*initials(name), *([plain] if plain.isupper() else [])):
            buckets["#" + acronym].add(key)
        spelled = spelling_key(name).replace(" ", "")
        if len(spelled) >= 5:
            buckets["~" + spelled[:4]].add(key)
    pairs: set[tuple[str, str]] = set()
    for bucket in buckets.values():
        if len(bucket) <= BUCKET_LIMIT:
            pairs.update(combinations(sorted(bucket), 2))
    return sorted(pairs)


def _shared_names(a: str, b: str, ctx: PairContext) -> int:
    """The most names (besides the pair) two articles, one of each node, share."""
    da = sorted(ctx.docs.get(a, ()))[:ARTICLE_SAMPLE]
    db = sorted(ctx.docs.get(b, ()))[:ARTICLE_SAMPLE]
    best = 0
    for x in da:
        for y in db:
            if x != y:
                best = max(best, len((ctx.in_doc[x] & ctx.in_doc[y]) - {a, b}))
    return best


def trigram_overlap(a: str, b: str) -> float:
    """Jaccard overlap of two names' character trigrams (spaces removed)."""

    def grams(s: str) -> set[str]:
        s = s.replace(" ", "")
        return {s[i : i + 3] for i in range(max(1, len(s) - 2))}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / max(1, len(ga | gb))


def features(a: str, b: str, ctx: PairContext, shared: int | None = None) -> list[float]:
    """The pair's features, in the order of :data:`FEATURES` (``shared``: the articles'
    shared names when known, else counted)."""
    ba, bb = bare(a), bare(b)
    sa, sb = spelling_key(ba), spelling_key(bb)
    wa, wb = content_words(ba), content_words(bb)
    la, lb = ctx.labels.get(a, ""), ctx.labels.get(b, "")
    ca, cb = CLASSES.get(la, 3), CLASSES.get(lb, 3)
    ua, ub = ba.replace(".", ""), bb.replace(".", "")
    na, nb = name_words(ba), name_words(bb)
    short, long = sorted((sa.split(), sb.split()), key=len)
    shared = _shared_names(a, b, ctx) if shared is None else shared
    curated = load_gazetteer()["aliases"]
    return [
        SequenceMatcher(None, sa, sb).ratio(),
        len(wa & wb) / max(1, len(wa | wb)),
        float(bool(wa) and bool(wb) and (wa <= wb or wb <= wa)),
        float(bool(na) and bool(nb) and fold(na[-1]) == fold(nb[-1])),
        float(bool(na) and bool(nb) and fold(na[0]) == fold(nb[0])),
        float((ua.isupper() and ua in initials(bb)) or (ub.isupper() and ub in initials(ba))),
        float(la == lb),
        float(ca == cb),
        float(la == lb == "PERSON"),
        float((ca == 0 or cb == 0) and ca != cb),
        float(bool(ctx.docs.get(a, set()) & ctx.docs.get(b, set()))),
        float(shared >= 2),
        float(SCOPE in a or SCOPE in b),
        float(min(len(wa), len(wb))),
        float(abs(len(wa) - len(wb))),
        float(min(len(wa), len(wb)) == 1),
        math.log1p(len(ctx.docs.get(a, ()))) + math.log1p(len(ctx.docs.get(b, ()))),
        float(sa.replace(" ", "") == sb.replace(" ", "")),
        *(float(ca == k and cb == k) for k in range(4)),
        float(len(short) < len(long) and long[-len(short) :] == short),
        float(len(short) < len(long) and long[: len(short)] == short),
        trigram_overlap(sa, sb),
        math.log1p(shared),
        float(ba in curated or bb in curated),
        float(ua.isupper() or ub.isupper()),
        float(ca != cb and 0 not in (ca, cb)),
    ]


def eligible(a: str, b: str, ctx: PairContext) -> bool:
    """Whether the scorer may judge the pair at all: both nodes are names of the corpus
    (not an article's own: a surname two people of it share, a lone surname, a son
    beside his father), of one generation ("Jr." against none), neither an acronym,
    both people, both places or both neither, and printed within one story (one
    article, or two articles that share two other names) -- two people of one name in
    two stories, a person's initials, a place and a team are the rules' to tell."""
    if SCOPE in a or SCOPE in b or generation(bare(a)) != generation(bare(b)):
        return False
    if _acronym_like(bare(a)) or _acronym_like(bare(b)):
        return False  # acronyms are the rules' ("SA": Saudi Arabia, South Africa, South Asia)
    ca, cb = (CLASSES.get(ctx.labels.get(n, ""), 3) for n in (a, b))
    if (ca == 0) != (cb == 0) or (ca == 2) != (cb == 2):
        return False  # a person or a place is never a body's name ("Dallas" / "Dallas Clark")
    return bool(ctx.docs.get(a, set()) & ctx.docs.get(b, set())) or _shared_names(a, b, ctx) >= 2


def _acronym_like(name: str) -> bool:
    """Initials ("SA", "P.S.", "N.F.L."): capitals without a space, six letters at most."""
    plain = name.replace(".", "")
    return " " not in name and plain.isupper() and len(plain) <= 6
