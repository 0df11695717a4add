"""Streaming readers for archives and feeds: WARC / WARC.gz and RSS / Atom.

Part of the ingest stage; kept apart so the plain readers stay small. Both read
record by record, so memory does not grow with the file: a WARC holding a
million pages is streamed with warcio, a record's payload read up to the size
limit only.

* **WARC** (Common Crawl's CC-NEWS format): ``response`` records with an HTML
  payload become HTML inputs with the target URI as their URL. The charset comes
  from the HTTP ``Content-Type`` header when given, else detection. ``WARC-Date``
  is when the page was *crawled*: it is kept as the ``crawled`` field (an upper
  bound for the publication date), never as the publication date. A record the
  crawler marked truncated (``WARC-Truncated``) is read and flagged.
* **RSS / Atom** (feedparser): each entry with content or a summary becomes an
  HTML input with the feed's fields (title, link, author, published) as trusted
  input fields, and the channel title as the outlet.

DOCS: docs/input.md
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterator
from time import strftime
from typing import Any, BinaryIO

import feedparser
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, RawInput, Severity, SourceRef
from storytrace.stages.ingest.config import IngestConfig, ReadResult
from storytrace.stages.ingest.decode import content_hash, decode_bytes, looks_binary, normalise_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _no_record_bytes(record: logging.LogRecord) -> bool:
    """Drop warcio's "Replacing spaces in invalid WARC-Target-URI: <uri>" warning.

    It prints a header of the file -- hostile bytes, terminal escapes included -- through
    Python's last-resort handler straight onto the user's terminal. The URI it fixes is
    kept (percent-encoded) on the document, so nothing is lost by dropping the message.
    """
    return not record.getMessage().startswith("Replacing spaces in invalid WARC-Target-URI")


logging.getLogger("warcio.recordloader").addFilter(_no_record_bytes)
_CHARSET = re.compile(r"charset=[\"']?([\w.:-]+)", re.IGNORECASE)


def _diag(
    source: SourceRef, reason: Reason, detail: str, severity: Severity = Severity.ERROR
) -> Diagnostic:
    return Diagnostic(reason.value, severity, str(source), f"{REASON_HELP[reason]} ({detail})")


def _decode_payload(payload: bytes, content_type: str) -> str | None:
    """HTTP payload bytes to text: the declared charset first, then detection."""
    declared = _CHARSET.search(content_type)
    if declared:
        try:
            return payload.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong header is common; fall back to detection
    return decode_bytes(payload)


def warc_input(record: Any, path: str, config: IngestConfig) -> ReadResult | None:
    """One WARC record to an input; ``None`` for records that are not HTML pages."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.lower().startswith(_HTML_TYPES):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    source = SourceRef(path, record.rec_headers.get_header("WARC-Record-ID") or url)
    payload = record.content_stream().read(config.max_bytes + 1)
    if len(payload) > config.max_bytes:
        return _diag(source, Reason.TOO_LARGE, f"limit {config.max_bytes:,} bytes")
    if getattr(record.raw_stream, "limit", 0) > 0:
        # The file ended before the record's declared Content-Length: a cut
        # download. warcio hands over the partial payload silently.
        return _diag(
            source,
            Reason.UNREADABLE,
            f"record of {url} is cut short ({record.raw_stream.limit} bytes missing)",
        )
    if not payload.strip():
        return _diag(source, Reason.EMPTY, "empty HTTP payload")
    html = None if looks_binary(payload) else _decode_payload(payload, content_type)
    if html is None:
        return _diag(source, Reason.UNDECODABLE, f"payload of {url}")
    html = normalise_text(html)
    fields: list[tuple[str, str]] = []
    if crawled := record.rec_headers.get_header("WARC-Date"):
        fields.append(("crawled", crawled))
    if truncated := record.rec_headers.get_header("WARC-Truncated"):
        fields.append(("warc_truncated", truncated))
    # The id hashes the page alone, so a page read from a WARC and from a saved
    # .html file is one document.
    return RawInput(
        source, "warc", html=html, url=url, fields=tuple(fields), content_hash=content_hash(html)
    )


class _QuietArchiveIterator(ArchiveIterator):  # type: ignore[misc]
    """warcio's iterator without its stderr warning: on a bad Content-Length it prints
    the next line of the file -- article bytes, unescaped, on the user's terminal."""

    INC_RECORD = ""


#: Where a WARC record can start: a version line (plain files), a gzip member (.gz).
_RECORD_START = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
_GZIP_MEMBER = b"\x1f\x8b\x08"
_SCAN_CHUNK = 1 << 20


def _next_record(stream: BinaryIO, after: int, gz: bool) -> int | None:
    """The offset of the first record start beyond ``after``, scanning forward."""
    position = after
    while True:
        stream.seek(position)
        chunk = stream.read(_SCAN_CHUNK + 16)
        if not chunk:
            return None
        if gz:
            found = chunk.find(_GZIP_MEMBER)
            if found >= 0:
                return position + found
        elif match := _RECORD_START.search(chunk):
            return position + match.start(1)
        if len(chunk) <= _SCAN_CHUNK:
            return None
        position += _SCAN_CHUNK


def read_warc(path: str, config: IngestConfig) -> Iterator[ReadResult]:
    """Every HTML response of a WARC or WARC.gz file, streamed.

    A broken record (a wrong Content-Length, a corrupt gzip member) is one
    diagnostic; reading resumes at the next record start found after it, so the
    valid records behind it are kept.
    """
    found = broken = 0
    with open(path, "rb") as stream:
        gz = stream.read(2) == _GZIP_MEMBER[:2]
        start: int | None = 0
        stopped_at: int | None = None  # a read that ended quietly before the file did
        while start is not None:
            stream.seek(start)
            broken_at = None
            records = _QuietArchiveIterator(stream)
            at = start
            try:
                for record in records:
                    at = records.offset
                    if stopped_at is not None:  # the quiet end hid a broken record
                        yield _stopped_early(path, stopped_at, found)
                        broken, stopped_at = broken + 1, None
                    item = warc_input(record, path, config)
                    if item is None:
                        continue
                    yield item
                    if isinstance(item, RawInput):
                        found += 1
                    elif getattr(record.raw_stream, "limit", 0) > 0:
                        broken_at = at  # cut short: it may have swallowed the next records
                        break
            except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
                if stopped_at is not None:  # no record where the quiet end was probed
                    break
                yield _diag(
                    SourceRef(path, f"record at byte {at:,}"),
                    Reason.UNREADABLE,
                    f"broken WARC record after {found} pages: {exc}",
                )
                broken_at = at
                broken += 1
            start, stopped_at = _resume(stream, gz, at, broken_at, stopped_at)
    if found == 0 and broken == 0:
        yield _diag(SourceRef(path), Reason.NOTHING_READABLE, "no HTML response records")


def _resume(
    stream: BinaryIO, gz: bool, at: int, broken_at: int | None, stopped_at: int | None
) -> tuple[int | None, int | None]:
    """Where reading goes on after a pass ended, and the record a quiet end may hide.

    After a broken record: the next record start beyond it. After a quiet end: a corrupt
    gzip member can decode to a record without an error and leave the decompressor past
    the next member's start, so the read ends as at the end of the file; a record start
    after the last record read means it did not (it counts as broken only if a record is
    read there). After a probe that found nothing: the end. An uncompressed archive is
    read byte by byte, so its quiet end is the end (and a page quoting "WARC/1.0" on a line
    of its own is no record start).
    """
    if broken_at is not None:
        return _next_record(stream, broken_at + 1, gz), None
    if stopped_at is not None or not gz:
        return None, None
    probe = _next_record(stream, at + 1, gz)
    return probe, None if probe is None else at


def _stopped_early(path: str, at: int, found: int) -> Diagnostic:
    return _diag(
        SourceRef(path, f"record at byte {at:,}"),
        Reason.UNREADABLE,
        f"broken WARC record after {found} pages: reading stopped inside it",
    )


def _entry_fields(entry: Any, channel: str | None) -> tuple[tuple[str, str], ...]:
    fields: list[tuple[str, str]] = []
    if entry.get("title"):
        fields.append(("title", str(entry.title)))
    if entry.get("author"):
        fields.append(("author", str(entry.author)))
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        # feedparser normalises every RFC 822 / ISO form to UTC.
        fields.append(("published", strftime("%Y-%m-%dT%H:%M:%S+00:00", parsed)))
    if channel:
        fields.append(("outlet", channel))
    return tuple(fields)


def _entry_html(entry: Any) -> str | None:
    contents = entry.get("content") or []
    for content in contents:
        if content.get("value", "").strip():
            return str(content["value"])
    summary = entry.get("summary")
    return str(summary) if summary and summary.strip() else None


def read_feed(path: str, data: bytes) -> Iterator[ReadResult]:
    """Every entry with text of an RSS or Atom feed."""
    parsed = feedparser.parse(data)
    channel = parsed.feed.get("title") if parsed.get("feed") else None
    if not parsed.entries:
        detail = str(parsed.get("bozo_exception") or "no entries")
        yield _diag(SourceRef(path), Reason.BAD_RECORD, f"not a readable RSS/Atom feed: {detail}")
        return
    for number, entry in enumerate(parsed.entries, start=1):
        source = SourceRef(path, f"entry {number}")
        html = _entry_html(entry)
        if html is None:
            yield _diag(source, Reason.EMPTY, "entry has no content or summary")
            continue
        html = normalise_text(html)
        fields = _entry_fields(entry, channel)
        url = entry.get("link")
        ident = content_hash(html + "\x1f" + repr(fields) + (url or ""))
        yield RawInput(source, "feed", html=html, url=url, fields=fields, content_hash=ident)
