"""Attribution classes found on pages nobody tuned on (issue #25, session 14).

Each case is a hand-built sentence of its class, not an annotated text: the anonymous
flag kept to sources the text leaves unnamed, quotations standing alone after the
sentence that introduces their speaker, and the cue constructions listed per test.
"""

from __future__ import annotations

import pytest
from tests.helpers import body_document

from storytrace.records import Quote
from storytrace.stages.quotes.extract import extract_quotes

pytestmark = pytest.mark.model


def quotes_of(text: str) -> tuple[Quote, ...]:
    return extract_quotes([body_document(text)])


def quote_with(quotes: tuple[Quote, ...], text: str, words: str) -> Quote:
    found = [q for q in quotes if any(words in text[s.start : s.end] for s in q.content_spans)]
    assert found, f"no quote holds {words!r}: {[q.content_spans for q in quotes]}"
    return found[0]


def said(quote: Quote, text: str) -> str:
    return " | ".join(text[s.start : s.end] for s in quote.content_spans)


# ------------------------------------------------------------------ the anonymous flag


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # a definite description of a referent the article names
        (
            "Big Machine Label Group signed the singer in 2005. The company said the "
            "dispute over the masters had been settled.",
            "dispute over",
        ),
        (
            "Tara Reid has entered a rehab clinic in Malibu. The star said she was "
            "grateful for the support of her fans.",
            "grateful for",
        ),
        # a possessive: someone's representative, a city's police
        (
            "Lindsay Lohan checked into a clinic on Thursday. Her publicist said she was "
            "doing well and thanked fans for their support.",
            "doing well",
        ),
        (
            "Protests spread across Hong Kong on Sunday. The city's police said officers "
            "had fired tear gas at the crowd near the university.",
            "tear gas",
        ),
        # two parties named before
        (
            "Kevin King and Timothy Weeks were freed on Tuesday. Both men said they had "
            "been treated well by their captors.",
            "treated well",
        ),
        # a pronoun is a pronoun source, even for an unnamed antecedent
        (
            "A senior official said the talks had stalled. He said the delegation would "
            "leave Geneva on Friday if nothing changed.",
            "leave Geneva",
        ),
        # a definite group pointing back at a named team
        (
            "Paganini and his colleagues studied the moon for a decade. The researchers "
            "said the plumes were rarer than expected.",
            "plumes were rarer",
        ),
        # a document named by its issuer
        (
            "The Department of Justice complaint says the movers quoted low prices and "
            "raised them on the day of the move.",
            "quoted low prices",
        ),
    ],
)
def test_quotes_named_or_unclear_referents_are_not_flagged_anonymous(text: str, words: str) -> None:
    """The flag marks only a source the text leaves unnamed: a definite or possessive
    description points at a referent the article names (or one we cannot tell),
    ``both`` counts named parties, and ``he`` is a pronoun source."""
    quote = quote_with(quotes_of(text), text, words)
    assert quote.speaker_span is not None and not quote.anonymous, quote.speaker_text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Officials said the bridge would stay closed until Monday.", "bridge would"),
        ("Two witnesses said the car ran a red light before the crash.", "car ran"),
        ("A spokeswoman for the airline said all flights were cancelled.", "flights were"),
        ("Some analysts believe the economy will slow next year.", "economy will"),
        ("The man was charged with assault in 2005, according to court records.", "was charged"),
        (
            "A source close to the talks said the deal was nearly done. The source said "
            "the two sides would sign it next week.",
            "sign it next week",
        ),
        (
            "The officers involved in the arrest said the suspect had resisted.",
            "suspect had resisted",
        ),
        # a person by a role the reporter uses for someone unnamed
        (
            "Looters emptied the pharmacy on Sunday. The manager said about 40 people "
            "had poured in.",
            "40 people",
        ),
        ("A local barber said the police have a hard time in the area.", "hard time"),
    ],
)
def test_quotes_unnamed_sources_stay_flagged(text: str, words: str) -> None:
    """Indefinite, counted and bare mentions, ``the source`` after an unnamed source,
    and a definite group of unnamed people are anonymous sources."""
    assert quote_with(quotes_of(text), text, words).anonymous


# ------------------------------------------------------------ stand-alone quotations


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # an indirect quote introduces the speaker; the quotation follows on its own
        (
            "Dorsey said the shooting was going to be hard on everyone.\n"
            '"We\'re like family here. We will pull through this together."\n'
            "The plant reopened on Monday.",
            "like family",
            "Dorsey",
        ),
        (
            "Mayor Ruth Bell said the city would rebuild the bridge. “We owe it to the "
            "people who cross it every day.”",
            "We owe it",
            "Ruth Bell",
        ),
        # a narration sentence about a named person, then their words
        (
            "Darin Schroeder, of the American Bird Conservancy, welcomed the decision.\n"
            '"We are gratified the secretaries acted to restore the law to its strength."',
            "gratified",
            "Darin Schroeder",
        ),
    ],
)
def test_quotes_standalone_quotation_takes_the_speaker_before_it(
    text: str, words: str, speaker: str
) -> None:
    """A quotation that is a sentence of its own, with no cue, belongs to the speaker
    of the sentence introducing it; the text gives no cue, so the quote has none."""
    quote = quote_with(quotes_of(text), text, words)
    assert speaker in quote.speaker_text and quote.kind == "direct"
    assert quote.cue_span is None


@pytest.mark.parametrize(
    "text",
    [
        # the sentence before is about no person
        'The plant reopened on Monday.\n"We will never forget what happened in this room."',
        # a heading in quotation marks, then narration
        'Here are the highlights:\n"My fears have been realized"\nMorrison spoke for an hour.',
        # a title inside a sentence
        'Morrison wrote a memoir.\n"The Long Road Home" sold well in its first year.',
    ],
)
def test_quotes_standalone_quotation_without_a_speaker_is_not_attributed(text: str) -> None:
    """No speaker in the sentence before, or no sentence in the marks: not a quote."""
    assert not [q for q in quotes_of(text) if q.method.startswith("quotes.nearest.")]


# ------------------------------------------------------------ cue constructions


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        # the parser hangs the reported clause on the medium, not on the verb
        (
            'The White House said in a statement that the president was "deeply '
            'saddened" by the news.',
            "said",
            "The White House",
            'the president was "deeply saddened" by the news',
        ),
        # a cue set off by commas inside the clause it covers
        (
            "The suspect, police said, had been arrested twice before.",
            "said",
            "police",
            "The suspect | had been arrested twice before",
        ),
        ("Smith pointed out that prices had doubled since March.", "pointed", "Smith", "prices"),
        # verbs whose object is the claim
        (
            "The Afghan government has ruled out Taliban involvement in the attack.",
            "ruled",
            "The Afghan government",
            "Taliban involvement in the attack",
        ),
        (
            'Police are treating the fire as "potentially suspicious".',
            "treating",
            "Police",
            "the fire as",
        ),
        # the reported clause's subject misread as the cue's object
        (
            'LaRue called Magruder a "congenital liar" and insisted Nixon had no '
            "knowledge of the plans.",
            "insisted",
            "LaRue",
            "Nixon had no knowledge of the plans",
        ),
    ],
)
def test_quotes_cue_constructions(text: str, cue: str, speaker: str, content: str) -> None:
    """Each construction is an attribution with its speaker and its whole content."""
    found = [q for q in quotes_of(text) if q.cue == cue]
    assert found, [q.cue for q in quotes_of(text)]
    assert found[0].speaker_text == speaker
    assert content in said(found[0], text)


@pytest.mark.parametrize(
    "text",
    [
        "The officer pointed a gun at the driver and ordered him out of the car.",
        "Investors in the region demand growth.",
    ],
)
def test_quotes_cue_words_without_a_claim(text: str) -> None:
    """``pointed a gun`` reports nothing; a bare demand of one word is no claim."""
    assert not [q for q in quotes_of(text) if q.cue in ("pointed", "demand")]


def test_quotes_speaker_keeps_a_date_inside_its_relative_clause() -> None:
    """The source is the whole mention with its relative clause; only a date hung on
    the name itself (``Joe Coffey Monday``) is cut."""
    text = "Smith, who has led the company since 2010, said profits would rise."
    quote = quote_with(quotes_of(text), text, "profits would rise")
    assert quote.speaker_text == "Smith, who has led the company since 2010"


@pytest.mark.parametrize(
    ("text", "words", "speaker"),
    [
        # less common reporting verbs right beside the marks
        ("“It was a long night,” Smith quipped.", "long night", "Smith"),
        ("“Hands! Let me see your hands!” an officer ordered.", "Let me see", "an officer"),
        # the parser read the verb as a plural noun, the name as its modifier
        (
            "“You can feel results immediately,” Wilgus shares. “But eight weeks of "
            "practice gives you lasting benefits.”",
            "results immediately",
            "Wilgus",
        ),
        (
            "“Yoga nidra is a state of relaxation where you are still aware,” Wilgus clarifies.",
            "Yoga nidra",
            "Wilgus",
        ),
    ],
)
def test_quotes_verbs_beside_the_marks(text: str, words: str, speaker: str) -> None:
    """A quotation joined to a reporting verb by a comma is that speaker's."""
    assert quote_with(quotes_of(text), text, words).speaker_text == speaker


@pytest.mark.parametrize(
    "text",
    [
        # a sentence of its own before an imperative: no cue
        '"The best games in the series, without losing any of the charm." Read our review.',
        # a verb of the tight list with nobody speaking
        'Investors will be left to wonder: "what did we do to deserve this?"',
    ],
)
def test_quotes_verbs_beside_the_marks_need_a_joined_speaker(text: str) -> None:
    """A verb of the tight list takes the quotation only when joined to it by a comma
    (or introducing it) and speaking for someone."""
    assert not quotes_of(text), [q.cue for q in quotes_of(text)]


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        # the reported clause hung on the addressee as if it were a relative clause
        (
            "Mark Heller told a judge that Lohan was settling in at a clinic in Newport Beach.",
            "told",
            "Mark Heller",
            "Lohan was settling in at a clinic in Newport Beach",
        ),
        # a trailing "as X reported" covers the whole sentence before it
        (
            "The company is preparing to cut 500 jobs, as the Times reported last week.",
            "reported",
            "the Times",
            "The company is preparing to cut 500 jobs",
        ),
        # a passive cue with its agent: the subject is what was confirmed
        (
            "His death was confirmed by Christine Monaco, a spokeswoman for the FBI.",
            "confirmed",
            "Christine Monaco, a spokeswoman for the FBI",
            "His death",
        ),
    ],
)
def test_quotes_clause_attached_elsewhere(text: str, cue: str, speaker: str, content: str) -> None:
    """The parser attaches the reported clause away from the cue; it is still the cue's."""
    found = [q for q in quotes_of(text) if q.cue == cue]
    assert found, [q.cue for q in quotes_of(text)]
    assert found[0].speaker_text == speaker and said(found[0], text) == content


@pytest.mark.parametrize(
    "text",
    [
        "The bomb was found by a bank employee in the bushes outside the building.",
        "Police were called by neighbours who smelled gas.",
    ],
)
def test_quotes_passive_acts_are_not_claims(text: str) -> None:
    """``was found by``, ``were called by``: an act with its agent, not a statement."""
    assert not quotes_of(text), [q.cue for q in quotes_of(text)]


def test_quotes_a_thing_misread_as_speaker_is_not_flagged() -> None:
    """Only a person, body or record can be an unnamed source; a "speaker" headed by a
    thing is a misparse and carries no anonymous flag."""
    text = "A 38-caliber revolver believed to be the murder weapon was recovered."
    assert not any(q.anonymous for q in quotes_of(text))


def test_quotes_study_co_author_is_one_speaker() -> None:
    """The parser splits ``co-author`` into two subjects; the speaker is the whole
    mention, and a named one."""
    text = (
        "Rainfall occurs everywhere on Titan, said study co-author Anezina Solomonidou, "
        "a European Space Agency research fellow."
    )
    quote = quote_with(quotes_of(text), text, "Rainfall")
    assert quote.speaker_text.startswith("study co-author Anezina Solomonidou")
    assert not quote.anonymous


@pytest.mark.parametrize(
    ("text", "content"),
    [
        (
            "Police said damage to the building had been extensive but the store would be rebuilt.",
            "damage to the building had been extensive but the store would be rebuilt",
        ),
        (
            "Police said they know the identity of the shooter, although the person was "
            "not immediately taken into custody.",
            "they know the identity of the shooter, although the person was not "
            "immediately taken into custody",
        ),
        # a second act of the speaker, with its own pronoun subject, is not reported
        (
            "Officials said the missiles had been moved, and they asked for patience.",
            "the missiles had been moved",
        ),
    ],
)
def test_quotes_content_spans_coordinated_clauses(text: str, content: str) -> None:
    """A second clause joined to the reported one (``but``, ``although``) with a subject
    of its own is reported too; one whose subject is a pronoun may be the speaker
    acting, and is not."""
    quote = next(q for q in quotes_of(text) if q.cue == "said")
    assert said(quote, text) == content


@pytest.mark.parametrize(
    ("text", "cue", "speaker", "content"),
    [
        # the that-clause hung on a noun of a phrase after the cue
        (
            "Police Chief Ed Alvarez told reporters at a news conference that officials "
            "began receiving calls on Tuesday.",
            "told",
            "Police Chief Ed Alvarez",
            "officials began receiving calls on Tuesday",
        ),
        (
            "Austria argued for decades that it was the first victim of the regime.",
            "argued",
            "Austria",
            "it was the first victim of the regime",
        ),
        # a reporting noun owned by its speaker
        (
            "The Pentagon rejected Russia's claims that the camp was under siege.",
            "claims",
            "Russia",
            "the camp was under siege",
        ),
    ],
)
def test_quotes_that_clause_on_a_noun(text: str, cue: str, speaker: str, content: str) -> None:
    """A ``that`` clause the parser hangs on a noun after the cue, or on a reporting
    noun with its owner, is reported content."""
    found = [q for q in quotes_of(text) if q.cue == cue]
    assert found, [q.cue for q in quotes_of(text)]
    assert found[0].speaker_text == speaker and said(found[0], text) == content


def test_quotes_a_nouns_own_that_clause_is_not_the_cues() -> None:
    """``despite the fact that ...`` belongs to ``fact``, not to the cue before it."""
    text = "Sales grew to $3 million, Tipton said, despite the fact that prices barely rose."
    quote = next(q for q in quotes_of(text) if q.cue == "said")
    assert "prices barely rose" not in said(quote, text)


def test_quotes_the_clause_beside_the_cue_when_the_parser_gives_two() -> None:
    """``Police were gathering statements, but "we do know ...," Earley said``: the
    parser gives ``said`` both clauses; the one beside it is what was said."""
    text = (
        "Police were still gathering statements from witnesses on Thursday, but "
        '"we do know alcohol was a factor," Earley said.'
    )
    quote = next(q for q in quotes_of(text) if q.cue == "said")
    assert said(quote, text) == "we do know alcohol was a factor,"
    assert quote.kind == "direct"
