"""The table-driven attribute ruler and lemmatizer give spaCy's output exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy
import srsly
from spacy.tokens import Doc
from tests.helpers import SEEDS

from storytrace.models import attribute_rules, lemmas

#: Rules exercising what the table has to get right: precedence (a later rule
#: overwrites an earlier one), set tests with the empty string, expressions,
#: two-token patterns targeting either token or counting from the end, flags,
#: and rules that change a tested attribute (TAG, DEP) -- tests see the doc as
#: it was before any rule applied.
RULES: list[dict[str, Any]] = [
    {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"TAG": "PRP"}]], "attrs": {"POS": "PRON", "MORPH": "PronType=Prs"}},
    {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "VERB"}},
    {"patterns": [[{"TAG": "PRP", "LOWER": "her"}]], "attrs": {"LEMMA": "she", "MORPH": "Case=Acc"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": {"IN": ["is", "'s"]}}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},
    {"patterns": [[{"LOWER": {"REGEX": "^n[ou]thin'$"}}]], "attrs": {"LEMMA": "nothing"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "go"}},
    {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": 1},
    {"patterns": [[{"DEP": "expl"}, {"LOWER": {"IN": ["is", "are"]}}]], "attrs": {"POS": "VERB"}, "index": -1},
    {"patterns": [[{"TAG": {"NOT_IN": ["TO", ""]}, "DEP": {"IN": ["aux", "auxpass"]}}]], "attrs": {"POS": "AUX"}},
    {"patterns": [[{"DEP": {"NOT_IN": ["det", ""]}, "TAG": {"IN": ["DT", "WDT"]}}]], "attrs": {"POS": "PRON"}},
    {"patterns": [[{"TAG": "VBZ", "LOWER": "gets"}], [{"TAG": "VBD", "LOWER": "got"}]], "attrs": {"LEMMA": "get"}},
    {"patterns": [[{"IS_SPACE": True, "DEP": {"NOT_IN": [""]}}]], "attrs": {"DEP": "dep"}},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE", "MORPH": "_"}},
    {"patterns": [[{"TAG": "PRP"}]], "attrs": {"MORPH": "PronType=Prs|Later=Yes"}},
]  # fmt: skip

#: (words, tags, deps, heads) of hand-built docs: no model needed.
DOCS = [
    (["She", "gets", "her", "book", "."], ["PRP", "VBZ", "PRP", "NN", "."], ["nsubj", "ROOT", "dobj", "dobj", "punct"], [1, 1, 1, 1, 1]),
    (["There", "is", "nothin'", "here"], ["EX", "VBZ", "NN", "RB"], ["expl", "ROOT", "attr", "advmod"], [1, 1, 1, 1]),
    (["I", "'m", "gon", "na", "go", "\n\n", "got"], ["PRP", "VBZ", "VBG", "TO", "VB", "", "VBD"], ["nsubj", "aux", "ROOT", "aux", "xcomp", "dep", "conj"], [2, 2, 2, 4, 2, 4, 2]),
    (["That", "which", "is", "the", "one", "to", "has"], ["DT", "WDT", "VBZ", "DT", "NN", "TO", "VBZ"], ["nsubj", "nsubj", "ROOT", "det", "attr", "aux", "auxpass"], [2, 2, 2, 4, 2, 6, 2]),
    (["gon"], ["VBG"], ["ROOT"], [0]),
    ([], [], [], []),
]  # fmt: skip


def _ruled_pipeline() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("attribute_ruler").add_patterns(RULES)  # type: ignore[attr-defined]
    return nlp


def _row(token: Any) -> tuple[Any, ...]:
    return (token.tag_, token.pos_, str(token.morph), token.lemma_, token.dep_, token.head.i)


def _doc(nlp: spacy.language.Language, case: tuple[list[str], ...]) -> Doc:
    words, tags, deps, heads = case
    spaces = [True] * len(words)
    return Doc(nlp.vocab, words=words, spaces=spaces, tags=tags, deps=deps, heads=heads)


@pytest.mark.parametrize("case", DOCS)
def test_attribute_rules_match_spacys_ruler_on_hand_built_docs(case: tuple[list[str], ...]) -> None:
    # Two vocabularies: what spaCy's ruler writes onto shared word entries
    # must not leak into the table's documents.
    nlp, ours = _ruled_pipeline(), _ruled_pipeline()
    stock = nlp.get_pipe("attribute_ruler")
    rules = attribute_rules.compile_rules(ours.get_pipe("attribute_ruler"), ours.vocab)
    assert rules is not None
    table = attribute_rules.TableAttributeRuler(ours.vocab, rules)
    expected = [_row(t) for t in stock(_doc(nlp, case))]
    assert [_row(t) for t in table(_doc(ours, case))] == expected


def test_attribute_rules_later_rule_wins_and_tests_see_the_original_doc() -> None:
    """Pins the two semantics the equivalence rests on, independently of spaCy."""
    nlp = _ruled_pipeline()
    assert attribute_rules.install(nlp)
    doc = nlp(_doc(nlp, DOCS[2]))
    assert str(doc[0].morph) == "Later=Yes|PronType=Prs"  # the last PRP rule, not the first
    assert [t.lemma_ for t in doc[2:4]] == ["go", "to"]  # index 0 and index 1 of one match
    assert (doc[5].tag_, doc[5].pos_, doc[5].dep_) == ("_SP", "SPACE", "dep")
    assert doc[6].lemma_ == "get"


@pytest.mark.parametrize(
    "pattern",
    [
        [{"LOWER": "a", "OP": "?"}],
        [{"_": {"flag": True}}],
        [{"LOWER": {"FUZZY": "gonna"}}],
        [{"MORPH": {"IS_SUPERSET": ["Number=Sing"]}}],
        [{"LENGTH": {">=": 3}}],
        [{}, {"LOWER": "book"}],  # {} matches any token
    ],
)
def test_attribute_rules_keep_spacys_ruler_when_a_rule_cannot_be_tabled(
    pattern: list[dict[str, Any]],
) -> None:
    nlp = _ruled_pipeline()
    nlp.get_pipe("attribute_ruler").add([pattern], {"POS": "X"})  # type: ignore[attr-defined]
    assert attribute_rules.compile_rules(nlp.get_pipe("attribute_ruler"), nlp.vocab) is None
    assert not attribute_rules.install(nlp)
    assert type(nlp.get_pipe("attribute_ruler")).__name__ == "AttributeRuler"


@pytest.mark.parametrize("attrs", [{}, {"LOWER": "xx"}, {"IS_STOP": False}, {"SHAPE": "Xx"}])
def test_attribute_rules_keep_spacys_ruler_for_rules_setting_word_attributes(
    attrs: dict[str, Any],
) -> None:
    """spaCy writes LOWER, SHAPE and flags onto the vocabulary entry; the table cannot."""
    nlp = _ruled_pipeline()
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "her"}]], attrs)  # type: ignore[attr-defined]
    assert attribute_rules.compile_rules(nlp.get_pipe("attribute_ruler"), nlp.vocab) is None


def test_lemmas_install_needs_a_rule_or_lookup_lemmatizer() -> None:
    assert not lemmas.install(spacy.blank("en"))


TRICKY = [
    "I ain't gonna say it, y'all: there is nothin' they could've done.",
    "Let's see what he's got -- she'd said she'll tell 'em.\n\n  Her answer? It was hers.",
    "The IRGC said on Tuesday that it had fired 12 missiles; officials didn't confirm.",
]


@pytest.mark.model
def test_swapped_components_equal_spacys_on_the_seed_pages() -> None:
    """Every token of the seed pages gets spaCy's tag, POS, morphology, lemma, label, head."""
    from bench.components import compare_components

    from storytrace.models.nlp import load_nlp

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + TRICKY
    compared = compare_components(texts)
    assert compared["tokens"] > 3_000
    assert compared["tokens_differing"] == 0
    nlp = load_nlp()
    assert isinstance(nlp.get_pipe("attribute_ruler"), attribute_rules.TableAttributeRuler)
    assert isinstance(nlp.get_pipe("lemmatizer"), lemmas.TableLemmatizer)


@pytest.mark.model
def test_swapped_components_survive_saving_the_pipeline(tmp_path: Path) -> None:
    """A saved pipeline with both swaps loads with spacy.load and still gives spaCy's output."""
    from storytrace.models.nlp import load_stock_nlp, swap_components

    # Not the shared load_nlp(): once the entity stage has run it also carries
    # storytrace's entity ruler, whose word sets are lexeme flags spaCy does not save.
    nlp = swap_components(load_stock_nlp())
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert isinstance(loaded.get_pipe("attribute_ruler"), attribute_rules.TableAttributeRuler)
    assert isinstance(loaded.get_pipe("lemmatizer"), lemmas.TableLemmatizer)
    saved_tables = srsly.read_msgpack(
        tmp_path / "pipeline" / "lemmatizer" / "lookups" / "lookups.bin"
    )
    assert saved_tables  # the model's own lists, written as spaCy writes them
    stock = load_stock_nlp()
    for text in TRICKY:
        assert [_row(t) for t in loaded(text)] == [_row(t) for t in stock(text)]


@pytest.mark.model
def test_attribute_rules_saved_pipeline_loads_with_its_rules(tmp_path: Path) -> None:
    """to_disk / spacy.load and to_bytes / from_bytes keep the patterns and recompile them."""
    nlp = _ruled_pipeline()
    assert attribute_rules.install(nlp)
    assert not attribute_rules.install(nlp)  # already swapped: nothing to do
    expected = [_row(t) for t in nlp(_doc(nlp, DOCS[2]))]
    nlp.to_disk(tmp_path / "pipeline")
    for loaded in (
        spacy.load(tmp_path / "pipeline"),
        spacy.blank("en").from_config(nlp.config).from_bytes(nlp.to_bytes()),
    ):
        ruler = loaded.get_pipe("attribute_ruler")
        assert isinstance(ruler, attribute_rules.TableAttributeRuler)
        assert ruler.compiled and len(ruler.rules) == len(RULES)
        assert [_row(t) for t in loaded(_doc(loaded, DOCS[2]))] == expected


def test_attribute_rules_saved_rules_it_cannot_table_run_as_spacys(tmp_path: Path) -> None:
    """A saved pattern set the table cannot express loads and runs through spaCy's ruler."""
    nlp = _ruled_pipeline()
    assert attribute_rules.install(nlp)
    ruler: Any = nlp.get_pipe("attribute_ruler")
    ruler.stock.add([[{"LOWER": "book", "OP": "+"}]], {"LEMMA": "tome"})
    ruler.to_disk(tmp_path / "ruler")
    fresh = attribute_rules.make_attribute_rules(nlp, "attribute_ruler").from_disk(
        tmp_path / "ruler"
    )
    assert not fresh.compiled
    doc = fresh(_doc(nlp, DOCS[0]))
    assert doc[3].lemma_ == "tome" and doc[2].lemma_ == "she"  # spaCy's ruler ran, all of it


@pytest.mark.model
def test_swapped_lemmatizer_survives_memory_zones() -> None:
    """Strings added in a memory zone are dropped when it ends; the table must not keep their ids."""
    from storytrace.models.nlp import load_nlp, load_stock_nlp

    nlp, stock = load_nlp(), load_stock_nlp()
    texts = ["The zorbleflanks quuxed.", "Zorbleflanks quuxed loudly."]
    for text in texts:
        with nlp.memory_zone():
            lemmas_ = [t.lemma_ for t in nlp(text)]
        assert lemmas_ == [t.lemma_ for t in stock(text)]
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    assert lemmatizer.table and not lemmatizer.fast.cache  # one cache of answers, not two


@pytest.mark.model
def test_swapped_lemmatizer_table_is_bounded() -> None:
    """Over a long stream the table starts again at its bound; lemmas stay spaCy's."""
    from storytrace.models.nlp import load_stock_nlp

    nlp, stock = load_stock_nlp(), load_stock_nlp()
    assert lemmas.install(nlp)
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    lemmatizer.max_entries = 20
    sizes = []
    for text in TRICKY * 2:
        assert [t.lemma_ for t in nlp(text)] == [t.lemma_ for t in stock(text)]
        sizes.append(len(lemmatizer.table))
    assert max(sizes) > 20  # a document may pass the bound ...
    assert all(size <= 20 + 25 for size in sizes)  # ... the next one starts again
    assert sizes[3] < sizes[2]
