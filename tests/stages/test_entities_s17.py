"""Alias recall classes of issue #25 (session 17), one hand-built test each, on synthetic
names only (never the benchmark's articles).

Mentions are built as the NER would tag them (text, label, article, offset), so no
test needs the model. The classes: one name
in two entities (a span the NER ran across two known names; a place after "<Place>, "
keeping its article; a man's suffixed name beside the same name propagated without the
suffix), a sea without its designator.
"""

from __future__ import annotations

from tests.helpers import Tagged, merge, together

from storytrace.records import EntityMention
from storytrace.stages.entities.extract import (
    PROPAGATED,
    EntityConfig,
    _place_key,
    alias_key,
    propagated,
)
from storytrace.stages.entities.merge import merge_mentions
from storytrace.stages.entities.names import given_name

NER = "entities.ner.v1"


def tagged(text: str, label: str, doc: str, start: int, method: str = NER) -> EntityMention:
    """A mention as the stage's extraction makes it."""
    return EntityMention(doc, start, start + len(text), text, label, alias_key(text, label), method)


def shared(doc: str) -> list[Tagged]:
    """Two names every article of one story prints."""
    return [("Velora Council", "ORG", doc, 500), ("Dana Whitfield", "PERSON", doc, 540)]


# --------------------------------------------------------------------------- one name split


def test_a_span_run_across_a_title_and_a_person_is_the_person() -> None:
    """'the Harbour Corwin Tabb' (tagged ORG once; 'Harbour' and 'Corwin Tabb' are
    tagged on their own elsewhere) is Corwin Tabb; 'Tabb and Quill' (two surnames the
    corpus tags alone) is two people; 'Tabb Harbour House' (a surname before a body's name
    the corpus tags) is the person and the body; 'Harbour and Harbour House' (two bodies
    the corpus tags, joined by "and") is the two bodies."""
    mentions = [
        tagged("Corwin Tabb", "PERSON", "a", 0),
        tagged("Harbour", "ORG", "a", 30),
        tagged("Ilsa Quill", "PERSON", "a", 60),
        tagged("Harbour House", "ORG", "a", 90),
        tagged("Tabb", "PERSON", "a", 130),
        tagged("Quill", "PERSON", "a", 150),
        tagged("the Harbour Corwin Tabb", "ORG", "b", 0),
        tagged("Tabb and Quill", "ORG", "c", 0),
        tagged("Tabb Harbour House", "PERSON", "d", 0),
        tagged("Harbour and Harbour House", "ORG", "e", 0),
    ]
    out = {(m.doc_id, m.text, m.label) for m in propagated(mentions)}
    assert ("b", "Corwin Tabb", "PERSON") in out
    assert ("b", "the Harbour Corwin Tabb", "ORG") not in out
    assert {("c", "Tabb", "PERSON"), ("c", "Quill", "PERSON")} <= out
    assert {("d", "Tabb", "PERSON"), ("d", "Harbour House", "ORG")} <= out
    assert {("e", "Harbour", "ORG"), ("e", "Harbour House", "ORG")} <= out
    entities = merge_mentions(mentions, EntityConfig())
    assert together(entities, ("a", "Corwin Tabb"), ("b", "Corwin Tabb"))


def test_a_person_name_or_a_name_tagged_whole_elsewhere_stays_whole() -> None:
    """'Dorian Vale' is one person though 'Dorian' and 'Vale' are tagged alone
    elsewhere; 'Harbour Corwin Tabb' tagged twice is a name of its own; 'Harbour
    Velmora Port' holds no person's name and stays one body."""
    mentions = [
        tagged("Dorian", "PERSON", "a", 0),
        tagged("Vale", "PERSON", "a", 20),
        tagged("Corwin Tabb", "PERSON", "a", 40),
        tagged("Harbour", "ORG", "a", 60),
        tagged("Velmora Port", "FAC", "a", 80),
        tagged("Dorian Vale", "PERSON", "b", 0),
        tagged("Harbour Corwin Tabb", "ORG", "b", 30),
        tagged("Harbour Corwin Tabb", "ORG", "c", 0),
        tagged("Harbour Velmora Port", "ORG", "c", 40),
    ]
    out = {(m.doc_id, m.text) for m in propagated(mentions)}
    assert {
        ("b", "Dorian Vale"),
        ("b", "Harbour Corwin Tabb"),
        ("c", "Harbour Velmora Port"),
    } <= out
    assert ("b", "Dorian") not in out and ("c", "Velmora Port") not in out


def test_a_place_after_a_place_keeps_no_article() -> None:
    """'Asia, the Velmor Basin and Europe': the region is 'Velmor Basin', as everywhere
    else, not 'the Velmor Basin'."""
    text = "Cables serving Asia, the Velmor Basin and Europe were cut."
    start = text.index("the Velmor")
    assert _place_key(text, start, start + len("the Velmor Basin"), "LOC") == "Velmor Basin"
    assert alias_key("the Velmor Basin", "LOC") == "Velmor Basin"


def test_a_suffixed_name_beside_its_propagated_form_is_one_man() -> None:
    """An article tagging 'Orrin Joseph Tallis Jr.' where a headline also yields the
    propagated 'Orrin Joseph Tallis' names one man, the one of the other articles; a
    tagged 'Orrin Tallis' beside him is still his father."""
    one = [
        tagged("Orrin Joseph Tallis Jr.", "PERSON", "a", 100),
        tagged("Orrin Joseph Tallis", "PERSON", "a", 0, PROPAGATED),
        tagged("Orrin Joseph Tallis Jr.", "PERSON", "b", 0),
        tagged("Tallis", "PERSON", "b", 60),
    ]
    entities = merge_mentions(one, EntityConfig())
    assert together(entities, ("a", "Orrin Joseph Tallis Jr."), ("b", "Orrin Joseph Tallis Jr."))
    father = [
        tagged("Orrin Tallis Jr.", "PERSON", "c", 0),
        tagged("Orrin Tallis", "PERSON", "c", 60),
    ]
    entities = merge_mentions(father, EntityConfig())
    assert not together(entities, ("c", "Orrin Tallis Jr."), ("c", "Orrin Tallis"))


def test_a_place_the_ner_sometimes_calls_a_person_is_one_place() -> None:
    """'Velmoria' tagged GPE in one article and PERSON in two others (no person of the
    corpus bears the name) is one city, not three lone surnames; 'Tallis', borne by
    Orrin Tallis, stays a surname where tagged PERSON."""
    entities = merge(
        [
            ("Velmoria", "GPE", "a", 0),
            ("Velmoria", "PERSON", "b", 0),
            ("Velmoria", "PERSON", "c", 0),
            ("Velmoria", "PERSON", "c", 40),
            ("Tallis", "GPE", "a", 40),
            ("Orrin Tallis", "PERSON", "d", 0),
            ("Tallis", "PERSON", "e", 0),
        ]
    )
    assert together(entities, ("a", "Velmoria"), ("b", "Velmoria"), ("c", "Velmoria"))
    assert not together(entities, ("a", "Tallis"), ("e", "Tallis"))


def test_a_first_name_after_an_initial_is_the_name_the_person_goes_by() -> None:
    """'W. Orrin Tallis' goes by Orrin: 'Orrin' (tagged PERSON) in his article is he,
    and so is a lone 'Orrin' in a related article; 'W.' is no first name."""
    entities = merge(
        [
            ("Orrin", "PERSON", "a", 0),
            ("W. Orrin Tallis", "PERSON", "a", 40),
            *shared("a"),
            ("Orrin", "PERSON", "b", 0),
            *shared("b"),
        ]
    )
    assert together(entities, ("a", "W. Orrin Tallis"), ("a", "Orrin"), ("b", "Orrin"))
    assert given_name(("W.", "Orrin", "Tallis")) == "Orrin"
    assert given_name(("J.", "R.", "Tallis")) == ""


# --------------------------------------------------------------------------- seas and rivers


def test_a_sea_without_its_designator_is_the_sea() -> None:
    """'the Velmoran' (LOC) is the Velmoran Sea named in another article; 'Quessa' (a
    state, GPE) is not the Quessa River; 'Orla' beside two bodies of water joins
    neither."""
    entities = merge(
        [
            ("Velmoran Sea", "LOC", "a", 0),
            ("Velmoran", "LOC", "b", 0),
            ("Quessa River", "LOC", "a", 40),
            ("Quessa", "GPE", "b", 40),
            ("Orla Sea", "LOC", "a", 80),
            ("Orla River", "LOC", "a", 120),
            ("Orla", "LOC", "b", 80),
        ]
    )
    assert together(entities, ("a", "Velmoran Sea"), ("b", "Velmoran"))
    assert not together(entities, ("a", "Quessa River"), ("b", "Quessa"))
    assert not together(entities, ("a", "Orla Sea"), ("b", "Orla"))
    assert not together(entities, ("a", "Orla River"), ("b", "Orla"))


# --------------------------------------------------------------------------- outlets


def test_a_newspaper_word_alone_is_the_one_paper_of_a_related_article() -> None:
    """'the Post' in an article naming no Post is the Velmora Post of a related article
    (same story: two shared names); not where two related papers end with 'Post', and
    a common word ('Press') is no short name of the Associated Press."""
    entities = merge(
        [("Velmora Post", "OUTLET", "a", 0), *shared("a"), ("Post", "OUTLET", "b", 0), *shared("b")]
    )
    assert together(entities, ("a", "Velmora Post"), ("b", "Post"))
    entities = merge(
        [
            ("Velmora Post", "OUTLET", "a", 0),
            ("Quessa Post", "OUTLET", "a", 40),
            *shared("a"),
            ("Post", "OUTLET", "b", 0),
            *shared("b"),
        ]
    )
    assert not together(entities, ("a", "Velmora Post"), ("b", "Post"))
    assert not together(entities, ("a", "Quessa Post"), ("b", "Post"))
    entities = merge(
        [
            ("Associated Press", "OUTLET", "a", 0),
            *shared("a"),
            ("Press", "OUTLET", "b", 0),
            *shared("b"),
        ]
    )
    assert not together(entities, ("a", "Associated Press"), ("b", "Press"))


# ------------------------------------------------------ review fixes (glued spans)


def test_a_person_named_after_a_place_stays_one_person() -> None:
    """'Corby Vantner' tagged a person once, with 'Corby' tagged a place and 'Vantner' a
    person on their own elsewhere, is one person's name (a first name that is also a
    town, and his surname), not the town and the surname; a person span holding a
    place and a full name the corpus tags ('Corby Ilsa Quill') still splits."""
    mentions = [
        tagged("Corby", "GPE", "a", 0),
        tagged("Vantner", "PERSON", "a", 20),
        tagged("Ilsa Quill", "PERSON", "a", 40),
        tagged("Corby Vantner", "PERSON", "b", 0),
        tagged("Corby Ilsa Quill", "PERSON", "c", 0),
    ]
    out = {(m.doc_id, m.text, m.label) for m in propagated(mentions)}
    assert ("b", "Corby Vantner", "PERSON") in out
    assert ("b", "Corby", "GPE") not in out and ("b", "Vantner", "PERSON") not in out
    assert {("c", "Corby", "GPE"), ("c", "Ilsa Quill", "PERSON")} <= out


class _NoCopy(dict):  # type: ignore[type-arg]
    """A name table that may be looked up but not walked whole."""

    def items(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the name table was copied")


def test_a_glued_span_is_split_without_copying_the_name_table() -> None:
    """A span tagged once is looked for among the other names without a copy of the
    corpus's name table per mention (quadratic on a corpus); the result is the same."""
    from storytrace.stages.entities.extract import _glued, _known_names

    mentions = [
        tagged("Tabb", "PERSON", "a", 0),
        tagged("Quill", "PERSON", "a", 20),
        tagged("Dorian Vale", "PERSON", "a", 40),
        tagged("Tabb and Quill", "ORG", "c", 0),
        tagged("Dorian Vale", "PERSON", "d", 0),
    ]
    labels = _NoCopy(_known_names(mentions))
    split = _glued(mentions[3], labels)
    assert [(m.text, m.label) for m in split] == [("Tabb", "PERSON"), ("Quill", "PERSON")]
    assert _glued(mentions[4], labels) == []


def test_an_ampersand_name_stays_whole() -> None:
    """'Tabb & Quill' tagged once stays one firm though 'Tabb' and 'Quill' are tagged
    alone elsewhere: "&" joins a firm's name, not two names."""
    mentions = [
        tagged("Tabb", "PERSON", "a", 0),
        tagged("Quill", "PERSON", "a", 20),
        tagged("Tabb & Quill", "ORG", "b", 0),
    ]
    out = {(m.doc_id, m.text) for m in propagated(mentions)}
    assert ("b", "Tabb & Quill") in out and ("b", "Tabb") not in out


def test_the_merge_has_no_private_alias_of_content_words() -> None:
    from storytrace.stages.entities import extract, merge

    assert not hasattr(merge, "_content_words")
    assert extract.NER_METHOD == NER
