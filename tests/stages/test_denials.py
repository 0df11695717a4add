"""Stance per mention in claims.align.v7: denials kept as denials, asserted kept as asserted.

One hand-built story per error class of issue #24 ("denials flip") as found on the ECB+ dev
topics: a denial verb whose content is the claim ("also denied that", "rejected claims
that", "doubted that"), a denial after the claim ("Y, which X rejected"), a negation in the
claim's own clause ("not being used by any militants", "No, ..."), and the reverse class,
the larger one on the dev topics: a negation in another clause of the sentence ("with no
chance of parole", "but was not able to agree") or a denial verb with a plain object
("rejected calls for early elections") that made an asserted mention a denial. A denier is
never an origin of what it denies.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from tests.stages.lineage_helpers import Art, run

from storytrace.records import Claim, Dossier
from storytrace.stages.lineage.propositions import _clauses, _with_denials

V3 = "claims.align.v7"

#: Two outlets assert the claim; each story below adds one article that denies it.
_A = "Police said the school was being used by militants to store weapons."
_B = "Officials said on Monday the school was being used by militants to store weapons."


def _claim_with(found: Dossier, words: str) -> Claim:
    hits = [c for c in found.claims if any(words in m.span.text for m in c.mentions)]
    assert hits, [c.text for c in found.claims]
    return max(hits, key=lambda c: len(c.doc_ids))


def _stances(denial: str) -> tuple[dict[str, str], set[str]]:
    """Each article's stance on the militants claim, and the claim's origins."""
    arts = [Art("a", _A, "Post"), Art("b", _B, "Herald"), Art("c", denial, "Globe")]
    claim = _claim_with(run([arts], claims=V3), "militants")
    polarity = {m.span.doc_id: m.polarity for m in claim.mentions}
    return polarity, {o.key for o in claim.origins}


@pytest.mark.model
@pytest.mark.parametrize(
    "denial",
    [
        "The army also denied that the school was being used by militants to store weapons.",
        "The school was being used by militants to store weapons, which the army rejected.",
        "The army rejected claims that the school was being used by militants to store weapons.",
        "A teacher doubted that the school was being used by militants to store weapons.",
        "The army said the school was not being used by any militants to store weapons.",
    ],
    ids=["also-denied-that", "which-x-rejected", "rejected-claims-that", "doubted-that", "not-any"],
)
def test_a_denial_is_a_denial_and_its_denier_no_origin(denial: str) -> None:
    polarity, origins = _stances(denial)
    assert polarity.get("a") == "affirmed" and polarity.get("b") == "affirmed"
    assert polarity.get("c") == "negated"
    assert not any("army" in key or "teacher" in key for key in origins), origins


@pytest.mark.model
def test_a_no_answer_denies_the_claim() -> None:
    """ECB+ dev: '"No, it is not official," a studio representative told MTV News'."""
    a = "Summit said Chris Weitz has signed a deal to direct the sequel New Moon."
    b = "Chris Weitz has signed a deal to direct the sequel New Moon, Variety reported."
    c = '"No, he has not signed a deal to direct the sequel New Moon," a studio aide told MTV.'
    arts = [Art("a", a, "Post"), Art("b", b, "Herald"), Art("c", c, "Globe")]
    claim = _claim_with(run([arts], claims=V3), "New Moon")
    polarity = {m.span.doc_id: m.polarity for m in claim.mentions}
    assert polarity.get("c") == "negated" and polarity.get("a") == "affirmed"


@pytest.mark.model
def test_a_negation_in_another_clause_does_not_deny_the_claim() -> None:
    """ECB+ dev, the larger class: "sentenced ... with no chance of parole", "the not yet
    answered questions", "in negotiations to direct the sequel, but was not able to agree"
    were read as denials, and their sources dropped from the claim's origins."""
    a = "A judge sentenced Brian Nichols to life in prison with no chance of parole on Saturday."
    b = (
        "Brian Nichols was sentenced to life in prison on Saturday, but one of the not yet "
        "answered questions is where he will serve his time."
    )
    c = "Nichols was sentenced to life in prison on Saturday, his lawyer said, adding that he did not object."
    arts = [Art("a", a, "Post"), Art("b", b, "Herald"), Art("c", c, "Globe")]
    claim = _claim_with(run([arts], claims=V3), "sentenced")
    assert {m.polarity for m in claim.mentions} == {"affirmed"}


@pytest.mark.model
def test_a_denial_verb_with_a_plain_object_asserts_the_refusal() -> None:
    """ECB+ dev: "Karamanlis has rejected calls by opposition leaders to hold early
    elections" asserts the rejection: it is no denial of anything."""
    a = "Prime Minister Costas Karamanlis has rejected calls by opposition leaders to hold early elections."
    b = "Karamanlis rejected calls by the opposition to hold early elections, his office said."
    arts = [Art("a", a, "Post"), Art("b", b, "Herald")]
    claim = _claim_with(run([arts], claims=V3), "early elections")
    assert {m.polarity for m in claim.mentions} == {"affirmed"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The army also denied that the school was used by militants.", [True]),
        ("The director denied reports that his talks hit a snag.", [True]),
        ("She doubted her brother was carrying a gun.", [True]),
        ("The school was used by militants, which the army rejected.", [True, False]),
        ("The army, which denied that militants used the school, said it fired.", [False, True]),
        ("The frustrated prosecutor denied a Nichols offer to plead guilty.", [False]),
        ("The three leads are signed on and, no doubt, for the third film as well.", [False]),
        ("Contrary to what has been reported, the talks have been fine.", [True]),
    ],
)
def test_explicit_denials_are_read_in_their_clause(text: str, want: list[bool]) -> None:
    assert [c.denial for c in _clauses(text)] == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("No one was hurt in the blast.", [True]),
        ("No, it is not official.", [True]),
        (
            "Summit says that no deal has been signed yet, but an announcement may come.",
            [True, False],
        ),
        ("A judge sentenced him to life with no chance of parole.", [False]),
        ("Nothing less than the future of Europe is at stake.", [False]),
        ("I have decided not to direct the sequel.", [False]),
        (
            "Ross was in talks to direct the sequel, but was not able to agree on pay.",
            [False, True],
        ),
        ("He helmed The Golden Compass, which didn't impress audiences.", [False, True]),
        ("The gun has not been recovered. Police said it was a revolver.", [True, False]),
    ],
)
def test_negation_is_read_in_its_own_clause(text: str, want: list[bool]) -> None:
    assert [c.negated for c in _clauses(text)] == want


# --- session 16: a denial joins the claim it denies; a negated denial verb concedes ----------


@pytest.mark.parametrize(
    ("text", "negated", "denial"),
    [
        ("Lynch did not deny his client was at the scene with a loaded handgun.", False, False),
        ("He did not deny that he fired the weapon.", False, False),
        ("She never disputed that the deal was signed.", False, False),
        ("It is not in dispute that the girl died of a gunshot wound.", False, False),
        ("He did not fire the weapon.", True, False),
        ("He denied that he fired the weapon.", True, True),
    ],
)
def test_a_negated_denial_verb_concedes(text: str, negated: bool, denial: bool) -> None:
    """ECB+ dev: "Lynch did not deny his client was at First and Judson with a loaded
    handgun" concedes the claim; it was read as a denial of it."""
    (clause,) = _clauses(text)
    assert (clause.negated, clause.denial) == (negated, denial)


def _unit(i: int, doc: str, text: str) -> Any:
    from storytrace.records import DocSpan
    from storytrace.stages.lineage.propositions import _Unit

    clauses = _clauses(text)
    negated = any(c.negated for c in clauses)
    return _Unit(f"u{i}", DocSpan(doc, 0, len(text), text), None, None, negated, clauses=clauses)


def _link(n: int, close: dict[tuple[int, int], float]) -> np.ndarray:
    link = np.full((n, n), 0.1)
    for (a, b), p in close.items():
        link[a, b] = link[b, a] = p
    return link


def test_a_denial_outside_the_claim_joins_it_as_a_denial() -> None:
    """ECB+ dev: a denying statement in no claim left the police account it denies showing
    no denial. It now also joins the claim it is likeliest one proposition with, even from
    an article it holds."""
    units = [
        _unit(0, "a", "Police said Gray pointed a revolver at the officers."),
        _unit(1, "b", "Gray pointed a revolver at the officers, police said."),
        _unit(2, "b", "A witness said Gray did not point a revolver at the officers."),
        _unit(3, "c", "Gray never pointed a revolver at the officers, his sister said."),
    ]
    link = _link(4, {(0, 1): 0.98, (2, 3): 0.4, (0, 2): 0.6, (0, 3): 0.6, (1, 3): 0.6})
    groups = _with_denials([[0, 1]], link, units, 0.5, 0.8)
    assert groups == [[0, 1, 3]]  # unit 2 has only one statement of another article
    assert _with_denials([[0, 1]], link, units, 0.7, 0.8) == [[0, 1]]


def test_a_claim_worded_as_a_negation_keeps_its_statements() -> None:
    """Session 17, dev: "Ross will not direct Catching Fire" and "there was no tsunami risk"
    are claims of several articles worded as negations; the join had added their
    statements, as denials, to the positive twin ("Ross will direct"), and the negative
    claim lost its origins to it. A statement of such a claim joins no other."""
    units = [
        _unit(0, "a", "Gross said Ross will direct the Hunger Games sequel."),
        _unit(1, "b", "Ross will direct the Hunger Games sequel, the studio said."),
        _unit(2, "c", "Ross will not direct the Hunger Games sequel, his agent said."),
        _unit(3, "d", "Ross will not direct the Hunger Games sequel after all."),
    ]
    link = _link(4, {(0, 1): 0.98, (2, 3): 0.98, (0, 2): 0.6, (0, 3): 0.6, (1, 2): 0.6, (1, 3): 0.6})
    assert _with_denials([[0, 1], [2, 3]], link, units, 0.5, 0.8) == [[0, 1], [2, 3]]
    assert _with_denials([[0, 1]], link, units, 0.5, 0.8) == [[0, 1, 2, 3]]


def test_no_denial_joins_a_claim_worded_as_a_negation_or_by_another_clause() -> None:
    """A negated statement does not deny a claim whose own wording is negated ("the gun has
    not been recovered"), nor one its affirmed clause carries ("Timmons had a gun, but isn't
    the one who fired" carries "Timmons had a gun" affirmed)."""
    units = [
        _unit(0, "a", "The gun has not been recovered by police."),
        _unit(1, "b", "Police have not recovered the gun."),
        _unit(2, "c", "No gun was recovered, and police did not find it."),
        _unit(3, "a", "Timmons had a loaded gun at the scene."),
        _unit(4, "b", "Timmons had a loaded gun at the scene, police said."),
        _unit(5, "c", "Timmons had a loaded gun at the scene, but isn't the one who fired."),
    ]
    close = {(0, 2): 0.9, (1, 2): 0.9, (3, 5): 0.9, (4, 5): 0.9, (0, 1): 0.99, (3, 4): 0.99}
    groups = [[0, 1], [3, 4]]
    assert _with_denials(groups, _link(6, close), units, 0.5, 0.8) == groups


@pytest.mark.model
def test_a_denial_joins_the_claim_it_denies_in_a_story() -> None:
    """The whole stage: a sister's denial printed beside the police account joins the police
    claim as a denial (without the rule it sat only in a claim of the denials), and the
    denier is no origin of it."""
    from storytrace.stages.lineage.config import LineageConfig
    from storytrace.stages.lineage.propositions import PropositionConfig

    arts = [
        Art("a", "Police said Kimani Gray pointed a loaded revolver at the two officers before "
            "they opened fire on Saturday night.", "Post"),
        Art("b", "Kimani Gray pointed a loaded revolver at the officers before they fired, "
            "police said.", "Herald"),
        Art("c", "The teenager pointed a loaded revolver at the officers, according to police. "
            "His sister said Gray did not have a gun in his hand when the officers fired.",
            "Globe"),
    ]  # fmt: skip

    def claim(deny: float | None) -> Claim:
        config = LineageConfig(propositions=PropositionConfig(deny_threshold=deny))
        return _claim_with(run([arts], config, claims=V3), "revolver")

    assert {m.polarity for m in claim(None).mentions} == {"affirmed"}
    found = claim(0.5)
    denied = [m for m in found.mentions if m.polarity == "negated"]
    assert denied and all("did not have a gun" in m.span.text for m in denied)
    assert {o.key for o in found.origins} == {"org:police"}


# --- session 17 review: concessions need a negated verb; one "worded as a negation" -------


@pytest.mark.parametrize(
    ("text", "negated", "denial"),
    [
        ("The strike was not a dispute over pay.", True, False),
        ("The school did not enter contests this year.", True, False),
        ("He didn't really deny that he was there.", False, False),
        ("She has never seriously disputed that the deal was signed.", False, False),
        ("The facts are not in dispute.", False, False),
        ("The result was not disputed by the party.", False, False),
    ],
)
def test_only_a_negated_denial_verb_concedes(text: str, negated: bool, denial: bool) -> None:
    """A free word between the negation and "dispute"/"contests" made plain negations
    ("not a dispute", "did not enter contests") assertions, while "didn't really deny that"
    still read as a denial: only an adverb (really, even, seriously, ever, actually) may
    stand between, and the noun concedes only in "in dispute"."""
    (clause,) = _clauses(text)
    assert (clause.negated, clause.denial) == (negated, denial)


def test_the_join_and_the_claim_agree_on_a_claim_worded_as_a_negation() -> None:
    """The join took a claim as worded as a negation when most of its statements were
    negated, the claim itself only when more than ``shared_negation`` (0.8) of its articles
    print it negated: a claim of two negated articles and one asserting one showed its
    negated statements as denials, yet no denial could join it. Both now use the share."""
    from storytrace.stages.lineage.propositions import _relative

    units = [
        _unit(0, "a", "Police have not recovered the gun used in the shooting."),
        _unit(1, "b", "The gun used in the shooting has not been recovered by police."),
        _unit(2, "c", "Police recovered the gun used in the shooting on Sunday."),
        _unit(3, "d", "No gun used in the shooting was found, police said."),
    ]
    shown = _relative([units[i] for i in (0, 1, 2)], 0.8)
    assert [u.negated for u in shown] == [True, True, False]  # not its wording: denials
    close = {(0, 1): 0.95, (0, 2): 0.9, (1, 2): 0.9, (0, 3): 0.8, (1, 3): 0.8, (2, 3): 0.8}
    assert _with_denials([[0, 1, 2]], _link(4, close), units, 0.5, 0.8) == [[0, 1, 2, 3]]
    # more than 0.8 of its articles negated: the claim's wording, and no denial joins it
    assert _with_denials([[0, 1, 2]], _link(4, close), units, 0.5, 0.6) == [[0, 1, 2]]
