"""Cross-document timeline bench on SemEval-2015 Task 4 (TimeLine), track A.

Track A starts from raw text: for each target entity, find the events it takes part
in across the 30 articles of a corpus, anchor each to a date and order them, events
that co-refer on one line. ``corpus_1`` (airbus) and ``corpus_2`` (gm) are present;
``corpus_3`` is held out and never read. Track-A TimeML gives the DCT and the tokenised
sentences (event ids are ``<docid>-<sentence>-<token>``); the gold timelines are read
only to score (``bench.timeline_score``), never to detect.

The system uses storytrace's own parts read-only: the spaCy pipeline of
``models.nlp`` (parse, NER), the entity stage's alias helpers (``alias_key``,
``initials``, the curated forms of ``United States``) and the time-expression stage
(``stages.timex``). A target is named by its forms (:func:`target_forms`) or, where
obvious, an anaphor (:func:`_resolve_anaphors`); its events are the verbs and event
nouns it is an argument of, plus verbs sharing it as subject (:func:`_predicates`).
Date: a DATE expression hanging off the event in the parse, else the sentence's only
one, else a fallback. Fallbacks were compared on corpus_1 (``dct`` won, narrowly) and
checked on corpus_2; all are in the result. Ordinals rank the dates.

Baseline, same run: each sentence naming a target gives its root token as the event,
anchored to the article's DCT.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from spacy.tokens import Doc, Span, Token

from bench.timeline_score import (
    UNKNOWN_DATE,
    Article,
    Corpus,
    GraphConfig,
    Timeline,
    TimelineLine,
    evaluate,
    event_detection,
    load_corpus,
)
from storytrace.records import TimeExpression
from storytrace.stages.dates.timex import TimexConfig, find_time_expressions
from storytrace.stages.entities.extract import alias_key, initials, load_gazetteer

CORPORA = ("corpus_1", "corpus_2")
#: Wikinews is US English: "7/8/07" is July 8.
TIMEX = TimexConfig(day_first=False)
Fallback = Literal["dct", "tense", "none", "previous"]
Mention = tuple[str, Span]  # (target entity, span naming it)
_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "!", "?", ")", "%", "'s", "n't", "'"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_ARGUMENTS = _SUBJECTS | {"dobj", "dative", "attr", "oprd", "poss", "compound"}
_NAME_PARTS = frozenset({"compound", "appos", "conj", "flat", "nmod"})
#: Nouns that name events in business news; the suffixes catch most others.
_EVENT_NOUNS = frozenset(
    "bid cut cuts deal launch flight order sale purchase strike crash loss profit plan "
    "merger takeover bankruptcy contract agreement offer talks visit test tour layoff "
    "rollout debut bailout loan vote trial release recall".split()
)
_EVENT_SUFFIXES = ("tion", "sion", "ment", "ery", "ure", "sal", "val", "ing")
#: Possession and copula-like verbs: states the gold does not list as events.
_LIGHT_VERBS = frozenset({"have", "be", "base", "become", "include"})
_NOT_NOW = frozenset({"will", "would", "could", "should", "may", "might", "had", "'ll", "'d", "to"})
_PERFECT_NOW = frozenset({"has", "have", "was", "were", "is", "are"})
#: A form valid only when not part of a longer name ("Air Force", not "Royal Air Force").
_BARE = "bare:"
_AFTER_NAME = re.compile(r"(?<![\w.])(?!The )[A-Z][\w.]* $")
#: Anaphors followed back to a target, by kind of target.
_ANAPHORS = {
    "person": frozenset("he his she her".split()),
    "org": frozenset(
        "it its company firm manufacturer carrier airline automaker carmaker planemaker group "
        "union".split()
    ),
    "product": frozenset("it its aircraft plane jet airliner superjumbo".split()),
}


@dataclass(frozen=True, slots=True)
class SystemConfig:
    """Options of the timeline builder (defaults: the corpus_1 choice).

    Attributes:
        fallback (Fallback): date of an event with no time expression of its own:
            ``dct`` the article's date; ``tense`` the DCT for a simple past, present or
            present perfect verb, else unanchored; ``none`` unanchored (ordinal 0);
            ``previous`` the last date read earlier in the article, else the DCT.
        pronouns (bool): follow anaphors ("it", "he", "the company", "the aircraft")
            back to a target named just before.
        nominals (bool): count event nouns (sale, delivery) as well as verbs.
    """

    fallback: Fallback = "dct"
    pronouns: bool = True
    nominals: bool = True


@dataclass(frozen=True, slots=True)
class Event:
    """An event of a target entity, with its date and the layer that gave the date."""

    event_id: str
    order: tuple[str, int]  # (DCT, token index): document order across the corpus
    lemma: str
    date: str
    method: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article with its parse, each token's sentence number and its dated time
    expressions (span root, date in the task's format)."""

    article: Article
    doc: Doc
    numbers: tuple[int, ...]
    dates: tuple[tuple[Token, str], ...]


# --------------------------------------------------------------------------- parsing


def to_doc(article: Article, vocab: Any) -> Doc:
    """The article as an unparsed spaCy Doc on its own tokens and sentence breaks, so
    each spaCy token is one source token (no space before closing punctuation)."""
    words = [t for s in article.sentences for t in s.tokens]
    starts: list[bool | int | None] = [
        i == 0 for s in article.sentences for i in range(len(s.tokens))
    ]
    spaces = [i + 1 < len(words) and (bool(starts[i + 1]) or words[i + 1] not in _NO_SPACE_BEFORE)
              for i in range(len(words))]  # fmt: skip
    return Doc(vocab, words=words, spaces=spaces, sent_starts=starts)


def gold_date(expr: TimeExpression, dct: str) -> str | None:
    """A TIMEX value in the task's format (``2005-01-XX``), ``None`` if not a date."""
    value, span = expr.value, expr.interval
    if expr.type not in ("DATE", "TIME"):
        return None
    if value == "PRESENT_REF":
        return dct
    if re.fullmatch(r"\d{4}-\d\d-\d\d(?:T.*)?", value):
        return value[:10]
    if re.fullmatch(r"\d{4}(?:-\d\d)?", value):
        return (value + "-XX-XX")[:10]
    if span is None or span.earliest is None or span.latest is None:
        return None  # a week, quarter or season is written at the grain it fits in
    first, last = span.earliest, span.latest
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%Y-%m}-XX"
    return f"{first:%Y}-XX-XX" if first.year == last.year else None


def parse_corpus(corpus: Corpus, nlp: Any) -> list[Parsed]:
    """Parse every article (one ``nlp.pipe``) and date its time expressions.

    Args:
        corpus (Corpus): the corpus.
        nlp (spacy.language.Language): the pipeline of ``models.nlp``.

    Returns:
        list[Parsed]: one per article; the dateline's expression (sentence 1) is left
        out, it restates the DCT.
    """
    out = []
    for article, doc in zip(
        corpus.articles, nlp.pipe(to_doc(a, nlp.vocab) for a in corpus.articles), strict=True
    ):
        numbers = tuple(s.number for s in article.sentences for _ in s.tokens)
        dct = datetime.fromisoformat(article.dct).date() if article.dct != UNKNOWN_DATE else None
        dates = []
        for expr in find_time_expressions(doc.text, dct, TIMEX, article.doc_id):
            value = gold_date(expr, article.dct)
            span = doc.char_span(expr.start, expr.end, alignment_mode="expand")
            if value and span is not None and numbers[span.root.i] != 1:
                dates.append((span.root, value))
        out.append(Parsed(article, doc, numbers, tuple(dates)))
    return out


# --------------------------------------------------------------------------- entities


def _target_kinds(entities: Sequence[str], docs: Sequence[Doc]) -> dict[str, str]:
    """``person`` (the NER's majority label in the corpus), ``product`` (a model of
    another target: "Boeing 777") or ``org``, per target."""
    votes: dict[str, Counter[str]] = {e: Counter() for e in entities}
    for ent in (ent for doc in docs for ent in doc.ents):
        key = alias_key(ent.text, ent.label_)
        if key in votes:
            votes[key][ent.label_] += 1
    people = {e for e, v in votes.items() if v and v.most_common(1)[0][0] == "PERSON"}
    makers = {e for e in entities if any(e.startswith(m + " ") for m in entities)}
    return {e: "person" if e in people else "product" if e in makers else "org" for e in entities}


def target_forms(kinds: dict[str, str], texts: Sequence[str]) -> dict[str, str]:
    """Every surface form that names a target, mapped to the target.

    Forms: the name; it without spaces ("DaimlerChrysler"); its acronym (``initials``:
    UAW, USAF, GM) when an article prints it within 60 characters after the name (the
    "General Motors (GM)" introduction); a curated country prefix swapped for its
    abbreviations ("U.S. Air Force") or dropped ("Air Force", bare); a person's surname;
    a product's model after its maker ("A380", "787 Dreamliner", "Dreamliner").

    Args:
        kinds (dict[str, str]): target -> person, org or product.
        texts (Sequence[str]): the corpus's article texts.

    Returns:
        dict[str, str]: form -> target (bare forms prefixed ``bare:``); each target's
        own name maps to itself.
    """
    forms: dict[str, str] = {}
    for entity, kind in kinds.items():
        found = [entity.replace(" ", ""), *_country_forms(entity), *_model_forms(entity, kinds)]
        found += [a for a in initials(entity) if _introduced(entity, a, texts)]
        found += [entity.split()[-1]] if kind == "person" else []
        for form in found:
            forms.setdefault(form, entity)
    return forms | {e: e for e in kinds}


def _country_forms(entity: str) -> list[str]:
    """ "United States Air Force": "U.S. Air Force", "US Air Force", bare "Air Force"."""
    aliases = load_gazetteer()["aliases"]
    country = next((c for c in aliases if entity.startswith(c + " ")), None)
    if country is None:
        return []
    short = [
        entity.replace(country, f, 1) for f in aliases[country] if f.replace(".", "").isupper()
    ]
    return [*short, _BARE + entity[len(country) + 1 :]]


def _model_forms(entity: str, entities: Iterable[str]) -> list[str]:
    """A product's model after its maker: "787 Dreamliner", "787", "Dreamliner"."""
    maker = next((m for m in entities if entity.startswith(m + " ")), None)
    if maker is None:
        return []
    model = entity[len(maker) + 1 :]
    return [model, *(w for w in model.split() if len(w) > 2)]


def _introduced(name: str, acronym: str, texts: Sequence[str]) -> bool:
    pattern = re.compile(re.escape(name) + r".{0,60}?\b" + re.escape(acronym) + r"\b")
    return any(pattern.search(text) for text in texts)


def _form_pattern(forms: dict[str, str]) -> re.Pattern[str]:
    """One alternation over all forms, longest first, on word boundaries."""
    ordered = sorted((f.removeprefix(_BARE) for f in forms), key=len, reverse=True)
    return re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")


def _find_mentions(doc: Doc, forms: dict[str, str], pattern: re.Pattern[str]) -> list[Mention]:
    """Target mentions in a parsed article, leftmost-longest; a bare form counts only
    when no capitalised word but "The" precedes it."""
    out = []
    for match in pattern.finditer(doc.text):
        span, text = doc.char_span(*match.span(), alignment_mode="expand"), match.group(0)
        if span is not None and text in forms:
            out.append((forms[text], span))
        elif span is not None and not _AFTER_NAME.search(doc.text, 0, match.start()):
            out.append((forms[_BARE + text], span))
    return out


def _is_anaphor(tok: Token, kind: str) -> bool:
    """A pronoun, or a "the <noun>" description, that may stand for a target of a kind."""
    return tok.lower_ in _ANAPHORS[kind] and (
        tok.pos_ == "PRON" or any(c.lower_ == "the" for c in tok.children)
    )


def _resolve_anaphors(doc: Doc, mentions: list[Mention], kinds: dict[str, str]) -> list[Mention]:
    """Anaphors with an obvious antecedent, as one-token mentions: a subject or
    possessive anaphor of the right kind takes the latest subject of that kind in its
    sentence or the one before; a product anaphor ("the aircraft") the latest product
    named in any role in its sentence or the two before."""
    number = {s.start: n for n, s in enumerate(doc.sents)}
    named = sorted(((_argument(span), target) for target, span in mentions), key=lambda m: m[0].i)
    out = []
    for tok in (t for t in doc if t.dep_ in (*_SUBJECTS, "poss")):
        for antecedent, target in reversed([m for m in named if m[0].i < tok.i]):
            kind = kinds[target]
            gap = number[tok.sent.start] - number[antecedent.sent.start]
            near = gap <= (2 if kind == "product" else 1)
            if (
                near
                and (antecedent.dep_ in _SUBJECTS or kind == "product")
                and _is_anaphor(tok, kind)
            ):
                out.append((target, doc[tok.i : tok.i + 1]))
                break
    return out


# --------------------------------------------------------------------------- events


def _is_event(tok: Token, nominals: bool) -> bool:
    lemma = tok.lemma_.lower()
    if tok.pos_ == "VERB":
        return lemma not in _LIGHT_VERBS and "-" not in tok.text
    return (
        nominals
        and tok.pos_ == "NOUN"
        and (lemma in _EVENT_NOUNS or lemma.endswith(_EVENT_SUFFIXES))
    )


def _argument(span: Span) -> Token:
    """The token standing for a mention in its clause: its root, climbed through the
    proper nouns of a longer name and through apposition ("airline, Ryanair,")."""
    tok = span.root
    while tok.head.i != tok.i and (
        tok.dep_ == "appos" or (tok.dep_ in _NAME_PARTS and tok.head.pos_ == "PROPN")
    ):
        tok = tok.head
    return tok


def _predicates(span: Span, nominals: bool) -> list[Token]:
    """The events a mention is an argument of: subject or object of a verb, object of a
    preposition on one, owner of an event noun; and verbs sharing it as subject."""
    tok = _argument(span)
    if tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
        head = tok.head.head
    elif tok.dep_ in _ARGUMENTS:
        head = tok.head
    else:
        return []
    if not _is_event(head, nominals):
        return []
    shared = [c for c in head.children if c.dep_ in ("xcomp", "conj") and _is_event(c, False)
              and not any(g.dep_ in _SUBJECTS for g in c.children)]  # fmt: skip
    return [head, *shared] if head.pos_ == "VERB" and tok.dep_ in _SUBJECTS else [head]


def _attached(tok: Token, timex_root: Token) -> bool:
    """Whether a time expression hangs off the event before reaching another verb."""
    node = timex_root
    while node.head.i != node.i:
        node = node.head
        if node.i == tok.i:
            return True
        if node.pos_ == "VERB":
            return False
    return False


def _reported_now(tok: Token) -> bool:
    """Whether an event reads as happening at the article's date: a simple past,
    present or present perfect verb; not a future, modal, past perfect or noun."""
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if tok.pos_ != "VERB" or aux & _NOT_NOW:
        return False
    return tok.tag_ in ("VBD", "VBZ", "VBP") or (tok.tag_ == "VBN" and bool(aux & _PERFECT_NOW))


def _date_of(parsed: Parsed, tok: Token, config: SystemConfig) -> tuple[str, str]:
    """An event's date and the layer that gave it: an attached expression, the
    sentence's only one, else the configured fallback."""
    in_sentence = [(r, v) for r, v in parsed.dates if r.sent.start == tok.sent.start]
    attached = [v for r, v in in_sentence if _attached(tok, r)]
    if attached:
        return attached[0], "timex.attached"
    if len({v for _, v in in_sentence}) == 1:
        return in_sentence[0][1], "timex.sentence"
    earlier = [v for r, v in parsed.dates if r.i < tok.sent.start]
    if config.fallback == "previous" and earlier:
        return earlier[-1], "fallback.previous"
    if config.fallback == "none" or (config.fallback == "tense" and not _reported_now(tok)):
        return UNKNOWN_DATE, "fallback.none"
    return parsed.article.dct, "fallback.dct"


def _event_id(parsed: Parsed, tok: Token) -> str:
    """``<docid>-<sentence>-<token>``, as the task names events."""
    return f"{parsed.article.doc_id}-{parsed.numbers[tok.i]}-{tok.text}"


def _system_events(
    parsed: Parsed, mentions: list[Mention], config: SystemConfig
) -> Iterator[tuple[str, Event]]:
    """``(target, event)`` for every event a mention takes part in."""
    for target, span in mentions:
        for tok in _predicates(span, config.nominals):
            date, method = _date_of(parsed, tok, config)
            order = (parsed.article.dct, tok.i)
            yield target, Event(_event_id(parsed, tok), order, tok.lemma_.lower(), date, method)


def _baseline_events(parsed: Parsed, mentions: list[Mention]) -> Iterator[tuple[str, Event]]:
    """Baseline: the root of each sentence naming a target, dated to the DCT."""
    for target, span in mentions:
        root, dct = span.sent.root, parsed.article.dct
        if parsed.numbers[root.i] != 1:  # not the dateline
            yield (
                target,
                Event(
                    _event_id(parsed, root), (dct, root.i), _event_id(parsed, root), dct, "baseline"
                ),
            )


# --------------------------------------------------------------------------- timelines


def _date_key(value: str) -> tuple[int, ...]:
    """Sort key of a task date: unknown parts first ("2007-XX-XX" before "2007-02-28")."""
    return tuple(int(p) if p.isdigit() else 0 for p in [*value.split("-"), "XX", "XX"][:3])


def assemble(entity: str, events: Sequence[Event]) -> Timeline:
    """A timeline from dated events: one line per (date, lemma), the ordinals ranking
    the dates (a partial date before the days it contains, as the gold does), unanchored
    events alone on lines at ordinal 0."""
    lines: dict[tuple[str, str], list[str]] = {}
    for event in sorted(events, key=lambda e: e.order):
        key = (event.date, event.lemma if event.date != UNKNOWN_DATE else event.event_id)
        if event.event_id not in lines.setdefault(key, []):
            lines[key].append(event.event_id)
    rank = {
        d: i + 1
        for i, d in enumerate(sorted({d for d, _ in lines} - {UNKNOWN_DATE}, key=_date_key))
    }
    out = [TimelineLine(rank.get(d, 0), d, tuple(ids)) for (d, _), ids in lines.items()]
    return Timeline(entity, tuple(sorted(out, key=lambda line: line.ordinal)))


Finder = Callable[[Parsed, list[Mention]], Iterator[tuple[str, Event]]]


def build_timelines(
    corpus: Corpus, parsed: Sequence[Parsed], finder: Finder, anaphors: bool
) -> tuple[Timeline, ...]:
    """Run an event finder over every article; one timeline per target (maybe empty).

    Args:
        corpus (Corpus): the corpus (its entity list; the gold is not read).
        parsed (Sequence[Parsed]): its parsed articles.
        finder (Finder): ``(parsed, mentions) -> (target, event)`` pairs.
        anaphors (bool): add resolved anaphors to the named mentions.

    Returns:
        tuple[Timeline, ...]: in the order of the entity list.
    """
    kinds = _target_kinds(corpus.entities, [p.doc for p in parsed])
    forms = target_forms(kinds, [p.doc.text for p in parsed])
    pattern = _form_pattern(forms)
    events: dict[str, list[Event]] = {e: [] for e in corpus.entities}
    for item in parsed:
        mentions = _find_mentions(item.doc, forms, pattern)
        if anaphors:
            mentions += _resolve_anaphors(item.doc, mentions, kinds)
        for target, event in finder(item, mentions):
            events[target].append(event)
    return tuple(assemble(e, events[e]) for e in corpus.entities)


# --------------------------------------------------------------------------- the bench


#: Options compared in the run: fallbacks, and each layer switched off.
OPTIONS: dict[str, dict[str, Any]] = {
    **{f"fallback_{fb}": {"fallback": fb} for fb in ("dct", "tense", "none", "previous")},
    "no_anaphors": {"pronouns": False},
    "no_event_nouns": {"nominals": False},
}
#: The scorer's other readings of a timeline (see ``bench.timeline_score``).
VARIANTS = {
    "ordinal0_as_position": GraphConfig(order_unanchored=True),
    "all_pairs": GraphConfig(all_pairs=True),
}


def storytrace_timelines(
    corpora: Sequence[Corpus], parsed: Mapping[str, Sequence[Parsed]], config: SystemConfig
) -> dict[str, tuple[Timeline, ...]]:
    def finder(p: Parsed, m: list[Mention]) -> Iterator[tuple[str, Event]]:
        return _system_events(p, m, config)

    return {c.name: build_timelines(c, parsed[c.name], finder, config.pronouns) for c in corpora}


def run_timeline_bench(data_dir: Path, config: SystemConfig | None = None) -> dict[str, Any]:
    """Build and score track-A timelines on corpus_1 and corpus_2, with the baseline.

    Args:
        data_dir (Path): the ``semeval2015-task4-timeline`` folder.
        config (SystemConfig | None): the system's options; the corpus_1 choice if ``None``.

    Returns:
        dict: per system, per corpus and micro P/R/F1 (percent) and relation counts; the
        options compared, the scorer's other readings, diagnostics, gold vs gold, timing.
    """
    from storytrace.models.nlp import load_nlp  # heavy: only when the bench runs

    cfg = config or SystemConfig()
    corpora = [load_corpus(data_dir / name) for name in CORPORA]
    started = time.perf_counter()
    nlp = load_nlp()
    parsed = {c.name: parse_corpus(c, nlp) for c in corpora}
    systems = {"storytrace": storytrace_timelines(corpora, parsed, cfg)}
    elapsed = time.perf_counter() - started
    systems["baseline_dct"] = {
        c.name: build_timelines(c, parsed[c.name], _baseline_events, False) for c in corpora
    }
    options = {
        k: storytrace_timelines(corpora, parsed, replace(cfg, **v)) for k, v in OPTIONS.items()
    }
    return {n: evaluate(corpora, t, GraphConfig()) for n, t in systems.items()} | {
        "config": asdict(cfg) | {"tuned_on": "corpus_1", "checked_on": "corpus_2"},
        "options": {k: evaluate(corpora, t, GraphConfig()) for k, t in options.items()},
        "scorer_variants": {
            k: {n: evaluate(corpora, t, g) for n, t in systems.items()} for k, g in VARIANTS.items()
        },
        "events": {
            n: {c.name: event_detection(c, t[c.name]) for c in corpora} for n, t in systems.items()
        },
        "gold_vs_gold": evaluate(corpora, {c.name: c.gold for c in corpora}, GraphConfig()),
        "anchor": {"best_track_a_f1_2015": 7.85, "source": "Minard et al., SemEval-2015 Task 4"},
        "seconds": {"parse_and_build": round(elapsed, 1)},
        "articles": sum(len(c.articles) for c in corpora),
    }
