"""Typed records passed between pipeline stages.

Every record is a frozen, slotted dataclass. Collections are tuples. Anything
extracted from an article carries half-open character offsets (``start``,
``end``) into a named text of one document and the ``method`` that produced it,
so every statement in a dossier can be shown in context.

Two texts exist per document:

* ``Document.page_text`` -- the whole page as read (a plain-text dump after
  decoding and newline normalisation, or the text rendering of an HTML page),
  menus and footers included;
* ``Document.text`` -- the cleaned article body. All later stages (quotes,
  entities, dates in the body ...) point into this text.

``Document.segments`` maps one onto the other: each segment is a run of
``page_text`` with its label (body or one kind of boilerplate) and, for body
segments, where it landed in ``text``. Removed boilerplate therefore stays
viewable and is never silently dropped.

Unknown is ``None``, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

#: Which text of a document an offset refers to.
TextRef = Literal["text", "page_text", "markup", "url", "input"]


class SegmentLabel(StrEnum):
    """What a run of page text is.

    ``BODY`` is kept in the article text; every other label is boilerplate
    (or page furniture that metadata is read from) and is kept out of it.
    """

    BODY = "body"
    TITLE = "title"
    BYLINE = "byline"
    DATELINE = "dateline"
    NAVIGATION = "navigation"
    SOCIAL = "social"
    CAPTION = "caption"
    RELATED = "related"
    AUTHOR_BIO = "author_bio"
    COMMENTS = "comments"
    LEGAL = "legal"
    COUNTER = "counter"
    BOILERPLATE = "boilerplate"  # removed, finer kind not known


@dataclass(frozen=True, slots=True)
class Segment:
    """A half-open run ``[start, end)`` of ``page_text`` and what it is.

    Attributes:
        start (int): offset of the first character in ``page_text``.
        end (int): offset one past the last character in ``page_text``.
        label (SegmentLabel): body, or the kind of boilerplate.
        score (float | None): the classifier's probability that it is body.
        method (str): the rule or model that labelled it, e.g. ``textclean.lines.v1``.
        text_start (int | None): where a body segment starts in ``Document.text``;
            ``None`` for boilerplate.
    """

    start: int
    end: int
    label: SegmentLabel
    score: float | None = None
    method: str = ""
    text_start: int | None = None

    @property
    def is_body(self) -> bool:
        return self.label is SegmentLabel.BODY


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a value was read from.

    Attributes:
        ref (TextRef): which text the offsets point into. ``markup`` means the
            raw HTML (offsets are then into the decoded HTML string), ``url``
            the document URL, ``input`` a field of a structured input record
            (e.g. a JSONL ``published`` field).
        start (int | None): half-open start offset into that text, if any.
        end (int | None): half-open end offset.
        snippet (str): the text read (for ``markup``, the tag or attribute).
        method (str): rule that read it, e.g. ``metadata.html.og:site_name``.
    """

    ref: TextRef
    start: int | None
    end: int | None
    snippet: str
    method: str


@dataclass(frozen=True, slots=True)
class TextValue:
    """An extracted string value with its evidence; ``value`` is ``None`` when unknown."""

    value: str | None
    evidence: tuple[Evidence, ...] = ()
    confidence: float | None = None

    @classmethod
    def unknown(cls) -> TextValue:
        return cls(None)


DatePrecision = Literal["year", "month", "day", "minute", "second"]


@dataclass(frozen=True, slots=True)
class DateValue:
    """A publication (or event) date: a point or an interval, never a raw string.

    A printed date has ``earliest == latest`` (at its precision). An inferred date
    is an interval ``[earliest, latest]`` with its evidence. Unknown is
    ``DateValue.unknown()``: every field ``None``.

    Attributes:
        earliest (datetime | date | None): start of the interval (inclusive).
        latest (datetime | date | None): end of the interval (inclusive).
        precision (DatePrecision | None): what the source states.
        tz (str | None): the printed UTC offset or zone ("+03:00", "GMT+3"), kept as read.
        inferred (bool): True when not printed but inferred from other evidence.
        evidence (tuple[Evidence, ...]): spans the value was read or inferred from.
        confidence (float | None): how sure the reading is.
    """

    earliest: datetime | date | None
    latest: datetime | date | None
    precision: DatePrecision | None = None
    tz: str | None = None
    inferred: bool = False
    evidence: tuple[Evidence, ...] = ()
    confidence: float | None = None

    @classmethod
    def unknown(cls) -> DateValue:
        return cls(None, None)

    @property
    def known(self) -> bool:
        return self.earliest is not None


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem with one input, stored and shown; the batch goes on.

    Attributes:
        code (str): stable reason code, e.g. ``ST201`` (see ``errors.py``).
        severity (Severity): ``error`` means the input produced no document.
        source (str): the file (and member/line) it concerns.
        message (str): what happened, why, and what to do.
        doc_id (str | None): the document concerned, when one was produced.
    """

    code: str
    severity: Severity
    source: str
    message: str
    doc_id: str | None = None


InputFormat = Literal["text", "html", "jsonl", "warc", "feed"]


@dataclass(frozen=True, slots=True)
class SourceRef:
    """Where an input came from: a file and, for multi-record files, which record."""

    path: str
    member: str | None = None  # "id <its id>" or "line 12" for JSONL, a WARC record id

    def __str__(self) -> str:
        return self.path if self.member is None else f"{self.path} [{self.member}]"

    @property
    def name(self) -> str:
        """What the input calls the article: its own id (a JSONL ``id``), else the file's name."""
        if self.member is not None and self.member.startswith("id "):
            return self.member.removeprefix("id ")
        base = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        return base if self.member is None else f"{base} [{self.member}]"


@dataclass(frozen=True, slots=True)
class RawInput:
    """One article as a reader produced it, before cleaning.

    Exactly one of ``text`` and ``html`` is set. ``fields`` carries metadata given
    by a structured input (JSONL, a feed) as ``(name, value)`` pairs; it is
    trusted over what is printed on the page and cited as ``input`` evidence.
    """

    source: SourceRef
    format: InputFormat
    text: str | None = None
    html: str | None = None
    url: str | None = None
    fields: tuple[tuple[str, str], ...] = ()
    content_hash: str = ""

    def field(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Output of the boilerplate stage: the page text, its segments, the body."""

    page_text: str
    text: str
    segments: tuple[Segment, ...]
    truncated: bool = False
    truncation_evidence: Evidence | None = None
    method: str = ""


@dataclass(frozen=True, slots=True)
class Metadata:
    """Title, outlet, author, URL, language and publication date of one document."""

    title: TextValue = field(default_factory=TextValue.unknown)
    outlet: TextValue = field(default_factory=TextValue.unknown)
    author: TextValue = field(default_factory=TextValue.unknown)
    url: TextValue = field(default_factory=TextValue.unknown)
    language: TextValue = field(default_factory=TextValue.unknown)
    published: DateValue = field(default_factory=DateValue.unknown)


@dataclass(frozen=True, slots=True)
class Document:
    """A cleaned article with its metadata.

    ``doc_id`` is stable: derived from the cleaned input content, so the same
    article read twice gets the same id.
    """

    doc_id: str
    source: SourceRef
    format: InputFormat
    page_text: str
    text: str
    segments: tuple[Segment, ...]
    metadata: Metadata
    truncated: bool = False
    truncation_evidence: Evidence | None = None
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def name(self) -> str:
        """How a reader names the article: outlet and headline (or date), else the headline,
        else the input's own id or file name -- never the content hash."""
        outlet, title = self.metadata.outlet.value, self.metadata.title.value
        day = self.metadata.published.earliest
        short = None if not title else (title if len(title) <= 60 else title[:59].rstrip() + "…")
        if outlet and short:
            return f"{outlet}: “{short}”"
        if outlet:
            return f"{outlet}, {day.isoformat()[:10]}" if day else outlet
        if short:
            return f"“{short}”"
        return self.source.name

    def boilerplate(self) -> tuple[Segment, ...]:
        """The removed runs of page text."""
        return tuple(s for s in self.segments if not s.is_body)

    def segment_text(self, segment: Segment) -> str:
        return self.page_text[segment.start : segment.end]
