"""Tests of the SemEval-2015 Task 4 timeline scorer, its loader and the system's pieces."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from bench.timeline_score import (
    BEFORE,
    SIMULTANEOUS,
    Counts,
    GraphConfig,
    Relation,
    Timeline,
    TimelineLine,
    build_graph,
    check,
    load_corpus,
    parse_timeline,
    score_timeline,
    score_timelines,
    timeline_relations,
)

from bench import timeline as tl
from storytrace.records import DateValue

GOLD_TEXT = (
    "Airbus\n"
    "0\tXXXX-XX-XX\t9-4-said\t9-5-stated\n"
    "0\tXXXX-XX-XX\t9-6-hopes\n"
    "1\t2004-XX-XX\t7-3-sold\n"
    "2\t2005-01-18\t9-0-launches\t9-2-unveiled\n"
    "2\t2005-01-18\t9-3-take\n"
    "3\t2005-06-13\t8-2-won\t8-0-wins\n"
    "4\t2007-XX-XX\t8-7-cut\n"
)
GOLD = parse_timeline(GOLD_TEXT)


def _line(ordinal: int, day: str, *events: str) -> TimelineLine:
    return TimelineLine(ordinal, day, events)


def _with_lines(*lines: TimelineLine) -> Timeline:
    return Timeline("Airbus", lines)


def _prf(gold: Timeline, system: Timeline | None, config: GraphConfig | None = None) -> float:
    return score_timeline(gold, system, config).prf()["f1"]


# --------------------------------------------------------------------------- timelines


def test_timeline_score_parse_reads_lines_and_entity() -> None:
    assert GOLD.entity == "Airbus"
    assert GOLD.lines[3] == _line(2, "2005-01-18", "9-0-launches", "9-2-unveiled")
    assert len(GOLD.lines) == 7


def test_timeline_score_parse_keeps_malformed_ids_literally() -> None:
    # corpus_1's airbus_a380.txt runs two lines together; the official scorer reads it as is
    parsed = parse_timeline(
        "A380\n8\t2007-03-19\t1-5-x\t12-7-x8\t2007-03-19\t1-2-land\nnot a line\n"
    )
    assert parsed.lines == (_line(8, "2007-03-19", "1-5-x", "12-7-x8", "2007-03-19", "1-2-land"),)


def test_timeline_score_relations_are_minimal_and_ordered() -> None:
    relations = timeline_relations(GOLD)
    anchors = [r for r in relations if r.target.startswith("t:")]
    assert len(anchors) == 7  # every dated event once, none for XXXX-XX-XX
    assert Relation("9-4-said", "9-5-stated", SIMULTANEOUS) in relations  # co-reference
    assert Relation("9-0-launches", "9-3-take", SIMULTANEOUS) in relations  # same position
    assert Relation("7-3-sold", "9-0-launches", BEFORE) in relations
    assert not any("9-6-hopes" in (r.source, r.target) for r in relations)  # unplaced


@pytest.mark.parametrize(
    "config", [GraphConfig(), GraphConfig(order_unanchored=True), GraphConfig(all_pairs=True)]
)
def test_timeline_score_gold_against_itself_is_100(config: GraphConfig) -> None:
    counts = score_timeline(GOLD, GOLD, config)
    assert counts.prf() == {"p": 100.0, "r": 100.0, "f1": 100.0}
    assert counts.system == counts.gold > 0


def _reversed_order(timeline: Timeline) -> Timeline:
    return _with_lines(*(_line(10 - ln.ordinal if ln.ordinal else 0, ln.date, *ln.events)
                         for ln in timeline.lines))  # fmt: skip


def _wrong_dates(timeline: Timeline) -> Timeline:
    return _with_lines(*(_line(ln.ordinal, "2001-01-01" if ln.ordinal else ln.date, *ln.events)
                         for ln in timeline.lines))  # fmt: skip


def _half(timeline: Timeline) -> Timeline:
    return _with_lines(*timeline.lines[: len(timeline.lines) // 2])


def _extra_event(timeline: Timeline) -> Timeline:
    return _with_lines(*timeline.lines, _line(5, "2009-01-01", "3-3-invented"))


@pytest.mark.parametrize("damage", [_reversed_order, _wrong_dates, _half, _extra_event])
def test_timeline_score_damaged_timeline_scores_lower(
    damage: Callable[[Timeline], Timeline],
) -> None:
    damaged = damage(GOLD)
    assert _prf(GOLD, damaged) < 100.0
    assert _prf(GOLD, damaged, GraphConfig(all_pairs=True)) < 100.0


def test_timeline_score_reversed_order_loses_only_the_order() -> None:
    counts = score_timeline(GOLD, _reversed_order(GOLD))
    before = sum(r.rel == BEFORE for r in timeline_relations(GOLD))
    assert counts.system - counts.precision_matched == before  # every BEFORE contradicted


def test_timeline_score_missing_or_empty_system_scores_zero() -> None:
    assert score_timeline(GOLD, None).prf() == {"p": 0.0, "r": 0.0, "f1": 0.0}
    assert _prf(GOLD, _with_lines()) == 0.0


def test_timeline_score_micro_average_sums_counts() -> None:
    other = Timeline("Boeing", (_line(1, "2005-01-01", "1-1-x"), _line(2, "2006-01-01", "1-2-y")))
    total = score_timelines([GOLD, other], [_half(GOLD)])
    assert total == score_timeline(GOLD, _half(GOLD)) + score_timeline(other, None)
    assert Counts(1, 2, 3, 4) + Counts(1, 1, 1, 1) == Counts(2, 3, 4, 5)


# --------------------------------------------------------------------------- time graph


def test_timeline_score_graph_closure_entails_transitive_order() -> None:
    built = build_graph([Relation("a", "b", BEFORE), Relation("b", "c", BEFORE)])
    assert check(built.graph, Relation("a", "c", BEFORE)) == "true"
    assert check(built.graph, Relation("c", "a", "AFTER")) == "true"
    assert check(built.graph, Relation("c", "a", BEFORE)) == "false"
    assert check(built.graph, Relation("a", "d", BEFORE)) == "unknown"


def test_timeline_score_graph_reduces_and_sets_aside_violations() -> None:
    relations = [
        Relation("e1", "t:2005", SIMULTANEOUS),
        Relation("e2", "t:2005", SIMULTANEOUS),
        Relation("e1", "e2", SIMULTANEOUS),  # entailed: dropped from the reduced graph
        Relation("e2", "e1", BEFORE),  # contradicts: kept aside, still scored
    ]
    built = build_graph(relations)
    assert built.final == (relations[0], relations[1], relations[3])
    assert check(built.graph, Relation("e2", "e1", BEFORE)) == "false"


# --------------------------------------------------------------------------- loader


def _write_fixture(root: Path) -> Path:
    folder = root / "corpus_9"
    (folder / "corpus_trackA_TimeML").mkdir(parents=True)
    (folder / "TimeLines_Gold_Standard").mkdir()
    (folder / "corpus_trackA_TimeML" / "1_x.tml").write_text(
        '<?xml version="1.0" encoding="utf-8"?><TimeML><DOCID>1</DOCID>'
        '<DCT><TIMEX3 functionInDocument="CREATION_TIME" tid="t0" type="DATE" '
        'value="18-01-2005">2005-01-18</TIMEX3></DCT><TEXT>'
        '<s id="0">Airbus launches plane</s><s id="1">January 18 , 2005</s>'
        '<s id="2">Airbus unveiled the A380 on Monday .</s></TEXT></TimeML>',
        encoding="utf-8",
    )
    (folder / "list_target_entities_corpus_9.txt").write_text("Airbus\nUnited States Air Force\n")
    (folder / "TimeLines_Gold_Standard" / "united_states_air_force.txt").write_text(
        "United States Air Froce\n1\t2005-01-18\t1-2-unveiled\n"
    )
    return folder


def test_timeline_score_loader_reads_a_tiny_corpus(tmp_path: Path) -> None:
    corpus = load_corpus(_write_fixture(tmp_path))
    article = corpus.articles[0]
    assert (article.doc_id, article.dct) == ("1", "2005-01-18")  # day-first DCT normalised
    assert [s.number for s in article.sentences] == [0, 1, 2]
    assert article.sentences[2].tokens[-2:] == ("Monday", ".")
    assert corpus.entities == ("Airbus", "United States Air Force")
    # the misspelled header gives way to the listed name the file is named after
    assert [g.entity for g in corpus.gold] == ["United States Air Force"]


# --------------------------------------------------------------------------- the system


def test_timeline_assemble_ranks_dates_partial_first() -> None:
    events = [
        tl.Event("1-2-cut", ("2007-02-28", 5), "cut", "2007-02-28", "timex"),
        tl.Event("1-3-cuts", ("2007-02-28", 9), "cut", "2007-02-28", "timex"),
        tl.Event("2-4-plan", ("2007-03-01", 1), "plan", "2007-XX-XX", "timex"),
        tl.Event("2-5-said", ("2007-03-01", 2), "say", "XXXX-XX-XX", "fallback.none"),
    ]
    timeline = tl.assemble("Airbus", events)
    assert timeline.lines == (
        _line(0, "XXXX-XX-XX", "2-5-said"),
        _line(1, "2007-XX-XX", "2-4-plan"),
        _line(2, "2007-02-28", "1-2-cut", "1-3-cuts"),
    )


@pytest.mark.parametrize(
    ("value", "when", "expected"),
    [
        ("2005-01-17", DateValue(date(2005, 1, 17), date(2005, 1, 17)), "2005-01-17"),
        ("2005-01-17TMO", DateValue(date(2005, 1, 17), date(2005, 1, 17)), "2005-01-17"),
        ("2005-01", DateValue(date(2005, 1, 1), date(2005, 1, 31)), "2005-01-XX"),
        ("2005", DateValue(date(2005, 1, 1), date(2005, 12, 31)), "2005-XX-XX"),
        ("2005-W03", DateValue(date(2005, 1, 17), date(2005, 1, 23)), "2005-01-XX"),
        ("2005-W05", DateValue(date(2005, 1, 31), date(2005, 2, 6)), "2005-XX-XX"),
        ("2005-Q1", DateValue(date(2005, 1, 1), date(2005, 3, 31)), "2005-XX-XX"),
        ("200", DateValue(date(2000, 1, 1), date(2009, 12, 31)), "XXXX-XX-XX"),
        # on or before a publication (a statement printing no date, a main event)
        ("../2005-01-18", DateValue(None, date(2005, 1, 18), "day", inferred=True), "2005-01-18"),
        (
            "2005-01-17/2005-01-18",
            DateValue(date(2005, 1, 17), date(2005, 1, 18), "day", inferred=True),
            "2005-01-18",
        ),
        ("2005-01-17/2005-01-18", DateValue(date(2005, 1, 17), date(2005, 1, 18)), "2005-01-XX"),
    ],
)
def test_timeline_task_date_writes_the_task_format(
    value: str, when: DateValue, expected: str
) -> None:
    assert tl.task_date(value, when) == expected


def test_timeline_article_text_and_alignment_round_trip(tmp_path: Path) -> None:
    article = load_corpus(_write_fixture(tmp_path)).articles[0]
    text = tl.article_text(article)
    assert text.splitlines() == ["Airbus launches plane", "January 18, 2005",
                                 "Airbus unveiled the A380 on Monday."]  # fmt: skip
    tokens = [t for s in article.sentences for t in s.tokens]
    sentences = [s.tokens for s in article.sentences]
    spans = tl.align(sentences, text)
    assert all(
        span is not None and text[span[0] : span[1]] == t
        for t, span in zip(tokens, spans, strict=True)
    )
    # a cleaner that dropped the dateline: its tokens are not found, the rest still are
    cleaned = "Airbus launches plane\nAirbus unveiled the A380 on Monday.\n"
    spans = tl.align(sentences, cleaned)
    assert [t for t, span in zip(tokens, spans, strict=True) if span is None] == [
        "January",
        "18",
        ",",
        "2005",
    ]
    # title and dateline moved to the metadata (what the product's cleaner does): the
    # title's "Airbus" is not matched to the body's
    body = "Airbus unveiled the A380 on Monday.\n"
    spans = tl.align(sentences, body)
    assert spans[:7] == [None] * 7
    assert spans[7] == (0, 6)
    # a moved title whose words the lead repeats is not matched inside the lead
    moved = [("Technical", "problem", "on", "Airbus", "A400M", "maiden", "flight"),
             ("January", "25", ",", "2010"),
             ("Airbus", "confirmed", "a", "problem", "on", "the", "A400M", "maiden", "flight", ".")]  # fmt: skip
    lead = "Airbus confirmed a problem on the A400M maiden flight.\n"
    spans = tl.align(moved, lead)
    assert spans[:11] == [None] * 11
    assert spans[11] == (0, 6)
    # a sentence the cleaner changed a little is matched token by token
    spans = tl.align(sentences, "Airbus unveiled the A380 on Monday!\n")
    assert spans[7:13] == [(0, 6), (7, 15), (16, 19), (20, 24), (25, 27), (28, 34)]
    assert spans[13] is None


def test_timeline_target_forms_derive_aliases() -> None:
    kinds = {"Boeing": "org", "Boeing 787 Dreamliner": "product",
             "United States Air Force": "org", "Louis Gallois": "person"}  # fmt: skip
    forms = tl.target_forms(kinds, ["The United States Air Force (USAF) said."])
    assert forms["787 Dreamliner"] == forms["Dreamliner"] == "Boeing 787 Dreamliner"
    assert forms["USAF"] == forms["U.S. Air Force"] == "United States Air Force"
    assert forms["bare:Air Force"] == "United States Air Force"
    assert forms["Gallois"] == "Louis Gallois"
    assert forms["Boeing"] == "Boeing"
    assert "LG" not in forms  # an acronym counts only once an article introduces it


@pytest.mark.model
def test_timeline_bench_scores_the_products_own_timeline(tmp_path: Path) -> None:
    """The timeline is the one ``analyze`` builds, mapped to the task's events and dates."""
    from storytrace.models.nlp import load_nlp

    corpus = load_corpus(_write_fixture(tmp_path))
    dossier = tl.run_product(corpus, tmp_path)
    assert "timeline.timex.v3" in dossier.run.stages
    assert [e.value for e in dossier.timeline] == ["2005-01-17"]  # "on Monday", a Tuesday DCT
    parsed = tl.parse_corpus(corpus, load_nlp())
    timelines = dict(
        zip(corpus.entities, tl.product_timelines(corpus, parsed, dossier, "head"), strict=True)
    )
    assert timelines["Airbus"].lines == (_line(1, "2005-01-17", "1-2-unveiled"),)
    assert timelines["United States Air Force"].lines == ()  # no sentence names it
    roots = dict(
        zip(corpus.entities, tl.product_timelines(corpus, parsed, dossier, "root"), strict=True)
    )
    assert roots["Airbus"].lines == (_line(1, "2005-01-17", "1-2-unveiled"),)


@pytest.mark.model
def test_timeline_bench_maps_a_main_event_placed_by_publication(tmp_path: Path) -> None:
    """No date printed: the story's main event is its lead's root, at its first report's
    day (the task dates an event no text dates at its article's creation time)."""
    from storytrace.models.nlp import load_nlp

    folder = _write_fixture(tmp_path)
    tml = folder / "corpus_trackA_TimeML" / "1_x.tml"
    lead = "Airbus unveiled the A380 , the largest passenger aircraft ever built , in Toulouse ."
    tml.write_text(
        tml.read_text("utf-8").replace("Airbus unveiled the A380 on Monday .", lead), "utf-8"
    )
    corpus = load_corpus(folder)
    dossier = tl.run_product(corpus, tmp_path)
    assert [e.value for e in dossier.timeline] == ["2005-01-17/2005-01-18"]
    parsed = tl.parse_corpus(corpus, load_nlp())
    timelines = tl.product_timelines(corpus, parsed, dossier, "head")
    airbus = dict(zip(corpus.entities, timelines, strict=True))["Airbus"]
    assert airbus.lines == (_line(1, "2005-01-18", "1-2-unveiled"),)
