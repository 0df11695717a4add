"""Quote drift: one speaker's statement printed in different wordings (ECB+ dev topics'
error classes, rebuilt by hand)."""

from __future__ import annotations

import pytest
from tests.stages.lineage_helpers import Art, document, run

from storytrace.models.services import Embed
from storytrace.records import Document, Quote, Story, TextSpan
from storytrace.stages.lineage.config import LineageConfig
from storytrace.stages.lineage.drift import DriftConfig, find_drift, sentence_spans, speaker_match

_NOWHERE = TextSpan(0, 1)


def _quote(
    speaker: str,
    anonymous: bool = False,
    resolved: str | None = None,
    doc_id: str = "d",
    span: TextSpan = _NOWHERE,
) -> Quote:
    return Quote(
        doc_id, f"{doc_id}:q0", "indirect", (span,), None, "said", None, speaker, resolved,
        anonymous, None, None, (), "test",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("a", "b", "match"),
    [
        # one person printed with and without title, apposition or modifier
        (_quote("Lt. Gregg Hastings of the Oregon State Police"), _quote("Hastings"), "named"),
        (_quote("Mr. Kelly, the police commissioner"), _quote("Raymond Kelly"), "named"),
        (_quote("he", resolved="Nichols"), _quote("Brian Nichols"), "named"),
        # an outlet and its initials
        (_quote("THR"), _quote("The Hollywood Reporter"), "named"),
        # unnamed sources: one head word, however short the description
        (_quote("Police", True), _quote("police", True), "same"),
        (_quote("an inside source", True), _quote("a source with knowledge of the talks", True), "same"),
        (_quote("Oregon State Police"), _quote("State police", True), "same"),
        # different people, or nobody named
        (_quote("Senator Jane Smith"), _quote("a regional intelligence source", True), "different"),
        (_quote("Gregg Hastings"), _quote("Scott Russell"), "different"),
        (_quote(""), _quote("Hastings"), "unknown"),
        (_quote("he"), _quote("Hastings"), "unknown"),
        # a pronoun resolved to someone else: the antecedent is a guess (ECB+ topic 8)
        (_quote("she", resolved="Mr Papandreou"), _quote("Merkel"), "unknown"),
    ],
)  # fmt: skip
def test_drift_speaker_printed_differently(a: Quote, b: Quote, match: str) -> None:
    docs: dict[str, Document] = {}
    assert speaker_match(a, b, docs) == match


def test_drift_sentence_spans_keep_titles_and_initials() -> None:
    text = "Howard spoke to the U.S. Attorney. Lt. Hastings said more.\n\nA new paragraph"
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "Howard spoke to the U.S. Attorney.",
        "Lt. Hastings said more.",
        "A new paragraph",
    ]


def _kinds(a: str, b: str) -> list[str]:
    return [d.kind for d in run([[Art("a", a), Art("b", b)]]).drift]


@pytest.mark.model
def test_drift_reported_statements_and_speaker_variants() -> None:
    """ECB+ topic 8: a reported statement (no quotation marks), the speaker printed
    with his rank and unit in one article and by surname in the other."""
    a = "Lt. Gregg Hastings of the Oregon State Police said the inside of the bank was extensively damaged by the blast."
    b = "Hastings said the inside of the bank suffered extensive damage in the blast."
    assert _kinds(a, b) == ["reworded"]


@pytest.mark.model
def test_drift_one_sentence_of_a_longer_quote() -> None:
    """ECB+ topic 3: one article prints a three-sentence quote, another one sentence of it."""
    a = (
        "“I am sorry. I know that the things I've done caused a lot of pain. I will not "
        "bring dishonor to the decision to spare my life,” Nichols said."
    )
    b = "“I know that the things that I've done caused a lot of pain,” Nichols said."
    assert _kinds(a, b) == ["minor_edit"]


@pytest.mark.model
def test_drift_across_stories() -> None:
    """The story clusters may split one event's coverage: with ``across_stories`` the quote
    is still compared; by default only the articles of one story are."""
    a = "“That person is dangerous and needs to be found as soon as possible,” Hastings said."
    b = "“That person needs to be found as soon as possible,” Hastings said."
    across = LineageConfig(drift=DriftConfig(across_stories=True))
    found = run([[Art("a", a)], [Art("b", b)]], across)
    assert [(d.kind, d.story_id) for d in found.drift] == [("minor_edit", "story-0")]
    assert run([[Art("a", a)], [Art("b", b)]]).drift == ()


@pytest.mark.model
def test_drift_a_negation_flip_between_different_wordings_is_two_statements() -> None:
    """ECB+ topic 6 (dev): "is excited by the story" / "This is not a task to be taken
    lightly" -- one speaker, wordings that share little, negation differing: two statements,
    not a change of meaning. The same flip in a kept wording is a change of meaning."""
    a = "“I am excited by the story and eager to keep the film close to the book,” Weitz said."
    b = "“This is not a task to be taken lightly, and I will keep the film close to the book,” Weitz said."
    assert "meaning_changed" not in _kinds(a, b)
    a = "“The company will sell the factory to its workers next year,” Smith said."
    b = "“The company will not sell the factory to its workers next year,” Smith said."
    assert _kinds(a, b) == ["meaning_changed"]


@pytest.mark.model
def test_drift_statement_printed_without_credit() -> None:
    """ECB+ topic 8: one article credits the statement, another prints it as narration."""
    a = "Hastings said he did not know why the officers took the bomb inside the bank."
    b = "Hastings did not know why the officers took it inside the bank on Friday."
    assert _kinds(a, b) == ["reworded"]


@pytest.mark.model
@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        # the negation moves ("did not win" / "don't think ... won"): same meaning
        ("“I believe Brian Nichols did not win this case,” Greenway said.",
         "“I don't think Brian Nichols won this case,” Greenway said.", "reworded"),
        # a negation in the part one article left out is no change: the shorter wording
        # is the longer one cut short, a copy (session 15; it was a minor edit before)
        ("Strauss-Kahn said that without these measures the situation would be infinitely more serious for everyone.",
         "Strauss-Kahn said the situation would be infinitely more serious for everyone.", "verbatim"),
        # a contraction is not a negation added
        ("“Torches and pitchforks aren't going to be necessary,” Meyer said.",
         "“Torches and pitchforks are not going to be necessary,” Meyer said.", "reworded"),
        # a negation added is
        ("The Playlist reported that Ross had stepped away from the negotiations with Lionsgate.",
         "The Playlist reported that Ross had not stepped away from the negotiations with Lionsgate.",
         "meaning_changed"),
    ],
)  # fmt: skip
def test_drift_meaning_change_needs_evidence(a: str, b: str, kind: str) -> None:
    assert _kinds(a, b) == [kind]


@pytest.mark.model
def test_drift_reprints_are_a_tree_not_every_pair() -> None:
    """ECB+ topic 24: one wire sentence re-edited along a chain of reprints is each
    wording against its nearest earlier one, not every pair."""
    base = "A police source said the men drove a large four-by-four car into the store early on Monday."
    edits = [
        base,
        base.replace("early on Monday", "early Monday"),
        base.replace("early on Monday", "early Monday").replace("large ", ""),
        base.replace("early on Monday", "early Monday")
        .replace("large ", "")
        .replace("four-by-four", "4x4"),
    ]
    found = run([[Art(str(i), text) for i, text in enumerate(edits)]])
    assert len([d for d in found.drift if d.kind != "verbatim"]) == 3


@pytest.mark.model
def test_drift_copies_cut_differently_are_verbatim(embed: Embed) -> None:
    """ECB+ topic 3: both articles print the longer wording; the quote stage cut one
    copy at the comma. Nothing was re-worded."""
    text = "Greenway said it is not in his DNA to stay in jail, which is what he has to look forward to."
    docs = [document(Art("a", text)), document(Art("b", "On Friday. " + text))]
    quotes = [
        _quote("Greenway", doc_id="a", span=TextSpan(14, 92)),
        _quote("Greenway", doc_id="b", span=TextSpan(25, 61)),
    ]
    story = Story("s", ("a", "b"), "test")
    found = find_drift(docs, [story], quotes, embed=embed)
    assert [d.kind for d in found] == ["verbatim"]


@pytest.mark.model
def test_drift_a_quotation_cut_short_is_verbatim() -> None:
    """ECB+ topic 3 (session 15): "And I just wanted to say that I will not bring
    dishonor ..." and "I will not bring dishonor ..." print the same words, one of them
    cut: a copy, not a re-wording. One word changed inside the shared words is drift."""
    a = (
        "“And I just wanted to say that I will not bring dishonor to the decision to spare "
        "my life,” Nichols said."
    )
    cut = "“I will not bring dishonor to the decision to spare my life,” Nichols said."
    edited = "“I will not bring dishonour upon the decision to spare my life,” Nichols said."
    assert _kinds(a, cut) == ["verbatim"]
    assert _kinds(a, edited) != ["verbatim"]
