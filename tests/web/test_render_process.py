"""The one-page dossier renders in a child process: pages answer meanwhile, corrections in a
row run one current render, and a killed server's unfinished files are removed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.servers import served

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.web import browse_db
from storytrace.web.app import CSRF_COOKIE, create_app
from storytrace.web.rendering import Renders


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("render") / "s.duckdb"
    api.ingest([seeds_dir], db)  # with the analysis
    return db


def _copy(db: Path, folder: Path) -> Path:
    target = folder / db.name
    shutil.copy(db, target)
    return target


def _wait(what: Any, seconds: float = 300) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = what()
        if found:
            return found
        time.sleep(0.1)
    raise AssertionError("waited in vain")


def _render_pid(renders: Renders, after: int = 0) -> tuple[str, int]:
    """The state and process of the first render started after the first ``after`` ones."""

    def started() -> tuple[str, int] | None:
        runs = [(key, pid) for kind, key, pid, _ in renders.log if kind == "start"]
        return runs[after] if len(runs) > after else None

    found: tuple[str, int] = _wait(started)
    return found


@contextmanager
def _stopped(pid: int) -> Iterator[None]:
    """The process ``pid`` stopped (SIGSTOP) in the middle of its work, then let go on."""
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        try:
            os.kill(pid, signal.SIGCONT)
        except ProcessLookupError:
            pass


def _full(url: str) -> httpx.Response:
    def ready() -> httpx.Response | None:
        response = httpx.get(f"{url}/dossier/full", timeout=60)
        assert response.status_code in (200, 503), response.text
        return response if response.status_code == 200 else None

    found: httpx.Response = _wait(ready)
    return found


def _command(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


@pytest.mark.model
def test_pages_answer_while_another_process_renders_the_dossier(
    analysed: Path, tmp_path: Path
) -> None:
    """While the one-page dossier renders (its process held stopped here), story, claim,
    article, source, table and index pages answer over a real socket, and
    ``/dossier/full`` says it is not ready; the render is a process of its own."""
    db = _copy(analysed, tmp_path)
    whole = api.dossier_from_store(db)
    claim = next(c for c in whole.claims if len(c.doc_ids) > 1)
    speaker = next(m.speaker for c in whole.claims for m in c.mentions if m.speaker)
    app = create_app(db)
    renders = app.state.analysis.renders
    with served(app, warm="") as url:
        _, pid = _render_pid(renders)  # the server started it (start-up warming)
        assert pid != os.getpid() and "storytrace.web.render_job" in _command(pid)
        with _stopped(pid):
            waiting = httpx.get(f"{url}/dossier/full", timeout=60)
            assert waiting.status_code == 503 and waiting.headers["retry-after"] == "5"
            assert "(step " in waiting.text
            for path in (
                f"/story/{claim.story_id}", f"/claim/{claim.claim_id}", f"/doc/{claim.doc_ids[0]}",
                f"/source/{browse_db.source_id(speaker)}", "/data/storytrace/quotes?_facet=outlet",
                "/dossier", "/?q=Iran",
            ):  # fmt: skip
                assert httpx.get(url + path, timeout=60).status_code == 200, path
            assert httpx.get(f"{url}/api/stories").json()["dossier"]["ready"] is False
        full = _full(url)
    assert "provenance" in full.text and claim.text.split()[0] in full.text
    assert [(kind, pid_) for kind, _, pid_, _ in renders.log] == [("start", pid), ("end", pid)]


def _correct(url: str, client: httpx.Client, token: str, key: str, after: str) -> None:
    fix = {"csrf": token, "kind": "mention_stance", "target": key, "after": after,
           "who": "A. Reporter", "why": "test"}  # fmt: skip
    made = client.post(f"{url}/corrections", data=fix, headers={"Origin": url})
    assert made.status_code == 303, made.text


@pytest.mark.model
def test_two_corrections_in_a_row_give_one_current_render(analysed: Path, tmp_path: Path) -> None:
    """A correction starts the render of the new state; a second one before it is done
    drops it (killed, its file never written) and renders the newest state only: never
    two render processes at once."""
    db = _copy(analysed, tmp_path)
    app = create_app(db, allow_edits=True)
    renders = app.state.analysis.renders
    with served(app, warm="") as url:
        first = _full(url)  # the state before any correction
        claim = httpx.get(f"{url}/api/claims/c1").json()
        key = claim["mentions"][0]["key"]
        with httpx.Client() as client:
            client.get(f"{url}/corrections").raise_for_status()
            token = client.cookies[CSRF_COOKIE]
            _correct(url, client, token, key, "negated")
            one, pid = _render_pid(renders, after=1)
            with _stopped(pid):  # still rendering when the second correction comes
                _correct(url, client, token, key, "affirmed")
                two, _ = _render_pid(renders, after=2)
        full = _full(url)
        listed = httpx.get(f"{url}/api/corrections").json()["corrections"]
    assert [c["after"] for c in listed] == ["affirmed", "negated"]  # newest first
    assert one != two and first.text != full.text
    events = [(kind, state) for kind, state, _, _ in renders.log]
    assert events[0][1] != one and events[2:] == [
        ("start", one), ("end", one), ("start", two), ("end", two),
    ]  # fmt: skip
    dropped = [status for kind, state, _, status in renders.log if kind == "end" and state == one]
    assert dropped == [-signal.SIGKILL]
    folder = app.state.analysis.folder
    assert not (folder / f"dossier-{one}.html").exists()
    assert (folder / f"dossier-{two}.html").exists()
    assert not list(folder.glob(".*partial*"))  # the snapshot for the child is gone too


def test_a_killed_servers_unfinished_files_are_removed_at_start(
    tmp_path: Path, seeds_dir: Path
) -> None:
    """``.partial`` files left in the cache by a server that was killed (its process gone)
    are removed when ``serve`` starts; one whose writer still runs is left alone."""
    db = tmp_path / "s.duckdb"
    api.ingest([seeds_dir], db, AnalyzeConfig(corpus_stages=()))
    folder = tmp_path / ".s.duckdb.cache"
    (folder / "base-0123").mkdir(parents=True)
    dead = _ended_pid()
    leftovers = [
        folder / f".dossier-0123.html.{dead}.partial",
        folder / f".dossier-0123.duckdb.{dead}.partial",
        folder / f".dossier-0123.duckdb.{dead}.partial.wal",
        folder / "base-0123" / f".storytrace.db.{dead}.140000.partial",
    ]
    with subprocess.Popen(["sleep", "60"]) as writer:
        busy = folder / f".dossier-4567.html.{writer.pid}.partial"
        for path in (*leftovers, busy):
            path.write_text("half a page")
        kept = folder / "dossier-0123.html"
        kept.write_text("a whole page")
        create_app(db)
        assert [p for p in leftovers if p.exists()] == []
        assert busy.exists() and kept.exists()
        writer.kill()


def _ended_pid() -> int:
    """The id of a process that has ended (and is no longer anyone's)."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    try:
        os.kill(proc.pid, 0)
    except ProcessLookupError:
        return proc.pid
    raise AssertionError("the process id was taken again at once")


@pytest.mark.model
def test_the_corrected_whole_dossier_is_read_once_per_state(analysed: Path, tmp_path: Path) -> None:
    """While a correction moves an article between stories, pages use the whole dossier
    with the corrections laid over: it is made once per state and kept, and made again
    for the next state."""
    from storytrace.records.corrections import Draft

    db = _copy(analysed, tmp_path)
    whole = api.dossier_from_store(db)
    moved = whole.stories[0].doc_ids[-1]
    app = create_app(db, allow_edits=True)
    analysis = app.state.analysis
    analysis.view.correct(Draft("story_move", moved, "", "", "A. Reporter", "its own event"))
    first = analysis.dossier()
    assert analysis.dossier() is first and not analysis.reads_stories()
    own = next(s for s in first.stories if moved in s.doc_ids)
    assert own.doc_ids == (moved,)  # the article is a story of its own
    analysis.view.undo(1, "A. Reporter", "it was not")
    second = analysis.dossier()
    assert second is not first and analysis.dossier() is second
    assert analysis.reads_stories()
