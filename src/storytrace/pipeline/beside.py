"""One function run in a forked process beside the caller: the dossier's HTML rendered
while the driver writes its JSON and Markdown (``write_dossier`` with 2+ workers).

Forked, the child shares the caller's data copy-on-write: nothing is pickled, and the
210-article dossier's 1.0 s of rendering on the driver alone becomes about 0.5 s. It
forks only from a process running one Python thread (a fork beside other threads could
copy a lock one of them holds), only where ``fork`` exists, and only when the memory
available could hold a second copy of this process (the child reads the whole dossier,
and each object it reads is copied on write); otherwise :func:`start` returns ``None``
and the caller does the work itself. A child that fails,
is killed or outlives its time gives ``False`` from :meth:`Beside.succeeded`, and again
the caller does the work: the child can cost time, never change a result. It prints
nothing: its failure is the caller's to report, once.

DOCS: docs/scale.md
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from storytrace.pipeline import cpu


@dataclass(slots=True)
class Beside:
    """A forked child running one function; the caller waits with :meth:`succeeded`."""

    pid: int
    name: str
    reaped: bool = False

    def succeeded(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds; ``True`` when the function returned in the child.

        The child's CPU seconds go to the active CPU ledger as one task named ``name``.
        """
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self._reaped(usage.ru_utime + usage.ru_stime)
                return os.waitstatus_to_exitcode(status) == 0
            if time.monotonic() > deadline:
                self.stop()
                return False
            time.sleep(0.002)

    def stop(self) -> None:
        """Kill the child (if still running) and reap it."""
        if self.reaped:
            return
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:  # pragma: no cover - it ended meanwhile
            pass
        _pid, _status, usage = os.wait4(self.pid, 0)
        self._reaped(usage.ru_utime + usage.ru_stime)

    def _reaped(self, seconds: float) -> None:
        self.reaped = True
        ledger = cpu.active()
        if ledger is not None:
            ledger.add_task(self.name, seconds)
            ledger.task_ended()


def room_for_a_copy() -> bool:
    """Whether the memory available (``MemAvailable``) exceeds this process's resident
    size; ``False`` where either is unknown."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        available = int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError, IndexError):
        return False
    return available > resident


def start(name: str, work: Callable[[], object]) -> Beside | None:
    """Run ``work`` in a forked child; ``None`` when this process should not fork."""
    if not hasattr(os, "fork") or threading.active_count() > 1 or not room_for_a_copy():
        return None
    ledger = cpu.active()
    if ledger is not None:
        ledger.task_started()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (EAGAIN, ENOMEM): the caller does the work
        if ledger is not None:
            ledger.task_ended()
        return None
    if pid == 0:  # pragma: no cover - the child; coverage does not follow it
        code = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's
            work()
            code = 0
        except BaseException:  # the caller redoes the work, and reports its failure
            pass
        finally:
            os._exit(code)
    return Beside(pid, name)
