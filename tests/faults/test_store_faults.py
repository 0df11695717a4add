"""Faults of the store's file and disk are one ``ST1xx`` line, exit 3, and the store untouched
(issue #29). Every fault is real: a zeroed or flipped block of a real store, a read-only
file or folder for an unprivileged user, a full file system (a small tmpfs), an SQLite
file; the CLI runs as a subprocess."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from tests.helpers import REPO, SEEDS

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.store import Store
from storytrace.store.faults import HEADER_BYTES, corrupt_blocks

DOCS_ONLY = AnalyzeConfig(corpus_stages=())
NOBODY = 65534
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path])}


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``storytrace ARGS`` in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "storytrace", *args],
        capture_output=True, text=True, timeout=300, env=ENV,
    )  # fmt: skip


def _one_error_line(done: subprocess.CompletedProcess[str], code: str) -> str:
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 3, done.stderr
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"error [{code}]"), lines[0]
    assert "Traceback" not in done.stderr
    return lines[0]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _block_size(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        row = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()
        assert row is not None
        return int(row[0])
    finally:
        con.close()


def _blocks_of(db: Path, table: str) -> set[int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT block_id FROM pragma_storage_info(?) WHERE block_id >= 0", [table]
        ).fetchall()
        return {int(r[0]) for r in rows}
    finally:
        con.close()


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store of the seeds (documents, search index, diagnostics)."""
    db = tmp_path_factory.mktemp("good") / "s.duckdb"
    api.ingest([SEEDS], db, config=DOCS_ONLY)
    return db


@pytest.fixture
def new_article(tmp_path: Path) -> Path:
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "bridge.txt").write_text(
        "The harbour bridge reopens on Monday. The mayor said repairs were finished on time, "
        "and officials confirmed the schedule on Friday.",
        encoding="utf-8",
    )
    return folder


def _damaged(good: Path, tmp_path: Path, damage: Callable[[bytearray, int], None]) -> Path:
    db = tmp_path / "damaged.duckdb"
    data = bytearray(good.read_bytes())
    damage(data, _block_size(good))
    db.write_bytes(bytes(data))
    return db


def test_a_zeroed_search_index_block_is_refused_before_any_write(
    good_store: Path, tmp_path: Path, new_article: Path
) -> None:
    """Before: ingest appended into a store whose search index had a zeroed block, exit 0."""
    (block,) = sorted(_blocks_of(good_store, "terms"))[:1]

    def zero(data: bytearray, size: int) -> None:
        start = HEADER_BYTES + block * size
        data[start : start + size] = bytes(size)

    db = _damaged(good_store, tmp_path, zero)
    before = _digest(db)
    line = _one_error_line(_cli("ingest", str(new_article), "--db", str(db), "-q"), "ST145")
    assert f"block {block}" in line
    assert _digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.duckdb", "new"]  # no .wal


def test_a_zeroed_catalog_block_is_corrupt_not_locked(
    good_store: Path, tmp_path: Path, new_article: Path
) -> None:
    """Before: DuckDB's "...in block at..." matched "lock", and a corrupt store was "in use"."""

    def zero_first(data: bytearray, size: int) -> None:
        data[HEADER_BYTES : HEADER_BYTES + size] = bytes(size)

    db = _damaged(good_store, tmp_path, zero_first)
    before = _digest(db)
    _one_error_line(_cli("ingest", str(new_article), "--db", str(db), "-q"), "ST145")
    _one_error_line(_cli("report", "--db", str(db), "--out", str(tmp_path / "out")), "ST145")
    assert _digest(db) == before


def test_a_flipped_bit_in_the_documents_is_one_line_for_writers_and_readers(
    good_store: Path, tmp_path: Path, new_article: Path
) -> None:
    (block,) = sorted(_blocks_of(good_store, "documents"))[:1]

    def flip(data: bytearray, size: int) -> None:
        data[HEADER_BYTES + block * size + size // 3] ^= 0x10

    db = _damaged(good_store, tmp_path, flip)
    before = _digest(db)
    with Store(good_store, read_only=True) as store:
        assert corrupt_blocks(store.con, good_store) == []
    line = _one_error_line(_cli("ingest", str(new_article), "--db", str(db), "-q"), "ST145")
    assert f"block {block}" in line
    # a reader meets the block when it reads the documents: the same one line
    _one_error_line(_cli("report", "--db", str(db), "--out", str(tmp_path / "out")), "ST145")
    assert _digest(db) == before


def _mount_tmpfs(size: str) -> Path | None:
    """A small tmpfs of ``size``, or ``None`` where mounting is not allowed."""
    mount = Path(tempfile.mkdtemp(prefix="storytrace-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        mount.rmdir()
        return None
    return mount


def _unmount(mount: Path) -> None:
    subprocess.run(["umount", str(mount)], check=False)
    mount.rmdir()


def _read_only(path: Path, mode: int) -> Callable[[], None]:
    """Make ``path`` unwritable, even for root (``chattr +i``); return the undo."""
    if os.geteuid() != 0:
        path.chmod(mode)
        return lambda: path.chmod(0o755 if path.is_dir() else 0o644)
    subprocess.run(["chattr", "+i", str(path)], check=True)
    return lambda: subprocess.run(["chattr", "-i", str(path)], check=True) and None


@pytest.mark.parametrize("locked", ["file", "folder", "file system"])
def test_a_read_only_store_is_one_line_and_not_called_corrupt(
    good_store: Path, tmp_path: Path, new_article: Path, locked: str
) -> None:
    """Before: two chained tracebacks (folder), or "may be corrupt" (file)."""
    mount = _mount_tmpfs("8m") if locked == "file system" else None
    if locked == "file system" and mount is None:
        pytest.skip("cannot mount a tmpfs here")
    folder = mount or tmp_path / "store"
    folder.mkdir(exist_ok=True)
    db = folder / "s.duckdb"
    shutil.copy(good_store, db)
    undo: Callable[[], object] = lambda: None  # noqa: E731
    try:
        if mount is not None:
            subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        else:
            undo = _read_only(
                db if locked == "file" else folder, 0o444 if locked == "file" else 0o555
            )
        before = _digest(db)
        line = _one_error_line(_cli("ingest", str(new_article), "--db", str(db), "-q"), "ST147")
        assert "corrupt" not in line
        assert ("folder" if locked == "folder" else "file") in line
        assert _digest(db) == before
        assert sorted(p.name for p in folder.iterdir()) == ["s.duckdb"]  # no journal
        # a read-only store is still a store: it is read (an export reads every document)
        read = _cli("export", "--db", str(db), "--out", str(tmp_path / "out"))
        assert read.returncode == 0, read.stderr
        assert (tmp_path / "out" / "documents.parquet").exists()
    finally:
        undo()
        if mount is not None:
            _unmount(mount)


AS_NOBODY = """
import os, sys
from storytrace.errors import StoreError
from storytrace.store import Store
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
try:
    Store(sys.argv[1]).close()
except StoreError as exc:
    print(exc.code, exc.message)
"""


def test_a_store_another_user_owns_is_refused_for_writing() -> None:
    """Permissions as an unprivileged user meets them (the process drops root first)."""
    if os.geteuid() != 0:
        pytest.skip("needs root to become another user")
    base = Path(tempfile.mkdtemp(prefix="storytrace-perm-"))  # outside root's private tmp
    try:
        base.chmod(0o755)
        db = base / "s.duckdb"
        with Store(db) as store:
            store.add([])
        before = _digest(db)
        done = subprocess.run(
            [sys.executable, "-c", AS_NOBODY, str(db)],
            capture_output=True, text=True, timeout=120, env=ENV,
        )  # fmt: skip
        assert done.stdout.startswith("ST147"), done.stdout + done.stderr
        assert _digest(db) == before
    finally:
        shutil.rmtree(base)


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 1.8 MB tmpfs: a real full file system. Skipped where mounting is not allowed."""
    mount = _mount_tmpfs("1800k")
    if mount is None:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        yield mount
    finally:
        _unmount(mount)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """40 distinct articles made from the seeds."""
    folder = tmp_path_factory.mktemp("corpus")
    seeds = sorted(SEEDS.glob("*.txt"))
    for i in range(40):
        text = seeds[i % len(seeds)].read_text(encoding="utf-8")
        (folder / f"{i:03d}.txt").write_text(f"Bulletin {i} from the wire desk.\n{text}")
    return folder


def test_a_full_disk_during_ingest_is_one_line_and_resumes(
    good_store: Path, small_disk: Path, corpus: Path
) -> None:
    """Before: two chained tracebacks, exit 1 (the failed COMMIT, then a failed ROLLBACK)."""
    db = small_disk / "s.duckdb"
    shutil.copy(good_store, db)
    with Store(good_store, read_only=True) as store:
        kept = {d.doc_id: d for d in store.documents()}
    done = _cli("ingest", str(corpus), "--db", str(db), "-q", "--no-analysis", "--batch-size", "5")
    assert done.stderr
    _one_error_line(done, "ST146")
    with Store(db, read_only=True) as store:
        stored = {d.doc_id: d for d in store.documents()}
        assert corrupt_blocks(store.con, db) == []
    assert {k: stored[k] for k in kept} == kept  # what was stored before is whole
    assert (len(stored) - len(kept)) % 5 == 0 and len(stored) < len(kept) + 40  # whole batches
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    again = _cli("ingest", str(corpus), "--db", str(db), "-q", "--no-analysis")
    assert again.returncode == 0, again.stderr
    with Store(db, read_only=True) as store:
        assert store.count() == len(kept) + 40


def test_an_sqlite_file_as_db_is_refused_before_duckdb_opens_it(tmp_path: Path) -> None:
    db = tmp_path / "notes.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = _digest(db)
    home = tmp_path / "home"  # where DuckDB would keep a downloaded extension
    home.mkdir()
    env_home = {"HOME": str(home)}
    for args in (("ingest", str(SEEDS), "--db", str(db), "-q"), ("stories", "--db", str(db))):
        done = subprocess.run(
            [sys.executable, "-m", "storytrace", *args],
            capture_output=True, text=True, timeout=300, env={**ENV, **env_home},
        )  # fmt: skip
        line = _one_error_line(done, "ST140")
        assert "SQLite" in line
    assert _digest(db) == before
    assert list(home.iterdir()) == []  # no ~/.duckdb/extensions


def test_duckdb_connections_are_made_in_one_place_with_extensions_off() -> None:
    """Every DuckDB connection of the package is the store's, opened with auto-install and
    auto-load off (cursors share their connection's settings)."""
    src = REPO / "src" / "storytrace"
    opened = sorted(
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if "duckdb.connect(" in path.read_text(encoding="utf-8")
    )
    assert opened == ["store/duck.py"]
    text = (src / "store" / "duck.py").read_text(encoding="utf-8")
    assert text.count("duckdb.connect(") == 1
    assert '"autoinstall_known_extensions": False' in text
    assert '"autoload_known_extensions": False' in text
