"""Entities with their aliases, merged within and across documents.

spaCy's NER finds people, organisations and places; an entity ruler built from
``resources/gazetteer.json`` adds what a news model misses or gets wrong: weapon
names (``<Name> <number>`` followed by a missile word, so "Jamal 69 ballistic
missiles" is a WEAPON and not a PERSON), military units and news outlets.

Each mention gets a key (:func:`alias_key`): the curated canonical name
(``Tehran`` -> Iran; capitals only when tagged as places, and not right after
"<Place>, "), "the regime" -> the document's dominant country, an outlet's whole
name (``the Times of London`` / ``UK Times`` -> The Times; never by a shared word).
Keys are then merged (:func:`merge_mentions`):

1. in each article, a surname, first name or titled name becomes the one person of
   the article it fits (:func:`mention_nodes`);
2. across articles: spellings (:func:`spelling_pairs`), one person's full names
   (:func:`variant_pairs`), one organisation's designators (:func:`org_variant_pairs`),
   acronyms derived from initials, only where unambiguous or printed beside
   (:func:`_acronym_pairs`), containment (:func:`_containment_pairs`), and a lone
   surname through a related article (:func:`lone_name_pairs`).

DOCS: docs/stages/entities.md
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from itertools import combinations
from typing import TYPE_CHECKING, Any

from storytrace.records import Document, Entity, EntityMention
from storytrace.stages.entities.names import (
    STREET_WORDS,
    fold,
    name_words,
    same_person,
    spelling_key,
    state_name,
    street_name,
    surname,
)
from storytrace.stages.grouping import UnionFind

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
_STOP = frozenset("the of and for in on at a an to".split())
_APOS = re.compile(r"[’']s?$")
_SPACES = re.compile(r"\s+")


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
    flat = _SPACES.sub(" ", text).strip()
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


def extract_entities(
    docs: Sequence[Document], config: EntityConfig | None = None
) -> tuple[Entity, ...]:
    """Find entity mentions and merge them into entities across documents.

    Args:
        docs (Sequence[Document]): cleaned documents; offsets point into ``Document.text``.
        config (EntityConfig | None): options; defaults when ``None``.

    Returns:
        tuple[Entity, ...]: entities sorted by mention count (descending), then name.

    Raises:
        ModelMissingError: ``ST130`` when no spaCy English model is installed.
    """
    cfg = config or EntityConfig()
    parsed = entity_pipeline().pipe([d.text for d in docs], batch_size=cfg.batch_size)
    raw: list[EntityMention] = []
    for doc, sdoc in zip(docs, parsed, strict=True):
        raw.extend(mentions_of_doc(doc.doc_id, sdoc))
    return merge_mentions(raw, cfg)


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
        method = f"entities.ruler.{ent.ent_id_}" if ent.ent_id_ else "entities.ner.v1"
        if not ent.ent_id_ and len(ent) > 1 and _in_title_line(sdoc.text, ent.start_char):
            method = TITLE_LINE
        if label == "ORG" and outlet_name(ent.text) is not None and not ent.ent_id_:
            label, method = "OUTLET", "entities.ner.v1+outlet"
        span = _name_span(ent, label)
        if span is None:
            continue
        for start, end, own in _parts(span.text, span.start_char, surnames):
            text = sdoc.text[start:end]
            key = alias_key(text, own or label)
            if ent.ent_id_ == "gov_word":
                key = dominant  # "the regime": the country the article is about
            elif label in ("GPE", "LOC") and _after_place(sdoc.text, start):
                # "Forks, Washington": the state, not a capital standing for its country;
                # "Fulton County, Ga.": Georgia
                flat = _APOS.sub("", _SPACES.sub(" ", text).strip())
                key = state_name(flat) or flat
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
            added += _names_in_run(m, labels, spans.setdefault(m.doc_id, []))
    split: set[EntityMention] = set()
    for m in tagged:
        if m.method == TITLE_LINE and _bare_surface(m.text) not in labels:
            # "Colts Beat Chiefs": the names it holds replace it
            around = [(a, b) for a, b in spans[m.doc_id] if a < m.start or m.end < b]
            names = _names_in_run(m, labels, around)
            split.update([m] if names else [])
            added += names
    covered: dict[str, list[tuple[int, int]]] = {}
    for n in added:
        covered.setdefault(n.doc_id, []).append((n.start, n.end))
    kept = [m for m in tagged if m not in split and not _inside_any(m, covered.get(m.doc_id, ()))]
    return kept + added


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
    surface = _SPACES.sub(" ", text).strip()
    return _APOS.sub("", surface.removeprefix("the ").removeprefix("The "))


def _names_in_run(
    run: EntityMention, labels: dict[str, Counter[str]], taken: list[tuple[int, int]]
) -> list[EntityMention]:
    """The known names in one run, longest first; ``taken`` (the article's mention
    spans) grows with each name found.

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
            if name not in labels or any(
                a < e and s < b and not (s <= a and b <= e and (a, b) != (s, e))
                for a, b in taken + found
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
        label = _pick_label(labels[name])
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
    found = NICKNAMED.fullmatch(_SPACES.sub(" ", text).strip())
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
    flat = _SPACES.sub(" ", text).strip()
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
    flat = _SPACES.sub(" ", text.replace(",", " ")).strip().removeprefix("the ")
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


# --------------------------------------------------------------------------- merging


def merge_mentions(mentions: Sequence[EntityMention], config: EntityConfig) -> tuple[Entity, ...]:
    """Group mentions into entities: names in their article first, then across articles.

    1. In each article, a surname, a first name or a titled name ("Mr. Nichols")
       becomes the one full name of the article it is part of (:func:`mention_nodes`);
       one that fits two people of the article ("Weitz" beside Chris and Paul Weitz)
       stays that article's own.
    2. Across articles: one person's full names (:func:`variant_pairs`), acronyms
       (:func:`_acronym_pairs`) and containment (:func:`_containment_pairs`).

    Args:
        mentions (Sequence[EntityMention]): mentions whose ``entity_id`` is an alias key.
        config (EntityConfig): options.

    Returns:
        tuple[Entity, ...]: entities sorted by mention count, then canonical name.
    """
    mentions = propagated(mentions)
    nodes = mention_nodes(mentions, _key_labels(mentions))
    labels = node_labels(mentions, nodes)
    merged = merge_nodes(mentions, nodes, labels, config)
    groups: dict[str, list[EntityMention]] = {}
    for m, node in zip(mentions, nodes, strict=True):
        groups.setdefault(merged.find(node), []).append(m)
    entities = [_entity(group) for group in groups.values()]
    return tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.canonical)))


def node_labels(mentions: Sequence[EntityMention], nodes: Sequence[str]) -> dict[str, str]:
    """Each merge node's label, voted by the mentions that name it in full: a surname
    the NER tagged ORG that became a person's does not make the person an organisation.

    Args:
        mentions (Sequence[EntityMention]): the mentions.
        nodes (Sequence[str]): each mention's node (:func:`mention_nodes`).

    Returns:
        dict[str, str]: node -> label.
    """
    labels = _key_labels(
        replace(m, entity_id=n)
        for m, n in zip(mentions, nodes, strict=True)
        if n in (m.entity_id, " ".join(name_words(m.entity_id)))
    )
    labels.update((n, m.label) for m, n in zip(mentions, nodes, strict=True) if n not in labels)
    return labels


def merge_nodes(
    mentions: Sequence[EntityMention],
    nodes: Sequence[str],
    labels: dict[str, str],
    config: EntityConfig,
) -> UnionFind[str]:
    """The merge nodes joined across articles, rule by rule in a fixed order (a rule
    that asks for a node's group sees the unions of the rules before it).

    Args:
        mentions (Sequence[EntityMention]): the mentions.
        nodes (Sequence[str]): each mention's node (:func:`mention_nodes`).
        labels (dict[str, str]): each node's label (:func:`node_labels`).
        config (EntityConfig): options.

    Returns:
        UnionFind[str]: the nodes' groups.
    """
    docs: dict[str, set[str]] = {}
    for m, node in zip(mentions, nodes, strict=True):
        docs.setdefault(node, set()).add(m.doc_id)
    keys = sorted(docs)
    merged: UnionFind[str] = UnionFind(_rank)
    steps: list[Callable[[], list[tuple[str, str]]]] = [
        lambda: spelling_pairs(keys) + variant_pairs(keys, labels, docs) + website_pairs(keys),
        lambda: org_variant_pairs(keys, labels),
        lambda: given_name_pairs(keys, labels, docs) + typo_pairs(keys, labels, docs),
        lambda: outlet_short_pairs(keys, labels, docs),
        lambda: _acronym_pairs(keys, config.min_acronym, labels, docs),
        lambda: street_short_pairs(keys, labels, docs, merged.find),
        lambda: shortened_pairs(keys, labels, docs, merged.find),
        lambda: place_prefixed_pairs(keys, labels, merged.find),
        lambda: _containment_pairs(keys, labels, merged.find),
        lambda: lone_name_pairs(mentions, nodes, labels, merged.find),
    ]
    for step in steps:
        for a, b in step():
            merged.union(a, b)
    return merged


#: Labels whose one-word mentions may be a person's surname the NER mislabelled.
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "PRODUCT", "FAC", "NORP"})
#: Separates an article id from a name that only that article may use.
_SCOPE = "\x1f"


def mention_nodes(mentions: Sequence[EntityMention], labels: dict[str, str]) -> list[str]:
    """The merge node of each mention, with people's short names resolved in their article.

    A person's name is written without its title ("Judge James Bodiford" ->
    ``James Bodiford``). A shorter name -- a surname, the last words of a name, or a
    first name tagged PERSON -- becomes the full name of the one person of its article
    it fits; if it fits two people of the article, it becomes ``<doc id><US><name>``
    and merges with nothing outside that article. Other mentions keep their key.

    Args:
        mentions (Sequence[EntityMention]): mentions whose ``entity_id`` is an alias key.
        labels (dict[str, str]): each key's label (:func:`_key_labels`).

    Returns:
        list[str]: one node per mention.
    """
    curated = load_gazetteer()["aliases"]
    nicks = nicknames(mentions)
    # a one-word name the NER tags as a thing more often than as a person is that
    # thing where it calls it a person ("Exarchia", "SEACOM", "Colts")
    named: Counter[str] = Counter()
    for m in mentions:
        named[m.entity_id] += -1 if m.label == "PERSON" else 1
    by_doc: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_doc.setdefault(m.doc_id, []).append(i)
    nodes = [m.entity_id for m in mentions]
    for doc_id, idx in by_doc.items():
        people = _people_of(mentions[i].entity_id for i in idx if _is_person(mentions[i], labels))
        first = _first_seen(people, [mentions[i] for i in idx])
        for i in idx:
            m = mentions[i]
            if m.entity_id in curated or m.label not in _NAME_LABELS:
                continue
            person = _is_person(m, labels)
            loose = m.label != "ORG"  # an organisation's name is no first name ("Colts")
            words = name_words(m.entity_id) if person else tuple(m.entity_id.split())
            full = " ".join(words)
            # a first name: tagged PERSON, or printed after the article named the person
            # in full ("Kathina Thomas ... Kathina", whatever the NER made of "Kathina")
            fits = {
                rep
                for rep, names in people.items()
                if any(
                    _part_of(words, n, person or (loose and first[rep] < m.start)) for n in names
                )
                or (len(words) == 1 and any(n in nicks.get(fold(words[0]), ()) for n in names))
            }
            if len(fits) > 1:
                # two people of the name: the one the article introduced first, if it
                # did so before this mention ("Kimani Gray ... his mother, Mahnefah
                # Gray ... Gray was shot"); otherwise this article's own
                lead = min(fits, key=lambda rep: first[rep])
                fits = {lead} if first[lead] < m.start else set()
                nodes[i] = next(iter(fits), f"{doc_id}{_SCOPE}{full}")
            elif fits:
                nodes[i] = next(iter(fits))
            elif person and len(words) == 1 and not named[m.entity_id] > 0:
                nodes[i] = f"{doc_id}{_SCOPE}{full}"  # a surname alone: see lone_name_pairs
            elif person:
                nodes[i] = full
    return nodes


def nicknames(mentions: Iterable[EntityMention]) -> dict[str, set[tuple[str, ...]]]:
    """The nicknames the texts declare (``Kimani (Kiki) Gray``): folded nickname -> the
    names (words) of the people it is printed for."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for m in mentions:
        named = nickname_of(m.text) if m.method == "entities.nickname.v1" else None
        if named is not None:
            found.setdefault(fold(named[0]), set()).add(name_words(named[1]))
    return found


def _first_seen(
    people: dict[str, list[tuple[str, ...]]], mentions: Sequence[EntityMention]
) -> dict[str, int]:
    """Where each person of an article is first named in full (character offset)."""
    rep_of = {name: rep for rep, names in people.items() for name in names}
    first = dict.fromkeys(people, 1 << 62)
    for m in mentions:
        rep = rep_of.get(name_words(m.entity_id))
        if rep is not None:
            first[rep] = min(first[rep], m.start)
    return first


def _is_person(m: EntityMention, labels: dict[str, str]) -> bool:
    return m.label == "PERSON" or labels.get(m.entity_id) == "PERSON"


def _people_of(keys: Iterable[str]) -> dict[str, list[tuple[str, ...]]]:
    """An article's people: full names (two words or more) grouped when one person's,
    keyed by the longest written name."""
    names = sorted(
        {name_words(k) for k in keys if len(name_words(k)) > 1}, key=lambda w: (-len(w), w)
    )
    people: dict[str, list[tuple[str, ...]]] = {}
    for name in names:
        home = next(
            (rep for rep, group in people.items() if all(same_person(name, g) for g in group)), None
        )
        people.setdefault(home or " ".join(name), []).append(name)
    return people


def _part_of(words: tuple[str, ...], name: tuple[str, ...], person: bool) -> bool:
    """A shorter name is the end of a full name ("Nichols", "Smith Robinson"), or,
    for a mention tagged PERSON, its first name ("Hugh")."""
    if not words or len(words) >= len(name):
        return False
    if [fold(w) for w in words] == [fold(w) for w in name[-len(words) :]]:
        return True
    return person and len(words) == 1 and fold(words[0]) == fold(name[0])


def lone_name_pairs(
    mentions: Sequence[EntityMention],
    nodes: Sequence[str],
    labels: dict[str, str],
    group: Callable[[str], str],
) -> list[tuple[str, str]]:
    """A surname printed in an article that never names the person in full
    ("Qaani conveyed ...") joins the one person of that surname named in a related
    article: one that shares two or more other entities with it (the same story, as
    far as names tell). Two people of the surname there, or none: it stays alone.

    Args:
        mentions (Sequence[EntityMention]): every mention.
        nodes (Sequence[str]): each mention's node (:func:`mention_nodes`).
        labels (dict[str, str]): each node's label.
        group (Callable[[str], str]): a node's merged group.

    Returns:
        list[tuple[str, str]]: (surname node, person node) pairs.
    """
    curated = load_gazetteer()["aliases"]
    in_doc: dict[str, set[str]] = {}
    for m, node in zip(mentions, nodes, strict=True):
        in_doc.setdefault(m.doc_id, set()).add(node)
    nick_of: dict[tuple[str, ...], set[str]] = {}
    for nick, names in nicknames(mentions).items():
        for name in names:
            nick_of.setdefault(name, set()).add(nick)
    # folded surname, first name or declared nickname -> (person node, article)
    people: dict[str, set[tuple[str, str]]] = {}
    for m, node in zip(mentions, nodes, strict=True):
        name = name_words(node) if labels.get(node) == "PERSON" and _SCOPE not in node else ()
        if len(name) > 1:
            for word in {fold(surname(name)), fold(name[0]), *nick_of.get(name, ())}:
                people.setdefault(word, set()).add((node, m.doc_id))
    found: dict[tuple[str, str], set[str]] = {}  # (article, lone node) -> candidate people
    for m, node in zip(mentions, nodes, strict=True):
        alone = node.split(_SCOPE)[-1]
        if len(alone.split()) != 1 or alone in curated or labels.get(node) not in ("PERSON", "ORG"):
            continue
        here = in_doc[m.doc_id] - {node}
        found[(m.doc_id, node)] = {
            whole
            for whole, doc_id in people.get(fold(alone), ())
            if len(here & (in_doc[doc_id] - {whole})) >= 2
        }
    return _resolve_lone(found, group)


def _resolve_lone(
    found: dict[tuple[str, str], set[str]], group: Callable[[str], str]
) -> list[tuple[str, str]]:
    """Each lone name with one candidate person joins that person; one with several
    joins the one that another lone name of its article resolved to ("Kimani ...
    Gray" where the related articles name Kimani Gray and his mother Mahnefah Gray)."""
    pairs: list[tuple[str, str]] = []
    resolved: dict[str, set[str]] = {}  # article -> groups its lone names resolved to
    for (doc_id, node), wholes in sorted(found.items()):
        if wholes and len({group(w) for w in wholes}) == 1:
            pairs.append((node, min(wholes)))
            resolved.setdefault(doc_id, set()).add(group(min(wholes)))
    for (doc_id, node), wholes in sorted(found.items()):
        narrowed = {w for w in wholes if group(w) in resolved.get(doc_id, set())}
        if len({group(w) for w in wholes}) > 1 and len({group(w) for w in narrowed}) == 1:
            pairs.append((node, min(narrowed)))
    return pairs


def spelling_pairs(keys: Sequence[str]) -> list[tuple[str, str]]:
    """Names spelled alike but for accents, case and hyphens ("Place Vendôme",
    "Place Vendome"; "Carlton hotel", "Carlton Hotel") or a street's abbreviated
    designator ("Snyder Ave" = "Snyder Avenue"); acronyms keep their case.

    Args:
        keys (Sequence[str]): merge nodes.

    Returns:
        list[tuple[str, str]]: pairs of nodes to merge.
    """
    first: dict[str, str] = {}
    pairs = []
    for key in keys:
        if _SCOPE in key or (" " not in key and key.replace(".", "").isupper()):
            continue  # an acronym keeps its case; "MARFIN EGNATIA BANK" is a name
        spelled = spelling_key(street_name(key))
        if spelled in first:
            pairs.append((first[spelled], key))
        else:
            first[spelled] = key
    return pairs


#: A web address's ending after a name ("EW.com", "Amazon.co.uk").
_WEB_SUFFIX = re.compile(r"\.(?:com|org|net|co\.uk|com\.au|co|info)$", re.IGNORECASE)


def website_pairs(keys: Sequence[str]) -> list[tuple[str, str]]:
    """An outlet's or a company's website is that outlet or company ("EW.com" = "EW",
    "Amazon.com" = "Amazon"), where the corpus prints the name as such.

    Args:
        keys (Sequence[str]): merge nodes.

    Returns:
        list[tuple[str, str]]: (website, name) pairs.
    """
    known = set(keys)
    pairs = []
    for key in keys:
        name = _WEB_SUFFIX.sub("", key)
        if name != key and name in known and _SCOPE not in key:
            pairs.append((key, name))
    return pairs


def variant_pairs(
    keys: Sequence[str], labels: dict[str, str], docs: dict[str, set[str]] | None = None
) -> list[tuple[str, str]]:
    """Full names of one person across articles ("Brian G. Nichols" and "Brian Nichols").

    Two names pair when :func:`~storytrace.stages.entities.names.same_person` holds and
    neither can also be a person the other cannot ("J. Smith" beside "John Smith" and
    "Jane Smith" pairs with neither). Names whose first names differ -- an initial, a
    short form ("J. Smith", "Bill Smith" and "William Smith") -- pair only within a
    story (one article or related ones): in two unrelated stories they are as likely
    two people of one surname.

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]] | None): the articles of each node; ``None`` takes
            every pair as within a story.

    Returns:
        list[tuple[str, str]]: pairs of nodes to merge.
    """
    words = {k: name_words(k) for k in keys if labels.get(k) == "PERSON" and _SCOPE not in k}
    buckets: dict[str, list[str]] = {}
    for key, name in words.items():
        if len(name) > 1:
            buckets.setdefault(fold(surname(name))[:4], []).append(key)
    pairs = []
    for bucket in buckets.values():
        fits = {
            a: {b for b in bucket if b != a and same_person(words[a], words[b], spelled=False)}
            for a in bucket
        }
        for a in bucket:
            for b in fits[a]:
                if a < b and fits[a] - {b} <= fits[b] and fits[b] - {a} <= fits[a]:
                    pairs.append((a, b))
    if docs is None:
        return pairs
    in_doc = _articles_names(docs)
    return [
        (a, b)
        for a, b in pairs
        if fold(words[a][0]) == fold(words[b][0])
        or docs[a] & docs[b]
        or _related(a, b, docs, in_doc)
    ]


def given_name_pairs(
    keys: Sequence[str], labels: dict[str, str], docs: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """One person's full names spelled two ways ("Giannis"/"Yiannis Panagopoulos",
    "Rait"/"Raite") or with two forms of the given name ("Alexandros" and "Alexis
    Grigoropoulos"), printed in related articles (two other names shared) and never
    both in one article (where they would be two people). Spellings are
    :func:`~storytrace.stages.entities.names.same_person`; given names that begin
    alike (four letters) count with a surname of five letters or more.

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]]): the articles of each node.

    Returns:
        list[tuple[str, str]]: pairs of nodes to merge.
    """
    in_doc = _articles_names(docs)
    buckets: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for key in keys:
        name = name_words(key) if labels.get(key) == "PERSON" and _SCOPE not in key else ()
        if len(name) > 1:
            buckets.setdefault(fold(surname(name))[:4], []).append((key, name))
    pairs = []
    for bucket in buckets.values():
        for (a, na), (b, nb) in combinations(bucket, 2):
            if docs[a] & docs[b] or not (same_person(na, nb) or _given_forms(na, nb)):
                continue
            if _related(a, b, docs, in_doc):
                pairs.append((a, b))
    return pairs


def typo_pairs(
    keys: Sequence[str], labels: dict[str, str], docs: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """A name and its misprint ("Browsnville"/"Brownsville", "Champs-Elysee"/
    "Champs-Elysees"): one letter added, dropped or two swapped, in a name of six
    letters or more that is no person's, printed in one article or in related ones
    (two other names shared). A letter changed is not a misprint here
    ("Colombia"/"Columbia" are two places).

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]]): the articles of each node.

    Returns:
        list[tuple[str, str]]: pairs of nodes to merge.
    """
    curated = load_gazetteer()["aliases"]
    spelled: dict[str, str] = {}
    for key in keys:
        plain = spelling_key(key).replace(" ", "")
        if labels.get(key) == "PERSON" or _SCOPE in key or key in curated or len(plain) < 6:
            continue
        if " " not in key and key.replace(".", "").isupper():
            continue  # acronyms
        spelled.setdefault(plain, key)
    # two spellings one slip apart share a spelling with one letter dropped
    near: dict[str, set[str]] = {}
    for plain in spelled:
        for i in range(len(plain) + 1):
            near.setdefault(plain[:i] + plain[i + 1 :], set()).add(plain)
    in_doc = _articles_names(docs)
    pairs = set()
    for found in near.values():
        for x, y in combinations(sorted(found), 2):
            a, b = spelled[x], spelled[y]
            if _one_slip(x, y) and _related(a, b, docs, in_doc):
                pairs.add((a, b))
    return sorted(pairs)


def outlet_short_pairs(
    keys: Sequence[str], labels: dict[str, str], docs: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """An outlet's short name within a story: "Daily News" is the "New York Daily News"
    (or "N.Y. Daily News") of a related article when it is the end of exactly one
    outlet's longer name there. A one-word name never is ("Times" stays apart from
    every "... Times"), nor a curated outlet.

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]]): the articles of each node.

    Returns:
        list[tuple[str, str]]: (short name, whole name) pairs.
    """
    curated = load_gazetteer()["aliases"]
    outlets = [k for k in keys if labels.get(k) == "OUTLET" and _SCOPE not in k]
    in_doc = _articles_names(docs)
    pairs = []
    for part in outlets:
        if part in curated or len(part.split()) < 2:
            continue
        wholes = {
            w
            for w in outlets
            if w != part and w.endswith(" " + part) and _related(part, w, docs, in_doc)
        }
        spelled = {_expand_state(w) for w in wholes}
        if len(spelled) == 1:
            pairs += [(part, w) for w in sorted(wholes)]  # "N.Y." and "New York" alike
    return pairs


def _expand_state(name: str) -> str:
    """``N.Y. Daily News`` -> ``New York Daily News``: a leading state abbreviation."""
    first, _, rest = name.partition(" ")
    state = state_name(first) if "." in first else None
    return f"{state} {rest}" if state and rest else name


def _one_slip(a: str, b: str) -> bool:
    """One letter added or dropped, or two neighbours swapped."""
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and (a[diff[0]], a[diff[1]]) == (b[diff[1]], b[diff[0]])
        )
    short, long = sorted((a, b), key=len)
    return len(long) == len(short) + 1 and any(
        long[:i] + long[i + 1 :] == short for i in range(len(long))
    )


def _articles_names(docs: dict[str, set[str]]) -> dict[str, set[str]]:
    """Article -> the nodes it names."""
    in_doc: dict[str, set[str]] = {}
    for key, where in docs.items():
        for doc_id in where:
            in_doc.setdefault(doc_id, set()).add(key)
    return in_doc


def _related(a: str, b: str, docs: dict[str, set[str]], in_doc: dict[str, set[str]]) -> bool:
    """Some article of ``a`` and some article of ``b`` share two other names."""
    return any(len((in_doc[x] & in_doc[y]) - {a, b}) >= 2 for x in docs[a] for y in docs[b])


def _given_forms(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """One surname (five letters or more) and given names beginning alike (four letters)."""
    last = fold(surname(a))
    return (
        len(last) >= 5
        and last == fold(surname(b))
        and min(len(fold(a[0])), len(fold(b[0]))) >= 4
        and fold(a[0])[:4] == fold(b[0])[:4]
    )


def _key_labels(mentions: Iterable[EntityMention]) -> dict[str, str]:
    votes: dict[str, Counter[str]] = {}
    for m in mentions:
        votes.setdefault(m.entity_id, Counter())[m.label] += 1
    return {k: _pick_label(v) for k, v in votes.items()}


def _pick_label(votes: Counter[str]) -> str:
    for label in RULE_LABELS:
        if votes[label]:
            return label
    return sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _rank(key: str) -> tuple[int, int]:
    """The curated canonical (or the longer name) becomes a merged group's root."""
    return (-(key in load_gazetteer()["aliases"]), -len(key))


def initials(name: str) -> tuple[str, ...]:
    """The acronyms of a multi-word name: initials of its capitalised content words,
    of all its words (``Joint Comprehensive Plan of Action`` -> JCPA, JCPOA), and of
    the parts of hyphenated words (``Agence France-Presse`` -> AF, AFP).

    Args:
        name (str): e.g. ``Islamic Revolutionary Guard Corps``.

    Returns:
        tuple[str, ...]: e.g. ``("IRGC",)``; empty for names of fewer than two
        content words.
    """
    words = re.findall(r"[\w-]+", name.removeprefix("the ").removeprefix("The "))
    content = [w for w in words if w.lower() not in _STOP]
    if len(content) < 2 or not all(w[0].isupper() for w in content):
        return ()
    short = "".join(w[0] for w in content).upper()
    full = "".join(w[0] for w in words).upper()
    parts = [p for w in content for p in w.split("-") if p]  # Agence France-Presse: AFP
    split = "".join(p[0] for p in parts).upper() if all(p[0].isupper() for p in parts) else short
    return tuple(dict.fromkeys((short, full, split)))


def _acronym_pairs(
    keys: Sequence[str],
    min_len: int,
    labels: dict[str, str] | None = None,
    docs: dict[str, set[str]] | None = None,
) -> list[tuple[str, str]]:
    """``IRGC`` <- ``Islamic Revolutionary Guard Corps``: an acronym and the one name
    whose initials it is.

    A person's name never takes an acronym (initials of a person are a name only
    where the text says so). When several names have the same initials ("EU":
    European Union, Estelle Unit), the acronym takes the one printed in an article
    beside it, and none if that is not one either.

    Args:
        keys (Sequence[str]): merge nodes.
        min_len (int): shortest acronym merged.
        labels (dict[str, str] | None): each node's label (all ORG when ``None``).
        docs (dict[str, set[str]] | None): the articles of each node (none known when ``None``).

    Returns:
        list[tuple[str, str]]: (acronym, long name) pairs.
    """
    label_of = labels or {}
    docs_of = docs or {}
    index: dict[str, list[str]] = {}
    with_the: dict[str, list[str]] = {}  # "THR": The Hollywood Reporter, printed beside it
    for key in keys:
        if label_of.get(key) != "PERSON" and _SCOPE not in key:
            for acro in initials(key):
                index.setdefault(acro, []).append(key)
                with_the.setdefault("T" + acro, []).append(key)
    pairs = []
    for key in keys:
        short = key.replace(".", "")
        if len(short) < min_len or not short.isupper() or not short.isalpha():
            continue
        if label_of.get(key) == "PERSON":
            continue
        here = docs_of.get(key, set())
        longs = index.get(short, [])
        if len(longs) > 1:
            longs = [long for long in longs if docs_of.get(long, set()) & here]
        if not longs:
            longs = [long for long in with_the.get(short, []) if docs_of.get(long, set()) & here]
        if len(longs) == 1:
            pairs.append((key, longs[0]))
    return pairs


def _containment_pairs(
    keys: Sequence[str], labels: dict[str, str], group: Callable[[str], str] | None = None
) -> list[tuple[str, str]]:
    """``Trump`` <- ``Donald Trump``, ``Summit`` <- ``Summit Entertainment``: a
    surname, or an organisation's name without its designator, contained in exactly
    one longer name (or several that are one person: ``group`` maps a name to its
    merged group).

    Curated canonicals never merge this way: ``IRGC`` is not ``IRGC Aerospace Force``
    and ``Hezbollah`` is not ``Kataib Hezbollah``; nor does a name that only one
    article may use (an ambiguous surname).
    """
    curated = load_gazetteer()["aliases"]
    root = group or (lambda k: k)
    words = {k: _content_words(k) for k in keys}
    # keys by content word: a whole must hold every word of the part, so only the
    # keys sharing its rarest word are candidates, not every key of the corpus
    by_word: dict[str, list[str]] = {}
    for key in keys:
        for word in words[key]:
            by_word.setdefault(word, []).append(key)
    pairs = []
    for part in keys:
        if not words[part] or part in curated or labels[part] not in ("PERSON", "ORG"):
            continue
        if _SCOPE in part:
            continue
        rarest = min(words[part], key=lambda w: len(by_word[w]))
        wholes = [w for w in by_word[rarest] if w != part and _may_contain(w, part, labels, words)]
        if wholes and len({root(w) for w in wholes}) == 1:
            pairs.append((part, wholes[0]))
    return pairs


#: Names of a body that say what it is, not which one: "Police" is no one police
#: force, so it never becomes the "Athens Police" of one story.
GENERIC_BODIES = frozenset(
    """
    police army navy air force senate congress parliament assembly government court
    ministry council party team church agency committee commission board state city
    county district guard guards military authority authorities administration
    """.split()
)


def place_prefixed_pairs(
    keys: Sequence[str], labels: dict[str, str], group: Callable[[str], str]
) -> list[tuple[str, str]]:
    """``Colts`` <- ``Indianapolis Colts``, ``Saints`` <- ``New Orleans Saints``: an
    organisation's name printed after a place the corpus names is the same
    organisation as that name alone, where exactly one such longer name holds it.
    Outlets never merge this way ("Times" is not "New York Times"), nor curated
    names, nor a generic body ("Police" is not "Athens Police").

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        group (Callable[[str], str]): a node's merged group.

    Returns:
        list[tuple[str, str]]: (short name, place-prefixed name) pairs.
    """
    curated = load_gazetteer()["aliases"]
    places = {k for k in keys if labels.get(k) in ("GPE", "LOC") and _SCOPE not in k}
    wholes: dict[str, set[str]] = {}
    for key in keys:
        if labels.get(key) != "ORG" or _SCOPE in key or key in curated:
            continue
        words = key.split()
        for i in range(1, len(words)):
            if " ".join(words[:i]) in places:
                wholes.setdefault(" ".join(words[i:]), set()).add(key)
    pairs = []
    for part, found in sorted(wholes.items()):
        if part not in labels or labels[part] != "ORG" or part in curated:
            continue
        if _content_words(part) <= GENERIC_BODIES | DESIGNATORS | KINDS:
            continue
        if len({group(w) for w in found}) == 1:
            pairs.append((part, min(found)))
    return pairs


def street_short_pairs(
    keys: Sequence[str],
    labels: dict[str, str],
    docs: dict[str, set[str]],
    group: Callable[[str], str],
) -> list[tuple[str, str]]:
    """``Syntagma`` <- ``Syntagma Square``, ``Stadiou`` <- ``Stadiou Street``: a
    street's or a square's name without its designator, within a story (one article
    or related ones), where the story names one such street. A name the NER calls a
    place or a person is that place or person ("Albany" is not "Albany Ave",
    "Pennsylvania" not "Pennsylvania Avenue").

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]]): the articles of each node.
        group (Callable[[str], str]): a node's merged group.

    Returns:
        list[tuple[str, str]]: (short name, street name) pairs.
    """
    curated = load_gazetteer()["aliases"]
    known = set(keys)
    wholes: dict[str, set[str]] = {}
    for key in keys:
        words = street_name(key).split()
        if len(words) > 1 and words[-1].lower() in STREET_WORDS and _SCOPE not in key:
            wholes.setdefault(" ".join(words[:-1]), set()).add(key)
    in_doc = _articles_names(docs)
    pairs = []
    for part, found in sorted(wholes.items()):
        if part not in known or part in curated or labels.get(part) in ("GPE", "LOC", "PERSON"):
            continue
        near = {w for w in found if docs[part] & docs[w] or _related(part, w, docs, in_doc)}
        if near and len({group(w) for w in near}) == 1:
            pairs.append((part, min(near)))
    return pairs


def shortened_pairs(
    keys: Sequence[str],
    labels: dict[str, str],
    docs: dict[str, set[str]],
    group: Callable[[str], str],
) -> list[tuple[str, str]]:
    """A body's name shortened within a story: middle words dropped ("Carlton Hotel" <-
    "Carlton Intercontinental Hotel", "Fulton Courthouse" <- "Fulton County
    Courthouse") or its place dropped ("Communist Party" <- "Communist Party of
    Greece"), in one article or related ones, where the story has one such longer
    name. People never (their middle names are :func:`variant_pairs`'), nor a name
    that says only what kind of body it is ("Police" <- "Police of Athens"), nor a
    name starting with a place the corpus names ("Athens University" is not "Athens
    Polytechnic University").

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.
        docs (dict[str, set[str]]): the articles of each node.
        group (Callable[[str], str]): a node's merged group.

    Returns:
        list[tuple[str, str]]: (short name, longer name) pairs.
    """
    curated = load_gazetteer()["aliases"]
    places = {k for k in keys if labels.get(k) in ("GPE", "LOC")}
    bodies = [
        k
        for k in keys
        if labels.get(k) not in ("PERSON", None) and _SCOPE not in k and k not in curated
    ]
    shorts: dict[str, set[str]] = {}  # spelled short form -> longer names
    for key in bodies:
        for short in _shortenings(key, places):
            shorts.setdefault(spelling_key(short), set()).add(key)
    in_doc = _articles_names(docs)
    pairs = []
    for part in keys:
        wholes = shorts.get(spelling_key(part), set())
        if not wholes or labels.get(part) == "PERSON" or part in curated or _SCOPE in part:
            continue
        near = {w for w in wholes if docs[part] & docs[w] or _related(part, w, docs, in_doc)}
        if near and len({group(w) for w in near}) == 1:
            pairs.append((part, min(near)))
    return pairs


def _shortenings(name: str, places: set[str]) -> list[str]:
    """The short forms of a body's name :func:`shortened_pairs` looks for."""
    words = name.split()
    out = []
    of = next((i for i, w in enumerate(words) if w == "of"), None)
    if of is not None and of >= 1 and " ".join(words[of + 1 :]) in places:
        out.append(" ".join(words[:of]))
    elif len(words) >= 3 and words[0] not in places and words[-1][:1].isupper():
        out += [f"{words[0]} {words[-1]}"]
    return [s for s in out if not _content_words(s) <= GENERIC_BODIES | DESIGNATORS | KINDS]


#: Words that designate what kind of organisation a name is, not which one:
#: "Summit Entertainment" is Summit, "U.S. Marshals Service" the U.S. Marshals.
DESIGNATORS = frozenset(
    """
    inc incorporated corp corporation co company ltd limited llc plc lp llp group holdings
    entertainment studios studio films pictures medical
    """.split()
)


#: Designators that say what kind of body a name is: "Jamaica Hospital" and "Jamaica
#: College" are two bodies; "Summit" and "Summit Entertainment" one.
KINDS = frozenset(
    """
    bank university college school hospital medical center centre foundation department
    dept office service services hotel church clinic court
    """.split()
)


def _core(key: str) -> tuple[frozenset[str], frozenset[str]]:
    """An organisation name's identifying words and its kind words, singular."""
    words = {_singular(w) for w in _content_words(key)}
    designators = {_singular(w) for w in DESIGNATORS | KINDS}
    return frozenset(words - designators), frozenset(words & {_singular(w) for w in KINDS})


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def org_variant_pairs(keys: Sequence[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """One organisation's names: the same identifying words, one kind inside the other
    ("Summit" = "Summit Entertainment" = "Summit Entertainment LLC"; "U.S. Marshals
    Service" = "U.S. Marshal Service"); "Jamaica Hospital" is not "Jamaica College".

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label (only ORG nodes pair).

    Returns:
        list[tuple[str, str]]: pairs of nodes to merge.
    """
    curated = load_gazetteer()["aliases"]
    cores: dict[frozenset[str], list[tuple[str, frozenset[str]]]] = {}
    for key in keys:
        if labels.get(key) == "ORG" and key not in curated and _SCOPE not in key:
            core, kinds = _core(key)
            if core:
                cores.setdefault(core, []).append((key, kinds))
    pairs = []
    for group in cores.values():
        fits = {a: {b for b, kb in group if b != a and (ka <= kb or kb <= ka)} for a, ka in group}
        for a, _ in group:
            for b in fits[a]:
                if a < b and fits[a] - {b} <= fits[b] | {b} and fits[b] - {a} <= fits[a] | {a}:
                    pairs.append((a, b))
    return pairs


def _may_contain(
    whole: str, part: str, labels: dict[str, str], words: dict[str, frozenset[str]]
) -> bool:
    if _SCOPE in whole or not words[part] < words[whole]:
        return False
    if labels[whole] == "PERSON":
        # a surname alone joins a person only in a related article (lone_name_pairs)
        return len(words[part]) > 1 and labels[part] == "PERSON"
    return (
        labels[whole] == labels[part] == "ORG" and words[whole] - words[part] <= DESIGNATORS | KINDS
    )


def _content_words(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", key) if w.lower() not in _STOP)


def _canonical_rank(key: str, keys: Counter[str]) -> tuple[int, int, int, str]:
    """A full name before a surname, then the most frequent, the longest."""
    return (len(name_words(key)) > 1, keys[key], len(key), key)


def _entity(group: Sequence[EntityMention]) -> Entity:
    keys = Counter(m.entity_id for m in group)
    curated = [k for k in keys if k in load_gazetteer()["aliases"]]
    canonical = curated[0] if curated else max(keys, key=lambda k: _canonical_rank(k, keys))
    votes = Counter(m.label for m in group if m.entity_id == canonical)
    label = _pick_label(votes or Counter(m.label for m in group))
    if label == "PERSON" and not curated:
        canonical = " ".join(name_words(canonical))  # "James Bodiford", not "Judge James ..."
    entity_id = f"{label}:{re.sub(r'[^a-z0-9]+', '-', canonical.lower()).strip('-')}"
    mentions = tuple(
        EntityMention(m.doc_id, m.start, m.end, m.text, m.label, entity_id, m.method)
        for m in sorted(group, key=lambda m: (m.doc_id, m.start))
    )
    forms = tuple(sorted({_SPACES.sub(" ", m.text) for m in group}))
    return Entity(entity_id, canonical, label, forms, mentions)
