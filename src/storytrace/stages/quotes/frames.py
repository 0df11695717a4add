"""Cue frames read off the dependency parse: layer 2 of the quote stage.

A frame is a cue with who (source), what (content) and to whom (addressee), as
character spans. Rules, each named in the frame:

* ``verb`` -- a reporting verb with a clause: ``X said (that) ...``, ``..., X
  reported``, ``X told Y that ...``, ``X urged Y to ...``, ``X dismissed Z as ...``;
  and who speaks (subject, passive agent, shared or inverted subject, the noun a
  participle hangs on) and to whom.

This module reads what is said; who speaks and to whom is read by
:mod:`~storytrace.stages.quotes.speakers`, and the word lists are in
:mod:`~storytrace.stages.quotes.vocab` (both re-exported here). The other cues
(``according to``, reporting nouns, ``reportedly``) and the dispatcher are in
:mod:`storytrace.stages.quotes.cues`.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from storytrace.records import TextSpan
from storytrace.stages.quotes.spans import (
    LEAD,
    WORD,
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
from storytrace.stages.quotes.speakers import addressee_of, subject_of, surface_speaker
from storytrace.stages.quotes.vocab import (
    ACTIVE_CLAUSE_VERBS,
    AGENT_VERBS,
    DOCUMENT_NOUNS,
    FOR_VERBS,
    MIN_OBJECT_WORDS,
    NEAR_VERBS,
    OBJECT_VERBS,
    PASSIVE_VERBS,
    PREDICATE_VERBS,
    SAY_NOUNS,
    SAY_VERBS,
    SHORT_OBJECT_VERBS,
    SUBJECT_DEPS,
    THAT_ONLY_VERBS,
    TITLE_ABBREV,
    TO_VERBS,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

__all__ = [
    "DOCUMENT_NOUNS",
    "FOR_VERBS",
    "MIN_OBJECT_WORDS",
    "NEAR_VERBS",
    "OBJECT_VERBS",
    "PASSIVE_VERBS",
    "PREDICATE_VERBS",
    "SAY_NOUNS",
    "SAY_VERBS",
    "SHORT_OBJECT_VERBS",
    "TO_VERBS",
    "Frame",
    "addressee_of",
    "clause_span",
    "subject_of",
    "verb_frame",
]


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


#: Reporting verbs that take an object of their own (``told Reuters``, ``denied the
#: charge``, ``called him a liar``): no clause is read off their object.
_OBJECT_TAKERS = (
    frozenset("tell inform assure ask quote cite publish write find".split())
    | TO_VERBS
    | OBJECT_VERBS
    | PREDICATE_VERBS
)
#: Tags of a finite verb.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


def verb_frame(verb: Token) -> Frame | None:
    """``X said that ...`` / ``..., X reported`` / ``X urged Y to ...``.

    Args:
        verb (Token): a reporting verb.

    Returns:
        Frame | None: the frame, or ``None`` when the verb has no content clause.
    """
    if _negated(verb):
        return None  # "did not confirm": nothing was said
    if verb.lemma_.lower() == "point" and not any(c.lower_ == "out" for c in verb.children):
        return None  # "pointed out that ..." reports; "pointed a gun at them" does not
    if not _takes_its_clause(verb) or _discourse_marker(verb) or _own_belief(verb):
        return None
    content = _as_parenthetical_content(verb) or _verb_content(verb) or _parenthetical_content(verb)
    if not content:
        return _split_sentence_frame(verb)
    source = subject_of(verb)
    if source is None:
        source = surface_speaker(verb, content)
        content = _before_speaker(content, source)
    addressee = addressee_of(verb)
    if source is not None and overlaps(source, content):
        return None  # the parse folded the speaker into the clause: not trustworthy
    core = _core(verb)
    return Frame(doc_text(verb.doc), tok_span(verb), source, content, addressee, "verb", core)


def _before_speaker(content: tuple[TextSpan, ...], source: TextSpan | None) -> tuple[TextSpan, ...]:
    """The reported clause without the speaker read off the text after it (the parser had
    folded ``..., the governor of Qeshm, Mehdi iran-Nejad, told ISNA`` into the clause)."""
    if source is None:
        return content
    text_end = source.start
    kept = [s for s in content if s.start < text_end]
    if not kept:
        return content
    last = kept[-1]
    return (*kept[:-1], TextSpan(last.start, min(last.end, text_end)))


def _takes_its_clause(verb: Token) -> bool:
    """``the study shows that ...`` / ``experts expect rates to fall``: verbs of
    :data:`THAT_ONLY_VERBS` report only a ``that`` clause, verbs of
    :data:`ACTIVE_CLAUSE_VERBS` only an active clause of their own; other verbs pass."""
    lemma = verb.lemma_.lower()
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if lemma in THAT_ONLY_VERBS:
        return any(
            m.dep_ == "mark" and m.lower_ == "that" and m.i < c.i
            for c in clauses
            for m in c.children
        )
    if lemma in ACTIVE_CLAUSE_VERBS:
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
        return bool(clauses) and not passive and verb.tag_ != "VBN"
    return True


#: Verbs of belief: reported only as someone else's (``Protesters believe ...``).
_BELIEF_VERBS = frozenset({"believe", "think", "hope", "expect", "fear", "suspect"})
#: First-person subjects: outside quotation marks, the writer (``we think``, ``Let's hope``).
_WRITER = frozenset({"i", "we", "us", "'s", "’s"})


def _discourse_marker(verb: Token) -> bool:
    """``That said, ...`` / ``Having said that, ...``: a connective, not a report."""
    doc = verb.doc
    before = doc[verb.i - 1].lower_ if verb.i > 0 else ""
    after = doc[verb.i + 1].text if verb.i + 1 < len(doc) else ""
    opens = verb.i < 2 or bool(doc[verb.i - 1].is_sent_start) or doc[verb.i - 2].is_punct
    if before == "that" and after == "," and opens:
        return True
    return before == "having" and after.lower() == "that"


def _own_belief(verb: Token) -> bool:
    """A belief that is not reported as someone else's: the writer's own (``we think``,
    ``Let's hope``), a speaker's own inside what they said (``said they believe they know
    ...``: a pronoun believing inside a reported clause), or a finding inside a
    speaker's statement (``said the case highlights that ...``)."""
    lemma = verb.lemma_.lower()
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if lemma in _BELIEF_VERBS and subject is not None and subject.lower_ in _WRITER:
        return True
    inside_report = verb.dep_ == "ccomp" and verb.head.lemma_.lower() in SAY_VERBS
    if lemma in THAT_ONLY_VERBS:
        return inside_report
    return (
        inside_report and lemma in _BELIEF_VERBS and subject is not None and subject.pos_ == "PRON"
    )


def _core(verb: Token) -> TextSpan | None:
    """The verb and subject of a reported clause (``ccomp``), if it has both."""
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    subject = (
        None
        if clause is None
        else next((c for c in clause.children if c.dep_ in SUBJECT_DEPS), None)
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
    named = len(between) <= 3 and all(w[:1].isupper() for w in between)
    # "..., Los Angeles County sheriff's Sgt. Don Manumaleuna said.": the title's full stop
    # is where the parser cut the sentence, whatever words come before it
    titled = 0 < len(between) <= 7 and TITLE_ABBREV.match(between[-1]) is not None
    if comma < 0 or not (named or titled):
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
        if not TITLE_ABBREV.match(match.group(1) + "."):
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
    layers = (
        _clause_content,
        _medium_clause_content,
        _object_then_verb_content,
        _gerund_or_for_content,
        _raised_content,
        _object_content,
        _passive_agent_content,
    )
    for layer in layers:
        found = layer(verb)
        if found:
            return found
    return ()


def _clause_content(verb: Token) -> tuple[TextSpan, ...]:
    """``said (that) ...`` / ``urged Y to ...``."""
    lemma = verb.lemma_.lower()
    clauses = [
        c for c in verb.children if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and lemma in TO_VERBS)
    ]
    # 'Police were gathering statements, but "we do know ...," Earley said': the parser
    # gave the cue two clauses; the one beside it is what was said
    if not clauses:
        return ()
    child = _reported_clause(verb, clauses)
    if child.dep_ == "xcomp" and any(c.dep_ == "neg" for c in child.children):
        return ()  # "asked not to be named": a condition, not a claim
    span = _after_cue(verb, clause_span(child, verb))
    return (_with_coordinated(verb, child, span),)


def _reported_clause(verb: Token, clauses: list[Token]) -> Token:
    """The clause a cue reports when the parser gave it several.

    A subordinate clause (``police said once Gray had been hit``) is not what was said
    when another is there. Of two clauses joined by ``but``/``and`` (``Police were
    gathering statements, but "we do know ...," Earley said``) the one beside the cue is
    what was said; otherwise the first, as parsed.
    """
    complements = [c for c in clauses if not _subordinate(c)] or clauses
    complements = [c for c in complements if not _runs_into_speaker(verb, c)] or complements
    if len(complements) == 1:
        return complements[0]
    first, second = complements[0], complements[1]
    between = verb.doc[first.i + 1 : second.left_edge.i]
    if any(t.dep_ == "cc" and t.head.i in (first.i, verb.i) for t in between):
        return min(complements, key=lambda c: _distance(verb, c))
    return first


def _runs_into_speaker(verb: Token, clause: Token) -> bool:
    """``While X isn't possible yet, research team head Jennifer Ngo-Anh says the idea
    ...``: a "clause" before the cue whose last word runs straight into the speaker's
    name, with no comma or quotation mark between, is the speaker's title misparsed, not
    what was said."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or clause.i > verb.i or subject.i < clause.i:
        return False
    return clause.right_edge.i + 1 == subject.left_edge.i


def _subordinate(clause: Token) -> bool:
    return any(
        c.dep_ == "mark" and c.lower_ not in ("that", "whether", "if") for c in clause.children
    )


def _distance(verb: Token, clause: Token) -> int:
    """Tokens between a cue and the nearer edge of a clause."""
    return verb.i - clause.right_edge.i if clause.i < verb.i else clause.left_edge.i - verb.i


#: Conjunctions that join a second reported clause to the first (``said A but B``).
_JOINING = frozenset({"but", "and", "yet", "although", "though", "while", "whereas"})


def _with_coordinated(verb: Token, clause: Token, span: TextSpan) -> TextSpan:
    """``said damage had been extensive but the store would be rebuilt``: the parser
    joins the second clause to the cue, not to the first one. A conjunct or an
    ``although`` clause of the cue right after the reported clause, with a subject of
    its own (not a pronoun, which may be the speaker doing something else), is reported
    too; one without (``..., but were not able to confirm``) is the speaker's act."""
    end = span.end
    for other in verb.children:
        if other.i <= clause.right_edge.i or other.dep_ not in ("conj", "advcl"):
            continue
        if other.lemma_.lower() in SAY_VERBS:
            continue
        joint = [c for c in verb.children if c.dep_ == "cc" and clause.i < c.i < other.i]
        joint += [c for c in other.children if c.dep_ == "mark" and c.i < other.i]
        subject = next((c for c in other.children if c.dep_ in SUBJECT_DEPS), None)
        if not joint or joint[-1].lower_ not in _JOINING or subject is None:
            continue
        if subject.pos_ == "PRON":
            continue
        gap = doc_text(verb.doc)[end : joint[-1].idx]
        if len(gap.strip(" ,;")) == 0:
            end = max(end, other.right_edge.idx + len(other.right_edge))
    return in_line(verb, strip_end(doc_text(verb.doc), TextSpan(span.start, end)))


def _medium_clause_content(verb: Token) -> tuple[TextSpan, ...]:
    """``said in a statement that ...`` / ``told a judge that ...`` / ``told reporters at
    a news conference that ...`` / ``argued for decades that ...``: the parser hangs the
    reported clause on a noun after the cue (its object, the medium, a time) as if it
    were a relative clause; a ``that`` marking it (not a relative pronoun) says it is
    the verb's complement."""
    for noun in _nouns_after(verb):
        if noun.lemma_.lower() in _CONTENT_NOUNS:
            continue  # "said, despite the fact that ...": the noun's own clause
        for clause in noun.children:
            if clause.dep_ in ("acl", "ccomp", "relcl") and _marked_by_that(clause):
                return (clause_span(clause, verb),)
    return ()


#: Nouns that take a that-clause of their own (``the fact that``, ``the idea that``).
_CONTENT_NOUNS = frozenset(
    """fact idea notion possibility hope fear belief news assumption knowledge concern
    rumor rumour sense feeling chance risk expectation impression understanding condition
    hypothesis theory""".split()
)


def _nouns_after(verb: Token) -> list[Token]:
    """The nouns of the cue's objects and prepositional phrases after it, up to two
    prepositions deep (``told reporters at a news conference``)."""
    found: list[Token] = []
    frontier = [c for c in verb.children if c.i > verb.i]
    for _ in range(3):
        nxt: list[Token] = []
        for tok in frontier:
            if tok.dep_ in ("dobj", "dative", "iobj", "pobj", "npadvmod"):
                found.append(tok)
                nxt += [c for c in tok.children if c.dep_ == "prep" and c.i > tok.i]
            elif tok.dep_ == "prep":
                nxt += [c for c in tok.children if c.dep_ == "pobj"]
        frontier = nxt
    return found


def _marked_by_that(clause: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "that" and c.i < clause.i for c in clause.children)


def _object_then_verb_content(verb: Token) -> tuple[TextSpan, ...]:
    """``insisted Nixon had no knowledge of the plans``: the parser read the reported
    clause's subject as the cue's object and its verb as a second one. A finite verb
    right after the object of a reporting verb that takes no object of its own starts
    the clause the object is the subject of."""
    lemma = verb.lemma_.lower()
    if lemma not in SAY_VERBS or lemma in _OBJECT_TAKERS:
        return ()
    obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > verb.i), None)
    if obj is None or obj.left_edge.i != verb.i + 1 or obj.right_edge.i + 1 >= len(verb.doc):
        return ()
    after = verb.doc[obj.right_edge.i + 1]
    heads = (verb.i, obj.i, verb.head.i)
    if after.tag_ not in _FINITE or after.dep_ not in ("conj", "ccomp", "dep", "relcl"):
        return ()
    if after.head.i not in heads or any(c.dep_ in SUBJECT_DEPS for c in after.children):
        return ()
    end = after.right_edge
    return (
        in_line(verb, trim(doc_text(verb.doc), TextSpan(obj.left_edge.idx, end.idx + len(end)))),
    )


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
        return _reported_where(verb, subject)
    if subject is not None and subject.i < verb.i:
        return (subtree_span(subject), clause_span(rest[0], verb))
    if verb.dep_ == "acl" and verb.tag_ in ("VBN", "VBD") and verb.head.i < verb.i:
        head = verb.head
        own = trim(doc_text(verb.doc), TextSpan(head.left_edge.idx, head.idx + len(head)))
        return (own, clause_span(rest[0], verb))
    return ()


#: Passive cues that report an event by where and when it was seen (``A case of plague
#: was reported in China over the weekend``).
_WHERE_VERBS = frozenset({"report", "confirm"})


def _reported_where(verb: Token, subject: Token | None) -> tuple[TextSpan, ...]:
    """``The virus has been reported in Barry ... counties`` / ``Gunfire was reported at
    about 3 p.m. in the area``: a passive report with no agent and no complement; the
    claim is the subject and the where and when after the cue (an ``according to``
    phrase is its source, not its content)."""
    if verb.lemma_.lower() not in _WHERE_VERBS or subject is None or subject.i > verb.i:
        return ()
    if subject.pos_ == "PRON" or any(c.dep_ == "agent" for c in verb.children):
        return ()
    after = [
        c for c in verb.rights
        if c.dep_ in ("prep", "npadvmod", "advmod") and c.lower_ not in ("according", "by", "to")
    ]  # fmt: skip
    if not after or after[0].i != verb.i + 1:
        return ()
    last = after[-1].right_edge
    text = doc_text(verb.doc)
    where = in_line(verb, strip_end(text, TextSpan(after[0].left_edge.idx, last.idx + len(last))))
    if len(span_words(text, where)) < 2:
        return ()
    return (subtree_span(subject), where)


def _passive_agent_content(verb: Token) -> tuple[TextSpan, ...]:
    """``His death was confirmed by Christine Monaco``: a passive cue with its agent;
    what was confirmed is the subject, who confirmed it the agent."""
    if verb.lemma_.lower() not in AGENT_VERBS:
        return ()  # "the bomb was found by an employee" reports an act
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is None or subject.i > verb.i or not any(c.dep_ == "agent" for c in verb.children):
        return ()
    if subject.pos_ == "PRON" and subject.lower_ in ("it", "this", "that"):
        return ()  # "it was confirmed by police": nothing said in the text
    return (subtree_span(subject),)


def _as_parenthetical_content(verb: Token) -> tuple[TextSpan, ...]:
    """``..., as reported by MarketScreener`` / ``..., as the Times reported last week``:
    an ``as`` clause set off by a comma reports the sentence around it."""
    doc, text = verb.doc, doc_text(verb.doc)
    first = verb.left_edge
    if first.lower_ != "as" or first.dep_ != "mark":
        return ()
    own = TextSpan(first.idx, verb.right_edge.idx + len(verb.right_edge))
    sent = verb.sent
    line = in_line(verb, TextSpan(sent.start_char, sent.end_char))
    before = text[line.start : own.start].rstrip()
    after = text[own.end : line.end].lstrip()
    if not (before.endswith(",") or after.startswith(",")) or doc[verb.i].dep_ == "ROOT":
        return ()
    return tuple(strip_end(text, p) for p in minus(text, line, own) if len(span_words(text, p)) > 2)


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
    if head.pos_ not in ("VERB", "AUX") or not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return ()
    own = TextSpan(verb.left_edge.idx, verb.right_edge.idx + len(verb.right_edge))
    whole = subtree_span(head)
    text = doc_text(verb.doc)
    words_after = span_words(text, TextSpan(own.end, whole.end))
    if own.start > whole.start and words_after:
        if verb.dep_ == "parataxis" and _set_off(text, own):
            # "The suspect, police said, had been arrested": the clause around the cue
            return tuple(
                in_line(verb, strip_end(text, s))
                for s in minus(text, whole, own)
                if span_words(text, s)
            )
        return ()  # a cue in mid-clause is not a parenthetical
    if verb.dep_ == "conj" and own.start > whole.start:
        return ()  # "X did this and said Y" has its own content or none
    return tuple(
        in_line(verb, strip_end(text, s))
        for s in minus(text, whole, own)
        if len(span_words(text, s)) > 2
    )


def _set_off(text: str, own: TextSpan) -> bool:
    """A cue clause between commas or dashes: ``, police said,``."""
    marks = (",", "—", "–")
    inner = text[own.start : own.end]
    before = text[: own.start].rstrip()
    after = text[own.end :].lstrip()
    return (inner.startswith(marks) or before.endswith(marks)) and (
        inner.endswith(marks) or after.startswith(marks)
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
            if not any(c.dep_ in SUBJECT_DEPS for c in child.children):
                cc = [c for c in head.children if c.dep_ == "cc" and c.i < child.i]
                return (cc[-1] if cc else child).idx
    return end
