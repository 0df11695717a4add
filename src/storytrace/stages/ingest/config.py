"""Options of the readers and what a reader yields."""

from __future__ import annotations

from dataclasses import dataclass

from storytrace.records import Diagnostic, RawInput

#: One read result: an article, or the reason one input produced none.
ReadResult = RawInput | Diagnostic


@dataclass(frozen=True, slots=True)
class IngestConfig:
    """Options of the ingest stage.

    Attributes:
        max_bytes (int): files (after decompression) larger than this are skipped
            with ``ST205``. 50 MB holds any real article page many times over.
        follow_hidden (bool): also read files and folders whose name starts with ".".
        batch_size (int): documents committed to a store per transaction; a killed
            ingest loses at most one batch of work, never stored data.
    """

    max_bytes: int = 50_000_000
    follow_hidden: bool = False
    batch_size: int = 200
