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

Two passes (v4). The agglomeration below, with loose defaults (``link_threshold``
0.12, no cohesion or number test), only groups articles of one *kind* of event (a
topic). Each group is then split into stories by ``stories.pairs``: its articles
are re-weighted with document frequencies counted inside the group alone (words the
whole topic shares fall to the lowest weight), a logistic pair model over ten pair
features (cosines of the mixed, words, names, lead and number vectors, both-print-
numbers, the pair's cosine relative to the two articles' mean in the group, and
three time features: same year, years two or more apart, dates within two weeks,
where an article's date is its publication date, else the newest date it prints)
gives P(same event), and average link on it merges while the mean is at least the
model's ``threshold`` and the time tests hold. The model is fitted on ECB+ train
(threshold by 5-fold cross-validation over topics; ``python -m bench stories``).
Because no frequency from outside the group enters the second pass, adding unrelated
articles does not move an article to another story (ECB+ dev beside train: 0 of 197
articles change story; 74 did with corpus-wide frequencies).

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
  joins it (see ``story_agglomeration._lags_behind``).

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

Time budget (``AnalyzeConfig.budgets.stories``, ``stages/budget.py``): the second pass
asks the clock before it splits each topic group of two articles or more; once the
budget is spent, a group not yet split leaves each of its articles a story of its own
(never a guessed grouping), the skipped unit names those stories, and the pipeline
reports it as one ``ST217`` warning. The first pass (blocked, O(n log n)) is not cut.
A group cut short is not remembered: a later ``add`` with time left splits it.

Layout: this module holds the stage (records, :class:`StoryConfig`,
:class:`StoryIndex`, :func:`cluster_stories`); ``story_features`` the article
features and vectors, ``story_agglomeration`` the clusters and their merging.
Their public names are re-exported here.

DOCS: docs/stages/stories.md
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from storytrace.records import Document, Story
from storytrace.stages.budget import spent
from storytrace.stages.stories.agglomeration import Unit, agglomerate
from storytrace.stages.stories.config import StoryConfig
from storytrace.stages.stories.features import (
    Corpus,
    Vector,
    add_into,
    body_lines,
    dot,
    features,
    number_vector,
)
from storytrace.stages.stories.pairs import split_group

__all__ = [
    "METHOD",
    "Assignment",
    "StoryConfig",
    "StoryIndex",
    "Vector",
    "agglomerate",
    "body_lines",
    "cluster_stories",
    "features",
    "story_id",
]

METHOD = "stories.topic-then-pairs.v4"


@dataclass(frozen=True, slots=True)
class Assignment:
    """Which story one article belongs to after an ``add``."""

    doc_id: str
    story_id: str


def story_id(doc_ids: Iterable[str]) -> str:
    """Deterministic story id: hash of the smallest member doc id."""
    return "story-" + hashlib.sha1(min(doc_ids).encode("utf-8")).hexdigest()[:12]


class StoryIndex:
    """Incremental story clustering state: frequencies, blocking index, clusters.

    ``add`` is the only mutator. Use :func:`cluster_stories` for a one-shot batch.
    """

    def __init__(self, config: StoryConfig | None = None) -> None:
        self.config = config or StoryConfig()
        self._corpus = Corpus()
        self._postings: dict[str, list[str]] = defaultdict(list)
        self._neighbours: dict[str, set[str]] = defaultdict(set)
        self._cluster_of: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}  # first-pass groups by smallest id
        self._splits: dict[tuple[str, ...], list[list[str]]] = {}

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
        story_of = {d: story_id(s) for key in {self._cluster_of[m] for m in touched}
                    for s in self._split(key) for d in s}  # fmt: skip
        return tuple(Assignment(d, story_of[d]) for d in touched)

    def _split(self, key: str) -> list[list[str]]:
        """Stories of one first-pass group (second pass, cached per membership)."""
        members = tuple(self._members[key])
        if members not in self._splits and len(members) > 1:
            if spent(", ".join(story_id([m]) for m in members)):  # budget: not split
                return [[m] for m in members]
        if members not in self._splits:
            units = [self._unit([m]) for m in members]
            found = split_group(members, self._corpus.feats, units, self.config)
            self._splits[members] = sorted(sorted(s) for s in found)
        return self._splits[members]

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

    def _units(self, ids: list[str]) -> tuple[dict[str, str], dict[str, Unit]]:
        """Starting clusters of one ``add``: new articles, and touched stories' members.

        Returns:
            tuple[dict[str, str], dict[str, Unit]]: unit key of each involved
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

    def _unit(self, members: list[str]) -> Unit:
        """A cluster of articles with its sum vector and date span."""
        total: Vector = {}
        nums: Vector = {}
        num_n = 0
        for m in members:
            vec = self._corpus.vector(m, self.config)
            add_into(total, vec)
            own = number_vector(vec)
            add_into(nums, own)
            num_n += bool(own)
        dates = [d for d in (self._corpus.feats[m].published for m in members) if d is not None]
        first, last = min(dates, default=None), max(dates, default=None)
        feats = [self._corpus.feats[m] for m in members]
        printed = [f.printed_year for f in feats if f.published is None and f.printed_year]
        unit = Unit(list(members), total, first, last, dot(total, total))
        unit.printed = max(printed, default=None)
        unit.nums, unit.num_n, unit.num_self = nums, num_n, dot(nums, nums)
        return unit

    def _store(self, unit: Unit) -> None:
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
        found = [s for key in self._members for s in self._split(key)]
        return tuple(self._story(s) for s in sorted(found))

    def _story(self, members: list[str]) -> Story:
        """A Story record with its evidence (shared terms and names, date span)."""
        feats = [self._corpus.feats[m] for m in members]
        dates = [f.published for f in feats if f.published is not None]
        vecs = [self._corpus.vector(m, self.config) for m in members]
        total: Vector = {}
        for vec in vecs:
            add_into(total, vec)
        n = len(members)
        cohesion = (dot(total, total) - n) / (n * (n - 1)) if n > 1 else 1.0
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
