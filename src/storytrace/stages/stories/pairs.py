"""Second pass of story clustering: split one topic group into stories with a pair model.

The first pass (:func:`~storytrace.stages.stories.agglomeration.agglomerate` with the
loose ``topic_*`` thresholds) groups articles of one *kind* of event. This pass
re-weights the group's articles with document frequencies counted *inside the
group only*: words every article of the topic shares ("rehab", "earthquake") fall
to the lowest weight, and what separates two events of one kind (names, numbers,
places) stands out. As nothing outside the group enters its weights, an article's
story cannot change when unrelated articles join the run (ECB+ dev beside train:
74 of 197 articles changed story with corpus-wide frequencies, none with these).

A logistic-regression pair model (:class:`PairModel`, fitted on ECB+ train with
cross-validation over topics in ``bench/stories.py``) turns the pair features
(:data:`FEATURES`) into the probability that two articles report one event; groups
are average-linked on it while the mean probability is at least ``threshold`` and
the time tests of the first pass hold.

DOCS: docs/stages/stories.md
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storytrace.stages.stories.agglomeration import Unit, merge_span, time_allows
from storytrace.stages.stories.config import PairModel
from storytrace.stages.stories.features import Corpus, Features, Vector, number_vector

if TYPE_CHECKING:
    from storytrace.stages.stories.config import StoryConfig

Matrix = npt.NDArray[np.float64]

#: Names of the pair features, in the order of :class:`PairModel` weights.
FEATURES = (
    "cos_mixed",  # cosine of the mixed words/names/lead vectors
    "cos_words",
    "cos_names",
    "cos_lead",
    "cos_numbers",  # numbers of the names part but years (0 when a side has none)
    "both_numbers",  # 1 when both articles print such numbers
    "relative",  # cos_mixed minus the mean of both articles' mean cosine in the group
    "same_year",  # both articles' years known (published, else newest printed) and equal
    "years_apart",  # both known and two or more years apart
    "days_near",  # both dates known (published, else newest printed) within _NEAR_DAYS
)
#: Time evidence of a pair (ECB+ train, pairs inside first-pass groups): articles
#: printing the same newest year, or dates within two weeks, report one event in 100%
#: and 99.9% of pairs. Years further apart are weaker evidence (background years,
#: follow-ups: 46% of such pairs are one event), left for the model to weigh. Dates
#: more than 60 days apart were dropped as a feature: fitted, its weight came out
#: positive (it stood for "both print a date", a layout trait of the benchmark),
#: and far dates must never argue for one event; the time tests handle them.
_YEARS_APART = 2
_NEAR_DAYS = 14


def _unit(vec: Mapping[str, float]) -> Vector:
    """L2-normalised copy (empty stays empty)."""
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {k: v / norm for k, v in vec.items()} if norm else {}


def _cosines(vectors: Sequence[Mapping[str, float]]) -> Matrix:
    """Dense cosine matrix of unit sparse vectors (dense over their joint vocabulary)."""
    vocab: dict[str, int] = {}
    for vec in vectors:
        for key in vec:
            vocab.setdefault(key, len(vocab))
    dense = np.zeros((len(vectors), max(1, len(vocab))))
    for row, vec in enumerate(vectors):
        for key, value in vec.items():
            dense[row, vocab[key]] = value
    return np.asarray(dense @ dense.T, dtype=np.float64)


def _parts(corpus: Corpus, doc_id: str, config: StoryConfig) -> list[Vector]:
    """The mixed, words, names, lead and number vectors of one article."""
    feat = corpus.feats[doc_id]
    mixed = corpus.vector(doc_id, config)
    words = _unit({k: v for k, v in mixed.items() if k.startswith("w:")})
    names = _unit({k: v for k, v in mixed.items() if k.startswith("n:")})
    lead = _unit({k: v for k, v in mixed.items() if k.startswith("l:")}) if feat.lead else {}
    return [mixed, words, names, lead, number_vector(mixed)]


def pair_features(
    members: Sequence[str], feats: Mapping[str, Features], config: StoryConfig
) -> Matrix:
    """Pair features of a group's articles, frequencies counted inside the group.

    Args:
        members (Sequence[str]): doc ids of one first-pass group.
        feats (Mapping[str, Features]): raw term counts by doc id.
        config (StoryConfig): vector weights (``entity_weight``, ``lead_weight``, ``min_df``).

    Returns:
        Matrix: shape (n, n, len(FEATURES)).
    """
    local = Corpus()
    for m in members:
        local.add(m, feats[m])
    parts = [_parts(local, m, config) for m in members]
    cos = [_cosines([p[i] for p in parts]) for i in range(5)]
    has_num = np.array([float(bool(p[4])) for p in parts])
    both = np.outer(has_num, has_num)
    n = len(members)
    mixed = cos[0]
    mean = (mixed.sum(axis=1) - np.diag(mixed)) / max(1, n - 1)
    relative = mixed - (mean[:, None] + mean[None, :]) / 2 if n > 2 else np.zeros((n, n))
    time = _time_features([feats[m] for m in members])
    return np.stack([mixed, cos[1], cos[2], cos[3], cos[4] * both, both, relative, *time], axis=-1)


def _time_features(feats: Sequence[Features]) -> list[Matrix]:
    """Same year, years apart and days near of every pair (0 when unknown)."""
    n = len(feats)
    years = np.array([f.year if f.year is not None else np.nan for f in feats], dtype=np.float64)
    days = np.array([f.day.toordinal() if f.day is not None else np.nan for f in feats],
                    dtype=np.float64)  # fmt: skip
    gaps = []
    for values in (years, days):
        known = ~np.isnan(values)
        gap = np.abs(np.subtract.outer(np.nan_to_num(values), np.nan_to_num(values)))
        gaps.append(np.where(np.outer(known, known), gap, np.inf))
    out = [gaps[0] == 0, np.isfinite(gaps[0]) & (gaps[0] >= _YEARS_APART), gaps[1] <= _NEAR_DAYS]
    return [np.asarray(m, dtype=np.float64).reshape(n, n) for m in out]


def probabilities(x: Matrix, model: PairModel) -> Matrix:
    """P(same event) of every pair from its features (last axis)."""
    z = x @ np.asarray(model.weights) + model.bias
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def fit_pair_model(x: Matrix, y: Matrix, l2: float = 1.0, threshold: float = 0.5) -> PairModel:
    """Fit a logistic pair model by Newton's method with an L2 penalty (numpy only).

    Args:
        x (Matrix): pair features, shape (pairs, len(FEATURES)).
        y (Matrix): 1 for a same-event pair, 0 otherwise.
        l2 (float): penalty on the weights (not the bias).
        threshold (float): merge threshold stored in the model.

    Returns:
        PairModel: the fitted weights, rounded to 4 places.
    """
    design = np.hstack([x, np.ones((len(x), 1))])
    beta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) * l2
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        grad = design.T @ (p - y) + penalty @ beta
        hess = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    weights = tuple(round(float(b), 4) for b in beta[:-1])
    return PairModel(weights, round(float(beta[-1]), 4), threshold)


def average_link(
    prob: Matrix, units: list[Unit], threshold: float, config: StoryConfig
) -> list[list[int]]:
    """Average-link agglomeration on pair probabilities, with the time tests.

    Args:
        prob (Matrix): P(same event) of every pair of articles, shape (n, n).
        units (list[Unit]): one singleton unit per article (its dates; widened in place).
        threshold (float): lowest mean probability at which two groups merge.
        config (StoryConfig): ``max_gap_days`` and ``max_printed_lag_years``.

    Returns:
        list[list[int]]: the groups, as article indices.
    """
    n = len(units)
    sums = prob.astype(np.float64, copy=True)
    sizes = np.ones(n)
    members = [[i] for i in range(n)]
    open_ = np.ones((n, n), dtype=bool)
    np.fill_diagonal(open_, False)
    while True:
        link = np.where(open_, sums / np.outer(sizes, sizes), -np.inf)
        a, b = divmod(int(np.argmax(link)), n)
        if link[a, b] < threshold:
            break
        if not time_allows(units[a], units[b], config):
            open_[a, b] = open_[b, a] = False
            continue
        merge_span(units[a], units[b])
        sums[a] += sums[b]
        sums[:, a] += sums[:, b]
        sizes[a] += sizes[b]
        members[a] += members[b]
        members[b] = []
        open_[b, :] = open_[:, b] = False
    return [m for m in members if m]


def split_group(
    members: Sequence[str], feats: Mapping[str, Features], units: list[Unit], config: StoryConfig
) -> list[list[str]]:
    """Split one first-pass group into stories (see module doc).

    Args:
        members (Sequence[str]): doc ids of the group, sorted.
        feats (Mapping[str, Features]): raw term counts by doc id.
        units (list[Unit]): one singleton unit per member (dates for the time tests).
        config (StoryConfig): vector weights, time tests and ``pair_model``.

    Returns:
        list[list[str]]: the stories' doc ids.
    """
    if len(members) < 2:
        return [list(members)]
    model = config.pair_model
    prob = probabilities(pair_features(members, feats, config), model)
    groups = average_link(prob, units, model.threshold, config)
    return [[members[i] for i in group] for group in groups]
