"""Who speaks: referents of "he" and "the judge", the anonymous flag, ECB+ quotation marks.

Regression cases for the error classes of the cross-check speakers (ECB+ dev topics),
each a hand-built paraphrase of its class, not the article it came from.
"""

from __future__ import annotations

import pytest
from tests.helpers import body_document

from storytrace.records import Quote
from storytrace.stages.quotes.extract import extract_quotes
from storytrace.stages.quotes.marks import find_marked


def quotes_of(text: str) -> tuple[Quote, ...]:
    return extract_quotes([body_document(text)])


def quote_with(quotes: tuple[Quote, ...], text: str, words: str) -> Quote:
    found = [q for q in quotes if any(words in text[s.start : s.end] for s in q.content_spans)]
    assert found, f"no quote holds {words!r}"
    return found[0]


def who(quote: Quote) -> str:
    return f"{quote.speaker_text} {quote.speaker_resolved or ''}"


# ------------------------------------------------------------------- marks (no model)


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ('"Everyone was respectful, "said Juror No. 8.', ["Everyone was respectful,"]),
        ('"I feel sorry for them. "said Maria Lopez.', ["I feel sorry for them."]),
        ('He said, "we will go" and left.', ["we will go"]),
    ],
)
def test_quotes_marks_detached_closer(text: str, inside: list[str]) -> None:
    """A straight mark set off from its clause by a space still closes it (ECB+)."""
    assert [text[m.start : m.end] for m in find_marked(text)] == inside


# ------------------------------------------------------------------- speakers (model)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "name"),
    [
        (
            '"We will appeal," Howard said.\n\n'
            "Josh Moore, one of the defense lawyers, had reminded the judge earlier that "
            "unanimity was not required.\n\n"
            '"Georgia law shows no preference for a unanimous verdict," he said.',
            "Georgia law",
            "Moore",
        ),
        (
            '"We are all deeply shocked," Mr Papandreou said.\n\n'
            "A professor of economics, Anna Fischer, did not go to work today.\n\n"
            "But she rode her bicycle into the city.\n\n"
            '"What I did witness was the battlefields after the troops had departed," '
            "she said.",
            "battlefields",
            "Fischer",
        ),
    ],
)
def test_quotes_pronoun_names_the_person_last_introduced(text: str, words: str, name: str) -> None:
    """ "he said" after a person is introduced in narration is that person, not the
    speaker of the quote before."""
    quote = quote_with(quotes_of(text), text, words)
    assert name in who(quote)
    assert not quote.anonymous


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "name"),
    [
        (
            "He will die in prison after Superior Court Judge James Bodiford handed down "
            "the maximum sentence.\n\n"
            '"If there was any more I could give you, I would," the judge said.',
            "any more",
            "Bodiford",
        ),
        (
            "The Texas Department of Criminal Justice has made sweeping changes at a "
            "prison where an inmate got a gun, the agency announced Tuesday.",
            "sweeping changes",
            "Criminal Justice",
        ),
    ],
)
def test_quotes_definite_description_resolves_to_name(text: str, words: str, name: str) -> None:
    """``the judge`` printed before as ``Judge James Bodiford`` is him, not an anonymous
    source; ``the agency`` is the organisation just named."""
    quote = quote_with(quotes_of(text), text, words)
    assert name in who(quote)
    assert not quote.anonymous


@pytest.mark.model
def test_quotes_description_used_unnamed_stays_anonymous() -> None:
    text = (
        "A senior fire department official spoke to reporters at the scene.\n\n"
        '"Several crucial minutes were lost," the official said.'
    )
    assert quote_with(quotes_of(text), text, "crucial minutes").anonymous


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Ross has officially decided not to return to the series, according to The Playlist.",
            "decided not to return",
        ),
        (
            "A Texas inmate escaped from a prison van, according to a Texas prison statement "
            "Monday.\n\n"
            "He ran away on foot with the guards' guns, the statement from the Texas "
            "Department of Criminal Justice said.",
            "ran away on foot",
        ),
        (
            "After the blast, officers closed down a large swath of the commercial strip.\n\n"
            "Marion County Sheriff Russ Isham said the area will remain closed through the "
            "weekend, adding that he did not know if there could be additional bombs.",
            "additional bombs",
        ),
    ],
)
def test_quotes_named_sources_are_not_anonymous(text: str, words: str) -> None:
    """A name written with ``The``, a statement naming its issuer, and the speaker of a
    participle hung on the reported clause (``..., adding that``) are not anonymous."""
    found = [q for q in quotes_of(text) if words in text[q.content_spans[0].start :]]
    assert found
    assert not any(q.anonymous for q in found), [who(q) for q in found]


@pytest.mark.model
def test_quotes_cue_opening_a_quotation_takes_it() -> None:
    """``X said, "A...¶B."``: the quotation after the cue is what was said, not the
    clause before the cue."""
    text = (
        "Yesterday, the police explained that officers shot a teenager.\n\n"
        "However, his relatives are skeptical of the police account—his sister Mahnefah "
        'Gray said, "He has common sense...\n\nThey killed my little brother for no '
        'reason."\n\nTonight, a crowd gathered to mourn his death.'
    )
    quote = quote_with(quotes_of(text), text, "They killed")
    assert "Mahnefah Gray" in who(quote)
    assert quote.kind == "direct"


@pytest.mark.model
def test_quotes_inverted_cue_with_relative_clause() -> None:
    """``"...," said Jan Olson, who was smoking on her deck``: the parse leaves the cue
    an empty clause; the quotation still gets its speaker."""
    text = (
        "T.J. Simons, 17, also heard the blast.\n\n"
        '"At first I thought it was thunder."\n\n'
        '"It sounded like somebody tossing a Dumpster off a three-story building," said '
        "Jan Olson, who was smoking on her deck in the nearby Evergreen Estates apartment "
        "complex."
    )
    assert "Jan Olson" in who(quote_with(quotes_of(text), text, "Dumpster"))


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "words", "anonymous"),
    [
        ("Harbour police said the ferry was towed to port on Sunday.", "ferry was towed", False),
        ("The Canadian military said two soldiers were hurt in the blast.", "soldiers were hurt", False),
        ("The disaster centre in the province of Kerman said nine villages were hit.", "villages", False),
        ("Norway's ambassador to Chile said the talks would resume in May.", "talks would", False),
        ("A Kent Police spokeswoman said the road would stay shut overnight.", "road would", True),
        ("Danish officials said the talks would resume in May.", "talks would", True),
        ("A senior police officer said the suspect had fled on foot.", "suspect had", True),
    ],
)
def test_quotes_named_bodies_and_office_holders_are_on_record(
    text: str, words: str, anonymous: bool
) -> None:
    """A body speaking as itself with its name beside it, or the holder of a one-person
    office named by country or body, is an on-record source; spokespeople, officials
    and indefinite roles stay unnamed."""
    assert quote_with(quotes_of(text), text, words).anonymous is anonymous
