"""Quote drift and disagreements between the articles of a story."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest
from numpy.typing import NDArray
from tests.stages.lineage_helpers import Art, run

from storytrace.models.services import Embed
from storytrace.stages.lineage.disagreements import numbers_of
from storytrace.stages.lineage.drift import word_diff
from storytrace.stages.lineage.numbers import conflicts, quantities

QUOTE = (
    "“Iran has recently transferred missiles to Shia militias in Iraq, including new models "
    "with longer range. It’s a desperate move by the Iranians,” a regional intelligence "
    "source told the Times."
)


@pytest.mark.parametrize(
    ("second", "kind"),
    [
        (QUOTE, "verbatim"),
        (QUOTE.replace("a desperate move", "a truly desperate move"), "minor_edit"),
        (
            "“Iran has recently equipped Shia militias in Iraq with missiles, including new, "
            "longer-range models. This represents a reckless effort by Tehran,” a regional "
            "intelligence source told the Times.",
            "reworded",
        ),
        (QUOTE.replace("has recently transferred", "has not transferred"), "meaning_changed"),
    ],
)
@pytest.mark.model
def test_drift_kinds(second: str, kind: str) -> None:
    found = run([[Art("a", QUOTE, "A", date(2025, 4, 9)), Art("b", second, "B")]])
    assert [d.kind for d in found.drift] == [kind]
    drift = found.drift[0]
    assert drift.a.doc_id == "a"  # the dated, earlier article first
    assert drift.via == "The Times"
    assert any(op.op != "equal" for op in drift.diff) == (kind != "verbatim")


@pytest.mark.model
def test_drift_needs_the_same_speaker() -> None:
    other = QUOTE.replace(
        "a regional intelligence source told the Times", "Senator Jane Smith said"
    )
    found = run([[Art("a", QUOTE), Art("b", other)]])
    assert found.drift == ()


def test_drift_word_diff_marks_the_changed_words() -> None:
    ops = word_diff("a desperate move by Iran", "a reckless move by Tehran")
    assert [(o.op, o.a, o.b) for o in ops if o.op != "equal"] == [
        ("replace", "desperate", "reckless"),
        ("replace", "Iran", "Tehran"),
    ]


@pytest.mark.model
def test_disagreements_polarity_with_both_sides_and_reason() -> None:
    found = run(
        [
            [
                Art("a", "The militias were preparing to disarm, Reuters reported.", "INN"),
                Art(
                    "b", "An Iraqi political source told Al Arabiya the factions refused to disarm."
                ),
            ]
        ]
    )
    polarity = [d for d in found.disagreements if d.kind == "polarity"]
    assert len(polarity) == 1
    yes, no = polarity[0].sides
    assert [m.doc_id for m in yes.mentions] == ["a"] and [m.doc_id for m in no.mentions] == ["b"]
    assert any("Reuters" in s for s in yes.sources) and any("Al Arabiya" in s for s in no.sources)
    assert "disarm" in polarity[0].reason
    assert "disputed" in found.verdicts[0].line


@pytest.mark.model
def test_disagreements_none_for_statements_that_differ_in_detail() -> None:
    a = "The militias were preparing to disarm, Reuters reported."
    b = "The militias in Baghdad were preparing to disarm within weeks, officials told Reuters."
    found = run([[Art("a", a), Art("b", b)]])
    assert found.disagreements == ()


@pytest.mark.model
def test_disagreements_none_for_opposite_statements_about_different_things() -> None:
    a = "The militias were preparing to disarm, Reuters reported."
    b = "The government refused to raise taxes, Reuters reported."
    assert run([[Art("a", a), Art("b", b)]]).disagreements == ()


@pytest.mark.model
def test_disagreements_numbers_of_one_claim() -> None:
    a = "The new missiles have a range of 700 km, a regional intelligence source told the Times."
    b = "The new missiles have a range of 1,000 km, a regional intelligence source told the Times."
    c = "The new missiles have a long range, a regional intelligence source told the Times."
    found = run([[Art("a", a), Art("b", b), Art("c", c)]])
    numbers = [d for d in found.disagreements if d.kind == "number"]
    assert len(numbers) == 1
    assert [s.label for s in numbers[0].sides] == ["700 km", "1,000 km"]


def test_disagreements_numbers_read_units() -> None:
    # miles are read as kilometres (disagreements.rules.v5): outlets convert one into the other
    found = numbers_of("a 1,000-mile border and 700 kilometres")
    assert {unit: sorted(round(v, 3) for v in values) for unit, values in found.items()} == {
        "km": [700.0, 1609.344]
    }


@pytest.mark.parametrize(
    "text",
    ["just after 6 p.m.", "just after 6:00 p.m.", "a 38-year-old man", "in 2010 elections",
     "143 billion", "Anthony LaCalamita, 38, of Troy"],
)  # fmt: skip
def test_disagreements_numbers_skip_times_years_ages_bare_money(text: str) -> None:
    assert numbers_of(text) == {}


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        ("12 people were injured", "18 people were injured", True),
        ("at least 12 shots were fired", "13 shots were fired", False),
        ("as many as 20,000 people marched", "roughly 30,000 people marched", True),
        ("about 100 people marched", "some 110 people marched", False),
        ("5.4 per cent", "3.9 percent", True),
        ("30 miles", "48 km", False),
    ],
)
def test_disagreements_hedged_figures(a: str, b: str, conflict: bool) -> None:
    (qa,), (qb,) = quantities(a), quantities(b)
    assert conflicts(qa, qb) is conflict


@pytest.mark.model
def test_disagreements_figures_of_alike_sentences_across_articles() -> None:
    a = "Police said 12 people were injured in the riots in Athens on Wednesday."
    b = "Police in Athens said 18 people had been injured in the riots."
    c = "Police said 12 people were arrested in Athens on Wednesday."
    found = run([[Art("a", a, "BBC"), Art("b", b, "CNN"), Art("c", c, "AP")]])
    numbers = [d for d in found.disagreements if d.kind == "number"]
    assert len(numbers) == 1
    assert [(s.label, s.sources) for s in numbers[0].sides] == [
        ("12 people", ("BBC",)),
        ("18 people", ("CNN",)),
    ]


@pytest.mark.model
def test_disagreements_none_from_one_speaker_or_different_subjects() -> None:
    same = (
        "Papandreou said the government would cut pensions to save the country. "
        "Papandreou said the government would not cut pensions for the poorest."
    )
    witness = [
        Art("a", "Prosecutors said Timmons shot the girl from the car."),
        Art("b", "“I did not shoot anybody,” the witness Armstead told the court."),
    ]
    assert [d for d in run([[Art("a", same)]]).disagreements if d.kind == "polarity"] == []
    assert [d for d in run([witness]).disagreements if d.kind == "polarity"] == []


@pytest.mark.model
def test_disagreements_sentence_figures_embed_only_conflicting_pairs(embed: Embed) -> None:
    """#7: numbered sentences are embedded only when their figures conflict with another article's."""
    from storytrace.stages.lineage import disagreements

    embedded: list[str] = []

    def spy(texts: Sequence[str]) -> NDArray[np.float32]:
        embedded.extend(texts)
        return embed(texts)

    a = "Police said 12 people were injured in the riots in Athens on Wednesday."
    b = "Police in Athens said 18 people had been injured in the riots."
    c = "The stadium holds 40,000 seats and opened in 2004."
    d = "Officials said 12 people were injured in the riots."
    view_groups = [[Art("a", a), Art("b", b), Art("c", c), Art("d", d)]]
    from tests.stages.lineage_helpers import corpus

    view, docs = corpus(view_groups)
    found = disagreements.sentence_number_conflicts(docs, view.stories, embed=spy)
    assert len(found) == 1
    assert sorted(embedded) == sorted([a, b, d])  # c's figures conflict with nothing
    embedded.clear()
    assert disagreements.sentence_number_conflicts(docs[2:], view.stories, embed=spy) == ()
    assert embedded == []


def test_disagreements_none_between_copies_of_one_quote() -> None:
    """Two copies of one quote, parsed in two articles, can be read with opposite
    polarity (ECB+ topic 18: a comma changed the parse); the same words do not
    disagree with themselves, while a different wording still can."""
    from storytrace.records import ClaimMention, DocSpan
    from storytrace.stages.lineage.disagreements import _opposed

    def mention(doc: str, text: str, speaker: str, denied: tuple[str, ...]) -> ClaimMention:
        return ClaimMention(
            f"{doc}:q0", DocSpan(doc, 0, len(text), text), speaker, speaker, False,
            "negated" if denied else "affirmed", f"article:{doc}", ("target",), None, denied,
        )  # fmt: skip

    said = "I'm not positive all three of the people were targeted, but there was a purpose"
    copy = "I’m not positive all three of the people were targeted but there was a purpose"
    other = "All three of the people were not targeted, there was no purpose"
    assert _opposed(mention("a", said, "Fanning", ()), mention("b", copy, "he", ("target",))) == []
    assert _opposed(
        mention("a", said, "Fanning", ()), mention("c", other, "police", ("target",))
    ) == ["target"]


@pytest.mark.model
def test_drift_copies_of_a_quote_printed_unattributed_first_are_no_finding() -> None:
    """A quoted sentence first printed as narration (no one credited) and copied word for
    word: the copies are one wording; two narrated printings are no one's quote drift
    (this used to fail an assertion and drop the drift section of the run)."""
    said = "Police arrested two men near the old bridge on Tuesday night after a long chase."
    found = run(
        [
            [
                Art("a", f"{said} Both were charged.", "A", date(2025, 4, 8)),
                Art("b", f"“{said}” Mayor John Harris said on Wednesday.", "B", date(2025, 4, 9)),
                Art("c", f"{said} Both men were later charged.", "C", date(2025, 4, 10)),
            ]
        ]
    )
    assert "drift" in found.sections_computed
    assert all(d.a.doc_id == "b" or d.b.doc_id == "b" for d in found.drift)
