"""Claim membership learned from annotations: how likely two statements are one proposition.

The rules of :mod:`~storytrace.stages.lineage.propositions` blend MiniLM cosine with
shared words under one hand-set threshold. This module replaces that blend, when
``PropositionConfig.membership`` is ``"learned"``, by a logistic regression over
features of a pair of statements of different articles of one story:

* meaning: MiniLM cosine; shared content words (share of the shorter, and
  Jaccard); shared word trigrams (copied wording);
* things: shared capitalised names; shared quantities of one unit that agree;
  quantities of one unit that conflict ("arrested on 3 counts" / "5 counts");
* who says it: the same source, both narrated, one attributed and one narrated;
* where: both in an article's lead, how far apart their positions are;
* form: a negation in one only; the length ratio.

Its weights are plain numbers in ``membership_model.json`` beside this module,
fitted offline by ``tools/train_membership.py`` on the annotated dev topics
(pairs labelled same gold claim / different), with the clustering thresholds
picked by leave-one-topic-out cross-validation on those topics. Nothing here
imports a learning library: the product only evaluates ``sigmoid(w . x + b)``.

Two statements whose quantities of one unit conflict are never one claim (a
cannot-link, whatever the model says): they are a disagreement, which the
disagreement stage reports.

DOCS: docs/stages/claims.md
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storytrace.stages.lineage.numbers import Quantity, conflicts, quantities

__all__ = [
    "FEATURES",
    "MembershipModel",
    "PairInput",
    "default_model",
    "pair_features",
    "probabilities",
]

#: Feature names, in the order of the model's weights.
FEATURES: tuple[str, ...] = (
    "cosine",
    "lexical",
    "jaccard",
    "trigrams",
    "names",
    "same_quantity",
    "conflict",
    "same_source",
    "both_narrated",
    "one_narrated",
    "both_lead",
    "position_gap",
    "negation_differs",
    "length_ratio",
)

#: A word of a statement, and the words that carry no content: claim alignment reads
#: statements with these too (``propositions``), so both see the same words.
WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_NAME = re.compile(r"\b[A-Z][a-z][\w'’-]+")
STOP_WORDS = frozenset(
    "a an the of to in on at by for with from and or but as is are was were be been being has have "
    "had it its this that these those he she they his her their him them who which what when where "
    "said says say told according also after before about into over than then there here not no "
    "would could will can may might one two".split()
)


@dataclass(frozen=True, slots=True)
class PairInput:
    """What the features read of one statement.

    Attributes:
        text (str): the statement's words.
        doc_id (str): its article.
        source_key (str | None): its source's key; ``None`` for narration.
        negated (bool): it carries a negation or a denial.
        position (int): its rank among its article's statements (0: the first).
    """

    text: str
    doc_id: str
    source_key: str | None
    negated: bool
    position: int


@dataclass(frozen=True, slots=True)
class MembershipModel:
    """A fitted logistic regression over :data:`FEATURES` (standardised), and its thresholds.

    Attributes:
        features (tuple[str, ...]): the feature names the weights are for.
        mean (tuple[float, ...]): per feature, the training mean.
        scale (tuple[float, ...]): per feature, the training standard deviation.
        weights (tuple[float, ...]): per feature, its weight.
        bias (float): the intercept.
        link_threshold (float): average-link stop on the probabilities.
        join_threshold (float): an article's closest statement joins a claim of
            other articles at this mean probability.
        gate_threshold (float): with ``membership="gated"``, the rules' similarity
            clusters, and two statements below this probability are never one claim.
    """

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    link_threshold: float
    join_threshold: float
    gate_threshold: float = 0.0

    @staticmethod
    def from_json(data: dict[str, object]) -> MembershipModel:
        """Read the parameters written by ``tools/train_membership.py``."""

        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
        if features != FEATURES:
            raise ValueError(f"membership model features {features} are not {FEATURES}")
        return MembershipModel(
            features,
            floats("mean"),
            floats("scale"),
            floats("weights"),
            float(data["bias"]),  # type: ignore[arg-type]
            float(data["link_threshold"]),  # type: ignore[arg-type]
            float(data["join_threshold"]),  # type: ignore[arg-type]
            float(data.get("gate_threshold", 0.0)),  # type: ignore[arg-type]
        )


@cache
def default_model() -> MembershipModel:
    """The model bundled as ``membership_model.json`` (read once per process)."""
    path = resources.files("storytrace.stages.lineage").joinpath("membership_model.json")
    return MembershipModel.from_json(json.loads(path.read_text(encoding="utf-8")))


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in WORD.findall(text) if w.lower() not in STOP_WORDS)


def _trigrams(text: str) -> frozenset[tuple[str, ...]]:
    words = [w.lower() for w in WORD.findall(text)]
    return frozenset(tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2)))


def _names(text: str) -> frozenset[str]:
    """Capitalised words but the first: names, places, bodies."""
    return frozenset(m.group().lower() for m in _NAME.finditer(text.strip()) if m.start() > 0)


def _share(a: frozenset[Any], b: frozenset[Any]) -> float:
    return len(a & b) / max(1, min(len(a), len(b)))


@dataclass(frozen=True, slots=True)
class _Read:
    """What the features compare of one statement, read once."""

    item: PairInput
    words: frozenset[str]
    grams: frozenset[tuple[str, ...]]
    names: frozenset[str]
    counts: tuple[Quantity, ...]
    length: int

    @staticmethod
    def of(item: PairInput) -> _Read:
        text = item.text
        length = max(1, len(WORD.findall(text)))
        return _Read(
            item, _words(text), _trigrams(text), _names(text), tuple(quantities(text)), length
        )


def quantities_agree(a: Sequence[Quantity], b: Sequence[Quantity]) -> tuple[bool, bool]:
    """(some quantity of one unit agrees, some unit's quantities only conflict) for two statements.

    "12 people were hurt" / "at least 12 people were hurt" agree; "12 people" /
    "18 people" conflict; a unit with one agreeing pair does not conflict.
    """
    same = conflict = False
    for unit in {q.unit for q in a} & {q.unit for q in b}:
        qa = [q for q in a if q.unit == unit]
        qb = [q for q in b if q.unit == unit]
        if any(not conflicts(x, y) for x in qa for y in qb):
            same = True
        else:
            conflict = True
    return same, conflict


def pair_features(
    items: Sequence[PairInput], vecs: NDArray[np.float32]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Every pair's feature vector, and which pairs conflict in a quantity.

    Args:
        items (Sequence[PairInput]): the story's statements.
        vecs (NDArray[np.float32]): their unit-length sentence vectors, one row each.

    Returns:
        tuple: an ``(n, n, len(FEATURES))`` array and an ``(n, n)`` conflict mask.
    """
    n = len(items)
    cos = (vecs @ vecs.T).astype(np.float64)
    read = [_Read.of(i) for i in items]
    out = np.zeros((n, n, len(FEATURES)), dtype=np.float64)
    clash = np.zeros((n, n), dtype=bool)
    for a in range(n):
        for b in range(a + 1, n):
            values = _values(read[a], read[b], float(cos[a, b]))
            out[a, b] = out[b, a] = [values[name] for name in FEATURES]
            clash[a, b] = clash[b, a] = values["conflict"] > 0
    return out, clash


def _values(p: _Read, q: _Read, cosine: float) -> dict[str, float]:
    """One pair's features by name."""
    x, y = p.item, q.item
    union = len(p.words | q.words)
    same, conflict = quantities_agree(p.counts, q.counts)
    return {
        "cosine": cosine,
        "lexical": _share(p.words, q.words),
        "jaccard": len(p.words & q.words) / union if union else 0.0,
        "trigrams": _share(p.grams, q.grams),
        "names": _share(p.names, q.names) if p.names and q.names else 0.0,
        "same_quantity": float(same),
        "conflict": float(conflict),
        "same_source": float(x.source_key is not None and x.source_key == y.source_key),
        "both_narrated": float(x.source_key is None and y.source_key is None),
        "one_narrated": float((x.source_key is None) != (y.source_key is None)),
        "both_lead": float(x.position < 2 and y.position < 2),
        "position_gap": min(abs(x.position - y.position), 20) / 20,
        "negation_differs": float(x.negated != y.negated),
        "length_ratio": min(p.length, q.length) / max(p.length, q.length),
    }


def probabilities(
    items: Sequence[PairInput], vecs: NDArray[np.float32], model: MembershipModel
) -> NDArray[np.float64]:
    """The probability that each pair of statements is one claim.

    Statements of one article, and statements whose quantities conflict, get
    ``-inf`` (never one claim: :func:`~storytrace.stages.grouping.average_link`
    reads it as a cannot-link).

    Args:
        items (Sequence[PairInput]): the story's statements.
        vecs (NDArray[np.float32]): their sentence vectors.
        model (MembershipModel): the fitted weights.

    Returns:
        NDArray[np.float64]: an ``(n, n)`` matrix.
    """
    feats, clash = pair_features(items, vecs)
    z = (feats - np.array(model.mean)) / np.array(model.scale)
    logits = z @ np.array(model.weights) + model.bias
    probs: NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logits))
    docs = np.array([i.doc_id for i in items])
    probs[docs[:, None] == docs[None, :]] = -np.inf
    probs[clash] = -np.inf
    return probs
