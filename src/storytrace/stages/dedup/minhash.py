"""Duplicates, syndicated copies and passage-level text reuse between articles.

Three relations between two documents, strongest first:

* ``exact``: the same text after normalisation (Unicode NFKC, case folding, curly
  quotes and dashes mapped to ASCII, whitespace collapsed) -- a SHA-1 per document,
  grouped in a dict: O(n) time.
* ``near``: syndicated copies and light rewrites. Each text becomes a set of word
  5-shingles, summarised by a MinHash (datasketch, 128 permutations); a MinHash LSH
  (banding) index returns candidates whose estimated Jaccard similarity is likely
  above ``near_threshold``; each candidate is verified on the exact shingle sets.
  O(n * num_perm) to build, about O(n) candidate pairs for news (each document
  collides with its copies only), never all n^2 pairs. State kept per document
  for the whole corpus: its LSH entry (~2 KB) and its shingle set as sorted
  64-bit hashes (8 bytes a shingle, ~14 KB for a 1,700-word article).
* ``reuse``: two different articles sharing passages (a wire paragraph, a quote
  copied word for word). Candidates come from an inverted index of *winnowed*
  word 5-gram fingerprints (Schleimer et al. 2003: the minimum hash of every window
  of ``min_passage_words - 4`` consecutive 5-grams), which guarantees that any two
  texts sharing a verbatim run of ``min_passage_words`` words share a fingerprint.
  Posting lists longer than ``max_posting`` are dropped, so page furniture shared by
  thousands of pages cannot make the search quadratic: candidate generation is
  O(total words + sum of kept posting lengths squared), i.e. O(n * max_posting) pairs
  at worst. Each candidate pair is aligned by seed-and-extend on word tokens
  (O(words of a + words of b) plus the matches) and the shared passages are
  returned as character spans on *both* texts.

Memory: the corpus stages hold every document, so this is not a streaming
stage; besides the per-document state above, tokens are cached for up to 2,048
documents (~200 KB each) during one ``find_duplicates`` call and dropped after it.

Hashing: every word n-gram is hashed once per document, in numpy (:func:`gram_hashes`:
a stable blake2b hash per distinct word, mixed in order), and those hashes serve as
shingles, MinHash input, fingerprints and alignment seeds alike.

All functions are pure: documents in, frozen records out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from storytrace.records import DocPair, Document, Relation, ReusePassage

if TYPE_CHECKING:
    from datasketch import MinHash


METHOD_EXACT = "dedup.exact.sha1.v1"
METHOD_NEAR = "dedup.minhash-lsh.v1"
METHOD_REUSE = "dedup.reuse.seed-extend.v1"

_WORD = re.compile(r"\w+", re.UNICODE)
_SEED_WORDS = 5  # word n-gram length of alignment seeds and fingerprints
_SPACE = re.compile(r"\s+")
# Typographic variants that syndication and CMS templates swap freely.
_ASCII_MAP = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DedupConfig:
    """Thresholds of the duplicate and reuse detectors.

    Attributes:
        shingle_words (int): words per shingle for MinHash (5: robust to small
            edits, rare enough that unrelated news pages share few).
        num_perm (int): MinHash permutations (128: Jaccard error ~0.09 at worst,
            only used for candidate retrieval; pairs are verified exactly).
        near_threshold (float): Jaccard similarity of shingle sets at or above which
            two texts are near-duplicates (0.8: syndicated copies with a changed
            headline, byline or last paragraph still pass).
        min_passage_words (int): shortest reused passage reported, in words (8:
            shorter runs are stock phrases, "according to the report").
        max_gap_words (int): words that may differ inside one passage before it is
            split (3: keeps a quote whose attribution verb was changed together).
        max_posting (int): fingerprints shared by more documents than this are page
            furniture and ignored for candidate retrieval.
    """

    shingle_words: int = 5
    num_perm: int = 128
    near_threshold: float = 0.8
    min_passage_words: int = 8
    max_gap_words: int = 3
    max_posting: int = 50


@dataclass(frozen=True, slots=True)
class _Tokens:
    """The word tokens of a text, column by column: normalised words and their spans.

    Columns rather than one record per word: a long article has thousands of
    words, and building a record each was the larger part of tokenising.
    """

    words: tuple[str, ...]
    starts: tuple[int, ...]
    ends: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class _Run:
    """A run of equal tokens: ``length`` tokens from ``i`` in a and ``j`` in b."""

    i: int
    j: int
    length: int


def normalise(text: str) -> str:
    """Text as compared for exact duplicates.

    Args:
        text (str): a document text.

    Returns:
        str: NFKC, case-folded, ASCII quotes and dashes, whitespace collapsed.
    """
    text = unicodedata.normalize("NFKC", text).translate(_ASCII_MAP).casefold()
    return _SPACE.sub(" ", text).strip()


def content_hash(text: str) -> str:
    """SHA-1 hex digest of :func:`normalise` of a text."""
    return hashlib.sha1(normalise(text).encode("utf-8")).hexdigest()


@lru_cache(maxsize=2048)
def tokens(text: str) -> _Tokens:
    """Word tokens of a text with their character spans (offsets into ``text``).

    Cached: near and reuse detection tokenise the same texts. The cache is
    bounded, and ``find_duplicates`` empties it when done, so it holds no
    tokens between corpora.
    """
    matches = list(_WORD.finditer(text))
    raw = [m.group(0) for m in matches]
    # NFKC/casefold per token keeps offsets valid: we never re-index a changed string.
    words = tuple(w.lower() if w.isascii() else _norm(w) for w in raw)
    return _Tokens(words, tuple(m.start() for m in matches), tuple(m.end() for m in matches))


def _norm(word: str) -> str:
    """Case-folded, NFKC-normalised word (the slow path, for non-ASCII words)."""
    return unicodedata.normalize("NFKC", word).casefold()


#: Odd constants of the splitmix64 finaliser (Steele et al. 2014) that mixes gram hashes.
_MIX1, _MIX2 = np.uint64(0xBF58476D1CE4E5B9), np.uint64(0x94D049BB133111EB)
_S27, _S30, _S31 = np.uint64(27), np.uint64(30), np.uint64(31)


@lru_cache(maxsize=1 << 17)
def _word_hash(word: str) -> int:
    """Stable 64-bit hash of one normalised word (Python's ``hash`` is salted per run)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "big")


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser, elementwise (uint64 arrays wrap on overflow)."""
    x = (x ^ (x >> _S30)) * _MIX1
    x = (x ^ (x >> _S27)) * _MIX2
    return x ^ (x >> _S31)


@lru_cache(maxsize=2048)
def gram_hashes(text: str, size: int) -> npt.NDArray[np.uint64]:
    """Stable 64-bit hash of every word ``size``-gram of a text, by start position.

    A text of fewer words than ``size`` is one gram of all its words; an empty
    text has none. Each distinct word is hashed once (blake2b) and a gram's hash
    mixes its words' hashes in order, in numpy: hashing every gram's string with
    blake2b and sha1 was 2.2 s of the 7.4 s that dedup took on the 581 benchmark
    pages. Equal grams have equal hashes in every run; two different grams of
    one corpus collide with odds ~1e-19 per pair, and every use verifies or
    tolerates it. Cached like :func:`tokens`, and emptied with it.
    """
    words = tokens(text).words
    if not words:
        return np.zeros(0, dtype=np.uint64)
    size = min(size, len(words))
    word = np.fromiter((_word_hash(w) for w in words), dtype=np.uint64, count=len(words))
    count = len(words) - size + 1
    hashed = np.zeros(count, dtype=np.uint64)
    for k in range(size):
        hashed = _mix(hashed ^ word[k : k + count])
    return hashed


def _pair(a: str, b: str, relation: Relation, similarity: float, method: str) -> DocPair:
    """A DocPair with ids in canonical (sorted) order."""
    first, second = sorted((a, b))
    return DocPair(first, second, relation, round(similarity, 4), (), method)


def exact_duplicates(docs: Sequence[Document]) -> tuple[DocPair, ...]:
    """Pairs of documents whose normalised texts are identical.

    Args:
        docs (Sequence[Document]): documents, any order.

    Returns:
        tuple[DocPair, ...]: one pair per (first of group, other member), sorted;
        a group of k copies gives k-1 pairs, all pointing at its smallest doc id.
    """
    groups: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.text.strip():
            groups[content_hash(doc.text)].append(doc.doc_id)
    pairs: list[DocPair] = []
    for ids in groups.values():
        first, *rest = sorted(set(ids))
        pairs.extend(_pair(first, other, "exact", 1.0, METHOD_EXACT) for other in rest)
    return tuple(sorted(pairs, key=lambda p: (p.a, p.b)))


def _minhash(keys: npt.NDArray[np.uint64], num_perm: int) -> MinHash:
    """MinHash of a set of shingle hashes (fixed seed: deterministic across runs).

    The shingles are already hashed (:func:`gram_hashes`); datasketch takes their
    low 32 bits as its input hash instead of a SHA-1 of each shingle's string.
    """
    from datasketch import MinHash

    mh = MinHash(num_perm=num_perm, seed=1, hashfunc=int)
    mh.update_batch((keys & np.uint64(0xFFFFFFFF)).tolist())
    return mh


def near_duplicates(
    docs: Sequence[Document],
    config: DedupConfig | None = None,
    exact_pairs: Sequence[DocPair] | None = None,
) -> tuple[DocPair, ...]:
    """Near-duplicate pairs (syndicated copies), exact duplicates excluded.

    Args:
        docs (Sequence[Document]): documents, any order.
        config (DedupConfig | None): thresholds; defaults if ``None``.
        exact_pairs (Sequence[DocPair] | None): ``exact_duplicates(docs)`` when
            already known; computed when ``None``.

    Returns:
        tuple[DocPair, ...]: ``near`` pairs with their exact shingle Jaccard, sorted.
    """
    from datasketch import MinHashLSH  # imported on use: ~0.5 s, which workers need not pay

    cfg = config or DedupConfig()
    known = exact_duplicates(docs) if exact_pairs is None else exact_pairs
    exact = {(p.a, p.b) for p in known}
    ordered = sorted({d.doc_id: d for d in docs}.values(), key=lambda d: d.doc_id)
    # Kept per document for the whole corpus: the LSH entry (~2 KB) and the
    # shingle set as sorted hashes (8 bytes a shingle, ~14 KB for a long article).
    keys: dict[str, npt.NDArray[np.uint64]] = {}
    lsh = MinHashLSH(threshold=cfg.near_threshold, num_perm=cfg.num_perm)
    pairs: list[DocPair] = []
    for doc in ordered:
        shingles = np.unique(gram_hashes(doc.text, cfg.shingle_words))
        if not shingles.size:
            continue
        mh = _minhash(shingles, cfg.num_perm)
        keys[doc.doc_id] = shingles
        for other in sorted(lsh.query(mh)):
            jac = _jaccard(keys[doc.doc_id], keys[str(other)])
            if jac >= cfg.near_threshold and (str(other), doc.doc_id) not in exact:
                pairs.append(_pair(str(other), doc.doc_id, "near", jac, METHOD_NEAR))
        lsh.insert(doc.doc_id, mh)
    return tuple(sorted(pairs, key=lambda p: (p.a, p.b)))


def _jaccard(a: npt.NDArray[np.uint64], b: npt.NDArray[np.uint64]) -> float:
    """Jaccard similarity of two sorted sets of hashes (0 for two empty sets)."""
    common = int(np.intersect1d(a, b, assume_unique=True).size)
    union = int(a.size) + int(b.size) - common
    return common / union if union else 0.0


@dataclass(frozen=True, slots=True)
class _Tokenised:
    """A text's tokens and where each of its word ``seed``-grams occurs.

    Built once per document and reused for every candidate pair it is in. Grams
    are their :func:`gram_hashes`, sorted (``keys``) with the start position of
    each (``starts``), so two texts' shared grams are one sorted-array
    intersection in numpy instead of slicing and hashing word tuples; each
    match is verified on the words, so a hash collision changes nothing.
    """

    tokens: _Tokens
    keys: npt.NDArray[np.uint64]
    starts: npt.NDArray[np.intp]

    @staticmethod
    def of(text: str, seed: int) -> _Tokenised:
        toks = tokens(text)
        hashes = gram_hashes(text, seed) if len(toks.words) >= seed else _NO_GRAMS
        order = np.argsort(hashes, kind="stable")
        return _Tokenised(toks, hashes[order], order)

    def positions(self, key_lo: int, key_hi: int) -> list[int]:
        """Start positions of the grams at sorted indexes ``key_lo`` to ``key_hi``."""
        return self.starts[key_lo:key_hi].tolist()  # type: ignore[no-any-return]


_NO_GRAMS: npt.NDArray[np.uint64] = np.zeros(0, dtype=np.uint64)


def _shared_grams(a: _Tokenised, b: _Tokenised) -> Iterator[tuple[list[int], list[int]]]:
    """For each gram hash both texts have: its start positions in ``a`` and in ``b``."""
    if not a.keys.size or not b.keys.size:
        return
    # Both key arrays are sorted: a binary search of a's keys in b's finds the
    # shared ones without the sort and hashing ``np.intersect1d`` would redo.
    found = np.minimum(np.searchsorted(b.keys, a.keys), b.keys.size - 1)
    common = np.unique(a.keys[b.keys[found] == a.keys])
    if not common.size:
        return
    bounds_a = zip(
        np.searchsorted(a.keys, common, "left").tolist(),
        np.searchsorted(a.keys, common, "right").tolist(),
        strict=True,
    )
    bounds_b = zip(
        np.searchsorted(b.keys, common, "left").tolist(),
        np.searchsorted(b.keys, common, "right").tolist(),
        strict=True,
    )
    for (lo_a, hi_a), (lo_b, hi_b) in zip(bounds_a, bounds_b, strict=True):
        yield a.positions(lo_a, hi_a), b.positions(lo_b, hi_b)


def _seed_runs(a: _Tokenised, b: _Tokenised, seed: int) -> list[_Run]:
    """Maximal runs of equal tokens of at least ``seed`` tokens (seed-and-extend).

    Runs come in no particular order (``_select_runs`` sorts them).
    """
    wa, wb = a.tokens.words, b.tokens.words
    runs = []
    for starts_a, starts_b in _shared_grams(a, b):
        for i in starts_a:
            for j in starts_b:
                if i > 0 and j > 0 and wa[i - 1] == wb[j - 1]:
                    continue  # not the start of a run: already covered from its start
                if wa[i : i + seed] != wb[j : j + seed]:
                    continue  # a hash collision, not a shared gram
                length = seed
                while (
                    i + length < len(wa)
                    and j + length < len(wb)
                    and wa[i + length] == wb[j + length]
                ):
                    length += 1
                runs.append(_Run(i, j, length))
    return runs


def _select_runs(runs: list[_Run]) -> list[_Run]:
    """Longest runs first, dropping any run overlapping a kept one on either side."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    kept = []
    for run in sorted(runs, key=lambda r: (-r.length, r.i, r.j)):
        span_a = range(run.i, run.i + run.length)
        span_b = range(run.j, run.j + run.length)
        if used_a.intersection(span_a) or used_b.intersection(span_b):
            continue
        used_a.update(span_a)
        used_b.update(span_b)
        kept.append(run)
    return sorted(kept, key=lambda r: (r.i, r.j))


def _merge_runs(runs: list[_Run], max_gap: int) -> list[tuple[_Run, int]]:
    """Join consecutive runs separated by at most ``max_gap`` tokens on both sides.

    Returns:
        list[tuple[_Run, int]]: merged run (covering both ends) and matching tokens.
    """
    merged: list[tuple[_Run, int]] = []
    for run in runs:
        if merged:
            last, words = merged[-1]
            gap_a = run.i - (last.i + last.length)
            gap_b = run.j - (last.j + last.length)
            if 0 <= gap_a <= max_gap and 0 <= gap_b <= max_gap:
                span = max(run.i + run.length - last.i, run.j + run.length - last.j)
                merged[-1] = (_Run(last.i, last.j, span), words + run.length)
                continue
        merged.append((run, run.length))
    return merged


def reuse_passages(
    a: Document, b: Document, config: DedupConfig | None = None
) -> tuple[ReusePassage, ...]:
    """Passages of at least ``min_passage_words`` words shared by two documents.

    Args:
        a (Document): first document (spans ``a_start``/``a_end`` point into ``a.text``).
        b (Document): second document (spans ``b_*`` point into ``b.text``).
        config (DedupConfig | None): thresholds; defaults if ``None``.

    Returns:
        tuple[ReusePassage, ...]: passages in the order they occur in ``a``.
    """
    cfg = config or DedupConfig()
    seed = _seed(cfg)
    return _passages(_Tokenised.of(a.text, seed), _Tokenised.of(b.text, seed), cfg)


def _seed(cfg: DedupConfig) -> int:
    """Word length of alignment seeds."""
    return max(2, min(cfg.min_passage_words, _SEED_WORDS))


def _passages(a: _Tokenised, b: _Tokenised, cfg: DedupConfig) -> tuple[ReusePassage, ...]:
    """:func:`reuse_passages` on already tokenised texts."""
    runs = _select_runs(_seed_runs(a, b, _seed(cfg)))
    ta, tb = a.tokens, b.tokens
    out = []
    for run, words in _merge_runs(runs, cfg.max_gap_words):
        if words < cfg.min_passage_words:
            continue
        end_a = min(run.i + run.length, len(ta.words)) - 1
        end_b = min(run.j + run.length, len(tb.words)) - 1
        passage = ReusePassage(
            ta.starts[run.i], ta.ends[end_a], tb.starts[run.j], tb.ends[end_b], words
        )
        out.append(passage)
    return tuple(out)


def _fingerprints(text: str, min_words: int) -> set[int]:
    """Winnowed 5-gram hashes: every shared run of ``min_words`` words shares one."""
    if len(tokens(text).words) < min_words:
        return set()
    hashes = gram_hashes(text, _SEED_WORDS)
    window = max(1, min_words - _SEED_WORDS + 1)
    if len(hashes) <= window:
        return {int(hashes[0])}
    lows = np.lib.stride_tricks.sliding_window_view(hashes, window).min(axis=1)
    return set(np.unique(lows).tolist())


def reuse_candidates(
    docs: Sequence[Document], config: DedupConfig | None = None
) -> tuple[tuple[str, str], ...]:
    """Document pairs sharing at least one winnowed fingerprint (see module doc).

    Args:
        docs (Sequence[Document]): documents, any order.
        config (DedupConfig | None): thresholds; defaults if ``None``.

    Returns:
        tuple[tuple[str, str], ...]: sorted ``(a, b)`` id pairs with ``a < b``.
    """
    cfg = config or DedupConfig()
    postings: dict[int, list[str]] = defaultdict(list)
    for doc in sorted(docs, key=lambda d: d.doc_id):
        for value in _fingerprints(doc.text, cfg.min_passage_words):
            postings[value].append(doc.doc_id)
    pairs: set[tuple[str, str]] = set()
    for ids in postings.values():
        if len(ids) <= cfg.max_posting:
            pairs.update((x, y) for x in ids for y in ids if x < y)
    return tuple(sorted(pairs))


def find_reuse(
    docs: Sequence[Document],
    config: DedupConfig | None = None,
    duplicates: Sequence[DocPair] | None = None,
) -> tuple[DocPair, ...]:
    """Text reuse between different articles, exact and near duplicates excluded.

    Args:
        docs (Sequence[Document]): documents, any order.
        config (DedupConfig | None): thresholds; defaults if ``None``.
        duplicates (Sequence[DocPair] | None): the exact and near pairs of
            ``docs`` when already known (``find_duplicates`` passes them);
            computed when ``None``.

    Returns:
        tuple[DocPair, ...]: ``reuse`` pairs with passages, sorted by ids.
    """
    cfg = config or DedupConfig()
    known = _duplicate_pairs(docs, cfg) if duplicates is None else duplicates
    skip = {(p.a, p.b) for p in known}
    pairs = [pair for pair in reuse_candidates(docs, cfg) if pair not in skip]
    needed = {x for pair in pairs for x in pair}
    seed = _seed(cfg)
    # Once per document, not per pair: a document is in many candidate pairs.
    toks = {d.doc_id: _Tokenised.of(d.text, seed) for d in docs if d.doc_id in needed}
    out = []
    for a, b in pairs:
        passages = _passages(toks[a], toks[b], cfg)
        if passages:
            shorter = max(1, min(len(toks[a].tokens.words), len(toks[b].tokens.words)))
            share = min(1.0, sum(p.words for p in passages) / shorter)
            out.append(DocPair(a, b, "reuse", round(share, 4), passages, METHOD_REUSE))
    return tuple(out)


def _duplicate_pairs(docs: Sequence[Document], cfg: DedupConfig) -> Iterable[DocPair]:
    """Exact then near pairs."""
    exact = exact_duplicates(docs)
    return exact + near_duplicates(docs, cfg, exact)


def find_duplicates(
    docs: Sequence[Document], config: DedupConfig | None = None
) -> tuple[DocPair, ...]:
    """All exact, near-duplicate and reuse relations of a corpus.

    Args:
        docs (Sequence[Document]): documents, any order.
        config (DedupConfig | None): thresholds; defaults if ``None``.

    Returns:
        tuple[DocPair, ...]: exact pairs, then near pairs, then reuse pairs; each
        group sorted by ``(a, b)``. The result does not depend on input order.
    """
    cfg = config or DedupConfig()
    duplicates = tuple(_duplicate_pairs(docs, cfg))
    try:
        return duplicates + find_reuse(docs, cfg, duplicates)
    finally:
        # The token and gram caches serve the three detectors of this call; kept
        # after it, they would hold up to their size in tokenised articles
        # (~150 KB each) for the life of the process (#7).
        tokens.cache_clear()
        gram_hashes.cache_clear()
        _word_hash.cache_clear()
