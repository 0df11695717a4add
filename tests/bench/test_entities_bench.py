"""Tests of the entity alias bench: gold occurrences, the product's label per item, pair scores."""

from __future__ import annotations

from bench.entities import (
    DATA,
    Item,
    exact_key,
    gold_items,
    load_cross_topic,
    load_topics,
    pair_scores,
    predicted_labels,
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
    """12 topics, 6 per split; every cross-topic link names annotated entities of one split."""
    topics = load_topics(DATA)
    assert sorted(int(t["topic"]) for t in topics if t["split"] == "dev") == [3, 6, 8, 19, 24, 33]
    assert sorted(int(t["topic"]) for t in topics if t["split"] == "check") == [
        2,
        5,
        12,
        21,
        23,
        34,
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
