"""Statements read in the article's own parse: polarity, predicates and subject of
what a quote says, from the tokens inside the quote only."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.stages.lineage_helpers import Art, corpus

from storytrace.models.nlp import load_nlp
from storytrace.models.services import Embed
from storytrace.records import Statement, TextSpan
from storytrace.stages.lineage.claims import align_claims
from storytrace.stages.quotes.extract import QuoteConfig, quotes_of_doc
from storytrace.stages.quotes.statements import analyse, read_statement

pytestmark = pytest.mark.model  # statements are read from spaCy parses


def _read(text: str, part: str) -> Statement:
    start = text.index(part)
    return read_statement(load_nlp()(text), [TextSpan(start, start + len(part))])


@pytest.mark.parametrize(
    ("text", "part", "polarity"),
    [
        ("Officials said the armed factions had refused to disarm.",
         "the armed factions had refused to disarm", "negated"),
        ("A spokesman said the militias are not disarming.", "the militias are not disarming", "negated"),
        ("A spokesman said the groups were preparing to disarm.",
         "the groups were preparing to disarm", "affirmed"),
        # a negation outside the quote does not deny what the quote says
        ("He did not say that the groups were preparing to disarm.",
         "the groups were preparing to disarm", "affirmed"),
        ("Analysts said these efforts are merely a façade to avoid retaliation.",
         "these efforts are merely a façade to avoid retaliation", "negated"),
    ],
)  # fmt: skip
def test_statement_polarity_in_context(text: str, part: str, polarity: str) -> None:
    assert _read(text, part).polarity == polarity


def test_statement_predicates_and_subject_in_context() -> None:
    stmt = _read(
        "The commander said the militias would lay down their arms by June.",
        "the militias would lay down their arms by June",
    )
    assert "disarm" in stmt.predicates
    assert stmt.subject == "the militias"
    assert stmt.denied == ()
    outside = _read(
        "He did not say that the groups were preparing disarmament.",
        "the groups were preparing disarmament",
    )
    assert "prepare" in outside.predicates and outside.denied == ()


def test_statement_of_a_whole_sentence_matches_the_isolated_reading() -> None:
    text = "The militias had refused to disarm despite the talks."
    assert _read(text, text) == analyse([text])[0]


def test_quotes_carry_the_statement_read_in_their_parse() -> None:
    text = '"We will not give up our weapons," the commander told Reuters on Monday.'
    found = quotes_of_doc("d", load_nlp()(text), QuoteConfig())
    assert found and all(q.statement is not None for q in found)
    assert found[0].statement is not None and found[0].statement.polarity == "negated"


def test_claims_read_quotes_without_a_statement_on_their_own(embed: Embed) -> None:
    a = "The militias had refused to disarm, Al Arabiya reported."
    view, _ = corpus([[Art("a", a)]])
    bare = [replace(q, statement=None) for q in view.quotes]
    assert bare and all(q.statement is None for q in bare)
    claims = align_claims(view.documents, view.stories, bare, view.pairs, embed=embed)
    assert claims and claims[0].mentions[0].polarity == "negated"


@pytest.mark.parametrize(
    ("text", "polarity", "denied"),
    [
        ("The army shelled the village, which the minister rejected.", "negated", "shell"),
        ("The spokesman rejected claims that the troops fired first.", "negated", "fire"),
        ("The police denied reports that the talks hit a snag.", "negated", "hit"),
        ("No deal has been signed yet.", "negated", "sign"),
        ("Nobody was injured in the blast.", "negated", "injure"),
        ("Her brother had too much common sense to point a loaded gun at anyone.", "negated", "point"),
        ("He doubted that his brother was carrying a gun.", "negated", "carry"),
        ("There is no evidence that he carried a gun.", "negated", None),
        ("The deal remains unconsummated.", "negated", None),
        ("Timmons isn't the one who fired the fatal shot.", "negated", "fire"),
        ("Smith is not the person who caused the crash.", "negated", "cause"),
        ("The airport is not being used by any militants.", "negated", None),
        # look-alikes that deny nothing
        ("The army shelled the village which the minister visited.", "affirmed", None),
        ("The groups were preparing to disarm.", "affirmed", None),
        ("The ceasefire was unprecedented.", "affirmed", None),
    ],
)  # fmt: skip
def test_statement_negation_scope(text: str, polarity: str, denied: str | None) -> None:
    """Denials a ``neg`` child does not show: a relative clause of refusal, a claim a
    refusal verb rejects, "no"/"nobody" subjects, "too ... to", "doubted that", an
    un- participle; the denied predicate is the one in the negation's scope."""
    (stmt,) = analyse([text])
    assert stmt.polarity == polarity
    if denied is not None:
        assert denied in stmt.denied
    if polarity == "affirmed":
        assert stmt.denied == ()
