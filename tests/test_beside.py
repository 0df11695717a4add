"""The dossier's HTML rendered in a forked process beside the driver (issue #27): the same
files as in one process, and a child that fails costs time, never the result."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from storytrace import api
from storytrace.pipeline import beside, cpu
from storytrace.records import Dossier, codec


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.model
def test_the_html_rendered_beside_is_the_same_bytes(seed_dossier: Dossier, tmp_path: Path) -> None:
    with cpu.measuring() as ledger:
        api.write_dossier(seed_dossier, tmp_path / "two", workers=2)
    api.write_dossier(seed_dossier, tmp_path / "one", workers=1)
    assert ledger.tasks.get("render html") == 1  # it did fork
    assert _files(tmp_path / "two") == _files(tmp_path / "one")
    assert sorted(_files(tmp_path / "two")) == ["dossier.html", "dossier.json", "dossier.md"]


def test_a_child_that_returns_succeeds_and_its_cpu_is_counted(tmp_path: Path) -> None:
    mark = tmp_path / "done"
    with cpu.measuring() as ledger:
        child = beside.start("work", lambda: mark.write_text("x"))
        assert child is not None
        assert child.succeeded(60)
    assert mark.read_text() == "x"
    assert ledger.tasks == {"work": 1}


def test_a_child_that_raises_or_hangs_reports_failure(tmp_path: Path) -> None:
    def fail() -> None:
        raise OSError(28, "No space left on device")

    child = beside.start("fails", fail)
    assert child is not None and child.succeeded(60) is False

    hangs = beside.start("hangs", lambda: threading.Event().wait())
    assert hangs is not None and hangs.succeeded(0.2) is False
    assert hangs.reaped  # killed and reaped, no zombie left


def test_no_fork_beside_other_threads() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert beside.start("work", lambda: None) is None
    finally:
        stop.set()
        other.join()


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


def test_it_forks_only_with_room_for_a_copy_of_the_process() -> None:
    assert beside.room_for_a_copy()  # this test process is far smaller than the machine
