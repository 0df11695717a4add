"""Source identity read from a speaker phrase: the name or body at its head, never a word of
its apposition, relative clause or complement (issue #24, "origins by source").

Each case is a class of text met on the ECB+ dev topics (session 15): a place or an
employer in the apposition taken for the speaker's surname ("Mr. Nichols, who was raised
in Baltimore" -> Baltimore), a relative's body taken for the speaker's ("Christina
Greenway, daughter of slain court reporter ..." -> the court), a judge counted as the
court, a surname's particle spelled apart in one article and joined in another ("Del
Giudice" / "DelGiudice").
"""

from __future__ import annotations

import pytest
from tests.stages.lineage_helpers import Art, affirmed_origins, claim_with, run

from storytrace.stages.lineage.origins import body_of, person_name, surname


@pytest.mark.parametrize(
    ("phrase", "want"),
    [
        ("Mr. Nichols, who was raised in Baltimore", "nichols"),
        ("Stephen Bright, a Yale Law School lecturer and a veteran defense attorney", "bright"),
        (
            "Bob Currie, 66, a resident of a condominium which overlooks the Wells Fargo branch",
            "currie",
        ),
        ("The head of the GSEE private sector union, Giannis Panagopoulos", "panagopoulos"),
        ("Giannis Panagopoulos, head of the GSEE private sector union", "panagopoulos"),
        ("The German Chancellor, Angela Merkel, fighting accusations", "merkel"),
        ("state Rep. Barry Fleming, a Republican who led a failed bid", "fleming"),
        ("Danny Gold of Metropolis", "gold"),
        ("Brooklyn Supreme Court Judge Vincent Del Giudice", "delgiudice"),
        ("DelGiudice", "delgiudice"),
        ("European Union President Herman Van Rompuy", "vanrompuy"),
        ("Tishana King", "king"),
        ("Howard and some state legislative leaders", "howard"),
        ("The mother of a 10-year-old girl killed on an Albany street", None),
        ("the white woman, who was identified as Juror No. 12", None),
        ("Greek unions", None),
        ("Oregon State Police", None),
        ("Summit Entertainment", None),
    ],
)
def test_the_surname_is_read_in_the_name_not_in_its_apposition(
    phrase: str, want: str | None
) -> None:
    assert surname(phrase) == want


def test_a_description_holds_no_personal_name() -> None:
    assert person_name("the mother of a 10-year-old girl") is None
    assert person_name("Lt. Gregg Hastings of the Oregon State Police") == "Gregg Hastings"


@pytest.mark.parametrize(
    ("phrase", "want"),
    [
        ("police spokesman Paul Browne", "police"),
        ("Alfredo Perez, a spokesman for the U.S. Marshals Service", "marshals"),
        ("Mr. Kelly, the police commissioner", "police"),
        ("Lt. Gregg Hastings of the Oregon State Police", "police"),
        ("Fulton County District Attorney Paul Howard", "district attorney"),
        ("a police officer at the scene", "police"),
        ("police sources and witnesses", "police"),
        ("Superior Court Judge James Bodiford", None),  # a judge speaks for himself
        ("Christina Greenway, daughter of slain court reporter Julie Ann Brandau", None),
        ("Deborah Teasley, widow of a sheriff's deputy", None),
        ("Critics of the NYPD's stop-and-frisk policy", None),
        ("family of the slain teen, who was hit by police bullets", None),
        ("King, 39, a medical records clerk at Kings County Hospital", None),
        ("The Rev. Terry Lee, who runs a youth ministry and acts as a liaison to the police", None),
    ],
)
def test_a_body_is_the_speakers_own_not_a_relatives(phrase: str, want: str | None) -> None:
    assert body_of(phrase) == want


@pytest.mark.model
def test_one_person_described_differently_by_two_outlets_is_one_origin() -> None:
    """Dev topic 3: the defendant's insanity claim came out as two origins, "person:baltimore"
    (from "Mr. Nichols, who was raised in Baltimore, said ...") and the sheriff's (a
    widow's apposition "of a sheriff's deputy")."""
    a = (
        "Mr. Nichols, who was raised in Baltimore, said that he was legally insane when he "
        "carried out the courthouse killings."
    )
    b = "Nichols said he was legally insane when he carried out the courthouse killings in 2005."
    found = run([[Art("a", a, "Times"), Art("b", b, "Herald")]], claims="claims.align.v7")
    claim = claim_with(found, "legally insane")
    assert set(claim.doc_ids) == {"a", "b"}
    assert affirmed_origins(claim) == {"person:nichols"}


@pytest.mark.model
def test_a_judge_whose_name_is_spelled_two_ways_is_one_origin() -> None:
    """Dev topic 33: "Brooklyn Supreme Court Judge Vincent Del Giudice" was the court, and
    "DelGiudice" a second person: two origins for one judge's words."""
    a = '"The man is an emotional wreck," Brooklyn Supreme Court Judge Vincent Del Giudice said.'
    b = '"The man is an emotional wreck," DelGiudice said before adjourning until Monday.'
    found = run([[Art("a", a, "Post"), Art("b", b, "News")]], claims="claims.align.v7")
    claim = claim_with(found, "emotional wreck")
    assert set(claim.doc_ids) == {"a", "b"}
    assert affirmed_origins(claim) == {"person:delgiudice"}


@pytest.mark.model
def test_one_unnamed_source_described_two_ways_is_one_origin() -> None:
    """Dev topic 19: "forensic doctors and independent experts hired by the family" and
    "forensic experts acting for the family" were two unnamed origins of one post-mortem."""
    a = "The bullet was deformed by a ricochet off a wall, forensic doctors hired by the family said."
    b = "The bullet was deformed by a ricochet off a wall, forensic experts acting for the family said."
    found = run([[Art("a", a, "Post"), Art("b", b, "News")]], claims="claims.align.v7")
    claim = claim_with(found, "ricochet")
    assert set(claim.doc_ids) == {"a", "b"}
    assert len(affirmed_origins(claim)) == 1


@pytest.mark.model
def test_unnamed_sources_sharing_only_a_nationality_stay_two_origins() -> None:
    a = "The militias were preparing to hand over their heavy weapons, Iraqi officials said."
    b = "The militias were preparing to hand over their heavy weapons, Iraqi commanders said."
    found = run([[Art("a", a, "Post"), Art("b", b, "News")]], claims="claims.align.v7")
    claim = claim_with(found, "heavy weapons")
    assert set(claim.doc_ids) == {"a", "b"}
    assert len(affirmed_origins(claim)) == 2
