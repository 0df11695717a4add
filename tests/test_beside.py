"""The dossier's HTML rendered in a forked process beside the driver (issue #27): the same
files as in one process, and a child that fails costs time, never the result.

Forking happens only from a process running one Python thread, so each case runs in a
fresh interpreter, as `storytrace analyze` does (this test session has threads of its own).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers import SEEDS

from storytrace.records import codec


def _python(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


WRITE_BOTH = """
import json, sys
from storytrace import api
from storytrace.pipeline import cpu
dossier = api.analyze([sys.argv[1]], workers=1)
with cpu.measuring() as ledger:
    api.write_dossier(dossier, sys.argv[2] + "/two", workers=2)
api.write_dossier(dossier, sys.argv[2] + "/one", workers=1)
print(json.dumps(ledger.tasks))
"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.model
def test_the_html_rendered_beside_is_the_same_bytes(tmp_path: Path) -> None:
    tasks = json.loads(_python(WRITE_BOTH, str(SEEDS), str(tmp_path)).splitlines()[-1])
    assert tasks == {"render html": 1}  # it did fork
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert sorted(_files(tmp_path / "two")) == ["dossier.html", "dossier.json", "dossier.md"]


CHILDREN = """
import json, sys, threading
from pathlib import Path
from storytrace.pipeline import beside, cpu

mark = Path(sys.argv[1])
out = {}
with cpu.measuring() as ledger:
    child = beside.start("work", lambda: mark.write_text("x"))
    out["returned"] = child is not None and child.succeeded(60)
out["tasks"] = ledger.tasks

def fail():
    raise OSError(28, "No space left on device")

child = beside.start("fails", fail)
out["raised"] = child is not None and child.succeeded(60)
hangs = beside.start("hangs", lambda: threading.Event().wait())
out["hung"] = hangs is not None and hangs.succeeded(0.2)
out["reaped"] = hangs is not None and hangs.reaped
stop = threading.Event()
other = threading.Thread(target=stop.wait)
other.start()
out["beside a thread"] = beside.start("work", lambda: None) is not None
stop.set()
other.join()
out["room"] = beside.room_for_a_copy()
print(json.dumps(out))
"""


def test_a_child_returns_fails_or_hangs_and_the_caller_knows(tmp_path: Path) -> None:
    out = json.loads(_python(CHILDREN, str(tmp_path / "done")).splitlines()[-1])
    assert (tmp_path / "done").read_text() == "x"
    assert out["returned"] is True and out["tasks"] == {"work": 1}  # its CPU is counted
    assert out["raised"] is False  # the caller redoes the work
    assert out["hung"] is False and out["reaped"] is True  # killed and reaped, no zombie
    assert out["beside a thread"] is False  # never forks beside another thread
    assert out["room"] is True  # a small process on this machine has room for a copy


def test_the_json_text_is_what_the_standard_library_writes() -> None:
    data = {
        "b": [1, 2.5, 0.1, 1e16, -0.0, None, True],
        "a": {"é": "line\nbreak \u2028 \x00 😀", "z": {}, "y": []},
        "Z": "<script>&</script>",
    }
    assert (
        codec.dumps(data) == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
    )


def test_what_orjson_refuses_is_written_by_the_standard_library() -> None:
    for data in ({"n": 2**70}, {"s": "\ud800"}):
        assert (
            codec.dumps(data)
            == json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2) + "\n"
        )
