"""Grouping things that belong together: one union-find for every stage that merges.

Entities merge aliases, claims and origins merge articles that copy each other;
each says which member of a merged group represents it (``order``: the member that
sorts first is the root), so a group's name does not depend on the order of the unions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import numpy as np
from numpy.typing import NDArray

K = TypeVar("K", bound=Hashable)


class UnionFind(Generic[K]):
    """Disjoint sets with path halving; the member that sorts first by ``order`` is the root."""

    def __init__(self, order: Callable[[K], Any]) -> None:
        self.parent: dict[K, K] = {}
        self.order = order

    def find(self, key: K) -> K:
        parent = self.parent
        while parent.get(key, key) != key:
            parent[key] = parent.get(parent[key], parent[key])
            key = parent[key]
        return key

    def union(self, a: K, b: K) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            keep, drop = (ra, rb) if self.order(ra) <= self.order(rb) else (rb, ra)
            self.parent[drop] = keep


def average_link(link: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Exact average-link agglomeration (Lance-Williams updates) over a similarity matrix.

    A ``-inf`` entry is a cannot-link: the two items, and any groups holding them,
    never merge. Merging stops when the best average similarity falls below
    ``threshold``. Returns the groups as sorted index lists.
    """
    n = len(link)
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    link = link.astype(np.float64).copy()
    np.fill_diagonal(link, -np.inf)
    while len(groups) > 1:
        flat = np.unravel_index(int(np.argmax(link)), link.shape)
        i, j = int(flat[0]), int(flat[1])
        if link[i, j] < threshold:
            break
        size_i, size_j = len(groups[i]), len(groups[j])
        merged = (link[i] * size_i + link[j] * size_j) / (size_i + size_j)
        merged[np.isneginf(link[i]) | np.isneginf(link[j])] = -np.inf
        link[i], link[:, i] = merged, merged
        link[i, i] = -np.inf
        link[j, :], link[:, j] = -np.inf, -np.inf
        groups[i] += groups.pop(j)
    return [sorted(g) for g in groups.values()]
