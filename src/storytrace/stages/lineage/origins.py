"""Who a statement ultimately comes from: a source identity, not the outlet that printed it.

The conventions (``crosscheck-annotation.md``) count origins by source: one
official quoted by several outlets is one origin; an organisation and its
spokespeople are one; copies of one wire report are one; unattributed narration
is the article's own reporting unless other articles attribute the same fact to
a source. This module gives each statement its origin key:

* ``org:<body>`` -- an organisation or its spokespeople ("police", "a police
  spokesman", "Lt. Hastings of the state police" all say what the police say);
* ``person:<surname>`` -- a named person (titles and first names dropped, so
  "Sgt. John Smith" and "Smith" are one);
* ``outlet:<name>`` -- an outlet named as the source, or the wire agency whose
  copy an article prints (a dateline "(AP) --", a credit line);
* ``anon:<descriptor>`` -- an unnamed source, by what it is called ("officials");
* ``article:<doc_id>`` -- an article's own reporting (copies share the earliest's).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from storytrace.records import DocPair, Document, Quote
from storytrace.stages.entities.extract import outlet_name
from storytrace.stages.grouping import UnionFind
from storytrace.stages.lineage.provenance import via_outlet

#: Bodies whose spokespeople speak for them; a speaker naming one is that body.
ORG_WORDS: tuple[str, ...] = (
    "police", "sheriff", "navy", "army", "military", "ministry", "department",
    "prosecutor", "prosecutors", "district attorney", "attorney general", "government",
    "white house", "pentagon", "fbi", "coast guard", "fire department", "firefighters",
    "court", "agency", "commission", "company", "team", "academy", "office",
    "geological survey", "usgs", "authorities", "embassy", "state department",
    "nypd", "lapd", "troopers", "marshals", "medical examiner", "coroner", "hospital",
)  # fmt: skip
#: Titles of people who speak for a body: with a body named beside them, they are that body.
_SPOKES = re.compile(
    r"\b(?:spokes(?:man|woman|person)|commissioner|chief|officer|sergeant|sgt|lt|lieutenant|"
    r"captain|capt|detective|det|superintendent|trooper|deputy|official|prosecutor|"
    r"assistant district attorney|spokesmen)\b",
    re.I,
)
_ORG = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, ORG_WORDS), key=len, reverse=True)) + r")\b", re.I
)
#: The agencies whose copy many outlets print.
WIRES: dict[str, str] = {
    "AP": "Associated Press", "Associated Press": "Associated Press", "AFP": "AFP",
    "Agence France-Presse": "AFP", "Reuters": "Reuters", "PTI": "Press Trust of India",
    "Press Trust of India": "Press Trust of India", "IANS": "IANS", "dpa": "dpa",
    "Press Association": "Press Association", "UPI": "UPI", "Xinhua": "Xinhua",
}  # fmt: skip
_WIRE = "|".join(sorted(map(re.escape, WIRES), key=len, reverse=True))
_DATELINE = re.compile(rf"\((?:{_WIRE})\)|\b(?:{_WIRE})\s*(?:—|--|–)\s|^\s*(?:{_WIRE})\s*$", re.M)
_CREDIT = re.compile(
    rf"\b(?:{_WIRE})\b[^.\n]{{0,40}}\bcontributed\b|\b(?:Copyright|©)[^.\n]{{0,20}}\b(?:{_WIRE})\b"
)
_TITLES = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:Lt|Sgt|Col|Gen|Capt|Cmdr|Maj|Adm|Insp|Det|Officer|Dr|Mr|Mrs|Ms|"
    r"President|Prime Minister|Minister|Secretary|Governor|Gov|Sen|Rep|Mayor|Chief|Judge|Justice|"
    r"Commissioner|Director|Spokesman|Spokeswoman|Superintendent|Sheriff|Coach|Rev|Father)\.?\s+)+",
    re.I,
)
_NAME = re.compile(r"[A-Z][\w'’-]+")
#: Words that make a speaker's name an outlet's ("The Hollywood Reporter", "EW", "Sky News").
_OUTLET = re.compile(
    r"\b(?:Times|Post|News|Journal|Reporter|Weekly|Daily|Tribune|Herald|Gazette|Magazine|"
    r"Press|Telegraph|Guardian|Observer|Chronicle|Independent|Mail|Express|Star|Sun|Radio|TV|"
    r"Television|Broadcasting|Network|Wire|Agency|Online|\.com|magazine|newspaper|website|"
    r"station|blog|CNN|BBC|NBC|CBS|ABC|Fox|Sky|EW|THR|NYT|AP|AFP|Reuters|Bloomberg|Variety|"
    r"Deadline|People|TMZ)\b"
)
#: Unnamed written sources: "reports said", "according to media reports".
_REPORTS = re.compile(r"^(?:the\s+|media\s+|news\s+|local\s+|press\s+)*reports?$", re.I)


@dataclass(frozen=True, slots=True)
class Source:
    """Where one statement comes from.

    Attributes:
        key (str): the origin's identity (see the module's docstring).
        label (str): the origin as a reader names it ("The Times", "police").
        speaker (str | None): who speaks, as printed ("a regional intelligence
            source"); ``None`` for narration and an outlet speaking for itself.
        anonymous (bool | None): the speaker is unnamed (``None``: no speaker).
    """

    key: str
    label: str
    speaker: str | None
    anonymous: bool | None


def wire_of(doc: Document | None) -> str | None:
    """The wire agency whose copy the article prints, from its dateline or credit line."""
    if doc is None:
        return None
    head, tail = doc.text[:400], doc.text[-400:]
    for where in (head, tail, doc.page_text[:400]):
        found = _DATELINE.search(where) or _CREDIT.search(where)
        if found:
            name = next(
                (w for w in WIRES if re.search(rf"\b{re.escape(w)}\b", found.group())), None
            )
            if name:
                return WIRES[name]
    return None


#: What a source is only near, not part of: "a politician close to the government".
_NOT_OF = re.compile(
    r"\b(?:close to|near|linked to|allied with|familiar with|critical of|opposed to|aligned with)\b.*",
    re.I,
)


#: Names of one body: a city's police force is its police; a prosecutor speaks for prosecutors.
_SAME_BODY: dict[str, str] = {
    "nypd": "police", "lapd": "police", "troopers": "police", "prosecutor": "prosecutors",
}  # fmt: skip


def _org(text: str) -> str | None:
    found = _ORG.search(_NOT_OF.sub("", text))
    if found is None:
        return None
    body = str(found.group(1)).lower()
    return _SAME_BODY.get(body, body)


#: Capitalised words that are never a surname: a speaker "Monday" is a misread dateline.
_NOT_NAMES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december the a an he she it they we i you this "
    "that there here his her their its our".split()
)
#: Last words that make a named speaker an organisation ("Summit Entertainment", "West Coast Bank").
_BODY = re.compile(
    r"\b(?:Entertainment|Studios?|Pictures|Inc|Corp|Corporation|Company|Co|Group|Bank|Service|"
    r"Services|University|College|Council|Association|Union|Party|Institute|Foundation|Agency|"
    r"Ministry|Department|Office|Commission|Committee|Board|Authority|Bureau|Brigade|Federation|"
    r"Confederation|Organi[sz]ation|Network|Industries|Holdings|Ltd|LLC|Airlines?|Hospital|Police|"
    r"Army|Navy|Force|Forces|Guard)\.?$"
)


#: Where the head of a speaker phrase ends: an apposition ("Bob Currie, 66, a resident of ..."),
#: a relative clause ("Mr. Nichols, who was raised in Baltimore"), a second speaker.
_HEAD_END = re.compile(r",|;|\s(?:who|whom|whose|which|that|and)\s|\s(?:—|--|–)\s", re.I)
#: What follows a name and is not part of it: "Danny Gold of Metropolis", "Hastings of the
#: state police", "Rossi for the prosecution".
_COMPLEMENT = re.compile(r"\s(?:of|for|at|from|with|in|on|to|by|close|familiar)\s.*", re.I | re.S)
#: Capitalised words that name a role, never a person: "The German Chancellor".
_ROLES = frozenset(
    "chancellor president minister secretary judge justice chief commissioner director spokesman "
    "spokeswoman spokesperson governor mayor sheriff officer prosecutor attorney general senator "
    "representative ambassador premier pope coach captain lieutenant sergeant "
    "detective inspector superintendent chairman chairwoman ceo head leader".split()
)
#: Lower-case particles of a surname ("Van Rompuy", "Del Giudice" / "DelGiudice": one name).
_PARTICLES = frozenset("van von de del della der den di da du des la le ter".split())
_DETERMINED = re.compile(r"^(?:the|a|an)\s", re.I)


def _head_segments(speaker: str, conjunctions: bool = True) -> list[str]:
    """The segments of a speaker phrase up to its first relative clause: "Bob Currie, 66, a
    resident of ..." -> ["Bob Currie", "66", "a resident of ..."]; with ``conjunctions``, a
    second speaker ends the head too ("Howard and some legislators" -> ["Howard"])."""
    out = []
    rest = speaker.strip().strip("\"“”'‘’ ")
    while rest:
        found = next(
            (m for m in _HEAD_END.finditer(rest) if conjunctions or m.group().strip() != "and"),
            None,
        )
        part = rest[: found.start()] if found else rest
        if part.strip():
            out.append(part.strip())
        if found is None or found.group().strip(" ,;"):
            break  # a relative clause or a second speaker: the rest is not the head
        rest = rest[found.end() :]
    return out


def person_name(speaker: str) -> str | None:
    """The personal name in a speaker phrase, titles, appositions and relative clauses left out
    ("Mr. Nichols, who was raised in Baltimore" -> "Nichols"; "The head of the GSEE union,
    Giannis Panagopoulos" -> "Giannis Panagopoulos"; "Danny Gold of Metropolis" -> "Danny
    Gold"); ``None`` for a description ("the mother of a girl shot on an Albany street")."""
    for segment in _head_segments(speaker):
        part = _COMPLEMENT.sub("", _TITLES.sub("", segment)).strip()
        words = part.split()
        if not words or not _NAME.fullmatch(words[-1].strip(".")):
            continue  # "a resident", "66", "the head of ...": no name here
        last = words[-1].strip(".").lower()
        if last in _ROLES or last in _NOT_NAMES or _ORG.fullmatch(last) or _BODY.search(part):
            continue  # "The German Chancellor", "Oregon State Police", "Summit Entertainment"
        if _DETERMINED.match(part) and not all(_NAME.fullmatch(w) for w in words[1:]):
            continue  # "the white woman"
        return part
    return None


def surname(name: str) -> str | None:
    """The surname in a speaker phrase: the last word of its personal name once titles are
    dropped ("Sgt. John Smith" -> smith), a particle joined to it ("Herman Van Rompuy" ->
    vanrompuy, "Del Giudice" -> delgiudice); ``None`` when there is no name ("Monday", "The",
    "officials")."""
    found = person_name(name)
    words: list[str] = _NAME.findall(found) if found else []
    if not words:
        return None
    last = words[-1].lower().rstrip("'’")
    before = found.split()[:-1] if found else []
    if before and before[-1].lower() in _PARTICLES and len(words) > 1:
        last = before[-1].lower() + last
    return None if last in _NOT_NAMES else last


#: Where a title before a name stops: punctuation, or a verb of the sentence before it.
_BEFORE_STOP = re.compile(
    r"[.,;:!?\"“”()\[\]\n]|\b(?:said|says|told|and|but|when|after|as)\b", re.I
)
#: A period that ends a title's abbreviation ("Sgt.", "Lt.", "Dr."), not a sentence.
_ABBREVIATION = re.compile(r"(?:^|\s)[A-Z][a-z]{0,3}\.$")
#: An apposition after a name: ", a police spokesman," / ", spokesman for the FBI."
_APPOSITION = re.compile(r"^\s*,\s*([^,.;:\"“”()\n]{3,60})")


def title_of(text: str, start: int, end: int) -> str:
    """The words that title a name printed at ``text[start:end]``: the ones just before it in
    its clause ("police spokesman Paul Browne") and an apposition after it ("Browne, a police
    spokesman,"); never the rest of the sentence ("Nichols ... a sheriff's deputy")."""
    before = text[max(0, start - 60) : start]
    stops = [
        m for m in _BEFORE_STOP.finditer(before) if not _ABBREVIATION.search(before[: m.end()])
    ]
    if stops:
        before = before[stops[-1].end() :]
    after = _APPOSITION.match(text[end : end + 80])
    return f"{before} {after.group(1) if after else ''}".strip()


def _speaks_for(quote: Quote, doc: Document | None) -> str | None:
    """The body a named speaker speaks for, read in the name's own title ("police spokesman
    Paul Browne", "Browne, a police spokesman"), never in the words around it nor in a
    relation's complement ("Teasley, widow of a sheriff's deputy")."""
    if doc is None or quote.speaker_span is None:
        return None
    title = title_of(doc.text, quote.speaker_span.start, quote.speaker_span.end)
    return _org(title) if _SPOKES.search(_COMPLEMENT.sub("", title)) else None


#: Bodies whose head's title is the body's name: "District Attorney Paul Howard".
_TITLE_BODIES = frozenset(
    {"district attorney", "attorney general", "sheriff", "medical examiner", "coroner"}
)
#: A relation of someone, not their body: "critics of the NYPD", "family of the victim".
_RELATION_OF = re.compile(
    r"^\W*(?:(?:the|a|an|some|other|many)\s+)?(?:[\w’'-]+\s+)?(?:critics?|famil(?:y|ies)|"
    r"relatives?|friends?|widow|wife|husband|daughter|son|mother|father|brother|sister|"
    r"neighbou?rs?|lawyers?|attorneys?|opponents?|supporters?|victims?)\s+(?:of|for)\b",
    re.I,
)


def body_of(phrase: str) -> str | None:
    """The body a speaker phrase speaks for (lower case), read in its head and in an
    apposition that titles it: "police spokesman Paul Browne", "Alfredo Perez, a spokesman
    for the U.S. Marshals Service", "a police source" -> the body; a named person with no
    spokesperson's title ("Superior Court Judge James Bodiford"), a relation ("critics of the
    NYPD", "Christina Greenway, daughter of slain court reporter ...") or a body named in a
    relative clause ("family of the teen, who was hit by police bullets") -> ``None``."""
    segments = _head_segments(phrase, conjunctions=False) or [phrase]
    head = segments[0]
    body = _org(head)
    if body is not None and not _RELATION_OF.match(head):
        if person_name(head) is None or _SPOKES.search(head) or body in _TITLE_BODIES:
            return body
    for apposition in segments[1:]:
        if _SPOKES.search(_COMPLEMENT.sub("", apposition)):
            return _org(apposition)
    return None


#: Words after a descriptor's head noun: prepositions, relatives, conjunctions.
_AFTER_HEAD = frozenset(
    "of for at from with in on to by about between among near close familiar who whom whose which "
    "that and or but as than".split()
)
_DETERMINERS = frozenset("the a an some one two three several many few other another".split())


def _descriptor_head(phrase: str) -> str:
    """The head word of an unnamed source's descriptor: "the officer who fired the shot" ->
    officer; "a source with knowledge of the talks" -> source; "intelligence sources closely
    monitoring ..." -> sources; "a man wearing goggles" -> man; two groups are two heads
    ("Iraqi officials and senior commanders" -> "officials and commanders")."""
    words = re.findall(r"[\w’'.-]+", phrase.split(",")[0].lower()) or phrase.lower().split()
    heads = [words[0]]
    start = 0  # where the current group began
    for i, word in enumerate(words):
        if word == "and" and i > start:
            heads.append("")
            start = i + 1
            continue
        participle = i > start and word.endswith(("ing", "ed")) and words[i - 1] not in _DETERMINERS
        if i > start and (word in _AFTER_HEAD or word.endswith("ly") or participle):
            break
        heads[-1] = word
    return " and ".join(h for h in heads if h)


def quote_source(
    quote: Quote, outlets: frozenset[str], doc: Document | None = None
) -> Source | None:
    """The ultimate source of an attributed statement (``None``: no speaker printed).

    An outlet speaking for itself ("The Times reported") is that outlet; a body's
    spokesperson is the body; an unnamed source is known by the outlet it spoke to
    ("sources told Reuters": Reuters' anonymous sources), else by its descriptor;
    a named person by surname.
    """
    speaker = (quote.speaker_resolved or quote.speaker_text or "").strip()
    if not speaker or _REPORTS.match(speaker):
        return None  # no source named ("reports said")
    outlet = outlet_name(speaker)
    bare = re.sub(r"^(?:the|a)\s+", "", speaker, flags=re.I)
    if outlet is None and (
        bare.lower() in outlets or (_OUTLET.search(bare) and not quote.anonymous)
    ):
        outlet = bare
    if outlet is not None:
        return Source(f"outlet:{outlet}", outlet, None, None)
    org = body_of(quote.descriptor or speaker) or _speaks_for(quote, doc)
    if org is not None:
        return Source(f"org:{org}", speaker, speaker, quote.anonymous)
    if quote.anonymous:
        via = via_outlet(quote)
        if via is not None:
            return Source(f"outlet:{via}", via, speaker, True)
        head = _descriptor_head(quote.descriptor or speaker)
        return Source(f"anon:{head}", speaker, speaker, True)
    own = (_head_segments(bare) or [bare])[0]
    if _BODY.search(own):
        return Source(f"org:{own.lower()}", own, speaker, False)
    last = surname(speaker)
    if last is None:
        if speaker.split()[-1].lower() in _NOT_NAMES:
            return None  # a misread speaker ("Monday"): no source named
        return Source(f"anon:{_descriptor_head(speaker)}", speaker, speaker, True)
    return Source(f"person:{last}", speaker, speaker, False)


class Copies(UnionFind[str]):
    """Articles that copy each other (a dedup pair) share one own-reporting origin."""

    def __init__(self, pairs: Sequence[DocPair], min_similarity: float) -> None:
        super().__init__(str)  # the smallest id is a group's root
        for pair in pairs:
            if pair.relation != "reuse" or pair.similarity >= min_similarity:
                self.union(pair.a, pair.b)


def narrated_source(doc_id: str, docs: Mapping[str, Document], copies: Copies) -> Source:
    """An unattributed statement: the wire the article prints, else its own (copied) reporting."""
    doc = docs.get(doc_id)
    wire = wire_of(doc)
    if wire is not None:
        return Source(f"outlet:{wire}", wire, None, None)
    root = copies.find(doc_id)
    first = docs.get(root, doc)
    name = first.metadata.outlet.value or first.name if first is not None else f"article {root}"
    return Source(f"article:{root}", f"{name} (own reporting)", None, None)


#: Kinds of origin count, by what the count rests on (see :func:`count_kind`).
CountKind = Literal["one source", "one report", "several sources", "several, some unclear"]


def count_kind(keys: Sequence[str]) -> tuple[CountKind, int]:
    """What an origin count rests on, and how many of its origins are unclear.

    ``one source``: a single origin printed as a source (a person, a body, an outlet, an
    unnamed source); ``one report``: a single origin that is the articles' own reporting
    or a wire copy; ``several sources``: two or more origins, each printed as its own
    source; ``several, some unclear``: two or more origins of which some are an
    article's own reporting (it may rest on the others) or a further unnamed source (it
    may be the first) -- those are the unclear ones.

    Args:
        keys (Sequence[str]): the distinct origin keys of one claim.

    Returns:
        tuple[CountKind, int]: the kind, and the number of unclear origins.
    """
    if len(keys) <= 1:
        narrated = all(k.startswith("article:") for k in keys)
        return ("one report" if narrated else "one source"), 0
    own = sum(1 for k in keys if k.startswith("article:"))
    unnamed = sum(1 for k in keys if k.startswith("anon:"))
    unclear = min(len(keys) - 1, own + max(0, unnamed - 1))
    return ("several, some unclear" if unclear else "several sources"), unclear
