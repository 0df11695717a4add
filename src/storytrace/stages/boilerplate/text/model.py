"""The cleaner's bundled model (``textclean.model.v1``): two stacked tree ensembles.

The ensembles are stored as JSON in ``resources/textclean_model.json`` (written by
``tools/train_textclean.py``, no pickle), packed into padded arrays and walked for
all trees at once with numpy.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from storytrace.stages.boilerplate.text.features import (
    FloatArray,
    Line,
    line_features,
    page_stoplist,
    stacked_features,
)

MODEL_METHOD = "textclean.model.v1"


@dataclass(frozen=True, slots=True)
class TreeEnsemble:
    """A boosted tree ensemble packed into padded ``(trees, nodes)`` arrays.

    Attributes:
        baseline (float): raw score before any tree (log-odds of body).
        feature (npt.NDArray[np.int64]): split feature per node.
        threshold (FloatArray): go left when the feature is ``<=`` this.
        left (npt.NDArray[np.int64]): left child per node.
        right (npt.NDArray[np.int64]): right child per node.
        missing_left (npt.NDArray[np.bool_]): where NaN (no neighbour) goes.
        leaf (npt.NDArray[np.bool_]): whether a node is a leaf.
        value (FloatArray): leaf value (learning rate already applied).
        depth (int): longest root-to-leaf path.
    """

    baseline: float
    feature: npt.NDArray[np.int64]
    threshold: FloatArray
    left: npt.NDArray[np.int64]
    right: npt.NDArray[np.int64]
    missing_left: npt.NDArray[np.bool_]
    leaf: npt.NDArray[np.bool_]
    value: FloatArray
    depth: int


def ensemble_from_json(data: dict[str, Any]) -> TreeEnsemble:
    """Pack the JSON form written by ``tools/train_textclean.py``.

    Args:
        data (dict[str, Any]): ``{"baseline", "depth", "trees": [{"feature",
            "threshold", "left", "right", "missing_left", "leaf", "value"}]}``.

    Returns:
        TreeEnsemble: arrays padded to the largest tree.
    """
    trees = data["trees"]
    width = max(len(t["feature"]) for t in trees)

    def pack(key: str, dtype: type, fill: float) -> npt.NDArray[Any]:
        out: npt.NDArray[Any] = np.full((len(trees), width), fill, dtype=dtype)
        for i, tree in enumerate(trees):
            out[i, : len(tree[key])] = tree[key]
        return out

    return TreeEnsemble(
        baseline=float(data["baseline"]),
        feature=pack("feature", np.int64, 0),
        threshold=pack("threshold", np.float64, 0.0),
        left=pack("left", np.int64, 0),
        right=pack("right", np.int64, 0),
        missing_left=pack("missing_left", np.bool_, 1),
        leaf=pack("leaf", np.bool_, 1),
        value=pack("value", np.float64, 0.0),
        depth=int(data["depth"]),
    )


def predict_proba(model: TreeEnsemble, features: FloatArray) -> FloatArray:
    """Body probability of every row, walking all trees at once.

    Args:
        model (TreeEnsemble): the packed ensemble.
        features (FloatArray): ``(rows, n_features)``, NaN allowed.

    Returns:
        FloatArray: one probability per row.
    """
    n_trees = model.feature.shape[0]
    rows = np.arange(features.shape[0])[None, :]
    trees = np.arange(n_trees)[:, None]
    node = np.zeros((n_trees, features.shape[0]), dtype=np.int64)
    for _ in range(model.depth):
        x = features[rows, model.feature[trees, node]]
        go_left = np.where(
            np.isnan(x), model.missing_left[trees, node], x <= model.threshold[trees, node]
        )
        child = np.where(go_left, model.left[trees, node], model.right[trees, node])
        node = np.where(model.leaf[trees, node], node, child)
    raw = model.baseline + model.value[trees, node].sum(axis=0)
    return np.asarray(1.0 / (1.0 + np.exp(-raw)), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class TextCleanModel:
    """The bundled model: two tree ensembles and the stoplists they were trained with."""

    stage1: TreeEnsemble
    stage2: TreeEnsemble
    stoplists: tuple[frozenset[str], ...]


@lru_cache(maxsize=1)
def load_model() -> TextCleanModel:
    """Load ``resources/textclean_model.json`` once per process.

    Returns:
        TextCleanModel: the stage ensembles and stoplists.
    """
    path = resources.files("storytrace").joinpath("resources", "textclean_model.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    stoplists = tuple(frozenset(words) for words in data.get("stoplists", {}).values())
    return TextCleanModel(
        ensemble_from_json(data["stage1"]), ensemble_from_json(data["stage2"]), stoplists
    )


def body_scores(lines: tuple[Line, ...]) -> FloatArray:
    """Stage-two body probability of every line (``textclean.model.v1``).

    Args:
        lines (tuple[Line, ...]): the page's non-empty lines.

    Returns:
        FloatArray: one probability per line (empty for no lines).
    """
    if not lines:
        return np.zeros(0)
    model = load_model()
    base = line_features(lines, page_stoplist(lines, model.stoplists))
    p1 = predict_proba(model.stage1, base)
    return predict_proba(model.stage2, stacked_features(base, p1))
