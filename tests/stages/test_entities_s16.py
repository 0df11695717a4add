"""Alias error classes of issue #25 (session 16), one hand-built test each, on synthetic
names only (never the benchmark's articles).

Mentions are built as the NER would tag them (text, label, article, offset), so most
tests need no model; ``model`` ones run spaCy on hand-written text. The classes:
surname -> full name, first+last vs first+middle+last, acronym <-> full name, "the X"
vs "X", an organisation's spelling variants, places against organisations and
demonyms, initials, one agency into another, a newspaper name holding a common word,
two people of one name (a father and a son; two stories).
"""

from __future__ import annotations

from importlib import resources

import pytest
from tests.helpers import Tagged, body_document, merge, together

from storytrace.records import EntityMention
from storytrace.stages.entities.extract import EntityConfig, alias_key
from storytrace.stages.entities.merge import extract_entities, merge_mentions


def story(doc: str, *names: tuple[str, str]) -> list[Tagged]:
    """An article naming ``names`` and two names every article of the story shares."""
    shared = [("Velora Council", "ORG"), ("Dana Whitfield", "PERSON")]
    return [(text, label, doc, 30 * i) for i, (text, label) in enumerate([*shared, *names])]


# --------------------------------------------------------------------------- people


def test_a_surname_is_the_full_name_of_its_article() -> None:
    entities = merge(
        [
            ("Orla Penhallow", "PERSON", "a", 0),
            ("Penhallow", "PERSON", "a", 40),
            ("Mr. Penhallow", "PERSON", "a", 80),
        ]
    )
    assert together(entities, ("a", "Orla Penhallow"), ("a", "Penhallow"), ("a", "Mr. Penhallow"))


def test_first_last_and_first_middle_last_and_initials_are_one_person() -> None:
    """'Corwin Tabb', 'Corwin Alder Tabb', 'Corwin A. Tabb' and 'C. Alder Tabb' of
    one story are one man."""
    entities = merge(
        story("a", ("Corwin Alder Tabb", "PERSON"))
        + story("b", ("Corwin Tabb", "PERSON"))
        + story("c", ("Corwin A. Tabb", "PERSON"))
    )
    assert together(
        entities, ("a", "Corwin Alder Tabb"), ("b", "Corwin Tabb"), ("c", "Corwin A. Tabb")
    )


def test_a_persons_initials_never_absorb_the_person() -> None:
    """'JT' is no acronym of Jarrah Tolbeck (a person's initials are a name only where
    the text says so)."""
    entities = merge(
        [("Jarrah Tolbeck", "PERSON", "a", 0), ("JT", "ORG", "b", 0), ("JT", "ORG", "a", 60)]
    )
    assert not together(entities, ("a", "Jarrah Tolbeck"), ("b", "JT"))


def test_a_son_beside_his_father_is_another_person() -> None:
    """'Oswin Marl Jr.' printed beside his father 'Oswin Marl' is the son; 'Cade Jr.'
    beside 'Cade Rossiter' is too; a man whose article names no other of his surname
    keeps his suffix as part of his name."""
    entities = merge(
        [
            ("Oswin Marl", "PERSON", "a", 0),
            ("Marl", "PERSON", "a", 40),
            ("Oswin Marl Jr.", "PERSON", "a", 80),
            ("Cade Rossiter", "PERSON", "b", 0),
            ("Cade Jr.", "PERSON", "b", 40),
            ("Teodor Vance Jr.", "PERSON", "c", 0),
            ("Vance", "PERSON", "c", 40),
        ]
    )
    assert together(entities, ("a", "Oswin Marl"), ("a", "Marl"))
    assert not together(entities, ("a", "Oswin Marl"), ("a", "Oswin Marl Jr."))
    assert not together(entities, ("b", "Cade Rossiter"), ("b", "Cade Jr."))
    assert together(entities, ("c", "Teodor Vance Jr."), ("c", "Vance"))


def test_people_kept_apart_keep_apart_ids_and_the_son_his_suffix() -> None:
    """Three lone 'Harjit Dhillon' surnames of three unrelated articles are three
    entities with three ids (not one id the dossier would join); the son beside his
    father is 'Oswin Marl Jr.'."""
    entities = merge(
        [
            ("Dhillon", "PERSON", "a", 0),
            ("Dhillon", "PERSON", "b", 0),
            ("Dhillon", "PERSON", "c", 0),
            ("Oswin Marl", "PERSON", "d", 0),
            ("Oswin Marl Jr.", "PERSON", "d", 40),
        ]
    )
    ids = [e.entity_id for e in entities]
    assert len(ids) == len(set(ids))
    dhillons = [e for e in entities if e.canonical == "Dhillon"]
    assert sorted(e.entity_id for e in dhillons) == [
        "PERSON:dhillon",
        "PERSON:dhillon-2",
        "PERSON:dhillon-3",
    ]
    assert all(m.entity_id == e.entity_id for e in entities for m in e.mentions)
    assert {e.canonical for e in entities} >= {"Oswin Marl", "Oswin Marl Jr."}


def test_two_people_of_one_name_in_two_stories_stay_apart() -> None:
    """'J. Okonkwo' of one story is not 'Jude Okonkwo' of an unrelated one."""
    entities = merge(
        [
            *story("a", ("J. Okonkwo", "PERSON")),
            ("Jude Okonkwo", "PERSON", "z", 0),
            ("Port Ellery", "GPE", "z", 30),
        ]
    )
    assert not together(entities, ("a", "J. Okonkwo"), ("z", "Jude Okonkwo"))


# --------------------------------------------------------------------------- bodies


def test_an_acronym_printed_beside_its_full_name() -> None:
    entities = merge(
        [
            ("Coastal Fisheries Agency", "ORG", "a", 0),
            ("CFA", "ORG", "a", 60),
            ("CFA", "ORG", "b", 0),
        ]
    )
    assert together(entities, ("a", "Coastal Fisheries Agency"), ("a", "CFA"), ("b", "CFA"))


def test_the_x_is_x() -> None:
    entities = merge(
        [("the Harlow Foundation", "ORG", "a", 0), ("Harlow Foundation", "ORG", "b", 0)]
    )
    assert together(entities, ("a", "the Harlow Foundation"), ("b", "Harlow Foundation"))


def test_an_organisations_spellings_with_designators_are_one_company() -> None:
    entities = merge(
        [
            ("Marlin Telecom", "ORG", "a", 0),
            ("Marlin Telecom SA", "ORG", "b", 0),
            ("Marlin Telecom Ltd", "ORG", "c", 0),
        ]
    )
    assert together(
        entities, ("a", "Marlin Telecom"), ("b", "Marlin Telecom SA"), ("c", "Marlin Telecom Ltd")
    )


def test_one_agency_is_not_another_of_the_same_word() -> None:
    """The Quarry Department is not the Quarry Safety Board, nor the Chamber of Quarry."""
    entities = merge(
        [
            ("Quarry Department", "ORG", "a", 0),
            ("Quarry Safety Board", "ORG", "a", 40),
            ("Chamber of Quarry", "ORG", "b", 0),
        ]
    )
    assert not together(entities, ("a", "Quarry Department"), ("a", "Quarry Safety Board"))
    assert not together(entities, ("a", "Quarry Department"), ("b", "Chamber of Quarry"))


def test_a_countrys_name_is_no_surname_of_a_company_the_ner_called_a_person() -> None:
    """'Velmora' (a country the NER calls a place) printed beside 'Kestrel Velmora',
    a company the NER tagged PERSON once and GPE once, is the country; a first name
    the NER mislabels as a place still joins its person ("Ilse" of "Ilse Brandt")."""
    entities = merge(
        [
            ("Velmora", "GPE", "a", 0),
            ("Kestrel Velmora", "PERSON", "a", 30),
            ("Velmora", "GPE", "a", 60),
            ("Kestrel Velmora", "GPE", "b", 0),
            ("Velmora", "GPE", "b", 30),
            ("Ilse Brandt", "PERSON", "c", 0),
            ("Ilse Brandt", "PERSON", "d", 0),
            ("Ilse", "GPE", "c", 40),
        ]
    )
    assert not together(entities, ("a", "Velmora"), ("a", "Kestrel Velmora"))
    assert together(entities, ("c", "Ilse Brandt"), ("c", "Ilse"))


# --------------------------------------------------------------------------- outlets


def test_a_one_word_outlet_name_is_its_articles_one_longer_outlet() -> None:
    """'the Post' of an article naming the Harlow Post is that paper; beside two
    "... Post" papers it is neither; 'Times' (The Times of London, curated) never
    becomes the Harlow Times."""
    entities = merge(
        [
            ("Harlow Post", "OUTLET", "a", 0),
            ("Post", "OUTLET", "a", 40),
            ("Harlow Post", "OUTLET", "b", 0),
            ("Denton Post", "OUTLET", "b", 40),
            ("Post", "OUTLET", "b", 80),
            ("Harlow Times", "OUTLET", "c", 0),
            ("Times", "OUTLET", "c", 40),
        ]
    )
    assert together(entities, ("a", "Harlow Post"), ("a", "Post"))
    assert not together(entities, ("b", "Harlow Post"), ("b", "Post"))
    assert not together(entities, ("b", "Denton Post"), ("b", "Post"))
    assert not together(entities, ("c", "Harlow Times"), ("c", "Times"))


@pytest.mark.model
def test_a_newspaper_name_holding_a_place_is_the_newspaper() -> None:
    """'the Tarrow Sun Herald', which the NER leaves untagged, is the paper, not the
    town of Tarrow it names."""
    docs = [
        body_document("The flood reached Tarrow on Monday. Tarrow is a small town.", "a"),
        body_document("He told the Tarrow Sun Herald last year that he was innocent.", "b"),
    ]
    entities = extract_entities(docs)
    paper = [e for e in entities if any(m.text.endswith("Sun Herald") for m in e.mentions)]
    assert paper and paper[0].label == "OUTLET"
    assert not any(m.doc_id == "a" for m in paper[0].mentions)


@pytest.mark.model
def test_a_capital_printed_with_its_district_is_the_city() -> None:
    """'Washington, D.C.' is the city (a place, not the country); 'Washington warned
    Tehran' and 'officials in Washington' stay the United States (the curated metonym)."""
    docs = [
        body_document("The burglary took place at an office complex in Washington, D.C.", "a"),
        body_document("Washington warned Tehran on Monday that sanctions would follow.", "b"),
        body_document("Officials in Washington declined to comment on the report.", "c"),
    ]
    keys = {(m.doc_id, m.text): e.canonical for e in extract_entities(docs) for m in e.mentions}
    assert keys[("a", "Washington")] == "Washington"
    assert keys[("b", "Washington")] == "United States"
    assert keys[("c", "Washington")] == "United States"


def test_merging_is_deterministic_whatever_the_mention_order() -> None:
    tagged = story("a", ("Corwin Tabb", "PERSON"), ("Marlin Telecom", "ORG")) + story(
        "b", ("Tabb", "PERSON"), ("Marlin Telecom SA", "ORG"), ("Tabb Marlin", "ORG")
    )
    mentions = [
        EntityMention(doc, start, start + len(text), text, label, alias_key(text, label), "test")
        for text, label, doc, start in tagged
    ]
    once = merge_mentions(mentions, EntityConfig())
    again = merge_mentions(list(reversed(mentions)), EntityConfig())
    assert [(e.entity_id, e.canonical) for e in once] == [(e.entity_id, e.canonical) for e in again]


def test_the_stage_ships_no_learned_pair_model() -> None:
    """Session 17 removed the disabled alias-pair model: no switch, no resource file."""
    assert not hasattr(EntityConfig(), "learned_pairs")
    assert not (resources.files("storytrace") / "resources" / "alias_model.json").is_file()


def test_a_demonym_is_not_its_country() -> None:
    """'Velmoran' (the people, NORP) printed beside 'Velmora' (the country) is no
    misprint of it, though one letter longer."""
    entities = merge(
        [
            ("Velmora", "GPE", "a", 0),
            ("Velmoran", "NORP", "a", 30),
            ("Velmora", "GPE", "b", 0),
            ("Velmoran", "NORP", "b", 30),
        ]
    )
    assert not together(entities, ("a", "Velmora"), ("a", "Velmoran"))
