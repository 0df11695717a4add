"""SemEval-2015 Task 4 (TimeLine): its files, and its scorer re-implemented.

A corpus folder holds the target entities (``list_target_entities_*.txt``), the
track-A articles as TimeML (DCT, tokenised ``<s>`` sentences) and one gold timeline per
entity, named after it (lower case, ``_`` between words). A timeline file is the entity
on its first line, then one line per group of co-referring events:
``ordinal<TAB>date<TAB>event-id[<TAB>event-id ...]``, event ids
``<docid>-<sentence>-<token>``, dates ISO with ``XX`` for unknown parts. Ordinal 0 with
``XXXX-XX-XX`` holds the events the annotators could neither anchor nor order.

Each timeline becomes relations between intervals, as the task's evaluation tool
describes it (alt.qcri.org/semeval2015/task4, "Tools"): every time anchor is a TIMEX3
and each event is SIMULTANEOUS with its anchor; an event at an earlier position is
BEFORE one at a later position; events on one line, or at one position, are
SIMULTANEOUS. The tool's converter itself is not public, so these choices are ours:

* the relations written are the minimal ones (each event to its anchor, consecutive
  events of a line, the first event of each line to the first of its position, the
  first event of a position BEFORE the first of the next); the rest follows by closure;
* ordinal 0 / ``XXXX-XX-XX`` is "no anchor, no position": those events count only
  through their co-reference links. ``GraphConfig(order_unanchored=True)`` reads
  ordinal 0 as a position and ``XXXX-XX-XX`` as an anchor instead (the literal
  reading); ``GraphConfig(all_pairs=True)`` orders every pair of placed events in file
  order, as a converter looping over pairs would. The bench reports all three.

The metric is UzZaman & Allen's temporal awareness as TempEval-3's
``temporal_evaluation.py`` computes it (default method): a relation file is loaded
into a time graph of interval end points in order; a relation the graph already
entails is dropped (closure reduction), one it contradicts is set aside as violated.
Precision is the share of the system's reduced and violated relations that the gold
graph entails or states; recall the reverse; both summed over timelines (micro
average). Only BEFORE and SIMULTANEOUS occur, so the point algebra is ``<`` and ``=``
and entailment is reachability, which is complete.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

BEFORE, AFTER, SIMULTANEOUS = "BEFORE", "AFTER", "SIMULTANEOUS"
UNKNOWN_DATE = "XXXX-XX-XX"
_REVERSE = {BEFORE: AFTER, AFTER: BEFORE, SIMULTANEOUS: SIMULTANEOUS}

Verdict = Literal["true", "false", "unknown"]


# --------------------------------------------------------------------------- files


@dataclass(frozen=True, slots=True)
class TimelineLine:
    """One line of a timeline: a position, its date and the co-referring events."""

    ordinal: int
    date: str
    events: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Timeline:
    """The timeline of one target entity, lines in file order."""

    entity: str
    lines: tuple[TimelineLine, ...]


@dataclass(frozen=True, slots=True)
class Sentence:
    """One tokenised ``<s>`` of a track-A article: its number and its tokens."""

    number: int
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """A track-A article: its id, DCT (ISO) and sentences; sentence 1 is the dateline."""

    doc_id: str
    dct: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True, slots=True)
class Corpus:
    """One corpus: articles, target entities as listed, gold timelines."""

    name: str
    articles: tuple[Article, ...]
    entities: tuple[str, ...]
    gold: tuple[Timeline, ...]


def parse_timeline(text: str) -> Timeline:
    """Read a timeline file: the entity, then ``ordinal, date, events`` lines.

    Args:
        text (str): the file's content.

    Returns:
        Timeline: its lines as written; malformed event ids are kept (a few gold lines
        run together), as the official scorer takes them literally too.
    """
    rows = text.splitlines()
    lines = []
    for row in rows[1:]:
        fields = [f.strip() for f in row.split("\t") if f.strip()]
        if len(fields) >= 3 and fields[0].isdigit():
            lines.append(TimelineLine(int(fields[0]), fields[1], tuple(fields[2:])))
    return Timeline(rows[0].strip() if rows else "", tuple(lines))


def _parse_dct(value: str) -> str:
    """ISO date of a DCT value; one article writes it day-first ("03-02-2009")."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value[:10], pattern).date().isoformat()
        except ValueError:
            continue
    return UNKNOWN_DATE


def load_article(path: Path) -> Article:
    """Read a track-A TimeML article: its DCT and tokenised sentences.

    Args:
        path (Path): a ``corpus_trackA_TimeML/*.tml`` file.

    Returns:
        Article: the DCT as an ISO date (``XXXX-XX-XX`` if unreadable), sentences in order.
    """
    root = ET.parse(path).getroot()
    dct = root.find("DCT/TIMEX3")
    sentences = tuple(
        Sentence(int(s.get("id", "0")), tuple(t for t in (s.text or "").split(" ") if t))
        for s in root.iter("s")
    )
    doc_id = (root.findtext("DOCID") or path.stem).strip()
    return Article(doc_id, _parse_dct(dct.get("value", "") if dct is not None else ""), sentences)


def file_key(entity: str) -> str:
    """The timeline file name of an entity: lower case, words joined by ``_``."""
    return re.sub(r"[^0-9a-z]+", "_", entity.lower()).strip("_")


def load_corpus(folder: Path) -> Corpus:
    """One corpus folder: track-A articles, target entities and gold timelines.

    Args:
        folder (Path): e.g. ``semeval2015-task4-timeline/corpus_1``.

    Returns:
        Corpus: articles and gold timelines in file-name order; a gold timeline takes
        the listed name its file is named after (one gold header misspells it).
    """
    articles = tuple(map(load_article, sorted((folder / "corpus_trackA_TimeML").glob("*.tml"))))
    listing = next(folder.glob("list_target_entities_*.txt"), None)
    text = listing.read_text("utf-8") if listing else ""
    entities = tuple(e.strip() for e in text.splitlines() if e.strip())
    by_file = {file_key(e): e for e in entities}
    gold = []
    for path in sorted((folder / "TimeLines_Gold_Standard").glob("*.txt")):
        timeline = parse_timeline(path.read_text("utf-8"))
        gold.append(replace(timeline, entity=by_file.get(path.stem, timeline.entity)))
    return Corpus(folder.name, articles, entities, tuple(gold))


# --------------------------------------------------------------------------- relations


@dataclass(frozen=True, slots=True)
class Relation:
    """A TLINK between two intervals (events, or ``t:<date>`` time anchors)."""

    source: str
    target: str
    rel: str

    def reversed(self) -> Relation:
        """The same relation read from the other end (BEFORE becomes AFTER)."""
        return Relation(self.target, self.source, _REVERSE[self.rel])


@dataclass(frozen=True, slots=True)
class GraphConfig:
    """How a timeline becomes relations.

    Attributes:
        order_unanchored (bool): read ordinal 0 as a position and ``XXXX-XX-XX`` as an
            anchor (the literal reading); off: those events are neither anchored nor
            ordered.
        all_pairs (bool): relate every pair of placed events, in file order, instead of
            the minimal relations.
    """

    order_unanchored: bool = False
    all_pairs: bool = False


def _deduplicated(timeline: Timeline) -> list[TimelineLine]:
    """Lines sorted by ordinal (stable), each event kept at its first occurrence only."""
    seen: set[str] = set()
    out = []
    for line in sorted(timeline.lines, key=lambda item: item.ordinal):
        events = tuple(e for e in dict.fromkeys(line.events) if e not in seen)
        seen.update(events)
        if events:
            out.append(TimelineLine(line.ordinal, line.date, events))
    return out


def timeline_relations(timeline: Timeline, config: GraphConfig | None = None) -> list[Relation]:
    """The TimeML relations a timeline states, in a fixed order.

    Args:
        timeline (Timeline): the timeline.
        config (GraphConfig | None): the converter's reading; defaults when ``None``.

    Returns:
        list[Relation]: anchors first, then co-reference, then same position, then order.
    """
    cfg = config or GraphConfig()
    lines = _deduplicated(timeline)
    placed = [ln for ln in lines if cfg.order_unanchored or ln.ordinal > 0]
    out = [Relation(event, f"t:{line.date}", SIMULTANEOUS) for line in lines
           if cfg.order_unanchored or line.date != UNKNOWN_DATE for event in line.events]  # fmt: skip
    out += [Relation(a, b, SIMULTANEOUS) for line in lines for a, b in pairwise(line.events)]
    if cfg.all_pairs:
        events = [(line.ordinal, e) for line in placed for e in line.events]
        return out + [Relation(a, b, SIMULTANEOUS if i == j else BEFORE)
                      for n, (i, a) in enumerate(events) for j, b in events[n + 1 :]]  # fmt: skip
    positions: dict[int, list[str]] = {}
    for line in placed:
        positions.setdefault(line.ordinal, []).append(line.events[0])
    heads = [positions[k] for k in sorted(positions)]
    out += [Relation(group[0], other, SIMULTANEOUS) for group in heads for other in group[1:]]
    return out + [Relation(a[0], b[0], BEFORE) for a, b in pairwise(heads)]


# --------------------------------------------------------------------------- time graph


class TimeGraph:
    """Interval end points under ``<`` and ``=``: union-find for equality, edges for ``<``.

    Each interval ``x`` has points ``x_s < x_e``. The scorer's mutable working state,
    built by :func:`build_graph`; not a record.
    """

    __slots__ = ("_later", "_parent")

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}
        self._later: dict[str, set[str]] = {}

    def has(self, entity: str) -> bool:
        """Whether an interval is in the graph."""
        return f"{entity}_s" in self._parent

    def add_entity(self, entity: str) -> None:
        """Add an interval: two points, start before end."""
        for point in (f"{entity}_s", f"{entity}_e"):
            self._parent[point] = point
            self._later[point] = set()
        self._later[f"{entity}_s"].add(f"{entity}_e")

    def _find(self, point: str) -> str:
        while self._parent[point] != point:
            self._parent[point] = self._parent[self._parent[point]]
            point = self._parent[point]
        return point

    def _reaches(self, start: str, goal: str) -> bool:
        """Whether a path of ``<`` leads from ``start``'s class to ``goal``'s."""
        goal_root, seen = self._find(goal), set()
        stack = [self._find(start)]
        while stack:
            for point in self._later[stack.pop()]:
                root = self._find(point)
                if root == goal_root:
                    return True
                if root not in seen:
                    seen.add(root)
                    stack.append(root)
        return False

    def point_relation(self, a: str, b: str) -> str:
        """``<``, ``>``, ``=`` or ``?`` between two points, as the graph entails it."""
        if self._find(a) == self._find(b):
            return "="
        if self._reaches(a, b):
            return "<"
        return ">" if self._reaches(b, a) else "?"

    def add_less(self, a: str, b: str) -> None:
        """State ``a < b``."""
        self._later[self._find(a)].add(b)

    def merge(self, a: str, b: str) -> None:
        """State ``a = b``."""
        root_a, root_b = self._find(a), self._find(b)
        if root_a != root_b:
            self._parent[root_b] = root_a
            self._later[root_a] |= self._later.pop(root_b)


def check(graph: TimeGraph, relation: Relation) -> Verdict:
    """Whether a graph entails a relation (``true``), contradicts it, or leaves it open.

    Args:
        graph (TimeGraph): the graph.
        relation (Relation): BEFORE, AFTER or SIMULTANEOUS between two intervals.

    Returns:
        str: ``true``, ``false`` or ``unknown`` (also when an interval is not in the graph).
    """
    x, y = relation.source, relation.target
    if not (graph.has(x) and graph.has(y)):
        return "unknown"
    if relation.rel == SIMULTANEOUS:
        found = {graph.point_relation(f"{x}_s", f"{y}_s"), graph.point_relation(f"{x}_e", f"{y}_e")}
        if found == {"="}:
            return "true"
        return "unknown" if found <= {"=", "?"} else "false"
    first, second = (f"{x}_e", f"{y}_s") if relation.rel == BEFORE else (f"{y}_e", f"{x}_s")
    order = graph.point_relation(first, second)
    if order == "<":
        return "true"
    return "unknown" if order == "?" else "false"


def _state(graph: TimeGraph, relation: Relation) -> None:
    """Add a relation the graph leaves open."""
    x, y = relation.source, relation.target
    if relation.rel == SIMULTANEOUS:
        graph.merge(f"{x}_s", f"{y}_s")
        graph.merge(f"{x}_e", f"{y}_e")
    elif relation.rel == BEFORE:
        graph.add_less(f"{x}_e", f"{y}_s")
    else:
        graph.add_less(f"{y}_e", f"{x}_s")


def _classify(graph: TimeGraph, relation: Relation) -> Verdict:
    """What the graph makes of a new relation; an interval new to it decides nothing."""
    x, y = relation.source, relation.target
    if x == y:
        return "true" if relation.rel == SIMULTANEOUS else "false"
    new = [entity for entity in (x, y) if not graph.has(entity)]
    for entity in new:
        graph.add_entity(entity)
    return "unknown" if new else check(graph, relation)


@dataclass(frozen=True, slots=True)
class BuiltGraph:
    """A relation file loaded as TempEval-3 loads it.

    Attributes:
        graph (TimeGraph): the consistent graph (violated relations left out).
        final (tuple[Relation, ...]): the closure-reduced relations, then the violated
            ones; the scorer evaluates both.
        stated (frozenset[Relation]): every relation written, both ways round.
    """

    graph: TimeGraph
    final: tuple[Relation, ...]
    stated: frozenset[Relation]


def build_graph(relations: Sequence[Relation]) -> BuiltGraph:
    """Load relations in order: drop those already entailed, set aside contradictions.

    Args:
        relations (Sequence[Relation]): the relations, in file order.

    Returns:
        BuiltGraph: the graph, the reduced + violated relations, the stated set.
    """
    graph = TimeGraph()
    kept: list[Relation] = []
    violated: list[Relation] = []
    for relation in dict.fromkeys(relations):
        verdict = _classify(graph, relation)
        if verdict == "false":
            violated.append(relation)
        elif verdict == "unknown":
            _state(graph, relation)
            kept.append(relation)
    stated = frozenset(relations) | {r.reversed() for r in relations}
    return BuiltGraph(graph, (*kept, *violated), stated)


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True, slots=True)
class Counts:
    """Temporal-awareness counts; they add up across timelines (micro average).

    Attributes:
        precision_matched (int): system relations the gold entails or states.
        system (int): system relations scored (reduced + violated).
        recall_matched (int): gold relations the system entails or states.
        gold (int): gold relations scored (reduced + violated).
    """

    precision_matched: int = 0
    system: int = 0
    recall_matched: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.precision_matched + other.precision_matched,
            self.system + other.system,
            self.recall_matched + other.recall_matched,
            self.gold + other.gold,
        )

    def prf(self) -> dict[str, float]:
        """Precision, recall and F1 in percent (two decimals, as the task reports)."""
        p = self.precision_matched / self.system if self.system else 0.0
        r = self.recall_matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"p": round(100 * p, 2), "r": round(100 * r, 2), "f1": round(100 * f, 2)}


def _matched(relations: Iterable[Relation], other: BuiltGraph) -> int:
    return sum(r in other.stated or check(other.graph, r) == "true" for r in relations)


def score_timeline(
    gold: Timeline, system: Timeline | None, config: GraphConfig | None = None
) -> Counts:
    """Temporal-awareness counts of one system timeline against its gold.

    Args:
        gold (Timeline): the gold timeline.
        system (Timeline | None): the system's; ``None`` (none given) misses everything.
        config (GraphConfig | None): the converter's reading; defaults when ``None``.

    Returns:
        Counts: matched and total relations both ways.
    """
    gold_graph = build_graph(timeline_relations(gold, config))
    system_graph = build_graph(timeline_relations(system or Timeline(gold.entity, ()), config))
    return Counts(
        _matched(system_graph.final, gold_graph),
        len(system_graph.final),
        _matched(gold_graph.final, system_graph),
        len(gold_graph.final),
    )


def score_timelines(
    gold: Iterable[Timeline], system: Iterable[Timeline], config: GraphConfig | None = None
) -> Counts:
    """Micro-averaged counts over the gold timelines, system ones matched by entity.

    Args:
        gold (Iterable[Timeline]): the gold timelines of a corpus.
        system (Iterable[Timeline]): the system's; an entity it has none for scores zero.
        config (GraphConfig | None): the converter's reading; defaults when ``None``.

    Returns:
        Counts: summed over the gold timelines.
    """
    by_entity = {t.entity: t for t in system}
    return sum((score_timeline(g, by_entity.get(g.entity), config) for g in gold), Counts())


def evaluate(
    corpora: Sequence[Corpus], systems: Mapping[str, Sequence[Timeline]], config: GraphConfig
) -> dict[str, Any]:
    """Per-corpus and micro-averaged scores of one system, as bench rows.

    Args:
        corpora (Sequence[Corpus]): the corpora with their gold timelines.
        systems (Mapping[str, Sequence[Timeline]]): corpus name -> system timelines.
        config (GraphConfig): the converter's reading.

    Returns:
        dict: ``{corpus: row, "micro": row}``; a row has P/R/F1 (percent) and counts.
    """
    counts = {c.name: score_timelines(c.gold, systems[c.name], config) for c in corpora}
    rows = {k: v for k, v in counts.items()} | {"micro": sum(counts.values(), Counts())}
    return {k: {**v.prf(), "matched_p": v.precision_matched, "system_rel": v.system,
                "matched_r": v.recall_matched, "gold_rel": v.gold} for k, v in rows.items()}  # fmt: skip


def event_detection(corpus: Corpus, system: Sequence[Timeline]) -> dict[str, float]:
    """Diagnostics of one corpus: (entity, event id) P/R against the gold, and the share
    of found events that carry the gold's date.

    Args:
        corpus (Corpus): the corpus and its gold.
        system (Sequence[Timeline]): the system's timelines.

    Returns:
        dict: counts and percentages.
    """
    gold = {(t.entity, e): ln.date for t in corpus.gold for ln in t.lines for e in ln.events}
    pred = {(t.entity, e): ln.date for t in system for ln in t.lines for e in ln.events}
    hits = gold.keys() & pred.keys()
    right = sum(gold[k] == pred[k] for k in hits)
    return {"gold_events": len(gold), "system_events": len(pred), "found": len(hits),
            "event_p": round(100 * len(hits) / max(len(pred), 1), 2),
            "event_r": round(100 * len(hits) / max(len(gold), 1), 2),
            "date_right_of_found": round(100 * right / max(len(hits), 1), 2)}  # fmt: skip
