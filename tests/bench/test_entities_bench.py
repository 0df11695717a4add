"""Tests of the entity alias bench: gold occurrences, the product's label per item, pair scores."""

from __future__ import annotations

import json
from pathlib import Path

from bench.entities import (
    DATA,
    Item,
    chain_items,
    exact_key,
    gold_items,
    load_cross_topic,
    load_topics,
    pair_scores,
    predicted_labels,
    proper_name,
)

from storytrace.records import Entity, EntityMention


def test_pair_scores_count_merged_and_gold_pairs() -> None:
    # gold: {0,1,2} {3}; predicted: {0,1} {2,3}; item 4 unfound (its own entity)
    scores = pair_scores(["a", "a", "b", "b", None], ["x", "x", "x", "y", "z"])
    assert (scores.merged_pairs, scores.gold_pairs) == (2, 3)
    assert (scores.precision, scores.recall) == (0.5, round(1 / 3, 4))
    assert pair_scores([None, None], ["x", "x"]).recall == 0.0


def test_gold_items_take_the_longest_form_and_skip_shadow_forms() -> None:
    topic = {
        "topic": "9",
        "shadow_forms": ["Academy Awards"],
        "entities": [
            {"id": "fulton", "forms": [{"form": "Fulton County", "docs": ["d"]}]},
            {"id": "court", "forms": [{"form": "Fulton County Courthouse", "docs": ["d"]}]},
            {"id": "academy", "forms": [{"form": "Academy", "docs": ["d"]}]},
        ],
    }
    text = "At the Fulton County Courthouse in Fulton County, the Academy Awards and the Academy."
    items = {i.gold: i for i in gold_items(topic, {"d": text}, {})}
    assert items["9:fulton"].spans == ((35, 48),)
    assert len(items["9:court"].spans) == 1
    assert items["9:academy"].spans == ((text.rindex("Academy"), text.rindex("Academy") + 7),)


def test_an_item_takes_the_entity_covering_most_of_it() -> None:
    item = Item("d", "Summit Entertainment, LLC", "g", ((0, 25),))
    mentions = (
        EntityMention("d", 0, 20, "Summit Entertainment", "ORG", "ORG:summit", "t"),
        EntityMention("d", 22, 25, "LLC", "ORG", "ORG:llc", "t"),
    )
    entities = (
        Entity("ORG:summit", "Summit", "ORG", ("Summit Entertainment",), mentions[:1]),
        Entity("ORG:llc", "LLC", "ORG", ("LLC",), mentions[1:]),
    )
    assert predicted_labels([item], entities) == ["ORG:summit"]
    assert predicted_labels([Item("e", "x", "g", ((0, 1),))], entities) == [None]


def test_exact_key_is_the_baselines_string() -> None:
    assert exact_key("The  Times's") == exact_key("times") == "times"


def test_annotations_are_consistent() -> None:
    """17 topics: 9 dev (three added in session 16), 8 check (18 and 35 added in session
    17); every cross-topic link names annotated entities of one split."""
    topics = load_topics(DATA)
    assert sorted(int(t["topic"]) for t in topics if t["split"] == "dev") == [3, 6, 8, 9, 19, 24, 28, 30, 33]
    assert sorted(int(t["topic"]) for t in topics if t["split"] == "check") == [
        2,
        5,
        12,
        18,
        21,
        23,
        34,
        35,
    ]
    known = {(t["topic"], e["id"]): t["split"] for t in topics for e in t["entities"]}
    shared = load_cross_topic(DATA)
    assert set(shared) <= set(known)
    for key in set(shared.values()):
        assert len({known[k] for k, v in shared.items() if v == key}) == 1
    for topic in topics:
        for entity in topic["entities"]:
            assert entity["forms"] and all(
                set(f["docs"]) <= set(topic["documents"]) for f in entity["forms"]
            )


def test_chain_items_keep_validated_proper_names_outside_the_annotated_topics(
    tmp_path: Path,
) -> None:
    rows = [
        {"topic": "1", "text": "Lindsay Lohan", "chain": "c1"},
        {"topic": "1", "text": "the actress", "chain": "c1"},  # a description
        {"topic": "1", "text": "She", "chain": "c1"},  # a pronoun
        {"topic": "1", "text": "the New Orleans Saints", "chain": "c2"},
        {"topic": "1", "text": "Lohan", "chain": "c1", "validated": False},
        {"topic": "1", "text": "Monday", "chain": "c3", "type": "TIME_DATE"},
        {"topic": "1", "text": "Lohan", "chain": None},
        {"topic": "3", "text": "Brian Nichols", "chain": "c4"},  # an annotated topic
    ]
    with (tmp_path / "mentions.jsonl").open("w", encoding="utf-8") as out:
        for i, row in enumerate(rows):
            full = {"doc_id": f"{row['topic']}_1ecb", "kind": "entity", "validated": True,
                    "type": "HUMAN_PART_PER", "start": i, "end": i + 1, **row}  # fmt: skip
            out.write(json.dumps(full) + "\n")
    items = chain_items(tmp_path)
    assert list(items) == ["1"]
    assert [(i.form, i.gold) for i in items["1"]] == [
        ("Lindsay Lohan", "c1"),
        ("the New Orleans Saints", "c2"),
    ]
    assert proper_name("Vincent 'The Chin' Gigante") and not proper_name("his")
