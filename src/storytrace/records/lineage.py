"""Typed records of the cross-document analysis: claims, provenance, drift, disagreements, time.

These are the records the corpus-level stages pass on (``stages/lineage/claims.py``,
``provenance.py``, ``drift.py``, ``disagreements.py``, ``timeline.py``,
``pubdate.py``). They follow the rules of :mod:`storytrace.records`: frozen,
slotted, tuples, half-open offsets into ``Document.text`` of the document named,
the ``method`` that produced them, ``None`` for unknown.

DOCS: docs/schema.md
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from storytrace.records.document import DateValue

Polarity = Literal["affirmed", "negated"]
OriginKind = Literal["outlet", "article", "source"]
DriftKind = Literal["verbatim", "minor_edit", "reworded", "meaning_changed"]
DisagreementKind = Literal["polarity", "number", "date"]
EdgeKind = Literal["cites", "copies", "shares_text", "via"]


@dataclass(frozen=True, slots=True)
class DocSpan:
    """A span of one document's cleaned text.

    Attributes:
        doc_id (str): the document.
        start (int): half-open start offset into ``Document.text``.
        end (int): half-open end offset.
        text (str): the text of the span.
    """

    doc_id: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a claim mention ultimately comes from, as far as the text says.

    Two mentions with the same ``key`` are one origin: the same outlet cited, or
    articles that copy one another (then the key is the earliest article's).

    Attributes:
        key (str): ``outlet:<canonical name>``, ``person:<surname>``, ``org:<body>``,
            ``anon:<descriptor>`` or ``article:<doc_id>``.
        label (str): "The Times", "police", or "Worthy News (own reporting)".
        kind (OriginKind): an outlet the articles cite, a source speaking for itself
            (a person, an organisation, an unnamed source), or an article reporting itself.
        anonymous (bool | None): the sources behind it are all unnamed (``None``
            when no source is given at all).
        sources (tuple[str, ...]): the speakers behind it as printed
            ("a regional intelligence source").
        doc_ids (tuple[str, ...]): articles whose mentions lead to it.
    """

    key: str
    label: str
    kind: OriginKind
    anonymous: bool | None
    sources: tuple[str, ...]
    doc_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ClaimMention:
    """One article's wording of a claim, with its attribution chain.

    Attributes:
        quote_id (str): the quote it was read from.
        span (DocSpan): the content as printed.
        chain (str): "a regional intelligence source → The Times → Worthy News".
        speaker (str | None): the speaker as printed (``None`` when unknown).
        anonymous (bool): the speaker is an unnamed source.
        polarity (Polarity): whether the claim is asserted or denied ("refused to").
        origin_key (str): the :class:`Origin` it leads to.
        predicates (tuple[str, ...]): its verbs and action nouns as lemmas, nouns
            reduced to their verb ("disarmament" -> "disarm"): what it is about.
        subject (str | None): the subject phrase of its main clause ("the Iranian-aligned
            groups"), or a personal pronoun.
        denied (tuple[str, ...]): the predicates negated in their own clause.
    """

    quote_id: str
    span: DocSpan
    chain: str
    speaker: str | None
    anonymous: bool
    polarity: Polarity
    origin_key: str
    predicates: tuple[str, ...] = ()
    subject: str | None = None
    denied: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim of one story, aligned across the articles that carry it.

    Attributes:
        claim_id (str): ``c<n>`` in story order.
        story_id (str): the story.
        text (str): a representative wording (the earliest article's).
        mentions (tuple[ClaimMention, ...]): every wording, by document then offset.
        origins (tuple[Origin, ...]): the independent origins.
        doc_ids (tuple[str, ...]): the articles carrying it.
        verdict (str): "3 articles, 1 independent origin: The Times (anonymous sources)".
        method (str): how mentions were aligned.
        unclear (int): origins among ``origins`` whose independence the text does not
            settle (an article's own reporting beside other origins, which may rest on
            them; a second unnamed source, which may be the first): the count is "at
            least ``len(origins) - unclear``".
        confidence (float | None): how often a count of this kind was right on the
            annotated dev stories (``None``: not estimated); see ``docs/stages/claims.md``.
    """

    claim_id: str
    story_id: str
    text: str
    mentions: tuple[ClaimMention, ...]
    origins: tuple[Origin, ...]
    doc_ids: tuple[str, ...]
    verdict: str
    method: str
    unclear: int = 0
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class ProvenanceEdge:
    """One edge of the provenance graph.

    Attributes:
        source (str): node id: ``article:<doc_id>``, ``outlet:<name>`` or ``speaker:<text>``.
        target (str): node id of the other end (the cited outlet, the copied article).
        kind (EdgeKind): ``cites`` (article -> outlet), ``copies`` (later article ->
            earlier article it reuses), ``shares_text`` (reuse, direction unknown),
            ``via`` (speaker -> intermediary).
        evidence (tuple[DocSpan, ...]): where the text says so.
        method (str): the rule that drew it.
    """

    source: str
    target: str
    kind: EdgeKind
    evidence: tuple[DocSpan, ...]
    method: str


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff: ``equal``, ``insert``, ``delete`` or ``replace``."""

    op: Literal["equal", "insert", "delete", "replace"]
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class QuoteDrift:
    """Two wordings of one quote credited to the same speaker in different articles.

    Attributes:
        story_id (str): the story.
        speaker (str): the speaker as the first article prints it.
        via (str | None): the intermediary both credit, if any.
        kind (DriftKind): verbatim, minor edit, reworded, or meaning changed.
        a (DocSpan): the first wording (earlier article, or first by id).
        b (DocSpan): the second wording.
        similarity (float): word-sequence similarity (0-1).
        reason (str): why it got its kind ("negation added: not").
        diff (tuple[DiffOp, ...]): word-level diff from ``a`` to ``b``.
        method (str): the rules used.
    """

    story_id: str
    speaker: str
    via: str | None
    kind: DriftKind
    a: DocSpan
    b: DocSpan
    similarity: float
    reason: str
    diff: tuple[DiffOp, ...]
    method: str


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a disagreement: what it says and who says so.

    Attributes:
        label (str): "affirmed: preparing to disarm", "2025-04-08".
        mentions (tuple[DocSpan, ...]): the spans that say it.
        sources (tuple[str, ...]): their attribution chains.
    """

    label: str
    mentions: tuple[DocSpan, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Disagreement:
    """Sources of one story that contradict each other, with the reason.

    Attributes:
        story_id (str): the story.
        kind (DisagreementKind): polarity (does / does not), number, or date.
        topic (str): what they disagree about ("whether the groups disarm").
        reason (str): why this is a conflict, in words.
        sides (tuple[Side, ...]): two (or more) sides.
        method (str): the rule that found it.
    """

    story_id: str
    kind: DisagreementKind
    topic: str
    reason: str
    sides: tuple[Side, ...]
    method: str


@dataclass(frozen=True, slots=True)
class TimelineSource:
    """One article's dated statement of a timeline event.

    Attributes:
        sentence (DocSpan): the sentence stating the event.
        timex (DocSpan): the time expression in it.
        value (str): its TIMEX3 value as resolved in this article ("2025-W14").
        anchor (str): what it was resolved against ("published 2025-04-09",
            "inferred 2025-04-08..2025-04-11", "absolute").
    """

    sentence: DocSpan
    timex: DocSpan
    value: str
    anchor: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A dated event of one story, merged across the articles that state it.

    Attributes:
        story_id (str): the story.
        value (str): TIMEX3 value ("2025-04-08", "2025-W14", "2024-04").
        when (DateValue): the interval it covers.
        text (str): the event as the first source states it.
        sources (tuple[TimelineSource, ...]): every article stating it.
        method (str): the rules used.
    """

    story_id: str
    value: str
    when: DateValue
    text: str
    sources: tuple[TimelineSource, ...]
    method: str


@dataclass(frozen=True, slots=True)
class InferenceStep:
    """One piece of evidence bounding an undated article's publication date.

    Attributes:
        rule (str): ``cited_report`` (it reports a report dated elsewhere),
            ``shared_relative`` (its "last week" is another article's dated week),
            ``future_reference`` (it calls a resolved day upcoming).
        earliest (date | None): the lower bound this step gives, if any.
        latest (date | None): the upper bound, if any.
        evidence (tuple[DocSpan, ...]): the spans it rests on (this article's and others').
        explanation (str): the step in words.
    """

    rule: str
    earliest: date | None
    latest: date | None
    evidence: tuple[DocSpan, ...]
    explanation: str


@dataclass(frozen=True, slots=True)
class DateInference:
    """An undated article's publication date inferred as an interval, or left unknown.

    Attributes:
        doc_id (str): the article.
        value (DateValue): the interval (``inferred=True``), or unknown.
        steps (tuple[InferenceStep, ...]): the evidence, each bound with its reason.
        method (str): the inference rules.
    """

    doc_id: str
    value: DateValue
    steps: tuple[InferenceStep, ...]
    method: str


@dataclass(frozen=True, slots=True)
class StoryVerdict:
    """The one-line answer for a story: how many articles, how many independent origins.

    Attributes:
        story_id (str): the story.
        articles (int): articles in the story.
        origins (tuple[Origin, ...]): independent origins of its main claim.
        main_claim_id (str | None): the claim carried by most articles.
        disputed (tuple[str, ...]): topics of its disagreements.
        line (str): "4 articles, 1 origin: The Times, citing anonymous sources (...);
            disputed: whether the groups disarm".
    """

    story_id: str
    articles: int
    origins: tuple[Origin, ...]
    main_claim_id: str | None
    disputed: tuple[str, ...]
    line: str
