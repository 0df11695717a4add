"""Cue frames read off the dependency parse: layer 2 of the quote stage.

A frame is a cue with who (source), what (content) and to whom (addressee), as
character spans. Rules, each named in the frame:

* ``verb`` -- a reporting verb with a clause: ``X said (that) ...``, ``..., X
  reported``, ``X told Y that ...``, ``X urged Y to ...``, ``X dismissed Z as ...``;
  and who speaks (subject, passive agent, shared or inverted subject, the noun a
  participle hangs on) and to whom.

The other cues (``according to``, reporting nouns, ``reportedly``) and the
dispatcher are in :mod:`storytrace.stages.quote_cues`.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from storytrace.stages.quote_spans import (
    LEAD,
    WORD,
    TextSpan,
    doc_text,
    in_line,
    minus,
    overlaps,
    span_words,
    strip_end,
    subtree_span,
    tok_span,
    trim,
)

#: Verbs whose clause (``ccomp``) is what was said.
SAY_VERBS = frozenset(
    """say tell report state claim confirm announce explain note warn disclose reveal insist
    deny indicate suggest argue add write believe think estimate acknowledge admit allege
    assert contend declare predict promise stress emphasize emphasise tweet testify reply
    respond recall agree conclude find caution concede complain maintain mention
    hint vow pledge accuse describe call dismiss label brand charge ask urge order instruct
    threaten plead announce publish quote cite inform assure remark observe reiterate
    acknowledge affirm forecast speculate fear suspect hope""".split()
)

#: Verbs taking ``to``-infinitive content (``urged Y to ...``).
TO_VERBS = frozenset(
    "urge warn threaten vow pledge promise instruct order plead tell refuse".split()
)

#: Verbs whose object is the content (``claimed responsibility``, ``dismissed X as Y``).
OBJECT_VERBS = frozenset("claim confirm deny announce accuse reveal rule urge demand".split())

#: Object verbs whose object is a claim however short (``denied any wrongdoing``).
SHORT_OBJECT_VERBS = frozenset({"deny", "rule", "urge", "demand"})

#: Passive cues whose subject and complement are the claim (``is accused of ...``).
PASSIVE_VERBS = frozenset(
    "believe think say report accuse suspect consider allege expect understand identify".split()
)

#: Verbs whose ``for`` phrase is the content (``pleaded for privacy``).
FOR_VERBS = frozenset({"plead", "ask", "call", "appeal", "press"})

#: Fewest words of an object that is itself the claim (``claimed responsibility for X``).
MIN_OBJECT_WORDS = 4

#: Verbs whose object and its predicate are the content (``dismissed X as Y``).
PREDICATE_VERBS = frozenset(
    "dismiss describe call label brand characterize portray treat regard view".split()
)

#: Verbs of the ``nearest`` layer: ``"...," X said``.
NEAR_VERBS = frozenset(
    """say tell add write ask explain state reply note insist declare scream shout
    tweet post recall warn argue conclude remark confirm disclose reveal admit acknowledge
    stress announce claim tell comment respond testify plead joke complain cry yell""".split()
)

#: Verbs introducing an addressee in a participle: ``speaking to The Times``.
_SPEAK_TO = frozenset({"speak", "talk", "write", "reply", "respond"})

#: Nouns that introduce reported content.
SAY_NOUNS = frozenset(
    "warning claim suggestion allegation assertion statement announcement report".split()
)

#: Nouns for a text that reports (``the report``, ``an article revealing``).
DOCUMENT_NOUNS = frozenset({"report", "article", "story", "statement", "study", "investigation"})

_SUBJECTS = ("nsubj", "nsubjpass", "csubj")

_ADDRESSEE_DEPS = ("dobj", "dative", "iobj")


@dataclass(frozen=True, slots=True)
class Frame:
    """A cue with its source, content and addressee.

    Attributes:
        text (str): the document text the spans point into.
        cue (TextSpan): the cue word(s).
        source (TextSpan | None): who says so, as written.
        content (tuple[TextSpan, ...]): what is said.
        addressee (TextSpan | None): to whom.
        rule (str): ``verb``, ``according``, ``noun`` or ``adverb``.
        core (TextSpan | None): the content clause's verb and subject, when parsed:
            a quotation holding both is the whole statement (direct), not a fragment.
    """

    text: str
    cue: TextSpan
    source: TextSpan | None
    content: tuple[TextSpan, ...]
    addressee: TextSpan | None
    rule: str
    core: TextSpan | None = None


def verb_frame(verb: Token) -> Frame | None:
    """``X said that ...`` / ``..., X reported`` / ``X urged Y to ...``.

    Args:
        verb (Token): a reporting verb.

    Returns:
        Frame | None: the frame, or ``None`` when the verb has no content clause.
    """
    if _negated(verb):
        return None  # "did not confirm": nothing was said
    content = _verb_content(verb) or _parenthetical_content(verb)
    if not content:
        return _split_sentence_frame(verb)
    source = subject_of(verb)
    addressee = addressee_of(verb)
    if source is not None and overlaps(source, content):
        return None  # the parse folded the speaker into the clause: not trustworthy
    core = _core(verb)
    return Frame(doc_text(verb.doc), tok_span(verb), source, content, addressee, "verb", core)


def _core(verb: Token) -> TextSpan | None:
    """The verb and subject of a reported clause (``ccomp``), if it has both."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    subject = (
        None if clause is None else next((c for c in clause.children if c.dep_ in _SUBJECTS), None)
    )
    if clause is None or subject is None:
        return None
    left, right = min(clause, subject, key=lambda t: t.i), max(clause, subject, key=lambda t: t.i)
    return TextSpan(left.idx, right.idx + len(right))


def _split_sentence_frame(verb: Token) -> Frame | None:
    """``LaSalle was booked into jail, Sgt. Marty Earley said.`` split by the parser.

    A title abbreviation ends the parser's sentence inside the speaker's name, so
    ``said`` has no clause; the reported clause is then the text before the last
    comma of the line, and the speaker the few capitalised words after it.
    """
    if verb.lemma_.lower() not in NEAR_VERBS:
        return None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.i > verb.i or (verb.i > 0 and verb.doc[verb.i - 1].text == ","):
        return _inverted_split_frame(verb)
    if not _ends_sentence(verb):
        return None
    text = doc_text(verb.doc)
    line_start = text.rfind("\n", 0, verb.idx) + 1
    comma = text.rfind(",", line_start, subject.left_edge.idx)
    between = text[comma + 1 : subject.left_edge.idx].split()
    if comma < 0 or len(between) > 3 or not all(w[:1].isupper() for w in between):
        return None
    clause_start = _clause_start(text, line_start, comma)
    content = strip_end(text, trim(text, TextSpan(clause_start, comma)))
    if len(span_words(text, content)) < 3:
        return None
    source = trim(text, TextSpan(comma + 1, subject.idx + len(subject)))
    return Frame(text, tok_span(verb), source, (content,), None, "verb.split")


def _inverted_split_frame(verb: Token) -> Frame | None:
    """``A passer-by called the station, said sheriff’s Sgt. Vanette Christiansen.``

    The inverted cue follows a comma; the parser cut the speaker at ``Sgt.``. The
    speaker runs from the cue to the end of the line's sentence.
    """
    text = doc_text(verb.doc)
    line_start = text.rfind("\n", 0, verb.idx) + 1
    before = text[line_start : verb.idx].rstrip()
    if not before.endswith(","):
        return None
    line_end = text.find("\n", verb.idx)
    line_end = len(text) if line_end < 0 else line_end
    start = verb.idx + len(verb)
    source = trim(text, TextSpan(start, _sentence_end(text, start, line_end)))
    words = text[source.start : source.end].split()
    clause_start = _clause_start(text, line_start, verb.idx - 2)
    content = strip_end(text, trim(text, TextSpan(clause_start, line_start + len(before) - 1)))
    if not words or len(span_words(text, content)) < 3 or len(words) > 12:
        return None
    return Frame(text, tok_span(verb), source, (content,), None, "verb.split")


def _clause_start(text: str, line_start: int, end: int) -> int:
    """Where the sentence holding ``end`` starts on its line."""
    dot = text.rfind(". ", line_start, end)
    return dot + 2 if dot >= 0 else line_start


def _sentence_end(text: str, start: int, limit: int) -> int:
    """The first full stop after ``start`` that does not end a title (``Sgt.``)."""
    for match in re.finditer(r"(\S+)\.(?=\s|$)", text[start:limit]):
        if not _TITLE.match(match.group(1) + "."):
            return start + match.end() - 1
    return limit


def _ends_sentence(verb: Token) -> bool:
    """Only a few words (``Saturday``, ``in a statement``) follow the cue in its sentence."""
    rest = doc_text(verb.doc)[verb.idx + len(verb) : verb.sent.end_char]
    return len(WORD.findall(rest)) <= 4


def _negated(verb: Token) -> bool:
    """``did not confirm`` / ``were not able to confirm``."""
    heads = [verb, verb.head] if verb.dep_ == "xcomp" else [verb]
    heads += [verb.head.head] if verb.dep_ == "xcomp" and verb.head.dep_ == "acomp" else []
    return any(c.dep_ == "neg" for h in heads for c in h.children)


def _verb_content(verb: Token) -> tuple[TextSpan, ...]:
    """What a reporting verb reports, trying each construction in turn."""
    for layer in (_clause_content, _gerund_or_for_content, _raised_content, _object_content):
        found = layer(verb)
        if found:
            return found
    return ()


def _clause_content(verb: Token) -> tuple[TextSpan, ...]:
    """``said (that) ...`` / ``urged Y to ...``."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "ccomp" or (child.dep_ == "xcomp" and lemma in TO_VERBS):
            if child.dep_ == "xcomp" and any(c.dep_ == "neg" for c in child.children):
                return ()  # "asked not to be named": a condition, not a claim
            return (_after_cue(verb, clause_span(child, verb)),)
    return ()


def _gerund_or_for_content(verb: Token) -> tuple[TextSpan, ...]:
    """``denied doing anything wrong`` / ``pleaded for privacy``."""
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ == "xcomp" and lemma in OBJECT_VERBS and child.tag_ == "VBG":
            return (clause_span(child, verb),)
        if child.dep_ == "prep" and child.lower_ == "for" and lemma in FOR_VERBS:
            return (in_line(verb, subtree_span(child)),)
    return ()


def _raised_content(verb: Token) -> tuple[TextSpan, ...]:
    """A passive cue: the claim is its subject plus its complement.

    ``Iran is believed to be using ...`` / ``Lopez is accused of firing ...`` /
    ``an exotic world considered a strong candidate ...`` (the noun a participle
    modifies is the subject).
    """
    if verb.lemma_.lower() not in PASSIVE_VERBS:
        return ()
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    rest = [c for c in verb.rights if c.dep_ in ("xcomp", "oprd", "attr")]
    rest += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("of", "as")]
    if not rest:
        return ()
    if subject is not None and subject.i < verb.i:
        return (subtree_span(subject), clause_span(rest[0], verb))
    if verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.i < verb.i:
        head = verb.head
        own = trim(doc_text(verb.doc), TextSpan(head.left_edge.idx, head.idx + len(head)))
        return (own, clause_span(rest[0], verb))
    return ()


def _object_content(verb: Token) -> tuple[TextSpan, ...]:
    """``claimed responsibility for ...`` / ``dismissed X as a façade``."""
    lemma = verb.lemma_.lower()
    if lemma not in OBJECT_VERBS and lemma not in PREDICATE_VERBS:
        return ()
    parts = [c for c in verb.rights if c.dep_ in ("dobj", "oprd", "xcomp")]
    parts += [c for c in verb.rights if c.dep_ == "prep" and c.lower_ in ("as", "of")]
    predicate = any(p.dep_ != "dobj" for p in parts)
    # "called Magruder a liar" is parsed as two predicates, no object
    has_object = any(p.dep_ == "dobj" for p in parts) or len(parts) > 1
    if not has_object or not (predicate or lemma in OBJECT_VERBS):
        return ()
    start = min(p.left_edge.idx for p in parts)
    end = max(p.right_edge.idx + len(p.right_edge) for p in parts)
    span = in_line(verb, trim(doc_text(verb.doc), TextSpan(start, end)))
    # "announced the news" reports an act, not a claim: a claim has some substance
    short = lemma in SHORT_OBJECT_VERBS
    if predicate or short or len(span_words(doc_text(verb.doc), span)) >= MIN_OBJECT_WORDS:
        return (span,)
    return ()


def _parenthetical_content(verb: Token) -> tuple[TextSpan, ...]:
    """``Iran has equipped ..., the British Times newspaper reported.``

    The parser hangs a trailing (or leading ``as X reported,``) cue on the reported
    clause as a modifier; the content is then that clause without the cue.
    """
    head = verb.head
    if verb.dep_ not in ("advcl", "parataxis", "conj") or head.i == verb.i:
        return ()
    if head.pos_ not in ("VERB", "AUX") or not any(c.dep_ in _SUBJECTS for c in verb.children):
        return ()
    own = TextSpan(verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge))
    whole = subtree_span(head)
    text = doc_text(verb.doc)
    words_after = span_words(text, TextSpan(own.end, whole.end))
    if own.start > whole.start and words_after:
        return ()  # a cue in mid-clause is not a parenthetical
    if verb.dep_ == "conj" and own.start > whole.start:
        return ()  # "X did this and said Y" has its own content or none
    return tuple(
        in_line(verb, strip_end(text, s))
        for s in minus(text, whole, own)
        if len(span_words(text, s)) > 2
    )


def _after_cue(verb: Token, span: TextSpan) -> TextSpan:
    """A clause around its own cue ("which it said crashed in ...") starts after it."""
    end = verb.idx + len(verb)
    if span.start <= verb.idx < span.end:
        return trim(doc_text(verb.doc), TextSpan(end, span.end))
    return span


def clause_span(head: Token, cue: Token) -> TextSpan:
    """The subtree of a content clause, without a leading ``that`` or comma, on the
    line of its cue (a headline without a full stop parses into the next line)."""
    text = doc_text(head.doc)
    span = subtree_span(head)
    lead = LEAD.match(text, span.start, span.end)
    start = lead.end() if lead else span.start
    end = _cut_reporting_conjunct(head, span.end)
    return in_line(cue, trim(text, TextSpan(start, end)))


def _cut_reporting_conjunct(head: Token, end: int) -> int:
    """``said the deaths were caused by X and called on Y to ...``: the parser joins the
    speaker's second act to the reported clause; it ends before that conjunct."""
    for child in head.children:
        if child.dep_ == "conj" and child.lemma_.lower() in SAY_VERBS | {"call"}:
            if not any(c.dep_ in _SUBJECTS for c in child.children):
                cc = [c for c in head.children if c.dep_ == "cc" and c.i < child.i]
                return (cc[-1] if cc else child).idx
    return end


def subject_of(verb: Token) -> TextSpan | None:
    """The speaker: the verb's subject, a passive agent, or the subject it shares."""
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            if child.dep_ == "nsubjpass" or (child.lower_ in ("it", "there") and _expletive(verb)):
                return _agent(verb)
            if child.tag_ in ("WP", "WDT") or child.lower_ == "that" or _relative(child):
                return _antecedent_of(verb)
            return _clean_source(child, _without_speaking(child))
    return _shared_subject(verb) or _inverted_subject(verb) or _agent(verb)


def _shared_subject(verb: Token) -> TextSpan | None:
    """A subject the cue shares with the clause it hangs on.

    ``X did this and said ...`` / ``Iran ..., claiming that ...`` / ``after accusing
    them of ...``; ``quoted the disaster center as saying ...`` -> the center.
    """
    if verb.dep_ in ("conj", "advcl", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
        return subject_of(verb.head)
    if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
        return _acl_speaker(verb.head)
    if verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
        governor = verb.head.head
        quoted = [c for c in governor.children if c.dep_ == "dobj"]
        if verb.head.lower_ == "as" and governor.lemma_.lower() in ("quote", "cite") and quoted:
            return subtree_span(quoted[0])
        if governor.pos_ in ("VERB", "AUX"):
            return subject_of(governor)
    return None


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
    return trim(doc_text(head.doc), TextSpan(head.left_edge.idx, head.idx + len(head)))


def _clean_source(head: Token, span: TextSpan) -> TextSpan:
    """The speaker's line only, without a dateline (``HANOI, Vietnam (AP) —``) or a
    trailing date (``Joe Coffey Monday``)."""
    text = doc_text(head.doc)
    start = max(span.start, text.rfind("\n", 0, head.idx) + 1)
    end = span.end
    nl = text.find("\n", head.idx, end)
    end = nl if nl >= 0 else end
    dash = max(text.rfind(" — ", start, end), text.rfind(" -- ", start, end))
    if dash >= 0 and "(" in text[start:dash]:
        start = dash + 3  # a dateline parsed as the subject: the speaker follows the dash
    last = head.doc.char_span(start, end, alignment_mode="expand")
    if (
        last is not None
        and len(last) > 1
        and last[-1].ent_type_ in ("DATE", "TIME")
        and last[-1].i != head.i
    ):
        end = last[-1].idx
    return trim(text, TextSpan(_title_start(head, start), end))


_TITLE = re.compile(r"^(?:[A-Z][a-z]{1,4}\.|[A-Z]{2,5})$")


def _title_start(head: Token, start: int) -> int:
    """Extend a speaker left over a title the parser cut off (``Cpl.``, ``Sgt.``, ``DAE``)."""
    doc = head.doc
    first = doc.char_span(start, start + 1, alignment_mode="expand")
    i = first[0].i if first is not None and len(first) else head.i
    while i > 0 and _TITLE.match(doc[i - 1].text) and "\n" not in doc.text[doc[i - 1].idx : start]:
        i -= 1
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
