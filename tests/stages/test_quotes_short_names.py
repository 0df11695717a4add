"""Who speaks, session 14 (issue #24): an outlet's or studio's short name resolved to the
full name the text prints, and the speaker of a participle or ``quoted X as saying`` taken
from the right clause.

Hand-built paraphrases of the classes found on the ECB+ dev topics, not their articles.
"""

from __future__ import annotations

import pytest
from tests.helpers import body_document

from storytrace.records import Quote
from storytrace.stages.quotes.extract import extract_quotes


def quote_with(text: str, words: str) -> Quote:
    quotes = extract_quotes([body_document(text)])
    found = [q for q in quotes if any(words in text[s.start : s.end] for s in q.content_spans)]
    assert found, f"no quote holds {words!r}"
    return found[0]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "short", "full"),
    [
        (
            "Chris Weitz will direct the sequel for Summit Entertainment, the studio behind "
            "the first film.\n\nSummit says that no deal has been signed yet.",
            "no deal has been signed",
            "Summit",
            "Summit Entertainment",
        ),
        (
            "The Hollywood Reporter says the director is in talks to return.\n\n"
            "According to THR, the two sticking points are salary and schedule.",
            "two sticking points",
            "THR",
            "The Hollywood Reporter",
        ),
        (
            "Entertainment Weekly confirmed on Friday that the studio picked a new director.\n\n"
            "EW says the director landed the job because he is easy to work with.",
            "easy to work with",
            "EW",
            "Entertainment Weekly",
        ),
        (
            "A new report from the Global Fisheries Watch counts the boats lost at sea.\n\n"
            "GFW said that the count had doubled since last year.",
            "count had doubled",
            "GFW",
            "Global Fisheries Watch",
        ),
    ],
)
def test_quotes_short_name_resolves_to_printed_full_name(
    text: str, words: str, short: str, full: str
) -> None:
    """The speaker stays as printed; its full name, printed elsewhere in the text, is
    the resolution (one outlet, one name)."""
    quote = quote_with(text, words)
    assert quote.speaker_text == short
    assert quote.speaker_resolved == full
    assert not quote.anonymous


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        (  # no full form printed: nothing is invented
            "The studio picked a new director on Friday.\n\n"
            "THR says the director landed the job because he is easy to work with.",
            "easy to work with",
            "THR",
        ),
        (  # a person's surname is not an organisation's short name
            "Gary Ross directed the first film for the studio.\n\n"
            "Ross says that he wants a raise for the sequel.",
            "wants a raise",
            "Ross",
        ),
    ],
)
def test_quotes_short_name_left_alone_without_full_form(
    text: str, words: str, speaker: str
) -> None:
    quote = quote_with(text, words)
    assert quote.speaker_text == speaker
    assert quote.speaker_resolved is None


@pytest.mark.model
def test_quotes_capitalised_common_noun_is_no_short_name() -> None:
    """``Police say`` opening a sentence is a common noun, not short for a department."""
    text = (
        "The Springfield Police Department opened an inquiry on Monday.\n\n"
        "Police say that the driver was not hurt."
    )
    quote = quote_with(text, "driver was not hurt")
    assert quote.speaker_text == "Police"
    assert quote.speaker_resolved is None


@pytest.mark.model
def test_quotes_participle_on_an_object_that_cannot_speak() -> None:
    """``An official downplayed the unrest saying that ...``: the official says it."""
    text = (
        "A government official downplayed the unrest saying that there have been strikes "
        "for years without much consequence."
    )
    quote = quote_with(text, "strikes for years")
    assert quote.speaker_text == "A government official"
    assert quote.anonymous


@pytest.mark.model
def test_quotes_participle_on_a_document_stays_with_its_publisher() -> None:
    text = "Police released a statement saying that the driver was armed."
    quote = quote_with(text, "driver was armed")
    assert quote.speaker_text == "Police"


@pytest.mark.model
def test_quotes_quoted_as_saying_names_the_one_quoted() -> None:
    """``the Daily News quoted witness Devonte Brown as saying``: the witness speaks."""
    text = (
        '"The officers jumped out of the car so fast," the Daily News quoted witness '
        "Devonte Brown as saying."
    )
    quote = quote_with(text, "jumped out of the car")
    assert quote.speaker_text.endswith("Devonte Brown")
    assert not quote.anonymous


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        ('"We were searching," Juror No. 12 said.', "We were searching", "Juror No. 12"),
        (
            '"Everyone was respectful, "said Juror No. 8, one of six women on the panel.',
            "Everyone was respectful",
            "Juror No. 8",
        ),
    ],
)
def test_quotes_numbered_role_is_whole_and_unnamed(text: str, words: str, speaker: str) -> None:
    """``Juror No. 12``: not cut at the abbreviation (the parser takes ``. 12`` for the
    subject), and a person known by a number only is an unnamed source."""
    quote = quote_with(text, words)
    assert quote.speaker_text == speaker
    assert quote.anonymous
    assert quote.descriptor == speaker


def test_quotes_subject_on_the_cue_line_wins_over_a_misparsed_one() -> None:
    """A quotation left open at a line's end runs two paragraphs into one parse and gives
    the cue a second subject on the line before: the subject on the cue's line speaks.

    The parse is built by hand (the shape the small English model gave an ECB+ page).
    """
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from storytrace.stages.quotes.speakers import subject_of

    words = ["your", "baby", "girl", ",", '"', "\n\n", "King", "provided", "an", "answer", "."]
    spaces = [True, True, False, False, False, False, True, True, True, False, False]
    heads = [2, 2, 7, 7, 7, 4, 7, 7, 9, 7, 7]
    deps = ["poss", "compound", "nsubj", "punct", "punct", "dep", "nsubj", "ROOT", "det", "dobj", "punct"]  # fmt: skip
    pos = ["PRON", "NOUN", "NOUN", "PUNCT", "PUNCT", "SPACE", "PROPN", "VERB", "DET", "NOUN", "PUNCT"]  # fmt: skip
    doc = Doc(Vocab(), words=words, spaces=spaces, heads=heads, deps=deps, pos=pos)
    span = subject_of(doc[7])
    assert span is not None
    assert doc.text[span.start : span.end] == "King"
