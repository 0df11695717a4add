"""The swapped spaCy components against spaCy's own: time and identity, same pages.

storytrace's pipeline replaces the model's ``attribute_ruler`` and the
lemmatizer's loop with faster equivalents (:mod:`storytrace.models.nlp`). The
throughput benchmark compares storytrace against spaCy as shipped, so part of
storytrace's lead there is these two components; this measurement says how
much, and checks on every token of the benchmark pages that the output is the
same. The pages are parsed once up to the attribute ruler; each component pair
then runs on its own copies of those parses.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

#: The components compared, in pipeline order.
SWAPPED = ("attribute_ruler", "lemmatizer")


def _timed_run(component: Any, docs: list[Doc]) -> float:
    started = time.perf_counter()
    for doc in docs:
        component(doc)
    return time.perf_counter() - started


def _differing(stock: list[Doc], ours: list[Doc]) -> int:
    """Tokens whose tag, POS, morphology, lemma, label or head differ."""

    def row(token: Any) -> tuple[int, ...]:
        return (token.tag, token.pos, token.morph.key, token.lemma, token.dep, token.head.i)

    return sum(
        row(a) != row(b)
        for x, y in zip(stock, ours, strict=True)
        for a, b in zip(x, y, strict=True)
    )


def compare_components(texts: Sequence[str]) -> dict[str, Any]:
    """Seconds of spaCy's and storytrace's attribute ruler and lemmatizer on ``texts``.

    Args:
        texts (Sequence[str]): what the pipeline parses (already cut to its limit).

    Returns:
        dict: ``tokens``, ``tokens_differing`` (0 when equivalent) and per
        component ``spacy_s`` / ``storytrace_s``, plus their ``saved_s`` total.
    """
    from storytrace.models.nlp import load_stock_nlp, swap_components

    stock = load_stock_nlp()
    ours = swap_components(load_stock_nlp(vocab=stock.vocab))  # one vocabulary: docs are shared
    upstream = [n for n in stock.pipe_names if n in SWAPPED or n == "ner"]
    parsed = list(stock.pipe(texts, disable=upstream))
    stock_docs = [doc.copy() for doc in parsed]
    our_docs = [doc.copy() for doc in parsed]
    seconds = {
        name: {
            "spacy_s": round(_timed_run(stock.get_pipe(name), stock_docs), 2),
            "storytrace_s": round(_timed_run(ours.get_pipe(name), our_docs), 2),
        }
        for name in SWAPPED
    }
    saved = sum(s["spacy_s"] - s["storytrace_s"] for s in seconds.values())
    return {
        "tokens": sum(len(doc) for doc in parsed),
        "tokens_differing": _differing(stock_docs, our_docs),
        **seconds,
        "saved_s": round(saved, 2),
    }
