"""Entity mentions merged into entities with their aliases, within and across documents.

Keys (:func:`~storytrace.stages.entities.extract.alias_key`) are merged
(:func:`merge_mentions`):

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

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from itertools import combinations

from storytrace.records import Document, Entity, EntityMention
from storytrace.stages.entities.extract import (
    PAPER_WORDS,
    PROPAGATED,
    SPACES,
    STOP_WORDS,
    EntityConfig,
    entity_pipeline,
    load_gazetteer,
    mentions_of_doc,
    nickname_of,
    pick_label,
    propagated,
)
from storytrace.stages.entities.names import (
    STREET_WORDS,
    fold,
    generation,
    given_name,
    name_words,
    same_person,
    spelling_key,
    state_name,
    street_name,
    surname,
)
from storytrace.stages.grouping import UnionFind


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
    entities = _unique_ids([_entity(group) for group in groups.values()])
    return tuple(sorted(entities, key=lambda e: (-len(e.mentions), e.canonical, e.entity_id)))


def _unique_ids(entities: Sequence[Entity]) -> list[Entity]:
    """Entities whose ids would repeat (two people of one name kept apart: the Singhs
    of three articles, a son beside his father) numbered in the order of their first
    mention: ``PERSON:singh``, ``PERSON:singh-2``, ..."""
    by_id: dict[str, list[Entity]] = {}
    for e in entities:
        by_id.setdefault(e.entity_id, []).append(e)
    out: list[Entity] = []
    for eid, same in by_id.items():
        ordered = sorted(same, key=lambda e: (e.mentions[0].doc_id, e.mentions[0].start))
        for n, e in enumerate(ordered, start=1):
            new = eid if n == 1 else f"{eid}-{n}"
            out.append(
                e
                if new == eid
                else replace(
                    e, entity_id=new, mentions=tuple(replace(m, entity_id=new) for m in e.mentions)
                )
            )
    return out


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
        lambda: (
            street_short_pairs(keys, labels, docs, merged.find) + water_short_pairs(keys, labels)
        ),
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
    things = _thing_names(mentions)
    by_doc: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        by_doc.setdefault(m.doc_id, []).append(i)
    nodes = [m.entity_id for m in mentions]
    for doc_id, idx in by_doc.items():
        juniors = _generations(_tagged_people(mentions, idx, labels))
        people = _people_of(
            mentions[i].entity_id
            for i in idx
            if _is_person(mentions[i], labels) and mentions[i].entity_id not in juniors
        )
        first = _first_seen(people, [mentions[i] for i in idx])
        for i in idx:
            m = mentions[i]
            if m.entity_id in curated or m.entity_id in juniors or m.label not in _NAME_LABELS:
                continue  # a junior beside his father: see _article_nodes
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
                # a place's name joins only a person the NER calls a person more often
                # than not: "Egypt" is not part of "Etisalat Egypt" (once a PERSON)
                if m.label != "GPE" or named[rep] < 0
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
            elif person and len(words) == 1 and not named[m.entity_id] > 0 and full not in things:
                nodes[i] = f"{doc_id}{_SCOPE}{full}"  # a surname alone: see lone_name_pairs
            elif person:
                nodes[i] = full
    return _article_nodes(mentions, by_doc, nodes, labels)


#: Labels of things a one-word name may also be tagged as: a place, a building, a product.
_THING_LABELS = frozenset({"GPE", "LOC", "FAC", "PRODUCT"})


def _thing_names(mentions: Sequence[EntityMention]) -> set[str]:
    """One-word names the corpus tags as a place, building or product somewhere and no
    person of the corpus bears (as a first name or surname of a full name): "Marseilles"
    or "Twitter", tagged PERSON in some articles, is the city or the service in every
    article, one name, not a lone surname kept to each article. A word someone bears
    ("Jackson": Vincent Jackson, and the city) stays a surname where tagged PERSON."""
    borne = {
        fold(w)
        for m in mentions
        if m.label == "PERSON" and len(name_words(m.entity_id)) > 1
        for w in name_words(m.entity_id)
    }
    return {
        m.entity_id
        for m in mentions
        if m.label in _THING_LABELS and " " not in m.entity_id and fold(m.entity_id) not in borne
    }


def _article_nodes(
    mentions: Sequence[EntityMention],
    by_doc: dict[str, list[int]],
    nodes: list[str],
    labels: dict[str, str],
) -> list[str]:
    """``nodes`` with each article's one-word outlet names as its one longer outlet
    (:func:`_whole_outlets`: "the Post" of a Washington Post article) and its juniors
    beside their fathers as the article's own (:func:`_generations`: "Mark Felt Jr.")."""
    for doc_id, idx in by_doc.items():
        outlets = _whole_outlets(
            mentions[i].entity_id for i in idx if mentions[i].label == "OUTLET"
        )
        juniors = _generations(_tagged_people(mentions, idx, labels))
        for i in idx:
            key = mentions[i].entity_id
            if mentions[i].label == "OUTLET" and key in outlets:
                nodes[i] = outlets[key]
            elif key in juniors:
                nodes[i] = f"{doc_id}{_SCOPE}{key}"
    return nodes


def _tagged_people(
    mentions: Sequence[EntityMention], idx: Sequence[int], labels: dict[str, str]
) -> list[str]:
    """An article's person keys as its NER tagged them: a name propagated from another
    article (``PROPAGATED``: "Arcade Joseph Comeaux" read inside the headline "Arcade
    Joseph Comeaux Jr Escapes") is no second person beside the tagged "... Jr."."""
    return [
        mentions[i].entity_id
        for i in idx
        if _is_person(mentions[i], labels) and mentions[i].method != PROPAGATED
    ]


def _generations(keys: Iterable[str]) -> set[str]:
    """An article's names with a generational suffix ("Mark Felt Jr.", "Ike LaRue III",
    "Fred Jr.") where the article also names someone of that surname (or, for a first
    name alone, that first name) with another suffix or none: a father and a son, two
    people. Alone in its article, "Arcade Joseph Comeaux Jr." is just the man's name."""
    names = set(keys)
    out = set()
    for key in names:
        words = name_words(key)
        if not generation(key) or not words:
            continue
        at = 0 if len(words) == 1 else -1  # "Fred Jr.": the first name
        if any(
            len(name_words(k)) > 1
            and fold(name_words(k)[at]) == fold(words[at])
            and generation(k) != generation(key)
            for k in names - {key}
        ):
            out.add(key)
    return out


def _whole_outlets(keys: Iterable[str]) -> dict[str, str]:
    """An article's one-word outlet names that end exactly one longer outlet name of the
    same article ("Post" beside "Washington Post"): short -> whole. A curated name
    ("Times": The Times of London) never is, nor a word two outlets end with."""
    curated = load_gazetteer()["aliases"]
    names = set(keys)
    out: dict[str, str] = {}
    for short in sorted(names):
        if len(short.split()) != 1 or short in curated:
            continue
        wholes = {w for w in names if w.endswith(" " + short)}
        if len({_expand_state(w) for w in wholes}) == 1:
            out[short] = min(wholes)
    return out


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
    return person and len(words) == 1 and fold(words[0]) in {fold(name[0]), fold(given_name(name))}


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
            for word in {
                fold(surname(name)),
                fold(given_name(name) or name[0]),
                *nick_of.get(name, ()),
            }:
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


#: One-word outlet names that may stand for a longer one of a related article.
_LONE_PAPER_WORDS = PAPER_WORDS - {"Times", "News"}


def outlet_short_pairs(
    keys: Sequence[str], labels: dict[str, str], docs: dict[str, set[str]]
) -> list[tuple[str, str]]:
    """An outlet's short name within a story: "Daily News" is the "New York Daily News"
    (or "N.Y. Daily News") of a related article when it is the end of exactly one
    outlet's longer name there. A one-word name is only a newspaper's word ("the Post"
    in an article naming no Post, beside a related article's Washington Post: session
    17); "Times" (curated: The Times) and "News" never are, nor any common word ("Press"
    is not the Associated Press), nor a curated outlet.

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
        if part in curated or (len(part.split()) < 2 and part not in _LONE_PAPER_WORDS):
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
    return {k: pick_label(v) for k, v in votes.items()}


def _rank(key: str) -> tuple[int, int]:
    """The curated canonical (or the longer name) becomes a merged group's root."""
    return (-(key in load_gazetteer()["aliases"]), -len(key))


def content_words(name: str) -> frozenset[str]:
    """A name's lower-case words that are no stop words."""
    return frozenset(w.lower() for w in re.findall(r"\w+", name) if w.lower() not in STOP_WORDS)


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
    content = [w for w in words if w.lower() not in STOP_WORDS]
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
    words = {k: content_words(k) for k in keys}
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
        if content_words(part) <= GENERIC_BODIES | DESIGNATORS | KINDS:
            continue
        if len({group(w) for w in found}) == 1:
            pairs.append((part, min(found)))
    return pairs


#: A body of water's designator printed after its name ("Mediterranean Sea").
WATER_WORDS = frozenset("sea ocean river strait straits canal".split())


def water_short_pairs(keys: Sequence[str], labels: dict[str, str]) -> list[tuple[str, str]]:
    """``Mediterranean`` <- ``Mediterranean Sea``: a sea's, an ocean's or a river's name
    without its designator, where the NER calls it a location (LOC, the label of seas
    and regions) and the corpus names one such body of water. A name the NER calls a
    country, state or city (GPE) stays that: "Mississippi" is not the Mississippi River.

    Args:
        keys (Sequence[str]): merge nodes.
        labels (dict[str, str]): each node's label.

    Returns:
        list[tuple[str, str]]: (short name, full name) pairs.
    """
    wholes: dict[str, set[str]] = {}
    for key in keys:
        words = key.split()
        if len(words) > 1 and words[-1].lower() in WATER_WORDS and _SCOPE not in key:
            wholes.setdefault(" ".join(words[:-1]), set()).add(key)
    return [
        (part, min(found))
        for part, found in sorted(wholes.items())
        if labels.get(part) == "LOC" and len(found) == 1
    ]


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
    return [s for s in out if not content_words(s) <= GENERIC_BODIES | DESIGNATORS | KINDS]


#: Words that designate what kind of organisation a name is, not which one:
#: "Summit Entertainment" is Summit, "U.S. Marshals Service" the U.S. Marshals.
DESIGNATORS = frozenset(
    """
    inc incorporated corp corporation co company ltd limited llc plc lp llp group holdings
    entertainment studios studio films pictures medical sa ag nv bv gmbh spa sgps
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
    words = {_singular(w) for w in content_words(key)}
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


def _canonical_rank(key: str, keys: Counter[str]) -> tuple[int, int, int, str]:
    """A full name before a surname, then the most frequent, the longest."""
    return (len(name_words(key)) > 1, keys[key], len(key), key)


def _entity(group: Sequence[EntityMention]) -> Entity:
    keys = Counter(m.entity_id for m in group)
    curated = [k for k in keys if k in load_gazetteer()["aliases"]]
    canonical = curated[0] if curated else max(keys, key=lambda k: _canonical_rank(k, keys))
    votes = Counter(m.label for m in group if m.entity_id == canonical)
    label = pick_label(votes or Counter(m.label for m in group))
    if label == "PERSON" and not curated:
        suffix = generation(canonical)  # "Mark Felt Jr.", his father's son
        canonical = " ".join(name_words(canonical))  # "James Bodiford", not "Judge James ..."
        canonical += f" {suffix}." if suffix in ("Jr", "Sr") else f" {suffix}" if suffix else ""
    entity_id = f"{label}:{re.sub(r'[^a-z0-9]+', '-', canonical.lower()).strip('-')}"
    mentions = tuple(
        EntityMention(m.doc_id, m.start, m.end, m.text, m.label, entity_id, m.method)
        for m in sorted(group, key=lambda m: (m.doc_id, m.start))
    )
    forms = tuple(sorted({SPACES.sub(" ", m.text) for m in group}))
    return Entity(entity_id, canonical, label, forms, mentions)
