"""Faults of the store's file and disk, each turned into one ``ST1xx`` line.

DuckDB reports a corrupt block, a full disk or a read-only file as an exception whose
only structure is its text; :func:`store_fault` reads that text (and an ``OSError``'s
errno) and returns the one-line :class:`StoreError` the CLI prints with exit code 3.
What it does not recognise is left alone: an unexpected DuckDB error is a bug and keeps
its traceback.

DuckDB checks a block's checksum only when it reads the block, and an ingest reads few
of them: it appended documents to a store whose search index had a zeroed block and
exited 0. :func:`corrupt_blocks` therefore checks, before a store is written, every
block the tables' rows and the catalog live in (``pragma_storage_info``,
``pragma_metadata_info``), reading the file directly: DuckDB's layout is three 4 KiB
headers, then blocks of ``block_size`` bytes, each beginning with an 8-byte checksum of
the rest (DuckDB's ``Checksum``: 5381 XOR the product of each 8-byte word with
``0xbf58476d1ce4e5b9``). Index blocks are not listed by DuckDB; it checks them itself
when an insert reads them, before anything is written. Free blocks are never checked: a
block left half-written by a killed checkpoint is free and harmless.

DOCS: docs/security.md
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import BinaryIO

import duckdb
import numpy as np

from storytrace.errors import StoreError

#: The first bytes of every SQLite 3 database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: DuckDB's main header and its two database headers, before block 0.
HEADER_BYTES = 3 * 4096
#: Where DuckDB's main header holds its magic bytes.
_MAGIC_AT, _MAGIC = 8, b"DUCK"
_FACTOR = np.uint64(0xBF58476D1CE4E5B9)
_SEED = np.uint64(5381)

_DISK_FULL = (errno.ENOSPC, errno.EFBIG, errno.EDQUOT)
_NO_PERMISSION = (errno.EACCES, errno.EPERM, errno.EROFS)


def is_sqlite(path: Path) -> bool:
    """True when ``path`` is an SQLite database (DuckDB would want an extension to read it)."""
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def not_writable(path: Path) -> StoreError | None:
    """``ST147`` when the store file, or the folder it is (to be) created in, cannot be written.

    Checked before a store is opened for writing, so a read-only store is refused
    before any article is analysed, and never reported as "may be corrupt".
    """
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        what = "file"
    elif folder.exists() and not os.access(folder, os.W_OK):
        what = "folder"  # DuckDB creates the file, and its journal (.wal), there
    else:
        return None
    return StoreError(
        "ST147",
        f"The store {path} cannot be written: its {what} is read-only for this user (permissions, "
        "or a read-only file system). Nothing was changed. Fix the permissions, or read it with "
        "`storytrace report --db` or `serve --db`, which only read.",
    )


def store_fault(path: Path, exc: BaseException) -> StoreError | None:
    """The one-line error for a fault of the store's file, disk or memory; ``None`` otherwise.

    Args:
        path (Path): the store, named in the message.
        exc (BaseException): what DuckDB (or the OS) raised.

    Returns:
        StoreError | None: ``ST142`` locked, ``ST145`` corrupt, ``ST146`` disk full,
        ``ST147`` no permission, ``ST148`` another I/O error, ``ST149`` out of memory;
        ``None`` for anything else (a bug, which keeps its traceback).
    """
    if isinstance(exc, OSError):
        return _os_fault(path, exc)
    if not isinstance(exc, duckdb.Error):
        return None
    text = str(exc)
    low = text.lower()
    first = text.splitlines()[0] if text else type(exc).__name__
    if "could not set lock" in low or "conflicting lock" in low:
        return locked(path)
    if "corrupt database file" in low or "checksum" in low:
        return corrupt(path, first)
    if "no space left" in low or "file too large" in low or "disk quota" in low:
        return disk_full(path, first)
    if "permission denied" in low or "read-only file system" in low:
        return StoreError(
            "ST147",
            f"The store {path} cannot be written: {first}. Nothing more was changed; the batches "
            "committed before are kept. Fix the permissions and run again: it resumes.",
        )
    if isinstance(exc, duckdb.OutOfMemoryException):
        return StoreError(
            "ST149",
            f"DuckDB ran out of memory writing the store {path} ({first}). The batches committed "
            "before are kept. Run again with a smaller --batch-size; it resumes.",
        )
    if isinstance(exc, duckdb.IOException) or "could not write" in low or "could not read" in low:
        return StoreError(
            "ST148",
            f"An I/O error on the store {path}: {first}. The batches committed before are kept; "
            "check the disk and run again.",
        )
    return None


def locked(path: Path) -> StoreError:
    """``ST142``: another process holds DuckDB's write lock on the store."""
    return StoreError(
        "ST142",
        f"The store {path} is in use by another process (DuckDB holds a write lock). "
        "Wait for it to finish, or open a copy.",
    )


def corrupt(path: Path, detail: str) -> StoreError:
    """``ST145``: a block of the store fails its checksum; nothing is written into it."""
    return StoreError(
        "ST145",
        f"The store {path} is corrupt ({detail}); storytrace did not write into it. Restore it "
        "from a backup, or ingest the articles again into a new --db path.",
    )


def disk_full(path: Path, detail: str) -> StoreError:
    """``ST146``: the disk is full (or a file-size limit reached) while writing the store."""
    return StoreError(
        "ST146",
        f"The disk is full writing the store {path} ({detail}). The batch being written was "
        "not stored; the batches committed before are kept. Free some space and run the same "
        "command again: it resumes.",
    )


def _os_fault(path: Path, exc: OSError) -> StoreError | None:
    detail = f"{exc.strerror or exc}"
    if exc.errno in _DISK_FULL:
        return disk_full(path, detail)
    if exc.errno in _NO_PERMISSION:
        return StoreError(
            "ST147", f"The store {path} cannot be read or written: {detail}. Fix the permissions."
        )
    if exc.errno == errno.EIO:
        return StoreError("ST148", f"An I/O error on the store {path}: {detail}. Check the disk.")
    return None


def corrupt_blocks(con: duckdb.DuckDBPyConnection, path: Path) -> list[int]:
    """The used blocks of the store at ``path`` whose checksum does not match their bytes.

    Args:
        con (duckdb.DuckDBPyConnection): the store, open (its catalog was read).
        path (Path): its file, read directly.

    Returns:
        list[int]: the ids of the corrupt blocks, ascending (empty: every checked block is
        whole, or the file is not in the layout this knows, which is then not checked).
    """
    size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
    if size is None:
        return []
    block_size = int(size[0])
    with path.open("rb") as file:
        if file.read(_MAGIC_AT + len(_MAGIC))[_MAGIC_AT:] != _MAGIC:
            return []
        return [b for b in sorted(used_blocks(con)) if not _block_ok(file, b, block_size)]


def used_blocks(con: duckdb.DuckDBPyConnection) -> set[int]:
    """The blocks holding the rows of every table and the catalog (indexes excepted)."""
    blocks = {
        int(row[0]) for row in con.execute("SELECT block_id FROM pragma_metadata_info()").fetchall()
    }
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]
    for table in tables:
        rows = con.execute(
            "SELECT block_id, additional_block_ids FROM pragma_storage_info(?) "
            "WHERE persistent AND block_id >= 0",
            [table],
        ).fetchall()
        for block, extra in rows:
            blocks.add(int(block))
            blocks.update(int(b) for b in extra or ())
    return blocks


def _block_ok(file: BinaryIO, block: int, block_size: int) -> bool:
    """True when one block's stored checksum matches its bytes."""
    file.seek(HEADER_BYTES + block * block_size)
    data = file.read(block_size)
    if len(data) < block_size:
        return False  # the file ends inside a block in use
    stored = int.from_bytes(data[:8], "little")
    words = np.frombuffer(data, dtype="<u8", offset=8)
    with np.errstate(over="ignore"):
        computed = np.bitwise_xor.reduce(words * _FACTOR) ^ _SEED
    return int(computed) == stored
