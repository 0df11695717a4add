"""Throughput: articles per second, the spaCy floor, streaming memory, the Dask speed-up.

The corpus (written under a work folder, never committed):

* ``pages.warc.gz`` -- the 581 real HTML pages of ``../shared/data`` (ScrapingHub's
  181 and WCXB dev's 400) as WARC response records, the format of CC-NEWS;
* ``stream.jsonl`` -- a synthetic stream for size: the cleaned bodies of those
  pages, each copy perturbed so that no two are identical (a unique opening
  line, and about 3% of words swapped for other words of the corpus, with a
  fixed seed), one JSONL line each.

Measured in one run:

1. the cheap path (read + clean + metadata + dedup + stories) and the full
   pipeline (+ one spaCy parse per article for entities and quotes), on one core;
2. spaCy alone parsing the same cleaned texts: the floor of this design, and the
   full pipeline's overhead over it;
3. the per-document stages on a Dask LocalCluster with 1 and 2 workers: speed-up;
4. peak memory (RSS, sampled every 0.5 s) of ``storytrace ingest`` streaming the
   synthetic JSONL into a store, at checkpoints: flat means streaming works;
5. an extrapolation to one month of CC-NEWS in 24 hours, assumptions stated.
"""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from storytrace.bench.warcgen import write_warc
from storytrace.pipeline import AnalyzeConfig, process_paths
from storytrace.records import Document

#: One month of CC-NEWS, order of magnitude (the issue: 11-12 million articles).
CC_NEWS_MONTH = 11_500_000


@dataclass(frozen=True, slots=True)
class ThroughputConfig:
    """Sizes of a throughput run: synthetic articles streamed for the memory test."""

    stream_articles: int = 100_000
    sample_s: float = 0.5


def html_pages(data_dir: Path) -> list[tuple[str, str]]:
    """(url, html) of the ScrapingHub and WCXB dev pages."""
    truth = json.loads(
        (data_dir / "scrapinghub-aeb" / "ground-truth.json").read_text(encoding="utf-8")
    )
    pages = [
        (
            truth[path.name.split(".")[0]]["url"],
            gzip.decompress(path.read_bytes()).decode("utf-8", "replace"),
        )
        for path in sorted((data_dir / "scrapinghub-aeb" / "html").glob("*.html.gz"))
    ]
    for path in sorted((data_dir / "wcxb" / "dev" / "html").glob("*.html.gz")):
        url = f"https://wcxb.invalid/{path.name.split('.')[0]}"
        pages.append((url, gzip.decompress(path.read_bytes()).decode("utf-8", "replace")))
    return pages


def _perturbed(text: str, vocabulary: list[str], rng: random.Random, number: int) -> str:
    words = text.split(" ")
    for _ in range(max(1, len(words) // 33)):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    return f"Dispatch {number} from the synthetic wire.\n\n" + " ".join(words)


def synthetic_stream(bodies: list[str], count: int, seed: int = 7) -> Iterator[str]:
    """``count`` JSONL lines of perturbed copies of ``bodies`` (deterministic)."""
    rng = random.Random(seed)
    vocabulary = sorted({w for body in bodies[:50] for w in body.split() if w.isalpha()})
    for number in range(count):
        text = _perturbed(bodies[number % len(bodies)], vocabulary, rng, number)
        yield json.dumps({"text": text, "url": f"https://synthetic.invalid/{number}"}) + "\n"


def _timed_documents(warc: Path, config: AnalyzeConfig) -> tuple[list[Document], float]:
    started = time.perf_counter()
    results = process_paths([str(warc)], config)
    return [r for r in results if isinstance(r, Document)], time.perf_counter() - started


def _corpus_stage_seconds(docs: list[Document], config: AnalyzeConfig) -> dict[str, float]:
    from storytrace.attribution import attribute
    from storytrace.stages.dedup import find_duplicates
    from storytrace.stages.stories import cluster_stories

    seconds: dict[str, float] = {}
    for name, run in (
        ("dedup", lambda: find_duplicates(docs, config.dedup)),
        ("stories", lambda: cluster_stories(docs, config.stories)),
        ("entities_quotes", lambda: attribute(docs, config.entities, config.quotes)),
    ):
        started = time.perf_counter()
        run()
        seconds[name] = time.perf_counter() - started
    return seconds


def _spacy_seconds(docs: list[Document]) -> float:
    """spaCy alone (the same model, plain pipeline) parsing the same cleaned texts."""
    from storytrace.attribution import MAX_PARSE_CHARS
    from storytrace.models.nlp import load_nlp

    nlp = load_nlp()
    started = time.perf_counter()
    for _ in nlp.pipe((d.text[:MAX_PARSE_CHARS] for d in docs), batch_size=16):
        pass
    return time.perf_counter() - started


def one_core(warc: Path) -> dict[str, Any]:
    """Cheap path, full pipeline and the spaCy floor on one core."""
    config = AnalyzeConfig()
    docs, per_doc = _timed_documents(warc, config)
    stages = _corpus_stage_seconds(docs, config)
    spacy_s = _spacy_seconds(docs)
    cheap = per_doc + stages["dedup"] + stages["stories"]
    full = cheap + stages["entities_quotes"]
    return {
        "articles": len(docs),
        "seconds": {"read_clean_metadata": round(per_doc, 2), **{k: round(v, 2) for k, v in stages.items()}, "spacy_alone": round(spacy_s, 2)},
        "articles_per_s": {"cheap_path": round(len(docs) / cheap, 2), "full_pipeline": round(len(docs) / full, 2), "spacy_alone": round(len(docs) / spacy_s, 2)},
        "full_over_spacy_overhead": round(full / spacy_s - 1, 3),
    }  # fmt: skip


def dask_speedup(warc_parts: list[Path]) -> dict[str, Any]:
    """Per-document stages on a LocalCluster with 1 and 2 workers."""
    from storytrace.engine import DaskConfig, iter_results_dask

    config = replace(AnalyzeConfig(), corpus_stages=())
    timings: dict[str, float] = {}
    for workers in (1, 2):
        started = time.perf_counter()
        count = sum(
            1
            for r in iter_results_dask(
                [str(p) for p in warc_parts], config, DaskConfig(workers=workers, files_per_task=1)
            )
            if isinstance(r, Document)
        )
        timings[f"workers_{workers}"] = time.perf_counter() - started
    return {
        "articles": count, "seconds": {k: round(v, 2) for k, v in timings.items()},
        "speedup_2_over_1": round(timings["workers_1"] / timings["workers_2"], 3),
        "note": "includes starting each LocalCluster (a few seconds)",
    }  # fmt: skip


def streaming_memory(stream: Path, work: Path, sample_s: float) -> dict[str, Any]:
    """Peak RSS of ``storytrace ingest`` streaming a JSONL into a store, sampled over time."""
    import psutil

    db = work / "stream.duckdb"
    db.unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "storytrace", "ingest", str(stream), "--db", str(db), "--quiet"]
    started = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    handle = psutil.Process(child.pid)
    samples: list[tuple[float, float]] = []
    while child.poll() is None:
        try:
            samples.append((time.perf_counter() - started, handle.memory_info().rss / 2**20))
        except psutil.NoSuchProcess:
            break
        time.sleep(sample_s)
    elapsed = time.perf_counter() - started
    quarters = [
        max((m for t, m in samples if t <= elapsed * q / 4), default=0.0) for q in (1, 2, 3, 4)
    ]
    return {
        "articles": sum(1 for _ in stream.open(encoding="utf-8")), "seconds": round(elapsed, 1), "exit": child.returncode,
        "peak_rss_mb": round(max((m for _, m in samples), default=0.0), 1),
        "peak_rss_mb_by_quarter": [round(q, 1) for q in quarters],
        "articles_per_s": round(sum(1 for _ in stream.open(encoding="utf-8")) / elapsed, 1),
    }  # fmt: skip


def extrapolate(full_per_core: float, cores_per_machine: int = 2) -> dict[str, Any]:
    """Machines for one month of CC-NEWS in 24 h at the measured full-pipeline rate."""
    needed = CC_NEWS_MONTH / 86_400
    cores = needed / full_per_core
    return {
        "articles": CC_NEWS_MONTH, "needed_articles_per_s": round(needed, 1),
        "cores": round(cores, 1), "machines_of_2_cores": int(-(-cores // cores_per_machine)),
        "assumptions": "full pipeline rate per core as measured here on CC-NEWS-like HTML pages; linear scaling "
        "across workers (dedup and stories are sub-quadratic and a small share of the cost); the driver's "
        "store writes keep up (they are batched); reading WARCs from local disk.",
    }  # fmt: skip


def run_throughput_bench(
    data_dir: Path, work: Path, config: ThroughputConfig | None = None
) -> dict[str, Any]:
    """Build the corpus under ``work`` and run every measurement; returns JSON-able results."""
    config = config or ThroughputConfig()
    work.mkdir(parents=True, exist_ok=True)
    pages = html_pages(data_dir)
    warc = work / "pages.warc.gz"
    write_warc(warc, pages)
    parts = [work / f"part{i}.warc.gz" for i in range(8)]
    for i, part in enumerate(parts):
        write_warc(part, pages[i::8])
    result: dict[str, Any] = {
        "corpus": {"html_pages": len(pages), "stream_articles": config.stream_articles}
    }
    result["one_core"] = one_core(warc)
    bodies = [
        d.text
        for d in _timed_documents(warc, replace(AnalyzeConfig(), corpus_stages=()))[0]
        if d.text
    ]
    stream = work / "stream.jsonl"
    with stream.open("w", encoding="utf-8") as out:
        out.writelines(synthetic_stream(bodies, config.stream_articles))
    result["dask"] = dask_speedup(parts)
    result["streaming_memory"] = streaming_memory(stream, work, config.sample_s)
    result["cc_news_month_in_24h"] = extrapolate(
        result["one_core"]["articles_per_s"]["full_pipeline"]
    )
    return result
