"""Ingest: from paths (files, folders, globs) to ``RawInput`` records.

This is the one stage at the I/O edge: it finds files and reads their bytes.
Everything after reading -- decoding, format detection, JSONL parsing -- is a
pure function of the bytes, so the same logic serves files, archives and
streams. A file that cannot be read becomes a ``Diagnostic`` with a reason code;
the other files are still read.

Readers are looked up by file suffix in ``READERS``; a later reader (WARC, feeds)
registers itself there with the same signature.
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, InputFormat, RawInput, Severity, SourceRef
from storytrace.stages.ingest.config import IngestConfig, ReadResult
from storytrace.stages.ingest.decode import (
    FileEncoding,
    content_hash,
    decode_bytes,
    looks_binary,
    normalise_text,
)

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz")
FEED_SUFFIXES = (".rss", ".atom", ".xml")
WARC_SUFFIXES = (".warc", ".warc.gz")


def suffix_of(path: str) -> str:
    """The lower-cased suffix that picks a reader (``.html.gz`` counts as one)."""
    name = os.path.basename(path).lower()
    for double in (".html.gz", ".htm.gz", ".jsonl.gz", ".warc.gz"):
        if name.endswith(double):
            return double
    return os.path.splitext(name)[1]


def is_readable_suffix(path: str) -> bool:
    suffix = suffix_of(path)
    return suffix in READERS or suffix in STREAM_READERS


def _diag(source: SourceRef, reason: Reason, detail: str = "") -> Diagnostic:
    message = REASON_HELP[reason] + (f" ({detail})" if detail else "")
    return Diagnostic(reason.value, Severity.ERROR, str(source), message)


def _decoded(source: SourceRef, data: bytes) -> str | Diagnostic:
    """Bytes to normalised text, or the diagnostic saying why not."""
    if not data.strip():
        return _diag(source, Reason.EMPTY)
    if looks_binary(data):
        return _diag(source, Reason.BINARY)
    text = decode_bytes(data)
    if text is None:
        return _diag(source, Reason.UNDECODABLE)
    text = normalise_text(text)
    if not text.strip():
        return _diag(source, Reason.EMPTY)
    return text


def _read_whole(path: str, data: bytes, fmt: InputFormat) -> Iterator[ReadResult]:
    """One file, one article: decoded, normalised, hashed; or the reason it is not."""
    source = SourceRef(path)
    content = _decoded(source, data)
    if isinstance(content, Diagnostic):
        yield content
        return
    text, html = (content, None) if fmt == "text" else (None, content)
    yield RawInput(source, fmt, text=text, html=html, content_hash=content_hash(content))


def read_text(path: str, data: bytes) -> Iterator[ReadResult]:
    """Reader for plain-text page dumps."""
    return _read_whole(path, data, "text")


#: The mark every dossier carries in its head (report/templates/dossier.html.j2).
_OWN_DOSSIER = re.compile(rb"<meta\s+name=\"generator\"\s+content=\"storytrace\"", re.IGNORECASE)


def read_html(path: str, data: bytes) -> Iterator[ReadResult]:
    """Reader for HTML pages (decompressed already when gzipped).

    A dossier storytrace wrote is not an article: read, it would add every analysed
    text once more as one page (a previous run's ``--out`` inside the input folder).
    """
    if _OWN_DOSSIER.search(data[:4096]):
        skipped = Diagnostic(
            Reason.OWN_OUTPUT.value, Severity.WARNING, path, REASON_HELP[Reason.OWN_OUTPUT]
        )
        return iter((skipped,))
    return _read_whole(path, data, "html")


# JSONL field names and the aliases accepted for them (documented in docs/input.md).
JSONL_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article"),
    "html": ("html", "raw_html"),
    "url": ("url", "link", "uri"),
    "title": ("title", "headline"),
    "outlet": ("outlet", "source", "site_name", "publisher"),
    "author": ("author", "authors", "byline"),
    "published": ("published", "date", "published_at", "publish_date", "pubdate"),
}


def _jsonl_field(obj: dict[str, object], name: str) -> str | None:
    for key in JSONL_ALIASES[name]:
        value = obj.get(key)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value if v)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value)
    return None


def parse_jsonl_record(source: SourceRef, line: str) -> ReadResult:
    """One JSONL line to a ``RawInput``; a malformed line to a ``Diagnostic``."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return _diag(source, Reason.BAD_RECORD, f"invalid JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(obj, dict):
        return _diag(source, Reason.BAD_RECORD, "a line must be a JSON object")
    text, html = _jsonl_field(obj, "text"), _jsonl_field(obj, "html")
    if text is None and html is None:
        return _diag(source, Reason.BAD_RECORD, "no 'text' or 'html' field")
    fields = tuple(
        (name, value)
        for name in ("title", "outlet", "author", "published")
        if (value := _jsonl_field(obj, name)) is not None
    )
    url = _jsonl_field(obj, "url")
    ident = obj.get("id", obj.get("doc_id", obj.get("article_id")))
    if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
        source = SourceRef(source.path, f"id {str(ident).strip()[:200]}")
    if html is not None:
        html = normalise_text(html)
        key = content_hash(html + "\x1f" + repr(fields) + (url or ""))
        return RawInput(source, "html", html=html, url=url, fields=fields, content_hash=key)
    assert text is not None
    text = normalise_text(text)
    key = content_hash(text + "\x1f" + repr(fields) + (url or ""))
    return RawInput(source, "text", text=text, url=url, fields=fields, content_hash=key)


def _object_shaped(text: str) -> bool:
    """Text that could be a JSONL record: a JSON object's braces at both ends."""
    text = text.strip()
    return text.startswith("{") and text.endswith("}")


def _jsonl_line(source: SourceRef, raw: bytes, detect: FileEncoding) -> ReadResult | None:
    """One line of a JSONL file: decoded on its own, so one bad line costs only itself
    (charset detection, when a line needs it, is the file's: ``detect``)."""
    if not raw.strip():
        return None
    line = decode_bytes(raw.rstrip(b"\r\n"), detect)
    if line is None:
        return _diag(source, Reason.UNDECODABLE)
    return parse_jsonl_record(source, line)


def jsonl_lines(
    handle: Iterable[bytes], path: str, config: IngestConfig, first: int = 1, length: int = -1
) -> Iterator[ReadResult]:
    """The records of JSONL lines read from ``handle``, numbered from ``first``.

    ``length`` (bytes, -1 for all) bounds the read: a split of a file ends on a
    line boundary (see ``ingest_splits``).
    """
    consumed = 0
    detect = FileEncoding(plausible=_object_shaped)
    for number, (raw, size) in enumerate(_bounded_lines(handle, config.max_bytes), start=first):
        source = SourceRef(path, f"line {number}")
        if raw is None:
            yield _diag(source, Reason.TOO_LARGE, f"limit {config.max_bytes:,} bytes")
        else:
            item = _jsonl_line(source, raw, detect)
            if item is not None:
                yield item
        consumed += size
        if 0 <= length <= consumed:
            return


def _bounded_lines(handle: Iterable[bytes], limit: int) -> Iterator[tuple[bytes | None, int]]:
    """Each line with its size in bytes; a line over ``limit`` is skipped while it streams
    (``None``), never held whole: one 2 GiB line in a small .jsonl.gz is not 2 GiB of memory."""
    read = getattr(handle, "readline", None)
    if read is None:  # a plain iterable of lines (tests)
        for raw in handle:
            yield (raw if len(raw) <= limit else None), len(raw)
        return
    while True:
        raw = read(limit + 1)
        if not raw:
            return
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield (raw if len(raw) <= limit else None), len(raw)
            continue
        size = len(raw)
        while raw and not raw.endswith(b"\n"):  # drain the rest of the long line
            raw = read(1 << 20)
            size += len(raw)
        yield None, size


def read_jsonl(path: str, config: IngestConfig) -> Iterator[ReadResult]:
    """Streaming reader for JSONL: one article per line, read line by line.

    Memory holds one line, not the file, so a JSONL of millions of articles
    streams; a line over the size limit or a bad line is reported and skipped.
    """
    opener = gzip.open if path.lower().endswith(".gz") else open
    found = 0
    try:
        with opener(path, "rb") as handle:
            for item in jsonl_lines(handle, path, config):
                # Like a blank line, an oversized one does not make the file non-empty.
                found += not (isinstance(item, Diagnostic) and item.code == Reason.TOO_LARGE.value)
                yield item
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        yield _diag(SourceRef(path, f"after {found} records"), Reason.UNREADABLE, str(exc))
        return
    if found == 0:
        yield _diag(SourceRef(path), Reason.EMPTY)


def read_feed(path: str, data: bytes) -> Iterator[ReadResult]:
    """Reader for RSS/Atom feeds (imported on use: see ``ingest_archives``)."""
    from storytrace.stages.ingest.archives import read_feed as read

    yield from read(path, data)


def read_warc(path: str, config: IngestConfig) -> Iterator[ReadResult]:
    """Streaming reader for WARC archives (imported on use: see ``ingest_archives``)."""
    from storytrace.stages.ingest.archives import read_warc as read

    yield from read(path, config)


#: Reads a whole file's bytes (small files).
Reader = Callable[[str, bytes], Iterator[ReadResult]]
#: Streams a file from its path (archives that may not fit in memory).
StreamReader = Callable[[str, IngestConfig], Iterator[ReadResult]]

READERS: dict[str, Reader] = {
    **{suffix: read_text for suffix in TEXT_SUFFIXES},
    **{suffix: read_html for suffix in HTML_SUFFIXES},
    **{suffix: read_feed for suffix in FEED_SUFFIXES},
}
STREAM_READERS: dict[str, StreamReader] = {
    **{suffix: read_warc for suffix in WARC_SUFFIXES},
    **{suffix: read_jsonl for suffix in JSONL_SUFFIXES},
}


def _expand_one(spec: str, config: IngestConfig) -> Iterator[str | Diagnostic]:
    """One command-line path spec to file paths (sorted), or a diagnostic.

    Only regular files are read: a device (a symlink to ``/dev/zero``), a FIFO or a
    socket would read forever or block, so each is refused with its reason. Folder
    walks and ``**`` globs never follow a symlinked folder, so a symlink loop ends.
    """
    unreadable: list[OSError] = []
    if any(ch in spec for ch in "*?["):
        files = [m for m in _glob(spec, config, unreadable) if is_readable_suffix(m)]
    elif os.path.isdir(spec):
        files = sorted(_walk(spec, config, errors=unreadable))
    else:
        files = None
    if files is not None:
        for exc in unreadable:  # a folder the walk could not enter is said, not skipped
            where = SourceRef(exc.filename or spec)
            yield _diag(where, Reason.UNREADABLE, f"folder not read: {exc.strerror or exc}")
        if not files:
            yield _diag(SourceRef(spec), Reason.NOTHING_READABLE)
        yield from _regular(files)
        return
    if not os.path.lexists(spec) or not os.path.exists(spec):
        yield _diag(SourceRef(spec), Reason.NOT_FOUND)
        return
    yield from _regular([spec])


def _regular(paths: Iterable[str]) -> Iterator[str | Diagnostic]:
    for path in paths:
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError as exc:
            yield _diag(SourceRef(path), Reason.UNREADABLE, exc.strerror or str(exc))
            continue
        if regular:
            yield path
        else:
            detail = "not a regular file (a device, a FIFO or a socket): not read"
            yield _diag(SourceRef(path), Reason.UNSUPPORTED, detail)


def _glob(spec: str, config: IngestConfig, errors: list[OSError]) -> list[str]:
    """The files a glob matches; ``**`` walks folders without following symlinked ones."""
    if "**" not in spec:
        return sorted(m for m in glob.glob(spec) if not os.path.isdir(m))
    base = spec.split("**", 1)[0].rstrip("/") or "."
    base = base if not any(ch in base for ch in "*?[") else "."
    pattern = _glob_regex(spec)
    walked = _walk(base, config, suffix_only=False, errors=errors)
    return sorted(p for p in walked if pattern.fullmatch(p))


def _glob_regex(spec: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(spec):
        if spec.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif spec.startswith("**", i):
            out.append(".*")
            i += 2
        elif spec[i] == "*":
            out.append("[^/]*")
            i += 1
        elif spec[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(spec[i]))
            i += 1
    return re.compile("".join(out))


def _walk(
    folder: str, config: IngestConfig, suffix_only: bool = True, errors: list[OSError] | None = None
) -> Iterator[str]:
    """Files under ``folder``; folders that cannot be listed go to ``errors``."""
    onerror = None if errors is None else errors.append
    for root, dirs, files in os.walk(folder, onerror=onerror):  # no followlinks: loops end
        if not config.follow_hidden:
            dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not (config.follow_hidden or not name.startswith(".")):
                continue
            if not suffix_only or is_readable_suffix(name):
                path = os.path.join(root, name)
                yield path.removeprefix("./") if folder == "." else path


def expand_paths(specs: Iterable[str], config: IngestConfig) -> Iterator[str | Diagnostic]:
    """Files named, found in folders (recursively) or matched by globs, each once."""
    seen: set[str] = set()
    for spec in specs:
        for item in _expand_one(str(spec), config):
            if isinstance(item, Diagnostic):
                yield item
            elif (key := os.path.realpath(item)) not in seen:
                seen.add(key)
                yield item


def load_bytes(path: str, config: IngestConfig) -> bytes | Diagnostic:
    """Read a file's bytes (gunzipped for ``.gz``) within the size limit."""
    source = SourceRef(path)
    try:
        if os.path.getsize(path) > config.max_bytes:
            return _diag(source, Reason.TOO_LARGE, f"limit {config.max_bytes:,} bytes")
        with open(path, "rb") as handle:
            data = handle.read()
        if path.lower().endswith(".gz"):
            # Read one byte past the limit so a gzip bomb is refused, not inflated.
            with gzip.open(path, "rb") as zipped:
                data = zipped.read(config.max_bytes + 1)
            if len(data) > config.max_bytes:
                return _diag(source, Reason.TOO_LARGE, f"limit {config.max_bytes:,} bytes")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:  # corrupt, not unreadable
        return _diag(source, Reason.MALFORMED, f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        return _diag(source, Reason.UNREADABLE, exc.strerror or str(exc))
    return data


def read_path(path: str, config: IngestConfig) -> Iterator[ReadResult]:
    """All articles of one file, or the diagnostics saying why there are none.

    No file stops a run: whatever a reader (or a library under it: warcio, zlib,
    feedparser) raises on a malformed file becomes that file's diagnostic, after
    the articles already read from it.
    """
    found = 0
    try:
        for item in _read_path(path, config):
            found += not isinstance(item, Diagnostic)
            yield item
    except Exception as exc:  # a malformed file is data, whatever library chokes on it
        where = SourceRef(path, f"after {found} articles" if found else None)
        yield _diag(where, Reason.MALFORMED, f"{type(exc).__name__}: {exc}"[:300])


def _read_path(path: str, config: IngestConfig) -> Iterator[ReadResult]:
    streamer = STREAM_READERS.get(suffix_of(path))
    if streamer is not None:
        if not os.access(path, os.R_OK):
            yield _diag(SourceRef(path), Reason.UNREADABLE, "permission denied")
            return
        yield from streamer(path, config)
        return
    reader = READERS.get(suffix_of(path))
    if reader is None:
        yield _diag(SourceRef(path), Reason.UNSUPPORTED, f"suffix {suffix_of(path) or 'none'}")
        return
    data = load_bytes(path, config)
    if isinstance(data, Diagnostic):
        yield data
        return
    yield from reader(path, data)


def iter_inputs(specs: Iterable[str], config: IngestConfig) -> Iterator[ReadResult]:
    """Every article of every path spec, in a deterministic order, with diagnostics."""
    for item in expand_paths(specs, config):
        if isinstance(item, Diagnostic):
            yield item
        else:
            yield from read_path(item, config)


def count_articles(specs: Iterable[str], config: IngestConfig) -> int | None:
    """How many articles the specs hold, for a progress bar's total and ETA.

    Known only when every file is one article (a page, a text dump); a JSONL, WARC
    or feed holds an unknown number, so the answer is then ``None``.
    """
    count = 0
    for item in expand_paths(specs, config):
        if isinstance(item, Diagnostic):
            continue
        if suffix_of(item) in STREAM_READERS or suffix_of(item) in FEED_SUFFIXES:
            return None
        count += 1
    return count


__all__ = [
    "READERS",
    "IngestConfig",
    "decode_bytes",
    "expand_paths",
    "iter_inputs",
    "normalise_text",
    "parse_jsonl_record",
    "read_path",
]
