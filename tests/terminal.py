"""Run a real command under a pseudo-terminal, as a person at a terminal runs it.

The CLI decides what to draw (live bars, colours, widths) from whether stderr is
a terminal and from ``TERM``/``NO_COLOR``/the window size, so a test that captures
output through pipes never sees what a user sees. :func:`run_in_pty` gives the
child a real pty (stdin, stdout and stderr) of a chosen size and reads what it
writes until it exits.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The installed console script next to the interpreter running the tests.
STORYTRACE = str(Path(sys.executable).with_name("storytrace"))

_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


@dataclass(frozen=True)
class PtyRun:
    returncode: int
    output: bytes  # everything written to the terminal, escape sequences included

    @property
    def text(self) -> str:
        """What the terminal showed, with the terminal's own escape sequences removed."""
        return _ANSI.sub("", self.output.decode("utf-8", "replace")).replace("\r", "")


@dataclass(frozen=True)
class Terminal:
    """The terminal a person sits at: its width, ``TERM`` and any other variables (``NO_COLOR``)."""

    columns: int = 80
    term: str = "xterm-256color"
    extra: tuple[tuple[str, str], ...] = ()

    def env(self) -> dict[str, str]:
        """The test's environment as a terminal session has it: no CI hints, no COLUMNS."""
        hints = ("COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "CI")
        env = {k: v for k, v in os.environ.items() if k not in hints}
        return {**env, "TERM": self.term, **dict(self.extra)}


def run_in_pty(
    argv: Sequence[str],
    *,
    terminal: Terminal = Terminal(),
    cwd: Path | None = None,
    timeout: float = 600,
    until: Callable[[bytes], bool] | None = None,
) -> PtyRun:
    """Run ``argv`` with a pty of ``terminal.columns`` x 24 as its terminal; wait for it to exit.

    With ``until``, the child is sent SIGINT (Ctrl-C, as a person stops a server)
    once the output so far satisfies it. A child still running at ``timeout`` is
    killed and the test fails.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, terminal.columns, 0, 0))
    child = subprocess.Popen(
        list(argv),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=terminal.env(),
        cwd=cwd,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    output = bytearray()
    deadline = time.monotonic() + timeout
    interrupted = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    chunk = b""
                if not chunk:
                    break
                output += chunk
            elif child.poll() is not None:
                break
            if until is not None and not interrupted and until(bytes(output)):
                child.send_signal(signal.SIGINT)
                interrupted = True
        else:
            child.kill()
            raise AssertionError(
                f"{argv} still running after {timeout} s: {bytes(output)[-2000:]!r}"
            )
        return PtyRun(child.wait(timeout=60), bytes(output))
    finally:
        os.close(master)
        if child.poll() is None:
            child.kill()
