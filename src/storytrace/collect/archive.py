"""Every fetched response kept as a WARC ``response`` record: the evidence stays reproducible.

One gzipped WARC file per collect run in the archive folder, one gzip member
per record (so a record can be read back from its offset alone). warcio writes
the ``WARC-Payload-Digest`` (SHA-1, base32) and ``WARC-Block-Digest``; the
fetch table keeps the payload's SHA-256 and the file and offset of its record.
The body is stored decoded, without its ``Content-Encoding`` header, so any
WARC reader reads the payload as the page's bytes.

The document id of an archived page is computed by the ingest stage's own WARC
reader (``stages.ingest.archives.warc_input``) on the record read back, so it is
the id the store gives the page.

DOCS: docs/collect.md
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storytrace.collect.fetch import Fetched
from storytrace.records import RawInput
from storytrace.stages.ingest.archives import warc_input
from storytrace.stages.ingest.config import IngestConfig


@dataclass(frozen=True, slots=True)
class Archived:
    """Where one response was archived, and its payload's SHA-256."""

    warc_file: str
    offset: int
    sha256: str


def warc_date(when: float) -> str:
    """A UNIX time as a WARC-Date (UTC, seconds)."""
    return datetime.fromtimestamp(when, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcArchive:
    """Appends response records to one new WARC.gz file. Use as a context manager.

    The file is created on the first record, so a run that fetched nothing new
    leaves no empty file behind.

    Args:
        folder (Path): the archive folder (created when missing).
        name (str): the file name (``collect-<UTC time>.warc.gz`` by default).
    """

    def __init__(self, folder: Path, name: str | None = None) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        self.path = folder / (name or f"collect-{stamp}.warc.gz")
        self._stream: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self.records = 0

    def __enter__(self) -> WarcArchive:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None

    def _open(self) -> tuple[BinaryIO, WARCWriter]:
        if self._stream is None or self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._stream = open(self.path, "ab")
            self._writer = WARCWriter(self._stream, gzip=True)
        return self._stream, self._writer

    def add(self, fetched: Fetched) -> Archived:
        """Write ``fetched`` as a response record; returns its file, offset and SHA-256."""
        stream, writer = self._open()
        offset = stream.tell()
        status = f"{fetched.status} {fetched.reason or 'OK'}"
        http = StatusAndHeaders(status, list(fetched.headers), protocol="HTTP/1.1")
        record = writer.create_warc_record(
            fetched.final_url,
            "response",
            payload=io.BytesIO(fetched.body),
            http_headers=http,
            warc_headers_dict={"WARC-Date": warc_date(fetched.fetched_at)},
        )
        writer.write_record(record)
        stream.flush()
        self.records += 1
        return Archived(str(self.path), offset, hashlib.sha256(fetched.body).hexdigest())


def read_back(warc_file: str, offset: int, config: IngestConfig | None = None) -> RawInput | None:
    """The ingest reader's input for the record at ``offset`` (``None``: not an HTML page)."""
    with open(warc_file, "rb") as stream:
        stream.seek(offset)
        for record in ArchiveIterator(stream):
            item = warc_input(record, warc_file, config or IngestConfig())
            return item if isinstance(item, RawInput) else None
    return None
