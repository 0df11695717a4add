"""Scoring functions of the shared benchmark sets, re-implemented from their READMEs.

* ScrapingHub article-extraction-benchmark: multiset of 4-token shingles per page,
  per-page (tp, fp, fn) normalised to sum 1, precision and recall averaged over
  pages, F1 of the two means.
* WCXB: bag of lower-cased ``\\w+`` tokens per page, P/R/F1 per page, mean over pages.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class PRF:
    """Precision, recall and F1 over a set of pages."""

    precision: float
    recall: float
    f1: float
    pages: int


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _WORD.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def aeb_page_counts(gold: str, pred: str) -> tuple[float, float, float]:
    """Normalised (tp, fp, fn) of one page, as the ScrapingHub benchmark counts them."""
    g, p = _shingles(gold), _shingles(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def aeb_score(pairs: Iterable[tuple[str, str]]) -> PRF:
    """ScrapingHub F1 over ``(gold, predicted)`` page pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    n = 0
    for gold, pred in pairs:
        n += 1
        tp, fp, fn = aeb_page_counts(gold, pred)
        if fp == 0 and fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
            continue
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(p, r, f1, n)


def wcxb_page_prf(gold: str, pred: str) -> tuple[float, float, float]:
    """Bag-of-words (P, R, F1) of one WCXB page."""
    g = Counter(_WORD.findall(gold.lower()))
    p = Counter(_WORD.findall(pred.lower()))
    if not g and not p:
        return 1.0, 1.0, 1.0
    overlap = sum((g & p).values())
    precision = overlap / sum(p.values()) if p else 0.0
    recall = overlap / sum(g.values()) if g else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def wcxb_score(pairs: Iterable[tuple[str, str]]) -> PRF:
    """WCXB mean-over-pages P/R/F1 over ``(gold, predicted)`` page pairs."""
    rows = [wcxb_page_prf(g, p) for g, p in pairs]
    if not rows:
        return PRF(0.0, 0.0, 0.0, 0)
    n = len(rows)
    return PRF(
        sum(r[0] for r in rows) / n, sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n, n
    )
