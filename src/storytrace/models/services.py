"""The shared services of a run: the heavy objects several stages use, each owning its cache.

A stage never builds one of these itself; the pipeline hands them in through
``CorpusRun.services``. ``Services.shared()`` is the process's default set, so a
long-lived process (the web UI, a test session) loads each model once; pass your
own ``Services()`` for a run with caches of its own.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from storytrace.models.embeddings import Embedder

#: Width of a MiniLM vector.
DIM = 384

#: What a stage needs of sentence vectors: L2-normalised vectors of texts, one row
#: each. :class:`Embeddings` is one; a test can pass a spy or a stub.
Embed = Callable[[Sequence[str]], NDArray[np.float32]]


class Embeddings:
    """L2-normalised MiniLM vectors of texts, with the recent texts memoised.

    The lineage stages embed the same statements and sentences several times
    (claims, drift, disagreements, dates, timeline); the memo holds the last
    ``memo_size`` texts. The model loads on first use.
    """

    def __init__(self, memo_size: int = 20_000) -> None:
        self.memo_size = memo_size
        self._model: Embedder | None = None
        self._vectors: OrderedDict[str, NDArray[np.float32]] = OrderedDict()

    def model(self) -> Embedder:
        if self._model is None:
            from storytrace.models.embeddings import Embedder  # heavy: onnxruntime

            self._model = Embedder()
        return self._model

    def __call__(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        # This call's vectors are kept apart from the memo: one call may hold more
        # texts than the memo does (every sentence of 1,000 articles at once), and
        # what the memo evicts must still be answered.
        found: dict[str, NDArray[np.float32]] = {}
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            vec = self._vectors.get(text)
            if vec is None:
                missing.append(text)
            else:
                found[text] = vec
                self._vectors.move_to_end(text)
        if missing:
            for text, vec in zip(missing, self.model().embed(missing), strict=True):
                found[text] = vec
                self._vectors[text] = vec
            while len(self._vectors) > self.memo_size:
                self._vectors.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def known(self, texts: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """The memoised vectors of those of ``texts`` that are memoised."""
        return {t: self._vectors[t] for t in texts if t in self._vectors}

    def remember(self, vectors: Mapping[str, NDArray[np.float32]]) -> None:
        """Memoise vectors computed elsewhere (a worker process's), as if computed here.

        A text's vector does not depend on the batch it was computed in, so a
        vector from another process is the one this process would compute.
        """
        for text, vec in vectors.items():
            self._vectors[text] = vec
            self._vectors.move_to_end(text)
            if len(self._vectors) > self.memo_size:
                self._vectors.popitem(last=False)

    def clear(self) -> None:
        """Forget the memoised vectors (the model stays loaded)."""
        self._vectors.clear()


@dataclass(slots=True)
class Services:
    """The models and caches a run's stages share.

    Attributes:
        embed (Embeddings): sentence vectors (claims, drift, disagreements, dates, timeline).
    """

    embed: Embeddings = field(default_factory=Embeddings)

    @staticmethod
    @cache
    def shared() -> Services:
        """The process's default services."""
        return Services()
