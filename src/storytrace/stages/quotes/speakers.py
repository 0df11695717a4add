"""Who speaks and to whom: the source and addressee of a reporting verb.

The speaker is the verb's subject, a passive agent, a subject shared with the
clause the cue hangs on, an inverted subject, or the noun a participle modifies;
the addressee is the object of ``tell``, a ``to`` phrase or a ``speaking to X``
participle. Used by :func:`~storytrace.stages.quotes.frames.verb_frame` and the cues
of :mod:`~storytrace.stages.quotes.cues`.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from storytrace.records import TextSpan
from storytrace.stages.quotes.spans import doc_text, subtree_span, trim
from storytrace.stages.quotes.unnamed import SOURCE_HEADS
from storytrace.stages.quotes.vocab import (
    DOCUMENT_NOUNS,
    NEAR_VERBS,
    SAY_NOUNS,
    SAY_VERBS,
    SUBJECT_DEPS,
    TITLE_ABBREV,
    TO_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: Titles the tokenizer may split from their full stop (``Cpl`` ``.``), where the parser
#: then ends a sentence.
_SPLIT_TITLES = frozenset(
    """Cpl Sgt Lt Col Gen Capt Maj Det Insp Supt Cmdr Adm Gov Sen Rep Dr Mr Mrs Ms Prof Rev
    Pvt Spc Ofc Dep Atty Hon Cmdr Brig Sgts""".split()
)

#: ``No`` of ``Juror No. 12``, tokenised apart from its full stop.
_NUMBER_WORDS = frozenset({"No", "Nos", "Number"})

#: Verbs introducing an addressee in a participle: ``speaking to The Times``.
_SPEAK_TO = frozenset({"speak", "talk", "write", "reply", "respond"})

_ADDRESSEE_DEPS = ("dobj", "dative", "iobj")


def subject_of(verb: Token) -> TextSpan | None:
    """The speaker: the verb's subject, a passive agent, or the subject it shares."""
    quoted = _quoted_as_saying(verb)
    if quoted is not None:
        return quoted
    for child in _subjects(verb):
        if child.dep_ in SUBJECT_DEPS:
            if child.dep_ == "nsubjpass" and _quoted_as(verb):
                return _passive_quoted(verb)  # '"...," he was quoted (by AP) as saying'
            if child.dep_ == "nsubjpass" or (child.lower_ in ("it", "there") and _expletive(verb)):
                return _agent(verb)
            if child.tag_ in ("WP", "WDT") or child.lower_ == "that" or _relative(child):
                return _antecedent_of(verb)
            child = _past_dateline(child, verb)
            span = _clean_source(child, _joined_subjects(verb, child, _without_speaking(child)))
            return _past_title(verb, span)
    return _shared_subject(verb) or _inverted_subject(verb) or _agent(verb)


#: Parts of speech a speaker written before its cue may hold (``the governor of Qeshm``,
#: ``Mehdi iran-Nejad``, ``Los Angeles County sheriff's officials``).
_NP_POS = frozenset({"DET", "PROPN", "NOUN", "ADJ", "ADP", "PART", "PUNCT", "NUM", "PRON", "CCONJ"})
#: Cues whose object is the one told, not an inverted speaker.
_ADDRESSEE_VERBS = frozenset("tell inform assure ask urge warn advise remind notify brief".split())
#: How many words a speaker read off the surface may have.
_MAX_SURFACE_WORDS = 8


def surface_speaker(verb: Token, content: tuple[TextSpan, ...]) -> TextSpan | None:
    """The speaker of a cue the parse gave no subject, read off the text around it
    (session 17): a name right after the cue that ends a reported clause (``"...," said
    Christina Greenway, daughter of ...``, ``says Early.``), or the noun phrase set off by
    a comma right before a cue that follows its clause (``..., the governor of Qeshm,
    Mehdi iran-Nejad, told ISNA.``, ``..., officials said.``). The parser had joined it to
    the clause or hung it on another verb.

    Args:
        verb (Token): the cue.
        content (tuple[TextSpan, ...]): the reported clause the frame found.

    Returns:
        TextSpan | None: the speaker, or ``None`` when the text around the cue holds none.
    """
    if not content or content[0].start >= verb.idx or verb.lemma_.lower() not in NEAR_VERBS:
        return None  # only a cue after its clause: "X said that ..." has its subject
    return _name_after(verb) or _phrase_before(verb)


def _name_after(verb: Token) -> TextSpan | None:
    """``said Christina Greenway``: capitalised proper nouns (and titles) right after."""
    doc = verb.doc
    if verb.lemma_.lower() in _ADDRESSEE_VERBS:
        return None  # "told ISNA": the one told
    lower = {t.text for t in doc if t.text.islower()}
    names: list[Token] = []
    for tok in doc[verb.i + 1 : verb.i + 1 + _MAX_SURFACE_WORDS]:
        if "\n" in tok.text or not tok.text[:1].isupper() or tok.ent_type_ in ("DATE", "TIME"):
            break
        if tok.pos_ == "VERB" or tok.pos_ == "AUX":
            break
        names.append(tok)
    # "says Early": a word the text never writes in lower case is a name, whatever its tag
    if not any(len(t.text) > 1 and (t.pos_ == "PROPN" or t.lower_ not in lower) for t in names):
        return None
    return TextSpan(names[0].idx, names[-1].idx + len(names[-1]))


def _phrase_before(verb: Token) -> TextSpan | None:
    """``..., Mehdi iran-Nejad, told ISNA`` / ``..., officials said``: the phrase between
    the last comma of the clause and the cue, when it has a noun and no verb."""
    doc = verb.doc
    end = verb.i
    if end > 0 and doc[end - 1].text == ",":
        end -= 1  # "..., the governor, Mehdi iran-Nejad, told"
    start = end
    while start > 0 and doc[start - 1].text not in (",", ";", ":") and end - start < 9:
        prev = doc[start - 1]
        if prev.pos_ not in _NP_POS or prev.is_sent_start or "\n" in prev.text:
            break
        start -= 1
    if start == end or start == 0 or doc[start - 1].text != ",":
        return None
    if doc[start].pos_ == "PROPN":
        start = _appositive_before(doc, start)  # "the governor of Qeshm, Mehdi iran-Nejad"
    phrase = doc[start:end]
    if phrase[0].pos_ in ("ADP", "CCONJ", "PART", "PUNCT"):
        return None  # "..., with Lopez standing accused": no speaker opens with "with"
    words = [t for t in phrase if not t.is_punct]
    if not 0 < len(words) <= _MAX_SURFACE_WORDS or phrase[-1].pos_ not in ("NOUN", "PROPN", "PRON"):
        return None
    if any(t.text in '"“”‘’' for t in phrase):
        return None
    return TextSpan(phrase[0].idx, phrase[-1].idx + len(phrase[-1]))


def _appositive_before(doc: Doc, start: int) -> int:
    """Where a name's appositive set off by commas before it starts (``, the governor of
    Qeshm, Mehdi``): a phrase opened by a determiner, with no verb; else ``start``."""
    comma = start - 1
    i = comma
    while i > 0 and doc[i - 1].text not in (",", ";", ":") and comma - i < 8:
        if doc[i - 1].pos_ not in _NP_POS or "\n" in doc[i - 1].text:
            return start
        i -= 1
    if i == comma or i == 0 or doc[i - 1].text != "," or doc[i].pos_ != "DET":
        return start
    return i


def _past_title(verb: Token, span: TextSpan) -> TextSpan:
    """``said Dist. Atty. Steve Cooley.``: the parser ended the sentence at a title's full
    stop and kept only ``Dist`` as the speaker; the name runs on, capitalised, to the
    sentence's real end on the same line."""
    text = doc_text(verb.doc)
    if span.start < verb.idx or not text.startswith(".", span.end):
        return span
    if not TITLE_ABBREV.match(text[span.start : span.end + 1].split()[-1]):
        return span
    line_end = text.find("\n", span.end)
    line_end = len(text) if line_end < 0 else line_end
    end = span.end
    for word in text[span.end + 1 : line_end].split():
        if not word[:1].isupper():
            break
        end = text.index(word, end) + len(word)
        if word.endswith(".") and not TITLE_ABBREV.match(word):
            end -= 1
            break
    return TextSpan(span.start, end)


def _subjects(verb: Token) -> list[Token]:
    """The verb's subjects, those on its own line first.

    A quotation left open at a line's end makes the parser run two paragraphs into one
    sentence and give the cue a second subject there (``... your baby girl away from
    you,"`` ¶ ``King provided an explanation, saying ...``): the one on the cue's line
    speaks.
    """
    found = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    text = doc_text(verb.doc)

    def other_line(subject: Token) -> bool:
        lo, hi = sorted((subject.idx, verb.idx))
        return "\n" in text[lo:hi]

    return sorted(found, key=lambda subject: (_dateline(subject), other_line(subject)))


def _dateline(tok: Token) -> bool:
    """``BUFFALO, N.Y. —`` / ``BERLIN --`` / ``BAAR, SWITZERLAND``: a place in capitals
    opening its line, which the parser may take for the cue's subject."""
    text = doc_text(tok.doc)
    at_line_start = tok.idx == 0 or text[tok.idx - 1] == "\n"
    return at_line_start and tok.pos_ == "PROPN" and len(tok.text) > 2 and tok.text.isupper()


def _past_dateline(subject: Token, verb: Token) -> Token:
    """A dateline parsed as the subject with the real subject joined to it across a line
    break (``BAAR, SWITZERLAND`` ¶ ``Ascom, a global provider ..., announced``): the
    conjunct on the cue's line speaks."""
    if not _dateline(subject):
        return subject
    text = doc_text(verb.doc)
    for child in subject.children:
        if child.dep_ in ("conj", "appos") and "\n" in text[subject.idx : child.idx]:
            if "\n" not in text[child.idx : verb.idx]:
                return child
    return subject


def _joined_subjects(verb: Token, first: Token, span: TextSpan) -> TextSpan:
    """``said study co-author Anezina Solomonidou``: the parser split one speaker at a
    hyphen into two subjects side by side; the speaker is both."""
    for other in verb.children:
        if (
            other.dep_ == "nsubj"
            and other.i > first.i
            and other.left_edge.i == first.right_edge.i + 1
        ):
            end = subtree_span(other).end
            return TextSpan(span.start, max(span.end, end))
    return span


def _shared_subject(verb: Token) -> TextSpan | None:
    """A subject the cue shares with the clause it hangs on.

    ``X did this and said ...`` / ``Iran ..., claiming that ...`` / ``after accusing
    them of ...``; ``quoted the disaster center as saying ...`` -> the center.
    """
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(_reporting_head(verb))
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return _acl_speaker(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        governor = verb.head.head
        quoted = [c for c in governor.children if c.dep_ == "dobj"]
        if verb.head.lower_ == "as" and governor.lemma_.lower() in ("quote", "cite"):
            if quoted:
                return subtree_span(quoted[0])
            passive = _passive_quoted(governor)
            if passive is not None:
                return passive
        if governor.pos_ in ("VERB", "AUX"):
            return subject_of(governor)
    return None


def _passive_quoted(governor: Token) -> TextSpan | None:
    """``Airport chief Ali Naghavi was quoted by IRNA as saying ...`` / ``he was quoted as
    saying ...``: the one quoted is the passive subject; the agent (``by IRNA``) only
    printed it (session 17, issue #24: wire copy)."""
    subject = next((c for c in governor.children if c.dep_ == "nsubjpass"), None)
    if subject is None:
        return None
    return _clean_source(subject, _without_speaking(subject))


def _quoted_as(verb: Token) -> bool:
    """``was quoted as saying`` (not ``they were quoted at a cheap price``)."""
    return verb.lemma_.lower() == "quote" and any(
        c.dep_ == "prep" and c.lower_ == "as" for c in verb.children
    )


def _quoted_as_saying(verb: Token) -> TextSpan | None:
    """``the Daily News quoted witness Devonte Brown as saying``: the one quoted speaks,
    the subject only printed it."""
    if verb.lemma_.lower() not in ("quote", "cite"):
        return None
    quoted = [c for c in verb.children if c.dep_ == "dobj"]
    saying = any(
        c.dep_ == "prep" and c.lower_ == "as" and any(g.lemma_.lower() == "say" for g in c.children)
        for c in verb.children
    )
    return subtree_span(quoted[0]) if quoted and saying else None


def _reporting_head(verb: Token) -> Token:
    """The clause a participle cue shares its subject with.

    ``Isham said the area will remain closed, adding that ...``: the parser hangs
    ``adding`` on the reported clause; the one adding is who said it, not the area.
    """
    head = verb.head
    if verb.tag_ == "VBG" and head.dep_ == "ccomp" and head.head.lemma_.lower() in SAY_VERBS:
        return head.head
    return head


def _inverted_subject(verb: Token) -> TextSpan | None:
    """``"...," asked Pineda``: the parser reads the inverted speaker as an object."""
    objects = [c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i]
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.i < verb.i]
    if verb.lemma_.lower() in ("tell", "inform", "assure"):
        return None  # "told X" names the addressee
    if objects and clauses and objects[0].pos_ in ("PROPN", "NOUN") and objects[0].i <= verb.i + 4:
        return subtree_span(objects[0])
    return None


def _relative(subject: Token) -> bool:
    """``all of which``: a quantified relative pronoun (not "a man who ...")."""
    return any(
        g.tag_ in ("WP", "WDT")
        for c in subject.children
        if c.dep_ == "prep" and c.lower_ == "of"
        for g in c.children
    )


def _antecedent_of(verb: Token) -> TextSpan | None:
    """The noun a relative clause hangs on: ``John Amoss, who said ...`` -> John Amoss."""
    clause = verb
    while clause.dep_ not in ("relcl", "acl") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ not in ("relcl", "acl"):
        return None
    head = clause.head
    return trim(doc_text(head.doc), TextSpan(head.left_edge.idx, clause.left_edge.idx))


def _acl_speaker(head: Token) -> TextSpan:
    """Who speaks in ``<noun> suggesting that ...``.

    ``claims from Iraqi officials suggesting ...`` -> the officials; ``The Times has
    published an article revealing ...`` (seed 003) -> the Times; else the noun.
    """
    lemma = head.lemma_.lower()
    if lemma in SAY_NOUNS:
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("from", "by"):
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs:
                    return subtree_span(objs[0])
    if lemma in DOCUMENT_NOUNS and head.dep_ == "dobj":
        subject = next((c for c in head.head.children if c.dep_ == "nsubj"), None)
        if subject is not None:
            return subtree_span(subject)
    if head.dep_ == "dobj" and head.head.pos_ == "VERB" and not _may_speak(head):
        # "An official downplayed the unrest saying that ...": the parser hangs the
        # participle on an object that cannot speak; the one saying is the subject
        found = subject_of(head.head)
        if found is not None:
            return found
    return trim(doc_text(head.doc), TextSpan(head.left_edge.idx, head.idx + len(head)))


#: Endings of nouns for people (``journalist``, ``politician``, ``spokeswoman``).
_PERSON_ENDINGS = ("ist", "ian", "eer", "man", "woman", "person", "er", "or")
#: Entity labels of a noun that may say something.
_SPEAKING_ENTS = frozenset({"PERSON", "ORG", "OUTLET", "GPE", "NORP", "MILITARY_UNIT"})


def _may_speak(noun: Token) -> bool:
    """A noun that may be who says something: a name, a person, a body, a document."""
    lemma = noun.lemma_.lower()
    return (
        noun.pos_ == "PROPN"
        or noun.ent_type_ in _SPEAKING_ENTS
        or lemma in SOURCE_HEADS
        or lemma in SAY_NOUNS
        or lemma in DOCUMENT_NOUNS
        or (len(lemma) > 4 and lemma.endswith(_PERSON_ENDINGS))
    )


def _clean_source(head: Token, span: TextSpan) -> TextSpan:
    """The speaker's line only, without a dateline (``HANOI, Vietnam (AP) —``) or a
    trailing date (``Joe Coffey Monday``)."""
    text = doc_text(head.doc)
    start = max(span.start, text.rfind("\n", 0, head.idx) + 1)
    end = span.end
    nl = text.find("\n", head.idx, end)
    end = nl if nl >= 0 else end
    dash = max(
        text.rfind(" — ", start, end), text.rfind(" -- ", start, end), text.rfind(" - ", start, end)
    )
    prefix = text[start:dash].split()
    if dash >= 0 and ("(" in text[start:dash] or _dateline_words(prefix)):
        # a dateline parsed as the subject: the speaker follows the dash
        start = dash + (4 if text.startswith(" -- ", dash) else 3)
    last = head.doc.char_span(start, end, alignment_mode="expand")
    if (
        last is not None
        and len(last) > 1
        and last[-1].ent_type_ in ("DATE", "TIME")
        and last[-1].i != head.i
        and _date_of(last[-1], head)
    ):
        end = last[-1].idx
    return trim(text, TextSpan(_title_start(head, start), end))


def _dateline_words(words: list[str]) -> bool:
    """``BERLIN``, ``BUFFALO, N.Y.``, ``PanARMENIAN.Net``: a place or a site's name that
    opens a line before a dash (a few capitalised words, the first in capitals or a
    domain)."""
    if not 0 < len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return False
    first = words[0].rstrip(",")
    return (first.isupper() and len(first) > 2) or "." in first.strip(".")


def _date_of(date: Token, head: Token) -> bool:
    """A date hung on the speaker itself (``Joe Coffey Monday``), not one inside its
    relative clause (``Smith, who has led the company since 2010``), which stays."""
    tok = date
    while tok.i != head.i and tok.head.i != tok.i:
        if tok.dep_ in ("relcl", "acl", "appos", "prep", "pobj") and tok.head.i != head.i:
            return False
        tok = tok.head
    return tok.i == head.i


def _title_start(head: Token, start: int) -> int:
    """Extend a speaker left over a title the parser cut off (``Cpl.``, ``Sgt.``, ``DAE``)
    or over a numbered role (``Juror No. 12``)."""
    doc = head.doc
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    i = first[0].i if first is not None and len(first) else head.i
    if doc[i].text == "." and i > 0 and doc[i - 1].text in _NUMBER_WORDS:
        i -= 1  # "Juror No. 12 said": the parser took "." and "12" for the subject
        start = doc[i].idx
    while i > 0 and "\n" not in doc.text[doc[i - 1].idx : start]:
        if doc[i].text in _NUMBER_WORDS and doc[i - 1].is_title and doc[i - 1].is_alpha:
            i -= 1  # the role numbered: "Juror" of "Juror No. 12"
        elif TITLE_ABBREV.match(doc[i - 1].text):
            i -= 1
        elif i > 1 and doc[i - 1].text == "." and doc[i - 2].text in _SPLIT_TITLES:
            i -= 2  # "Cpl" "." tokenised apart, the parser ending a sentence there
        else:
            break
        start = doc[i].idx
    return start


def _without_speaking(subject: Token) -> TextSpan:
    """The subject without a ``speaking to The Times`` participle (it is the addressee)."""
    span = subtree_span(subject)
    for child in subject.children:
        if (
            child.dep_ in ("acl", "advcl")
            and child.lemma_.lower() in _SPEAK_TO
            and child.i > subject.i
        ):
            return trim(doc_text(subject.doc), TextSpan(span.start, child.left_edge.idx))
    return span


def _speaking_to(tok: Token) -> TextSpan | None:
    """The ``to`` object of a ``speaking to X`` participle hanging on ``tok``."""
    for child in tok.children:
        if child.dep_ in ("acl", "advcl") and child.lemma_.lower() in _SPEAK_TO:
            for prep in child.children:
                objs = [g for g in prep.children if g.dep_ == "pobj"]
                if prep.dep_ == "prep" and prep.lower_ == "to" and objs:
                    return subtree_span(objs[0])
    return None


def _expletive(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" for c in verb.children) and any(
        c.dep_ == "auxpass" for c in verb.children
    )


def _agent(verb: Token) -> TextSpan | None:
    for child in verb.children:
        if child.dep_ == "agent":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            return subtree_span(objs[0]) if objs else None
    return None


def addressee_of(verb: Token) -> TextSpan | None:
    """``told Reuters`` / ``confirmed to the Times`` / ``speaking to The Times``."""
    for child in verb.children:
        if child.dep_ in _ADDRESSEE_DEPS and verb.lemma_.lower() in ("tell", "inform", "assure"):
            return subtree_span(child)
        if child.dep_ in ("dobj",) and verb.lemma_.lower() in TO_VERBS and child.i < _xcomp_i(verb):
            return subtree_span(child)
        if child.dep_ in ("prep", "dative") and child.lower_ == "to":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            if objs:
                return subtree_span(objs[0])
    found = _speaking_to(verb)
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if found is None and subject is not None:
        found = _speaking_to(subject)
    return found


def _xcomp_i(verb: Token) -> int:
    return next((c.i for c in verb.children if c.dep_ == "xcomp"), -1)
