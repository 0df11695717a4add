"""The other cues and the dispatcher: layer 2 of the quote stage, continued.

* ``according`` -- ``according to X, ...`` anywhere in its clause; ``That's according to
  X.`` after the sentence it sources; ``per X, ...`` / ``..., per X`` / ``per X: ...``;
* ``noun`` -- a reporting noun: ``warnings from X to ...``, ``claims by X that ...``;
* ``adverb`` -- ``reportedly`` / ``allegedly``: a claim with no named source;
* ``nearest`` -- the reporting verb nearest a quotation no frame covered.

Cues inside quotation marks are skipped: they belong to the quoted speaker.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storytrace.records import TextSpan
from storytrace.stages.quotes.frames import (
    NEAR_VERBS,
    SAY_NOUNS,
    SAY_VERBS,
    Frame,
    addressee_of,
    clause_span,
    subject_of,
    verb_frame,
)
from storytrace.stages.quotes.marks import Marked
from storytrace.stages.quotes.spans import (
    doc_text,
    in_clause,
    in_line,
    minus,
    span_words,
    strip_end,
    subtree_span,
    tok_span,
    trim,
)
from storytrace.stages.quotes.vocab import CUE_VERBS, TIGHT_VERBS

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

_ADVERBS = frozenset({"reportedly", "allegedly", "purportedly", "reputedly"})


def frames_of(sdoc: SpacyDoc, marked: Sequence[Marked]) -> list[Frame]:
    """Every frame of a parsed text, in text order.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        marked (Sequence[Marked]): quotations; cues inside them are skipped.

    Returns:
        list[Frame]: frames with a non-empty content.
    """
    inside = [(m.start, m.end) for m in marked]
    frames: list[Frame] = []
    for i in _cue_candidates(sdoc):
        tok = sdoc[i]
        if any(s <= tok.idx < e for s, e in inside):
            continue
        frame = _frame_at(tok)
        if frame is not None:
            # "..., " said Jan Olson: a clause trimmed to nothing is no content
            kept = tuple(s for s in frame.content if s.end > s.start)
            if kept:
                frames.append(replace(frame, content=kept))
    return frames


_CUE_POS = frozenset({"VERB", "AUX", "NOUN"})


def _cue_candidates(sdoc: SpacyDoc) -> list[int]:
    """Indexes of the tokens :func:`_frame_at` may accept, from the doc's arrays.

    The same tests as ``_frame_at``'s first ones, on attribute ids: a ``Token``
    object per word of the text, and the test of each against every quotation,
    cost more than all of the frame rules (2.9 M comparisons for 194 pages).
    """
    strings = sdoc.vocab.strings
    cue_words = {strings.add(w) for w in ("according", "per", *_ADVERBS)}
    cue_pos = {strings.add(p) for p in _CUE_POS}
    is_cue: dict[int, bool] = {}
    out = []
    for i, (lower, pos, lemma) in enumerate(sdoc.to_array(["LOWER", "POS", "LEMMA"]).tolist()):
        if lower in cue_words:
            out.append(i)
        elif pos in cue_pos:
            if lemma not in is_cue:
                low = strings[lemma].lower()
                is_cue[lemma] = low in CUE_VERBS or low in SAY_NOUNS or low in _ESTIMATE_VERBS
            if is_cue[lemma]:
                out.append(i)
    return out


def _frame_at(tok: Token) -> Frame | None:
    low = tok.lower_
    if low == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        return according_frame(tok)
    if low == "per":
        return per_frame(tok)
    if low in _ADVERBS:
        return adverb_frame(tok)
    if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in _ESTIMATE_VERBS:
        return estimate_frame(tok)
    if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_VERBS:
        return verb_frame(tok) or predicate_frame(tok)
    if tok.pos_ == "NOUN" and tok.lemma_.lower() in SAY_NOUNS:
        return noun_frame(tok)
    return None


#: Verbs whose object and predicate are the claim however the parser hangs them
#: (``called the verdict bittersweet``, ``described those responsible as "very
#: dangerous"``).
_NAMING_VERBS = frozenset("call describe label brand characterize portray".split())
#: Verbs that report a measure: ``The U.S. Geological Survey put the quake's strength at
#: magnitude-5.4``.
_ESTIMATE_VERBS = frozenset({"put"})
_MARKS = '"“”‘’«»'


def predicate_frame(verb: Token) -> Frame | None:
    """``called the verdict bittersweet`` / ``called the slaying ... "a cold-blooded,
    vicious murder"`` / ``described those responsible as "very dangerous"``: a naming verb
    whose object and predicate the parser folded into one phrase, so the verb rules found
    no claim (session 17; the cross-check's dev topics). A predicate (``oprd``) or
    quoted words or an ``as`` after the object make it a claim; ``called the police``
    (neither), ``called for``/``called on`` (a particle) do not.

    Args:
        verb (Token): a naming verb.

    Returns:
        Frame | None: the frame, with the speaker of the verb, or ``None``.
    """
    if verb.lemma_.lower() not in _NAMING_VERBS:
        return None
    if any(
        c.dep_ in ("prt", "neg") or (c.dep_ == "prep" and c.lower_ != "as") for c in verb.rights
    ):
        return None
    parts = [c for c in verb.rights if c.dep_ in ("dobj", "oprd", "ccomp", "xcomp")]
    if not parts:
        return None
    text = doc_text(verb.doc)
    span = in_line(verb, trim(text, TextSpan(parts[0].left_edge.idx, _clause_end(verb))))
    inner = text[span.start : span.end]
    has_predicate = any(c.dep_ == "oprd" for c in parts)
    described = any(t.lower_ == "as" for t in verb.doc[parts[0].i : verb.right_edge.i + 1])
    if not (has_predicate or described or any(m in inner for m in _MARKS)):
        return None
    source = subject_of(verb)
    if source is None or len(span_words(text, span)) < 2:
        return None
    return Frame(text, tok_span(verb), source, (span,), None, "verb.predicate")


def estimate_frame(verb: Token) -> Frame | None:
    """``The U.S. Geological Survey put the quake's strength at magnitude-5.4``: a body
    that puts a measure at a figure reports it (session 17)."""
    at = next((c for c in verb.rights if c.dep_ == "prep" and c.lower_ == "at"), None)
    obj = next((c for c in verb.rights if c.dep_ == "dobj"), None)
    if at is None or obj is None or not any(_figure(t) for t in at.subtree):
        return None
    source = subject_of(verb)
    if source is None:
        return None
    text = doc_text(verb.doc)
    span = in_line(
        verb, trim(text, TextSpan(obj.left_edge.idx, at.right_edge.idx + len(at.right_edge)))
    )
    return Frame(text, tok_span(verb), source, (span,), None, "verb.estimate")


_FIGURES = frozenset({"CARDINAL", "QUANTITY", "PERCENT", "MONEY"})


def _figure(tok: Token) -> bool:
    """A number, a measure, or a word holding digits (``magnitude-5.4``)."""
    return tok.like_num or tok.ent_type_ in _FIGURES or any(ch.isdigit() for ch in tok.text)


def _clause_end(verb: Token) -> int:
    """Where the verb's own clause ends: its last word, before a final full stop."""
    last = verb.right_edge
    while last.i > verb.i and (last.is_space or (last.is_punct and last.text not in _MARKS)):
        last = last.doc[last.i - 1]
    return last.idx + len(last)


def according_frame(tok: Token) -> Frame | None:
    """``According to X, ...`` / ``..., according to X``.

    Args:
        tok (Token): the token ``according``.

    Returns:
        Frame | None: the frame, or ``None`` without an object of ``to``.
    """
    doc, text = tok.doc, doc_text(tok.doc)
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in tok.children if c.dep_ == "pobj"
    ]
    if not objs:
        return None
    source = _without_relative(objs[0])
    phrase = TextSpan(tok.idx, max(subtree_span(objs[0]).end, to.idx + len(to)))
    clause = in_clause(tok, in_line(tok, _clause_of(tok)))
    content = tuple(s for s in minus(text, clause, phrase) if span_words(text, s))
    cue = TextSpan(tok.idx, to.idx + len(to))
    if _only_pointer(text, content):
        # "Teens love AirPods. That's according to a new survey": the sentence before
        content = _sentence_before(tok)
    return Frame(text, cue, source, content, None, "according") if content else None


#: What is left of a clause that only points back at the sentence before it.
_POINTER = frozenset({"that", "this", "s", "is", "was", "'s", "’s", "all", "also"})


def _only_pointer(text: str, content: tuple[TextSpan, ...]) -> bool:
    words = [text[w.start : w.end].lower() for s in content for w in span_words(text, s)]
    return bool(words) and words[0] in ("that", "this") and set(words) <= _POINTER


def _sentence_before(tok: Token) -> tuple[TextSpan, ...]:
    """The sentence before ``tok``'s, on the same line or the line before."""
    sent: SpacySpan = tok.sent
    if sent.start == 0:
        return ()
    before: SpacySpan = tok.doc[sent.start - 1].sent
    text = doc_text(tok.doc)
    span = strip_end(text, trim(text, TextSpan(before.start_char, before.end_char)))
    if "\n\n" in text[span.end : sent.start_char] or len(span_words(text, span)) < 3:
        return ()
    return (span,)


#: Nouns after ``per`` that make it a rate (``$5 per share``), not a source.
_PER_UNITS = frozenset(
    """cent percent capita annum head hour day week month year minute second share person
    game unit mile kilometre kilometer gallon litre liter pound kilo kilogram ton tonne
    barrel acre household child student customer user visit click item serving dose""".split()
)


def per_frame(tok: Token) -> Frame | None:
    """``Per the experts: ...`` / ``Per X, ...`` / ``..., per X``: a source as a preposition.

    Only a source-like object counts: a name, or a definite, possessive or bare plural
    noun that is not a unit of a rate (``per share``, ``per cent``, ``$20 per person``).

    Args:
        tok (Token): the token ``per``.

    Returns:
        Frame | None: the frame, or ``None`` when ``per`` makes a rate.
    """
    doc, text = tok.doc, doc_text(tok.doc)
    obj = next((c for c in tok.children if c.dep_ == "pobj"), None)
    if obj is None or obj.lemma_.lower() in _PER_UNITS or obj.lower_ in _PER_UNITS:
        return None
    if tok.i > 0 and (doc[tok.i - 1].like_num or doc[tok.i - 1].pos_ in ("NUM", "SYM")):
        return None
    dets = {c.lower_ for c in obj.children if c.dep_ in ("det", "poss")}
    if not (
        obj.pos_ == "PROPN" or dets & {"the", "his", "her", "its", "their"} or obj.tag_ == "NNS"
    ):
        return None
    source = _without_relative(obj)
    after = text[source.end : source.end + 3].lstrip(" ")
    if after.startswith(":"):
        line_end = text.find("\n", source.end)
        line_end = len(text) if line_end < 0 else line_end
        colon = text.index(":", source.end)
        content: tuple[TextSpan, ...] = (
            strip_end(text, trim(text, TextSpan(colon + 1, line_end))),
        )
    else:
        phrase = TextSpan(tok.idx, source.end)
        clause = in_clause(tok, in_line(tok, _clause_of(tok)))
        content = tuple(s for s in minus(text, clause, phrase) if span_words(text, s))
    content = tuple(s for s in content if len(span_words(text, s)) >= 3)
    if not content:
        return None
    return Frame(text, tok_span(tok), source, content, None, "according")


def _without_relative(head: Token) -> TextSpan:
    """``court records, which indicate ...``: the source without its relative clause."""
    span = subtree_span(head)
    for child in head.children:
        if child.dep_ == "relcl" and child.i > head.i and child.left_edge.i > head.i + 1:
            before = head.doc[child.left_edge.i - 1]
            if before.text == ",":
                return trim(doc_text(head.doc), TextSpan(span.start, before.idx))
    return span


def _clause_of(tok: Token) -> TextSpan:
    """The clause a modifier belongs to: its verb's subtree, else its sentence."""
    head = tok.head
    while head.pos_ not in ("VERB", "AUX") and head.dep_ != "ROOT" and head.head.i != head.i:
        head = head.head
    sent: SpacySpan = tok.sent
    if head.pos_ not in ("VERB", "AUX"):
        head = sent.root
    span = subtree_span(head)
    start = max(span.start, sent.start_char)
    first = head.left_edge
    if first.dep_ == "mark" and first.head.i == head.i:
        start = max(start, first.idx + len(first))  # "While X reportedly did Y": not "While"
    return TextSpan(start, min(span.end, sent.end_char))


def adverb_frame(tok: Token) -> Frame | None:
    """``X reportedly did Y``: a claim, no named source.

    Args:
        tok (Token): ``reportedly`` or ``allegedly``.

    Returns:
        Frame | None: the frame over the modified clause.
    """
    text = doc_text(tok.doc)
    clause = in_clause(tok, in_line(tok, _clause_of(tok)))
    content = tuple(s for s in minus(text, clause, tok_span(tok)) if span_words(text, s))
    return Frame(text, tok_span(tok), None, content, None, "adverb") if content else None


def noun_frame(noun: Token) -> Frame | None:
    """``warnings from X to ...`` / ``claims by X that ...``.

    Args:
        noun (Token): a reporting noun.

    Returns:
        Frame | None: the frame, or ``None`` without a source and a clause.
    """
    source: Token | None = None
    content: Token | None = None
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            source = next((g for g in child.children if g.dep_ == "pobj"), None)
        elif child.dep_ in ("acl", "ccomp", "relcl") and (_is_clause(child) or _says(child)):
            content = child
    if content is None and source is not None:
        content = next(
            (
                g
                for g in source.children
                if g.dep_ in ("acl", "ccomp") or (g.dep_ == "relcl" and _complement_like(g))
            ),
            None,
        )
    if source is None and content is not None and _marked_that(content):
        # "his claim that ...", "Russia's claims that ...": the owner says so
        source = next((c for c in noun.children if c.dep_ == "poss"), None)
        if source is not None:
            last = max((t for t in source.subtree if t.dep_ != "case"), key=lambda t: t.i)
            span = TextSpan(source.left_edge.idx, last.idx + len(last))
            return Frame(
                doc_text(noun.doc), tok_span(noun), span,
                (clause_span(content, noun),), None, "noun",
            )  # fmt: skip
    if source is None or content is None:
        return None
    src = trim(doc_text(noun.doc), TextSpan(source.left_edge.idx, _end_before(source, content)))
    inner = [c for c in content.children if c.dep_ == "ccomp"]
    if content.lemma_.lower() in SAY_VERBS and content.dep_ == "acl" and inner:
        content = inner[0]  # "claims from X suggesting that ...": the noun is the cue
    return Frame(
        doc_text(noun.doc), tok_span(noun), src, (clause_span(content, noun),), None, "noun"
    )


def _marked_that(clause: Token) -> bool:
    """A clause opened by the complementiser ``that`` (not a relative pronoun)."""
    return any(c.dep_ == "mark" and c.lower_ == "that" and c.i < clause.i for c in clause.children)


def _complement_like(clause: Token) -> bool:
    """A relative clause the parser made of a ``that``-complement: its subject is a noun."""
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    return (
        subject is not None
        and subject.pos_ in ("NOUN", "PROPN")
        and any(c.lower_ == "that" and c.i < subject.i for c in clause.children)
    )


def _says(tok: Token) -> bool:
    """A reporting participle with its own clause (``suggesting that ...``)."""
    return tok.lemma_.lower() in SAY_VERBS and any(c.dep_ == "ccomp" for c in tok.children)


def _is_clause(tok: Token) -> bool:
    return any(c.dep_ in ("mark", "aux", "nsubj") for c in tok.children)


def _end_before(head: Token, skip: Token) -> int:
    ends = [
        t.idx + len(t) for t in head.subtree if not (skip.left_edge.i <= t.i <= skip.right_edge.i)
    ]
    return max(ends)


def nearest_cue(sdoc: SpacyDoc, mark: Marked, taken: set[TextSpan | None]) -> Frame | None:
    """The reporting verb nearest a quotation, in its paragraph and sentences.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        mark (Marked): a quotation no frame covered.
        taken (set[TextSpan | None]): cues already used by indirect quotes.

    Returns:
        Frame | None: a frame whose content is the quotation, or ``None``.
    """
    text = doc_text(sdoc)
    lo = max(text.rfind("\n", 0, max(mark.start - 1, 0)), _sentence_start(sdoc, mark.start - 1))
    hi = _window_end(sdoc, mark)
    best: tuple[int, Token] | None = None
    for tok in sdoc.char_span(max(lo, 0), hi, alignment_mode="expand") or ():
        if mark.start - 1 <= tok.idx < mark.close or not _near_cue(text, mark, tok):
            continue
        if tok_span(tok) in taken:
            continue
        if tok.pos_ not in ("VERB", "AUX") and _misread_name(tok, mark) is None:
            continue
        dist = mark.start - tok.idx if tok.idx < mark.start else tok.idx - mark.close
        if best is None or dist < best[0]:
            best = (dist, tok)
    if best is None:
        return _line_intro(sdoc, mark, taken)
    verb = best[1]
    speaker = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else _misread_name(verb, mark)
    if speaker is None and _verb_lemma(verb) not in NEAR_VERBS:
        return None  # a verb of the tight list speaks for someone: "left to wonder" does not
    return Frame(text, tok_span(verb), speaker, (mark.span,), addressee_of(verb), "verb")


def _misread_name(tok: Token, mark: Marked) -> TextSpan | None:
    """``,” Wilgus clarifies.``: the parser read the cue as a plural noun with the
    speaker's name as its modifier; the name is the speaker."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS" or tok.idx < mark.close:
        return None
    names = [c for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
    if not names:
        return None
    first, last = names[0].left_edge, names[-1]
    return TextSpan(first.idx, last.idx + len(last))


def _near_cue(text: str, mark: Marked, tok: Token) -> bool:
    """A reporting verb that may take the quotation: one of the ``nearest`` verbs, or a
    verb of :data:`TIGHT_VERBS` right beside the marks (``,” Wilgus clarifies``,
    ``she shares: “``), with no sentence boundary between."""
    lemma = _verb_lemma(tok)
    if lemma in NEAR_VERBS:
        return True
    if lemma not in TIGHT_VERBS:
        return False
    if tok.idx >= mark.close:
        # '“...,” Wilgus clarifies' / '“...?” asked Pineda', not '“...charm.” Read our review'
        between = text[mark.close : tok.idx]
        inside = text[mark.start : mark.end].rstrip()
        joined = inside.endswith((",", "?", "!", "—", "–")) or between.lstrip().startswith(",")
        short = len(between) <= 60 and len(between.split()) <= 5
        return joined and short and not _STOP.search(between)
    return _INTRO_GAP.fullmatch(text[tok.idx + len(tok) : max(mark.start - 1, tok.idx)]) is not None


def _verb_lemma(tok: Token) -> str:
    """The lemma, or for a verb misread as a plural noun (``clarifies``) its verb."""
    if tok.pos_ != "NOUN" or tok.tag_ != "NNS":
        return str(tok.lemma_.lower())
    word = tok.lower_
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


_STOP = re.compile(r"[.!?;\n]")
_INTRO_GAP = re.compile(r"[\s,:]*")


def _sentence_start(sdoc: SpacyDoc, offset: int) -> int:
    tok = sdoc.char_span(max(offset, 0), max(offset, 0) + 1, alignment_mode="expand")
    return tok.sent.start_char if tok is not None and len(tok) else offset


def _window_end(sdoc: SpacyDoc, mark: Marked) -> int:
    """The end of the sentence after the closing mark, within the paragraph."""
    text = doc_text(sdoc)
    para_end = text.find("\n", mark.close)
    para_end = len(text) if para_end < 0 else para_end
    window = sdoc.char_span(mark.close, min(para_end, mark.close + 1), alignment_mode="expand")
    sent_end = window.sent.end_char if window is not None and len(window) else para_end
    return min(para_end, max(sent_end, mark.close))


def _line_intro(sdoc: SpacyDoc, mark: Marked, taken: set[TextSpan | None]) -> Frame | None:
    """``To which she replied,`` ending the line before a quotation that opens its own.

    ECB+ pages break the line after an introducing cue; the quotation on the next
    line is what the cue introduces, not a continuation of the quote before.
    """
    text = doc_text(sdoc)
    before = text[: max(mark.start - 1, 0)].rstrip()
    if not before.endswith((",", ":")) or "\n" not in text[len(before) : mark.start]:
        return None
    line_start = before.rfind("\n") + 1
    line = sdoc.char_span(line_start, len(before), alignment_mode="expand")
    verbs = [
        t
        for t in line or ()
        if t.lemma_.lower() in NEAR_VERBS and t.pos_ in ("VERB", "AUX") and tok_span(t) not in taken
    ]
    if not verbs or len(span_words(text, TextSpan(verbs[-1].idx, len(before)))) > 4:
        return None
    verb = verbs[-1]
    return Frame(text, tok_span(verb), subject_of(verb), (mark.span,), addressee_of(verb), "verb")
