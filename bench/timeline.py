"""Cross-document timeline bench on SemEval-2015 Task 4 (TimeLine), track A.

It scores the product's own timeline: the ``timeline.timex.v3`` corpus stage
(``stages.lineage.timeline``) as ``storytrace analyze`` runs it. Each corpus's 30
articles are written as one JSONL file (``id``, ``text``: the title, the dateline and
the body rebuilt from the track-A tokens, ``published``: the DCT) and analysed in one
run with the default configuration; the dossier's ``TimelineEntry`` records are then
mapped to the task's format as faithfully as they allow:

* **Which target.** A record says which sentence of which article states a dated
  event, not who takes part in it. An entry goes on a target's timeline when its
  sentence names the target (its forms: :func:`target_forms`, no anaphors), the
  same finder the baseline uses.
* **Which event.** A record carries the sentence and the time expression, not an
  event word. The event is the verb the time expression hangs off in the parse
  (spaCy, ``models.nlp``, on the task's own tokens), else the sentence's root
  (``event="root"`` always takes the root; both are reported). An entry placed by a
  publication date (a story's main event, a statement that prints no date: no time
  expression) is its sentence's root.
* **Which date.** The entry's TIMEX3 value in the task's format (:func:`task_date`:
  a week or quarter at the grain it fits in, ``XXXX-XX-XX`` when it fits none). An
  inferred bound ending at a publication day -- a statement that prints no date
  (``../2005-01-18``) or a main event (``2005-01-17/2005-01-18``) -- is that day: the
  task's annotators date an event no text dates at its article's creation time.
* **Lines.** An entry is one line (its sources state one event); ordinals rank the
  dates, a partial date before the days it contains, as the gold does. An event
  stated by two entries keeps the first whose date hangs on it.

Statements the stage does not place (a future, the past perfect, a present state, a
title the cleaner moved to the metadata) are not here either: recall is bounded by what
the stage places. ``corpus_1`` (airbus) is
the development corpus, ``corpus_2`` (gm) the check; ``corpus_3`` is held out and
never read. The gold timelines are read only to score (``bench.timeline_score``).

Baseline, same run: each sentence naming a target gives its root token as the event,
anchored to the article's DCT.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
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
from storytrace.records import DateValue, Dossier, TimelineEntry
from storytrace.stages.entities.extract import alias_key, load_gazetteer
from storytrace.stages.entities.merge import initials
from storytrace.stages.lineage.timeline import PUBLISHED_METHOD, REPORTED_METHOD

CORPORA = ("corpus_1", "corpus_2")
EventChoice = Literal["head", "root"]
Mention = tuple[str, Span]  # (target entity, span naming it)
_NO_SPACE_BEFORE = frozenset({",", ".", ":", ";", "!", "?", ")", "%", "'s", "n't", "'"})
#: A form valid only when not part of a longer name ("Air Force", not "Royal Air Force").
_BARE = "bare:"
_AFTER_NAME = re.compile(r"(?<![\w.])(?!The )[A-Z][\w.]* $")
#: How far ahead a token is looked for when aligning the product's text to the tokens.
_ALIGN_WINDOW = 80


@dataclass(frozen=True, slots=True)
class Event:
    """An event of a target entity, with its date and what gave the date."""

    event_id: str
    order: tuple[str, int]  # (DCT, token index): document order across the corpus
    lemma: str  # events of one line share it
    date: str
    method: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """An article with its parse and each token's sentence number."""

    article: Article
    doc: Doc
    numbers: tuple[int, ...]


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


def parse_corpus(corpus: Corpus, nlp: Any) -> list[Parsed]:
    """Parse every article on its own tokens (one ``nlp.pipe``).

    Args:
        corpus (Corpus): the corpus.
        nlp (spacy.language.Language): the pipeline of ``models.nlp``.

    Returns:
        list[Parsed]: one per article.
    """
    docs = nlp.pipe(to_doc(a, nlp.vocab) for a in corpus.articles)
    return [
        Parsed(a, doc, tuple(s.number for s in a.sentences for _ in s.tokens))
        for a, doc in zip(corpus.articles, docs, strict=True)
    ]


def article_text(article: Article) -> str:
    """The article as a reader would get it: title line, dateline line, body paragraph."""
    lines = [_join(s.tokens) for s in article.sentences[:2]]
    body = " ".join(_join(s.tokens) for s in article.sentences[2:])
    return "\n".join([*lines, body]) + "\n"


def _join(tokens: Sequence[str]) -> str:
    out = ""
    for i, token in enumerate(tokens):
        out += ("" if i == 0 or token in _NO_SPACE_BEFORE else " ") + token
    return out


def align(sentences: Sequence[Sequence[str]], text: str) -> list[tuple[int, int] | None]:
    """Each token's span in ``text`` (the product's cleaned text), sentence by sentence.

    A sentence is looked for whole after the previous one found; one the cleaner
    changed is matched token by token before the next sentence found whole, and kept
    only if most of its tokens are found
    (a title or dateline the cleaner moved to the metadata is not, so its words are
    not matched to the body's). ``None`` for a token not found.
    """
    out: list[tuple[int, int] | None] = []
    cursor = 0
    for i, tokens in enumerate(sentences):
        joined, offsets = _join(tokens), _offsets(tokens)
        at = text.find(joined, cursor)
        if at >= 0:
            out += [(at + start, at + end) for start, end in offsets]
            cursor = at + len(joined)
            continue
        stop = cursor + len(joined) + _ALIGN_WINDOW
        # a title or dateline the cleaner moved away is not matched in the lead
        stop = min([stop, *_found_after(sentences[i + 1 : i + 4], text, cursor)])
        spans, end = _token_spans(tokens, text, cursor, stop)
        if 2 * sum(span is not None for span in spans) > len(tokens):
            out += spans
            cursor = end
        else:
            out += [None] * len(tokens)
    return out


def _found_after(sentences: Sequence[Sequence[str]], text: str, cursor: int) -> list[int]:
    """Where the first of ``sentences`` found whole after ``cursor`` starts (or nothing)."""
    for tokens in sentences:
        at = text.find(_join(tokens), cursor)
        if at >= 0:
            return [at]
    return []


def _offsets(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Each token's span in :func:`_join` of the tokens."""
    out, at = [], 0
    for i, token in enumerate(tokens):
        at += 0 if i == 0 or token in _NO_SPACE_BEFORE else 1
        out.append((at, at + len(token)))
        at += len(token)
    return out


def _token_spans(
    tokens: Sequence[str], text: str, start: int, stop: int
) -> tuple[list[tuple[int, int] | None], int]:
    """Tokens found one after another in ``text[start:stop]``, and where the last ended."""
    out: list[tuple[int, int] | None] = []
    cursor = start
    for token in tokens:
        at = text.find(token, cursor, stop)
        out.append(None if at < 0 else (at, at + len(token)))
        cursor = cursor if at < 0 else at + len(token)
    return out, cursor


def task_date(value: str, when: DateValue) -> str:
    """A TIMEX3 value in the task's format (``2005-01-XX``); ``XXXX-XX-XX`` when no
    grain of the task holds it (a decade, a span across years)."""
    if re.fullmatch(r"\d{4}-\d\d-\d\d(?:T.*)?", value):
        return value[:10]
    bound = re.fullmatch(r"(?:\.\.|\d{4}-\d\d-\d\d)/(\d{4}-\d\d-\d\d)", value)
    if bound and when.inferred:  # on or before a publication: the task dates it at the DCT
        return bound[1]
    if re.fullmatch(r"\d{4}(?:-\d\d)?", value):
        return (value + "-XX-XX")[:10]
    first, last = when.earliest, when.latest
    if first is None or last is None:
        return UNKNOWN_DATE
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%Y-%m}-XX"
    return f"{first:%Y}-XX-XX" if first.year == last.year else UNKNOWN_DATE


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


# --------------------------------------------------------------------------- the product's timeline


def run_product(corpus: Corpus, workdir: Path) -> Dossier:
    """``storytrace analyze`` over the corpus as one JSONL file, default configuration.

    Args:
        corpus (Corpus): the corpus (articles only; the gold is not read).
        workdir (Path): where the JSONL file is written.

    Returns:
        Dossier: the run's dossier (documents, stories, timeline ...).
    """
    from storytrace import api

    path = workdir / f"{corpus.name}.jsonl"
    rows = [
        {"id": a.doc_id, "text": article_text(a), "published": a.dct}
        for a in corpus.articles
        if a.dct != UNKNOWN_DATE
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return api.analyze([path])


@dataclass(frozen=True, slots=True)
class _Aligned:
    """One article: its parse and, per product document offset, the parse's token."""

    parsed: Parsed
    token_at: dict[int, int]  # product text offset (each char of a token) -> token index


def _aligned(parsed: Parsed, text: str) -> _Aligned:
    spans = align([s.tokens for s in parsed.article.sentences], text)
    token_at = {
        offset: i for i, span in enumerate(spans) if span for offset in range(span[0], span[1])
    }
    return _Aligned(parsed, token_at)


def _tokens(item: _Aligned, start: int, end: int) -> list[Token]:
    """The parse's tokens under ``[start, end)`` of the product's text."""
    found = sorted({item.token_at[o] for o in range(start, end) if o in item.token_at})
    return [item.parsed.doc[i] for i in found]


def _event_token(timex: list[Token], choice: EventChoice) -> tuple[Token, str]:
    """The event a date is of: the verb the time expression hangs off, else the root."""
    root = timex[0].sent.root
    if choice == "head":
        inside = {t.i for t in timex}
        head = min(timex, key=lambda t: len(list(t.ancestors))).head
        while head.i not in inside and head.pos_ not in ("VERB", "AUX") and head.head.i != head.i:
            head = head.head
        if head.i not in inside and head.pos_ in ("VERB", "AUX"):
            return head, "head"
    return root, "root"


def _event_id(parsed: Parsed, tok: Token) -> str:
    """``<docid>-<sentence>-<token>``, as the task names events."""
    return f"{parsed.article.doc_id}-{parsed.numbers[tok.i]}-{tok.text}"


def entry_events(
    entries: Sequence[TimelineEntry],
    articles: Mapping[str, _Aligned],
    mentions: Mapping[str, list[Mention]],
    choice: EventChoice,
) -> dict[str, list[Event]]:
    """The events of each target, from the product's timeline entries.

    Args:
        entries (Sequence[TimelineEntry]): the dossier's timeline.
        articles (Mapping[str, _Aligned]): product doc id -> aligned article.
        mentions (Mapping[str, list[Mention]]): task doc id -> named target mentions.
        choice (EventChoice): which token stands for an entry's event.

    Returns:
        dict[str, list[Event]]: target -> events; one entry's events share a lemma
        (``entry<n>``), so they go on one line.
    """
    out: dict[str, list[Event]] = {}
    taken: dict[tuple[str, str], str] = {}  # (target, event id) -> how it was chosen
    for number, entry in enumerate(entries):
        date = task_date(entry.value, entry.when)
        for source in entry.sources:
            item = articles.get(source.sentence.doc_id)
            if item is None:
                continue
            timex = _tokens(item, source.timex.start, source.timex.end)
            sentence = _tokens(item, source.sentence.start, source.sentence.end)
            if not sentence or not (timex or source.timex.start == source.timex.end):
                continue
            # a main event placed by publication prints no date: its sentence's root
            # (its middle token's sentence: the text's first words may align to a title)
            root = sentence[len(sentence) // 2].sent.root
            tok, how = _event_token(timex, choice) if timex else (root, "root")
            first, last = sentence[0].i, sentence[-1].i
            doc_id = item.parsed.article.doc_id
            for target in sorted(
                {t for t, span in mentions[doc_id] if first <= span.start <= last}
            ):
                key = (target, _event_id(item.parsed, tok))
                if key in taken and not (taken[key] == "root" and how == "head"):
                    continue
                if key in taken:  # a date hanging on the event beats one on its sentence
                    out[target] = [e for e in out[target] if e.event_id != key[1]]
                taken[key] = how
                event = Event(key[1], (item.parsed.article.dct, tok.i), f"entry{number}", date, how)
                out.setdefault(target, []).append(event)
    return out


def product_timelines(
    corpus: Corpus, parsed: Sequence[Parsed], dossier: Dossier, choice: EventChoice
) -> tuple[Timeline, ...]:
    """The product's timeline of one corpus as the task's timelines, one per target."""
    by_task_id = {p.article.doc_id: p for p in parsed}
    articles = {
        d.doc_id: _aligned(by_task_id[d.source.name], d.text)
        for d in dossier.documents
        if d.source.name in by_task_id
    }
    kinds = _target_kinds(corpus.entities, [p.doc for p in parsed])
    forms = target_forms(kinds, [p.doc.text for p in parsed])
    pattern = _form_pattern(forms)
    mentions = {p.article.doc_id: _find_mentions(p.doc, forms, pattern) for p in parsed}
    events = entry_events(dossier.timeline, articles, mentions, choice)
    return tuple(assemble(e, events.get(e, [])) for e in corpus.entities)


# --------------------------------------------------------------------------- the baseline


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
    corpus: Corpus, parsed: Sequence[Parsed], finder: Finder
) -> tuple[Timeline, ...]:
    """Run an event finder over every article; one timeline per target (maybe empty).

    Args:
        corpus (Corpus): the corpus (its entity list; the gold is not read).
        parsed (Sequence[Parsed]): its parsed articles.
        finder (Finder): ``(parsed, mentions) -> (target, event)`` pairs.

    Returns:
        tuple[Timeline, ...]: in the order of the entity list.
    """
    kinds = _target_kinds(corpus.entities, [p.doc for p in parsed])
    forms = target_forms(kinds, [p.doc.text for p in parsed])
    pattern = _form_pattern(forms)
    events: dict[str, list[Event]] = {e: [] for e in corpus.entities}
    for item in parsed:
        for target, event in finder(item, _find_mentions(item.doc, forms, pattern)):
            events[target].append(event)
    return tuple(assemble(e, events[e]) for e in corpus.entities)


# --------------------------------------------------------------------------- the bench


#: The product's timeline, mapped with each event choice (``head`` chosen on corpus_1).
CHOICES: dict[str, EventChoice] = {"storytrace": "head", "storytrace_event_root": "root"}
#: The same run's timeline without some entries (a filter: they are independent).
FILTERS = {
    "storytrace_no_main_event": (PUBLISHED_METHOD,),
    "storytrace_dated_only": (PUBLISHED_METHOD, REPORTED_METHOD),
}
#: The scorer's other readings of a timeline (see ``bench.timeline_score``).
VARIANTS = {
    "ordinal0_as_position": GraphConfig(order_unanchored=True),
    "all_pairs": GraphConfig(all_pairs=True),
}


def _without(dossier: Dossier, *methods: str) -> Dossier:
    """The dossier without the entries of ``methods`` (placed by publication dates alone)."""
    kept = tuple(e for e in dossier.timeline if e.method not in methods)
    return replace(dossier, timeline=kept)


def _stage_counts(dossier: Dossier) -> dict[str, int]:
    """What the product's run gave: documents, stories, timeline entries and sources."""
    return {
        "documents": len(dossier.documents),
        "stories": len(dossier.stories),
        "timeline_entries": len(dossier.timeline),
        "main_event_entries": sum(e.method == PUBLISHED_METHOD for e in dossier.timeline),
        "reported_entries": sum(e.method == REPORTED_METHOD for e in dossier.timeline),
        "entry_sources": sum(len(e.sources) for e in dossier.timeline),
    }


def run_timeline_bench(data_dir: Path) -> dict[str, Any]:
    """Score the product's timeline stage on corpus_1 (dev) and corpus_2 (check), with
    the DCT baseline in the same run.

    Args:
        data_dir (Path): the ``semeval2015-task4-timeline`` folder.

    Returns:
        dict: per system, per corpus and micro P/R/F1 (percent) and relation counts; the
        other event choice, the scorer's other readings, event diagnostics, gold vs gold,
        what the product's run produced, timing.
    """
    from storytrace.models.nlp import load_nlp  # heavy: only when the bench runs

    corpora = [load_corpus(data_dir / name) for name in CORPORA]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        dossiers = {c.name: run_product(c, Path(tmp)) for c in corpora}
    analyze_s = time.perf_counter() - started
    nlp = load_nlp()
    parsed = {c.name: parse_corpus(c, nlp) for c in corpora}
    systems = {
        name: {
            c.name: product_timelines(c, parsed[c.name], dossiers[c.name], choice) for c in corpora
        }
        for name, choice in CHOICES.items()
    }
    # the main-event entries are independent of the others: leaving them out is a filter
    for name, methods in FILTERS.items():
        kept = {c.name: _without(dossiers[c.name], *methods) for c in corpora}
        systems[name] = {
            c.name: product_timelines(c, parsed[c.name], kept[c.name], "head") for c in corpora
        }
    systems["baseline_dct"] = {
        c.name: build_timelines(c, parsed[c.name], _baseline_events) for c in corpora
    }
    result = {n: evaluate(corpora, t, GraphConfig()) for n, t in systems.items()} | {
        "mapping": {"event": "head (the verb the date hangs off, else the root)",
                    "chosen_on": "corpus_1", "checked_on": "corpus_2",
                    "stage": "timeline.timex.v3"},
        "product_run": {c.name: _stage_counts(dossiers[c.name]) for c in corpora},
        "scorer_variants": {
            k: {n: evaluate(corpora, t, g) for n, t in systems.items()} for k, g in VARIANTS.items()
        },
        "events": {
            n: {c.name: event_detection(c, t[c.name]) for c in corpora} for n, t in systems.items()
        },
        "gold_vs_gold": evaluate(corpora, {c.name: c.gold for c in corpora}, GraphConfig()),
        "anchor": {"best_track_a_f1_2015": 7.85, "source": "Minard et al., SemEval-2015 Task 4"},
        "seconds": {"analyze": round(analyze_s, 1)},
        "articles": sum(len(c.articles) for c in corpora),
    }  # fmt: skip
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    for name in ("storytrace", "storytrace_event_root", *FILTERS, "baseline_dct"):
        for split in (*CORPORA, "micro"):
            row = result[name][split]
            print(
                f"{name:<22} {split:<9} P {row['p']:6.2f}  R {row['r']:6.2f}  F1 {row['f1']:6.2f}"
            )
    print("product run:", result["product_run"])
    print("events:", result["events"]["storytrace"])
