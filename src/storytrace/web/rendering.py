"""The one-page dossier rendered in a child process, one at a time, for the current state only.

Reading the whole analysis and rendering it takes tens of seconds at 10,000 articles
(91 s); in a thread of ``serve`` it held the interpreter, and story pages took up to
3.4 s meanwhile. ``Renders`` runs it as ``python -m storytrace.web.render_job`` instead
and follows its progress through the lines it prints.

* **One at a time, the current state only.** States are ordered by the corrections
  they include (corrections are only ever added). Asking for a newer state drops the
  render running for an older one (the process is killed and waited for before the
  next one starts), so several corrections in a row run at most one render at a time,
  and a render of a state no longer current never writes its file. A request that
  still names an older state starts nothing.
* **What the child reads.** A store ``serve`` opened read-only is opened read-only by
  the child too (DuckDB lets several processes read). A store open for writing
  (``serve --allow-edits``) cannot be opened by another process, so the tables the
  dossier needs are first copied into a snapshot file beside the cache (DuckDB copies
  them without holding the interpreter), which the child reads and which is removed
  after.
* **Leftovers.** Files are written under a temporary name carrying the writer's
  process id (``.NAME.PID.partial``) and renamed when complete; ``clean_partials``
  removes, at start, those whose process is gone (a killed server).

DOCS: docs/web.md
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass, field
from pathlib import Path
from typing import ClassVar

import storytrace
from storytrace.records.corrections import Correction
from storytrace.store import Store
from storytrace.web.render_job import STEPS, partial_path

_log = logging.getLogger(__name__)

#: Bookkeeping tables the dossier does not read: left empty in a snapshot.
_NOT_SNAPSHOTTED = frozenset({"terms", "doc_parses", "fetches"})
_PARTIAL = re.compile(r"\.(\d+)(?:\.\d+)?\.partial(?:\.wal)?$")


@dataclass(frozen=True, slots=True)
class Rendering:
    """How far the single-file dossier of one state has got.

    Attributes:
        step (int): the step running (1: read the analysis, 2: render, 3: write), or
            4 when done.
        path (Path | None): the file, once written.
        error (str | None): why it failed, if it did.
        started (float): ``time.monotonic()`` when it started.
        pid (int | None): the rendering process, while it runs.
    """

    step: int
    path: Path | None = None
    error: str | None = None
    started: float = 0.0
    pid: int | None = None

    STEPS: ClassVar[tuple[str, ...]] = STEPS

    @property
    def what(self) -> str:
        if self.error:
            return f"failed: {self.error}"
        if self.path is not None:
            return "ready"
        step = min(max(self.step, 1), len(self.STEPS))
        return f"{self.STEPS[step - 1]} (step {step} of {len(self.STEPS)})"


@dataclass(frozen=True, slots=True)
class Wanted:
    """One state's render, as asked for.

    Attributes:
        key (str): the state's digest.
        path (Path): the dossier file to write.
        fixes (tuple[Correction, ...]): the corrections of the state (every row).
        order (int): the state's place: the id of its newest correction.
        snapshot (Callable[[], Store] | None): for a store open for writing, which the
            child cannot open, a reader of it: the tables are copied for the child first.
    """

    key: str
    path: Path
    fixes: tuple[Correction, ...]
    order: int
    snapshot: Callable[[], Store] | None = None


@dataclass(eq=False)
class _Job:
    wanted: Wanted
    previous: _Job | None
    dropped: bool = False
    proc: subprocess.Popen[str] | None = None
    finished: threading.Event = field(default_factory=threading.Event)


class Renders:
    """The dossier files of a ``serve``: at most one child process rendering at a time."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.lock = threading.Lock()  # guards the fields below
        self._states: dict[str, Rendering] = {}
        self._job: _Job | None = None
        self._newest = -1
        #: Every render process started and ended, in order: ``("start", key, pid, None)``,
        #: ``("end", key, pid, exit status)`` (a dropped one ends killed: ``-9``).
        self.log: list[tuple[str, str, int, int | None]] = []
        atexit.register(self.stop)

    def get(self, wanted: Wanted) -> Rendering:
        """How far ``wanted``'s file has got; starts its render when neither written nor
        running (a failed one is tried again), dropping the render of an older state."""
        with self.lock:
            job = self._job
            if wanted.order < self._newest:  # asked by a request older than a correction
                if job is not None and job.wanted.key in self._states:
                    return self._states[job.wanted.key]
                return Rendering(1, started=time.monotonic())
            self._newest = wanted.order
            stale = job if job is not None and job.wanted.key != wanted.key else None
            if stale is not None:
                self._drop(stale)
                job = self._job = None
            known = self._states.get(wanted.key)
            if known is not None and known.path is not None and known.path.exists():
                return known
            if known is not None and known.error is None and job is not None:
                return known  # running
            if wanted.path.exists():
                done = Rendering(4, wanted.path)
                self._states[wanted.key] = done
                return done
            running = Rendering(1, started=time.monotonic())
            self._states[wanted.key] = running
            new = self._job = _Job(wanted, stale or job)
        threading.Thread(
            target=self._run, args=(new,), name="storytrace-dossier", daemon=True
        ).start()
        return running

    def stop(self) -> None:
        """Drop the render running, if any (the server is stopping)."""
        with self.lock:
            if self._job is not None:
                self._drop(self._job)
                self._job = None

    def _drop(self, job: _Job) -> None:
        """Stop a render no longer wanted (the lock is held): its file is never written."""
        job.dropped = True
        self._states.pop(job.wanted.key, None)
        if job.proc is not None and job.proc.poll() is None:
            job.proc.kill()

    # --- one job, in its own thread ---------------------------------------------------

    def _run(self, job: _Job) -> None:
        wanted, snapshot, reader = job.wanted, None, None
        try:
            if job.previous is not None:
                job.previous.finished.wait()  # one child at a time
            if job.dropped:
                return
            if wanted.snapshot is not None:
                snapshot = partial_path(wanted.path.with_suffix(".duckdb"), os.getpid())
                reader = wanted.snapshot()
                take_snapshot(reader, snapshot)
            self._follow(job, snapshot or self.db)
        except Exception as exc:
            _log.error("rendering the dossier failed: %s", exc, exc_info=exc)
            self._set(job, Rendering(0, error=str(exc) or type(exc).__name__))
        finally:
            if reader is not None:
                reader.close()
            if snapshot is not None:
                for path in (snapshot, snapshot.with_name(snapshot.name + ".wal")):
                    path.unlink(missing_ok=True)
            if job.proc is not None:
                status = job.proc.wait()
                partial_path(wanted.path, job.proc.pid).unlink(missing_ok=True)
                with self.lock:
                    self.log.append(("end", wanted.key, job.proc.pid, status))
            job.finished.set()

    def _follow(self, job: _Job, db: Path) -> None:
        """Start the child on ``db`` and follow its steps to the end."""
        wanted, started = job.wanted, time.monotonic()
        with self.lock:
            if job.dropped:
                return
            job.proc = proc = _start(db, wanted.path)
            self.log.append(("start", wanted.key, proc.pid, None))
            self._states[wanted.key] = Rendering(1, started=started, pid=proc.pid)
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps([astuple(c) for c in wanted.fixes]))
            proc.stdin.close()
        except BrokenPipeError:
            pass  # it died at once: its exit status says so below
        error = None
        for line in proc.stdout:
            kind, _, rest = line.strip().partition(" ")
            if kind == "step" and rest.isdigit() and int(rest) < 4:
                self._set(job, Rendering(int(rest), started=started, pid=proc.pid))
            elif kind == "error":
                error = rest
        status = proc.wait()
        if status == 0 and wanted.path.exists():
            self._set(job, Rendering(4, wanted.path, started=started))
            _tidy_files(wanted.path)
        else:
            self._set(job, Rendering(0, error=error or f"the rendering process ended ({status})"))

    def _set(self, job: _Job, rendering: Rendering) -> None:
        with self.lock:
            if not job.dropped:
                self._states[job.wanted.key] = rendering
            if rendering.step in (0, 4) and self._job is job:
                self._job = None


def _start(db: Path, out: Path) -> subprocess.Popen[str]:
    """``python -m storytrace.web.render_job`` on this storytrace's own source."""
    env = dict(os.environ)
    root = str(Path(storytrace.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "storytrace.web.render_job", "--db", str(db),
               "--out", str(out), "--parent", str(os.getpid())]  # fmt: skip
    return subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
    )


def take_snapshot(reader: Store, target: Path) -> None:
    """Copy what the dossier reads of an open store into a new DuckDB file ``target``
    (bookkeeping tables empty), for a process that cannot open the store itself."""
    target.unlink(missing_ok=True)
    con = reader.con
    alias = f"snapshot_{os.getpid()}_{threading.get_ident()}"
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = "
            "current_database() AND table_schema = 'main' AND table_type = 'BASE TABLE'"
        ).fetchall()
    ]
    con.execute(f"ATTACH '{_sql_text(target)}' AS {alias}")
    try:
        for table in tables:
            limit = " LIMIT 0" if table in _NOT_SNAPSHOTTED else ""
            con.execute(f'CREATE TABLE {alias}."{table}" AS SELECT * FROM "{table}"{limit}')
    finally:
        con.execute(f"DETACH {alias}")


def _sql_text(path: Path) -> str:
    return str(path).replace("'", "''")


def clean_partials(folder: Path) -> list[Path]:
    """Remove temporary files (``.NAME.PID.partial``) in ``folder`` and its subfolders
    whose writing process is gone; returns those removed."""
    removed = []
    for path in (*folder.glob(".*.partial*"), *folder.glob("*/.*.partial*")):
        found = _PARTIAL.search(path.name)
        if found is None or _alive(int(found.group(1))):
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # ours from before a restart with the same id: nothing of ours writes yet
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _tidy_files(keep: Path) -> None:
    """Remove dossier files of older states, keeping ``keep`` and the newest other one."""
    others = sorted(
        (p for p in keep.parent.glob("dossier-*") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[1:]:
        old.unlink(missing_ok=True)
