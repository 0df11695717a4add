"""A learned alias-pair scorer added to the merge rules (#25, session 16).

The merge rules (:mod:`storytrace.stages.entities.merge`) join merge nodes by hand-built
tests. This module scores the node pairs the rules did not join with a logistic
regression over string and co-occurrence features (:func:`features`): edit and trigram
similarity, token overlap and containment, surname and first-word agreement, an acronym
match, label agreement, one article or related articles, mention counts. Its weights are
numbers in ``resources/alias_model.json``, written by ``tools/train_alias.py`` (fit on the
annotated dev topics and the ECB+ chain set, threshold chosen by cross-validation over
topics). A pair scoring at or above the stored threshold is merged (:func:`model_pairs`).
Without the resource file, or with ``"enabled": false`` in it, no pair is added.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from itertools import combinations
from typing import Any

from storytrace.stages.entities.extract import STOP_WORDS, load_gazetteer
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


def content_words(name: str) -> frozenset[str]:
    """A name's lower-case words that are no stop words."""
    return frozenset(w.lower() for w in re.findall(r"\w+", name) if w.lower() not in STOP_WORDS)


def initials(name: str) -> tuple[str, ...]:
    """The acronyms of a multi-word name: initials of its capitalised content words,
    of all its words (``Joint Comprehensive Plan of Action`` -> JCPA, JCPOA), and of
    the parts of hyphenated words (``Agence France-Presse`` -> AF, AFP).

    Args:
        name (str): e.g. ``Islamic Revolutionary Guard Corps``.

    Returns:
        tuple[str, ...]: e.g. ``("IRGC",)``; empty for names of fewer than two
        content words.
    """
    words = re.findall(r"[\w-]+", name.removeprefix("the ").removeprefix("The "))
    content = [w for w in words if w.lower() not in STOP_WORDS]
    if len(content) < 2 or not all(w[0].isupper() for w in content):
        return ()
    short = "".join(w[0] for w in content).upper()
    full = "".join(w[0] for w in words).upper()
    parts = [p for w in content for p in w.split("-") if p]  # Agence France-Presse: AFP
    split = "".join(p[0] for p in parts).upper() if all(p[0].isupper() for p in parts) else short
    return tuple(dict.fromkeys((short, full, split)))


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


#: The two features read from the articles' shared names (the costly part).
_SHARED = (FEATURES.index("related_articles"), FEATURES.index("log_shared_names"))


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


@dataclass(frozen=True)
class AliasModel:
    """A logistic regression over standardised :data:`FEATURES`.

    Attributes:
        mean (tuple[float, ...]): each feature's training mean.
        scale (tuple[float, ...]): each feature's training standard deviation.
        coef (tuple[float, ...]): the weights of the standardised features.
        intercept (float): the bias.
        threshold (float): the probability at or above which a pair merges.
    """

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float

    def logit(self, row: Sequence[float]) -> float:
        """The model's log-odds that the pair names one thing."""
        return self.intercept + sum(
            c * (x - m) / s
            for c, x, m, s in zip(self.coef, row, self.mean, self.scale, strict=True)
        )

    def probability(self, row: Sequence[float]) -> float:
        """The model's probability that the pair names one thing."""
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, self.logit(row)))))

    def may_merge(self, row: Sequence[float], most_shared: int) -> bool:
        """Whether some count of shared names (0 to ``most_shared``) could lift the pair
        to the threshold: ``row`` holds 0 shared names; the bound skips the costly count."""
        base = self.logit(row)
        best = max(
            base + self._shared_term(s) - self._shared_term(0)
            for s in {0, 1, 2, max(2, most_shared)}
        )
        return best >= math.log(self.threshold / (1.0 - self.threshold))

    def _shared_term(self, shared: int) -> float:
        i, j = _SHARED
        related = (float(shared >= 2) - self.mean[i]) / self.scale[i] * self.coef[i]
        return related + (math.log1p(shared) - self.mean[j]) / self.scale[j] * self.coef[j]


def model_from_json(raw: dict[str, Any]) -> AliasModel | None:
    """The model stored in ``raw`` (the resource's layout), or ``None`` when disabled."""
    if not raw.get("enabled", False) or list(raw.get("features", [])) != list(FEATURES):
        return None

    def numbers(key: str) -> tuple[float, ...]:
        return tuple(float(x) for x in raw[key])

    return AliasModel(
        numbers("mean"),
        numbers("scale"),
        numbers("coef"),
        float(raw["intercept"]),
        float(raw["threshold"]),
    )


@cache
def load_alias_model() -> AliasModel | None:
    """The bundled model (``resources/alias_model.json``), or ``None`` without one."""
    path = resources.files("storytrace").joinpath("resources", "alias_model.json")
    if not path.is_file():
        return None
    return model_from_json(json.loads(path.read_text(encoding="utf-8")))


def model_pairs(
    keys: Sequence[str],
    labels: dict[str, str],
    docs: dict[str, set[str]],
    find: Callable[[str], str],
    model: AliasModel | None,
) -> list[tuple[str, str]]:
    """Node pairs the rules left apart that the model merges.

    Args:
        keys (Sequence[str]): the merge nodes, sorted.
        labels (dict[str, str]): node -> label.
        docs (dict[str, set[str]]): node -> articles.
        find (Callable[[str], str]): the rules' group of a node.
        model (AliasModel | None): the scorer; ``None`` adds nothing.

    Returns:
        list[tuple[str, str]]: the pairs to merge, in a fixed order.
    """
    if model is None or not 0.0 < model.threshold < 1.0:
        return []
    ctx = context(labels, docs)
    most = max((len(names) for names in ctx.in_doc.values()), default=0)
    out = []
    for a, b in candidates(keys):
        if find(a) == find(b) or not eligible(a, b, ctx):
            continue
        if not model.may_merge(features(a, b, ctx, shared=0), most):
            continue
        if model.probability(features(a, b, ctx)) >= model.threshold:
            out.append((a, b))
    return out


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
