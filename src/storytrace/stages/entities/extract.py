"""Entity mentions of a parsed text, each keyed by its alias key.

spaCy's NER finds people, organisations and places; an entity ruler built from
``resources/gazetteer.json`` adds what a news model misses or gets wrong: weapon
names (``<Name> <number>`` followed by a missile word, so "Jamal 69 ballistic
missiles" is a WEAPON and not a PERSON), military units and news outlets.

Each mention gets a key (:func:`alias_key`): the curated canonical name
(``Tehran`` -> Iran; capitals only when tagged as places, and not right after
"<Place>, "), "the regime" -> the document's dominant country, an outlet's whole
name (``the Times of London`` / ``UK Times`` -> The Times; never by a shared word).
Keys are then merged into entities by :mod:`storytrace.stages.entities.merge`.

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from storytrace.records import EntityMention
from storytrace.stages.entities.names import (
    state_name,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span
    from spacy.vocab import Vocab

#: Entity labels kept (NORP, dates and numbers are not entities of a dossier).
KEPT_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "FAC", "WEAPON", "MILITARY_UNIT", "OUTLET", "PRODUCT"}
)
#: Labels set by the ruler, trusted over the statistical NER when a cluster disagrees.
RULE_LABELS = ("WEAPON", "MILITARY_UNIT", "OUTLET")
STOP_WORDS = frozenset("the of and for in on at a an to".split())
_APOS = re.compile(r"[’']s?$")
SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class EntityConfig:
    """Options of the entity stage.

    Attributes:
        batch_size (int): documents per ``nlp.pipe`` batch.
        min_acronym (int): shortest acronym merged with a derived long form.
    """

    batch_size: int = 16
    min_acronym: int = 2


# --------------------------------------------------------------------------- resources


@cache
def load_gazetteer() -> dict[str, Any]:
    """The curated gazetteer shipped in ``storytrace/resources/gazetteer.json``.

    Returns:
        dict: ``outlets``, ``outlet_words``, ``patterns``, ``aliases``, ``alias_labels``,
        ``metonyms`` and ``gov_words``.
    """
    raw = resources.files("storytrace.resources").joinpath("gazetteer.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


@cache
def entity_pipeline() -> Language:
    """The shared spaCy pipeline with the gazetteer's entity ruler after the NER.

    Returns:
        Language: the pipeline both the entity and the quote stages parse with, so
        both see the same entities (a WEAPON never becomes a speaker).
    """
    from storytrace.models.nlp import load_nlp  # heavy: loaded only when a stage runs

    nlp = load_nlp()
    if "storytrace_ruler" not in nlp.pipe_names:
        ruler = nlp.add_pipe(
            "entity_ruler", name="storytrace_ruler", after="ner", config={"overwrite_ents": True}
        )
        patterns = flag_sets(_ruler_patterns(load_gazetteer()), nlp.vocab)
        ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


#: Token attributes of the lexeme (not of the token in context) whose ``IN`` sets
#: :func:`flag_sets` turns into lexeme flags, with the string each compares.
_LEXEME_SETS: dict[str, Callable[[str], str]] = {
    "LOWER": str.lower,  # English lexemes' LOWER is ``str.lower`` of the word
    "TEXT": str,
    "ORTH": str,
}
#: Flag bits spaCy leaves to applications (19-63; 1-18 are IS_ALPHA ... IS_CURRENCY).
_FREE_FLAGS = range(19, 64)


def flag_sets(patterns: list[dict[str, Any]], vocab: Vocab) -> list[dict[str, Any]]:
    """Ruler patterns whose word-set tests are lexeme flags, which match the same tokens.

    spaCy's ``Matcher`` checks ``{"LOWER": {"IN": [...]}}`` through a Python
    predicate, and checks the predicates of every pattern's first token at every
    token of the text: 11 sets of the gazetteer, 11.7 M Python calls on the 581
    benchmark pages, most of the entity ruler's time. A set of words is a
    property of the word (the lexeme), so each set becomes a flag bit of the
    vocabulary (``Vocab.add_flag``), which the matcher tests in C: the ruler
    ran in 0.86 s instead of 1.63 s on 194 parsed pages, with the same entities.
    A set left without a free flag bit stays a predicate.

    Args:
        patterns (list[dict]): entity-ruler patterns (phrase patterns pass unchanged).
        vocab (Vocab): the pipeline's vocabulary, which gets one flag per distinct set.

    Returns:
        list[dict]: the patterns, with flag tests in place of their word sets.
    """
    flags: dict[tuple[str, frozenset[str]], int | None] = {}

    def flag_of(attr: str, words: frozenset[str]) -> int | None:
        if (attr, words) not in flags:
            form = _LEXEME_SETS[attr]
            taken = vocab.lex_attr_getters  # type: ignore[attr-defined]  # (untyped in spaCy)
            free = next((b for b in _FREE_FLAGS if b not in taken), None)
            flags[(attr, words)] = (
                None
                if free is None
                else vocab.add_flag(lambda word: form(word) in words, flag_id=free)
            )
        return flags[(attr, words)]

    def spec_of(spec: dict[Any, Any]) -> dict[Any, Any]:
        out = dict(spec)
        for attr in _LEXEME_SETS:
            value = spec.get(attr)
            if isinstance(value, dict) and set(value) == {"IN"}:
                flag = flag_of(attr, frozenset(value["IN"]))
                if flag is not None:
                    del out[attr]
                    out[flag] = True
        return out

    return [
        {**p, "pattern": [spec_of(spec) for spec in p["pattern"]]}
        if isinstance(p["pattern"], list)
        else p
        for p in patterns
    ]


def _ruler_patterns(gaz: dict[str, Any]) -> list[dict[str, Any]]:
    """Token patterns, outlet names and alias forms as ruler patterns."""
    patterns: list[dict[str, Any]] = [dict(p) for p in gaz["patterns"]]
    for name in gaz["outlets"]:
        patterns.append({"label": "OUTLET", "pattern": name, "id": "outlet.name"})
    for canonical, forms in gaz["aliases"].items():
        label = gaz["alias_labels"].get(canonical, "ORG")
        for form in {canonical, *forms}:
            if " " in form or label in RULE_LABELS:
                patterns.append({"label": label, "pattern": form, "id": "alias.form"})
    for form in gaz["gov_words"]:
        patterns.append({"label": "GPE", "pattern": form, "id": "gov_word"})
    return patterns


@lru_cache(maxsize=4096)
def outlet_name(text: str) -> str | None:
    """The canonical news outlet named in a phrase, if any.

    ``"the Saudi-owned Al Arabiya"`` -> ``Al Arabiya``; ``"the British Times
    newspaper"`` -> ``The Times``; ``"US media"`` -> ``US media``.

    Args:
        text (str): a phrase, e.g. the addressee of ``told``.

    Returns:
        str | None: the outlet's canonical name, or ``None`` when it names none.
    """
    gaz = load_gazetteer()
    flat = SPACES.sub(" ", text).strip()
    for canonical, forms in _outlet_aliases(gaz):
        if any(_contains(flat, form) for form in forms):
            return str(canonical)
    for name in sorted(gaz["outlets"] + gaz["outlets_addressee_only"], key=len, reverse=True):
        if _contains(flat, name):
            return str(name.removeprefix("The ").removeprefix("the "))
    found = _outlet_regex().search(flat)
    return found.group(0).removeprefix("The ") if found else None


def _outlet_aliases(gaz: dict[str, Any]) -> list[tuple[str, list[str]]]:
    labels = gaz["alias_labels"]
    return [
        (c, sorted({c, *f}, key=len, reverse=True))
        for c, f in gaz["aliases"].items()
        if labels.get(c) == "OUTLET"
    ]


def _contains(text: str, name: str) -> bool:
    """The name stands in the text as a whole name, not as the tail or head of a longer one:
    "Times" is in "the Times" but not in "the Hindustan Times" or "Times of Israel"."""
    for found in _name_pattern(name).finditer(text):
        before = text[: found.start()].split()
        if before and _NAME_WORD.match(before[-1]) and before[-1].lower() not in _NOT_A_NAME:
            continue  # "Hindustan Times": a longer name ending in this one
        if _LONGER_AFTER.match(text, found.end()):
            continue  # "Times of Israel": a longer name starting with this one
        return True
    return False


#: A capitalised word that continues a name ("Hindustan"), not an adjective ("Saudi-owned").
_NAME_WORD = re.compile(r"^[A-Z][\w'’&.]*$")
#: Words before an outlet's name that describe it rather than belong to it ("Israeli Channel 12").
_NOT_A_NAME = frozenset(
    "the a an israeli british american saudi iranian iraqi french german russian chinese uk us "
    "u.s. qatari emirati turkish lebanese syrian egyptian indian pakistani italian spanish "
    "japanese korean australian canadian kurdish arab palestinian jordanian yemeni state "
    "local national regional".split()
)
#: A name going on after a match: "<name> of Israel", "<name> Magazine".
_LONGER_AFTER = re.compile(r"\s+(?:of\s+)?[A-Z]")


@lru_cache(maxsize=1024)
def _name_pattern(name: str) -> re.Pattern[str]:
    # Compiled once per gazetteer name: escaping and the re module's cache lookup
    # cost more than the search when every ORG entity is tested against ~100 names.
    return re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])")


@cache
def _outlet_regex() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in load_gazetteer()["outlet_words"] if w[0].isupper())
    # a capitalised run ending in an outlet word ("Anchorage Daily News") or going on
    # with "of <Place>" ("Times of India": the whole name, never just "Times"), not
    # followed by more capitals ("Press Secretary"), or "<Adj> media"
    return re.compile(
        rf"(?<![\w-])(?:[A-Z][\w.&'-]*\s)*(?:{words})\b(?:\sof\s[A-Z][\w.&'-]*)?(?![\s-][A-Z])"
        rf"|\b[A-Z][\w.]*\smedia\b"
    )


# --------------------------------------------------------------------------- extraction


def mentions_of_doc(doc_id: str, sdoc: SpacyDoc) -> list[EntityMention]:
    """The kept entity mentions of one parsed text, keyed provisionally by surface.

    Args:
        doc_id (str): the document.
        sdoc (spacy.tokens.Doc): the parsed text.

    Returns:
        list[EntityMention]: mentions; ``entity_id`` holds the alias key until merged.
    """
    out: list[EntityMention] = []
    dominant = dominant_country(sdoc)
    surnames = {e[-1].text for e in sdoc.ents if e.label_ == "PERSON" and len(e) > 1}
    for ent in sdoc.ents:
        label = ent.label_
        if label not in KEPT_LABELS:
            continue
        method = f"entities.ruler.{ent.ent_id_}" if ent.ent_id_ else NER_METHOD
        if not ent.ent_id_ and len(ent) > 1 and _in_title_line(sdoc.text, ent.start_char):
            method = TITLE_LINE
        if label == "ORG" and outlet_name(ent.text) is not None and not ent.ent_id_:
            label, method = "OUTLET", f"{NER_METHOD}+outlet"
        span = _name_span(ent, label)
        if span is None:
            continue
        for start, end, own in _parts(span.text, span.start_char, surnames):
            text = sdoc.text[start:end]
            if ent.ent_id_ == "gov_word":
                key = dominant  # "the regime": the country the article is about
            else:
                key = _place_key(sdoc.text, start, end, own or label)
            if key:
                out.append(EntityMention(doc_id, start, end, text, own or label, key, method))
    found = _nicknamed(doc_id, sdoc.text, out + _surname_mentions(doc_id, sdoc))
    return found + _untagged_runs(doc_id, sdoc, found)


def _name_span(ent: Span, label: str) -> Span | None:
    """The span an entity names: the NER's trimmed (:func:`trimmed`), the ruler's as
    matched, a curated outlet's short name with a longer name printed around it
    (:func:`whole_outlet`)."""
    if not ent.ent_id_:
        return trimmed(ent)
    if label == "OUTLET" and ent.ent_id_ == "alias.form":
        return whole_outlet(ent)  # "the LA Times" is not The Times
    return ent


def whole_outlet(span: Span) -> Span:
    """An outlet's short name the ruler found ("Times") with the capitalised words
    printed before it that make a longer name ("LA Times", "Hindustan Times"): that
    longer name is another outlet, never the one of the short name. Words that
    describe an outlet ("the British Times") and a sentence's first word stay out.

    Args:
        span (spacy.tokens.Span): a ruler match of a curated outlet form.

    Returns:
        Span: the span, widened to the longer name when one is printed.
    """
    sdoc, start = span.doc, span.start
    if span[0].lower_ == "the":
        return span
    while start > 0:
        word = sdoc[start - 1]
        if not _NAME_WORD.match(word.text) or word.text.lower() in _NOT_A_NAME:
            break
        if word.is_sent_start and not word.is_upper:
            break
        start -= 1
    return sdoc[start : span.end]


#: The method of a span the statistical NER tagged.
NER_METHOD = "entities.ner.v1"
#: The labels of places: a first name the NER also tags as one ("Austin", "Jordan").
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})

#: The method of an NER span of several words on a title-case line ("Colts Beat
#: Chiefs", "Lindsay Lohan Checks Into Rehab"): the NER runs names into the words
#: around them there, and the merge splits such a span into the names it holds.
TITLE_LINE = "entities.ner.title.v1"
_LINE_WORD = re.compile(r"[A-Za-z][\w'’-]*")


def _in_title_line(text: str, start: int) -> bool:
    """Whether the line holding ``start`` is set in title case: four words or more,
    and most words of four letters or more capitalised."""
    line = text[text.rfind("\n", 0, start) + 1 : (text.find("\n", start) + 1 or len(text) + 1) - 1]
    words = _LINE_WORD.findall(line)
    long = [w for w in words if len(w) >= 4]
    return (
        len(words) >= 4 and len(long) >= 2 and sum(w[0].isupper() for w in long) >= 0.8 * len(long)
    )


#: The method of a capitalised run the NER left untagged: a candidate that
#: :func:`merge_mentions` keeps only where the corpus names it elsewhere.
UNTAGGED = "entities.untagged.v1"
#: The method of such a run (or a part of it) kept as a mention.
PROPAGATED = "entities.propagated.v1"


def _untagged_runs(
    doc_id: str, sdoc: SpacyDoc, found: Sequence[EntityMention]
) -> list[EntityMention]:
    """Runs of capitalised words that are not one mention already ("Rite Aid", "NYPD"
    where the NER tagged neither; "The Hollywood Reporter" where it tagged only
    "Hollywood"), as candidates (label ``""``, method :data:`UNTAGGED`): the NER tags
    a name in one article and misses it, or a part of it, in the next, and the merge
    keeps a candidate only where a tagged mention names it (:func:`propagated`)."""
    taken = {(m.start, m.end) for m in found}
    rows = sdoc.to_array(["IS_TITLE", "IS_UPPER", "IS_ALPHA"]).tolist()
    out: list[EntityMention] = []
    i = 0
    while i < len(rows):
        j = i
        while j < len(rows) and (rows[j][0] or rows[j][1]) and rows[j][2]:
            j += 1
        if j > i:
            start, end = sdoc[i].idx, sdoc[j - 1].idx + len(sdoc[j - 1])
            if (start, end) not in taken:
                text = sdoc.text[start:end]
                where = _run_place(sdoc.text, start)
                out.append(EntityMention(doc_id, start, end, text, where, text, UNTAGGED))
        i = j + 1
    return out


def _run_place(text: str, start: int) -> str:
    """Where a capitalised run stands: ``title`` (a title-case line: any word may be
    capitalised), ``start`` (a sentence's first word is capitalised) or ``""``."""
    if _in_title_line(text, start):
        return "title"
    before = text[max(0, start - 3) : start].rstrip(" \"“'‘(")
    return "start" if not before or before[-1] in ".!?:\n" else ""


_RUN_WORD = re.compile(r"\S+")


def propagated(mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """The mentions, with the names that untagged candidates print where a tagged
    mention prints them, in any article of the corpus (longest first, with that
    name's label); the other candidates are dropped. A name found this way that
    holds tagged mentions of its article replaces them ("The Hollywood Reporter"
    over a "Hollywood" tagged as a place); one that cuts across a tagged mention
    is not taken.

    Args:
        mentions (Sequence[EntityMention]): mentions of :func:`mentions_of_doc`.

    Returns:
        list[EntityMention]: the tagged mentions kept, then the candidates' names.
    """
    tagged = [m for m in mentions if m.method != UNTAGGED]
    labels = _known_names(tagged)
    spans: dict[str, list[tuple[int, int]]] = {}
    for m in tagged:
        spans.setdefault(m.doc_id, []).append((m.start, m.end))
    added: list[EntityMention] = []
    for m in mentions:
        if m.method == UNTAGGED:
            whole = _outlet_run(m, spans.setdefault(m.doc_id, []))
            added += [whole] if whole else _names_in_run(m, labels, spans[m.doc_id])
    split: set[EntityMention] = set()
    for m in tagged:
        if m.method == TITLE_LINE and _bare_surface(m.text) not in labels:
            # "Colts Beat Chiefs": the names it holds replace it
            around = [(a, b) for a, b in spans[m.doc_id] if a < m.start or m.end < b]
            names = _names_in_run(m, labels, around)
            split.update([m] if names else [])
            added += names
    for m in tagged:
        names = _glued(m, labels) if m not in split else []
        split.update([m] if names else [])
        added += names
    covered: dict[str, list[tuple[int, int]]] = {}
    for n in added:
        covered.setdefault(n.doc_id, []).append((n.start, n.end))
    kept = [m for m in tagged if m not in split and not _inside_any(m, covered.get(m.doc_id, ()))]
    return kept + added


def _glued(m: EntityMention, labels: dict[str, Counter[str]]) -> list[EntityMention]:
    """A span the NER tagged once across known names, one of them a person's ("the
    Interior Ken Salazar", "Obama White House") or two joined by "and" ("Locke and
    Salazar", "US Interior and Commerce"): the names it holds, each with the label the
    corpus gives it, where its other words are small words (:func:`_names_in_run`). A
    name the corpus tags as a whole elsewhere, one holding no person's name and no
    "and" ("Athens Polytechnic University") and a person's own words stay whole:
    "Paul Weitz" ("Paul" and "Weitz" side by side), and a span tagged a person that
    is a word tagged a place before a surname ("Austin Rivers", "Jordan Spieth": a
    first name that is also a place's).

    Args:
        m (EntityMention): a tagged mention.
        labels (dict[str, Counter[str]]): the corpus's tagged names (:func:`_known_names`).

    Returns:
        list[EntityMention]: the names replacing it; empty to keep it.
    """
    surface = _bare_surface(m.text)
    if m.method != NER_METHOD or len(surface.split()) < 2:
        return []
    if sum(labels.get(surface, Counter()).values()) > 1:
        return []  # tagged whole elsewhere: a name of its own
    names = _names_in_run(m, labels, [], skip=surface)
    joined = any(
        m.text[a.end - m.start : b.start - m.start].strip() == "and" for a, b in pairwise(names)
    )
    if len(names) < 2 or not (joined or any(n.label == "PERSON" for n in names)):
        return []
    for a, b in pairwise(names):
        if m.text[a.end - m.start : b.start - m.start].strip():
            continue
        if a.label == b.label == "PERSON":
            return []  # "Paul Weitz": a first name and a surname are one person's name
        if (
            m.label == b.label == "PERSON"
            and a.label in PLACE_LABELS
            and len(a.text.split()) == len(b.text.split()) == 1
        ):
            return []  # "Austin Rivers": a first name a place shares, and the surname
    return names


#: The last words that make an untagged capitalised run a newspaper's name.
PAPER_WORDS = frozenset(
    "Times News Post Journal Herald Tribune Gazette Telegraph Chronicle Inquirer Examiner "
    "Courier Dispatch Bulletin".split()
)


def _outlet_run(run: EntityMention, taken: list[tuple[int, int]]) -> EntityMention | None:
    """An untagged run of two words or more ending in a newspaper's word is that
    newspaper, whole ("the Biloxi Sun Herald" is no mention of Biloxi); ``taken``
    grows with it. A run on a title-case line is a headline, not a name."""
    words = [w.group(0) for w in _RUN_WORD.finditer(run.text)]
    while words and words[0].lower() in _SMALL_WORDS:
        words.pop(0)
    if len(words) < 2 or words[-1] not in PAPER_WORDS or run.method == TITLE_LINE:
        return None
    start = run.start + run.text.index(words[0])
    end = run.start + len(run.text.rstrip(" .,;:'’"))
    if any(a < end and start < b and not (start <= a and b <= end) for a, b in taken):
        return None  # cutting across a tagged mention
    taken.append((start, end))
    name = run.text[start - run.start : end - run.start]
    return EntityMention(
        run.doc_id, start, end, name, "OUTLET", alias_key(name, "OUTLET"), PROPAGATED
    )


def _known_names(tagged: Iterable[EntityMention]) -> dict[str, Counter[str]]:
    """Each name the NER tagged (without "the" and a possessive) and the labels it got;
    a headline's span teaches no name, nor does the ruler's."""
    labels: dict[str, Counter[str]] = {}
    for m in tagged:
        surface = _bare_surface(m.text)
        if m.method != TITLE_LINE and len(surface) > 1 and m.label not in RULE_LABELS:
            labels.setdefault(surface, Counter())[m.label] += 1
    return labels


def _bare_surface(text: str) -> str:
    surface = SPACES.sub(" ", text).strip()
    return _APOS.sub("", surface.removeprefix("the ").removeprefix("The "))


def _names_in_run(
    run: EntityMention,
    labels: dict[str, Counter[str]],
    taken: list[tuple[int, int]],
    skip: str | None = None,
) -> list[EntityMention]:
    """The known names in one run, longest first, but ``skip``; ``taken`` (the
    article's mention spans) grows with each name found.

    The run's other words must be no name of their own: mentions of the article, small
    words ("The", "But"), its first word where a sentence starts, or anything on a
    title-case line. Otherwise the run is a longer name the corpus does not know
    ("Internet Explorer 8" is no "Explorer") and gives none.
    """
    words = [(run.start + w.start(), run.start + w.end()) for w in _RUN_WORD.finditer(run.text)]
    found: list[tuple[int, int]] = []
    for size in range(len(words), 0, -1):
        for k in range(len(words) - size + 1):
            s, e = words[k][0], words[k + size - 1][1]
            name = run.text[s - run.start : e - run.start]
            if (
                name == skip
                or name not in labels
                or any(
                    a < e and s < b and not (s <= a and b <= e and (a, b) != (s, e))
                    for a, b in taken + found
                )
            ):
                continue  # unknown, already a mention, or cutting across one
            found.append((s, e))
    if not found or not all(
        _spare(run, n, (s, e), taken + found) for n, (s, e) in enumerate(words)
    ):
        return []
    taken += found
    out = []
    for s, e in sorted(found):
        name = run.text[s - run.start : e - run.start]
        label = pick_label(labels[name])
        out.append(EntityMention(run.doc_id, s, e, name, label, alias_key(name, label), PROPAGATED))
    return out


#: Capitalised small words a run may hold beside a name ("The Hollywood Reporter",
#: "In Athens").
_SMALL_WORDS = frozenset(
    """
    the a an and but or so as if when while of in at on from to for with by near into
    after before during across over under about since
    """.split()
)


def _spare(run: EntityMention, n: int, word: tuple[int, int], names: list[tuple[int, int]]) -> bool:
    """Whether the ``n``-th word of a run may stand beside the names found in it."""
    s, e = word
    text = run.text[s - run.start : e - run.start]
    return (
        any(a <= s and e <= b for a, b in names)
        or run.label == "title"
        or run.method == TITLE_LINE
        or text.lower() in _SMALL_WORDS
        or (n == 0 and run.label == "start")
    )


def _inside_any(m: EntityMention, covered: Iterable[tuple[int, int]]) -> bool:
    return any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in covered)


#: A nickname printed inside a name: ``Kimani (Kiki) Gray``, ``Kimani 'Kiki' Gray``.
NICKNAMED = re.compile(
    r"(?<![\w.-])([A-Z][\w’'-]+)\s+(?:\(([A-Z][\w-]+)\)|[\"“‘']([A-Z][\w-]+)[\"”’'])"
    r"\s+([A-Z][\w’'-]+)(?![\w-])"
)


def nickname_of(text: str) -> tuple[str, str] | None:
    """The nickname and the full name of ``First (Nick) Last`` (``("Kiki", "Kimani Gray")``)."""
    found = NICKNAMED.fullmatch(SPACES.sub(" ", text).strip())
    if not found:
        return None
    first, paren, quoted, last = found.groups()
    return (paren or quoted), f"{first} {_APOS.sub('', last)}"


def _nicknamed(doc_id: str, text: str, mentions: list[EntityMention]) -> list[EntityMention]:
    """Mentions with each ``First (Nick) Last`` the NER tagged (whole or in parts,
    one part at least a person) as one mention of the person ``First Last``, whose
    text declares the nickname (:func:`nickname_of`)."""
    out = mentions
    for found in NICKNAMED.finditer(text):
        start, end = found.span()
        inside = [m for m in out if m.start < end and start < m.end]
        if not any(m.label == "PERSON" or (m.start, m.end) == (start, end) for m in inside):
            continue
        named = nickname_of(found.group(0))
        if named is None or any(m.start < start or m.end > end for m in inside):
            continue
        out = [m for m in out if m not in inside]
        person = EntityMention(
            doc_id, start, end, text[start:end], "PERSON", named[1], "entities.nickname.v1"
        )
        out.append(person)
    return sorted(out, key=lambda m: m.start) if out is not mentions else mentions


#: Lower-case words that stay at the end of a name: its kind ("Carlton hotel",
#: "the Labour party"), not words the NER ran on into ("Paris store hit").
_KIND_TAILS = frozenset(
    """
    hotel party group church river street avenue road square park bridge airport station
    jail prison mountain island lake county city state university college school hospital
    company bank team club
    """.split()
)
#: Lower-case words that belong inside a name ("al-Assad", "de Blasio", "bin Laden").
_NAME_PARTICLES = frozenset("the al el de del della di da du van von der den la le bin ibn".split())


#: Prepositions the NER takes into a name when capitalised ("Across Athens").
_PREPOSITIONS = frozenset(
    """
    across in at on from to for with by near into after before during outside inside
    throughout around against between under over about among since via
    downtown uptown midtown
    """.split()
)


def trimmed(ent: Span) -> Span | None:
    """An NER span without the words it ran on into: leading lower-case words
    ("across Athens" -> Athens), trailing ones ("Paris store hit" -> Paris, "the
    Oregon State Police and Capt" -> the Oregon State Police), a rank the NER left at
    the end ("OSP Lt" -> OSP) and punctuation at either end.

    Args:
        ent (spacy.tokens.Span): an entity span of the statistical NER.

    Returns:
        Span | None: the span trimmed; ``None`` when no word of a name is left.
    """
    i, j = 0, len(ent)
    while i < j and _loose(ent[i].text, lead=True):
        i += 1
    while j > i and (
        _loose(ent[j - 1].text, lead=False) or (j - i > 1 and _is_rank(ent[j - 1].text))
    ):
        j -= 1
    return ent[i:j] if j > i else None


def _loose(word: str, lead: bool) -> bool:
    """A word an entity span may lose at its edge: punctuation, or a lower-case word
    that is no name particle (leading) and no kind of place or body (trailing)."""
    if not any(c.isalnum() for c in word):
        return True
    if lead and word.lower() in _PREPOSITIONS and not word.isupper():
        return True  # "Across Athens" at the start of a sentence or a headline
    if not word[0].islower() or any(c.isupper() for c in word):
        return False
    keep = _NAME_PARTICLES if lead else _KIND_TAILS
    return word.lower() not in keep


def _is_rank(word: str) -> bool:
    return word.lower().rstrip(".") in _TRAILING_RANKS


_ACRONYM_PAIR = re.compile(
    r"^(?:[Tt]he\s+)?([A-Z][A-Z.]*[A-Z]\.?)(\s+(?:and|&)\s+)([A-Z][A-Z.]*[A-Z]\.?)$"
)


def _coordinated(text: str, start: int) -> list[tuple[int, int]]:
    """A mention's spans: "EU & IMF" tagged as one is two organisations."""
    found = _ACRONYM_PAIR.match(text)
    if not found:
        return [(start, start + len(text))]
    return [
        (start + found.start(1), start + found.end(1)),
        (start + found.start(3), start + len(text)),
    ]


_OWNER = re.compile(r"^([A-Z][\w-]+)(?:[’']s?)\s+(\S.*)$")
_TWO_NAMES = re.compile(r"^([A-Z][\w-]+)\s+(?:and|&)\s+([A-Z][\w-]+)$")


def _parts(text: str, start: int, surnames: set[str]) -> list[tuple[int, int, str | None]]:
    """A mention's spans, each with the label it takes (``None``: the mention's own).

    "EU & IMF" tagged as one is two organisations; a person of the article (a surname
    of a full name it prints) owning a name ("Karamanlis' New Democracy party") is the
    person and the name; two of its surnames joined ("Lopez and Carrasquillo") are two
    people.

    Args:
        text (str): the mention as printed.
        start (int): its offset in the article.
        surnames (set[str]): the last words of the article's full person names.

    Returns:
        list[tuple[int, int, str | None]]: (start, end, label) per part.
    """
    owner = _OWNER.match(text)
    if owner and owner.group(1) in surnames:
        return [
            (start + owner.start(1), start + owner.end(1), "PERSON"),
            (start + owner.start(2), start + len(text), None),
        ]
    two = _TWO_NAMES.match(text)
    if two and two.group(1) in surnames and two.group(2) in surnames:
        return [
            (start + two.start(1), start + two.end(1), "PERSON"),
            (start + two.start(2), start + two.end(2), "PERSON"),
        ]
    return [(s, e, None) for s, e in _coordinated(text, start)]


_PLACE_BEFORE = re.compile(r"[A-Z][\w.'-]*,\s$")


def _after_place(text: str, start: int) -> bool:
    """A place name printed right after "<Place>, " names the region the place is in
    ("Forks, Washington"), not a capital standing for its country."""
    return bool(_PLACE_BEFORE.search(text[max(0, start - 40) : start]))


def _place_key(text: str, start: int, end: int, label: str) -> str:
    """A mention's key (:func:`alias_key`), read in its place: a place printed right
    after "<Place>, " is a region, not a capital standing for its country ("Forks,
    Washington" is the state; "Fulton County, Ga." is Georgia), and a capital the text
    prints with its district is the city (:func:`_in_the_city`)."""
    name = text[start:end]
    if label in ("GPE", "LOC") and _after_place(text, start):
        # "Asia, the Middle East and Europe": a list's article is no part of the name
        flat = _APOS.sub("", SPACES.sub(" ", name).strip()).removeprefix("the ")
        return state_name(flat) or flat
    if label in ("GPE", "LOC") and _in_the_city(text, start, end, name):
        return name  # "Washington, D.C.": the city itself
    return alias_key(name, label)


_CITY_AFTER = re.compile(r"^,?\s*D\.?\s?C\.?(?!\w)")


def _in_the_city(text: str, start: int, end: int, name: str) -> bool:
    """A capital the gazetteer reads as its country (``metonyms``) is the city where
    the text prints its district ("Washington, D.C."); "officials in Washington" stay
    the United States."""
    return name in load_gazetteer()["metonyms"] and bool(_CITY_AFTER.match(text[end : end + 8]))


def _surname_mentions(doc_id: str, sdoc: SpacyDoc) -> list[EntityMention]:
    """Bare surnames the NER missed ("Trump urged ...") after the full name was tagged."""
    surnames = {e[-1].text: e.text for e in sdoc.ents if e.label_ == "PERSON" and len(e) > 1}
    if not surnames:
        return []
    # Candidates by attribute ids, not a Token object per word (most of this
    # stage's time): the surname's spelling, outside any entity.
    strings = sdoc.vocab.strings
    wanted = {strings.add(name) for name in surnames}
    rows = sdoc.to_array(["ORTH", "ENT_TYPE"]).tolist()
    out = []
    for i in (i for i, (orth, ent) in enumerate(rows) if orth in wanted and not ent):
        tok = sdoc[i]
        if tok.text in surnames and not tok.ent_type_ and tok.pos_ in ("PROPN", "NOUN"):
            end = tok.idx + len(tok)
            key = alias_key(tok.text, "PERSON")
            out.append(
                EntityMention(doc_id, tok.idx, end, tok.text, "PERSON", key, "entities.surname.v1")
            )
    return out


def dominant_country(sdoc: SpacyDoc) -> str:
    """The canonical name of the place a parsed text names most ('' if none).

    Args:
        sdoc (spacy.tokens.Doc): a text parsed by :func:`entity_pipeline`.

    Returns:
        str: e.g. ``Iran`` (Tehran and the Islamic Republic count for Iran).
    """
    counts = Counter(
        alias_key(e.text, "GPE") for e in sdoc.ents if e.label_ == "GPE" and e.ent_id_ != "gov_word"
    )
    return counts.most_common(1)[0][0] if counts else ""


def alias_key(text: str, label: str) -> str:
    """A mention's first merge key: its curated canonical name, else its normal form.

    Args:
        text (str): the mention as written.
        label (str): its label (metonyms apply to places only).

    Returns:
        str: the canonical name for curated forms, else a normalised surface.
    """
    gaz = load_gazetteer()
    flat = SPACES.sub(" ", text).strip()
    bare = _APOS.sub("", flat)
    if label == "OUTLET":
        name = outlet_name(bare)
        if name is not None:
            return name
    if label == "WEAPON":
        return weapon_key(bare)
    if label == "ORG":
        bare = _without_trailing_title(bare)  # "Oregon State Police Lt." -> the police
    for candidate in (flat, bare, bare.removeprefix("the ").removeprefix("The ")):
        canonical = _alias_index().get(candidate)
        if canonical is not None:
            return canonical
        if label in ("GPE", "LOC") and candidate in gaz["metonyms"]:
            return str(gaz["metonyms"][candidate])
    return bare.removeprefix("the ").removeprefix("The ")


#: Ranks the NER leaves at the end of an organisation ("Oregon State Police Lt.").
_TRAILING_RANKS = frozenset(
    "lt sgt capt cpl det detective officer trooper spokesman spokeswoman spokesperson "
    "chief commissioner director".split()
)


def _without_trailing_title(name: str) -> str:
    words = name.split(" ")
    while len(words) > 2 and words[-1].lower().rstrip(".") in _TRAILING_RANKS:
        words.pop()
    return " ".join(words)


_NAMED_WEAPON = re.compile(r"\b([A-Z][\w'-]+[- ]\d+[A-Za-z]?)\b")


def weapon_key(text: str) -> str:
    """A weapon's merge key: its model name (``Jamal 69``), else its class, singular.

    Args:
        text (str): the mention, e.g. ``Jamal 69 ballistic missiles``.

    Returns:
        str: ``Jamal 69``; ``long-range surface-to-surface missile`` for a class.
    """
    named = _NAMED_WEAPON.search(text)
    if named:
        return named.group(1)
    flat = SPACES.sub(" ", text.replace(",", " ")).strip().removeprefix("the ")
    words = flat.split(" ")
    words[-1] = re.sub(r"(?<=[a-z])s$", "", words[-1])
    known = [w for w in words if w[:1].isupper()]
    return " ".join(known) if known and len(known) == len(words) else " ".join(words).lower()


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for canonical, forms in load_gazetteer()["aliases"].items():
        for form in (canonical, *forms):
            index.setdefault(form, canonical)
    return index


def pick_label(votes: Counter[str]) -> str:
    """The label of a key from its mentions' votes: a rule's label first, else the most voted."""
    for label in RULE_LABELS:
        if votes[label]:
            return label
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
