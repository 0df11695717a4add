"""Who "he" or "the judge" is: named referents read off the text, for layer 5.

A speaker written as a pronoun or a definite description names someone the
article mentioned before, and that someone is often not the speaker of the quote
before it: ECB+ pages introduce a person in narration (``Josh Moore, one of the
defense lawyers, had reminded the judge ...``) and quote them next (``"...," he
said``). Resolving to the previous quote's speaker gave the previous person's
name. Here the referent is the nearest named mention outside quotation marks,
the subject of its sentence first, as a reader takes it:

* a pronoun (``he``, ``she``) -> the nearest person mention;
* a title (``the judge``, ``the district attorney``) -> the name it was printed
  with (``Superior Court Judge James Bodiford``);
* a description never used before (``the director``, ``the agency``) -> the
  nearest named subject of its kind (a person, or an organisation for
  :data:`~storytrace.stages.quotes.vocab.ORG_NOUNS`).

A description used before without a name (``a senior official`` ... ``the
official``) has no named referent: it stays anonymous.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storytrace.records import TextSpan
from storytrace.stages.quotes.vocab import ORG_NOUNS, SUBJECT_DEPS, UNIQUE_ROLE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = ["Mention", "Mentions", "described_referent", "mentions_of", "pronoun_referent"]

#: How many sentences back a referent may be (the pronoun's own sentence is 0).
MAX_SENTENCES_BACK = 4

#: What may precede a word capitalised for its position, not as a name.
_OPENERS = frozenset('."“”‘:;!?\n')
_ORG_LABELS = frozenset({"ORG", "OUTLET", "MILITARY_UNIT"})
_MALE_TITLES = frozenset({"mr", "mr.", "sir"})
_FEMALE_TITLES = frozenset({"mrs", "mrs.", "ms", "ms.", "miss"})
#: Descriptions of a body that stand for one the text has named: ``the company``, ``the
#: studio``, ``the utility`` (the organisation nouns and a few of trade).
ORG_DESCRIPTIONS = ORG_NOUNS | frozenset(
    """utility brokerage brand automaker carmaker label retailer airline carrier insurer
    lender manufacturer maker startup publisher broadcaster developer chain""".split()
)
#: Links from a title noun to the name it is printed with.
_NAME_LINKS = ("compound", "appos", "flat")


@dataclass(frozen=True, slots=True)
class Mention:
    """A named person or organisation in narration.

    Attributes:
        span (TextSpan): the name as printed.
        sentence (int): the index of its sentence.
        subject (bool): it is (in apposition to) its clause's subject.
        kind (str): ``person``, ``org`` or ``name`` (a proper-noun subject of no type).
        gender (str): ``m`` or ``f`` when a title says so (``Mr``, ``Mrs``), else ``""``.
        owner (bool): a possessive (``Soares' office``): it may carry a title, but the
            referent of what follows is the thing owned.
    """

    span: TextSpan
    sentence: int
    subject: bool
    kind: str
    gender: str = ""
    owner: bool = False


_Fits = Callable[[Mention], bool]


@dataclass(frozen=True, slots=True)
class Mentions:
    """The named mentions of one text, with its sentence starts, quoted spans and the
    words it writes as names (:func:`name_words`)."""

    items: tuple[Mention, ...]
    sentence_starts: tuple[int, ...]
    quoted: tuple[TextSpan, ...]
    names: frozenset[str] = frozenset()

    def sentence_of(self, offset: int) -> int:
        """The index of the sentence holding ``offset``."""
        return max(0, bisect_right(self.sentence_starts, offset) - 1)


def mentions_of(sdoc: SpacyDoc, quoted: Sequence[TextSpan]) -> Mentions:
    """Every named mention of a parsed text outside quotation marks, in text order.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        quoted (Sequence[TextSpan]): the quotations (names inside them are the
            quoted speaker's words, not the article's narration).

    Returns:
        Mentions: the mentions, sentence starts and quoted spans.
    """
    starts = tuple(s.start_char for s in sdoc.sents)
    found = Mentions((), starts, tuple(quoted))
    surnames = {e[-1].lower_ for e in sdoc.ents if e.label_ == "PERSON"}
    items: list[Mention] = []
    for ent in sdoc.ents:
        kind = _kind(ent, surnames) or _odd_name(ent)
        if kind and not _inside(found, ent.start_char):
            items.append(_mention(found, ent, kind))
    names = name_words(sdoc)
    for tok in sdoc:
        if tok.ent_type_ or tok.dep_ not in SUBJECT_DEPS or _inside(found, tok.idx):
            continue
        if tok.pos_ == "PROPN" or tok.text in names:
            items.append(_mention(found, sdoc[tok.left_edge.i : tok.i + 1], "name"))
    items.sort(key=lambda m: m.span.start)
    return Mentions(tuple(items), starts, tuple(quoted), names)


def name_words(sdoc: SpacyDoc) -> frozenset[str]:
    """Words the text only ever writes capitalised, and at least once inside a sentence.

    The small English model tags a rare surname a common noun (``Timmons told police``)
    or an organisation (``Yanis Varoufakis``); how the article writes the word says it
    is a name. ``Police said`` is not one: the text writes ``police`` elsewhere.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.

    Returns:
        frozenset[str]: the words, as printed.
    """
    lower = {t.text for t in sdoc if t.text[:1].islower()}
    inner = {t.text for t in sdoc if t.text[:1].isupper() and _mid_sentence(t)}
    return frozenset(w for w in inner if w.lower() not in lower and len(w) > 1)


def _mid_sentence(tok: Token) -> bool:
    """Not the first word of a sentence, a quotation or a line (capitalised anyway)."""
    if tok.is_sent_start or tok.i == 0:
        return False
    return tok.doc[tok.i - 1].text[-1:] not in _OPENERS


def _kind(ent: SpacySpan, surnames: set[str]) -> str:
    """``person``, ``org`` or ``""``; an organisation that is a person's surname or in
    apposition to a common noun (``A professor of economics, Yanis Varoufakis``) is a
    person the model mislabelled."""
    if ent.label_ == "PERSON":
        return "person"
    if _titled_person(ent):
        return "person"  # "Qeshm island governor Heydar Alishbandi" read as a building
    if ent.label_ in _SURNAME_LABELS and all(t.pos_ == "PROPN" for t in ent):
        # "Perlo estimated ..." read as a people (NORP) where the text names Stan Perlo
        return "person" if ent[-1].lower_ in surnames else ""
    if ent.label_ not in _ORG_LABELS:
        return ""
    root = ent.root
    described = root.dep_ == "appos" and root.head.pos_ == "NOUN"
    if ent.label_ == "ORG" and (ent[-1].lower_ in surnames or described):
        if root.head.lemma_.lower() not in ORG_NOUNS:
            return "person"
    return "org"


#: Person titles printed before a name (``governor Heydar Alishbandi``): the name is a
#: person's whatever label the model gave it.
_PERSON_TITLES = UNIQUE_ROLE_NOUNS | frozenset(
    """chief director head commander leader spokesman spokeswoman spokesperson lawyer
    judge officer detective deputy sergeant lieutenant captain colonel general inspector
    prosecutor official""".split()
)


def _titled_person(ent: SpacySpan) -> bool:
    """A run of proper nouns after a person's title (session 17)."""
    if not all(t.pos_ == "PROPN" for t in ent):
        return False
    return any(
        c.dep_ == "compound" and c.pos_ == "NOUN" and c.lemma_.lower() in _PERSON_TITLES
        for c in ent.root.children
        if c.i < ent.start
    )


#: Labels under which a person's surname is read as one when the text names that person
#: elsewhere (session 17).
_SURNAME_LABELS = frozenset({"NORP", "WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})

#: Labels the small model gives a person's name by mistake (``Qeshm Governor Mehdi
#: Irannejad told ISNA`` read as a work of art).
_ODD_LABELS = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})


#: Labels of a place, which the model also gives a newspaper's name (``Centre-left daily
#: Eleftherotypia``).
_PLACE_LABELS = frozenset({"GPE", "LOC", "NORP"})
#: Common nouns that title an outlet's name printed after them (``daily Eleftherotypia``).
_OUTLET_TITLES = frozenset({"daily", "weekly", "tabloid", "broadcaster", "newspaper", "paper"})


def _odd_name(ent: SpacySpan) -> str:
    """The kind of a subject the model labelled oddly (session 17): ``name`` for proper
    nouns under an odd label (who ``the governor`` is when the model took ``Governor Mehdi
    Irannejad`` for a work of art); ``org`` for a "place" titled as an outlet (``the paper``
    after ``Centre-left daily Eleftherotypia warned``)."""
    root = ent.root
    if root.pos_ != "PROPN" or root.dep_ not in SUBJECT_DEPS:
        return ""
    if ent.label_ in _PLACE_LABELS:
        titled = any(
            c.dep_ in ("amod", "compound") and c.lemma_.lower() in _OUTLET_TITLES
            for c in root.children
        )
        return "org" if titled else ""
    if ent.label_ not in _ODD_LABELS:
        return ""
    return "name" if all(t.pos_ == "PROPN" for t in ent) else ""


def _mention(found: Mentions, chunk: SpacySpan, kind: str) -> Mention:
    span = TextSpan(chunk.start_char, chunk.end_char)
    root = chunk.root
    sentence = found.sentence_of(span.start)
    return Mention(span, sentence, _is_subject(root), kind, _gender(chunk), _possessive(root))


def _inside(found: Mentions, offset: int) -> bool:
    return any(q.start <= offset < q.end for q in found.quoted)


def _possessive(root: Token) -> bool:
    """``Nichols' mother``: the name modifies the noun that is the referent."""
    return root.dep_ == "poss" or any(c.dep_ == "case" for c in root.children)


def _is_subject(root: Token) -> bool:
    """The subject, or a name in apposition to it (``His barber, Julian Clark, ...``)."""
    tok = root
    while tok.dep_ in (*_NAME_LINKS, "conj") and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ in SUBJECT_DEPS


def _gender(chunk: SpacySpan) -> str:
    before = chunk.doc[chunk.start - 1].lower_ if chunk.start > 0 else ""
    first = chunk[0].lower_
    words = {before, first}
    return "m" if words & _MALE_TITLES else "f" if words & _FEMALE_TITLES else ""


def pronoun_referent(found: Mentions, at: int, pronoun: str) -> Mention | None:
    """The person a ``he`` or ``she`` at ``at`` refers to.

    Args:
        found (Mentions): the text's named mentions.
        at (int): where the pronoun is.
        pronoun (str): the pronoun, lower-cased.

    Returns:
        Mention | None: the nearest fitting person mention, or ``None``.
    """
    clash = "f" if pronoun == "he" else "m" if pronoun == "she" else ""
    return _nearest(
        found, at, lambda m: m.kind in ("person", "name") and (not clash or m.gender != clash)
    )


def _nearest(found: Mentions, at: int, fits: _Fits) -> Mention | None:
    """The nearest sentence's subject mention that fits, else its first fitting mention."""
    here = found.sentence_of(at)
    before = [m for m in found.items if m.span.end <= at and not m.owner and fits(m)]
    for back in range(MAX_SENTENCES_BACK + 1):
        same = [m for m in before if m.sentence == here - back]
        if same:
            subjects = [m for m in same if m.subject]
            return (subjects or same)[0]
    return None


def described_referent(found: Mentions, head: Token) -> Mention | None:
    """The named referent of a definite description (``the judge``) headed by ``head``.

    Args:
        found (Mentions): the text's named mentions.
        head (Token): the description's head noun.

    Returns:
        Mention | None: the name the title was printed with; for a description
        never used before, the nearest named subject of its kind; ``None`` when
        the description was used before without a name.
    """
    lemma = head.lemma_.lower()
    earlier = [
        t
        for t in head.doc[: head.i]
        if t.lemma_.lower() == lemma and t.pos_ in ("NOUN", "PROPN") and not _inside(found, t.idx)
    ]
    for tok in reversed(earlier):
        named = _titled_name(found, tok)
        if named is not None:
            return named
    if lemma in ORG_DESCRIPTIONS and all(c.dep_ == "det" for c in head.children if c.i < head.i):
        # "the company", "the utility": a reporter writes them for a body named before,
        # however often the description was used (session 17); "the Jordanian government"
        # says which by itself
        return _nearest(found, head.idx, lambda m: m.kind in ("org", "name") and m.subject)
    if earlier:
        return None  # "a senior official ... the official": described, never named
    return _nearest(found, head.idx, lambda m: m.kind in ("person", "name") and m.subject)


def _titled_name(found: Mentions, title: Token) -> Mention | None:
    """The name a title noun is printed with: ``Judge James Bodiford``, ``Gary Ross, the
    director``, ``the director, Gary Ross`` (not ``Superior Court`` before the title)."""
    linked = {title.i}
    if title.dep_ in _NAME_LINKS:
        linked.add(title.head.i)
    linked.update(c.i for c in title.children if c.dep_ == "appos")
    doc = title.doc
    for m in found.items:
        chunk = doc.char_span(m.span.start, m.span.end, alignment_mode="expand")
        if chunk is not None and any(t.i in linked for t in chunk):
            return m
    return None
