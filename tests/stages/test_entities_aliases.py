"""Alias merging that generalises (#25): each false merge and missed alias seen on unseen
coverage, rebuilt by hand. Mentions are built as the NER would tag them (text, label,
article, offset), so these tests need no model; the last ones run the real pipeline."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.helpers import body_document, groups, merge, together

from storytrace.records import EntityMention
from storytrace.stages.entities.extract import (
    TITLE_LINE,
    UNTAGGED,
    EntityConfig,
    _coordinated,
    _in_title_line,
    _nicknamed,
    _parts,
    _untagged_runs,
    alias_key,
    outlet_name,
    propagated,
    trimmed,
)
from storytrace.stages.entities.merge import extract_entities, merge_mentions
from storytrace.stages.entities.names import name_words, same_first_name, same_person

# --------------------------------------------------------------------------- false merges


def test_outlets_sharing_a_word_stay_apart() -> None:
    """'The Times' never absorbs other newspapers whose names contain 'Times'."""
    entities = merge(
        [
            ("The Times", "OUTLET", "a", 0),
            ("The New York Times", "OUTLET", "b", 0),
            ("LA Times", "OUTLET", "c", 0),
            ("Times of India", "OUTLET", "d", 0),
            ("Times of Malta", "OUTLET", "e", 0),
            ("The Times-Picayune", "ORG", "f", 0),
            ("the Times", "OUTLET", "g", 0),
        ]
    )
    assert len(entities) == 6
    assert together(entities, ("a", "The Times"), ("g", "the Times"))
    assert outlet_name("Times of India") == "Times of India"
    assert outlet_name("The Times-Picayune") is None  # not The Times
    assert outlet_name("NTV") is None and outlet_name("SKY-TV") is None  # "TV" is a word


def test_news_agencies_stay_apart_and_keep_their_acronyms() -> None:
    entities = merge(
        [
            ("Associated Press", "OUTLET", "a", 0),
            ("AP", "OUTLET", "b", 0),
            ("Agence France-Presse", "OUTLET", "c", 0),
            ("AFP", "OUTLET", "d", 0),
            ("Press Association", "ORG", "e", 0),
        ]
    )
    assert len(entities) == 3
    assert together(entities, ("a", "Associated Press"), ("b", "AP"))
    assert together(entities, ("c", "Agence France-Presse"), ("d", "AFP"))


def test_initials_never_absorb_a_person() -> None:
    entities = merge([("Brian Nichols", "PERSON", "a", 0), ("BN", "ORG", "b", 0)])
    assert len(entities) == 2


def test_an_acronym_of_two_names_takes_the_one_printed_beside_it() -> None:
    """'EU' is the European Union of its article, not the Estelle Unit of another story;
    a model number is not a region's abbreviation either."""
    entities = merge(
        [
            ("Estelle Unit", "ORG", "prison", 0),
            ("European Union", "ORG", "summit", 0),
            ("EU", "ORG", "summit", 40),
            ("EU", "ORG", "talks", 0),
            ("Galaxy S4", "PRODUCT", "phone", 0),
            ("Samsung", "ORG", "phone", 20),
            ("SEA", "GPE", "phone", 40),
            ("South East Asia", "LOC", "phone", 60),
        ]
    )
    assert together(entities, ("summit", "European Union"), ("summit", "EU"), ("talks", "EU"))
    assert not together(entities, ("prison", "Estelle Unit"), ("summit", "EU"))
    assert not together(entities, ("phone", "Galaxy S4"), ("phone", "Samsung"))
    assert not together(entities, ("phone", "Galaxy S4"), ("phone", "SEA"))


def test_a_place_is_not_the_organisation_named_after_it() -> None:
    entities = merge(
        [
            ("Texas", "ORG", "a", 0),
            ("Texas Department of Criminal Justice", "ORG", "b", 0),
            ("New York", "GPE", "c", 0),
            ("New York Post", "ORG", "c", 20),
            ("NBC New York", "ORG", "c", 40),
        ]
    )
    assert len(entities) == 5


def test_a_church_is_not_its_breakaway_church() -> None:
    entities = merge(
        [
            ("Anglican Church", "ORG", "a", 0),
            ("Anglican Church in North America", "ORG", "b", 0),
            ("Jamaica Hospital", "ORG", "c", 0),
            ("Jamaica College", "ORG", "d", 0),
            ("Jamaica", "ORG", "e", 0),
        ]
    )
    assert len(entities) == 5  # "Jamaica" could be either body: neither


def test_one_surname_two_people_in_two_stories() -> None:
    """Each article's 'Singh' is the Singh that article names in full."""
    entities = merge(
        [
            ("Manpreet Singh", "PERSON", "queens", 0),
            ("Singh", "PERSON", "queens", 50),
            ("Piara Singh", "PERSON", "visit", 0),
            ("Singh", "PERSON", "visit", 50),
            ("Singh", "PERSON", "visit", 90),
        ]
    )
    assert groups(entities) == {
        frozenset({("queens", "Manpreet Singh"), ("queens", "Singh")}),
        frozenset({("visit", "Piara Singh"), ("visit", "Singh")}),
    }


def test_a_surname_shared_in_one_article_goes_to_the_person_introduced_first() -> None:
    """'Kimani Gray ... his mother, Mahnefah Gray ... Gray was shot': Kimani; a surname
    before either full name belongs to no one outside its article."""
    entities = merge(
        [
            ("Gray", "PERSON", "a", 0),
            ("Kimani Gray", "PERSON", "a", 20),
            ("Mahnefah Gray", "PERSON", "a", 60),
            ("Gray", "PERSON", "a", 100),
            ("Gray", "PERSON", "b", 0),
        ]
    )
    assert together(entities, ("a", "Kimani Gray"), ("a", "Gray"))
    kimani = next(e for e in entities if e.canonical == "Kimani Gray")
    assert [m.start for m in kimani.mentions] == [20, 100]
    assert not together(entities, ("a", "Mahnefah Gray"), ("a", "Kimani Gray"))


def test_a_lone_surname_joins_the_person_of_a_related_article_only() -> None:
    """'Qaani conveyed ...' in an article that never names him in full is Esmail Qaani
    of an article about the same things (two shared names), not of an unrelated one."""
    story = [("IRGC", "ORG"), ("Baghdad", "GPE")]
    entities = merge(
        [("Esmail Qaani", "PERSON", "a", 0)]
        + [(t, lab, "a", 20 + 10 * i) for i, (t, lab) in enumerate(story)]
        + [("Qaani", "ORG", "b", 0)]
        + [(t, lab, "b", 20 + 10 * i) for i, (t, lab) in enumerate(story)]
        + [("Qaani", "PERSON", "c", 0), ("Reuters", "OUTLET", "c", 20)]
    )
    assert together(entities, ("a", "Esmail Qaani"), ("b", "Qaani"))
    assert not together(entities, ("a", "Esmail Qaani"), ("c", "Qaani"))


def test_two_first_names_are_two_people() -> None:
    entities = merge(
        [
            ("Mark Vinar", "PERSON", "a", 0),
            ("Miles Vinar", "PERSON", "b", 0),
            ("Chris Weitz", "PERSON", "c", 0),
            ("Paul Weitz", "PERSON", "d", 0),
        ]
    )
    assert len(entities) == 4


def test_coordinated_acronyms_are_two_mentions() -> None:
    assert _coordinated("EU & IMF", 10) == [(10, 12), (15, 18)]
    assert _coordinated("the EU and IMF", 0) == [(4, 6), (11, 14)]
    assert _coordinated("Procter & Gamble", 0) == [(0, 16)]


# --------------------------------------------------------------------------- missed aliases


def test_one_person_by_surname_full_name_and_middle_name() -> None:
    entities = merge(
        [
            ("Brian Nichols", "PERSON", "a", 0),
            ("Nichols", "PERSON", "a", 40),
            ("Mr. Nichols", "PERSON", "a", 80),
            ("Brian G. Nichols", "PERSON", "b", 0),
            ("Nichols", "ORG", "b", 40),
            ("Arcade Joseph Comeaux Jr.", "PERSON", "c", 0),
            ("Arcade Joseph Comeaux", "PERSON", "d", 0),
            ("Comeaux", "PERSON", "d", 30),
            ("Superior Court Judge James Bodiford", "PERSON", "e", 0),
            ("Judge Bodiford", "PERSON", "f", 0),
            ("James G. Bodiford", "PERSON", "f", 30),
        ]
    )
    assert len(entities) == 3
    nichols = next(e for e in entities if "Nichols" in e.canonical)
    assert nichols.canonical in ("Brian Nichols", "Brian G. Nichols")
    assert nichols.label == "PERSON"


def test_first_name_alone_is_the_person_of_its_article() -> None:
    entities = merge(
        [
            ("Hugh Jackman", "PERSON", "a", 0),
            ("Hugh", "PERSON", "a", 40),
            ("Hugh", "PERSON", "b", 0),  # no full name in b: left alone
        ]
    )
    assert together(entities, ("a", "Hugh Jackman"), ("a", "Hugh"))
    assert not together(entities, ("a", "Hugh"), ("b", "Hugh"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("William Hakim", "Bill Hakim"),
        ("Raymond Kelly", "Ray Kelly"),
        ("Giannis Panagopoulos", "Yiannis Panagopoulos"),
        ("Carolos Papoulias", "Karolos Papoulias"),
        ("Duncan Rait", "Duncan Raite"),
        ("Vincent Del Giudice", "Vincent DelGiudice"),
        ("Raymond W. Kelly", "Raymond Kelly"),
    ],
)
def test_spellings_of_one_person_merge_across_articles(a: str, b: str) -> None:
    shared = [("Athens", "GPE"), ("Greek Police", "ORG")]  # the two articles are related
    story = [(t, lab, d, 40 + 20 * i) for d in "xy" for i, (t, lab) in enumerate(shared)]
    entities = merge([(a, "PERSON", "x", 0), (b, "PERSON", "y", 0), *story])
    assert together(entities, ("x", a), ("y", b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Giannis Panagopoulos", "Yiannis Panagopoulos"),
        ("Duncan Rait", "Duncan Raite"),
        ("Alexis Grigoropoulos", "Alexia Grigoropoulos"),
    ],
)
def test_similar_spellings_stay_apart_in_unrelated_articles(a: str, b: str) -> None:
    """A spelling one letter or so apart is one person's only within a story: in two
    unrelated articles they are two people (two people of one name in two stories)."""
    entities = merge([(a, "PERSON", "x", 0), (b, "PERSON", "y", 0)])
    assert len(entities) == 2


def test_an_initial_that_fits_two_people_joins_neither() -> None:
    entities = merge(
        [
            ("J. Smith", "PERSON", "a", 0),
            ("John Smith", "PERSON", "b", 0),
            ("Jane Smith", "PERSON", "c", 0),
        ]
    )
    assert len(entities) == 3


def test_spellings_of_one_organisation_merge() -> None:
    entities = merge(
        [
            ("Summit Entertainment", "ORG", "a", 0),
            ("Summit", "ORG", "b", 0),
            ("Summit Entertainment LLC", "ORG", "c", 0),
            ("U.S. Marshals Service", "ORG", "d", 0),
            ("U.S. Marshal Service", "ORG", "e", 0),
            ("U.S. Marshals", "ORG", "f", 0),
            ("Jamaica Hospital Medical Center", "ORG", "g", 0),
            ("Jamaica Hospital", "ORG", "h", 0),
            ("The Hollywood Reporter", "ORG", "i", 0),
            ("THR", "ORG", "i", 40),
        ]
    )
    assert len(entities) == 4


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Superior Court Judge James Bodiford", ("James", "Bodiford")),
        ("Mr. Nichols", ("Nichols",)),
        ("Arcade Joseph Comeaux Jr.", ("Arcade", "Joseph", "Comeaux")),
        ("Police Commissioner Raymond Kelly", ("Raymond", "Kelly")),
        ("Nichols's", ("Nichols",)),
        ("Judge", ("Judge",)),
        ("U.S. Customs Agent David Wilhelm", ("David", "Wilhelm")),
        ("Oregon State Police Lt. Gregg Hastings", ("Gregg", "Hastings")),
        ("Billy King", ("Billy", "King")),
    ],
)
def test_name_words_drop_titles_and_suffixes(text: str, words: tuple[str, ...]) -> None:
    assert name_words(text) == words


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Bill", "William", True),
        ("J.", "James", True),
        ("Elias", "Ilias", True),
        ("Mark", "Miles", False),
        ("Chris", "Paul", False),
        ("Alexis", "Alexandros", False),
    ],
)
def test_same_first_name(a: str, b: str, same: bool) -> None:
    assert same_first_name(a, b) is same


def test_same_person_needs_both_names_to_agree() -> None:
    assert same_person(("Brian", "G.", "Nichols"), ("Brian", "Nichols"))
    assert not same_person(("Brian", "G.", "Nichols"), ("Brian", "T.", "Nichols"))
    assert not same_person(("Makaeo", "Williams"), ("Jumaane", "Williams"))
    assert not same_person(("Nichols",), ("Brian", "Nichols"))


# --------------------------------------------------------------------------- with the model


@pytest.mark.model
def test_pipeline_resolves_names_in_their_article() -> None:
    docs = [
        body_document(
            "Brian Nichols was sentenced on Saturday in Atlanta. Nichols, 37, showed no "
            "emotion. Mr. Nichols's lawyer said he would appeal. Judge James Bodiford "
            "read the sentence.",
            "a",
        ),
        body_document(
            "A jury spared Brian G. Nichols the death penalty. Bodiford will sentence "
            "Nichols next week.",
            "b",
        ),
        body_document(
            "Bella moves to the small town of Forks, Washington to live with her father. "
            "Officials in Washington declined to comment.",
            "c",
        ),
    ]
    entities = extract_entities(docs)
    nichols = [e for e in entities if any("Nichols" in f for f in e.surface_forms)]
    assert len(nichols) == 1
    assert {m.doc_id for m in nichols[0].mentions} == {"a", "b"}
    forks = next(
        e
        for e in entities
        if any(m.doc_id == "c" and m.start < 80 and m.text == "Washington" for m in e.mentions)
    )
    assert forks.canonical == "Washington"  # the state, not the United States
    capital = next(
        e
        for e in entities
        if any(m.doc_id == "c" and m.start > 80 and m.text == "Washington" for m in e.mentions)
    )
    assert capital.canonical == "United States"


# --------------------------------------------------------------------------- generalising (#25, s13)


def spans_of(text: str, *phrases: str) -> list[tuple[int, int]]:
    """Where each phrase first stands in ``text`` (token-aligned in these texts)."""
    return [(text.index(p), text.index(p) + len(p)) for p in phrases]


def tagged_doc(text: str, ents: list[tuple[str, str]]):  # type: ignore[no-untyped-def]
    """A tokenised text (no model) whose entities are set as the NER would tag them."""
    spacy = pytest.importorskip("spacy")
    doc = spacy.blank("en")(text)
    spans = []
    for (start, end), (_, label) in zip(spans_of(text, *(p for p, _ in ents)), ents, strict=True):
        span = doc.char_span(start, end, label=label)
        assert span is not None, (start, end)
        spans.append(span)
    doc.ents = spans
    return doc


@pytest.mark.parametrize(
    ("text", "phrase", "label", "kept"),
    [
        ("Riots spread Across Athens on Monday.", "Across Athens", "PERSON", "Athens"),
        ("The Paris store hit by thieves reopened.", "Paris store hit", "FAC", "Paris"),
        ("Police at the Carlton hotel said so.", "Carlton hotel", "FAC", "Carlton hotel"),
        ("Traffic in Downtown Paris stopped.", "Downtown Paris", "GPE", "Paris"),
        (
            "Both the Oregon State Police and Capt Hastings came.",
            "the Oregon State Police and Capt",
            "ORG",
            "the Oregon State Police",
        ),
        ("An OSP Lt said it.", "OSP Lt", "ORG", "OSP"),
        ("They met Bashar al-Assad today.", "Bashar al-Assad", "PERSON", "Bashar al-Assad"),
    ],
)
def test_ner_spans_lose_the_words_they_ran_on_into(
    text: str, phrase: str, label: str, kept: str
) -> None:
    doc = tagged_doc(text, [(phrase, label)])
    span = trimmed(doc.ents[0])
    assert span is not None and span.text == kept


def test_a_person_owning_a_name_and_two_surnames_joined_are_split() -> None:
    assert _parts("Karamanlis' New Democracy party", 100, {"Karamanlis"}) == [
        (100, 110, "PERSON"),
        (112, 131, None),
    ]
    assert _parts("Lopez and Carrasquillo", 0, {"Lopez", "Carrasquillo"}) == [
        (0, 5, "PERSON"),
        (10, 22, "PERSON"),
    ]
    # not people of the article: left whole
    assert _parts("Macy's Thanksgiving Parade", 0, {"Gray"}) == [(0, 26, None)]
    assert _parts("Procter and Gamble", 0, {"Lopez"}) == [(0, 18, None)]


def test_a_printed_nickname_names_the_person_in_and_across_articles() -> None:
    text = 'A vigil for Kimani (Kiki) Gray, 16, was held. "Rest in peace, Kiki," they said.'
    raw = [
        EntityMention("a", s, e, text[s:e], label, alias_key(text[s:e], label), "test")
        for (s, e), label in zip(
            spans_of(text, "Kimani", "Gray", "Kiki,"), ("PERSON", "ORG", "PERSON"), strict=True
        )
    ]
    raw[2] = replace(raw[2], end=raw[2].end - 1, text="Kiki", entity_id="Kiki")
    found = _nicknamed("a", text, raw)
    assert [(m.text, m.entity_id) for m in found] == [
        ("Kimani (Kiki) Gray", "Kimani Gray"),
        ("Kiki", "Kiki"),
    ]
    story = [("NYPD", "ORG"), ("Brooklyn", "GPE")]
    other = [
        EntityMention("b", 0, 4, "Kiki", "PERSON", "Kiki", "test"),
        *(
            EntityMention(doc, 20 + 10 * i, 24 + 10 * i, t, lab, t, "test")
            for doc in "ab"
            for i, (t, lab) in enumerate(story)
        ),
        EntityMention("c", 0, 4, "Kiki", "PERSON", "Kiki", "test"),  # unrelated article
    ]
    entities = merge_mentions(found + other, EntityConfig())
    assert together(entities, ("a", "Kimani (Kiki) Gray"), ("a", "Kiki"), ("b", "Kiki"))
    assert not together(entities, ("a", "Kiki"), ("c", "Kiki"))


def test_two_given_names_of_one_person_in_related_articles() -> None:
    """'Alexandros' and 'Alexis Grigoropoulos' in two articles of one story are one
    boy; a namesake in an unrelated article, or two in one article, stay apart."""
    story = [("Exarchia", "GPE"), ("Athens", "GPE")]
    entities = merge(
        [("Alexandros Grigoropoulos", "PERSON", "a", 0)]
        + [(t, lab, "a", 40 + 10 * i) for i, (t, lab) in enumerate(story)]
        + [("Alexis Grigoropoulos", "PERSON", "b", 0), ("Grigoropoulos", "PERSON", "c", 0)]
        + [(t, lab, d, 40 + 10 * i) for d in "bc" for i, (t, lab) in enumerate(story)]
        + [("Alexia Grigoropoulos", "PERSON", "d", 0), ("Reuters", "OUTLET", "d", 40)]
        + [("Michael Stavros", "PERSON", "e", 0), ("Michelle Stavros", "PERSON", "e", 30)]
        + [("Michael Stavros", "PERSON", "f", 0)]
        + [(t, lab, d, 40 + 10 * i) for d in "ef" for i, (t, lab) in enumerate(story)]
    )
    assert together(
        entities,
        ("a", "Alexandros Grigoropoulos"),
        ("b", "Alexis Grigoropoulos"),
        ("c", "Grigoropoulos"),
    )
    assert not together(entities, ("a", "Alexandros Grigoropoulos"), ("d", "Alexia Grigoropoulos"))
    assert not together(entities, ("e", "Michael Stavros"), ("e", "Michelle Stavros"))


def test_a_lone_first_name_and_surname_resolve_together() -> None:
    """An article printing only "Kimani" and "Gray", beside articles naming Kimani
    Gray and his mother Mahnefah Gray: both are Kimani."""
    story = [("NYPD", "ORG"), ("Brooklyn", "GPE")]
    entities = merge(
        [("Kimani Gray", "PERSON", "a", 0), ("Mahnefah Gray", "PERSON", "a", 20)]
        + [("Kimani", "PERSON", "b", 0), ("Gray", "PERSON", "b", 20)]
        + [(t, lab, d, 40 + 10 * i) for d in "ab" for i, (t, lab) in enumerate(story)]
    )
    assert together(entities, ("a", "Kimani Gray"), ("b", "Kimani"), ("b", "Gray"))
    assert not together(entities, ("a", "Mahnefah Gray"), ("b", "Gray"))


def test_a_thing_tagged_as_a_person_now_and_then_stays_the_thing() -> None:
    entities = merge(
        [
            ("Exarchia", "GPE", "a", 0),
            ("Exarchia", "GPE", "b", 0),
            ("Exarchia", "PERSON", "c", 0),
            ("SEACOM", "ORG", "a", 20),
            ("SEACOM", "ORG", "b", 20),
            ("SEACOM", "PERSON", "c", 20),
            ("Gray", "PERSON", "d", 0),  # a surname alone stays alone
            ("Gray", "PERSON", "e", 0),
            ("Qaani", "ORG", "f", 0),  # as often a person as not: stays alone
            ("Qaani", "PERSON", "g", 0),
        ]
    )
    assert together(entities, ("a", "Exarchia"), ("c", "Exarchia"))
    assert together(entities, ("a", "SEACOM"), ("c", "SEACOM"))
    assert not together(entities, ("d", "Gray"), ("e", "Gray"))
    assert not together(entities, ("f", "Qaani"), ("g", "Qaani"))


def test_a_first_name_printed_after_the_full_name_whatever_its_tag() -> None:
    entities = merge([("Kathina Thomas", "PERSON", "a", 0), ("Kathina", "GPE", "a", 40)])
    assert together(entities, ("a", "Kathina Thomas"), ("a", "Kathina"))


def test_a_name_the_ner_missed_in_one_article_is_found_by_another_articles_tag() -> None:
    """The NER tags "Rite Aid" in one article and misses it in the next: the untagged
    capitalised run there becomes a mention of the same name; a run no article tags
    ("Monday Night") is no mention."""
    text = "Officers ran past the Rite Aid on Monday Night, NYPD said."
    doc = tagged_doc(text, [("NYPD", "ORG")])
    found = [
        EntityMention("b", s, e, text[s:e], "ORG", text[s:e], "test")
        for s, e in spans_of(text, "NYPD")
    ]
    runs = _untagged_runs("b", doc, found)
    assert [m.text for m in runs] == ["Officers", "Rite Aid", "Monday Night"]
    assert all(m.method == UNTAGGED for m in runs)
    entities = merge_mentions(
        [EntityMention("a", 0, 8, "Rite Aid", "ORG", "Rite Aid", "test"), *found, *runs],
        EntityConfig(),
    )
    rite = next(e for e in entities if e.canonical == "Rite Aid")
    assert {(m.doc_id, m.text, m.label) for m in rite.mentions} == {
        ("a", "Rite Aid", "ORG"),
        ("b", "Rite Aid", "ORG"),
    }
    forms = {f for e in entities for f in e.surface_forms}
    assert "Monday Night" not in forms and "Officers" not in forms


def test_a_longer_name_tagged_elsewhere_replaces_the_part_the_ner_tagged() -> None:
    """ "The Hollywood Reporter" where the NER tagged only "Hollywood" (a place) is the
    outlet another article tags; a name cutting across a mention is not taken."""
    text = "The Hollywood Reporter said Summit Entertainment Group agreed."
    tags = [("Hollywood", "GPE"), ("Summit Entertainment", "ORG")]
    doc = tagged_doc(text, tags)
    found = [
        EntityMention("b", s, e, text[s:e], lab, text[s:e], "test")
        for (s, e), (_, lab) in zip(spans_of(text, *(t for t, _ in tags)), tags, strict=True)
    ]
    known = [
        EntityMention("a", 0, 18, "Hollywood Reporter", "ORG", "Hollywood Reporter", "test"),
        EntityMention("a", 30, 49, "Entertainment Group", "ORG", "Entertainment Group", "test"),
    ]
    kept = propagated([*known, *found, *_untagged_runs("b", doc, found)])
    in_b = sorted((m.text, m.label) for m in kept if m.doc_id == "b")
    assert in_b == [("Hollywood Reporter", "ORG"), ("Summit Entertainment", "ORG")]


def test_a_team_after_its_place_is_the_team_alone_but_never_an_outlet_or_a_body() -> None:
    entities = merge(
        [
            ("Indianapolis", "GPE", "a", 0),
            ("Indianapolis Colts", "ORG", "a", 20),
            ("Colts", "ORG", "b", 0),
            ("New York", "GPE", "c", 0),
            ("New York Times", "OUTLET", "c", 20),
            ("Times", "OUTLET", "d", 0),
            ("Athens", "GPE", "e", 0),
            ("Athens Police", "ORG", "e", 20),
            ("Police", "ORG", "f", 0),
        ]
    )
    assert together(entities, ("a", "Indianapolis Colts"), ("b", "Colts"))
    assert not together(entities, ("c", "New York Times"), ("d", "Times"))
    assert not together(entities, ("e", "Athens Police"), ("f", "Police"))


def test_a_role_before_a_name_is_no_part_of_it() -> None:
    """ "Colts QB Andrew Luck" is Andrew Luck; "Colts" later in the article stays the team."""
    assert name_words("Colts QB Andrew Luck") == ("Andrew", "Luck")
    entities = merge([("Colts QB Andrew Luck", "PERSON", "a", 0), ("Colts", "ORG", "a", 40)])
    assert not together(entities, ("a", "Colts QB Andrew Luck"), ("a", "Colts"))


def test_a_headline_span_is_split_into_the_names_it_holds() -> None:
    """On a title-case line the NER runs names together ("Colts Beat Chiefs"): the span
    becomes the names the corpus tags elsewhere; a headline span holding none stays."""
    text = "Colts Beat Chiefs In Wild Card Game\nThe Colts beat the Chiefs on Saturday."
    assert _in_title_line(text, 0) and not _in_title_line(text, 40)
    mentions = [
        EntityMention("a", 0, 17, "Colts Beat Chiefs", "PERSON", "Colts Beat Chiefs", TITLE_LINE),
        EntityMention("a", 40, 45, "Colts", "ORG", "Colts", "test"),
        EntityMention("a", 54, 60, "Chiefs", "ORG", "Chiefs", "test"),
        EntityMention("b", 0, 14, "Wild Card Game", "EVENT", "Wild Card Game", TITLE_LINE),
    ]
    kept = propagated(mentions)
    assert sorted((m.text, m.label) for m in kept if m.doc_id == "a") == [
        ("Chiefs", "ORG"),
        ("Chiefs", "ORG"),
        ("Colts", "ORG"),
        ("Colts", "ORG"),
    ]
    assert [m.text for m in kept if m.doc_id == "b"] == ["Wild Card Game"]


def test_a_misprint_joins_the_name_within_a_story_and_capitals_are_a_spelling() -> None:
    story = [("Brooklyn", "GPE"), ("NYPD", "ORG")]
    entities = merge(
        [("Champs-Elysees", "FAC", "a", 0), ("Champs-Elysee", "FAC", "b", 0)]
        + [(t, lab, d, 40 + 10 * i) for d in "ab" for i, (t, lab) in enumerate(story)]
        + [("Colombia", "GPE", "a", 100), ("Columbia", "GPE", "b", 100)]  # a letter changed
        + [("Marfin Egnatia Bank", "ORG", "c", 0), ("MARFIN EGNATIA BANK", "ORG", "d", 0)]
        + [("Brownsville", "GPE", "e", 0), ("Browsnville", "GPE", "f", 0)]  # unrelated
    )
    assert together(entities, ("a", "Champs-Elysees"), ("b", "Champs-Elysee"))
    assert not together(entities, ("a", "Colombia"), ("b", "Columbia"))
    assert together(entities, ("c", "Marfin Egnatia Bank"), ("d", "MARFIN EGNATIA BANK"))
    assert not together(entities, ("e", "Brownsville"), ("f", "Browsnville"))


def test_an_outlets_short_name_within_a_story_but_never_a_one_word_one() -> None:
    story = [("Brooklyn", "GPE"), ("NYPD", "ORG")]
    entities = merge(
        [("New York Daily News", "OUTLET", "a", 0), ("Daily News", "OUTLET", "b", 0)]
        + [("N.Y. Daily News", "OUTLET", "c", 0), ("The New York Times", "OUTLET", "c", 30)]
        + [("the Times", "OUTLET", "b", 30)]
        + [(t, lab, d, 60 + 10 * i) for d in "abc" for i, (t, lab) in enumerate(story)]
        + [("Daily News", "OUTLET", "d", 0), ("Anchorage Daily News", "OUTLET", "e", 0)]
    )
    assert together(
        entities, ("a", "New York Daily News"), ("b", "Daily News"), ("c", "N.Y. Daily News")
    )
    assert not together(entities, ("b", "the Times"), ("c", "The New York Times"))
    assert not together(entities, ("d", "Daily News"), ("e", "Anchorage Daily News"))


def test_a_known_name_inside_a_longer_unknown_one_is_not_taken() -> None:
    """A product model is no mention of a name it holds: "Internet Explorer 8" gives
    no "Explorer" where the corpus tags "Explorer" alone; "In Athens" at a sentence's
    start and "The Hollywood Reporter" give their names."""
    text = "Users of Internet Explorer 8 were warned.\nIn Athens, The Hollywood Reporter said."
    doc = tagged_doc(text, [])
    runs = _untagged_runs("b", doc, [])
    assert [(m.text, m.label) for m in runs] == [
        ("Users", "start"),
        ("Internet Explorer", ""),
        ("In Athens", "start"),
        ("The Hollywood Reporter", ""),
    ]
    known = [
        EntityMention("a", 0, 8, "Explorer", "ORG", "Explorer", "test"),
        EntityMention("a", 10, 16, "Athens", "GPE", "Athens", "test"),
        EntityMention("a", 20, 38, "Hollywood Reporter", "ORG", "Hollywood Reporter", "test"),
    ]
    kept = propagated([*known, *runs])
    assert sorted(m.text for m in kept if m.doc_id == "b") == ["Athens", "Hollywood Reporter"]
