"""One watch run: collect, analyse the store, compare with the previous run, write what changed.

The previous run's snapshot (``changes.snapshot``) and the newest alerts are
kept in ``watch-state.json`` in the output folder. A run that fetched nothing
new (no new page, no edit, no removal) and finds the store's document count
unchanged does not analyse again: it writes "no changes" at the cost of the
conditional requests alone.

Outputs, in the watch's ``out`` folder: ``changes.md`` and ``changes.json``
(this run), ``alerts.xml`` (an Atom feed of every alert, newest first, for a
feed reader) and ``watch-state.json``. Each is written to a temporary name and
renamed.

DOCS: docs/collect.md
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from storytrace.collect.alerts import MAX_FEED_ENTRIES, atom_feed, render_markdown
from storytrace.collect.changes import (
    Alert,
    Snapshot,
    compare,
    edit_alert,
    empty_snapshot,
    removed_alert,
    snapshot,
)
from storytrace.collect.run import CollectReport, FetchCallback, Ingest, Sources, collect
from storytrace.collect.watchfile import WatchSpec
from storytrace.store import Store
from storytrace.store.fetches import document_text

#: The dossier JSON of everything in a store (``api.dossier_from_store`` + ``api.to_json_data``).
Analyse = Callable[[Path], dict[str, Any]]

STATE_FILE = "watch-state.json"


@dataclass(frozen=True, slots=True)
class WatchResult:
    """What one watch run found and wrote.

    Attributes:
        report (CollectReport): the collect part.
        alerts (tuple[Alert, ...]): the changes, in ``changes.KINDS`` order.
        analysed (bool): the analysis ran (``False``: nothing new was fetched).
        markdown (Path): ``changes.md``.
        json (Path): ``changes.json``.
        feed (Path): ``alerts.xml``.
    """

    report: CollectReport
    alerts: tuple[Alert, ...]
    analysed: bool
    markdown: Path
    json: Path
    feed: Path


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _load_state(out: Path) -> dict[str, Any]:
    path = out / STATE_FILE
    if not path.exists():
        return {"snapshot": None, "since": None, "alerts": [], "documents": None}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _edits(db: Path, report: CollectReport, snap: Snapshot) -> list[Alert]:
    """Edited and removed articles, with a text diff of the two versions."""
    alerts = []
    with Store(db, read_only=True) as store:
        for edit in report.edited:
            old = document_text(store, edit.old_doc_id)
            new = document_text(store, edit.new_doc_id)
            if old is not None and new is not None:
                title = (snap["documents"].get(edit.new_doc_id) or {}).get("title")
                alerts.append(edit_alert(edit.url, title, old, new))
    for url, status in report.removed:
        alerts.append(removed_alert(url, None, status))
    return alerts


def _store_count(db: Path) -> int:
    with Store(db, read_only=True) as store:
        return store.count()


def watch_once(
    spec: WatchSpec, ingest: Ingest, analyse: Analyse, on_fetch: FetchCallback | None = None
) -> WatchResult:
    """Run a watch once (see the module docstring).

    Args:
        spec: the parsed watch file (its ``db``, ``out`` and ``archive`` decide where).
        ingest: ingests WARC files into ``spec.db``.
        analyse: the dossier JSON of ``spec.db``.
        on_fetch: told about each fetch.
    """
    spec.out.mkdir(parents=True, exist_ok=True)
    state = _load_state(spec.out)
    sources = Sources(spec.targets, spec.keywords)
    report = collect(sources, spec.db, spec.archive, ingest, spec.config, on_fetch)
    documents = _store_count(spec.db)
    previous = state["snapshot"]
    analysed = previous is None or report.changed or documents != state["documents"]
    if analysed:
        snap = snapshot(analyse(spec.db)) if documents else empty_snapshot()
        alerts = compare(previous or empty_snapshot(), snap) + _edits(spec.db, report, snap)
    else:
        snap, alerts = previous, _edits(spec.db, report, previous)
    return _write_outputs(spec, state, report, snap, alerts, analysed, documents)


def _write_outputs(  # noqa: PLR0913 -- one run's results, written together
    spec: WatchSpec,
    state: dict[str, Any],
    report: CollectReport,
    snap: Snapshot,
    alerts: list[Alert],
    analysed: bool,
    documents: int,
) -> WatchResult:
    now = _now()
    result = {
        "name": spec.name,
        "run": report.run,
        "since": state["since"],
        "analysed": analysed,
        "documents": documents,
        "collect": _collect_json(report),
        "alerts": [a.to_json() for a in alerts],
    }
    paths = (spec.out / "changes.md", spec.out / "changes.json", spec.out / "alerts.xml")
    _write(paths[0], render_markdown(result))
    _write(paths[1], json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    fresh = [{**a.to_json(), "run": report.run, "updated": now} for a in alerts]
    kept = (fresh + state["alerts"])[:MAX_FEED_ENTRIES]
    feed_id = (
        "urn:storytrace:watch:" + hashlib.sha256(str(spec.path.resolve()).encode()).hexdigest()[:32]
    )
    updated = kept[0]["updated"] if kept else now
    _write(paths[2], atom_feed(spec.name, feed_id, updated, kept))
    new_state = {"snapshot": snap, "since": report.run, "alerts": kept, "documents": documents}
    _write(spec.out / STATE_FILE, json.dumps(new_state, ensure_ascii=False) + "\n")
    return WatchResult(report, tuple(alerts), analysed, *paths)


def _collect_json(report: CollectReport) -> dict[str, Any]:
    return {
        "fetched": len(report.fetches),
        "requests": report.requests,
        "new_pages": len(report.new_pages),
        "edited": len(report.edited),
        "removed": len(report.removed),
        "unchanged": report.unchanged,
        "problems": len(report.problems),
        "added_documents": report.added,
        "warc": str(report.warc) if report.warc else None,
        "problem_list": [
            {"url": p.url, "code": p.problem, "status": p.status, "detail": p.detail}
            for p in report.problems
        ],
    }
