"""Metadata: title, outlet, author, URL, language and publication date.

Three layers, most trusted first, each value keeping the evidence it came from:

1. fields of a structured input (a JSONL ``published``, a feed's ``author``);
2. HTML markup (JSON-LD, OpenGraph, ``<time>`` ...; see ``metadata_html``);
3. what the page prints, read from the segments the cleaner labelled
   (TITLE, BYLINE, DATELINE) and from outlet cues anywhere outside the
   "related stories" blocks: copyright lines, "originally published on",
   "Content retrieved from: URL", a wire-style "(Outlet) –" lead-in.

A value no layer finds stays unknown (``None``): no guessing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

from storytrace.records import (
    Cleaned,
    DateValue,
    Evidence,
    Metadata,
    RawInput,
    Segment,
    SegmentLabel,
    TextValue,
)
from storytrace.stages.dates.printed import find_dates, parse_printed_date


@dataclass(frozen=True, slots=True)
class MetadataConfig:
    """Options of the metadata stage.

    Attributes:
        top_lines (int): a standalone date line is read as the publication date
            only within this many segments of the top of the page (or right
            after the title); dates further down belong to the story or to
            other stories.
        min_language_chars (int): below this much body text the language is unknown.
    """

    top_lines: int = 12
    min_language_chars: int = 80


_BYLINE = re.compile(
    r"^\s*(?:by|written by|words by|author:?|posted by)\s+"
    r"(?P<name>[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|de|van|von|al|bin|da|del|la|le)){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){0,3})*)",
    re.IGNORECASE,
)
# "About Siavosh Hosseini (348 Articles)": author boxes name the author.
_ABOUT = re.compile(
    r"^\s*(?i:about)\s+(?P<name>[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3})\s*(?:\(|$)"
)
_NOT_A_NAME = {"the", "author", "us", "me", "this", "our", "staff", "reporter", "editor"}

_OUTLET_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("copyright", re.compile(r"(?:copyright|©|\(c\))\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?(?P<name>[A-Z][\w.&'’ -]{1,40}?)(?:\s*[.,|]|\s+all rights|\s*$)", re.IGNORECASE)),
    ("copyright_after", re.compile(r"^(?P<name>[A-Z][\w.&'’-]+(?:\s+[A-Z][\w.&'’-]+){0,3})\s*©\s*\d{4}")),
    ("originally_published", re.compile(r"originally (?:published|appeared) (?:on|in|by)\s+(?P<name>[A-Z][\w.&'’-]+(?:\s+[A-Z][\w.&'’-]+){0,4})")),
    ("hyperlink_to", re.compile(r"hyperlink to\s+(?P<name>[\w-]+\.[a-z]{2,}(?:\.[a-z]{2})?)", re.IGNORECASE)),
    ("lead_in", re.compile(r"^\((?P<name>[A-Z][\w.&'’-]+(?:\s+[A-Z][\w.&'’-]+){0,3})\)\s*[-–—]")),
    ("correspondent", re.compile(r",\s*(?P<name>[A-Z][\w.&'’-]+(?:\s+[A-Z][\w.&'’-]+){0,3})\s+(?:correspondent|staff writer|reporter)\b")),
)  # fmt: skip
_RETRIEVED = re.compile(
    r"(?:content retrieved from|source|read more at|originally at):?\s*(?P<url>https?://\S+?)[.,)]?(?:\s|$)",
    re.IGNORECASE,
)


def _segment_lines(cleaned: Cleaned, label: SegmentLabel) -> Iterator[Segment]:
    return (s for s in cleaned.segments if s.label is label)


def _evidence(cleaned: Cleaned, start: int, end: int, method: str) -> Evidence:
    return Evidence("page_text", start, end, cleaned.page_text[start:end], method)


def read_title(cleaned: Cleaned) -> TextValue:
    """The headline: the first TITLE segment that is not a repeated body sentence.

    A line that reappears word for word in the body is a sub-heading or pull
    quote, not the headline (seed 002's first line).
    """
    body = cleaned.text
    for segment in _segment_lines(cleaned, SegmentLabel.TITLE):
        title = cleaned.page_text[segment.start : segment.end].strip()
        if len(title) < 8 or title.rstrip(".") in body:
            continue
        return TextValue(
            title, (_evidence(cleaned, segment.start, segment.end, "metadata.text.title"),), 0.8
        )
    return TextValue.unknown()


def _clean_name(name: str) -> str | None:
    name = re.sub(r"\s+", " ", name).strip(" ,.;:-")
    words = name.split()
    if not words or len(words) > 12 or words[0].lower() in _NOT_A_NAME:
        return None
    if len(words) == 1 and len(name) < 3:
        return None
    return name


def _byline_names(cleaned: Cleaned) -> Iterator[tuple[str, Segment, str]]:
    for segment in cleaned.segments:
        line = cleaned.page_text[segment.start : segment.end]
        if segment.label in (SegmentLabel.BYLINE, SegmentLabel.BODY, SegmentLabel.BOILERPLATE):
            match = _BYLINE.match(line)
            if match and len(line) < 160:
                yield match.group("name"), segment, "metadata.text.byline"
        if segment.label in (
            SegmentLabel.AUTHOR_BIO,
            SegmentLabel.BOILERPLATE,
            SegmentLabel.BYLINE,
        ):
            about = _ABOUT.match(line)
            if about:
                yield about.group("name"), segment, "metadata.text.author_box"


def read_author(cleaned: Cleaned) -> TextValue:
    """The author from a byline ("By X", "by X, Worthy News Correspondent") or author box.

    Photo credits (CAPTION segments) are never read: "Reuters" under a photo is
    not an author.
    """
    for raw, segment, method in _byline_names(cleaned):
        # Drop a trailing role: "Emmitt Barry, Worthy News Correspondent".
        raw = re.split(
            r",\s*[A-Z][\w ]*(?:correspondent|writer|reporter|editor)\b", raw, flags=re.I
        )[0]
        name = _clean_name(raw)
        if name:
            evidence = _evidence(cleaned, segment.start, segment.end, method)
            return TextValue(name, (evidence,), 0.8 if method.endswith("byline") else 0.6)
    return TextValue.unknown()


def _outlet_candidates(cleaned: Cleaned) -> Iterator[tuple[str, Evidence]]:
    for segment in cleaned.segments:
        if segment.label is SegmentLabel.RELATED:
            continue  # other stories' footers say nothing of this page's outlet
        line = cleaned.page_text[segment.start : segment.end]
        for name, pattern in _OUTLET_CUES:
            for match in pattern.finditer(line):
                outlet = _clean_name(match.group("name"))
                if outlet and not outlet[0].isdigit():
                    start = segment.start + match.start("name")
                    yield (
                        outlet,
                        _evidence(
                            cleaned,
                            start,
                            start + len(match.group("name")),
                            f"metadata.text.outlet.{name}",
                        ),
                    )


def _repeated_short_lines(cleaned: Cleaned) -> Iterator[tuple[str, Evidence]]:
    """A short non-body line printed twice near the top is usually the outlet's name."""
    counts: Counter[str] = Counter()
    first: dict[str, Segment] = {}
    for segment in cleaned.segments[:20]:
        line = cleaned.page_text[segment.start : segment.end].strip()
        if not segment.is_body and 3 <= len(line) <= 40 and line[:1].isupper() and " " in line:
            counts[line] += 1
            first.setdefault(line, segment)
    for line, count in counts.items():
        if count >= 2:
            seg = first[line]
            yield line, _evidence(cleaned, seg.start, seg.end, "metadata.text.outlet.repeated_line")


def read_outlet(cleaned: Cleaned) -> TextValue:
    """The outlet as printed, chosen by how many independent cues agree."""
    votes: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    for name, ev in (*_outlet_candidates(cleaned), *_repeated_short_lines(cleaned)):
        key = re.sub(r"[^a-z0-9]", "", name.lower())
        votes[key] += 1
        forms.setdefault(key, Counter())[name] += 1
        evidence.setdefault(key, []).append(ev)
    if not votes:
        return TextValue.unknown()
    key, count = max(votes.items(), key=lambda kv: (kv[1], kv[0]))
    name = forms[key].most_common(1)[0][0]
    return TextValue(name, tuple(evidence[key]), min(0.5 + 0.15 * count, 0.95))


def read_url(cleaned: Cleaned) -> TextValue:
    """A URL the page prints as its own source ("Content retrieved from: URL")."""
    for segment in cleaned.segments:
        line = cleaned.page_text[segment.start : segment.end]
        match = _RETRIEVED.search(line)
        if match:
            start = segment.start + match.start("url")
            url = match.group("url").rstrip(".,)")
            return TextValue(
                url,
                (_evidence(cleaned, start, start + len(url), "metadata.text.url.retrieved_from"),),
                0.9,
            )
    return TextValue.unknown()


def read_published(cleaned: Cleaned, config: MetadataConfig) -> DateValue:
    """The printed publication date: a DATELINE segment, else a standalone date line at the top.

    Dates inside the body or in RELATED blocks are never the publication date
    (seed 000's "Latest News" footer holds November 2025 stories).
    """
    skip = (SegmentLabel.BODY, SegmentLabel.RELATED, SegmentLabel.COMMENTS, SegmentLabel.CAPTION)
    for index, segment in enumerate(cleaned.segments):
        if segment.label in skip:
            continue
        line = cleaned.page_text[segment.start : segment.end]
        is_dateline = segment.label is SegmentLabel.DATELINE
        if not is_dateline and (index >= config.top_lines or len(line.strip()) > 60):
            continue
        matches = find_dates(line, "page_text", base=segment.start)
        if matches and matches[0].value.precision in ("day", "minute", "second"):
            return matches[0].value
    return DateValue.unknown()


def read_language(text: str, config: MetadataConfig) -> TextValue:
    """The body's language (ISO 639-1) by py3langid, or unknown for short texts."""
    if len(text) < config.min_language_chars:
        return TextValue.unknown()
    import py3langid  # loaded lazily: its model takes ~1 s to load

    code, _score = py3langid.classify(text[:LANGUAGE_CHARS])
    read = min(len(text), LANGUAGE_CHARS)
    return TextValue(code, (Evidence("text", 0, read, "", "metadata.language.py3langid"),), 0.9)


#: Body characters the language is read from. py3langid walks its model byte by
#: byte in Python (~0.25 ms per 1,000 characters); on the 581 benchmark pages the
#: first 2,000 characters give the same language as the first 5,000 for every
#: page, in a third of the time.
LANGUAGE_CHARS = 2000


def read_text_metadata(cleaned: Cleaned, config: MetadataConfig = MetadataConfig()) -> Metadata:
    """Metadata printed on a page, read from its cleaned segments.

    Args:
        cleaned (Cleaned): the boilerplate stage's output.
        config (MetadataConfig): options.

    Returns:
        Metadata: each value with its evidence, unknown where not printed.
    """
    return Metadata(
        title=read_title(cleaned),
        outlet=read_outlet(cleaned),
        author=read_author(cleaned),
        url=read_url(cleaned),
        language=read_language(cleaned.text, config),
        published=read_published(cleaned, config),
    )


def _input_value(raw: RawInput, name: str) -> TextValue | None:
    value = raw.field(name)
    if value is None:
        return None
    return TextValue(value, (Evidence("input", None, None, value, f"metadata.input.{name}"),), 1.0)


def _input_date(raw: RawInput) -> DateValue | None:
    value = raw.field("published")
    parsed = parse_printed_date(value) if value else None
    if parsed is None:
        return None
    evidence = Evidence("input", None, None, value or "", "metadata.input.published")
    return replace(parsed, evidence=(evidence,), confidence=1.0)


def _outlet_from_url(url: TextValue) -> TextValue:
    """The site's domain as a last-resort outlet, labelled as such."""
    if url.value is None:
        return TextValue.unknown()
    host = urlsplit(url.value).hostname or ""
    host = host.removeprefix("www.")
    if not host:
        return TextValue.unknown()
    return TextValue(host, url.evidence, 0.5)


def _first_known(*values: TextValue | None) -> TextValue:
    for value in values:
        if value is not None and value.value is not None:
            return value
    return TextValue.unknown()


def merge_metadata(raw: RawInput, printed: Metadata, markup: Metadata | None = None) -> Metadata:
    """Combine the layers: input fields, then HTML markup, then the printed page.

    Args:
        raw (RawInput): the input record (structured fields, URL).
        printed (Metadata): what the page text prints.
        markup (Metadata | None): what the HTML markup declares, for HTML inputs.

    Returns:
        Metadata: the first known value of each field, with its evidence.
    """
    markup = markup or Metadata()
    given_url = (
        TextValue(raw.url, (Evidence("input", None, None, raw.url, "metadata.input.url"),), 1.0)
        if raw.url
        else None
    )
    url = _first_known(given_url, markup.url, printed.url)
    published = _input_date(raw) or next(
        (d for d in (markup.published, printed.published) if d.known), DateValue.unknown()
    )
    return Metadata(
        title=_first_known(_input_value(raw, "title"), markup.title, printed.title),
        outlet=_first_known(
            _input_value(raw, "outlet"), markup.outlet, printed.outlet, _outlet_from_url(url)
        ),
        author=_first_known(_input_value(raw, "author"), markup.author, printed.author),
        url=url,
        language=_first_known(markup.language, printed.language),
        published=published,
    )
