"""Story clustering: group articles by the real-world event they report.

No number of stories is given. An article is a sparse vector of three TF-IDF parts,
each L2-normalised, then mixed with ``entity_weight`` and ``lead_weight``:

* *words*: lower-cased content words and numbers of the body, stop words removed;
* *names*: capitalised words inside sentences (people, places, organisations,
  products) and numbers (scores, magnitudes, ages, years), which is what separates
  two events of one kind (two rehab check-ins, two earthquakes, two launches);
* *lead*: content words of the first two body lines (headline and/or lead
  sentence), where news states who did what.

Layout is normalised away so that the way a site prints an article cannot split
a story: lines that only carry a dateline ("May 03, 2013", "Last updated at 11:11
GMT") are dropped (a publication date belongs in ``Metadata.published``, used by the
date gate), text is lower-cased (title-case headlines look like any sentence),
title-case lines give no names, and tokens are plain ``[a-z0-9]`` runs so that
PTB-style (`` `` ``, ``n't``) and split-on-punctuation tokenisations agree.

Clustering is average-link agglomeration with an exact linkage computed from cluster
*sum vectors*: for unit vectors, the mean pairwise cosine of clusters A and B is
``sum(A) . sum(B) / (|A| |B|)``, so no pair matrix is ever built. Two clusters merge,
best pair first, while their linkage is at least ``link_threshold`` *and* at least
``cohesion_ratio`` times the mean internal similarity of the two clusters (capped at
``cohesion_cap``): two stories of one topic are each tighter inside than with each
other, a relative test one global threshold cannot make. Two more tests use the
evidence that separates two events of one kind when their words agree:

* *numbers*: when both clusters hold two or more articles printing numbers (the
  names-part numbers but years: ages, scores, tolls, amounts), the mean cosine of the
  members' number vectors across the clusters must be at least ``number_ratio``
  times the mean inside them (a player's age or a score differs between two
  arrests or two matches). Singletons are not tested: one article's numbers are
  too few to judge by (measured on ECB+ train: testing them costs more recall
  than it buys precision).
* *time*: clusters whose known publication dates lie more than ``max_gap_days``
  apart never merge, and an undated cluster whose newest printed year is more than
  ``max_printed_lag_years`` before a dated cluster's first publication year never
  joins it (see :func:`_lags_behind`).

Candidate retrieval is blocking, not all pairs: each article is indexed under its
``block_terms`` highest-weighted terms; an article's candidates are the articles
sharing a key, at most ``max_posting`` per key (the latest indexed: in news the
articles closest in time). Only clusters linked by a candidate pair are ever
compared. Cost per article: O(block_terms * max_posting) candidate edges
and O(edges * log edges) heap work with sparse dot products, so a corpus of n
articles costs O(n * block_terms * max_posting * log n), not O(n^2).

Incremental use: :class:`StoryIndex` keeps document frequencies, blocking postings,
the candidate graph and the clusters. ``add(docs)`` dissolves the stories its new
articles touch (stories holding one of their candidates; stories over
``max_recluster`` articles stay whole) and re-runs the same agglomeration over their
articles and the new ones, re-weighted with current frequencies. So an early
mistake can be undone and untouched stories cost nothing. :func:`cluster_stories` is
one ``add`` on an empty index: batch and incremental share every line of code and
differ only through frequency drift in stories an ``add`` does not touch, and
blocking keys chosen when an article arrived (measured in ``bench/stories.py``:
agreement BCubed F1 >= 0.97 on ECB+ dev and 1.0 on train with 20 shuffled chunks).
Within one ``add`` the result does not depend on input order: articles are processed sorted
by doc id and ties are broken by ids.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from storytrace.records import Document

METHOD = "stories.avglink-tfidf-names.v2"

Vector = dict[str, float]

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*|\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][A-Za-z]+|\b\d+(?:[.,]\d+)*\b")
_LETTERS = re.compile(r"[A-Za-z]+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?(?=\W|$)"
    r"|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}:\d\d\b",
    re.IGNORECASE,
)
# The lead (headline and/or first sentence) states the event: who did what, where.
_LEAD_LINES = 2
# Numbers of the names part (title-case headlines left out): ECB+ train F1 0.9326,
# against 0.9132 with the words part's numbers (headline numbers included).
_NUMBER_PART = "n:"
# Both clusters need two articles printing numbers before the number test applies:
# also testing a lone article against a cluster scored lower on ECB+ train (F1 0.9054
# against 0.9326, number_ratio 0.2, entity_weight 0.5): one article's numbers are too few.
_NUMBER_SIDES = 2
_SENTENCE_END = re.compile(r"[.!?:;\"“”‘’'`(\[]\s*$")
# A short generic English stop list; the names part needs no list because
# capitalised function words are removed by the same list.
_STOP = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if
    in into is it its itself just me more most my myself no nor not now of off on once only
    or other our ours ourselves out over own same she should so some such than that the
    their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves said says say told according new one two three year years
    day days week last first time people like mr mrs ms monday tuesday wednesday thursday
    friday saturday sunday today yesterday tomorrow""".split()
)


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """Named thresholds of story clustering (tuned on ECB+ ``train``, see the bench).

    Attributes:
        entity_weight (float): share of the similarity given to the names part (the
            rest goes to the words part).
        lead_weight (float): share of the similarity given to the content words of
            the first two body lines (headline or lead sentence), which name the event.
        link_threshold (float): lowest average-link cosine at which two clusters merge.
        cohesion_ratio (float): a merge also needs linkage >= this times the mean
            internal similarity of the two clusters (singletons excluded).
        cohesion_cap (float): internal similarity counted at most this much in the
            ratio test (copies of one wire story would otherwise look too tight).
        min_df (int): terms seen in fewer documents get no weight (a term in one
            article links nothing and only dilutes its vector).
        block_terms (int): highest-weighted terms per article used as blocking keys.
        max_posting (int): an article is compared with at most this many articles
            per blocking key (the latest indexed under it).
        max_gap_days (int): clusters whose known publication dates lie further apart
            never merge.
        max_printed_lag_years (int): undated articles whose newest printed year is
            more than this many years before a dated story's earliest publication
            year never join it (an old article on an earlier event of one kind).
        number_ratio (float): a merge also needs the mean cosine of the members'
            numbers (names-part numbers but years: scores, ages, tolls, amounts)
            across the two clusters >= this times their mean internal one (capped
            by ``cohesion_cap``); 0 switches the test off.
        max_recluster (int): an ``add`` dissolves and re-clusters the stories it
            touches; larger stories are kept whole (bounds the cost of one add).
        evidence_terms (int): shared terms and names listed as a story's evidence.
    """

    entity_weight: float = 0.6
    lead_weight: float = 0.3
    link_threshold: float = 0.23
    cohesion_ratio: float = 0.5
    cohesion_cap: float = 0.7
    min_df: int = 2
    block_terms: int = 20
    max_posting: int = 50
    max_gap_days: int = 30
    max_recluster: int = 200
    evidence_terms: int = 8
    max_printed_lag_years: int = 3
    number_ratio: float = 0.2


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event and the articles reporting it.

    Attributes:
        story_id (str): ``story-`` + 12 hex of SHA-1 of the smallest doc id; the same
            documents always give the same id.
        doc_ids (tuple[str, ...]): member articles, sorted.
        method (str): clustering implementation that produced it.
        top_terms (tuple[str, ...]): content words most shared by the members.
        top_names (tuple[str, ...]): names and numbers most shared by the members.
        earliest (date | None): earliest known publication date of a member.
        latest (date | None): latest known publication date of a member.
        cohesion (float): mean pairwise cosine of the members (1.0 for one article).
    """

    story_id: str
    doc_ids: tuple[str, ...]
    method: str
    top_terms: tuple[str, ...] = ()
    top_names: tuple[str, ...] = ()
    earliest: date | None = None
    latest: date | None = None
    cohesion: float = 1.0


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which story one article belongs to after an ``add``."""

    doc_id: str
    story_id: str


@dataclass(slots=True)
class _Unit:
    """A cluster while agglomerating: members, sum vector, date span."""

    members: list[str]
    total: Vector
    earliest: date | None
    latest: date | None
    self_sum: float = 0.0  # total . total, kept up to date without a dot product
    version: int = 0
    printed: int | None = None  # newest year printed by an undated member
    nums: Vector = field(default_factory=dict)  # sum of members' unit number vectors
    num_n: int = 0  # members printing a shared number
    num_self: float = 0.0  # nums . nums

    @property
    def cohesion(self) -> float | None:
        """Mean pairwise cosine of members (None for a singleton)."""
        n = len(self.members)
        if n < 2:
            return None
        return (self.self_sum - n) / (n * (n - 1))

    @property
    def num_cohesion(self) -> float | None:
        """Mean pairwise cosine of the number vectors of members that have one."""
        n = self.num_n
        return (self.num_self - n) / (n * (n - 1)) if n > 1 else None


@dataclass(frozen=True, slots=True)
class _Features:
    """Raw term counts of one article (weights depend on corpus frequencies)."""

    words: Counter[str]
    names: Counter[str]
    published: date | None
    lead: Counter[str] = field(default_factory=Counter)
    printed_year: int | None = None


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Sparse dot product (iterates the smaller vector)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def _is_dateline(line: str) -> bool:
    """A short line that only prints a date/time (a dateline, not event content)."""
    letters = _LETTERS.findall(line)
    return (
        len(line) < 80
        and bool(_MONTH.search(line) or _YEAR.search(line))
        and sum(len(w) > 3 for w in letters) <= 5
    )


def _is_title_case(line: str) -> bool:
    """Most words capitalised: a headline, whose capitals are not names."""
    words = _LETTERS.findall(line)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) / len(words) > 0.5


def body_lines(text: str) -> list[str]:
    """Lines of a text with datelines dropped (see module docstring: layout cues)."""
    return [line for line in text.split("\n") if line.strip() and not _is_dateline(line)]


def _words(lines: Iterable[str]) -> Counter[str]:
    """Lower-cased content tokens (``n't`` joined as ``not`` so tokenisers agree)."""
    counts: Counter[str] = Counter()
    for line in lines:
        for tok in _TOKEN.findall(line.replace("n't", " not").replace("n’t", " not")):
            low = tok.lower()
            if len(low) > 1 and low not in _STOP:
                counts[low] += 1
    return counts


def _names(lines: Iterable[str]) -> Counter[str]:
    """Capitalised non-initial words and numbers of non-headline lines, lower-cased."""
    counts: Counter[str] = Counter()
    for line in lines:
        if _is_title_case(line):
            continue
        for match in _NAME.finditer(line):
            low = match.group(0).lower()
            # A capital after a sentence end is grammar, not a name.
            if match.start() == 0 or _SENTENCE_END.search(line[: match.start()]):
                continue
            if low not in _STOP and len(low) > 1:
                counts[low] += 1
    return counts


def _published(doc: Document) -> date | None:
    """Publication day when the metadata knows it, else None."""
    value = doc.metadata.published.earliest
    if isinstance(value, datetime):
        return value.date()
    return value


def features(doc: Document) -> _Features:
    """Term counts of one article (pure; no corpus statistics)."""
    lines = body_lines(doc.text)
    published = _published(doc)
    return _Features(
        _words(lines),
        _names(lines),
        published,
        _words(lines[:_LEAD_LINES]),
        _printed_year(doc.text),
    )


def _printed_year(text: str) -> int | None:
    """Newest year (19xx/20xx) an article prints, datelines included; None if none."""
    return max((int(y) for y in _YEAR.findall(text)), default=None)


def story_id(doc_ids: Iterable[str]) -> str:
    """Deterministic story id: hash of the smallest member doc id."""
    return "story-" + hashlib.sha1(min(doc_ids).encode("utf-8")).hexdigest()[:12]


def _date_gap(a: _Unit, b: _Unit) -> int | None:
    """Days between two clusters' date spans (0 if they overlap; None if unknown)."""
    if a.earliest is None or b.earliest is None or a.latest is None or b.latest is None:
        return None
    if a.latest < b.earliest:
        return (b.earliest - a.latest).days
    if b.latest < a.earliest:
        return (a.earliest - b.latest).days
    return 0


def _lags_behind(undated: _Unit, dated: _Unit, max_lag: int) -> bool:
    """An undated cluster printing no year near a dated cluster's time (see StoryConfig).

    News looks back, rarely ahead: an article on an event of year Y nearly always
    prints Y or a recent year, so one whose newest year is far older was most likely
    written years before. Seeds 004 (2018, undated, newest year printed 2016) and
    001/003 (published April 2025) motivated it. It only fires across dated and
    undated clusters, so a corpus without publication dates is unaffected.
    """
    if undated.earliest is not None or undated.printed is None or dated.earliest is None:
        return False
    return undated.printed < dated.earliest.year - max_lag


def _min_date(a: date | None, b: date | None) -> date | None:
    """Earlier of two optional dates."""
    return b if a is None else a if b is None else min(a, b)


def _max_date(a: date | None, b: date | None) -> date | None:
    """Later of two optional dates."""
    return b if a is None else a if b is None else max(a, b)


@dataclass(slots=True)
class _Corpus:
    """Document frequencies and per-article features (state of a StoryIndex)."""

    n_docs: int = 0
    df: Counter[str] = field(default_factory=Counter)
    feats: dict[str, _Features] = field(default_factory=dict)

    def add(self, doc_id: str, feat: _Features) -> None:
        """Count one new article."""
        self.feats[doc_id] = feat
        self.n_docs += 1
        self.df.update(f"w:{t}" for t in feat.words)
        self.df.update(f"n:{t}" for t in feat.names)

    def idf(self, key: str) -> float:
        """Smoothed idf (as scikit-learn's), zero under ``min_df`` handled by caller."""
        return math.log((1 + self.n_docs) / (1 + self.df[key])) + 1.0

    def _part(self, counts: Counter[str], prefix: str, min_df: int) -> Vector:
        """Sublinear tf * idf of one part, L2-normalised."""
        vec = {}
        for term, count in counts.items():
            key = prefix + term
            if self.df[key] >= min_df:
                vec[key] = (1.0 + math.log(count)) * self.idf(key)
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {k: v / norm for k, v in vec.items()} if norm else {}

    def vector(self, doc_id: str, config: StoryConfig, min_df: int | None = None) -> Vector:
        """Unit vector of one article under current frequencies.

        ``min_df`` overrides ``config.min_df`` (blocking keys use 1: a term unique
        when its article arrives may be shared by later ones).
        """
        feat = self.feats[doc_id]
        floor = config.min_df if min_df is None else min_df
        words = self._part(feat.words, "w:", floor)
        names = self._part(feat.names, "n:", floor)
        ww = math.sqrt(1.0 - config.entity_weight) if names else 1.0
        wn = math.sqrt(config.entity_weight) if words else 1.0
        vec = {k: v * ww for k, v in words.items()}
        vec.update((k, v * wn) for k, v in names.items())
        lead = self._part(feat.lead, "w:", floor)
        if config.lead_weight and lead and vec:
            keep = math.sqrt(1.0 - config.lead_weight)
            vec = {k: v * keep for k, v in vec.items()}
            vec.update(("l:" + k, v * math.sqrt(config.lead_weight)) for k, v in lead.items())
        return vec


def _numbers(vec: Mapping[str, float]) -> Vector:
    """The numbers of an article's names part, years left out, as a unit vector.

    Years are time, not quantity: two events of one kind often recall the same
    background years, and the time tests already use them (ECB+ train: F1 0.9420
    with years, 0.9412 without, merged topics 4 -> 3).
    """
    part = {
        k: v
        for k, v in vec.items()
        if k.startswith(_NUMBER_PART) and k[2].isdigit() and not _YEAR.fullmatch(k[2:])
    }
    norm = math.sqrt(sum(v * v for v in part.values()))
    return {k: v / norm for k, v in part.items()} if norm else {}


def _add_into(total: Vector, vec: Mapping[str, float]) -> None:
    """In-place ``total += vec``."""
    for key, value in vec.items():
        total[key] = total.get(key, 0.0) + value


def _may_merge(a: _Unit, b: _Unit, link: float, config: StoryConfig) -> bool:
    """The relative-cohesion and date tests of a candidate merge (see module doc)."""
    gap = _date_gap(a, b)
    if gap is not None and gap > config.max_gap_days:
        return False
    lag = config.max_printed_lag_years
    if _lags_behind(a, b, lag) or _lags_behind(b, a, lag):
        return False
    if not _numbers_agree(a, b, config):
        return False
    # Capped: syndicated copies make a cluster's cohesion ~1, which would otherwise
    # bar it from ever joining the rest of its coverage.
    inner = [min(c, config.cohesion_cap) for c in (a.cohesion, b.cohesion) if c is not None]
    return not inner or link >= config.cohesion_ratio * sum(inner) / len(inner)


def _numbers_agree(a: _Unit, b: _Unit, config: StoryConfig) -> bool:
    """The relative cohesion test on the numbers alone (see ``number_ratio``).

    Two events of one kind share their vocabulary, but rarely their numbers:
    scores, ages, tolls, magnitudes and amounts differ. No test when either side
    prints no shared number, or when a side has fewer than two articles that do.
    """
    if not config.number_ratio or not a.num_n or not b.num_n:
        return True
    inner = [c for c in (a.num_cohesion, b.num_cohesion) if c is not None]
    if len(inner) < _NUMBER_SIDES:
        return True
    cross = _dot(a.nums, b.nums) / (a.num_n * b.num_n)
    mean = sum(min(c, config.cohesion_cap) for c in inner) / len(inner)
    return cross >= config.number_ratio * mean


def _merge(a: _Unit, b: _Unit, cross: float) -> None:
    """Fold cluster ``b`` into ``a`` in place (``cross`` = sum(a) . sum(b))."""
    a.members.extend(b.members)
    _add_into(a.total, b.total)
    a.self_sum += b.self_sum + 2.0 * cross
    a.earliest = _min_date(a.earliest, b.earliest)
    a.latest = _max_date(a.latest, b.latest)
    a.printed = max(a.printed or 0, b.printed or 0) or None
    a.num_self += b.num_self + 2.0 * _dot(a.nums, b.nums)
    _add_into(a.nums, b.nums)
    a.num_n += b.num_n
    a.version += 1


def _pair(a: str, b: str) -> tuple[str, str]:
    """Canonical (sorted) key of a pair of cluster keys."""
    return (a, b) if a < b else (b, a)


@dataclass(slots=True)
class _Links:
    """Candidate graph between clusters and their exact cross sums sum(A) . sum(B).

    Average linkage is additive: sum(A+B) . sum(C) = sum(A) . sum(C) + sum(B) . sum(C),
    so a merge updates its neighbours' sums by addition; a dot product of the big
    sum vectors is only needed when one side was not yet linked to C.
    """

    sums: dict[tuple[str, str], float] = field(default_factory=dict)
    neighbours: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def link(self, a: str, b: str, value: float) -> None:
        """Record an edge and its cross sum."""
        self.sums[_pair(a, b)] = value
        self.neighbours[a].add(b)
        self.neighbours[b].add(a)

    def cross(self, a: str, b: str, units: Mapping[str, _Unit]) -> float:
        """sum(a) . sum(b), from the table when linked, else computed."""
        value = self.sums.get(_pair(a, b))
        return _dot(units[a].total, units[b].total) if value is None else value

    def merge(self, a: str, b: str, units: Mapping[str, _Unit]) -> list[str]:
        """Re-link ``a`` as ``a + b`` (call before the units merge); return its neighbours."""
        others = sorted((self.neighbours[a] | self.neighbours[b]) - {a, b})
        sums = {c: self.cross(a, c, units) + self.cross(b, c, units) for c in others}
        for c in self.neighbours.pop(b):
            self.neighbours[c].discard(b)
            self.sums.pop(_pair(b, c), None)
        for c in others:
            self.link(a, c, sums[c])
        return others


_HeapItem = tuple[float, str, str, int, int]


def _push(
    heap: list[_HeapItem], units: Mapping[str, _Unit], links: _Links, pair: tuple[str, str]
) -> None:
    """Queue a candidate merge keyed by its average linkage (ties broken by ids)."""
    first, second = _pair(*pair)
    ua, ub = units[first], units[second]
    link = links.cross(first, second, units) / (len(ua.members) * len(ub.members))
    heapq.heappush(heap, (-link, first, second, ua.version, ub.version))


def agglomerate(
    units: dict[str, _Unit], edges: Iterable[tuple[str, str]], config: StoryConfig
) -> dict[str, _Unit]:
    """Average-link agglomeration over a sparse candidate graph of clusters.

    Args:
        units (dict[str, _Unit]): clusters by key (changed in place).
        edges (Iterable[tuple[str, str]]): pairs of keys that may be compared.
        config (StoryConfig): thresholds.

    Returns:
        dict[str, _Unit]: surviving clusters, keyed by their smallest original key.
    """
    links = _Links()
    heap: list[_HeapItem] = []
    for a, b in sorted({_pair(*e) for e in edges if e[0] != e[1]}):
        links.link(a, b, _dot(units[a].total, units[b].total))
        _push(heap, units, links, (a, b))
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < config.link_threshold:
            break  # best remaining pair is below threshold: done
        if a not in units or b not in units or units[a].version != va or units[b].version != vb:
            continue  # stale entry: one side changed since it was queued
        if not _may_merge(units[a], units[b], -neg, config):
            continue
        cross = links.cross(a, b, units)
        others = links.merge(a, b, units)
        _merge(units[a], units.pop(b), cross)
        for c in others:
            _push(heap, units, links, (a, c))
    return units


class StoryIndex:
    """Incremental story clustering state: frequencies, blocking index, clusters.

    ``add`` is the only mutator. Use :func:`cluster_stories` for a one-shot batch.
    """

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self._corpus = _Corpus()
        self._postings: dict[str, list[str]] = defaultdict(list)
        self._neighbours: dict[str, set[str]] = defaultdict(set)
        self._cluster_of: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}

    def __len__(self) -> int:
        return self._corpus.n_docs

    def add(self, docs: Sequence[Document]) -> tuple[Assignment, ...]:
        """Add articles; they join existing stories or start new ones.

        The stories the new articles touch (those holding one of their blocking
        candidates) are dissolved and re-agglomerated together with them, so an
        early mistake can be undone; stories larger than ``max_recluster`` stay whole.

        Args:
            docs (Sequence[Document]): new articles (ids already indexed are ignored).

        Returns:
            tuple[Assignment, ...]: the story of every article whose story was
            created or may have changed in this call, sorted by doc id.
        """
        new = sorted({d.doc_id: d for d in docs if d.doc_id not in self._cluster_of}.values(),
                     key=lambda d: d.doc_id)  # fmt: skip
        for doc in new:
            self._corpus.add(doc.doc_id, features(doc))
        ids = [d.doc_id for d in new]
        self._register(ids)
        unit_of, units = self._units(ids)
        edges = [(unit_of[x], unit_of[y]) for x in unit_of for y in self._neighbours[x]
                 if y in unit_of]  # fmt: skip
        touched = sorted(unit_of)
        for m in touched:  # dissolve the old stories first: their keys get reused
            self._members.pop(self._cluster_of.get(m, m), None)
        for unit in agglomerate(units, edges, self.config).values():
            self._store(unit)
        return tuple(Assignment(d, story_id(self._members[self._cluster_of[d]])) for d in touched)

    def _block_keys(self, doc_id: str) -> list[str]:
        """Highest-weighted terms of an article (blocking keys), ties by term.

        Terms already shared (df >= ``min_df``) come first; terms unique so far fill
        the remaining slots, as a later article may share them (incremental use).
        """
        vec = self._corpus.vector(doc_id, self.config, min_df=1)
        df, floor = self._corpus.df, self.config.min_df
        ranked = sorted(vec.items(), key=lambda kv: (df[kv[0]] < floor, -kv[1], kv[0]))
        return [k for k, _ in ranked[: self.config.block_terms]]

    def _register(self, ids: list[str]) -> None:
        """Link each new article to candidates, then index it under its blocking keys.

        An article is linked to at most ``max_posting`` articles per key, the latest
        indexed before it (for news, the closest in time): this bounds the work
        per article whatever the corpus size.
        """
        for x in ids:
            keys = self._block_keys(x)
            for key in keys:
                for y in self._postings[key][-self.config.max_posting :]:
                    self._neighbours[x].add(y)
                    self._neighbours[y].add(x)
            for key in keys:
                self._postings[key].append(x)

    def _units(self, ids: list[str]) -> tuple[dict[str, str], dict[str, _Unit]]:
        """Starting clusters of one ``add``: new articles, and touched stories' members.

        Returns:
            tuple[dict[str, str], dict[str, _Unit]]: unit key of each involved
            article, and the units (singletons; stories over ``max_recluster``
            members stay one unit), all re-weighted with current frequencies.
        """
        stories = {self._cluster_of[y] for x in ids for y in self._neighbours[x]
                   if y in self._cluster_of}  # fmt: skip
        groups = [[x] for x in ids]
        for key in sorted(stories):
            members = self._members[key]
            if len(members) > self.config.max_recluster:
                groups.append(list(members))
            else:
                groups.extend([m] for m in members)
        unit_of = {m: group[0] for group in groups for m in group}
        return unit_of, {group[0]: self._unit(group) for group in groups}

    def _unit(self, members: list[str]) -> _Unit:
        """A cluster of articles with its sum vector and date span."""
        total: Vector = {}
        nums: Vector = {}
        num_n = 0
        for m in members:
            vec = self._corpus.vector(m, self.config)
            _add_into(total, vec)
            own = _numbers(vec)
            _add_into(nums, own)
            num_n += bool(own)
        dates = [d for d in (self._corpus.feats[m].published for m in members) if d is not None]
        first, last = min(dates, default=None), max(dates, default=None)
        feats = [self._corpus.feats[m] for m in members]
        printed = [f.printed_year for f in feats if f.published is None and f.printed_year]
        unit = _Unit(list(members), total, first, last, _dot(total, total))
        unit.printed = max(printed, default=None)
        unit.nums, unit.num_n, unit.num_self = nums, num_n, _dot(nums, nums)
        return unit

    def _store(self, unit: _Unit) -> None:
        """Record a surviving cluster (its key is its smallest member)."""
        members = sorted(unit.members)
        self._members[members[0]] = members
        for m in members:
            self._cluster_of[m] = members[0]

    def stories(self) -> tuple[Story, ...]:
        """All stories, sorted by their smallest doc id.

        Returns:
            tuple[Story, ...]: every indexed article is in exactly one story.
        """
        return tuple(self._story(self._members[key]) for key in sorted(self._members))

    def _story(self, members: list[str]) -> Story:
        """A Story record with its evidence (shared terms and names, date span)."""
        feats = [self._corpus.feats[m] for m in members]
        dates = [f.published for f in feats if f.published is not None]
        vecs = [self._corpus.vector(m, self.config) for m in members]
        total: Vector = {}
        for vec in vecs:
            _add_into(total, vec)
        n = len(members)
        cohesion = (_dot(total, total) - n) / (n * (n - 1)) if n > 1 else 1.0
        return Story(
            story_id=story_id(members),
            doc_ids=tuple(members),
            method=METHOD,
            top_terms=self._shared(total, vecs, "w:"),
            top_names=self._shared(total, vecs, "n:"),
            earliest=min(dates, default=None),
            latest=max(dates, default=None),
            cohesion=round(cohesion, 4),
        )

    def _shared(self, total: Vector, vecs: list[Vector], prefix: str) -> tuple[str, ...]:
        """Terms of one part with the largest summed weight, in >= 2 members if possible."""
        need = 2 if len(vecs) > 1 else 1
        counts = Counter(k for vec in vecs for k in vec if k.startswith(prefix))
        ranked = sorted((k for k, c in counts.items() if c >= need), key=lambda k: (-total[k], k))
        return tuple(k[len(prefix) :] for k in ranked[: self.config.evidence_terms])


def cluster_stories(
    docs: Sequence[Document], config: StoryConfig | None = None
) -> tuple[Story, ...]:
    """Group articles into stories (batch = one ``StoryIndex.add``).

    Args:
        docs (Sequence[Document]): articles, any order (the result does not depend on it).
        config (StoryConfig | None): thresholds; defaults if ``None``.

    Returns:
        tuple[Story, ...]: stories sorted by smallest doc id.
    """
    index = StoryIndex(config)
    index.add(docs)
    return index.stories()
