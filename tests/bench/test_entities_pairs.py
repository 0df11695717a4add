"""The learned pair model's bench pieces (``bench/entities_pairs.py``): candidate pairs,
each node's gold, and that the rules alone reproduce the stage's grouping."""

from __future__ import annotations

from bench.entities import Item
from bench.entities_pairs import corpus, labelled_run, node_gold
from bench.entities_scorer import candidates

from storytrace.records import EntityMention
from storytrace.stages.entities.extract import EntityConfig, alias_key
from storytrace.stages.entities.merge import merge_mentions


def mention(text: str, label: str, doc: str, start: int) -> EntityMention:
    return EntityMention(doc, start, start + len(text), text, label, alias_key(text, label), "t")


def test_candidates_share_a_word_an_acronym_or_a_spelling() -> None:
    pairs = set(
        candidates(
            [
                "Brian Nichols",
                "Nichols",
                "Fulton County",
                "FCPD",
                "Fulton County Police Department",
                "Thessaloniki",
                "Thessalonika",
                "Athens",
            ]
        )
    )
    assert ("Brian Nichols", "Nichols") in pairs
    assert ("FCPD", "Fulton County Police Department") in pairs
    assert ("Thessalonika", "Thessaloniki") in pairs
    assert not any("Athens" in p for p in pairs)


def test_a_node_takes_the_gold_its_mentions_cover_most() -> None:
    mentions = [mention("Brian Nichols", "PERSON", "a", 0), mention("Nichols", "PERSON", "b", 10)]
    items = [
        Item("a", "Brian Nichols", "g:nichols", ((0, 13),)),
        Item("b", "Nichols", "g:other", ((10, 17),)),
    ]
    gold = node_gold(mentions, ["Brian Nichols", "Nichols"], items)
    assert gold == {"Brian Nichols": "g:nichols", "Nichols": "g:other"}


def test_the_rules_alone_label_items_as_the_stage_does() -> None:
    raw = [
        mention("Summit Entertainment", "ORG", "a", 0),
        mention("Summit", "ORG", "b", 0),
        mention("Jamaica Hospital", "ORG", "c", 0),
    ]
    items = [
        Item("a", "Summit Entertainment", "g:summit", ((0, 20),)),
        Item("b", "Summit", "g:summit", ((0, 6),)),
        Item("c", "Jamaica Hospital", "g:jamaica", ((0, 16),)),
    ]
    run = labelled_run(corpus(raw, items), None, 1.0, True)
    stage = {m.doc_id: e.entity_id for e in merge_mentions(raw, EntityConfig()) for m in e.mentions}
    assert list(run.product) == [stage["a"], stage["b"], stage["c"]]
    assert run.product[0] == run.product[1] != run.product[2]
