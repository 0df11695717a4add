"""Page latency through ``storytrace serve`` on stores of N articles, and an incremental ingest.

Analysing 10,000 articles takes hours, so each store is filled from a small
analysed corpus replicated: the seeds (or any folder) are ingested once, and copy
``k`` of every record gets its own document, story, quote, claim and entity ids
(``<id>~k``, claims renumbered), so the tables hold N distinct articles with
realistic rows per article. So that the store can be ingested into like a real
one:

* copy ``k``'s article text (and page text and headline) has its letters
  substituted by a cipher of its own (``_cipher``: a permutation of a-z, case
  kept), so offsets and word boundaries stay and every span still points at the
  same characters, but no two copies share a word: deduplication and story
  clustering keep them apart, as they would distinct events;
* each article's spaCy parse (entity mentions and quotes, ``doc_parses``) is
  replicated with it, so an ingest parses only the new articles.

For each size it then starts ``storytrace serve`` in a second process on
127.0.0.1 (as ``bench web`` does) and measures, over a real socket:

* how long until the browsing database is ready (the first ``/api/stories``)
  and until the one-page dossier is rendered (``/dossier/full`` answers 200),
  and story pages answered while that rendering runs;
* page latency, median and 95th percentile, ``--queries`` requests each on
  random ids: story, claim, article, source, search, a Datasette table page with
  a facet, and ``/dossier`` (the story index);

and, in this process, the browsing database's build alone
(``browse_db.build_sqlite_from_store``) and the copy of it with one correction laid
over (``browse_db.correct_sqlite``: what ``serve`` does after a correction). With ``--incremental``, the server is
stopped and 100 new articles (seed texts, each with a unique opening line and
about 3% of words swapped) are ingested into the store: seconds, and what
``ingest`` says it reused and recomputed.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import statistics
import string
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bench.web import free_port, start_server
from storytrace import api
from storytrace.pipeline import cpu
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Document, Dossier, RunInfo, rows
from storytrace.records.corpus import DocPair
from storytrace.records.corrections import Correction
from storytrace.records.tables import STORED_SECTIONS
from storytrace.stages.stories.cluster import story_id
from storytrace.store import Store, incremental
from storytrace.store.incremental import Parsed
from storytrace.web import browse, browse_db

#: Articles an incremental ingest adds.
INCREMENT = 100


@dataclass(frozen=True, slots=True)
class StoreBenchConfig:
    """Store sizes, requests per page kind, whether to time an incremental ingest."""

    articles: tuple[int, ...] = (1000,)
    queries: int = 50
    incremental: bool = True
    timeout_s: float = 60.0
    increment: int = INCREMENT


def _new_id(old: str, k: int) -> str:
    """Document ids stay 16 hex digits (the schema's pattern); other ids get ``~k``."""
    if re.fullmatch(r"[0-9a-f]{16}", old):
        return hashlib.sha256(f"{old}~{k}".encode()).hexdigest()[:16]
    return f"{old}~{k}"


def _replica(text: str, ids: dict[str, str], claims: int, k: int) -> str:
    """The serialized ``text`` with every id of copy ``k`` made its own (``ids``: old -> new)."""
    if k == 0:
        return text
    for old in sorted(ids, key=len, reverse=True):
        text = text.replace(old, ids[old])
    return re.sub(r'"c(\d+)"', lambda m: f'"c{int(m.group(1)) + k * claims}"', text)


def _id_map(dossier: Dossier, k: int) -> dict[str, str]:
    """Copy ``k``'s ids: documents and entities get their own; a story gets the id story
    clustering gives its articles (the hash of the smallest), so that an ingest finds
    the stored stories where it finds them again and keeps their claims."""
    mapping = {d.doc_id: _new_id(d.doc_id, k) for d in dossier.documents}
    mapping |= {e.entity_id: _new_id(e.entity_id, k) for e in dossier.entities}
    for s in dossier.stories:
        mapping[s.story_id] = story_id(mapping.get(d, d) for d in s.doc_ids)
    return mapping


def _cipher(k: int) -> dict[int, int]:
    """Copy ``k``'s letter substitution (identity for copy 0): lengths and offsets kept."""
    if k == 0:
        return {}
    letters = list(string.ascii_lowercase)
    random.Random(k).shuffle(letters)
    lower = string.ascii_lowercase
    shuffled = "".join(letters)
    return str.maketrans(lower + lower.upper(), shuffled + shuffled.upper())


def _ciphered(doc: Document, k: int) -> Document:
    table = _cipher(k)
    if not table:
        return doc
    title = doc.metadata.title
    value = None if title.value is None else title.value.translate(table)
    return replace(
        doc,
        text=doc.text.translate(table),
        page_text=doc.page_text.translate(table),
        metadata=replace(doc.metadata, title=replace(title, value=value)),
    )


def _ordered_pair(pair: DocPair) -> DocPair:
    """A pair as deduplication writes it: the smaller id first (new ids may swap them)."""
    if pair.a <= pair.b:
        return pair
    passages = tuple(
        replace(x, a_start=x.b_start, a_end=x.b_end, b_start=x.a_start, b_end=x.a_end)
        for x in pair.passages
    )
    return replace(pair, a=pair.b, b=pair.a, passages=passages)


def replicated(
    dossier: Dossier, articles: int, parses: dict[str, Parsed] | None = None
) -> tuple[Dossier, dict[str, Parsed]]:
    """``dossier`` (and its documents' parses) copied until it holds ``articles`` documents
    (whole copies, at least one), each copy's texts under a cipher of its own."""
    copies = max(1, -(-articles // max(1, len(dossier.documents))))
    maps = [_id_map(dossier, k) for k in range(copies)]
    claims = len(dossier.claims)
    text = rows.dumps(dossier)
    parts = [rows.loads(_replica(text, maps[k], claims, k), Dossier) for k in range(copies)]
    merged: dict[str, Any] = {
        name: tuple(r for p in parts for r in getattr(p, name)) for name in STORED_SECTIONS
    }
    merged["pairs"] = tuple(_ordered_pair(pair) for pair in merged["pairs"])
    # as clustering lists them: members sorted, stories by their smallest member
    merged["stories"] = tuple(
        sorted((replace(s, doc_ids=tuple(sorted(s.doc_ids))) for s in merged["stories"]),
               key=lambda s: s.doc_ids)
    )  # fmt: skip
    documents = tuple(
        sorted(
            (_ciphered(d, k) for k, p in enumerate(parts) for d in p.documents),
            key=lambda d: d.doc_id,
        )
    )
    run = RunInfo(dossier.run.version, dossier.run.stages, len(documents), len(documents), 0)
    big = Dossier(
        run=run, documents=documents, sections_computed=dossier.sections_computed, **merged
    )
    copied: dict[str, Parsed] = {}
    for doc_id, parsed in (parses or {}).items():
        one = rows.dumps(parsed)
        for k in range(copies):
            copied[_new_id(doc_id, k) if k else doc_id] = rows.loads(
                _replica(one, maps[k], claims, k), Parsed
            )
    return big, copied


def source_store(inputs: list[Path], work: Path) -> tuple[Dossier, dict[str, Parsed]]:
    """The inputs ingested into a store of their own: its dossier and its documents' parses."""
    db = work / "source.duckdb"
    db.unlink(missing_ok=True)
    api.ingest(inputs, db)
    with Store(db, read_only=True) as store:
        parses = incremental.stored_parses(store.con, incremental.parse_stamp(AnalyzeConfig()))
    return api.dossier_from_store(db), parses


def build_store(
    source: Dossier, parses: dict[str, Parsed], db: Path, articles: int
) -> tuple[Dossier, float]:
    """A store holding ``articles`` replicated documents, their parses and their analysis;
    seconds to write it."""
    big, copied = replicated(source, articles, parses)
    config = AnalyzeConfig()
    started = time.perf_counter()
    with Store(db) as store:
        for start in range(0, len(big.documents), 500):
            store.add(big.documents[start : start + 500])
        store.record_stages(set(config.pipeline) & set(big.run.stages))
        store.write_analysis(
            big,
            config.corpus_stages,
            incremental.config_digest(config),
            0,
            (incremental.parse_stamp(config), copied),
        )
    return big, time.perf_counter() - started


def _summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return {"median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "requests": len(ordered)}  # fmt: skip


def _get(url: str, timeout: float) -> tuple[int, float]:
    """Status and seconds of one GET (only 127.0.0.1 URLs are asked)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def _timed_pages(base: str, paths: Callable[[], str], count: int, timeout: float) -> dict[str, Any]:
    seconds, failed = [], 0
    for _ in range(count):
        status, took = _get(base + paths(), timeout)
        failed += status != 200
        seconds.append(took)
    return {**_summary(seconds), "not_200": failed}


def _sources(db: Path, limit: int = 2000) -> list[str]:
    """Source keys of the server's browsing database (the cache beside the store)."""
    found = sorted(db.parent.glob(f".{db.name}.cache/base-*/{browse.DATABASE}.db"))
    con = sqlite3.connect(f"file:{found[-1]}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT source_id FROM sources LIMIT ?", [limit])]
    finally:
        con.close()


def _through_app(db: Path, big: Dossier, config: StoreBenchConfig) -> dict[str, Any]:
    """Serve ``db`` in a second process and time its pages."""
    rng = random.Random(7)
    pick = rng.choice
    port = free_port()
    started = time.perf_counter()
    server = start_server(db, port)
    base = f"http://127.0.0.1:{port}"
    out: dict[str, Any] = {"server_up_s": round(time.perf_counter() - started, 2)}
    stories = [s.story_id for s in big.stories]
    try:
        status, _ = _get(base + "/api/stories", 3600)
        out["browse_ready_s"] = round(time.perf_counter() - started, 2)
        during: list[float] = []
        while _get(base + "/dossier/full", config.timeout_s)[0] == 503:
            during.append(_get(f"{base}/story/{pick(stories)}", config.timeout_s)[1])
            time.sleep(0.5)
        out["dossier_file_s"] = round(time.perf_counter() - started, 2)
        out["story_pages_while_rendering"] = _summary(during) if during else None
        claims = [c.claim_id for c in big.claims]
        docs = [d.doc_id for d in big.documents]
        sources = _sources(db)
        index_pages = max(1, -(-len(big.stories) // browse.STORIES_PER_PAGE))
        words = ["missiles Iraq", "Iran", "militias", "Hormuz", "range"]
        kinds: dict[str, Callable[[], str]] = {
            "story": lambda: f"/story/{pick(stories)}",
            "claim": lambda: f"/claim/{pick(claims)}",
            "article": lambda: f"/doc/{pick(docs)}",
            "source": lambda: f"/source/{pick(sources)}",
            "search": lambda: "/?q=" + pick(words).replace(" ", "+"),
            "table_with_facet": lambda: (
                "/data/storytrace/quotes?_facet=outlet&_facet=speaker_resolved"
            ),
            "dossier_index": lambda: f"/dossier?page={rng.randint(1, index_pages)}",
        }
        out["pages"] = {
            kind: _timed_pages(base, path, config.queries, config.timeout_s)
            for kind, path in kinds.items()
        }
        out["first_status"] = status
    finally:
        server.terminate()
        server.wait(timeout=30)
    return out


def _new_articles(source: Dossier, folder: Path, count: int) -> Path:
    """``count`` JSONL articles: seed texts with a unique opening line, ~3% words swapped."""
    rng = random.Random(11)
    bodies = [d.text for d in source.documents]
    vocabulary = sorted({w for b in bodies for w in b.split() if w.isalpha()})
    lines = []
    for number in range(count):
        doc = source.documents[number % len(source.documents)]
        words = doc.text.split(" ")
        for _ in range(max(1, len(words) // 33)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        text = f"Update {number} from the bench wire.\n\n" + " ".join(words)
        lines.append(
            json.dumps(
                {
                    "text": text,
                    "title": doc.metadata.title.value,
                    "outlet": doc.metadata.outlet.value,
                }
            )
        )
    path = folder / "increment.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _incremental(source: Dossier, db: Path, work: Path, count: int) -> dict[str, Any]:
    """Ingest ``count`` new articles into ``db``: seconds, CPU seconds by part, what was
    kept per story and what ran over every stored article (printed as it goes)."""
    told: list[str] = []
    path = _new_articles(source, work, count)
    started, cpu_started = time.perf_counter(), time.process_time()
    with cpu.measuring() as ledger:
        summary = api.ingest([path], db, status=told.append)
    seconds = time.perf_counter() - started
    out = {
        "articles_added": summary.added, "seconds": round(seconds, 1),
        "cpu_s": round(time.process_time() - cpu_started, 1),
        "documents_parsed": summary.documents_parsed, "stories_aligned": summary.stories_aligned,
        "stories_reused": summary.stories_reused,
        "kept_after_claims": summary.kept_after_claims, "per_story": list(summary.per_story),
        "recomputed_over_every_article": list(summary.recomputed),
        "total_stored": summary.total_stored, "why": told,
        "cpu_s_by_part": {k: round(v, 1) for k, v in ledger.driver.items()},
    }  # fmt: skip
    print(
        f"incremental ingest of {summary.added} into {summary.total_stored - summary.added}: "
        f"{out['seconds']} s ({out['cpu_s']} CPU s); {summary.analysis_line()}",
        flush=True,
    )
    for part, spent in sorted(ledger.driver.items(), key=lambda kv: -kv[1]):
        print(f"  {part}: {spent:.1f} CPU s", flush=True)
    return out


def _browse_builds(db: Path, big: Dossier, work: Path) -> dict[str, Any]:
    """The browsing database copied from the store, then one correction laid over a copy
    of it (what ``serve`` does after a correction), in this process."""
    scratch = work / "scratch"
    scratch.mkdir(exist_ok=True)
    quote = big.quotes[len(big.quotes) // 2]
    fix = Correction(1, "bench", "2026-12-07T00:00:00+00:00", "bench", "quote_speaker",
                     quote.quote_id, "", "Jane Bench")  # fmt: skip
    out: dict[str, Any] = {}
    with Store(db, read_only=True) as store:
        began = time.perf_counter()
        base = browse_db.build_sqlite_from_store(store, scratch / "base.db")
        out["browse_build_s"] = round(time.perf_counter() - began, 2)
        out["browse_mb"] = round(base.stat().st_size / 2**20, 1)
        began = time.perf_counter()
        fixed = browse_db.correct_sqlite(base, store, scratch / "fixed.db", (fix,))
        out["browse_after_a_correction_s"] = round(time.perf_counter() - began, 2)
    base.unlink()
    fixed.unlink()
    return out


def run_store_bench(inputs: list[Path], work: Path, config: StoreBenchConfig) -> dict[str, Any]:
    """For each size: build the store in ``work``, time its pages through the app, then
    (``config.incremental``) an ingest of ``config.increment`` new articles into it."""
    work.mkdir(parents=True, exist_ok=True)
    source, parses = source_store(inputs, work)
    results = []
    for articles in config.articles:
        db = work / f"bench-{articles}.duckdb"
        db.unlink(missing_ok=True)
        cache = db.parent / f".{db.name}.cache"
        for old in cache.glob("**/*") if cache.exists() else ():
            if old.is_file():
                old.unlink()
        big, build_s = build_store(source, parses, db, articles)
        result: dict[str, Any] = {
            "articles": len(big.documents), "stories": len(big.stories), "claims": len(big.claims),
            "quotes": len(big.quotes), "write_store_s": round(build_s, 2),
            "store_mb": round(db.stat().st_size / 2**20, 1),
        }  # fmt: skip
        result |= _browse_builds(db, big, work)
        result["app"] = _through_app(db, big, config)
        if config.incremental:
            result["incremental_ingest"] = _incremental(source, db, work, config.increment)
        results.append(result)
    return {"stores": results}
