"""Conflicts between articles, one hand-built case per class of text found on the ECB+
dev topics in session 16 (issue #24): tolls counted by what happened to the people
(the dead never against the hurt), a quake's magnitude however printed, two reported
minimums of one count, distances converted between miles and kilometres, ranges of
percentages, weights in pounds, and figures of an earlier event.

DOCS: docs/stages/disagreements.md
"""

from __future__ import annotations

import pytest
from tests.stages.lineage_helpers import Art, corpus

from storytrace.models.services import Embed
from storytrace.stages.lineage.disagreements import _other_events, sentence_number_conflicts
from storytrace.stages.lineage.numbers import conflicts, quantities


def _read(text: str) -> list[tuple[float, str, str]]:
    return [(round(q.value, 1), q.unit, q.hedge) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # tolls: what happened to the people counted, before or after the figure
        ("killing at least seven people and injuring 40, 15 of them on the island",
         [(7.0, "people killed", "at_least"), (40.0, "people injured", "exact")]),
        ("That temblor killed at least six people.", [(6.0, "people killed", "at_least")]),
        ("A total of 10 people had been killed.", [(10.0, "people killed", "exact")]),
        ("It left more than 31,000 people dead.", [(31000.0, "people killed", "at_least")]),
        ("Ten people died and about 50 hurt.",
         [(10.0, "people killed", "exact"), (50.0, "people injured", "about")]),
        ("30 of the 80 wounded were flown out.", [(80.0, "people injured", "exact")]),
        ("killing 10 persons and wounding other 70",
         [(10.0, "people killed", "exact"), (70.0, "people injured", "exact")]),
        ("Two villagers were slightly injured.", [(2.0, "people injured", "exact")]),
        ("Police said 12 people were arrested.", [(12.0, "people", "exact")]),
        # a quake's magnitude, however printed
        ("The agency said it had a magnitude of 5.9.", [(5.9, "magnitude", "exact")]),
        ("The survey said it was a magnitude-6.1 temblor.", [(6.1, "magnitude", "exact")]),
        ("an earthquake registering 6.1 on the Richter scale", [(6.1, "magnitude", "exact")]),
        ("The 5.9-magnitude quake struck at noon.", [(5.9, "magnitude", "exact")]),
        ("a force of about 6.0 on the Richter scale", [(6.0, "magnitude", "about")]),
        # distances: miles as kilometres, a bracketed conversion no figure of its own
        ("located 1,150 kilometers (700 miles) southeast of Tehran", [(1150.0, "km", "exact")]),
        ("about 940 miles south of Tehran", [(1512.8, "km", "about")]),
        ("a 1,500-square-kilometer island", [(1500.0, "km2", "exact")]),
        # a range of percentages is one figure
        ("sustained between 40 and 80 percent damage", [(40.0, "%", "range")]),
        ("said 40 percent to 70 percent of the buildings", [(40.0, "%", "range")]),
        # pounds: a weight after "weighing", money otherwise
        ("a man weighing 130 pounds", [(130.0, "lb", "exact")]),
        ("thieves stole 910,000 pounds of jewels", [(910000.0, "gbp", "exact")]),
    ],
)  # fmt: skip
def test_conflicts_quantities_read_by_what_they_measure(
    text: str, read: list[tuple[float, str, str]]
) -> None:
    """ECB+ 16 and 20: each figure is read with the quantity it measures, so that only
    figures of one quantity of one thing are compared."""
    assert _read(text) == read


def test_conflicts_two_minimums_of_one_count_conflict() -> None:
    """ECB+ 20: "at least seven" and "at least six" dead are two reports of one toll;
    a minimum against a bare figure keeps its interval ("at least 12 shots" allows 13)."""
    (seven,) = quantities("killing at least seven people")
    (six,) = quantities("killed at least six people")
    (twelve,) = quantities("fired at least 12 shots")
    (thirteen,) = quantities("fired 13 shots")
    (more,) = quantities("killed more than 7 people")
    assert conflicts(seven, six)
    assert not conflicts(seven, more)
    assert not conflicts(twelve, thirteen)


def test_conflicts_converted_distances_are_one_figure() -> None:
    """ECB+ 20: "35 miles" and "36 miles" (one distance converted and rounded) and "about
    940 miles" against "1,500 kilometers" are one figure; 1,150 km is another."""
    (a,) = quantities("35 miles southwest of the port")
    (b,) = quantities("36 miles southwest of the port")
    (miles,) = quantities("about 940 miles south of Tehran")
    (km,) = quantities("1,500 kilometers south of Tehran")
    (other,) = quantities("1,150 kilometers southeast of Tehran")
    assert not conflicts(a, b)
    assert not conflicts(miles, km)
    assert conflicts(km, other)
    assert conflicts(miles, other)


def test_conflicts_a_figure_of_an_earlier_event_is_another_count() -> None:
    """ECB+ 20: "hit by a 6.1 quake in September" or "earlier on Sunday a 5.6 quake"
    tells of another quake; two sentences placing their figures in the same earlier
    time ("in December 2003" / "in 2003") tell of one."""
    today = "A 5.9 magnitude earthquake has leveled seven villages."
    assert _other_events(today, "The same island was hit by a 6.1 quake in September.")
    assert _other_events(today, "Earlier on Sunday a 5.6 quake jolted the island.")
    assert not _other_events(today, "The 6.1-magnitude quake struck the island on Sunday.")
    assert not _other_events(
        "A quake killed more than 26,000 people in the city of Bam in December 2003.",
        "A major earthquake killed more than 31,000 in the city of Bam in 2003.",
    )
    assert _other_events(
        "A quake killed 600 in the city of Zarand in February.",
        "A quake killed 31,000 in the city of Bam in 2003.",
    )


def _numbers(arts: list[Art], embed: Embed) -> list[list[str]]:
    view, docs = corpus([arts])
    found = sentence_number_conflicts(docs, view.stories, embed=embed)
    return [[s.label for s in d.sides] for d in found if d.kind == "number"]


@pytest.mark.model
def test_conflicts_tolls_of_the_dead_and_the_hurt_apart(embed: Embed) -> None:
    """ECB+ 20: "injured two people" against "killing at least seven people" counts two
    things; "five people" hurt against "two people" hurt is one count in dispute."""
    arts = [
        Art("a", "The quake struck the island on Sunday, injuring five people.", "AP"),
        Art("b", "The quake struck the island on Sunday and injured two people.", "BBC"),
        Art("c", "The quake struck the island on Sunday, killing at least seven people.", "AFP"),
    ]
    assert _numbers(arts, embed) == [["two people", "five people"]]


@pytest.mark.model
def test_conflicts_magnitudes_of_one_quake_and_of_an_earlier_one(embed: Embed) -> None:
    """ECB+ 20: "a magnitude-5.9 earthquake" against "the 6.1-magnitude quake" of one
    story is a dispute over the magnitude; a 6.4 quake "in February" is another quake."""
    arts = [
        Art("a", "A magnitude-5.9 earthquake struck Qeshm island on Sunday, officials said.", "AP"),
        Art("b", "The 6.1-magnitude quake struck Qeshm island on Sunday, officials said.", "BBC"),
        Art("c", "A 6.4-magnitude quake struck the town of Zarand in February, officials said.",
            "AFP"),
    ]  # fmt: skip
    found = _numbers(arts, embed)
    assert found == [["magnitude-5.9", "6.1-magnitude"]]
