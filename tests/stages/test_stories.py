"""Tests of stages/stories/cluster.py: clustering articles into real-world events."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from tests.helpers import body_document

from storytrace.records import (
    DateValue,
    Document,
    Dossier,
    Metadata,
)
from storytrace.stages.stories.cluster import StoryIndex, body_lines, cluster_stories
from storytrace.stages.stories.config import PAIR_MODEL, PairModel, StoryConfig
from storytrace.stages.stories.features import features
from storytrace.stages.stories.pairs import FEATURES, fit_pair_model, pair_features, probabilities

# Two events of one kind (a celebrity enters rehab) and an unrelated one.
REID = [
    "Actress Tara Reid has checked into the Promises Treatment Center in Malibu, her "
    "representative Jack Ketsoyan told People magazine on Friday.",
    "Tara Reid, 33, star of American Pie, entered Promises in Malibu this week, "
    "Ketsoyan confirmed, asking for privacy for the actress.",
    "People magazine reports that Reid is staying at Promises, the Malibu clinic, "
    "according to her representative Ketsoyan.",
]
LOHAN = [
    "Lindsay Lohan has checked into the Betty Ford Center in Rancho Mirage to begin a "
    "90-day court-ordered stay, her lawyer Shawn Holley said.",
    "Judge Stephanie Sautner ordered Lohan to spend 90 days at the Betty Ford Center; "
    "Holley said Lindsay arrived in Rancho Mirage on Friday.",
    "Lohan arrived at Betty Ford in Rancho Mirage, Holley confirmed, after Judge "
    "Sautner's ruling on the 90-day rehab order.",
]
MACBOOK = [
    "Apple unveiled a new MacBook Pro with a Retina display at its Worldwide Developers "
    "Conference in San Francisco, Phil Schiller said on stage.",
    "Schiller showed the MacBook Pro Retina model at WWDC in San Francisco; Apple will "
    "ship it from today at 2,199 dollars.",
    "The 2,199 dollar MacBook Pro with Retina display was the star of Apple's WWDC "
    "keynote in San Francisco, presented by Schiller.",
]


def make_doc(doc_id: str, text: str, published: date | None = None) -> Document:
    """A hand-built document whose whole text is body, optionally dated."""
    meta = Metadata(published=DateValue(published, published, "day")) if published else Metadata()
    return body_document(text, doc_id, meta)


def corpus() -> list[Document]:
    """Nine articles: three stories of three articles."""
    docs: list[Document] = []
    for name, texts in (("reid", REID), ("lohan", LOHAN), ("mac", MACBOOK)):
        docs.extend(make_doc(f"{name}{i}", t) for i, t in enumerate(texts))
    return docs


def partition(stories: tuple[object, ...]) -> set[frozenset[str]]:
    """Story membership as a set of frozensets of doc ids."""
    return {frozenset(s.doc_ids) for s in stories}  # type: ignore[attr-defined]


EXPECTED = {
    frozenset({"reid0", "reid1", "reid2"}),
    frozenset({"lohan0", "lohan1", "lohan2"}),
    frozenset({"mac0", "mac1", "mac2"}),
}


def test_stories_separates_events_of_one_kind() -> None:
    assert partition(cluster_stories(corpus())) == EXPECTED


def test_stories_hard_negative_same_text_other_year_stays_apart() -> None:
    # Lohan entered Betty Ford in 2010 and again in 2013: same words, other event.
    new = [make_doc(f"y2013_{i}", t, date(2013, 5, 3 + i)) for i, t in enumerate(LOHAN)]
    old = [make_doc(f"y2010_{i}", t, date(2010, 9, 24 + i)) for i, t in enumerate(LOHAN)]
    assert partition(cluster_stories(new + old)) == {
        frozenset(d.doc_id for d in new),
        frozenset(d.doc_id for d in old),
    }
    undated = [make_doc(d.doc_id, d.text) for d in new + old]
    assert len(cluster_stories(undated)) == 1  # without dates the text alone cannot tell


def test_stories_incremental_equals_from_scratch() -> None:
    docs = corpus()
    index = StoryIndex()
    for start in range(0, len(docs), 2):
        index.add(docs[start : start + 2])
    assert partition(index.stories()) == partition(cluster_stories(docs))


def test_stories_add_returns_assignments_of_new_articles() -> None:
    docs = corpus()
    index = StoryIndex()
    index.add(docs[:8])
    assignments = index.add(docs[8:])
    story_of = {a.doc_id: a.story_id for a in assignments}
    assert story_of["mac2"] == story_of["mac0"]
    assert index.add(docs[8:]) == ()  # already indexed: ignored
    assert len(index) == len(docs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stories_order_does_not_change_batch_result(seed: int) -> None:
    docs = corpus()
    shuffled = docs[:]
    random.Random(seed).shuffle(shuffled)
    assert cluster_stories(shuffled) == cluster_stories(docs)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stories_shuffled_incremental_within_tolerance(seed: int) -> None:
    docs = corpus()
    random.Random(seed).shuffle(docs)
    index = StoryIndex()
    for doc in docs:  # worst case: one article per add
        index.add([doc])
    assert partition(index.stories()) == EXPECTED


def test_stories_ids_and_evidence_are_deterministic() -> None:
    stories = cluster_stories(corpus())
    again = cluster_stories(list(reversed(corpus())))
    assert [s.story_id for s in stories] == [s.story_id for s in again]
    lohan = next(s for s in stories if "lohan0" in s.doc_ids)
    assert "holley" in lohan.top_names
    assert lohan.method == "stories.topic-then-pairs.v4"
    assert lohan.earliest is None and lohan.latest is None


def test_stories_date_span_from_metadata() -> None:
    docs = [make_doc("a", LOHAN[0], date(2013, 5, 3)), make_doc("b", LOHAN[1], date(2013, 5, 5))]
    (story,) = cluster_stories(docs)
    assert (story.earliest, story.latest) == (date(2013, 5, 3), date(2013, 5, 5))


@pytest.mark.parametrize(
    "line,kept",
    [
        ("May 03, 2013", False),
        ("21 July 2013 Last updated at 11:11 GMT", False),
        ("Lindsay Lohan checks into Betty Ford Center", True),
        ("The quake struck in May 2013 near the island of Qeshm, killing ten people.", True),
    ],
)
def test_stories_datelines_are_not_features(line: str, kept: bool) -> None:
    assert (body_lines(line) == [line]) is kept


def test_stories_config_thresholds_are_named() -> None:
    config = StoryConfig()
    assert 0 < config.link_threshold < 1 and 0 <= config.cohesion_ratio < 1


def test_stories_undated_article_printing_only_old_years_stays_out_of_dated_story() -> None:
    # A 2025 story (dated) and an undated piece whose newest printed year is 2016.
    dated = [make_doc(f"new{i}", t, date(2025, 4, 8 + i)) for i, t in enumerate(LOHAN)]
    old = make_doc("old", LOHAN[0] + " Her first stay was in 2016.")
    recent = make_doc("recent", LOHAN[1] + " She was sentenced in 2024.")
    assert partition(cluster_stories([*dated, old, recent])) == {
        frozenset({"new0", "new1", "new2", "recent"}),
        frozenset({"old"}),
    }
    lax = StoryConfig(max_printed_lag_years=20)
    assert len(cluster_stories([*dated, old, recent], lax)) == 1


# One kind of event twice (a striker's hat-trick against United in two seasons):
# the same names and words, but his age, the score and the crowd differ.
MATCH_A = [
    "Striker Marco Bellini, 24, scored 3 goals as Rovers beat United 4-1 in front of "
    "41,500 fans, coach Hale said.",
    "Rovers coach Hale praised Bellini, 24, after his 3 goals in the 4-1 win against "
    "United before 41,500 fans.",
    "Bellini (24) hit 3 past United in a 4-1 rout, with 41,500 fans in the ground, "
    "and Hale said Rovers deserved it.",
]
MATCH_B = [
    "Rovers forward Marco Bellini, 27, netted 3 times against United in a 5-2 win "
    "watched by 38,200 fans, Hale said.",
    "Hale hailed Bellini, 27, whose 3 strikes sank United 5-2 as 38,200 fans looked on "
    "at the Rovers ground.",
    "At 27, Bellini again scored 3 against United: Rovers won 5-2 before 38,200 fans, "
    "coach Hale said.",
]


def test_stories_different_numbers_keep_events_of_one_kind_apart() -> None:
    docs = [make_doc(f"a{i}", t) for i, t in enumerate(MATCH_A)]
    docs += [make_doc(f"b{i}", t) for i, t in enumerate(MATCH_B)]
    config = StoryConfig(number_ratio=0.3)
    assert partition(cluster_stories(docs, config)) == {
        frozenset({"a0", "a1", "a2"}),
        frozenset({"b0", "b1", "b2"}),
    }
    assert len(cluster_stories(docs, StoryConfig(number_ratio=0.0))) == 1


@pytest.mark.model
def test_stories_seeds_two_stories(seed_dossier: Dossier) -> None:
    # Cleaned by the real pipeline: 001 and 003 get a publication date (April 2025),
    # 000, 002 and 004 none; 004 prints no year after 2016 (GOLDEN.md: 2018 event).
    # Only the printed-year lag rule keeps 004 out: by words alone it is as close to
    # story A as A's members are to each other.
    name = {doc.doc_id: Path(doc.source.path).name[:3] for doc in seed_dossier.documents}
    stories = cluster_stories(seed_dossier.documents)
    assert {frozenset(name[d] for d in s.doc_ids) for s in stories} == {
        frozenset({"000", "001", "002", "003"}),
        frozenset({"004"}),
    }


def test_stories_unrelated_articles_never_move_an_article() -> None:
    # Held-out ECB+ issue: one topic gave 2+9 stories alone and 2+2+7 beside other
    # topics, as corpus-wide frequencies re-weighted its words. Weights of the second
    # pass are counted inside the topic group, so other topics cannot move an article.
    rehab = [make_doc(f"reid{i}", t) for i, t in enumerate(REID)]
    rehab += [make_doc(f"lohan{i}", t) for i, t in enumerate(LOHAN)]
    others = [make_doc(f"mac{i}", t) for i, t in enumerate(MACBOOK)]
    others += [make_doc(f"match{i}", t) for i, t in enumerate(MATCH_A + MATCH_B)]
    alone = partition(cluster_stories(rehab))
    beside = {s & {d.doc_id for d in rehab} for s in partition(cluster_stories(rehab + others))}
    assert beside - {frozenset()} == alone
    assert alone == {frozenset(d.doc_id for d in rehab[:3]), frozenset(d.doc_id for d in rehab[3:])}


def test_stories_pair_model_fit_recovers_separable_pairs() -> None:
    k = len(FEATURES)
    x = np.array([[0.9] * k, [0.8] * k, [0.1] * k, [0.0] * k])
    model = fit_pair_model(x, np.array([1.0, 1.0, 0.0, 0.0]), l2=0.1)
    prob = probabilities(x, model)
    assert prob[0] > 0.5 > prob[3] and len(model.weights) == len(FEATURES)


def test_stories_shipped_pair_model_has_one_weight_per_feature() -> None:
    assert len(PAIR_MODEL.weights) == len(FEATURES) and 0 < PAIR_MODEL.threshold < 1


def _time_columns(docs: list[Document]) -> dict[str, np.ndarray]:
    """The time pair features of a group of documents, by name."""
    feats = {d.doc_id: features(d) for d in docs}
    x = pair_features([d.doc_id for d in docs], feats, StoryConfig())
    return {
        name: x[..., FEATURES.index(name)] for name in ("same_year", "years_apart", "days_near")
    }


def test_stories_time_features_read_printed_dates_and_years() -> None:
    # a, b: datelines three days apart; c: another year; d: a bare year; e: no time.
    docs = [
        make_doc("a", "May 3, 2013\n" + LOHAN[0]),
        make_doc("b", "Published 06 May 2013 10:11 GMT\n" + LOHAN[1]),
        make_doc("c", "September 24, 2010\n" + LOHAN[2]),
        make_doc("d", LOHAN[0] + " It was her fourth stay since 2013."),
        make_doc("e", LOHAN[1]),
    ]
    cols = _time_columns(docs)
    same, apart, near = cols["same_year"], cols["years_apart"], cols["days_near"]
    assert same[0, 1] == same[0, 3] == 1 and same[0, 2] == 0
    assert apart[0, 2] == apart[2, 3] == 1 and apart[0, 1] == 0
    assert near[0, 1] == 1 and near[0, 2] == 0
    assert near[0, 3] == 0  # a bare year is no date
    for col in cols.values():  # nothing printed: no evidence either way
        assert not col[4].any() and not col[:, 4].any()


def test_stories_time_features_prefer_publication_date_to_printed() -> None:
    # The metadata date is the article's date; an old date printed in the text is not.
    docs = [
        make_doc("a", "March 1, 2009\n" + LOHAN[0], date(2013, 5, 3)),
        make_doc("b", LOHAN[1], date(2013, 5, 5)),
    ]
    cols = _time_columns(docs)
    assert cols["same_year"][0, 1] == 1 and cols["days_near"][0, 1] == 1
    assert cols["years_apart"][0, 1] == 0


def test_stories_printed_years_keep_two_events_of_one_kind_apart() -> None:
    # Two Betty Ford stays told in similar words, undated, but printing their years:
    # each side agrees on its own year, so the pair model keeps them apart.
    stay_2010 = [
        "Lindsay Lohan checked into the Betty Ford Center on Friday, September 24, 2010, "
        "her lawyer Shawn Holley said after the hearing.",
        "Lohan arrived at Betty Ford in Rancho Mirage in September 2010, Holley confirmed, "
        "after Judge Elden Fox sent her back to rehab.",
        "Judge Elden Fox ordered Lohan into Betty Ford in 2010; Holley said Lindsay arrived "
        "on Friday.",
    ]
    stay_2013 = [
        "Lindsay Lohan checked into the Betty Ford Center on Friday, May 3, 2013, her "
        "lawyer Mark Heller said, to begin a 90-day stay.",
        "Lohan began her 90-day stay at Betty Ford in Rancho Mirage in May 2013, Heller "
        "confirmed, under Judge James Dabney's plea deal.",
        "Judge James Dabney's order sent Lohan to Betty Ford for 90 days in 2013; Heller "
        "said she arrived on Friday.",
    ]
    docs = [make_doc(f"old{i}", t) for i, t in enumerate(stay_2010)]
    docs += [make_doc(f"new{i}", t) for i, t in enumerate(stay_2013)]
    assert partition(cluster_stories(docs)) == {
        frozenset({"old0", "old1", "old2"}),
        frozenset({"new0", "new1", "new2"}),
    }
    k = FEATURES.index("same_year")  # the time features come last
    blind = PairModel(PAIR_MODEL.weights[:k] + (0.0,) * (len(FEATURES) - k), PAIR_MODEL.bias,
                      PAIR_MODEL.threshold)  # fmt: skip
    assert len(cluster_stories(docs, StoryConfig(pair_model=blind))) == 1
