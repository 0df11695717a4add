"""Quotations that stand alone, with no cue: whose words are they? (layer 4, continued)

News writing introduces a speaker in one sentence and gives their words in the next,
with no reporting verb at all::

    Dorsey said the shooting was going to be hard on everyone.
    "We're like family here."

    Darin Schroeder, of the American Bird Conservancy, agreed with the decision.
    "We are gratified the secretaries acted to restore the Act to its strength."

A quotation that is a sentence (or paragraph) of its own and that no cue covers is
given to the speaker of the sentence right before it: the speaker of an indirect quote
there (``Dorsey said …``), or the person that narration sentence is about (its subject:
a name or ``he``/``she``). The new quote has no cue (``cue_span`` is ``None``), as the
text has none. A quotation right after a direct or mixed quote is left to the
continuation rule of :mod:`~storytrace.stages.quotes.extract` (``"A," X said. "B."`` is
one quote), and one after a sentence about no person (``Here are the highlights:``,
``The plant reopened on Monday.``) is not attributed here.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from storytrace.records import Quote, TextSpan
from storytrace.stages.quotes.marks import Marked
from storytrace.stages.quotes.spans import doc_text
from storytrace.stages.quotes.speakers import subject_of

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

__all__ = ["orphan_quote"]

#: What a quotation standing as a sentence ends with, inside its marks.
_SENTENCE_END = re.compile(r"[.!?,…]['’)\]]*\s*$")
#: A quotation mark in the sentence before.
_QUOTED = re.compile('["“”„«»]')
#: Entity types of a subject that is not a person (a place, a date, a number).
_NOT_PERSON = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "MONEY", "PERCENT"})


def orphan_quote(sdoc: SpacyDoc, quotes: Sequence[Quote], mark: Marked, gap: int) -> Quote | None:
    """A new direct quote for a stand-alone quotation, with the speaker before it.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        quotes (Sequence[Quote]): the quotes found so far (any order).
        mark (Marked): a quotation no frame or nearby cue covered.
        gap (int): how far (characters) the sentence before may end from the quotation.

    Returns:
        Quote | None: the quote (method ``quotes.nearest.previous+marks`` or
        ``quotes.nearest.narration+marks``), or ``None`` when the quotation is not a
        sentence of its own, follows a direct or mixed quote, or follows no speaker.
    """
    text = doc_text(sdoc)
    if not _standalone(text, mark):
        return None
    before = _sentence_before(sdoc, mark, gap)
    if before is None:
        return None
    inside = [q for q in quotes if _touches(q, before)]
    if inside:
        if any(q.kind != "indirect" for q in inside) or _QUOTED.search(before.text):
            # "A," X said. "B.": the continuation rule's; a quotation left unattributed
            # in that sentence ('Armstead answered, "Yes."') makes the speaker unclear
            return None
        outer = [q for q in inside if not any(_encloses(o, q) for o in inside)]
        last = max(outer or inside, key=lambda q: q.cue_span.start if q.cue_span else 0)
        if last.speaker_span is None:
            return None
        return _quote(text, mark, last.speaker_span, "previous")
    speaker = _person_subject(before)
    return _quote(text, mark, speaker, "narration") if speaker is not None else None


def _standalone(text: str, mark: Marked) -> bool:
    """The quotation is a sentence of its own: it opens its line or follows a full stop,
    ends with sentence punctuation inside its marks, and nothing but a new sentence
    follows it on its line."""
    if not mark.balanced or not _SENTENCE_END.search(text[mark.start : mark.end]):
        return False
    line_start = text.rfind("\n", 0, mark.start) + 1
    lead = text[line_start : max(mark.start - 1, line_start)].rstrip()
    if lead and lead[-1] not in ".!?":
        return False
    line_end = text.find("\n", mark.close)
    rest = text[mark.close : len(text) if line_end < 0 else line_end].lstrip()
    return not rest or rest[0].isupper() or rest[0] in '"“‘«'


def _sentence_before(sdoc: SpacyDoc, mark: Marked, gap: int) -> SpacySpan | None:
    """The parsed sentence ending right before the quotation's opening mark."""
    text = doc_text(sdoc)
    k = mark.start - 2
    while k >= 0 and text[k].isspace():
        k -= 1
    if k < 0 or mark.start - k > gap:
        return None
    chunk = sdoc.char_span(k, k + 1, alignment_mode="expand")
    if chunk is None or not len(chunk):
        return None
    sent: SpacySpan = chunk[0].sent
    start = max(sent.start_char, text.rfind("\n", 0, k) + 1)
    if sent.end_char > mark.start - 1 or start > sent.start_char:
        # the parser ran the sentence over a line break or into the quotation: keep its
        # part on the line before the mark
        inner = sdoc.char_span(start, k + 1, alignment_mode="contract")
        return inner if inner is not None and len(inner) else None
    return sent


def _encloses(outer: Quote, inner: Quote) -> bool:
    """``..., saying two boats were closing in, a ministry statement said``: the
    statement's content holds the inner cue; the sentence's speaker is the outer one."""
    cue = inner.cue_span
    return (
        outer is not inner
        and cue is not None
        and any(s.start <= cue.start and cue.end <= s.end for s in outer.content_spans)
    )


def _touches(quote: Quote, sent: SpacySpan) -> bool:
    spans = [*quote.content_spans, *(s for s in (quote.cue_span,) if s is not None)]
    return any(s.start < sent.end_char and sent.start_char < s.end for s in spans)


def _person_subject(sent: SpacySpan) -> TextSpan | None:
    """The subject of a narration sentence when it is a person: a name or ``he``/``she``."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return None
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or not _person_like(subject):
        return None
    span = subject_of(root)
    if span is None or not (sent.start_char <= span.start and span.end <= sent.end_char):
        return None
    return span


def _person_like(head: Token) -> bool:
    if head.pos_ == "PRON":
        return head.lower_ in ("he", "she")
    if head.ent_type_ == "PERSON":
        return True
    return (
        head.pos_ == "PROPN" and head.ent_type_ not in _NOT_PERSON and not head.ent_type_ == "ORG"
    )


def _quote(text: str, mark: Marked, speaker: TextSpan, how: str) -> Quote:
    return Quote(
        doc_id="",
        quote_id="",
        kind="direct",
        content_spans=(mark.span,),
        cue_span=None,
        cue="",
        speaker_span=speaker,
        speaker_text=text[speaker.start : speaker.end],
        speaker_resolved=None,
        anonymous=False,
        descriptor=None,
        addressee_span=None,
        via=(),
        method=f"quotes.nearest.{how}+marks",
    )
