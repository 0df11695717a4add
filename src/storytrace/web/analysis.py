"""What ``serve`` shows of a store's analysis, built once per store state and cached beside it.

A *state* is the stored analysis (its ``runs`` row) plus the corrections made
over it. For each state the app keeps:

* **the browsing database** (``browse_db.build_sqlite_from_store``: the analysis tables
  copied from DuckDB in chunks, corrections laid over), which Datasette serves
  under ``/data/`` and which the story index (``/dossier``) and the source pages
  read by indexed queries;
* **the single-file dossier**, rendered in a child process (reading the whole
  analysis takes tens of seconds at 10,000 articles; ``web/rendering.py``) and
  served as a file from ``/dossier/full`` once written; until then that page says
  how far it got.

Both are files in a cache folder beside the store (``.<store name>.cache/``, or a
temporary folder when that cannot be written), named by a digest of the state,
so a restarted ``serve`` finds them. Story, claim and article pages never wait
for either: they read their story's rows (``api.story_from_store``).

When the store holds no current analysis (an older store, ``ingest
--no-analysis``), it is computed in memory once per state (``api.store_analysis``),
and both files are made from that dossier, in a temporary folder.

DOCS: docs/web.md
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from storytrace import __version__
from storytrace.api import analysis_current, store_analysis, story_from_store
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Document, Dossier
from storytrace.records.corrections import Correction, Draft, apply_corrections, effective
from storytrace.store import Store
from storytrace.store import corrections as stored_corrections
from storytrace.store.search import SearchFilter
from storytrace.web import browse, browse_db
from storytrace.web.rendering import Rendering, Renders, Wanted, clean_partials

_log = logging.getLogger(__name__)

#: Bumped when the browsing database's layout changes, so cached files are not reused.
BROWSE_FORMAT = "2"

#: spaCy pipelines are not thread-safe (nor is the entity stage's lazy set-up of
#: its ruler): request threads take turns for the corpus analysis. Found by the
#: load bench: concurrent article pages gave HTTP 500s.
ANALYSIS_LOCK = threading.Lock()


class StoreView:
    """The store shared by request threads (DuckDB connections are not thread-safe).

    Read-only unless ``allow_edits``; even then only corrections are written.
    """

    def __init__(self, db: Path, allow_edits: bool = False) -> None:
        self.db = db
        self.store = Store(db, read_only=not allow_edits)
        self.allow_edits = allow_edits
        self.lock = threading.Lock()

    def state_key(self) -> tuple[Any, ...]:
        """Cheap to ask: changes whenever documents, diagnostics or the analysis change."""
        with self.lock:
            docs = self.store.query("SELECT count(*), coalesce(max(batch), 0) FROM documents")
            diags = self.store.query("SELECT count(*) FROM diagnostics")
            run = self.store.analysis_run()
        stamp = (run.run_id, run.created_at, run.doc_digest) if run else None
        return (*docs[0], *diags[0], stamp)

    def corrections(self) -> tuple[Correction, ...]:
        with self.lock:
            return stored_corrections.load(self.store.con)

    def correct(self, draft: Draft) -> Correction:
        with self.lock:
            return stored_corrections.add(self.store.con, draft)

    def undo(self, correction_id: int, who: str, why: str) -> Correction:
        with self.lock:
            return stored_corrections.undo(self.store.con, correction_id, who, why)

    def search(self, q: str, flt: SearchFilter, limit: int) -> list[tuple[Document, float]]:
        with self.lock:
            hits = self.store.search(q, flt, limit)
            docs = [(self.store.document(doc_id), score) for doc_id, score in hits]
        return [(doc, score) for doc, score in docs if doc is not None]

    def document(self, doc_id: str) -> Document | None:
        with self.lock:
            return self.store.document(doc_id)

    def outlets(self) -> list[tuple[str, int]]:
        with self.lock:
            return self.store.outlets()

    def reader(self) -> Store:
        """A cursor of its own, for long reads that must not hold the lock."""
        with self.lock:
            return self.store.reader()


class Analysis:
    """The store's analysis as ``serve`` shows it: the browsing database and the dossier
    file of the current state, and one story at a time."""

    def __init__(self, view: StoreView) -> None:
        self.view = view
        self.lock = threading.Lock()  # guards the fields below
        self._build_lock = threading.Lock()  # one browsing-database build at a time
        self._base: tuple[tuple[Any, ...], Dossier] | None = None
        self._current: tuple[tuple[Any, ...], bool] | None = None
        self._browser: tuple[str, browse.Browser] | None = None
        self._corrected: tuple[str, Dossier] | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="storytrace-serve-")
        self.folder = cache_folder(view.db, Path(self._temp.name))
        for left in clean_partials(self.folder):  # a killed server's unfinished files
            _log.info("removed %s, left unfinished by a stopped server", left.name)
        self.renders = Renders(view.db)

    # --- the state ------------------------------------------------------------------

    def state(self) -> tuple[str, bool, tuple[Correction, ...]]:
        """The current state's key, whether the store's analysis is current, the corrections."""
        store_key = self.view.state_key()
        fixes = self.view.corrections()
        with self.lock:
            known = self._current if self._current and self._current[0] == store_key else None
        if known is None:
            reader = self.view.reader()
            try:
                known = (store_key, analysis_current(reader))
            finally:
                reader.close()
            with self.lock:
                self._current = known
        current = known[1]
        applied = tuple((c.id, c.kind, c.target, c.after) for c in effective(fixes))
        text = repr((__version__, BROWSE_FORMAT, store_key, current, applied))
        return _digest(text), current, fixes

    def dossier(self) -> Dossier:
        """The whole dossier with the corrections applied, once per state (slow on a large
        store: only pages of a store without a current analysis, or while a correction
        moves articles between stories, need it)."""
        key, _, fixes = self.state()
        with self.lock:
            if self._corrected is not None and self._corrected[0] == key:
                return self._corrected[1]
        corrected = apply_corrections(self._analyse(), fixes)
        with self.lock:
            self._corrected = (key, corrected)
        return corrected

    def _analyse(self) -> Dossier:
        """The analysis of the store as it is now, read (or computed) once per store state."""
        key = self.view.state_key()
        with self.lock:
            if self._base is not None and self._base[0] == key:
                return self._base[1]
        reader = self.view.reader()
        # the analysis reads through its own cursor: search and article lookups
        # (which take the view's lock) are answered while it runs
        with ANALYSIS_LOCK:
            try:
                dossier = store_analysis(reader, AnalyzeConfig())
            finally:
                reader.close()
        with self.lock:
            self._base = (key, dossier)
        return dossier

    # --- one story ------------------------------------------------------------------

    def reads_stories(self) -> bool:
        """Whether one story can be read by its rows: a current stored analysis and no
        correction moving articles between stories."""
        _, current, fixes = self.state()
        return current and not any(c.kind == "story_move" for c in effective(fixes))

    def story(self, *, doc_id: str = "", claim_id: str = "", story_id: str = "") -> Dossier | None:
        """One story (of an article, of a claim, or by its id) read by the store's indexed
        rows (milliseconds at 10,000 articles) with the corrections laid over it; ``None``
        when the store has no current analysis, no such story, or a correction moves
        articles between stories (then pages use the whole dossier)."""
        fixes = self.view.corrections()
        if any(c.kind == "story_move" for c in effective(fixes)):
            return None
        with self.view.lock:
            store = self.view.store
            found_id = story_id or store.story_of(doc_id=doc_id, claim_id=claim_id)
            found = None if found_id is None else story_from_store(store, found_id)
        return None if found is None else apply_corrections(found, fixes)

    # --- the browsing database --------------------------------------------------------

    def browse_path(self) -> Path:
        """The browsing database of the current state, built first when missing."""
        return self.browser().path

    def browser(self) -> browse.Browser:
        """The Datasette app over the current state's browsing database (built once per state)."""
        key, current, fixes = self.state()
        with self.lock:
            if self._browser is not None and self._browser[0] == key:
                return self._browser[1]
        with self._build_lock:
            with self.lock:
                if self._browser is not None and self._browser[0] == key:
                    return self._browser[1]
            path = self._browse_file(key, current, fixes)
            made = browse.Browser(path)
            with self.lock:
                self._browser = (key, made)
            return made

    def _browse_file(self, key: str, current: bool, fixes: tuple[Correction, ...]) -> Path:
        """The state's file (Datasette names a database after its file: one folder each).

        With a current stored analysis: the analysis tables copied once per analysis
        (``base-<digest>``), and for each set of corrections a copy of that with the
        corrections laid over (``browse-<state>``), which takes seconds, not a copy of
        every table again. Otherwise built from the dossier computed in memory."""
        if not current:
            path = Path(self._temp.name) / f"browse-{key}" / f"{browse.DATABASE}.db"
            if not path.exists():
                path.parent.mkdir(exist_ok=True)
                partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
                # the corrections this state's name was made from, not whatever is
                # stored by now: an undo made meanwhile must not come back
                browse_db.build_sqlite(apply_corrections(self._analyse(), fixes), partial)
                os.replace(partial, path)
            return path
        stamp = repr((__version__, BROWSE_FORMAT, self.view.state_key()))
        base = self.folder / f"base-{_digest(stamp)}" / f"{browse.DATABASE}.db"
        reader = self.view.reader()
        try:
            if not base.exists():
                started = time.perf_counter()
                base.parent.mkdir(exist_ok=True)
                browse_db.build_sqlite_from_store(reader, base)
                _log.info("browsing database built in %.1f s", time.perf_counter() - started)
                _tidy(self.folder, "base-", keep=base.parent)
            if not effective(fixes):
                return base
            path = self.folder / f"browse-{key}" / f"{browse.DATABASE}.db"
            if not path.exists():
                path.parent.mkdir(exist_ok=True)
                browse_db.correct_sqlite(base, reader, path, fixes)
                _tidy(self.folder, "browse-", keep=path.parent)
            return path
        finally:
            reader.close()

    # --- the single-file dossier ------------------------------------------------------

    def rendering(self) -> Rendering:
        """How far the current state's dossier file has got; starts it in a child process
        when it is neither written nor running (``web/rendering.py``)."""
        key, current, fixes = self.state()
        folder = self.folder if current else Path(self._temp.name)
        order = max((c.id for c in fixes), default=0)
        wanted = Wanted(key, folder / f"dossier-{key}.html", fixes, order,
                        self.view.reader if self.view.allow_edits else None)  # fmt: skip
        return self.renders.get(wanted)

    def close(self) -> None:
        """Stop the render running, if any (the server is stopping)."""
        self.renders.stop()

    def warm(self) -> None:
        """Build the browsing database, then start the dossier file (for a background thread)."""
        try:
            self.browser()
            self.rendering()
        except Exception as exc:
            _log.error("preparing the analysis failed: %s", exc, exc_info=exc)

    def warm_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.warm, name="storytrace-warm", daemon=True)
        thread.start()
        return thread


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def cache_folder(db: Path, fallback: Path) -> Path:
    """``.<store name>.cache`` beside the store, or ``fallback`` when it cannot be written."""
    folder = db.parent / f".{db.name}.cache"
    try:
        # owner only: the copies hold every article's text, whatever the store's own mode
        folder.mkdir(mode=0o700, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return fallback
    return folder


def _tidy(folder: Path, prefix: str, keep: Path) -> None:
    """Remove files of older states, keeping ``keep`` and the newest other one (a page
    may still be reading it)."""
    others = sorted(
        (p for p in folder.glob(f"{prefix}*") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[1:]:
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)
