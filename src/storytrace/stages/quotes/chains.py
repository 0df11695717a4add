"""Speakers resolved and attribution chains built: layer 5 of the quote stage.

Pronouns and definite descriptions ("the source", "the official", "the report",
"the regime") are resolved to earlier speakers or outlets, and ``via`` chains are
built from addressees (``told the Times``), nesting (a claim inside a reported
claim) and inherited intermediaries (seed 002: Trump -> Israeli officials ->
Channel 12 -> the article).

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from storytrace.records import ChainLink, TextSpan
from storytrace.stages.entities.extract import dominant_country, outlet_name
from storytrace.stages.quotes.frames import DOCUMENT_NOUNS
from storytrace.stages.quotes.referents import (
    Mention,
    Mentions,
    described_referent,
    mentions_of,
    pronoun_referent,
)
from storytrace.stages.quotes.short_names import full_name
from storytrace.stages.quotes.spans import doc_text, subtree_span
from storytrace.stages.quotes.unnamed import (
    PERSON_HEADS,
    generic_outlet,
    is_pronoun,
    named_next,
    unnamed_form,
)
from storytrace.stages.quotes.vocab import INSTITUTION_NOUNS, UNIQUE_ROLE_NOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

    from storytrace.records import Quote


_PRONOUNS = {
    "he": "person",
    "she": "person",
    "him": "person",
    "her": "person",
    "it": "thing",
    "they": "plural",
    "we": "plural",
    "i": "person",
    "his": "person",
    "their": "plural",
    "its": "thing",
}

#: Entity labels of who may issue a statement or report.
_ISSUERS = frozenset({"GPE", "ORG", "OUTLET", "PERSON", "NORP"})

#: A person known by a number only (``Juror No. 12``, ``Witness Number 3``): unnamed.
_NUMBERED_ROLE = re.compile(r"^[A-Z][a-z]+ (?:No\.|Nos\.|Number|#) ?\d+$")

#: Definite descriptions that point back to a speaker named earlier ("the source").
_INCLUDING = re.compile(r"\bincluding\s+(.+)$", re.IGNORECASE | re.DOTALL)


def resolve_all(
    sdoc: SpacyDoc, quotes: Sequence[Quote], quoted: Sequence[TextSpan] = ()
) -> list[Quote]:
    """Resolve speakers and build ``via`` chains, in text order.

    Args:
        sdoc (spacy.tokens.Doc): the parsed text.
        quotes (Sequence[Quote]): quotes in text order.
        quoted (Sequence[TextSpan]): the text's quotations: names inside them are
            not referents of a later "he" (see :mod:`.referents`).

    Returns:
        list[Quote]: the same quotes with ``speaker_resolved``, ``anonymous``,
        ``descriptor`` and ``via`` filled in.
    """
    done: list[Quote] = []
    found = mentions_of(sdoc, quoted)
    for quote in quotes:
        named = _named_referent(sdoc, quote, done, found)
        if named is not None:
            done.append(_with_referent(sdoc, quote, done, named))
            continue
        antecedent = _antecedent(sdoc, quote, done)
        resolved = _resolved_name(sdoc, quote, antecedent)
        head = _head(sdoc, quote.speaker_span)
        unnamed_outlet = _unnamed_outlet_report(head) if resolved is None else None
        if resolved is None:
            resolved = (
                unnamed_outlet
                or _person_full_name(head, quote.speaker_span)
                or full_name(sdoc, quote.speaker_span)  # "THR" -> The Hollywood Reporter
            )
        generic = quote.speaker_span is not None and generic_outlet(
            head, quote.speaker_span.start, quote.speaker_span.end
        )
        anonymous = _is_anonymous(sdoc, quote.speaker_span, head) and (
            generic or not _named(head, found)
        )
        anonymous = anonymous and not _quoted_words(quote.speaker_span, found)
        if unnamed_outlet is not None:
            anonymous = True  # "Iranian television ran video ..." then "The report said"
        elif antecedent is not None and resolved is not None:
            anonymous = antecedent.anonymous and (not is_pronoun(head) or _they(head))
        elif resolved is not None and outlet_name(resolved):
            anonymous = False  # "the report" of a named outlet
        else:
            anonymous = anonymous and unnamed_form(head)
        anonymous = anonymous or _NUMBERED_ROLE.match(quote.speaker_text) is not None
        named_after = named_next(head) if anonymous else None
        if named_after is not None:
            # "A California transit chief says ..." then "Police Chief Ed Alvarez told ..."
            anonymous = False
            resolved = resolved or doc_text(sdoc)[named_after.start : named_after.end]
        descriptor = _descriptor(quote, antecedent) if anonymous else None
        via = _via(sdoc, quote, done, antecedent)
        done.append(
            replace(
                quote,
                speaker_resolved=resolved,
                anonymous=anonymous,
                descriptor=descriptor,
                via=via,
            )
        )
    return done


def _named_referent(
    sdoc: SpacyDoc, quote: Quote, done: Sequence[Quote], found: Mentions
) -> Mention | None:
    """A named mention "he" or "the judge" refers to, when it is nearer than the
    speaker of an earlier quote (that speaker, a subject too, wins a tie)."""
    head = _head(sdoc, quote.speaker_span)
    if head is None or quote.speaker_span is None:
        return None
    low = head.lower_
    if low in ("he", "she", "his", "her") and head.pos_ == "PRON":
        # "his claim that ...": the owner of a reporting noun is a pronoun source too
        # "No shots were fired when Orozco was taken into custody, he added": a name in
        # what the pronoun's speaker says is someone else
        pool = replace(found, items=tuple(m for m in found.items if not _inside(m.span, quote)))
        named = pronoun_referent(pool, head.idx, "she" if low == "her" else low.replace("is", "e"))
    elif _bare_description(head) and _ends_at(head, quote.speaker_span):
        named = described_referent(found, head)
    else:
        return None
    earlier = _antecedent(sdoc, quote, done)
    if named is None or earlier is None or earlier.speaker_span is None:
        return named
    return None if found.sentence_of(earlier.speaker_span.start) >= named.sentence else named


def _person_full_name(head: Token | None, span: TextSpan | None) -> str | None:
    """``Chela said``: a person's first name alone, which the text printed whole before
    (``Chela Ortiz``), is that person (session 17). A surname alone (``Perlo said``) is
    how news names a person and stays as printed, and so does a word that is any
    person's surname in the text or the first name of more than one."""
    if head is None or span is None or head.pos_ != "PROPN" or not head.text[:1].isupper():
        return None
    if doc_text(head.doc)[span.start : span.end] != head.text:
        conj = [c for c in head.children if c.dep_ in ("conj", "cc")]
        if not conj or doc_text(head.doc)[span.start : head.idx].strip():
            return None  # "Chela and her in-laws": the name opens the speaker
    people = [e for e in head.doc.ents if e.label_ == "PERSON" and len(e) >= 2]
    if any(e[-1].text == head.text for e in people):
        return None  # "Ash Carter met Carter Page ... Carter said": someone's surname
    fits = {e.text for e in people if e.end_char <= span.start and e[0].text == head.text}
    # "Carter Page met Carter Smith ... Carter said": which one is not the text's to say
    return fits.pop() if len(fits) == 1 else None


#: How many sentences back an unnamed outlet may be the author of ``the report``.
_REPORT_SENTENCES_BACK = 2


def _unnamed_outlet_report(head: Token | None) -> str | None:
    """Who wrote ``the report`` when the text names no report but an outlet of a kind
    just before it (``Iran's state television says ...`` / ``Iranian television ran video
    ...`` then ``The report says ...``): that outlet, unnamed (session 17). A report
    that names whose it is (``The UN report``, ``The police report``, ``the
    government's report``) is no outlet's: only a bare ``the report`` follows one."""
    if head is None or head.lemma_.lower() != "report" or not _definite(head):
        return None
    if _has_issuer(head) or any(
        c.dep_ in ("compound", "poss", "nmod") or c.pos_ == "PROPN"
        for c in head.children
        if c.i < head.i
    ):
        return None
    doc = head.doc
    sent = head.sent
    first = sent.start
    for _ in range(_REPORT_SENTENCES_BACK):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    for tok in reversed(doc[first : sent.start]):
        if tok.dep_ in ("nsubj", "nsubjpass") and generic_outlet(
            tok, tok.left_edge.idx, tok.idx + len(tok)
        ):
            return doc_text(doc)[tok.left_edge.idx : tok.idx + len(tok)]
    return None


def _restricted(head: Token, span: TextSpan | None) -> bool:
    """``the disaster center in the province of Hormozgan``: a description that says
    which one it is, not an anaphor of an earlier ``center`` (session 17)."""
    return span is not None and any(
        c.dep_ in ("prep", "relcl", "acl") and c.i > head.i and c.idx < span.end
        for c in head.children
    )


def _they(head: Token | None) -> bool:
    """``they said`` after ``three jurors who spoke briefly outside the courtroom``: a
    plural pronoun that stands for an unnamed group is that group, unnamed (session 17;
    the cross-check's convention: the true speaker is unnamed). ``he``/``she`` and ``we``
    (the reporters) keep the pronoun's own type."""
    return head is not None and head.lower_ == "they"


def _ends_at(head: Token, span: TextSpan) -> bool:
    """The mention ends with its head: ``The Iranian news agency IRNA`` names itself after
    the description (the parser gave the verb two subjects), so it is no bare one."""
    return doc_text(head.doc)[head.idx + len(head) : span.end].strip(" ,") == ""


def _inside(span: TextSpan, quote: Quote) -> bool:
    return any(c.start <= span.start and span.end <= c.end for c in quote.content_spans)


def _bare_description(head: Token) -> bool:
    """``the judge`` / ``the district attorney``: a definite singular common noun with
    nothing after it that would describe the speaker on its own (``the white woman, who
    was identified as Juror No. 12``); reports have their own rule."""
    return (
        ((head.pos_ == "NOUN" and head.tag_ == "NN") or _capitalised_title(head))
        and _definite(head)
        and not any(c.i > head.i for c in head.children)
        and head.lemma_.lower() not in DOCUMENT_NOUNS
    )


def _capitalised_title(head: Token) -> bool:
    """``the District Attorney``, ``the Governor``: a one-person office written with
    capitals, which the model tags a proper noun of no entity type (session 17)."""
    return (
        head.pos_ == "PROPN"
        and head.tag_ == "NNP"
        and not head.ent_type_
        and head.lemma_.lower() in UNIQUE_ROLE_NOUNS
    )


def _with_referent(sdoc: SpacyDoc, quote: Quote, done: Sequence[Quote], named: Mention) -> Quote:
    name = doc_text(sdoc)[named.span.start : named.span.end]
    return replace(
        quote,
        speaker_resolved=name,
        anonymous=False,
        descriptor=None,
        via=_via(sdoc, quote, done, None),
    )


def _head(sdoc: SpacyDoc, span: TextSpan | None) -> Token | None:
    if span is None:
        return None
    chunk = sdoc.char_span(span.start, span.end, alignment_mode="expand")
    return chunk.root if chunk is not None and len(chunk) else None


def _antecedent(sdoc: SpacyDoc, quote: Quote, done: Sequence[Quote]) -> Quote | None:
    """The earlier quote whose speaker a pronoun or "the source" refers to."""
    head = _head(sdoc, quote.speaker_span)
    if head is None:
        return None
    low = head.lower_
    if low in _PRONOUNS and head.pos_ == "PRON":
        want = _PRONOUNS[low]
        return next((q for q in reversed(done) if q.speaker_span and _fits(sdoc, q, want)), None)
    if (
        _definite(head)
        and head.pos_ == "NOUN"
        and not _has_issuer(head)
        and not _restricted(head, quote.speaker_span)
    ):
        lemma = head.lemma_.lower()
        return next(
            (q for q in reversed(done) if q.speaker_span and _head_lemma(sdoc, q) == lemma), None
        )
    return None


def _fits(sdoc: SpacyDoc, quote: Quote, want: str) -> bool:
    head = _head(sdoc, quote.speaker_span)
    if head is None or head.pos_ == "PRON":
        return (
            quote.speaker_resolved is not None
            and want == "person"
            and head is not None
            and (head.lower_ in ("he", "she"))
        )
    person = head.ent_type_ == "PERSON" or (head.pos_ == "PROPN" and not head.ent_type_)
    person = person or _surname(head)
    if want == "person":
        return person or head.lemma_.lower() in ("official", "source", "spokesman", "spokeswoman")
    if want == "thing":
        return not person and head.tag_ in ("NN", "NNP")
    return not person


def _surname(head: Token) -> bool:
    """``Lyons said``: a name the model tagged a common noun, or an organisation here
    and a person's surname elsewhere in the text, is that person."""
    if head.pos_ == "NOUN" and head.tag_ == "NN" and head.text[:1].isupper() and not head.ent_type_:
        # "Lyons said" tagged a common noun: the text never writes "lyons"
        return not any(t.text == head.lower_ for t in head.doc)
    if head.ent_type_ != "ORG" or head.pos_ != "PROPN":
        return False
    return any(e.label_ == "PERSON" and e[-1].lower_ == head.lower_ for e in head.doc.ents)


def _definite(head: Token) -> bool:
    return any(c.lower_ in ("the", "this", "that") for c in head.children if c.dep_ == "det")


def _head_lemma(sdoc: SpacyDoc, quote: Quote) -> str:
    head = _head(sdoc, quote.speaker_span)
    return head.lemma_.lower() if head is not None else ""


def _resolved_name(sdoc: SpacyDoc, quote: Quote, antecedent: Quote | None) -> str | None:
    if antecedent is not None:
        return antecedent.speaker_resolved or antecedent.speaker_text
    head = _head(sdoc, quote.speaker_span)
    if head is not None and head.ent_id_ == "gov_word":
        return dominant_country(sdoc) or None  # "The regime has threatened ..." (seed 004)
    if head is not None and head.lemma_.lower() in DOCUMENT_NOUNS and _definite(head):
        report = _report_mention(sdoc, quote)
        return doc_text(sdoc)[report.start : report.end] if report else None
    return None


def _report_mention(sdoc: SpacyDoc, quote: Quote) -> TextSpan | None:
    """What "the report" refers to: the nearest earlier report, if an outlet is named.

    Candidates are reports with an outlet in them (``a new report from the UK Times``),
    outlets that are the subject of ``report``, and unnamed reports (``it was reported
    that ...``): when the nearest is unnamed, the answer is unknown (seed 001), never
    the outlet before it. Seed 002 opens with "According to the report" and names the
    report later, so with none before, the first named one after wins.
    """
    anchor = quote.speaker_span.start if quote.speaker_span else 0
    found = _report_candidates(sdoc)
    before = [(c, kind) for c, kind in found if c.end <= anchor]
    if before:
        return before[-1][0] if before[-1][1] != "unnamed" else None
    after = sorted(
        (kind != "noun", c.start, c) for c, kind in found if c.start > anchor and kind != "unnamed"
    )
    return after[0][2] if after else None


def _report_candidates(sdoc: SpacyDoc) -> list[tuple[TextSpan, str]]:
    """Mentions of reports, each with its kind: ``noun``, ``verb`` or ``unnamed``."""
    out: list[tuple[TextSpan, str]] = []
    for tok in sdoc:
        lemma = tok.lemma_.lower()
        if lemma == "report" and tok.pos_ == "NOUN" and not _definite(tok):
            chunk = sdoc.char_span(tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge))
            if chunk is not None and outlet_name(chunk.text):
                out.append((TextSpan(chunk.start_char, chunk.end_char), "noun"))
        elif lemma in ("report", "reveal", "publish") and tok.pos_ == "VERB":
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.dep_ == "nsubj" and outlet_name(_subtree_text(subj)):
                out.append((subtree_span(subj), "verb"))
            elif subj is not None and subj.dep_ == "nsubjpass" and subj.lower_ == "it":
                out.append((TextSpan(tok.idx, tok.idx + len(tok)), "unnamed"))
    return out


def _subtree_text(tok: Token) -> str:
    return doc_text(tok.doc)[tok.left_edge.idx : tok.right_edge.idx + len(tok.right_edge)]


def _is_anonymous(sdoc: SpacyDoc, span: TextSpan | None, head: Token | None) -> bool:
    """Unnamed: a common-noun head ("a regional intelligence source", "officials")
    that is not itself a named place, organisation or outlet ("the regime")."""
    if span is None or head is None or head.pos_ == "PRON":
        return False
    if generic_outlet(head, span.start, span.end):
        return True  # "State media", "Iranian media": the gazetteer's pattern, no name
    if head.pos_ == "PROPN":
        return False
    if outlet_name(doc_text(sdoc)[span.start : span.end]) and not _indefinite_person(head):
        return False  # "A reporter of the Iranian news agency, IRNA" is still unnamed
    if head.ent_type_ in ("GPE", "ORG", "OUTLET", "MILITARY_UNIT", "PERSON"):
        return False
    if _named_body_or_office(head, span):
        return False
    chunk = sdoc.char_span(span.start, span.end, alignment_mode="expand")
    return not any(e.label_ == "PERSON" for e in (chunk.ents if chunk is not None else ()))


def _indefinite_person(head: Token) -> bool:
    """``a reporter``, ``an Associated Press journalist``: one person by role, unnamed
    whatever outlet or body employs them (session 17)."""
    return head.lemma_.lower() in PERSON_HEADS and any(
        c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children
    )


_NAMING_ENTS = frozenset({"GPE", "ORG", "NORP", "LOC", "FAC", "OUTLET", "PERSON"})


def _named_body_or_office(head: Token, span: TextSpan) -> bool:
    """A body speaking as itself or the holder of a one-person office, named by a
    modifier inside the speaker mention: ``Vancouver police``, ``the US military``,
    ``the disaster center in the province of Hormozgan``, ``China's ambassador to
    Britain``. An indefinite or plural role (``a Surrey Police spokeswoman``,
    ``Israeli officials``) stays unnamed."""
    lemma = head.lemma_.lower()
    if lemma == "authority" and head.tag_ == "NNS":
        return False  # "Texas authorities": officials of a place, unnamed
    if lemma in INSTITUTION_NOUNS:
        pass
    elif lemma in UNIQUE_ROLE_NOUNS and head.tag_ == "NN":
        if any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
            return False
    else:
        return False
    return any(
        t.i != head.i
        and span.start <= t.idx < span.end
        and (t.pos_ == "PROPN" or t.ent_type_ in _NAMING_ENTS)
        for t in head.subtree
    )


def _quoted_words(span: TextSpan | None, found: Mentions) -> bool:
    """A "speaker" inside quotation marks is a misparse of the quoted words (``your
    baby girl away from you``), not an unnamed source."""
    return span is not None and any(
        q.start <= span.start and span.end <= q.end for q in found.quoted
    )


def _named(head: Token | None, found: Mentions) -> bool:
    """A speaker the text writes as a name (``Timmons``, ``The Playlist``), or a
    statement with its named issuer (``a Texas prison statement``)."""
    if head is None:
        return False
    return head.text in found.names or _has_issuer(head)


def _has_issuer(head: Token) -> bool:
    """``the statement from the Texas Department of Criminal Justice``: a document that
    names who issued it is theirs, not an earlier statement's nor an anonymous one."""
    if head.lemma_.lower() not in DOCUMENT_NOUNS:
        return False
    if any(t.ent_type_ in _ISSUERS for t in head.subtree if t.i != head.i):
        return True
    # "reports from The Wrap and Deadline": a name after "from"/"by", whatever its type
    return any(
        c.dep_ == "prep"
        and c.lower_ in ("from", "by")
        and any(g.pos_ == "PROPN" for g in c.subtree)
        for c in head.children
    )


def _descriptor(quote: Quote, antecedent: Quote | None) -> str | None:
    if antecedent is not None and antecedent.descriptor:
        return antecedent.descriptor
    found = _INCLUDING.search(quote.speaker_text)
    # "Sources quoted in the report, including six militia leaders and ...": the list is who
    return found.group(1).strip(" ,") if found else (quote.speaker_text or None)


def _via(
    sdoc: SpacyDoc, quote: Quote, done: Sequence[Quote], antecedent: Quote | None
) -> tuple[ChainLink, ...]:
    """Intermediaries from the speaker outward (see the module docstring)."""
    text = doc_text(sdoc)
    own: list[ChainLink] = []
    if quote.addressee_span is not None:
        piece = text[quote.addressee_span.start : quote.addressee_span.end]
        name = outlet_name(piece)
        if name is not None:
            own.append(
                ChainLink(quote.addressee_span.start, quote.addressee_span.end, name, "outlet")
            )
    if (
        not own
        and quote.speaker_text
        and re.search(r"\bthe (report|article)\b", quote.speaker_text)
    ):
        own.extend(_report_link(sdoc, quote))
    outer = _enclosing(quote, done)
    if outer is not None:
        return _dedupe((*own, _speaker_link(sdoc, outer), *outer.via))
    if not own and antecedent is not None:
        return antecedent.via
    return tuple(own)


def _dedupe(links: Sequence[ChainLink]) -> tuple[ChainLink, ...]:
    """Drop a link naming the same intermediary as the one before it ("the report" of
    Reuters, then Reuters itself)."""
    out: list[ChainLink] = []
    for link in links:
        if not out or out[-1].name != link.name:
            out.append(link)
    return tuple(out)


def _report_link(sdoc: SpacyDoc, quote: Quote) -> list[ChainLink]:
    span = _report_mention(sdoc, quote)
    if span is None:
        return []
    name = (
        outlet_name(doc_text(sdoc)[span.start : span.end]) or doc_text(sdoc)[span.start : span.end]
    )
    return [ChainLink(span.start, span.end, name, "outlet")]


def _enclosing(quote: Quote, done: Sequence[Quote]) -> Quote | None:
    """The quote whose content contains this quote's cue (a claim inside a claim)."""
    if quote.cue_span is None:
        return None
    cue = quote.cue_span
    for other in reversed(done):
        if other.speaker_span and any(
            s.start <= cue.start and cue.end <= s.end for s in other.content_spans
        ):
            return other
    return None


def _speaker_link(sdoc: SpacyDoc, quote: Quote) -> ChainLink:
    span = quote.speaker_span or TextSpan(0, 0)
    name = quote.speaker_resolved or quote.speaker_text
    outlet = outlet_name(name)
    if outlet is not None:
        return ChainLink(span.start, span.end, outlet, "outlet")
    head = _head(sdoc, span)
    if head is not None and head.lemma_.lower() in DOCUMENT_NOUNS:
        return ChainLink(span.start, span.end, name, "outlet")  # an unnamed publication
    plural = head is not None and head.tag_ in ("NNS", "NNPS")
    if quote.speaker_resolved:
        # "the official" resolved to "Israeli officials": the antecedent's number counts
        last = quote.speaker_resolved.split()[-1]
        plural = (last.endswith("s") and last.islower()) or " and " in quote.speaker_resolved
    return ChainLink(span.start, span.end, name, "group" if plural else "person")
