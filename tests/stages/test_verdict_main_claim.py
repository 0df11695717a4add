"""The story verdict's main claim is what most articles assert, never what they deny.

Session 17: once a negated statement joins the claim it denies (``claims.align.v7``'s
denial join), the seeds' disarmament claim held four articles -- Reuters' three and The
Times' "ruse" -- and more mentions than the missile claim all four articles assert, and
the verdict named it as the story's main claim. An article that only denies a claim does
not carry it; between claims asserted by as many articles, the disputed one is not the
story's main fact.
"""

from __future__ import annotations

from storytrace.records import Claim, ClaimMention, DocSpan, Origin, Story
from storytrace.stages.lineage.verdicts import carriers, story_verdicts


def _mention(doc: str, text: str, key: str, negated: bool = False) -> ClaimMention:
    return ClaimMention(
        f"q-{doc}-{len(text)}",
        DocSpan(doc, 0, len(text), text),
        key,
        None,
        False,
        "negated" if negated else "affirmed",
        key,
    )


def _claim(claim_id: str, label: str, mentions: list[ClaimMention]) -> Claim:
    docs = tuple(sorted({m.span.doc_id for m in mentions}))
    origin = Origin(f"outlet:{label}", label, "outlet", None, (), docs)
    return Claim(claim_id, "s", mentions[0].span.text, tuple(mentions), (origin,), docs, "", "t")


STORY = Story("s", ("a", "b", "c", "d"), "test")
MISSILES = _claim(
    "c2",
    "The Times",
    [_mention(d, "Iran sent long-range missiles to the militias", "outlet:The Times") for d in "abcd"],
)


def test_denials_do_not_make_a_claim_the_main_one() -> None:
    disarm = _claim(
        "c1",
        "Reuters",
        [
            *(_mention(d, "the militias are preparing to disarm", "outlet:Reuters") for d in "abc"),
            _mention("d", "the picture that the militias are disarming is a ruse", "x", True),
            _mention("b", "the armed factions had refused to disarm", "y", True),
            _mention("c", "the disarmament is a ruse", "x", True),
        ],
    )
    assert len(disarm.doc_ids) == 4 and len(disarm.mentions) > len(MISSILES.mentions)
    assert carriers(disarm) == 3
    (verdict,) = story_verdicts([STORY], [disarm, MISSILES], [])
    assert verdict.main_claim_id == "c2"
    assert "1 independent origin: The Times" in verdict.line


def test_between_claims_asserted_by_as_many_articles_the_undisputed_one_is_main() -> None:
    disarm = _claim(
        "c1",
        "Reuters",
        [
            *(_mention(d, "the militias are preparing to disarm", "outlet:Reuters") for d in "abcd"),
            _mention("b", "the armed factions had refused to disarm", "y", True),
            _mention("c", "the disarmament is a ruse", "x", True),
        ],
    )
    assert carriers(disarm) == carriers(MISSILES) == 4
    (verdict,) = story_verdicts([STORY], [disarm, MISSILES], [])
    assert verdict.main_claim_id == "c2"


def test_a_claim_carried_by_fewer_articles_says_so_by_its_asserting_articles() -> None:
    disarm = _claim(
        "c1",
        "Reuters",
        [
            *(_mention(d, "the militias are preparing to disarm", "outlet:Reuters") for d in "ab"),
            _mention("c", "the disarmament is a ruse", "x", True),
        ],
    )
    (verdict,) = story_verdicts([STORY], [disarm], [])
    assert verdict.main_claim_id == "c1"
    assert "(main claim in 2 of 4)" in verdict.line
