"""Record-aligned splits of large archives, so one big file becomes many tasks.

Part of the ingest stage, for the distributed engine. A CC-NEWS WARC holds
~30,000 pages in ~1 GB; read as one task it keeps one worker busy for half an
hour and makes it hold all its documents at once. Instead the driver cuts such
a file into byte ranges that start exactly where a record starts, and each
range is read on its own:

* **WARC.gz** written one gzip member per record (what CC-NEWS and warcio
  write): near each nominal cut the next gzip member header is searched for and
  accepted only if it inflates to ``WARC/`` -- the three magic bytes also occur
  by chance in compressed data (about once in 16 MB). A file gzipped as one
  member has no member past byte 0, so it stays one range, read as before.
* **JSONL** (uncompressed): cuts move to the next line start; the driver
  counts the lines before each cut, so a record keeps the ``line N`` source the
  whole-file reader gives it.

Uncompressed WARC and ``.jsonl.gz`` are not split: neither can be entered at a
record boundary without reading everything before it.

Planning reads the file once on the driver (JSONL: counting newlines, ~1 GB/s;
WARC.gz: a bounded search at each cut), never parses records.

DOCS: docs/scale.md
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from storytrace.errors import REASON_HELP, Reason
from storytrace.records import Diagnostic, Severity, SourceRef
from storytrace.stages.ingest.config import IngestConfig, ReadResult
from storytrace.stages.ingest.files import jsonl_lines, suffix_of

#: Suffixes a file can be split on (see the module docstring).
SPLITTABLE = (".warc.gz", ".jsonl", ".ndjson")
_GZIP_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class FileSplit:
    """A byte range of one file that starts and ends on record boundaries.

    Attributes:
        path (str): the file.
        start (int): first byte (a record starts here).
        end (int): one past the last byte (the next record, or the file's end).
        first_line (int): JSONL: the number of the line starting at ``start``.
    """

    path: str
    start: int
    end: int
    first_line: int = 1


def _is_warc_member(handle: BinaryIO, offset: int) -> bool:
    """Whether a gzip member starting at ``offset`` inflates to a WARC record header."""
    handle.seek(offset)
    head = handle.read(64 * 1024)
    try:
        text = zlib.decompressobj(31).decompress(head, 16)
    except zlib.error:
        return False
    return text.startswith(b"WARC/")


def _next_member(handle: BinaryIO, start: int, stop: int) -> int | None:
    """The first WARC gzip member at or after ``start`` and before ``stop``, if any."""
    position = start
    while position < stop:
        handle.seek(position)
        # Overlap by two bytes so a magic number across two chunks is seen.
        chunk = handle.read(min(_CHUNK, stop - position) + len(_GZIP_MAGIC) - 1)
        found = chunk.find(_GZIP_MAGIC)
        while found != -1 and position + found < stop:
            if _is_warc_member(handle, position + found):
                return position + found
            found = chunk.find(_GZIP_MAGIC, found + 1)
        position += _CHUNK
    return None


def _warc_cuts(handle: BinaryIO, size: int, every: int) -> list[int]:
    cuts = [0]
    nominal = every
    while nominal < size:
        member = _next_member(handle, max(nominal, cuts[-1] + 1), size)
        if member is None:
            break
        cuts.append(member)
        nominal = member + every
    return cuts


def _line_cuts(handle: BinaryIO, size: int, every: int) -> list[tuple[int, int]]:
    """Cut offsets at line starts, each with the number of the line starting there."""
    cuts = [(0, 1)]
    lines = 1
    counted = 0
    nominal = every
    while nominal < size:
        handle.seek(nominal - 1)
        handle.readline()  # to the end of the line holding byte nominal - 1
        cut = handle.tell()
        if cut >= size:
            break
        handle.seek(counted)
        while counted < cut:
            block = handle.read(min(_CHUNK, cut - counted))
            lines += block.count(b"\n")
            counted += len(block)
        cuts.append((cut, lines))
        nominal = cut + every
    return cuts


def plan_splits(path: str, split_bytes: int) -> list[FileSplit] | None:
    """Record-aligned ranges of about ``split_bytes`` covering ``path``; ``None`` if not split.

    ``None`` when the format cannot be split, the file is no larger than
    ``split_bytes``, or it cannot be opened (the reader will report why).
    """
    if not path.lower().endswith(SPLITTABLE) or split_bytes <= 0:
        return None
    try:
        size = os.path.getsize(path)
        if size <= split_bytes:
            return None
        with open(path, "rb") as handle:
            if suffix_of(path) == ".warc.gz":
                starts = [(cut, 1) for cut in _warc_cuts(handle, size, split_bytes)]
            else:
                starts = _line_cuts(handle, size, split_bytes)
    except OSError:
        return None
    if len(starts) < 2:
        return None
    ends = [cut for cut, _ in starts[1:]] + [size]
    return [FileSplit(path, s, e, line) for (s, line), e in zip(starts, ends, strict=True)]


class _Window:
    """A read-only view of ``handle`` from its position, ``length`` bytes long."""

    def __init__(self, handle: BinaryIO, length: int) -> None:
        self._handle = handle
        self._left = length

    def read(self, size: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        size = self._left if size < 0 else min(size, self._left)
        data = self._handle.read(size)
        self._left -= len(data)
        return data


def _read_warc_split(split: FileSplit, config: IngestConfig) -> Iterator[ReadResult]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from storytrace.stages.ingest.archives import warc_input

    found = 0
    try:
        with open(split.path, "rb") as handle:
            handle.seek(split.start)
            for record in ArchiveIterator(_Window(handle, split.end - split.start)):
                item = warc_input(record, split.path, config)
                if item is not None:
                    found += 1
                    yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        where = SourceRef(split.path, f"{found} pages after byte {split.start:,}")
        detail = f"{REASON_HELP[Reason.UNREADABLE]} (broken WARC: {exc})"
        yield Diagnostic(Reason.UNREADABLE.value, Severity.ERROR, str(where), detail)


def _read_jsonl_split(split: FileSplit, config: IngestConfig) -> Iterator[ReadResult]:
    try:
        with open(split.path, "rb") as handle:
            handle.seek(split.start)
            yield from jsonl_lines(
                handle, split.path, config, split.first_line, split.end - split.start
            )
    except OSError as exc:
        where = SourceRef(split.path, f"line {split.first_line}")
        detail = f"{REASON_HELP[Reason.UNREADABLE]} ({exc})"
        yield Diagnostic(Reason.UNREADABLE.value, Severity.ERROR, str(where), detail)


def read_split(split: FileSplit, config: IngestConfig) -> Iterator[ReadResult]:
    """Every input of one split, as the whole-file reader gives them.

    A split never reports "nothing readable": a range may hold no page while
    the file holds many. The engine reports a split file that gave nothing.
    """
    if suffix_of(split.path) == ".warc.gz":
        yield from _read_warc_split(split, config)
    else:
        yield from _read_jsonl_split(split, config)


__all__ = ["SPLITTABLE", "FileSplit", "plan_splits", "read_split"]
