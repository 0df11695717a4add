"""Page queries and ``report --db`` on a store of N articles with their stored analysis.

Analysing 10,000 articles takes hours, so the store is filled from a small
analysed corpus replicated: the seeds (or any folder) are analysed once, and
copy ``k`` of every record gets its own document, story, quote, claim and entity
ids (``<id>~k``, claims renumbered), so the tables hold N distinct articles with
realistic rows per article. Then it times, on that store:

* the page queries (``Store.story_page``, ``claim_page``, ``document_page``) and
  a full-text search, each repeated on random ids: median and 95th percentile;
* ``api.dossier_from_store`` (rebuilding the dossier from the tables) and, unless
  ``--no-render``, writing the report from it.

Not measured here: the incremental ingest (it needs a really analysed store,
see docs/benchmarks.md).
"""

from __future__ import annotations

import hashlib
import random
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Dossier, RunInfo, rows
from storytrace.records.tables import STORED_SECTIONS
from storytrace.store import Store, incremental


@dataclass(frozen=True, slots=True)
class StoreBenchConfig:
    """N articles wanted, queries per kind, whether to render the report."""

    articles: int = 1000
    queries: int = 50
    render: bool = True


def _replica(text: str, ids: list[str], claims: int, k: int) -> str:
    """The serialized dossier ``text`` with every id of copy ``k`` made its own.

    Document ids stay 16 hex digits (the schema's pattern); other ids get ``~k``.
    """
    if k == 0:
        return text
    for old in ids:
        new = (
            hashlib.sha256(f"{old}~{k}".encode()).hexdigest()[:16]
            if re.fullmatch(r"[0-9a-f]{16}", old)
            else f"{old}~{k}"
        )
        text = text.replace(old, new)
    return re.sub(r'"c(\d+)"', lambda m: f'"c{int(m.group(1)) + k * claims}"', text)


def replicated(dossier: Dossier, articles: int) -> Dossier:
    """``dossier`` copied until it holds ``articles`` documents (whole copies, at least one)."""
    copies = max(1, -(-articles // max(1, len(dossier.documents))))
    ids = sorted(
        {d.doc_id for d in dossier.documents}
        | {s.story_id for s in dossier.stories}
        | {e.entity_id for e in dossier.entities},
        key=len,
        reverse=True,
    )
    text = rows.dumps(dossier)
    parts = [
        rows.loads(_replica(text, ids, len(dossier.claims), k), Dossier) for k in range(copies)
    ]
    merged: dict[str, Any] = {
        name: tuple(r for p in parts for r in getattr(p, name)) for name in STORED_SECTIONS
    }
    documents = tuple(sorted((d for p in parts for d in p.documents), key=lambda d: d.doc_id))
    run = RunInfo(dossier.run.version, dossier.run.stages, len(documents), len(documents), 0)
    return Dossier(
        run=run, documents=documents, sections_computed=dossier.sections_computed, **merged
    )


def _timed(call: Callable[[], object], times: int = 1) -> list[float]:
    out = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def _summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 2), "p95_ms": round(p95 * 1000, 2),
            "queries": len(ordered)}  # fmt: skip


def build_store(source: Dossier, db: Path, articles: int) -> tuple[Dossier, float]:
    """A store holding ``articles`` replicated documents and their analysis; seconds to write it."""
    big = replicated(source, articles)
    config = AnalyzeConfig()
    started = time.perf_counter()
    with Store(db) as store:
        for start in range(0, len(big.documents), 500):
            store.add(big.documents[start : start + 500])
        store.record_stages(set(config.pipeline) & set(big.run.stages))
        store.write_analysis(big, config.corpus_stages, incremental.config_digest(config), 0)
    return big, time.perf_counter() - started


def run_store_bench(inputs: list[Path], work: Path, config: StoreBenchConfig) -> dict[str, Any]:
    """Build the store in ``work`` and time the page queries and the report."""
    work.mkdir(parents=True, exist_ok=True)
    source = api.analyze(inputs)
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    big, build_s = build_store(source, db, config.articles)
    rng = random.Random(7)
    result: dict[str, Any] = {
        "articles": len(big.documents),
        "stories": len(big.stories),
        "claims": len(big.claims),
        "quotes": len(big.quotes),
        "write_store_s": round(build_s, 2),
        "store_mb": round(db.stat().st_size / 2**20, 1),
    }
    stories = [s.story_id for s in big.stories]
    claims = [c.claim_id for c in big.claims]
    docs = [d.doc_id for d in big.documents]
    with Store(db, read_only=True) as store:
        pick = rng.choice
        result["pages"] = {
            "story": _summary(_timed(lambda: store.story_page(pick(stories)), config.queries)),
            "claim": _summary(_timed(lambda: store.claim_page(pick(claims)), config.queries)),
            "document": _summary(_timed(lambda: store.document_page(pick(docs)), config.queries)),
            "search": _summary(_timed(lambda: store.search("missiles Iraq"), config.queries)),
        }
    told: list[str] = []
    holder: list[Dossier] = []
    read_s = _timed(lambda: holder.append(api.dossier_from_store(db, status=told.append)))[0]
    result["report"] = {"rebuild_s": round(read_s, 2), "recomputed": bool(told)}
    if config.render:
        render_s = _timed(lambda: api.write_dossier(holder[0], work / "report"))[0]
        result["report"]["render_s"] = round(render_s, 2)
    return result
