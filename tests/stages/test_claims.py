"""Claims aligned across articles; independent origins; provenance edges; verdicts."""

from __future__ import annotations

from datetime import date

import pytest
from tests.stages.lineage_helpers import Art, corpus, run

from storytrace.stages.lineage.claims import analyse
from storytrace.stages.lineage.provenance import provenance_edges

# lineage_helpers extracts quotes with spaCy; claims embed with MiniLM.
pytestmark = pytest.mark.model

TIMES_A = (
    "Iran has delivered long-range missiles to its militia proxies in Iraq, "
    "the Times of London reported. Officials in Baghdad declined to comment."
)
TIMES_B = (
    "For the first time, Iran has equipped its proxy forces in Iraq with long-range missiles, "
    "the British Times newspaper reported on Tuesday."
)
TIMES_C = (
    "The Times reported that Iran transferred long-range missiles to the militias it backs in "
    "Iraq. The move worries Washington."
)


def test_claims_paraphrases_citing_one_outlet_are_one_claim_with_one_origin() -> None:
    found = run([[Art("a", TIMES_A, "Worthy News"), Art("b", TIMES_B, "INN"), Art("c", TIMES_C)]])
    main = found.claims[0]
    assert set(main.doc_ids) == {"a", "b", "c"}
    assert [o.label for o in main.origins] == ["The Times"]
    assert main.verdict.startswith("3 articles, 1 independent origin: The Times")
    assert found.verdicts[0].line.startswith("3 articles, 1 independent origin")


def test_claims_different_outlets_are_independent_origins() -> None:
    a = "Iran has delivered long-range missiles to militias in Iraq, Reuters reported."
    b = "Iran has sent long-range missiles to the militias in Iraq, the Associated Press reported."
    found = run([[Art("a", a), Art("b", b)]])
    main = found.claims[0]
    assert set(main.doc_ids) == {"a", "b"}
    assert sorted(o.label for o in main.origins) == ["Associated Press", "Reuters"]


def test_claims_copies_of_one_article_are_one_origin() -> None:
    body = (
        "A police spokesman said the fire started in the kitchen of the restaurant late on "
        "Friday night and spread to two neighbouring shops before firefighters arrived. "
        "Nobody was injured, the spokesman said, and the cause is being investigated."
    )
    found = run(
        [[Art("a", body, "Daily A", date(2024, 5, 1)), Art("b", body + " More soon.", "B")]]
    )
    for claim in found.claims:
        if len(claim.doc_ids) == 2:
            assert len(claim.origins) == 1, claim.verdict
    assert any(len(c.doc_ids) == 2 for c in found.claims)


def test_claims_never_align_across_stories() -> None:
    """The same words about another event (another story) are not the same claim."""
    found = run([[Art("a", TIMES_A)], [Art("b", TIMES_A.replace("Iraq", "Lebanon"))]])
    assert all(len(c.doc_ids) == 1 for c in found.claims)
    assert {c.story_id for c in found.claims} == {"story-0", "story-1"}


def test_claims_asserted_and_denied_are_not_one_claim() -> None:
    a = "The militias were preparing to disarm, Reuters reported."
    b = "The militias had refused to disarm, Al Arabiya reported."
    found = run([[Art("a", a), Art("b", b)]])
    polarities = {tuple(sorted({m.polarity for m in c.mentions})) for c in found.claims}
    assert ("affirmed", "negated") not in polarities


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("the armed factions had actually refused to disarm", "negated"),
        ("these efforts are merely a façade to avoid US retaliation", "negated"),
        ("the militias are not disarming", "negated"),
        ("Iran equipped them with new models not previously supplied", "affirmed"),
        ("the groups were preparing to disarm", "affirmed"),
    ],
)
def test_claims_polarity_of_the_main_clause(text: str, polarity: str) -> None:
    assert analyse([text])[0].polarity == polarity


def test_claims_predicates_reduce_action_nouns_and_phrases() -> None:
    stmt = analyse(["the disarmament of the groups", "they are ready to lay down their arms"])
    assert "disarm" in stmt[0].predicates and "disarm" in stmt[1].predicates


def test_provenance_edges_cite_outlets_with_their_span() -> None:
    text = "A regional intelligence source told the Times that Iran moved missiles to Iraq."
    view, _ = corpus([[Art("a", text, "Worthy News")]])
    edges = provenance_edges(view.documents, view.quotes, view.pairs)
    cites = [e for e in edges if e.kind == "cites"]
    assert [(e.source, e.target) for e in cites] == [("article:a", "outlet:The Times")]
    assert "Times" in cites[0].evidence[0].text
    via = [e for e in edges if e.kind == "via"]
    assert via and via[0].source.startswith("speaker:a regional intelligence source")


def test_provenance_copies_point_from_the_later_article() -> None:
    body = (
        "The minister said on Monday that the new bridge over the river would open in March "
        "after three years of delays and a budget that doubled since the first plans."
    )
    view, _ = corpus(
        [
            [
                Art("a", body, "A", date(2024, 1, 2)),
                Art("b", body + " Reuters", "B", date(2024, 1, 3)),
            ]
        ]
    )
    edges = provenance_edges(view.documents, view.quotes, view.pairs)
    copies = [(e.source, e.target) for e in edges if e.kind == "copies"]
    assert copies == [("article:b", "article:a")]
