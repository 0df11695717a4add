"""What the dependency parse says about one attributed statement.

Polarity (asserted or denied), predicates (verbs and action nouns, each with its
own polarity) and subject, read by the claim and disagreement stages.

A statement is read **where it stands**: the quote stage parses each article once,
and :func:`read_statement` takes the quote's tokens from that parse, with the
tokens around it as context. Only what lies inside the quote counts: a token whose
head is outside is one of the statement's roots (as the root of a sentence is), and
a negation outside it ("did not say that ...") does not deny it. The claim stage
used to parse every statement a second time on its own, ~11 s of
``storytrace analyze`` on the 581 benchmark pages; :func:`analyse` keeps that
reading for statements that come without a parse.

DOCS: docs/stages/claims.md
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from storytrace.records import Polarity, Statement, TextSpan
from storytrace.stages.quotes.spans import doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Token

__all__ = ["analyse", "read_statement"]


_FALSITY = re.compile(
    r"\b(ruse|fa[cç]ade|sham|smokescreen|hoax|charade|pretext|untrue|false(ly)?|fake|"
    r"fabricat\w+|baseless|unfounded)\b",
    re.IGNORECASE,
)
_REFUSE_LEMMAS = frozenset(
    {"refuse", "reject", "deny", "decline", "fail", "dismiss", "rule", "doubt", "dispute", "refute"}
)
#: Nouns that carry someone else's statement: "rejected claims that Y" denies Y.
_CLAIM_NOUNS = frozenset(
    "claim report allegation accusation suggestion rumour rumor notion idea charge "
    "assertion speculation".split()
)
#: Subjects that deny their verb ("nobody was injured"); "no" as a determiner does too.
_NONE_WORDS = frozenset({"nobody", "nothing", "none", "neither", "noone"})
#: Adjectives in un- that are not the negation of a participle.
_NOT_UN_NEGATIONS = frozenset({"united", "unprecedented", "undisputed", "unrivalled", "unrivaled"})
#: Phrases read as one predicate ("lay down their arms" is "disarm").
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\blay(ing)? down (their |its |the )?(arms|weapons)\b", re.I), "disarm"),
    (re.compile(r"\b(give|giving|gave) up (their |its |the )?(arms|weapons)\b", re.I), "disarm"),
)
#: Verbs too general to say what a statement is about.
_GENERIC = frozenset(
    "be have do say tell report make see go get take come give use show "
    "seem appear become include indicate state claim add note".split()
)
#: Nouns in -ment / -ing that name a thing, not an action.
_PLAIN_NOUNS = frozenset(
    "government department parliament moment element statement apartment comment "
    "document segment equipment building morning evening thing".split()
)
#: Where an action noun is asserted ("disarmament efforts", "refused disarmament"),
#: not merely named ("at the scene of the shooting").
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "compound", "attr", "ROOT", "appos"})
_PERSONAL = frozenset("i we he she they".split())


class _View:
    """The tokens of one statement, and which tokens of the parse belong to it."""

    def __init__(self, tokens: Sequence[Token], inside: set[int] | None) -> None:
        self.tokens = tokens
        self._inside = inside  # None: the whole parse is the statement

    def has(self, tok: Token) -> bool:
        return self._inside is None or tok.i in self._inside

    def children(self, tok: Token) -> Iterable[Token]:
        return (c for c in tok.children if self.has(c))

    def is_root(self, tok: Token) -> bool:
        """A sentence root, or a token whose head lies outside the statement."""
        return tok.head.i == tok.i or not self.has(tok.head)

    def sentences(self) -> list[tuple[list[Token], list[Token]]]:
        """Per sentence of the parse, the statement's tokens and roots in it."""
        groups: dict[int, list[Token]] = {}
        start, previous = -1, -2
        for tok in self.tokens:
            if tok.is_sent_start:
                start = tok.i
            elif tok.i != previous + 1:  # a new span: ``Token.sent`` walks the sentence
                start = tok.sent.start
            groups.setdefault(start, []).append(tok)
            previous = tok.i
        return [(toks, [t for t in toks if self.is_root(t)]) for toks in groups.values()]


def _read(view: _View, text: str) -> Statement:
    falsity = bool(_FALSITY.search(text))
    sentences = view.sentences()
    negated = (
        falsity
        or any(_negated_root(view, r) for _, roots in sentences for r in roots)
        or any(_negated_by_scope(view, r) for _, roots in sentences for r in roots)
    )
    predicates, denied = _predicates(view, text, falsity)
    polarity: Polarity = "negated" if negated else "affirmed"
    return Statement(polarity, predicates, denied, _subject(view, sentences))


def analyse(texts: Sequence[str]) -> list[Statement]:
    """Each statement parsed on its own (for statements that come without a parse).

    The main clause is denied when its verb (or the verb it governs: "refused to
    disarm") is negated or a refusal/denial verb, or the statement calls something a
    ruse / façade / sham. A predicate is denied when negated in its own clause, so
    "models not previously supplied" denies "supply", not the statement.

    Args:
        texts (Sequence[str]): statements.

    Returns:
        list[Statement]: one per text.
    """
    from storytrace.models.nlp import load_nlp

    # Neither the NER nor storytrace's entity ruler (which the entity stage adds
    # to this shared pipeline) is read here.
    return [
        _read(_View(list(sdoc), None), sdoc.text)
        for sdoc in load_nlp().pipe(texts, disable=["ner", "storytrace_ruler"])
    ]


def read_statement(sdoc: SpacyDoc, spans: Sequence[TextSpan]) -> Statement:
    """The statement made of ``spans`` of a parsed text, read in its context.

    Args:
        sdoc (spacy.tokens.Doc): the parse of the whole text.
        spans (Sequence[TextSpan]): the statement's parts (a quote's content spans).

    Returns:
        Statement: as :func:`analyse` reads it, from the tokens inside the spans.
    """
    tokens: list[Token] = []
    for span in spans:
        found = sdoc.char_span(span.start, span.end, alignment_mode="contract")
        if found is not None:
            tokens.extend(found)
    whole = doc_text(sdoc)
    text = " ".join(whole[s.start : s.end] for s in spans).strip()
    return _read(_View(tokens, {t.i for t in tokens}), text)


def _negated_root(view: _View, root: Token) -> bool:
    """The main verb, or the clause it governs, is negated or a refusal ("refused to")."""
    if root.lemma_.lower() in _REFUSE_LEMMAS:
        return True
    heads = [root, *(c for c in view.children(root) if c.dep_ in ("xcomp", "ccomp"))]
    return any(c.dep_ == "neg" for head in heads[:2] for c in view.children(head))


def _no_determined(view: _View, tok: Token) -> bool:
    """A noun phrase that says none of it: "no deal", "nobody", "nothing"."""
    if tok.lower_ in _NONE_WORDS:
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in view.children(tok))


def _too_to(view: _View, tok: Token) -> bool:
    """A verb after "too ... to" ("had too much sense to point a gun"): it did not happen."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in view.children(tok)):
        return False
    sent_start = tok.sent.start
    for j in range(tok.i - 1, max(sent_start, tok.i - 7) - 1, -1):
        other = tok.doc[j]
        if not view.has(other) or (other.pos_ in ("VERB", "AUX") and j != tok.i):
            return False
        if other.lower_ == "too":
            return True
    return False


def _negated_by_scope(view: _View, root: Token) -> bool:
    """Negations a ``neg`` child does not show, on the main clause of a statement:

    * a subject or the attribute of "there is" that says none ("No deal has been
      signed", "Nobody was injured", "There is no evidence that he carried a gun");
    * a relative clause of refusal on the statement ("The army shelled the village,
      which the minister rejected");
    * "too ... to" ("had too much common sense to point a loaded gun");
    * an un- participle as what the subject is ("the deal remains unconsummated").
    """
    for c in view.children(root):
        if c.dep_ in ("nsubj", "nsubjpass") and _no_determined(view, c):
            return True
        if c.dep_ == "attr" and root.lemma_ == "be" and _no_determined(view, c):
            return True
        if c.dep_ in ("acomp", "oprd") and _un_participle(c):
            return True
    for tok in view.tokens:
        if _rejected_by_relative(view, tok):
            return True
        if _too_to(view, tok) and tok.lemma_.lower() not in _GENERIC:
            return True
    return False


def _not_the_one_who(view: _View, tok: Token) -> bool:
    """The verb of "is not the one who fired the shot": a relative clause on what a
    negated copula says the subject is not."""
    head = tok.head
    return (
        tok.dep_ == "relcl"
        and view.has(head)
        and head.dep_ == "attr"
        and view.has(head.head)
        and any(c.dep_ == "neg" for c in view.children(head.head))
    )


def _rejected_by_relative(view: _View, tok: Token) -> bool:
    """A relative clause of refusal: "..., which the minister rejected"."""
    return (
        tok.dep_ == "relcl"
        and tok.lemma_.lower() in _REFUSE_LEMMAS
        and any(c.lower_ in ("which", "what") for c in view.children(tok))
    )


def _un_participle(tok: Token) -> bool:
    word = tok.lower_
    return (
        word.startswith("un")
        and word.endswith("ed")
        and len(word) > 6
        and word not in _NOT_UN_NEGATIONS
    )


def _denied(view: _View, tok: Token) -> bool:
    """Negated in its own clause, or the complement of a negated / refusal verb, or of a
    claim a refusal verb rejects ("rejected claims that the troops fired"), or after
    "too ... to"."""
    if any(c.dep_ == "neg" for c in view.children(tok)):
        return True
    if view.is_root(tok) and any(
        _rejected_by_relative(view, t) for t in tok.subtree if t.i != tok.i and view.has(t)
    ):
        return True
    if _too_to(view, tok) or _not_the_one_who(view, tok):
        return True
    if any(
        c.dep_ in ("nsubj", "nsubjpass") and _no_determined(view, c) for c in view.children(tok)
    ):
        return True
    head = tok.head
    if (
        tok.dep_ in ("acl", "ccomp")
        and view.has(head)
        and head.lemma_.lower() in _CLAIM_NOUNS
        and head.dep_ == "dobj"
        and head.head.lemma_.lower() in _REFUSE_LEMMAS
    ):
        return True
    head = tok.head
    if view.is_root(tok):
        return False
    if tok.dep_ in ("xcomp", "ccomp", "dobj", "compound"):
        if (head.dep_ == "compound" or tok.dep_ == "compound") and not view.is_root(head):
            head = head.head
        return head.lemma_.lower() in _REFUSE_LEMMAS or any(
            c.dep_ == "neg" for c in view.children(head)
        )
    return False


def _predicates(view: _View, text: str, falsity: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = {lemma: falsity for pattern, lemma in _PHRASES if pattern.search(text)}
    for tok in view.tokens:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB":
            key = lemma
        elif (
            lemma.endswith(("ment", "ing"))
            and lemma not in _PLAIN_NOUNS
            and (tok.dep_ in _NOMINAL_DEPS or view.is_root(tok))
        ):
            key = _verb_lemma(lemma)
        else:
            continue
        if key not in _GENERIC:
            found[key] = found.get(key, False) or falsity or _denied(view, tok)
    return tuple(sorted(found)), tuple(sorted(k for k, v in found.items() if v))


def _verb_lemma(lemma: str) -> str:
    for suffix in ("ament", "ment", "ing"):
        if lemma.endswith(suffix) and len(lemma) - len(suffix) >= 4:
            return lemma[: -len(suffix)]
    return lemma


def _subject(view: _View, sentences: list[tuple[list[Token], list[Token]]]) -> str | None:
    """The main clause's subject phrase without determiners ("the name of the suspect")."""
    for tokens, roots in sentences:
        subjects = [t for t in tokens if t.dep_ in ("nsubj", "nsubjpass")]
        subjects.sort(key=lambda t: t.head not in roots)
        for child in subjects[:1]:
            if child.lower_ in _PERSONAL:
                return str(child.lower_)
            if child.pos_ in ("NOUN", "PROPN"):
                words = [t.text for t in child.subtree if t.dep_ != "det" and view.has(t)][:8]
                phrase = " ".join(words).replace(" - ", "-").replace(" 's", "'s")
                return f"the {phrase}" if child.pos_ == "NOUN" else phrase
    return None
