"""Records of the corpus stages: document pairs, stories, entities, quotes, statements, time expressions.

They are produced by the stages under ``storytrace.stages`` and read by the lineage
stages, the report and the store; they live here so that no reader imports a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from storytrace.records.document import DateValue
from storytrace.records.lineage import Polarity
from storytrace.records.spans import TextSpan

Relation = Literal["exact", "near", "reuse"]


@dataclass(frozen=True, slots=True)
class ReusePassage:
    """A passage shared by two documents, as half-open spans on both texts.

    Attributes:
        a_start (int): start offset in ``Document.text`` of document ``a``.
        a_end (int): end offset in ``a``'s text.
        b_start (int): start offset in ``Document.text`` of document ``b``.
        b_end (int): end offset in ``b``'s text.
        words (int): matching words in the passage.
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    words: int


@dataclass(frozen=True, slots=True)
class DocPair:
    """A relation between two documents (``a < b`` by doc id).

    Attributes:
        a (str): doc id of the first document.
        b (str): doc id of the second document.
        relation (Relation): ``exact``, ``near`` or ``reuse``.
        similarity (float): 1.0 for exact; shingle Jaccard for near; for reuse, the
            share of the shorter text's words inside shared passages.
        passages (tuple[ReusePassage, ...]): shared passages (reuse only; empty otherwise).
        method (str): detector that found it.
    """

    a: str
    b: str
    relation: Relation
    similarity: float
    passages: tuple[ReusePassage, ...] = ()
    method: str = ""


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event and the articles reporting it.

    Attributes:
        story_id (str): ``story-`` + 12 hex of SHA-1 of the smallest doc id; the same
            documents always give the same id.
        doc_ids (tuple[str, ...]): member articles, sorted.
        method (str): clustering implementation that produced it.
        top_terms (tuple[str, ...]): content words most shared by the members.
        top_names (tuple[str, ...]): names and numbers most shared by the members.
        earliest (date | None): earliest known publication date of a member.
        latest (date | None): latest known publication date of a member.
        cohesion (float): mean pairwise cosine of the members (1.0 for one article).
    """

    story_id: str
    doc_ids: tuple[str, ...]
    method: str
    top_terms: tuple[str, ...] = ()
    top_names: tuple[str, ...] = ()
    earliest: date | None = None
    latest: date | None = None
    cohesion: float = 1.0


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One mention of an entity in ``Document.text``.

    Attributes:
        doc_id (str): the document.
        start (int): first character.
        end (int): one past the last character.
        text (str): the mention as written.
        label (str): PERSON, ORG, GPE, LOC, WEAPON, MILITARY_UNIT, OUTLET ...
        entity_id (str): the entity it was merged into.
        method (str): ``entities.ner.v1`` or ``entities.ruler.<pattern id>``.
    """

    doc_id: str
    start: int
    end: int
    text: str
    label: str
    entity_id: str
    method: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity with every surface form and mention across the corpus.

    Attributes:
        entity_id (str): stable id, ``<label>:<canonical slug>``.
        canonical (str): the name shown.
        label (str): the entity type.
        surface_forms (tuple[str, ...]): distinct forms as written, sorted.
        mentions (tuple[EntityMention, ...]): in document and text order.
    """

    entity_id: str
    canonical: str
    label: str
    surface_forms: tuple[str, ...]
    mentions: tuple[EntityMention, ...]


QuoteKind = Literal["direct", "indirect", "mixed"]


@dataclass(frozen=True, slots=True)
class ChainLink:
    """One intermediary between a speaker and the article.

    Attributes:
        start (int | None): where it is named in ``Document.text``.
        end (int | None): end of that mention.
        name (str): its name (an outlet's canonical name).
        kind (str): ``outlet``, ``person`` or ``group``.
    """

    start: int | None
    end: int | None
    name: str
    kind: Literal["outlet", "person", "group"]


@dataclass(frozen=True, slots=True)
class Quote:
    """One attributed statement in one document.

    Attributes:
        doc_id (str): the document.
        quote_id (str): ``<doc_id>:q<n>`` in text order.
        kind (QuoteKind): ``direct`` (in quotation marks), ``indirect`` or ``mixed``.
        content_spans (tuple[TextSpan, ...]): what was said, in ``Document.text``.
        cue_span (TextSpan | None): the cue (``told``, ``according to``).
        cue (str): the cue text ('' when none).
        speaker_span (TextSpan | None): who says so, as written.
        speaker_text (str): that text ('' when unknown).
        speaker_resolved (str | None): the antecedent of a pronoun or of "the source".
        anonymous (bool): the speaker is an unnamed source.
        descriptor (str | None): how an anonymous source is described.
        addressee_span (TextSpan | None): to whom (``told Reuters``).
        via (tuple[ChainLink, ...]): intermediaries, from the speaker outward.
        method (str): the layers that produced it, e.g. ``quotes.frames.verb+marks``.
        statement (Statement | None): what the parse says of the content (polarity,
            predicates, subject), read in the article's own parse; ``None`` when the
            quote was not built from a parse. Not part of the quote's JSON: claim
            mentions carry it.
    """

    doc_id: str
    quote_id: str
    kind: QuoteKind
    content_spans: tuple[TextSpan, ...]
    cue_span: TextSpan | None
    cue: str
    speaker_span: TextSpan | None
    speaker_text: str
    speaker_resolved: str | None
    anonymous: bool
    descriptor: str | None
    addressee_span: TextSpan | None
    via: tuple[ChainLink, ...]
    method: str
    statement: Statement | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """What the parse says about one statement.

    Attributes:
        polarity (Polarity): the main clause asserted or denied.
        predicates (tuple[str, ...]): its verbs and action nouns as lemmas.
        denied (tuple[str, ...]): those of them that are negated in their own clause.
        subject (str | None): the main clause's subject phrase ("the name of the
            suspect"), or a personal pronoun ("he").
    """

    polarity: Polarity
    predicates: tuple[str, ...]
    denied: tuple[str, ...]
    subject: str | None


@dataclass(frozen=True, slots=True)
class QuoteOrigin:
    """Where one quote comes from.

    Attributes:
        key (str): ``outlet:<name>`` or ``article:<doc_id>``.
        label (str): the outlet's name, or the article's outlet + "(own reporting)".
        kind (str): ``outlet`` or ``article``.
        source (str | None): the speaker behind the origin, when it is not the
            outlet itself.
        anonymous (bool | None): that speaker is unnamed (``None``: no speaker given).
    """

    key: str
    label: str
    kind: str
    source: str | None
    anonymous: bool | None


TimexType = Literal["DATE", "TIME", "DURATION", "SET"]


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression in one document text, typed and (when possible) resolved.

    Attributes:
        doc_id (str): the document.
        start (int): half-open start offset into the text searched.
        end (int): half-open end offset.
        text (str): the expression as printed.
        type (TimexType): TIMEX3 type: DATE, TIME, DURATION or SET.
        value (str): TIMEX3 value ("2025-04-08", "2025-W14", "P1W", "PRESENT_REF",
            "XXXX-XX-XX" when it cannot be resolved).
        interval (DateValue | None): the resolved interval of a DATE/TIME; ``None``
            for durations, sets, vague references and anything unresolved.
        anchor (str): ``absolute``, ``dct``, or ``expr@<start>`` of the expression
            it was resolved against.
        method (str): the rule that produced it, e.g. ``timex.rules.v4.weekday``.
    """

    doc_id: str
    start: int
    end: int
    text: str
    type: TimexType
    value: str
    interval: DateValue | None
    anchor: str
    method: str
