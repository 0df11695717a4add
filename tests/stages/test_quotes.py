"""Quotes and reported speech: every form, resolved speakers, attribution chains."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from tests.helpers import body_document, seed_path

from storytrace.records import Document, Quote
from storytrace.stages.quotes.extract import extract_quotes
from storytrace.stages.quotes.marks import find_marked


def make_doc(text: str, doc_id: str = "d1") -> Document:
    """A one-segment document whose body is ``text``."""
    return body_document(text, doc_id)


def quotes_of(text: str) -> tuple[Quote, ...]:
    return extract_quotes([make_doc(text)])


def content(quote: Quote, text: str) -> str:
    return " || ".join(text[s.start : s.end] for s in quote.content_spans)


def by_speaker(quotes: Sequence[Quote], speaker: str) -> Quote:
    found = [q for q in quotes if speaker.lower() in q.speaker_text.lower()]
    assert found, f"no quote by {speaker!r} in {[q.speaker_text for q in quotes]}"
    return found[0]


def seed_body(prefix: str, first: str, last: str) -> str:
    """The article paragraphs of a seed, from the line starting with ``first`` to the one
    starting with ``last``: cut by hand so the test does not depend on the cleaner."""
    lines = [ln.strip() for ln in seed_path(prefix).read_text(encoding="utf-8").splitlines()]
    start = next(i for i, ln in enumerate(lines) if ln.startswith(first))
    end = next(i for i, ln in enumerate(lines) if i >= start and ln.startswith(last))
    return "\n\n".join(ln for ln in lines[start : end + 1] if ln)


# --------------------------------------------------------------------------- marks (no model)


@pytest.mark.parametrize(
    ("text", "inside"),
    [
        ("He said “we will go now” and left.", ["we will go now"]),
        ('He said "we will go now" and left.', ["we will go now"]),
        ("He said ‘we will go now’ and left.", ["we will go now"]),
        ("Il a dit «we will go now» hier.", ["we will go now"]),
        ("Er sagte „we will go now“ gestern.", ["we will go now"]),
        ("It’s the groups’ call, “not ours,” he said.", ["not ours,"]),
        ("“First paragraph.\n\n“Second one,” she said.", ["First paragraph.\n\n“Second one,"]),
        ('"Line one.\nLine two," she said.', ["Line one.\nLine two,"]),
    ],
)
def test_quotes_marks_pair_every_style(text: str, inside: list[str]) -> None:
    assert [text[m.start : m.end] for m in find_marked(text)] == inside


@pytest.mark.parametrize(
    "text",
    [
        "He said “this never closes.\n\nNext paragraph “has a quote” here.",
        "Odd ” marks “ everywhere ” “ here",
        "“",
        'A lone " straight mark and ‘ another.',
        "",
    ],
)
def test_quotes_marks_unbalanced_degrade_per_quote(text: str) -> None:
    marked = find_marked(text)  # never raises
    assert all(0 <= m.start <= m.end <= len(text) for m in marked)


def test_quotes_marks_unclosed_quote_ends_at_its_paragraph() -> None:
    text = "He said “this never closes.\n\nNext paragraph “has a quote” here."
    marked = find_marked(text)
    assert [(text[m.start : m.end], m.balanced) for m in marked] == [
        ("this never closes.", False),
        ("has a quote", True),
    ]


# --------------------------------------------------------------------------- forms (model)


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "kind", "speaker", "cue", "said"),
    [
        (
            "A senior Shia politician close to the Iraqi government told Reuters that the groups "
            "were preparing to comply with U.S. demands.",
            "indirect",
            "A senior Shia politician close to the Iraqi government",
            "told",
            "the groups were preparing to comply with U.S. demands",
        ),
        (
            "The operation marks a significant boost in the military strength of these groups, "
            "according to The Times.",
            "indirect",
            "The Times",
            "according to",
            "The operation marks a significant boost in the military strength of these groups",
        ),
        (
            "Reuters reported earlier this week that militias in Iraq are ready to lay down "
            "their arms.",
            "indirect",
            "Reuters",
            "reported",
            "militias in Iraq are ready to lay down their arms",
        ),
        (
            "“We will not accept attempts to assert unlawful maritime claims,” Esper said.",
            "direct",
            "Esper",
            "said",
            "We will not accept attempts to assert unlawful maritime claims,",
        ),
        (
            "“We have bases like that in many places,” said a senior IRGC commander.",
            "direct",
            "a senior IRGC commander",
            "said",
            "We have bases like that in many places,",
        ),
        (
            "Later, Esper said, “We strongly oppose violations of international law by China.”",
            "direct",
            "Esper",
            "said",
            "We strongly oppose violations of international law by China.",
        ),
        (
            "General Mark Milley told US media this month that its forces are likely to remain "
            '"for several more years".',
            "mixed",
            "General Mark Milley",
            "told",
            'its forces are likely to remain "for several more years"',
        ),
        (
            "«We will never accept this deal at all,» the minister said.",
            "direct",
            "the minister",
            "said",
            "We will never accept this deal at all,",
        ),
    ],
)
def test_quotes_finds_each_form(text: str, kind: str, speaker: str, cue: str, said: str) -> None:
    quotes = quotes_of(text)
    quote = by_speaker(quotes, speaker)
    assert (quote.kind, quote.speaker_text, quote.cue) == (kind, speaker, cue)
    assert content(quote, text) == said


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "speaker", "cue", "said"),
    [
        (
            "LaSalle was arrested and booked into the city jail, Sgt. Marty Earley said.",
            "Sgt. Marty Earley",
            "said",
            ["LaSalle was arrested and booked into the city jail"],
        ),
        (
            "A passer-by called the sheriff’s station to report the shooting, said sheriff’s "
            "Sgt. Vanette Christiansen.",
            "sheriff’s Sgt. Vanette Christiansen",
            "said",
            ["A passer-by called the sheriff’s station to report the shooting"],
        ),
        (
            '"I need to know what to tell people that are calling us," asked Pineda.',
            "Pineda",
            "asked",
            ["I need to know what to tell people that are calling us,"],
        ),
        (
            "Iran has downplayed the talks, claiming that they are actually indirect.",
            "Iran",
            "claiming",
            ["they are actually indirect"],
        ),
        (
            "The Afghan government has denied any wrongdoing.",
            "The Afghan government",
            "denied",
            ["any wrongdoing"],
        ),
    ],
)
def test_quotes_parser_slips_still_attributed(
    text: str, speaker: str, cue: str, said: list[str]
) -> None:
    """A title abbreviation splitting the sentence, an inverted speaker read as an
    object, a participle sharing its subject, an object that is the claim."""
    quote = by_speaker(quotes_of(text), speaker)
    assert (quote.speaker_text, quote.cue) == (speaker, cue)
    assert [text[s.start : s.end] for s in quote.content_spans] == said


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "cue", "said"),
    [
        (
            "Twenty-year-old Andrew Lopez is accused of carelessly firing at rival gang members.",
            "accused",
            ["Twenty-year-old Andrew Lopez", "of carelessly firing at rival gang members"],
        ),
        (
            "While some militia factions are reportedly negotiating with the government, "
            "others refused.",
            "reportedly",
            ["some militia factions are", "negotiating with the government"],
        ),
    ],
)
def test_quotes_unsourced_claims_have_no_speaker(text: str, cue: str, said: list[str]) -> None:
    quote = next(q for q in quotes_of(text) if q.cue == cue)
    assert quote.speaker_span is None and not quote.anonymous
    assert [text[s.start : s.end] for s in quote.content_spans] == said


@pytest.mark.model
def test_quotes_the_report_after_an_unnamed_report_is_unknown() -> None:
    """Unknown is None, never a guess: "it was reported" names no outlet (seed 001)."""
    text = (
        "Reuters reported that the militias would disarm. Last month, it was reported that "
        "Qaani visited Baghdad.\n\nAccording to the report, Qaani urged restraint."
    )
    quote = by_speaker(quotes_of(text), "the report")
    assert quote.speaker_resolved is None and quote.via == ()


@pytest.mark.model
def test_quotes_confirmed_to_outlet_is_an_intermediary() -> None:
    text = (
        "“Iran has recently transferred missiles to Shia militias in Iraq,” a regional "
        "intelligence source confirmed to the Times."
    )
    quote = by_speaker(quotes_of(text), "a regional intelligence source")
    assert quote.anonymous and quote.descriptor == "a regional intelligence source"
    assert [(v.name, v.kind) for v in quote.via] == [("The Times", "outlet")]


@pytest.mark.model
def test_quotes_speaking_to_outlet_is_not_part_of_the_speaker() -> None:
    text = (
        "A regional diplomatic source, speaking to The Times, dismissed these disarmament "
        "efforts as a façade."
    )
    quote = by_speaker(quotes_of(text), "diplomatic source")
    assert quote.speaker_text == "A regional diplomatic source"
    assert content(quote, text) == "these disarmament efforts as a façade"
    assert [v.name for v in quote.via] == ["The Times"]


@pytest.mark.model
def test_quotes_quote_over_paragraphs_is_one_quote() -> None:
    text = (
        "“The first paragraph of what the minister told us today.\n\n“And the second "
        "paragraph of it,” the minister said."
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1 and quotes[0].kind == "direct"
    assert "second paragraph" in content(quotes[0], text)


@pytest.mark.model
def test_quotes_continued_quote_joins_its_speaker() -> None:
    text = (
        "“The Americans wanted to raid a base,” Mujahid said. “All on board were killed "
        "in the crash.”"
    )
    quotes = quotes_of(text)
    assert len(quotes) == 1 and len(quotes[0].content_spans) == 2
    assert quotes[0].speaker_text == "Mujahid"


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "pronoun", "resolved"),
    [
        (
            "U.S. Defense Secretary Mark Esper said the navy would sail on. He said it would be "
            "provided next year.",
            "He",
            "U.S. Defense Secretary Mark Esper",
        ),
        (
            "A regional diplomatic source told The Times that the efforts were a façade. “The "
            "efforts seen in the last 48 hours are a ruse,” the source stated.",
            "the source",
            "A regional diplomatic source",
        ),
    ],
)
def test_quotes_resolves_pronoun_and_definite_speakers(
    text: str, pronoun: str, resolved: str
) -> None:
    quote = next(q for q in quotes_of(text) if q.speaker_text == pronoun)
    assert quote.speaker_resolved == resolved


@pytest.mark.model
def test_quotes_resolved_source_inherits_the_outlet() -> None:
    text = (
        "A regional diplomatic source, speaking to The Times, dismissed these efforts as a "
        "façade. “The efforts seen in the last 48 hours are a ruse,” the source stated."
    )
    quote = by_speaker(quotes_of(text), "the source")
    assert quote.anonymous and [v.name for v in quote.via] == ["The Times"]


@pytest.mark.model
def test_quotes_the_report_chains_back_to_its_outlet() -> None:
    text = (
        "But a new report from the UK Times revealed that Iran is boosting those arsenals.\n\n"
        "According to the report, the transfer marked the first time that Iran provided "
        "advanced missiles to its proxies."
    )
    quote = by_speaker(quotes_of(text), "the report")
    assert quote.speaker_resolved is not None and "UK Times" in quote.speaker_resolved
    assert [v.name for v in quote.via] == ["The Times"]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "The weather was fine on Tuesday. Markets rose slightly and traders went home early.",
        "",
        "Shiite militia in Iraq\n\nShiite militia in IraqReuters",
    ],
)
def test_quotes_no_quotes_in_text_without_speech(text: str) -> None:
    assert quotes_of(text) == ()


@pytest.mark.model
def test_quotes_photo_credit_is_not_an_attribution() -> None:
    text = seed_body("001", "Shiite militia in IraqReuters", "The development comes")
    quotes = quotes_of(text)
    assert all("Reuters" not in q.speaker_text for q in quotes)
    assert by_speaker(quotes, "Times").cue == "reported"


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "He said “this never closes.\n\nAnother paragraph, the minister said that all was well.",
        "“Odd ” marks “ everywhere ” the minister said “ here",
        'The spokesman said: "we are leaving now, and the talks are over.\n\nNothing more.',
    ],
)
def test_quotes_odd_marks_never_crash_or_drop_the_document(text: str) -> None:
    quotes = quotes_of(text)
    assert all(0 <= s.start < s.end <= len(text) for q in quotes for s in q.content_spans)


@pytest.mark.model
def test_quotes_unclosed_quote_still_attributed() -> None:
    text = "The spokesman said: “we are leaving now, and the talks are over.\n\nNothing more."
    quote = by_speaker(quotes_of(text), "The spokesman")
    assert content(quote, text).startswith("we are leaving now")


# --------------------------------------------------------------------------- seeds (GOLDEN.md)

SEED_000 = ("000", "(Worthy News)", "However, an Iraqi political source")
SEED_001 = ("001", "For the first time", "A regional diplomatic source")
SEED_002 = ("002", "Reuters reported", "According to the official")
SEED_004 = ("004", "As November looms", "A U.S. official confirmed")


@pytest.mark.model
@pytest.mark.parametrize(
    ("seed", "speaker", "via"),
    [
        (SEED_000, "A regional intelligence source", ["The Times"]),
        (SEED_000, "a diplomatic source in the region", ["The Times"]),
        (SEED_000, "a senior Shia politician close to the Iraqi government", ["Reuters"]),
        (SEED_000, "an Iraqi political source", ["Al Arabiya"]),
        (SEED_001, "a regional intelligence source", ["The Times"]),
        (SEED_001, "Sources quoted in the report", ["Reuters"]),
        (SEED_001, "the source", ["The Times"]),
        (SEED_002, "a regional intelligence source", ["The Times"]),
        (SEED_002, "Israeli officials", ["Channel 12"]),
        (SEED_004, "an Iraqi official", []),
        (SEED_004, "a senior IRGC commander", []),
        (SEED_004, "A U.S. official", []),
        (SEED_004, "Iranian officials and Western intelligence sources", []),
    ],
)
def test_quotes_golden_seed_chains(
    seed: tuple[str, str, str], speaker: str, via: list[str]
) -> None:
    quote = by_speaker(quotes_of(seed_body(*seed)), speaker)
    assert quote.anonymous
    assert [v.name for v in quote.via] == via


@pytest.mark.model
def test_quotes_golden_six_militia_leaders_descriptor() -> None:
    quote = by_speaker(quotes_of(seed_body(*SEED_001)), "Sources quoted in the report")
    assert quote.descriptor == "six militia leaders and government officials"


@pytest.mark.model
def test_quotes_golden_ruse_quote_resolves_to_the_diplomatic_source() -> None:
    text = seed_body(*SEED_001)
    quote = by_speaker(quotes_of(text), "the source")
    assert quote.speaker_resolved == "A regional diplomatic source"
    assert "is a ruse" in content(quote, text)


@pytest.mark.model
def test_quotes_golden_trump_claim_is_three_levels_deep() -> None:
    """Seed 002: Trump -> Israeli officials -> Channel 12 -> the article."""
    text = seed_body(*SEED_002)
    trump = next(q for q in quotes_of(text) if q.speaker_text == "Trump")
    assert trump.kind == "mixed" and "one-month deadline" in content(trump, text)
    assert [(v.name, v.kind) for v in trump.via] == [
        ("Israeli officials", "group"),
        ("Channel 12", "outlet"),
    ]
    assert not trump.anonymous


@pytest.mark.model
def test_quotes_bench_format_scores_against_gold() -> None:
    """The bench converts Quote records to the dev-set dicts the shared scorer reads."""
    from bench.attribution import quote_to_dict
    from bench.quotes import score_quotes

    text = "“We will not accept unlawful maritime claims,” Esper said."
    pred = [quote_to_dict(q, text) for q in quotes_of(text)]
    gold_quote = {
        "cue": [text.index("said"), text.index("said") + 4],
        "sources": [[text.index("Esper"), text.index("Esper") + 5]],
        "contents": [[1, text.index("”")]],
        "via": [],
        "source_type": "named",
        "speaker_resolved": None,
        "addressee": None,
        "kind": "direct",
    }
    result = score_quotes(
        [{"id": "d1", "origin": {}, "text": text, "quotes": [gold_quote]}],
        [{"id": "d1", "quotes": pred}],
    )
    assert {row["field"]: row["exact_f1"] for row in result["rows"]} == {
        "source": 1.0,
        "cue": 1.0,
        "content": 1.0,
        "quote": 1.0,
    }
