"""The shared sentence-vector memo: answers every text of a call, however many."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from numpy.typing import NDArray

from storytrace.models.services import DIM, Embeddings

# The suite's model guard counts any Embeddings call as a model use; these calls reach
# only the stand-in model below, but they run with the model tests.
pytestmark = pytest.mark.model


class _Counting:
    """A stand-in vector model: text i gets a row of i's (what matters is which row)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        self.seen += texts
        return np.stack([np.full(DIM, float(len(t)), dtype=np.float32) for t in texts])


@pytest.fixture
def memo() -> tuple[Embeddings, _Counting]:
    embeddings = Embeddings(memo_size=3)
    model = _Counting()
    embeddings._model = model  # type: ignore[assignment]
    return embeddings, model


def test_a_call_larger_than_the_memo_is_answered_whole(memo: tuple[Embeddings, _Counting]) -> None:
    # 1,000 articles in one process sent more sentences in one call than the memo holds:
    # the oldest were evicted before they were read back (KeyError; drift and timeline lost).
    embeddings, model = memo
    texts = ["a", "bb", "ccc", "dddd", "eeeee", "bb"]
    vectors = embeddings(texts)
    assert [float(v[0]) for v in vectors] == [1, 2, 3, 4, 5, 2]
    assert model.seen == ["a", "bb", "ccc", "dddd", "eeeee"]  # each text embedded once


def test_the_memo_keeps_the_most_recent_texts(memo: tuple[Embeddings, _Counting]) -> None:
    embeddings, model = memo
    embeddings(["a", "bb", "ccc"])
    embeddings(["a"])  # "a" is now the most recent
    embeddings(["dddd"])  # evicts "bb", the least recent
    model.seen.clear()
    embeddings(["a", "ccc", "bb"])
    assert model.seen == ["bb"]
