"""Number conflicts between articles: what a figure counts, how precise it is, and
which look-alikes are not conflicts (units, rounding, bounds, different referents).

Cases are written after the error classes of the ECB+ dev topics (docs/stages/disagreements.md).
"""

from __future__ import annotations

import pytest
from tests.stages.lineage_helpers import Art, corpus, run

from storytrace.models.services import Embed
from storytrace.stages.lineage.disagreements import sentence_number_conflicts
from storytrace.stages.lineage.numbers import conflicts, quantities


def _read(text: str) -> list[tuple[float, str, str]]:
    return [(round(q.value, 3), q.unit, q.hedge) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Gray, 16, was shot eleven times after", [(11.0, "shot", "exact")]),
        ("Seven bullets hit Mr. Gray", [(7.0, "shot", "exact")]),
        ("Gray has four prior arrests", [(4.0, "arrest", "exact")]),
        ("having been arrested three times since October", [(3.0, "arrest", "exact")]),
        ("about two dozen young protesters", [(24.0, "people", "about")]),
        ("he pointed a. 357 caliber revolver", [(0.357, "caliber", "exact")]),
        ("38-caliber revolver was recovered", [(0.38, "caliber", "exact")]),
        ("continued for the seventh straight day", [(7.0, "day (ordinal)", "exact")]),
        ("Robbers steal e80 million from a store", [(80e6, "eur", "exact")]),
        ("thieves stole £910, 000 worth of jewellery", [(910e3, "gbp", "exact")]),
        ("has grossed $368. 0 million globally", [(368e6, "usd", "exact")]),
        ("85 million euros ($108 million)", [(85e6, "eur", "exact")]),
        ("seven life sentences", [(7.0, "sentence", "exact")]),
        ("received two additional life sentences", [(2.0, "sentence", "at_least")]),
        ("killed by police in Athens 8 days ago", []),
        ("9 voting to put Nichols to death", []),
        ("Brooklyn Mother of 13 Zurana Horton", [(13.0, "child", "exact")]),
        ("the widow, a mother of five, said", [(5.0, "child", "exact")]),
        ("the mother of 12 children", [(12.0, "child", "exact")]),
        ("the mother of a 2 1/2-year-old boy", []),
    ],
)
def test_disagreements_quantities_read_what_is_counted(
    text: str, read: list[tuple[float, str, str]]
) -> None:
    """Number words, money by currency (a bracketed conversion is not a figure of its
    own), calibres, ordinals, "N times" after a verb, compound heads, partial counts;
    relative dates, verbs and names after a number are not counted things."""
    assert _read(text) == read


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("pull in $140 million", "grossed over $142 million", False),  # rounding
        ("steal e80 million", "worth 85 million euros", True),
        ("a range of 700 km", "a range of 1,000 km", True),
        ("Three or four robbers", "Four armed robbers", False),  # a range
        ("received two additional life sentences", "serving three life sentences", False),
        ("a 20 percent approval rating", "popularity at 20.6 percent", False),
        ("worth £1.7m", "$2.6 million", False),  # a currency is its own unit
    ],
)
def test_disagreements_figures_allow_precision_and_bounds(a: str, b: str, conflict: bool) -> None:
    (qa,), (qb,) = quantities(a), quantities(b)
    assert conflicts(qa, qb) is conflict


def _numbers(arts: list[Art], embed: Embed) -> list[list[str]]:
    view, docs = corpus([arts])
    found = sentence_number_conflicts(docs, view.stories, embed=embed)
    return [[s.label for s in d.sides] for d in found if d.kind == "number"]


@pytest.mark.model
def test_disagreements_sides_gather_one_figure_however_written(embed: Embed) -> None:
    """ECB+ 19: ".38 caliber" and "38-caliber" are one side against ".357 caliber"; a
    three-sided finding would show only two of its sides to a reader comparing two."""
    arts = [
        Art("a", "Police said Gray pointed a .38 caliber revolver at the officers.", "AP"),
        Art("b", "Police said Gray pointed a loaded 38-caliber revolver at the officers.", "NYT"),
        Art("c", "Police said Gray pointed a .357 caliber revolver at the officers.", "RT"),
    ]
    assert _numbers(arts, embed) == [[".357 caliber", ".38 caliber"]]


@pytest.mark.model
def test_disagreements_none_when_one_article_gives_both_figures(embed: Embed) -> None:
    """ECB+ 19: "loaded with four bullets" and "fired 11 shots" in one article count two
    things, so another article's "four bullets" does not contradict the "11 shots"."""
    arts = [
        Art("a", "Police said the officers fired 11 shots at Gray on Saturday night.", "AP"),
        Art("b", "Police said Gray's gun held 4 shots on Saturday night.", "RT"),
        Art("c", "Gray's gun held 4 shots. The officers fired 11 shots at Gray.", "NYT"),
    ]
    assert _numbers(arts, embed) == []


@pytest.mark.model
def test_disagreements_one_article_giving_both_figures_excuses_only_its_own_things(
    embed: Embed,
) -> None:
    """A round-up that gives two figures for two things excuses only sides about those
    things: "fired 4 shots" against "fired 11 shots" is a conflict, though a third
    article says the gun held 4 shots; and an article whose figures fit both sides
    ("at least three people", "as many as 20") sets no two things apart."""
    shots = [
        Art("a", "Police said the officers fired 11 shots at the suspect on Friday.", "AP"),
        Art("b", "Police said the officers fired 4 shots at the suspect on Friday.", "RT"),
        Art("c", "The suspect's gun held 4 shots. The officers fired 11 shots at him.", "NYT"),
    ]
    hurt = [
        Art("a", "Officials said 12 people were injured in the clashes in the port.", "AP"),
        Art("b", "Officials said 18 people were injured in the clashes in the port.", "BBC"),
        Art("c", "At least three people died. As many as 20 people were inside the hall.", "Sky"),
    ]
    assert _numbers(shots, embed) == [["4 shots", "11 shots"]]
    assert _numbers(hurt, embed) == [["12 people", "18 people"]]


@pytest.mark.model
def test_disagreements_none_between_figures_far_apart(embed: Embed) -> None:
    """ECB+ 8: "12 people were injured" and "30,000 people marched" are different counts."""
    arts = [
        Art("a", "Police said 12 people were injured in Athens during the strike.", "AP"),
        Art("b", "Police said 30,000 people marched in Athens during the strike.", "Reuters"),
    ]
    assert _numbers(arts, embed) == []


@pytest.mark.model
def test_disagreements_none_for_counts_of_different_events(embed: Embed) -> None:
    """A different verb after each figure ("arrested" / "injured"), or a different
    weekday named by each sentence, makes them counts of different things."""
    arrested = [
        Art("a", "Police said 12 people were arrested in the riots in Athens.", "AP"),
        Art("b", "Police said 18 people were injured in the riots in Athens.", "Reuters"),
    ]
    days = [
        Art("a", "On Monday night nearly 100 people gathered at the vigil site.", "AP"),
        Art("b", "On Wednesday night about 200 people gathered at the vigil site.", "NYT"),
    ]
    assert _numbers(arrested, embed) == []
    assert _numbers(days, embed) == []


@pytest.mark.model
def test_disagreements_polarity_only_between_articles() -> None:
    """ECB+ 6: one article reporting both sides ("had stepped away" / "hadn't stepped
    away") lays the dispute out itself; the stage reports conflicts between articles."""
    text = (
        "The Playlist said the director had stepped away from negotiations with Lionsgate. "
        "Sources told the Reporter that Ross had not stepped away from negotiations with Lionsgate."
    )
    found = run([[Art("a", text, "THR"), Art("b", "The studio made no comment.", "AP")]])
    assert [d for d in found.disagreements if d.kind == "polarity"] == []


@pytest.mark.model
def test_disagreements_polarity_not_between_two_named_people() -> None:
    """What one named person did is not denied by another's "isn't the one who fired":
    the subjects name different people (ECB+ topics hold two shootings each). The same
    person asserted and denied is a conflict."""
    yes = "Prosecutors said Andrew Lopez fired the shots that killed the woman."
    no = "His lawyer said Timmons is not the one who fired the shots that killed the woman."
    same = "His lawyer said Lopez is not the one who fired the shots that killed the woman."
    found = run([[Art("a", yes, "AP"), Art("b", no, "NYT")]])
    assert [d for d in found.disagreements if d.kind == "polarity"] == []
    found = run([[Art("a", yes, "AP"), Art("b", same, "NYT")]])
    assert [d.kind for d in found.disagreements] == ["polarity"]


@pytest.mark.model
def test_disagreements_weekday_dates_the_figure_not_the_sentence(embed: Embed) -> None:
    """A weekday dates the figure of its own clause; a figure after "the night before"
    is not dated by the sentence's weekday. Two crowd sizes of one night conflict
    though one sentence opens with the next day's weekday; figures of two named days
    still do not."""
    one_night = [
        Art("a", "On Friday night about 30 young men looted the pharmacy on Main Street.", "AP"),
        Art(
            "b",
            "On Saturday, detectives were inside the pharmacy on Main Street where, "
            "the night before, at least 80 young men looted the shelves.",
            "NYT",
        ),
    ]
    two_days = [
        Art("a", "On Friday night about 30 young men looted the pharmacy on Main Street.", "AP"),
        Art("b", "On Saturday night at least 80 young men looted the pharmacy on Main Street.", "NYT"),
    ]
    assert _numbers(one_night, embed) == [["about 30 young men", "at least 80 young men"]]
    assert _numbers(two_days, embed) == []
