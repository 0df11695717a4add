"""Attribution classes found on the grown dev set (issue #25, session 15).

Each case is a hand-built text of its class, not an annotated page: ``per X`` as a source,
``That's according to X`` after the sentence it sources, ``shows/highlights that`` and
``expect`` as belief cues (and what they must not take), datelines kept out of the speaker,
and an unnamed role the text names in the next sentences.
"""

from __future__ import annotations

import pytest
from tests.helpers import body_document

from storytrace.records import Quote
from storytrace.stages.quotes.extract import extract_quotes

pytestmark = pytest.mark.model


def quotes_of(text: str) -> tuple[Quote, ...]:
    return extract_quotes([body_document(text)])


def holding(quotes: tuple[Quote, ...], text: str, words: str) -> list[Quote]:
    return [q for q in quotes if any(words in text[s.start : s.end] for s in q.content_spans)]


def one_holding(quotes: tuple[Quote, ...], text: str, words: str) -> Quote:
    found = holding(quotes, text, words)
    assert found, f"no quote holds {words!r}: {[q.content_spans for q in quotes]}"
    return found[0]


def cue(quote: Quote, text: str) -> str:
    assert quote.cue_span is not None
    return text[quote.cue_span.start : quote.cue_span.end]


# ------------------------------------------------------------------------ per X


@pytest.mark.parametrize(
    ("text", "words", "source"),
    [
        (
            "Best floss: Davids.\nBonus points, per the experts: Traditional string floss "
            "is the best option for cleaning between your teeth.\n",
            "best option for cleaning",
            "the experts",
        ),
        (
            "Per the company, sales of the new phone rose five percent in the second "
            "quarter of the year.",
            "sales of the new phone",
            "the company",
        ),
        (
            "The storm knocked out power to 40,000 homes on Tuesday night, per Duke Energy.",
            "knocked out power",
            "Duke Energy",
        ),
    ],
)
def test_per_x_is_a_source(text: str, words: str, source: str) -> None:
    quote = one_holding(quotes_of(text), text, words)
    assert cue(quote, text).lower() == "per"
    assert quote.speaker_text == source


@pytest.mark.parametrize(
    "text",
    [
        "The stock rose to $40 per share after the report, and the bonds paid 5 per cent.",
        "Tickets cost twenty dollars per person and parking is free per the usual rules.",
    ],
)
def test_per_as_a_rate_is_no_source(text: str) -> None:
    quotes = quotes_of(text)
    assert not [q for q in quotes if cue(q, text).lower() == "per"]


# ------------------------------------------------------- "That's according to X"


def test_thats_according_to_sources_the_sentence_before() -> None:
    text = (
        "Teens love the new earbuds, and they are putting them on their holiday wish "
        "lists more than ever before. That's according to a new survey from Piper Jaffray."
    )
    quote = one_holding(quotes_of(text), text, "holiday wish lists")
    assert cue(quote, text) == "according to"
    assert quote.speaker_text == "a new survey from Piper Jaffray"
    assert text[quote.content_spans[0].start :].startswith("Teens love")


def test_according_to_in_its_own_clause_keeps_its_clause() -> None:
    text = (
        "The market fell sharply on Monday. Prices dropped ten percent in a week, "
        "according to the exchange."
    )
    quote = one_holding(quotes_of(text), text, "Prices dropped")
    assert not holding(quotes_of(text), text, "market fell sharply")
    assert quote.speaker_text == "the exchange"


# --------------------------------------------------- shows that / highlight / expect


def test_study_shows_that_is_a_claim() -> None:
    text = (
        "Because the study shows that human-AI pairs failed to improve their joint "
        "creativity over time, designers should build better tools."
    )
    quote = one_holding(quotes_of(text), text, "pairs failed to improve")
    assert cue(quote, text) == "shows"
    assert quote.speaker_text == "the study"


def test_shows_without_that_is_no_claim() -> None:
    text = "Video footage shows police officers beating protesters with batons near the square."
    assert not [q for q in quotes_of(text) if cue(q, text) == "shows"]


def test_findings_highlight_that() -> None:
    text = (
        "From a practical standpoint, the findings highlight that AI systems must be "
        "designed to support more than idea generation."
    )
    quote = one_holding(quotes_of(text), text, "must be designed")
    assert cue(quote, text) == "highlight"


def test_active_expect_with_a_clause_is_a_belief() -> None:
    text = "Industry experts expect interest rates to remain low as automakers sweeten deals."
    quote = one_holding(quotes_of(text), text, "interest rates to remain low")
    assert cue(quote, text) == "expect"
    assert quote.speaker_text == "Industry experts"


def test_is_expected_to_is_appraisal() -> None:
    text = "The merger is expected to close in May, and the new company is expected to grow."
    assert not [q for q in quotes_of(text) if cue(q, text).startswith("expect")]


# ------------------------------------------------------------------- datelines


@pytest.mark.parametrize(
    ("text", "words", "source"),
    [
        (
            "BERLIN -- The European Space Agency says putting astronauts into a state of "
            "suspended animation could make it easier to reach other planets.",
            "suspended animation",
            "The European Space Agency",
        ),
        (
            "BUFFALO, N.Y. — Hours before the game on Tuesday, Wild coach Bruce Boudreau "
            "expressed confidence in the winger, saying he always finds a way to score.",
            "always finds a way",
            "Wild coach Bruce Boudreau",
        ),
        (
            "BAAR, SWITZERLAND\n\nAscom, a global solutions provider, announced that it "
            "will sell a new alarm management system in North America next year.",
            "new alarm management system",
            "Ascom, a global solutions provider",
        ),
    ],
)
def test_dateline_is_not_the_speaker(text: str, words: str, source: str) -> None:
    quote = one_holding(quotes_of(text), text, words)
    assert quote.speaker_text == source


def test_dateline_is_not_the_content() -> None:
    text = (
        "PanARMENIAN.Net - Iranian security forces have committed a pattern of unlawful "
        "killings in more than 100 cities, Amnesty International said on Tuesday."
    )
    said = [
        q for q in holding(quotes_of(text), text, "unlawful killings") if cue(q, text) == "said"
    ]
    assert len(said) == 1
    quote = said[0]
    assert quote.speaker_text == "Amnesty International"
    assert text[quote.content_spans[0].start :].startswith("Iranian security forces")


# ------------------------------------------------------- a role named next


@pytest.mark.parametrize(
    ("text", "words", "name"),
    [
        (
            "A California transit chief says a man has been stabbed to death on a commuter "
            "train during a fight.\nInterim BART Police Chief Ed Alvarez told reporters "
            "that officials began receiving calls on Tuesday afternoon.",
            "stabbed to death",
            "Ed Alvarez",
        ),
        (
            "Esther Williams died in her sleep in Beverly Hills at the age of 91, her "
            "spokesman said.\nShe had been in declining health, spokesman Harlan Boll said.",
            "at the age of 91",
            "Harlan Boll",
        ),
    ],
)
def test_role_named_in_the_next_sentences_is_not_anonymous(
    text: str, words: str, name: str
) -> None:
    quote = one_holding(quotes_of(text), text, words)
    assert not quote.anonymous
    assert quote.speaker_resolved == name


def test_role_never_named_stays_anonymous() -> None:
    text = (
        "A California transit chief says a man has been stabbed to death on a commuter "
        "train during a fight.\nThe suspect was arrested a block away, officials said."
    )
    quote = one_holding(quotes_of(text), text, "stabbed to death")
    assert quote.anonymous


# ------------------------------------------------------- passive reports, no agent


@pytest.mark.parametrize(
    ("text", "subject", "where"),
    [
        (
            "The virus has been reported in Barry, Berrien, Calhoun and Van Buren counties.",
            "The virus",
            "in Barry, Berrien, Calhoun and Van Buren counties",
        ),
        (
            "Gunfire was reported at about 3 p.m. in the Hawaiian Gardens area during a "
            "gang operation, according to sheriff's officials.",
            "Gunfire",
            "at about 3 p.m. in the Hawaiian Gardens area during a gang operation",
        ),
    ],
)
def test_passive_report_without_agent(text: str, subject: str, where: str) -> None:
    found = [q for q in quotes_of(text) if cue(q, text) == "reported"]
    assert len(found) == 1
    assert not found[0].speaker_text
    assert [text[s.start : s.end] for s in found[0].content_spans] == [subject, where]


def test_passive_report_to_someone_is_no_place() -> None:
    text = "The results were reported to the board on Monday by the auditors' committee."
    assert not [
        q
        for q in quotes_of(text)
        if any(text[s.start : s.end].startswith("to the board") for s in q.content_spans)
    ]


# ------------------------------------------- what is not someone else's claim


@pytest.mark.parametrize(
    ("text", "not_cue"),
    [
        # a connective
        (
            "That said, Google promised more, and for whatever reason it is not delivering yet.",
            "said",
        ),
        (
            "It is not a bad alternative. That said, the company promised far more than this, "
            "and it is not delivering yet.",
            "said",
        ),
        # the writer's own belief
        (
            "And we think that with the right tools, brushing can actually feel like a treat.",
            "think",
        ),
        (
            "Let's hope we see more of his associates grilled about their connections with him.",
            "hope",
        ),
        # a speaker's own belief or finding inside what they said
        ("Authorities said they believe they know the identity of the shooter.", "believe"),
        (
            "Kennedy said the case highlights that rights of free speech carry responsibilities.",
            "highlights",
        ),
    ],
)
def test_not_a_reported_claim(text: str, not_cue: str) -> None:
    assert not [q for q in quotes_of(text) if cue(q, text) == not_cue]


def test_someone_elses_belief_inside_a_report_stays() -> None:
    text = "Neighbors said Smith thought the house was empty when the fire started."
    quote = one_holding(quotes_of(text), text, "the house was empty")
    assert [q for q in quotes_of(text) if cue(q, text) == "thought"]
    assert quote is not None


# ------------------------------------------------- speakers cut at a title's full stop


@pytest.mark.parametrize(
    ("text", "words", "source"),
    [
        (
            'Orozco was found guilty last month.\n"This is the kind of crime that the death '
            'penalty was made for," said Dist. Atty. Steve Cooley.\nThe jury took a day.',
            "death penalty",
            "Dist. Atty. Steve Cooley",
        ),
        (
            "UPDATE:\nJose Luis Orozco was arrested just before midnight yesterday, near where "
            "the shooting occurred, Los Angeles County sheriff's Sgt. Don Manumaleuna said.\n",
            "arrested just before midnight",
            "Los Angeles County sheriff's Sgt. Don Manumaleuna",
        ),
    ],
)
def test_speaker_runs_past_a_title(text: str, words: str, source: str) -> None:
    quote = one_holding(quotes_of(text), text, words)
    assert quote.speaker_text == source


def test_pronoun_is_not_a_name_in_its_own_content() -> None:
    text = (
        "Jose Luis Orozco was arrested near the scene, Sgt. Don Manumaleuna said.\n"
        "No shots were fired when Orozco was taken into custody, he added."
    )
    quote = one_holding(quotes_of(text), text, "No shots were fired")
    assert quote.speaker_resolved == "Don Manumaleuna"


def test_clause_running_into_the_speaker_is_not_what_was_said() -> None:
    text = (
        "While slowing down a human's metabolism the way animals hibernate isn't possible "
        'yet, research team head Jennifer Ngo-Anh says the idea "is actually not so crazy."'
    )
    quote = one_holding(quotes_of(text), text, "not so crazy")
    assert cue(quote, text) == "says"
    assert not any("hibernate" in text[s.start : s.end] for s in quote.content_spans)


def test_report_from_a_named_outlet_is_not_anonymous() -> None:
    text = (
        "Noah Hawley is in final talks to write and direct the fourth film, according to "
        "reports from The Wrap and Deadline."
    )
    quote = one_holding(quotes_of(text), text, "final talks")
    assert quote.speaker_text == "reports from The Wrap and Deadline"
    assert not quote.anonymous


def test_report_from_nobody_named_stays_anonymous() -> None:
    text = "At least 106 protesters have been killed, according to credible reports from witnesses."
    quote = one_holding(quotes_of(text), text, "106 protesters")
    assert quote.anonymous
