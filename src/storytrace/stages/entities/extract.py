"""Entities with their aliases, merged within and across documents.

spaCy's NER finds people, organisations and places; an entity ruler built from
``resources/gazetteer.json`` adds what a news model misses or gets wrong: weapon
names (``<Name> <number>`` followed by a missile word, so "Jamal 69 ballistic
missiles" is a WEAPON and not a PERSON), military units and news outlets.

Mentions are then merged into entities, in this order (each rule a function):

1. the curated alias table and metonyms (``Tehran`` -> Iran, ``Washington`` ->
   United States; capitals only when tagged as places);
2. "the regime" -> the document's dominant country;
3. outlet names normalised (``the Times of London`` / ``UK Times`` / ``British
   Times newspaper`` -> The Times);
4. acronyms derived from the initials of a multi-word name (IRGC <- Islamic
   Revolutionary Guard Corps), never curated one by one;
5. token containment of the same label (``Trump`` <- ``Donald Trump``).

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
from typing import TYPE_CHECKING, Any

from storytrace.records import Document, Entity, EntityMention
from storytrace.stages.grouping import UnionFind

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc as SpacyDoc
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
    return re.compile(rf"(?<![\w.]){re.escape(name)}(?![\w])")


@cache
def _outlet_regex() -> re.Pattern[str]:
    words = "|".join(re.escape(w) for w in load_gazetteer()["outlet_words"] if w[0].isupper())
    # a capitalised run ending in an outlet word ("Anchorage Daily News"), not followed
    # by more capitals ("Press Secretary"), or "<Adj> media"
    return re.compile(rf"(?:[A-Z][\w.&'-]*\s)*(?:{words})\b(?!\s[A-Z])|\b[A-Z][\w.]*\smedia\b")


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
    for ent in sdoc.ents:
        label = ent.label_
        if label not in KEPT_LABELS:
            continue
        method = f"entities.ruler.{ent.ent_id_}" if ent.ent_id_ else "entities.ner.v1"
        if label == "ORG" and outlet_name(ent.text) is not None and not ent.ent_id_:
            label, method = "OUTLET", "entities.ner.v1+outlet"
        key = alias_key(ent.text, label)
        if ent.ent_id_ == "gov_word":
            key = dominant  # "the regime": the country the article is about
        if key:
            out.append(
                EntityMention(doc_id, ent.start_char, ent.end_char, ent.text, label, key, method)
            )
    return out + _surname_mentions(doc_id, sdoc)


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
    for candidate in (flat, bare, bare.removeprefix("the ").removeprefix("The ")):
        canonical = _alias_index().get(candidate)
        if canonical is not None:
            return canonical
        if label in ("GPE", "LOC") and candidate in gaz["metonyms"]:
            return str(gaz["metonyms"][candidate])
    return bare.removeprefix("the ").removeprefix("The ")


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
    """Group mentions into entities by alias key, acronym and token containment.

    Args:
        mentions (Sequence[EntityMention]): mentions whose ``entity_id`` is an alias key.
        config (EntityConfig): options.

    Returns:
        tuple[Entity, ...]: entities sorted by mention count, then canonical name.
    """
    keys = sorted({m.entity_id for m in mentions})
    labels = _key_labels(mentions)
    merged: UnionFind[str] = UnionFind(_rank)
    for short, long in _acronym_pairs(keys, config.min_acronym):
        merged.union(short, long)
    for part, whole in _containment_pairs(keys, labels):
        merged.union(part, whole)
    groups: dict[str, list[EntityMention]] = {}
    for m in mentions:
        groups.setdefault(merged.find(m.entity_id), []).append(m)
    entities = [_entity(group) for group in groups.values()]
    return tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.canonical)))


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
    and of all its words (``Joint Comprehensive Plan of Action`` -> JCPA, JCPOA).

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
    return (short,) if short == full else (short, full)


def _acronym_pairs(keys: Sequence[str], min_len: int) -> list[tuple[str, str]]:
    index: dict[str, list[str]] = {}
    for key in keys:
        for acro in initials(key):
            index.setdefault(acro, []).append(key)
    pairs = []
    for key in keys:
        short = key.replace(".", "")
        if len(short) >= min_len and short.isupper() and short.isalpha():
            pairs += [(key, long) for long in index.get(short, [])]
    return pairs


def _containment_pairs(keys: Sequence[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """``Trump`` <- ``Donald Trump``, ``Qaani`` <- ``Esmail Qaani``: a surname, or a
    name of two or more words, contained in exactly one longer name.

    Curated canonicals never merge this way: ``IRGC`` is not ``IRGC Aerospace Force``
    and ``Hezbollah`` is not ``Kataib Hezbollah``.
    """
    curated = load_gazetteer()["aliases"]
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
        rarest = min(words[part], key=lambda w: len(by_word[w]))
        wholes = [w for w in by_word[rarest] if w != part and _may_contain(w, part, labels, words)]
        if len(wholes) == 1:
            pairs.append((part, wholes[0]))
    return pairs


def _may_contain(
    whole: str, part: str, labels: dict[str, str], words: dict[str, frozenset[str]]
) -> bool:
    if not words[part] < words[whole]:
        return False
    if labels[whole] == "PERSON":
        # a surname alone is often tagged ORG ("Qaani conveyed ..."): still the person
        return len(words[part]) > 1 or whole.split()[-1].lower() == part.lower()
    return labels[whole] == labels[part] == "ORG" and len(words[part]) > 1


def _content_words(key: str) -> frozenset[str]:
    return frozenset(w.lower() for w in re.findall(r"\w+", key) if w.lower() not in _STOP)


def _entity(group: Sequence[EntityMention]) -> Entity:
    keys = Counter(m.entity_id for m in group)
    curated = [k for k in keys if k in load_gazetteer()["aliases"]]
    canonical = curated[0] if curated else max(keys, key=lambda k: (keys[k], len(k), k))
    votes = Counter(m.label for m in group if m.entity_id == canonical)
    label = _pick_label(votes or Counter(m.label for m in group))
    entity_id = f"{label}:{re.sub(r'[^a-z0-9]+', '-', canonical.lower()).strip('-')}"
    mentions = tuple(
        EntityMention(m.doc_id, m.start, m.end, m.text, m.label, entity_id, m.method)
        for m in sorted(group, key=lambda m: (m.doc_id, m.start))
    )
    forms = tuple(sorted({_SPACES.sub(" ", m.text) for m in group}))
    return Entity(entity_id, canonical, label, forms, mentions)
