"""Grouping things that belong together: one union-find for every stage that merges.

Entities merge aliases, claims and origins merge articles that copy each other;
each says which member of a merged group represents it (``order``: the member that
sorts first is the root), so a group's name does not depend on the order of the unions.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

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
