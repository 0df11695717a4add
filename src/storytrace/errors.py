"""Errors and diagnostic codes.

Two kinds of failure exist:

* a ``StorytraceError`` stops the command (bad arguments, a store that cannot
  be opened, a missing model). The CLI catches it at the edge, prints the
  message and exits non-zero; tracebacks only with ``--debug``.
* a per-input problem (an empty file, undecodable bytes ...) is *data*: a
  ``records.Diagnostic`` with one of the ``Reason`` codes below, stored and shown
  in the dossier, and the batch goes on.

Every message says what happened, why, and what to do next.
"""

from __future__ import annotations

from enum import StrEnum

from storytrace.records import Diagnostic


class Reason(StrEnum):
    """Reason codes of per-input diagnostics. Stable: never renumber."""

    NOT_FOUND = "ST201"
    EMPTY = "ST202"
    BINARY = "ST203"
    UNDECODABLE = "ST204"
    TOO_LARGE = "ST205"
    UNSUPPORTED = "ST206"
    NOTHING_READABLE = "ST207"
    BAD_RECORD = "ST208"
    NO_BODY = "ST209"
    STAGE_FAILED = "ST210"
    UNREADABLE = "ST211"
    DUPLICATE_INPUT = "ST212"
    TIMEOUT = "ST213"
    NO_STAGE = "ST214"
    CORPUS_STAGE_FAILED = "ST215"
    MALFORMED = "ST216"
    CUT_SHORT = "ST217"
    OWN_OUTPUT = "ST218"


REASON_HELP: dict[Reason, str] = {
    Reason.NOT_FOUND: "the path does not exist; check the spelling or the glob",
    Reason.EMPTY: "the file has no content",
    Reason.BINARY: "the file looks binary, not text or HTML",
    Reason.UNDECODABLE: "the bytes could not be decoded as text in any common encoding",
    Reason.TOO_LARGE: "the file is larger than the size limit (--max-bytes)",
    Reason.UNSUPPORTED: "the file type is not one storytrace reads",
    Reason.NOTHING_READABLE: "a folder or glob matched no readable file",
    Reason.BAD_RECORD: "a record of a structured file (e.g. a JSONL line) is malformed",
    Reason.NO_BODY: "no article text was left after removing page boilerplate",
    Reason.STAGE_FAILED: "a pipeline stage failed on this document (a bug: please report it)",
    Reason.UNREADABLE: "the file could not be read (permissions or I/O error)",
    Reason.DUPLICATE_INPUT: "the same content was given twice; it was analysed once",
    Reason.TIMEOUT: "analysing this document took longer than the per-document time limit; it was skipped",
    Reason.NO_STAGE: "no stage of this run's pipeline reads this kind of input (see `storytrace stages`)",
    Reason.MALFORMED: "the file is malformed (corrupt compression, a broken archive record); what was read before the fault is kept",
    Reason.CUT_SHORT: (
        "a corpus stage ran out of its time budget before this story; what it computes for "
        "the story is absent (story clustering: left undone, each article a story of its "
        "own), the rest of the dossier is complete"
    ),
    Reason.OWN_OUTPUT: "a dossier storytrace wrote (e.g. a previous run's --out inside the input folder); it is not an article and was skipped",
    Reason.CORPUS_STAGE_FAILED: (
        "a corpus stage failed (a bug: please report it); its sections, and those of the "
        "stages that need them, are absent from this dossier"
    ),
}


class StorytraceError(Exception):
    """Base of every error storytrace raises on purpose.

    Args:
        code (str): stable code, ``ST1xx``.
        message (str): what happened, why, and what to do next.
    """

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message}")


class InputError(StorytraceError):
    """The inputs given cannot be analysed at all (e.g. nothing readable).

    ``diagnostics`` holds the per-input reasons, so the CLI can still print why
    each input was skipped.
    """

    def __init__(self, code: str, message: str, diagnostics: tuple[Diagnostic, ...] = ()) -> None:
        super().__init__(code, message)
        self.diagnostics = diagnostics


class ConfigError(StorytraceError):
    """An option or configuration value is invalid."""


class StoreError(StorytraceError):
    """The DuckDB store cannot be opened, is corrupt, locked or foreign."""


class ModelMissingError(StorytraceError):
    """A model package the requested stage needs is not installed."""


def no_readable_input(paths: list[str], diagnostics: tuple[Diagnostic, ...]) -> InputError:
    """The error for a run in which no input produced a document."""
    shown = ", ".join(paths[:3]) + (" ..." if len(paths) > 3 else "")
    return InputError(
        "ST101",
        f"Nothing readable in {shown}. storytrace reads .txt, .html(.gz), .jsonl, .warc(.gz) "
        "and .rss/.atom/.xml files (folders are searched recursively); see the lines "
        "above for why each input was skipped.",
        diagnostics,
    )
