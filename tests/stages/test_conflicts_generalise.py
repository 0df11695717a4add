"""Conflicts between articles, one hand-built case per error class of the ECB+ dev topics
(session 15, issue #24): crowd sizes given as bare figures, an article that lays out a
dispute over one count, figures of other sizes that excuse nothing, and denials read
where the negation stands.

DOCS: docs/stages/disagreements.md
"""

from __future__ import annotations

from datetime import date

import pytest
from tests.stages.lineage_helpers import Art, corpus, run

from storytrace.models.services import Embed
from storytrace.records import ClaimMention, DocSpan
from storytrace.stages.lineage.disagreements import _opposed, sentence_number_conflicts
from storytrace.stages.lineage.numbers import quantities


def _read(text: str) -> list[tuple[float, str, str]]:
    return [(round(q.value, 3), q.unit, q.hedge) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("NBC New York estimated the crowd at 70, and the Post said more.", [(70.0, "people", "exact")]),
        ("The march was attended by an approximate 200,000 (20,000 by one count).",
         [(200000.0, "people", "about")]),
        ("But witnesses said there were more than 50,000 -- the biggest protest yet.",
         [(50000.0, "people", "at_least")]),
        ("Police put the march at roughly 30,000 people.", [(30000.0, "people", "about")]),
        # not crowd sizes: a label, an age, a time of day, a range of ages, no gathering
        ("Protesters gathered on Route 214, near the banks.", []),
        ("Gray, 16, was mourned at a vigil.", []),
        ("The rally began at 10.", []),
        ("Two women and a man, between 30 and 35, died in the protest.", [(2.0, "women", "exact")]),
        ("The bank's losses were 70, officials said.", []),
    ],
)  # fmt: skip
def test_conflicts_crowd_sizes_read_from_bare_figures(
    text: str, read: list[tuple[float, str, str]]
) -> None:
    """ECB+ 8 and 19: a gathering's size is often printed with no noun after it; in a
    sentence about a crowd, march, rally or vigil such a figure counts people."""
    assert _read(text) == read


def _numbers(arts: list[Art], embed: Embed) -> list[list[str]]:
    view, docs = corpus([arts])
    found = sentence_number_conflicts(docs, view.stories, embed=embed)
    return [[s.label for s in d.sides] for d in found if d.kind == "number"]


@pytest.mark.model
def test_conflicts_crowd_size_against_a_bare_figure(embed: Embed) -> None:
    """ECB+ 8: "an estimated 100,000 people took to the streets" against "the protest
    march was attended by an approximate 200,000"."""
    arts = [
        Art("a", "An estimated 100,000 people took part in the protest march in Athens.", "AP"),
        Art("b", "The protest march in Athens was attended by an approximate 200,000.", "Indy"),
    ]
    assert _numbers(arts, embed) == [["An estimated 100,000 people", "an approximate 200,000"]]


@pytest.mark.model
def test_conflicts_an_article_laying_out_a_dispute_excuses_nothing(embed: Embed) -> None:
    """ECB+ 8: "Police put the march at roughly 30,000 people. But witnesses said there
    were more than 50,000" is one count disputed, not counts of two things, so it does
    not excuse another article's 100,000 against the police's 30,000. The same two
    figures given without a contrast still do."""
    police = Art("a", "Police put the protest march in Athens at roughly 30,000 people.", "AP")
    witnesses = Art("b", "Witnesses said there were 100,000 people at the protest march.", "BBC")
    disputed = Art(
        "c",
        "Police put the protest march in Athens at roughly 30,000 people. "
        "But witnesses said there were more than 50,000 people at the protest march.",
        "Reuters",
    )
    two_counts = Art(
        "c",
        "Police put the protest march in Athens at roughly 30,000 people. "
        "Witnesses said there were more than 50,000 people at the protest march.",
        "Reuters",
    )
    but_alone = Art(
        "c",
        "Police put the protest march in Athens at roughly 30,000 people. "
        "But witnesses were more than 50,000 people at the protest march.",
        "Reuters",
    )
    pair = ["roughly 30,000 people", "100,000 people"]
    assert pair in _numbers([police, witnesses, disputed], embed)
    assert pair not in _numbers([police, witnesses, two_counts], embed)
    # a "but" credited to no one sets two things side by side ("but Iguodala is
    # averaging just 14.9 points"), not one count disputed
    assert pair not in _numbers([police, witnesses, but_alone], embed)


@pytest.mark.model
def test_conflicts_a_figure_of_another_size_excuses_nothing(embed: Embed) -> None:
    """ECB+ 8: an article giving "18 people were injured" and "more than 50,000 people
    marched" does not count the marchers twice: 18 is no count of a march of 20,000, so
    it does not excuse "as many as 20,000 people" against "an estimated 100,000"."""
    arts = [
        Art("a", "Police said as many as 20,000 people marched in Athens.", "AP"),
        Art("b", "Witnesses said an estimated 100,000 people marched in Athens.", "BBC"),
        Art(
            "c",
            "Police said 18 people were injured in Athens. "
            "Witnesses said more than 50,000 people marched.",
            "Reuters",
        ),
    ]
    found = _numbers(arts, embed)
    assert ["as many as 20,000 people", "an estimated 100,000 people"] in found


def _polarity(groups: list[list[Art]]) -> list[str]:
    found = run(groups, claims="claims.align.v7")
    return [d.topic for d in found.disagreements if d.kind == "polarity"]


def _mention(doc: str, text: str, subject: str, predicates: str, denied: str = "") -> ClaimMention:
    """A claim mention as the claim stage reads it (predicates, subject, denied ones)."""
    return ClaimMention(
        f"q-{doc}", DocSpan(doc, 0, len(text), text), doc, f"speaker {doc}", False,
        "negated" if denied else "affirmed", f"person:{doc}",
        tuple(predicates.split()), subject, tuple(denied.split()),
    )  # fmt: skip


def test_conflicts_a_negation_of_another_clause_denies_nothing() -> None:
    """ECB+ 19: "have not yet determined whether the teenager fired his weapon" leaves
    the firing open (the claim stage reads "fire" among the negated verbs); a "not"
    standing before the verb in its own clause denies it."""
    yes = _mention(
        "a", "Gray produced a revolver and fired at the officers", "Gray", "fire produce"
    )
    open_ = _mention(
        "b", "Gray's gun was loaded with four bullets but police have not yet determined "
        "whether the teenager fired his weapon", "Gray's gun", "determine fire load",
        "determine fire",
    )  # fmt: skip
    no = _mention("c", "Gray did not fire his weapon at the officers", "Gray", "fire", "fire")
    assert _opposed(yes, open_) == []
    assert _opposed(yes, no) == ["fire"]


def test_conflicts_a_negation_of_another_subject_denies_nothing() -> None:
    """ECB+ 6: "the studio doesn't usually pay seasoned-filmmaker fees" does not deny
    that Ross was paid: the negation's own subject is another one."""
    yes = _mention("a", "Ross was reportedly paid $3 million to direct the film", "Ross", "pay")
    other = _mention(
        "b", "negotiations were tough, an inside source said, as the studio doesn't usually "
        "pay seasoned-filmmaker fees", "negotiations", "pay say", "pay",
    )  # fmt: skip
    same = _mention("c", "Ross was never paid $3 million to direct the film", "Ross", "pay", "pay")
    assert _opposed(yes, other) == []
    assert _opposed(yes, same) == ["pay"]


@pytest.mark.model
def test_conflicts_a_withdrawal_agrees_with_a_denial() -> None:
    """ECB+ 6: "has pulled out of negotiations to direct the sequel" and "would not be
    returning to direct the sequel" say the same; they are no conflict."""
    out = "Variety said Gary Ross has pulled out of negotiations to direct the sequel."
    no = "Deadline said Gary Ross would definitely not be returning to direct the sequel."
    assert _polarity([[Art("a", out, "AP"), Art("b", no, "NYT")]]) == []


@pytest.mark.model
def test_conflicts_a_figure_that_rises_in_a_later_article_is_an_update(embed: Embed) -> None:
    """Issue #24: a toll that rises in an article published on a later day is an update,
    not a contradiction; the same two figures on one day, or falling later, conflict."""

    def arts(first: int, second: int, day_b: date) -> list[Art]:
        return [
            Art("a", f"Police said {first} people were killed in the blast in the port.", "AP",
                date(2024, 3, 1)),
            Art("b", f"Police said {second} people were killed in the blast in the port.", "BBC",
                day_b),
        ]  # fmt: skip

    assert _numbers(arts(12, 18, date(2024, 3, 2)), embed) == []
    assert _numbers(arts(12, 18, date(2024, 3, 1)), embed) == [["12 people", "18 people"]]
    assert _numbers(arts(18, 12, date(2024, 3, 2)), embed) == [["12 people", "18 people"]]


@pytest.mark.model
def test_conflicts_figures_of_two_named_places_are_two_counts(embed: Embed) -> None:
    """ECB+ 8: "In Heraklion, 10,000 people marched" and "30,000 people marched in
    Athens" count two cities' marches; one place, or one figure with no place, still
    conflicts."""
    athens = Art("a", "Police said roughly 30,000 people marched against the cuts in Athens.", "AP")
    heraklion = Art("b", "In Heraklion, police said 10,000 people marched against the cuts.", "BBC")
    unnamed = Art("b", "Police said 10,000 people marched against the cuts.", "BBC")
    assert _numbers([athens, heraklion], embed) == []
    assert _numbers([athens, unnamed], embed) == [["10,000 people", "roughly 30,000 people"]]
