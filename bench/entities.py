"""Entity alias merging on 17 hand-annotated ECB+ topics (``bench/data/entities``).

Each annotated ``(article, surface form)`` is one item; its gold group is the
entity it names. The product's entity stage runs on the articles as a user would
hand them in -- one corpus per topic (both of its stories), and all topics of a
split as one corpus, where two people of one name in different stories must stay
apart -- and an item takes the entity of the product mentions that overlap the
form's occurrences in that article (the most frequent one). An item the product
found no mention for is its own entity.

Scores are pairwise: a pair of items is *merged* when the product puts both in one
entity; precision is the share of merged pairs that name one thing, recall the
share of same-thing pairs that are merged. They are reported over every annotated
item (an unfound item cannot be merged: NER misses cost recall) and over the items
the product found (the merge rules alone). ``found`` is the share of items found.

The baseline regroups the product's own mentions by exact string (lower-cased,
without a leading "the" and a possessive), so it has the same coverage and
differs only in how mentions are merged.

``dev`` topics are where the merge rules are tuned; ``check`` topics are only
reported. A third, larger and noisier set, ``ecb_chains``, is also a tuning set:
ECB+'s own cross-document entity chains (``../ecbplus-coref``) restricted to
proper names, on the ECB+ train/dev topics outside the 17 annotated ones (16; 18 until
session 17 annotated topics 18 and 35 for check, 21 until session 16 annotated topics 9,
28 and 30 for dev), one
topic per corpus (:func:`run_chain_bench`). Its conventions are ECB+'s, not ours
(a team and its city are one chain), so it is read for its error classes and its
trend rather than its level.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.stories import ARTICLES, make_document
from storytrace.records import Document, Entity

DATA = Path(__file__).parent / "data" / "entities"
SPLITS = ("dev", "check")


@dataclass(frozen=True, slots=True)
class Item:
    """One annotated surface form in one article.

    Attributes:
        doc_id (str): the article.
        form (str): the form as annotated.
        gold (str): the real-world thing it names (``<topic>:<entity id>``, or the
            shared key of ``cross_topic.json``).
        spans (tuple[tuple[int, int], ...]): its occurrences in the article text.
    """

    doc_id: str
    form: str
    gold: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class PairScores:
    """Pairwise merge precision, recall and F1 over a set of items."""

    precision: float
    recall: float
    f1: float
    items: int
    merged_pairs: int
    gold_pairs: int


def load_topics(folder: Path = DATA) -> list[dict[str, Any]]:
    """Every annotated topic, in topic order."""
    topics = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("topic_*.json")]
    return sorted(topics, key=lambda t: int(t["topic"]))


def load_cross_topic(folder: Path = DATA) -> dict[tuple[str, str], str]:
    """``(topic, entity id)`` -> one shared gold key, for things named in several topics."""
    raw = json.loads((folder / "cross_topic.json").read_text(encoding="utf-8"))
    shared: dict[tuple[str, str], str] = {}
    for split in SPLITS:
        for group in raw.get(split, []):
            key = "x:" + "+".join(f"{t}:{e}" for t, e in group)
            shared.update({(t, e): key for t, e in group})
    return shared


def load_texts(data_dir: Path, doc_ids: Iterable[str]) -> dict[str, str]:
    """The article texts of ``doc_ids`` from ``articles.jsonl``."""
    wanted = set(doc_ids)
    texts: dict[str, str] = {}
    with (data_dir / ARTICLES).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["id"] in wanted:
                texts[row["id"]] = row["text"]
    return texts


def _occurrences(text: str, form: str) -> list[tuple[int, int]]:
    pattern = re.compile(rf"(?<![\w.-]){re.escape(form)}(?![\w-])")
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def gold_items(
    topic: dict[str, Any], texts: dict[str, str], shared: dict[tuple[str, str], str]
) -> list[Item]:
    """The topic's annotated items with their occurrences (longest form first).

    Args:
        topic (dict): one ``topic_N.json``.
        texts (dict[str, str]): article id -> text.
        shared (dict): cross-topic gold keys (:func:`load_cross_topic`).

    Returns:
        list[Item]: one item per (article, form) that occurs in the article.
    """
    by_doc: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for entity in topic["entities"]:
        gold = shared.get((topic["topic"], entity["id"]), f"{topic['topic']}:{entity['id']}")
        for form in entity["forms"]:
            for doc_id in form["docs"]:
                by_doc[doc_id].append((form["form"], gold))
    items = []
    for doc_id, forms in sorted(by_doc.items()):
        shadows: list[tuple[str, str | None]] = [(f, None) for f in topic.get("shadow_forms", [])]
        taken: list[tuple[int, int]] = []
        spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
        for form, maybe in sorted(forms + shadows, key=lambda fg: -len(fg[0])):
            for start, end in _occurrences(texts[doc_id], form):
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
                if maybe is not None:
                    spans[(form, maybe)].append((start, end))
        items += [Item(doc_id, f, g, tuple(s)) for (f, g), s in spans.items()]
    return items


# --------------------------------------------------------------------------- predictions


def predicted_labels(items: Sequence[Item], entities: Sequence[Entity]) -> list[str | None]:
    """The product entity of each item: the one whose mentions cover most of its occurrences.

    Returns:
        list[str | None]: an entity id per item; ``None`` when no product mention
        overlaps any occurrence of the form.
    """
    starts: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for entity in entities:
        for m in entity.mentions:
            starts[m.doc_id].append((m.start, m.end, entity.entity_id))
    return [_vote(item, starts.get(item.doc_id, [])) for item in items]


def baseline_labels(items: Sequence[Item], entities: Sequence[Entity]) -> list[str | None]:
    """The product's mentions regrouped by exact string (the baseline)."""
    starts: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for entity in entities:
        for m in entity.mentions:
            starts[m.doc_id].append((m.start, m.end, exact_key(m.text)))
    return [_vote(item, starts.get(item.doc_id, [])) for item in items]


def exact_key(text: str) -> str:
    """A mention's exact-string key: lower-cased, no leading "the", no possessive."""
    flat = re.sub(r"\s+", " ", text).strip().lower()
    return re.sub(r"[’']s?$", "", flat.removeprefix("the "))


def _vote(item: Item, mentions: Sequence[tuple[int, int, str]]) -> str | None:
    votes: Counter[str] = Counter()  # characters of the form each entity's mentions cover
    for start, end in item.spans:
        for s, e, label in mentions:
            if s < end and start < e:
                votes[label] += min(e, end) - max(s, start)
    if not votes:
        return None
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


# --------------------------------------------------------------------------- scoring


def pair_scores(pred: Sequence[str | None], gold: Sequence[str]) -> PairScores:
    """Pairwise merge P/R/F1; an item without a prediction is its own entity."""
    labels = [p if p is not None else f"\x00unfound{i}" for i, p in enumerate(pred)]
    joint = Counter(zip(labels, gold, strict=True))
    both = sum(c * (c - 1) // 2 for c in joint.values())
    merged = sum(c * (c - 1) // 2 for c in Counter(labels).values())
    same = sum(c * (c - 1) // 2 for c in Counter(gold).values())
    p = both / merged if merged else 1.0
    r = both / same if same else 1.0
    return PairScores(
        round(p, 4),
        round(r, 4),
        round(2 * p * r / (p + r) if p + r else 0.0, 4),
        len(gold),
        merged,
        same,
    )


def false_merges(
    items: Sequence[Item], pred: Sequence[str | None], limit: int = 15
) -> list[dict[str, Any]]:
    """The predicted entities that join the most different gold things (for reading)."""
    groups: dict[str, list[Item]] = defaultdict(list)
    for item, label in zip(items, pred, strict=True):
        if label is not None:
            groups[label].append(item)
    rows: list[tuple[int, dict[str, Any]]] = []
    for label, members in groups.items():
        golds = Counter(i.gold for i in members)
        if len(golds) > 1:
            forms = {g: sorted({i.form for i in members if i.gold == g}) for g in golds}
            rows.append((len(golds), {"entity": label, "gold": len(golds), "forms": forms}))
    return [row for _, row in sorted(rows, key=lambda r: -r[0])[:limit]]


def missed_merges(
    items: Sequence[Item], pred: Sequence[str | None], limit: int = 15
) -> list[dict[str, Any]]:
    """Gold things split over several predicted entities (found items only)."""
    groups: dict[str, list[tuple[Item, str]]] = defaultdict(list)
    for item, label in zip(items, pred, strict=True):
        if label is not None:
            groups[item.gold].append((item, label))
    rows: list[tuple[int, dict[str, Any]]] = []
    for gold, members in groups.items():
        split = {
            lab: sorted({i.form for i, other in members if other == lab}) for _, lab in members
        }
        if len(split) > 1:
            rows.append((len(split), {"gold": gold, "entities": len(split), "forms": split}))
    return [row for _, row in sorted(rows, key=lambda r: -r[0])[:limit]]


# --------------------------------------------------------------------------- runs


@dataclass(frozen=True, slots=True)
class Run:
    """One corpus run: the items and the labels the product and the baseline gave them."""

    items: tuple[Item, ...]
    product: tuple[str | None, ...]
    baseline: tuple[str | None, ...]


def run_corpus(docs: Sequence[Document], items: Sequence[Item]) -> Run:
    """Run the entity stage on ``docs`` and label ``items`` with its entities."""
    from storytrace.stages.entities.merge import extract_entities

    entities = extract_entities(docs)
    return Run(
        tuple(items),
        tuple(predicted_labels(items, entities)),
        tuple(baseline_labels(items, entities)),
    )


def score_runs(runs: Sequence[Run]) -> dict[str, Any]:
    """Product and baseline rows, pooled over runs (pairs never cross runs)."""
    items = [i for r in runs for i in r.items]
    gold = [i.gold for i in items]
    out: dict[str, Any] = {}
    for name in ("product", "baseline"):
        pred = [
            None if lab is None else f"{n}|{lab}"
            for n, r in enumerate(runs)
            for lab in getattr(r, name)
        ]
        found = [k for k, p in enumerate(pred) if p is not None]
        every = pair_scores(pred, gold)
        only = pair_scores([pred[k] for k in found], [gold[k] for k in found])
        out[name] = {
            "precision": every.precision,
            "recall": every.recall,
            "f1": every.f1,
            "found_precision": only.precision,
            "found_recall": only.recall,
            "found_f1": only.f1,
            "found": round(len(found) / len(items), 4) if items else 0.0,
            "items": every.items,
            "gold_pairs": every.gold_pairs,
        }
    return out


def run_entities_bench(
    data_dir: Path, folder: Path = DATA, splits: Sequence[str] = SPLITS
) -> dict[str, Any]:
    """Score the entity stage on every annotated topic, per topic and per split corpus.

    Args:
        data_dir (Path): the ``ecbplus-stories`` folder.
        folder (Path): the annotation folder.
        splits (Sequence[str]): the splits to score (``dev``, ``check``).

    Returns:
        dict: per split, ``per_topic`` (one corpus per topic, pooled), ``split_corpus``
        (all topics of the split in one run), per-topic rows, and the largest false
        and missed merges of the split corpus.
    """
    topics = load_topics(folder)
    shared = load_cross_topic(folder)
    texts = load_texts(data_dir, (d for t in topics for d in t["documents"]))
    result: dict[str, Any] = {}
    for split in splits:
        chosen = [t for t in topics if t["split"] == split]
        per_topic = []
        for topic in chosen:
            local = {k: v for k, v in shared.items() if k[0] != topic["topic"]}
            items = gold_items(topic, texts, local)
            docs = [make_document(d, texts[d]) for d in topic["documents"]]
            per_topic.append((topic["topic"], run_corpus(docs, items)))
        all_items = [i for t in chosen for i in gold_items(t, texts, shared)]
        all_docs = [make_document(d, texts[d]) for t in chosen for d in t["documents"]]
        corpus = run_corpus(all_docs, all_items)
        result[split] = {
            "per_topic": score_runs([r for _, r in per_topic]),
            "split_corpus": score_runs([corpus]),
            "topics": {f"topic {name}": score_runs([r])["product"] for name, r in per_topic},
            "false_merges": false_merges(corpus.items, corpus.product),
            "missed_merges": missed_merges(corpus.items, corpus.product),
        }
    coref_dir = data_dir.parent / "ecbplus-coref"
    if "dev" in splits and (coref_dir / "mentions.jsonl").is_file():
        result["ecb_chains"] = run_chain_bench(data_dir, coref_dir)
    return result


# --------------------------------------------------------------------------- ECB+ chains

#: The annotated topics (dev and check): the chain set leaves them out.
ANNOTATED_TOPICS = frozenset("2 3 5 6 8 9 12 18 19 21 23 24 28 30 33 34 35".split())
_PRONOUNS = frozenset(
    "he she they it him her them his hers their its i we you us our who this that".split()
)
_SMALL = frozenset("of the and de del la le du van von al el for in on at &".split())


def proper_name(text: str) -> bool:
    """A chain mention that is a name ("Lindsay Lohan", "the New Orleans Saints"), not
    a pronoun or a description ("the actress")."""
    text = text.removeprefix("the ")
    words = text.split()
    if not words or not text[0].isupper() or text.lower() in _PRONOUNS:
        return False
    if words[0] in ("The", "A", "An") and len(words) > 1 and not words[1][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _SMALL or not w[0].isalpha() for w in words)


def chain_items(coref_dir: Path, skip: frozenset[str] = ANNOTATED_TOPICS) -> dict[str, list[Item]]:
    """Per topic, the validated proper-name entity mentions of ECB+'s chains as items
    (gold: the chain), outside the ``skip`` topics."""
    topics: dict[str, list[Item]] = defaultdict(list)
    with (coref_dir / "mentions.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if (
                row["kind"] == "entity"
                and row["validated"]
                and row["chain"]
                and row["topic"] not in skip
                and not row["type"].startswith("TIME")
                and proper_name(row["text"])
            ):
                span = ((row["start"], row["end"]),)
                topics[row["topic"]].append(Item(row["doc_id"], row["text"], row["chain"], span))
    return dict(topics)


def run_chain_bench(data_dir: Path, coref_dir: Path) -> dict[str, Any]:
    """Score the entity stage on ECB+'s chains of proper names, one topic per corpus.

    Args:
        data_dir (Path): the ``ecbplus-stories`` folder.
        coref_dir (Path): the ``ecbplus-coref`` folder.

    Returns:
        dict: ``per_topic`` product and baseline rows, pooled over the topics, and
        the number of topics.
    """
    items = chain_items(coref_dir)
    docs_of: dict[str, list[str]] = defaultdict(list)
    with (data_dir / ARTICLES).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["topic"] in items:
                docs_of[row["topic"]].append(row["id"])
    texts = load_texts(data_dir, (d for ids in docs_of.values() for d in ids))
    runs = [
        run_corpus([make_document(d, texts[d]) for d in docs_of[topic]], items[topic])
        for topic in sorted(items, key=int)
    ]
    return {"per_topic": score_runs(runs), "topics": len(runs)}
