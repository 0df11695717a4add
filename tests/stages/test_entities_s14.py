"""Alias classes that generalise (#25, session 14): each built by hand from synthetic
text, never from the benchmark's articles. Mentions are built as the NER would tag them
(text, label, article, offset), so most tests need no model; ``model`` ones run spaCy."""

from __future__ import annotations

import pytest
from tests.helpers import Tagged, body_document, merge, together

from storytrace.stages.entities.merge import extract_entities
from storytrace.stages.entities.names import street_name

# --------------------------------------------------------------------------- streets


@pytest.mark.parametrize(
    ("text", "spelled"),
    [
        ("Snyder Ave", "Snyder Avenue"),
        ("Snyder Ave.", "Snyder Avenue"),
        ("Main St", "Main Street"),
        ("Sunset Blvd.", "Sunset Boulevard"),
        ("St Louis", "St Louis"),  # "St" first is a saint, not a street
        ("Ave", "Ave"),
        ("Pitkin Avenue", "Pitkin Avenue"),
    ],
)
def test_a_streets_abbreviated_designator_is_written_out(text: str, spelled: str) -> None:
    assert street_name(text) == spelled


def test_a_street_abbreviated_is_the_street_whatever_the_ner_called_it() -> None:
    entities = merge(
        [
            ("Marlow Ave", "PERSON", "a", 0),
            ("Marlow Avenue", "FAC", "b", 0),
            ("Quince St.", "ORG", "c", 0),
            ("Quince Street", "FAC", "d", 0),
            ("Quince Road", "FAC", "e", 0),
        ]
    )
    assert together(entities, ("a", "Marlow Ave"), ("b", "Marlow Avenue"))
    assert together(entities, ("c", "Quince St."), ("d", "Quince Street"))
    assert not together(entities, ("d", "Quince Street"), ("e", "Quince Road"))


def story(doc: str, *names: tuple[str, str]) -> list[Tagged]:
    """An article naming ``names`` and two names every article of the story shares."""
    shared = [("Velora Council", "ORG"), ("Dana Whitfield", "PERSON")]
    return [(text, label, doc, 30 * i) for i, (text, label) in enumerate([*shared, *names])]


def test_a_square_without_its_designator_within_a_story() -> None:
    """'Kallisto' in one article is the 'Kallisto Square' of a related one; a city
    the NER calls a place never is the avenue named after it, and a name printed
    only in an unrelated article stays apart."""
    entities = merge(
        story("a", ("Kallisto Square", "FAC"), ("Brennan Avenue", "FAC"), ("Tolan Square", "FAC"))
        + story("b", ("Kallisto", "PRODUCT"), ("Brennan", "GPE"))
        + [("Tolan", "PRODUCT", "z", 0), ("Harbour Authority", "ORG", "z", 30)]
    )
    assert together(entities, ("a", "Kallisto Square"), ("b", "Kallisto"))
    assert not together(entities, ("a", "Brennan Avenue"), ("b", "Brennan"))
    assert not together(entities, ("a", "Tolan Square"), ("z", "Tolan"))


def test_a_name_of_two_streets_in_one_story_joins_neither() -> None:
    entities = merge(
        story("a", ("Orrin Street", "FAC"))
        + story("b", ("Orrin Avenue", "FAC"))
        + story("c", ("Orrin", "PRODUCT"))
    )
    assert not together(entities, ("c", "Orrin"), ("a", "Orrin Street"))
    assert not together(entities, ("c", "Orrin"), ("b", "Orrin Avenue"))


# --------------------------------------------------------------------------- outlets


@pytest.mark.model
def test_a_longer_outlet_name_ending_in_a_curated_short_one_is_not_that_outlet() -> None:
    """'the LA Times' and 'the Hindustan Times' are not The Times the ruler knows."""
    docs = [
        body_document("A lawyer for the family told the LA Times that he would sue.", "a"),
        body_document("The editor of the Hindustan Times declined to comment.", "b"),
        body_document("The minister told the Times of London that he would resign.", "c"),
        body_document("The minister later told the Times that the vote would go ahead.", "d"),
    ]
    entities = extract_entities(docs)
    times = [e for e in entities if e.canonical == "The Times"]
    assert len(times) == 1
    assert {m.doc_id for m in times[0].mentions} == {"c", "d"}


# --------------------------------------------------------------------------- shortened bodies


def test_a_bodys_name_with_middle_words_dropped_within_a_story() -> None:
    """'Corvan Hotel' is the 'Corvan Grand Plaza Hotel' of its story, in any case."""
    entities = merge(
        story("a", ("Corvan Grand Plaza Hotel", "ORG"), ("TELMAR ASTERI BANK", "ORG"))
        + story("b", ("Corvan Hotel", "FAC"), ("Telmar Bank", "GPE"))
    )
    assert together(entities, ("a", "Corvan Grand Plaza Hotel"), ("b", "Corvan Hotel"))
    assert together(entities, ("a", "TELMAR ASTERI BANK"), ("b", "Telmar Bank"))


def test_a_party_without_its_country_within_a_story() -> None:
    entities = merge(
        story("a", ("Liberal Party of Ostrava", "ORG"), ("Ostrava", "GPE"))
        + story("b", ("Liberal Party", "ORG"))
    )
    assert together(entities, ("a", "Liberal Party of Ostrava"), ("b", "Liberal Party"))


def test_shortened_names_that_are_other_bodies_stay_apart() -> None:
    """Unrelated stories, a name of two longer ones, a generic body, a place's body
    and people never join this way."""
    entities = merge(
        story("a", ("Corvan Grand Hotel", "ORG"), ("Corvan Harbour Hotel", "ORG"))
        + story("b", ("Corvan Hotel", "ORG"), ("Police of Ostrava", "ORG"), ("Ostrava", "GPE"))
        + story("c", ("Police", "ORG"), ("Ostrava Technical University", "ORG"))
        + story("d", ("Ostrava University", "ORG"), ("Mara Jane Holt", "PERSON"))
        + [("Halden Union Bank", "ORG", "y", 0), ("Halden Bank", "ORG", "z", 0)]
    )
    assert not together(entities, ("b", "Corvan Hotel"), ("a", "Corvan Grand Hotel"))
    assert not together(entities, ("b", "Corvan Hotel"), ("a", "Corvan Harbour Hotel"))
    assert not together(entities, ("b", "Police of Ostrava"), ("c", "Police"))
    assert not together(
        entities, ("c", "Ostrava Technical University"), ("d", "Ostrava University")
    )
    assert not together(entities, ("y", "Halden Union Bank"), ("z", "Halden Bank"))


def test_a_website_is_its_outlet_or_company() -> None:
    entities = merge(
        [
            ("Velora Weekly", "OUTLET", "a", 0),
            ("VW.com", "ORG", "a", 30),
            ("VW", "ORG", "b", 0),
            ("Tradewind.co.uk", "ORG", "c", 0),
            ("Tradewind", "ORG", "d", 0),
            ("Brandt.com", "ORG", "e", 0),
            ("Brandt Media", "ORG", "f", 0),
        ]
    )
    assert together(entities, ("a", "VW.com"), ("b", "VW"))
    assert together(entities, ("c", "Tradewind.co.uk"), ("d", "Tradewind"))
    assert not together(entities, ("e", "Brandt.com"), ("f", "Brandt Media"))


# --------------------------------------------------------------------------- one name, two stories


def test_an_initial_or_short_form_joins_a_full_name_only_within_a_story() -> None:
    """'J. Harlow' and 'Bill Okafor' of one story are not 'James Harlow' and 'William
    Okafor' of an unrelated one (two people of one surname, as likely as not); within
    a story they are; the same first name with a middle initial joins anywhere."""
    entities = merge(
        [
            *story("a", ("J. Harlow", "PERSON"), ("Bill Okafor", "PERSON")),
            ("James Harlow", "PERSON", "z", 0),
            ("William Okafor", "PERSON", "z", 30),
            ("Tessa Grant", "PERSON", "z", 60),
            *story("b", ("Jim Pell", "PERSON")),
            *story("c", ("James Pell", "PERSON")),
            ("Tessa M. Grant", "PERSON", "y", 0),
        ]
    )
    assert not together(entities, ("a", "J. Harlow"), ("z", "James Harlow"))
    assert not together(entities, ("a", "Bill Okafor"), ("z", "William Okafor"))
    assert together(entities, ("b", "Jim Pell"), ("c", "James Pell"))
    assert together(entities, ("z", "Tessa Grant"), ("y", "Tessa M. Grant"))
