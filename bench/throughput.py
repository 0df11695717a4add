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
   pipeline (+ one spaCy parse per article for entities and quotes, + the
   cross-document lineage stages: claims, provenance, drift, disagreements,
   timeline -- everything ``storytrace analyze`` computes), on one core;
2. spaCy alone parsing the same cleaned texts: the floor of this design, and the
   full pipeline's overhead over it;
3. the per-document stages on a Dask LocalCluster with 1 and 2 workers: speed-up;
4. memory of an ingest streaming the synthetic JSONL into a new store (``api.ingest``,
   what ``storytrace ingest`` runs, in a fresh process): RSS every 1,000 articles,
   the peak so far (``getrusage``) at 10k/25k/50k/100k, and the slope after
   warm-up; flat means streaming works. ``light`` stages swap the text cleaner
   and the printed-metadata reader (~30 ms an article, pure, no state) for
   stand-ins, so 100,000 articles take minutes instead of an hour;
5. an extrapolation to one month of CC-NEWS in 24 hours, assumptions stated.

``--stream-only`` runs 4 alone (it still builds the corpus: ~1 minute).
"""

from __future__ import annotations

import gzip
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bench.components import compare_components
from bench.warcgen import write_warc
from storytrace.errors import StorytraceError
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.run import process_paths
from storytrace.pipeline.work import DocumentWork
from storytrace.records import Cleaned, Diagnostic, Document, Metadata, Segment, SegmentLabel
from storytrace.stages.ingest.splits import FileSplit
from storytrace.stages.metadata.published import warm_date_parser

if TYPE_CHECKING:
    from storytrace.records import Quote

T = TypeVar("T")

#: One month of CC-NEWS, order of magnitude (the issue: 11-12 million articles).
CC_NEWS_MONTH = 11_500_000
_LINE = re.compile(r"[^\n]*\S[^\n]*")


@dataclass(frozen=True, slots=True)
class ThroughputConfig:
    """Options of a throughput run.

    Attributes:
        stream_articles (int): synthetic articles streamed for the memory test.
        stream_stages (str): ``full`` streams through every per-document stage
            (what ``storytrace ingest`` runs); ``light`` swaps the text cleaner and
            the printed-metadata reader for trivial stand-ins, so that 100,000
            articles stream in minutes; reader, input dedup, batching, the store
            and its search index are the real ones.
        stream_only (bool): run only the streaming measurement.
        checkpoint_every (int): articles between two RSS samples.
        dask_repeats (int): how many times the Dask timings are taken.
        dask_copies (int): copies of the pages in the Dask corpus (see
            :func:`copied_pages`): 581 pages are ~30 s of work, of which starting
            a cluster is a tenth; four copies measure the engine, not its start-up.
        dask_warm (bool): also time each cluster after a warm-up (start-up excluded).
    """

    stream_articles: int = 100_000
    stream_stages: str = "full"
    stream_only: bool = False
    checkpoint_every: int = 1_000
    dask_repeats: int = 3
    dask_copies: int = 4
    dask_warm: bool = False


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


def copied_pages(pages: list[tuple[str, str]], copies: int) -> Iterator[tuple[str, str]]:
    """``copies`` rounds of ``pages``; from the second on, each page is made distinct.

    A copy's URL gains ``#copy-N`` and its HTML a trailing ``<!-- copy N -->``
    comment, so the input dedup (content hash) keeps it, while cleaning and
    metadata do the same work as on the original (the comment is outside the
    text). Used to give the Dask measurement minutes of work, not seconds.
    """
    if copies < 1:
        raise ValueError(f"copies must be at least 1, not {copies}")
    for number in range(copies):
        for url, html in pages:
            if number == 0:
                yield url, html
            else:
                yield f"{url}#copy-{number}", f"{html}\n<!-- copy {number} -->\n"


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


def _timed(seconds: dict[str, float], name: str, run: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = run()
    seconds[name] = time.perf_counter() - started
    return result


#: Chunks the one-core measurement cuts the WARC into (record-aligned splits
#: of ~48 of the 581 pages; see :func:`_interleaved`).
TIMING_CHUNKS = 12


@dataclass
class _Interleaved:
    """Seconds of the per-document stages, our parse and spaCy alone, chunk by chunk."""

    per_doc_runs: list[float]
    per_doc: float = 0.0
    ours: float = 0.0
    floor: float = 0.0
    docs: list[Document] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)


def _chunk_documents(
    split: FileSplit, config: AnalyzeConfig, repeats: int
) -> tuple[list[Document], list[float]]:
    """Per-document stages of one split, ``repeats`` times: its documents and each timing."""
    from htmldate.meta import reset_caches

    from storytrace.models.html import SHARED_PARSER
    from storytrace.pipeline.run import process_task

    timings: list[float] = []
    results: list[Document | Diagnostic] = []
    for _ in range(repeats):
        # A repeat must not read the dates or parses of the run before it.
        reset_caches()
        SHARED_PARSER.clear()
        started = time.perf_counter()
        results = process_task([split], config)[0]
        timings.append(time.perf_counter() - started)
    return [r for r in results if isinstance(r, Document)], timings


def _interleaved(warc: Path, config: AnalyzeConfig, repeats: int) -> _Interleaved:
    """Per-document stages, our entity and quote stage, and spaCy alone, in turns.

    They differ by a few percent, and this machine's speed drifts by more than
    that over the minutes each takes (spaCy alone measured 166-206 s on the same
    pages in runs an hour apart; the per-document stages 27.5-38.3 s). So the
    WARC is cut into :data:`TIMING_CHUNKS` record-aligned splits, and on each the
    three are timed back to back -- the per-document stages first (their
    documents feed the others), ``repeats`` times with the median kept; then ours
    and spaCy's parse, alternating which goes first -- so a slow spell weighs
    on all three. ``attribute`` runs per chunk, so entity aliases are merged per
    chunk (~0.3 s of the whole on 581 pages). Both spaCy pipelines are loaded
    before timing: the floor is the model as spaCy ships it
    (:func:`~storytrace.models.nlp.load_stock_nlp`); ours carries the entity
    ruler, and its attribute ruler and lemmatizer are storytrace's faster
    equivalents (same output; ``swapped_components`` in the result says what
    that saves).
    """
    from storytrace.models.nlp import load_stock_nlp
    from storytrace.stages.entities.extract import entity_pipeline
    from storytrace.stages.ingest.splits import plan_splits
    from storytrace.stages.parse import MAX_PARSE_CHARS, attribute

    plain = load_stock_nlp()
    entity_pipeline()
    size = warc.stat().st_size
    splits = plan_splits(str(warc), max(1, size // TIMING_CHUNKS)) or [
        FileSplit(str(warc), 0, size)
    ]
    out = _Interleaved([0.0] * repeats)
    seen: set[str] = set()
    for number, split in enumerate(splits):
        found, timings = _chunk_documents(split, config, repeats)
        out.per_doc_runs = [run + t for run, t in zip(out.per_doc_runs, timings, strict=True)]
        out.per_doc += statistics.median(timings)
        chunk = [d for d in found if d.doc_id not in seen]
        seen.update(d.doc_id for d in chunk)
        out.docs.extend(chunk)
        for mine in (True, False) if number % 2 == 0 else (False, True):
            started = time.perf_counter()
            if mine:
                out.quotes.extend(attribute(chunk, config.entities, config.quotes).quotes)
                out.ours += time.perf_counter() - started
            else:
                for _ in plain.pipe((d.text[:MAX_PARSE_CHARS] for d in chunk), batch_size=16):
                    pass
                out.floor += time.perf_counter() - started
    return out


def _corpus_stage_seconds(
    docs: list[Document], quotes: list[Quote], config: AnalyzeConfig
) -> dict[str, float]:
    """Seconds of each corpus stage ``storytrace analyze`` runs after the parse.

    ``lineage`` is claims, provenance, drift, disagreements and the timeline
    (with the embedding model's load), over the stories, quotes and pairs the
    earlier stages found.
    """
    from storytrace.stages.lineage.trace import SECTION_OF, CorpusView, trace

    from storytrace.stages.dedup.minhash import find_duplicates
    from storytrace.stages.stories.cluster import cluster_stories

    seconds: dict[str, float] = {}
    pairs = _timed(seconds, "dedup", lambda: find_duplicates(docs, config.dedup))
    stories = _timed(seconds, "stories", lambda: cluster_stories(docs, config.stories))
    view = CorpusView(docs, stories, tuple(quotes), pairs)
    _timed(seconds, "lineage", lambda: trace(view, set(SECTION_OF), config.lineage))
    return seconds


def one_core(warc: Path, warmup: Path | None = None, per_doc_repeats: int = 3) -> dict[str, Any]:
    """Cheap path, full pipeline and the spaCy floor on one core.

    ``warmup``, a small WARC, goes through the per-document stages first,
    untimed: module imports and model loads (the language identifier, the
    cleaner's caches, dateparser's languages) are not per-article costs, as
    spaCy's load is not counted in the floor.

    The per-document stages, our entity and quote stage and spaCy alone are
    timed in turns, chunk by chunk (:func:`_interleaved`); the per-document
    stages ``per_doc_repeats`` times per chunk, the median counting. Dedup,
    stories and the cross-document stages run once over all the documents.
    Last, the two spaCy components storytrace swaps for faster equivalents
    are timed against spaCy's own on the same pages
    (:func:`~bench.components.compare_components`), so the result
    also gives the overhead as it would be with spaCy's components.
    """
    from storytrace.stages.parse import MAX_PARSE_CHARS

    if per_doc_repeats < 1:
        raise ValueError(f"per_doc_repeats must be at least 1, not {per_doc_repeats}")
    config = AnalyzeConfig()
    if warmup is not None:
        warm_date_parser()
        _timed_documents(warmup, config)
    timed = _interleaved(warc, config, per_doc_repeats)
    docs, per_doc, spacy_s = timed.docs, timed.per_doc, timed.floor
    stages = {**_corpus_stage_seconds(docs, timed.quotes, config), "entities_quotes": timed.ours}
    cheap = per_doc + stages["dedup"] + stages["stories"]
    full = cheap + stages["entities_quotes"] + stages["lineage"]
    swapped = compare_components([d.text[:MAX_PARSE_CHARS] for d in docs])
    return {
        "articles": len(docs),
        "chunks": TIMING_CHUNKS,
        "read_clean_metadata_runs": [round(t, 2) for t in timed.per_doc_runs],
        "seconds": {"read_clean_metadata": round(per_doc, 2), **{k: round(v, 2) for k, v in stages.items()}, "spacy_alone": round(spacy_s, 2)},
        "articles_per_s": {"cheap_path": round(len(docs) / cheap, 2), "full_pipeline": round(len(docs) / full, 2), "spacy_alone": round(len(docs) / spacy_s, 2)},
        "full_over_spacy_overhead": round(full / spacy_s - 1, 3),
        "full_without_lineage_over_spacy_overhead": round((full - stages["lineage"]) / spacy_s - 1, 3),
        "swapped_components": swapped,
        "full_over_spacy_overhead_with_spacy_components": round((full + swapped["saved_s"]) / spacy_s - 1, 3),
    }  # fmt: skip


def _warm_worker(warmup: str) -> int:
    """Run on each worker before timing: imports, dateparser's languages, a few pages."""
    warm_date_parser()
    config = replace(AnalyzeConfig(), corpus_stages=())
    return len(process_paths([warmup], config))


#: Pages per task of the Dask measurement: the WARC is cut into record-aligned
#: splits, as ``storytrace ingest --engine dask`` cuts a large CC-NEWS WARC, of
#: ~18 pages, ~1 s of work each, so the tail of a run is short.
DASK_PAGES_PER_TASK = 18
#: Pages of the bench corpus (``html_pages``): what the Dask defaults assume
#: when the caller does not say how many records the WARC holds.
BENCH_PAGES = 581


def _dask_seconds(warc: Path, workers: int, warmup: Path | None, tasks: int) -> tuple[float, int]:
    """Seconds for the per-document stages of ``warc`` on a new LocalCluster.

    Without ``warmup`` the time includes starting the cluster and each worker's
    imports (what one short run pays); with it, the cluster is started and every
    worker has run the warm-up pages before the clock starts (the steady state
    of a long run, where start-up is paid once).
    """
    from storytrace.pipeline.engine import DaskConfig, dask_client, iter_results_dask

    config = replace(AnalyzeConfig(), corpus_stages=())
    split = max(1, warc.stat().st_size // tasks)

    def timed(engine: DaskConfig) -> tuple[float, int]:
        started = time.perf_counter()
        results = iter_results_dask([str(warc)], config, engine)
        count = sum(1 for r in results if isinstance(r, Document))
        return time.perf_counter() - started, count

    if warmup is None:
        return timed(DaskConfig(workers=workers, split_bytes=split))
    with dask_client(DaskConfig(workers=workers)) as client:
        client.run(_warm_worker, str(warmup))
        return timed(DaskConfig(scheduler=client.scheduler.address, split_bytes=split))


def dask_speedup(
    warc: Path, warmup: Path | None = None, repeats: int = 3, pages: int | None = None
) -> dict[str, Any]:
    """Per-document stages on a LocalCluster with 1 and 2 workers, cold (and warm).

    The timings are taken ``repeats`` times, interleaved: on the development
    machine one pair of runs of the same code gave anywhere from 1.6x to 2.0x, so
    one pair says little. The speed-ups are the median of the per-repeat ratios
    (each ratio compares runs a minute apart), with their range. Warm timings
    are taken only with a ``warmup`` WARC. ``pages`` (records in ``warc``, when
    known) sets the task count, :data:`DASK_PAGES_PER_TASK` pages a task.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, not {repeats}")
    tasks = max(1, round((pages or BENCH_PAGES) / DASK_PAGES_PER_TASK))
    runs: list[dict[str, float]] = []
    count = 0
    for _ in range(repeats):
        run: dict[str, float] = {}
        for workers in (1, 2):
            run[f"workers_{workers}"], count = _dask_seconds(warc, workers, None, tasks)
            if warmup is not None:
                run[f"workers_{workers}_warm"], _ = _dask_seconds(warc, workers, warmup, tasks)
        runs.append(run)
    result: dict[str, Any] = {
        "articles": count, "tasks": tasks, "repeats": repeats,
        "note": "the WARC is read as record-aligned splits, one task each; speedup_2_over_1 "
        "includes starting each LocalCluster and its workers' imports; a warm figure "
        "starts timing once every worker has run the warm-up pages; speed-ups are medians "
        "of the per-repeat ratios, seconds the median of each timing",
    }  # fmt: skip
    return {**result, **summarize_dask_runs(runs)}


#: Longest the Dask measurement may take per repeat and per 581 pages: one
#: repeat (1 and 2 workers, cold) of the 581 pages takes ~1 minute on 2 cores.
DASK_TIMEOUT_S = 600


def _dask_timeout(repeats: int, pages: int | None, warm: bool) -> float:
    """Seconds before the Dask measurement counts as hung (at least an hour)."""
    work = repeats * max(1.0, (pages or BENCH_PAGES) / BENCH_PAGES) * (2 if warm else 1)
    return max(3600.0, DASK_TIMEOUT_S * work)


def dask_speedup_fresh(
    warc: Path, warmup: Path | None, repeats: int, pages: int | None = None
) -> dict[str, Any]:
    """:func:`dask_speedup` in a fresh process, as ``storytrace ingest --engine dask`` runs.

    The driver shares the two cores with the workers; measured in the process that
    had just run the one-core stages (spaCy, the embedder, 581 documents held), a
    1-worker cold run took 42.5-43.7 s against 35.2-38.8 s from a fresh process.
    """
    code = (
        "import json, sys; from pathlib import Path; "
        "from bench.throughput import dask_speedup; "
        "warm = Path(sys.argv[2]) if sys.argv[2] else None; "
        "pages = int(sys.argv[4]) if sys.argv[4] else None; "
        "print(json.dumps(dask_speedup(Path(sys.argv[1]), warm, int(sys.argv[3]), pages)))"
    )
    cmd = [sys.executable, "-c", code, str(warc), str(warmup or ""), str(repeats), str(pages or "")]
    timeout = _dask_timeout(repeats, pages, warmup is not None)
    try:
        child = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise StorytraceError(
            "ST121", f"the Dask measurement did not finish in {timeout:.0f} s"
        ) from exc
    try:
        result: dict[str, Any] = json.loads(child.stdout.splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        result = {}
    if child.returncode or "speedup_2_over_1" not in result:
        # No speed-up must not reach a results file as if measured.
        raise StorytraceError(
            "ST121",
            f"the Dask measurement failed (exit {child.returncode}): {child.stderr[-1500:]}",
        )
    return result


def summarize_dask_runs(runs: list[dict[str, float]]) -> dict[str, Any]:
    """Median seconds of each timing and the median, min and max 2-over-1 speed-ups.

    Args:
        runs: one dict per repeat, ``workers_1``/``workers_2`` seconds and, when
            warm runs were taken, ``workers_1_warm``/``workers_2_warm``.
    """
    out: dict[str, Any] = {
        "seconds": {k: round(statistics.median(r[k] for r in runs), 2) for k in runs[0]},
        "runs": [{k: round(v, 2) for k, v in r.items()} for r in runs],
    }
    for suffix in ("", "_warm") if "workers_1_warm" in runs[0] else ("",):
        ratios = [r[f"workers_1{suffix}"] / r[f"workers_2{suffix}"] for r in runs]
        out[f"speedup_2_over_1{suffix}"] = round(statistics.median(ratios), 3)
        out[f"speedup_2_over_1{suffix}_min"] = round(min(ratios), 3)
        out[f"speedup_2_over_1{suffix}_max"] = round(max(ratios), 3)
    return out


#: Article counts at which the streaming run's RSS is reported.
STREAM_CHECKPOINTS = (10_000, 25_000, 50_000, 100_000)
#: RSS growth (MB per 10,000 articles, after warm-up) under which memory counts
#: as flat: 1 KB an article, the state a streaming ingest keeps per document --
#: the input-dedup map of content hash to first source (~0.24 KB), the store's
#: primary-key index (~0.12 KB) and the memory DuckDB is allowed for it
#: (0.25 KB, see ``store.duck.INDEX_BYTES_PER_DOC``) -- with some slack. Nothing
#: else may grow with the corpus.
FLAT_MB_PER_10K = 10.0


def light_clean(text: str) -> Cleaned:
    """Bench stand-in for ``boilerplate.text.v1``: every non-empty line is body, unscored.

    Same output shape as the text cleaner (one segment per line, body joined
    by blank lines) at a fraction of its cost; used by ``--stream-stages light``.
    """
    segments: list[Segment] = []
    parts: list[str] = []
    offset = 0
    for match in _LINE.finditer(text):
        segments.append(
            Segment(match.start(), match.end(), SegmentLabel.BODY, None, "bench.lines", offset)
        )
        parts.append(match.group(0))
        offset += len(match.group(0)) + 2
    return Cleaned(text, "\n\n".join(parts), tuple(segments), method="bench.lines")


def light_metadata(cleaned: Cleaned, config: object) -> Metadata:
    """Bench stand-in for ``metadata.text.v1``: nothing printed is read (the URL still is)."""
    return Metadata()


def _light_clean_stage(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    if work.raw.html is not None or work.cleaned is not None:
        return work
    cleaned = light_clean(work.raw.text or "")
    return replace(work, cleaned=cleaned, ran=(*work.ran, "boilerplate.text.v1"))


def _light_metadata_stage(work: DocumentWork, config: AnalyzeConfig) -> DocumentWork:
    if work.cleaned is None:
        return work
    printed = light_metadata(work.cleaned, config.metadata)
    return replace(work, printed=printed, ran=(*work.ran, "metadata.text.v1"))


def _use_light_stages() -> None:
    """Swap the two costly per-document stages for the stand-ins, in this process only."""
    from storytrace.pipeline import registry

    for name, stage in (
        ("boilerplate.text.v1", _light_clean_stage),
        ("metadata.text.v1", _light_metadata_stage),
    ):
        spec = registry.STAGES[name]
        assert isinstance(spec, registry.DocumentSpec)
        registry.STAGES[name] = replace(spec, run=stage)


def _peak_rss_mb() -> float:
    """This process's peak RSS so far, in MB.

    Read from ``VmHWM`` in ``/proc/self/status`` where there is one: Linux's
    ``getrusage`` peak survives ``exec``, so a child would report its parent's
    peak at fork time (the bench holds ~650 MB of pages when it starts one).
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_child(stream: Path, db: Path, stages: str, every: int) -> None:
    """The measured process: ``api.ingest`` of ``stream`` into ``db``, RSS on stdout.

    Prints one JSON line every ``every`` inputs (articles read, seconds, current
    RSS and the peak so far), and a last line with the result.
    """
    import psutil

    from storytrace import api

    if stages == "light":
        _use_light_stages()
    handle, started, read = psutil.Process(), time.perf_counter(), [0]

    def checkpoint(result: Document | Diagnostic) -> None:
        read[0] += 1
        if read[0] % every == 0:
            line = {
                "articles": read[0], "seconds": round(time.perf_counter() - started, 1),
                "rss_mb": round(handle.memory_info().rss / 2**20, 1),
                "peak_mb": round(_peak_rss_mb(), 1),
            }  # fmt: skip
            print(json.dumps(line), flush=True)

    # Documents only, as measured before the store held the analysis (#26): the
    # corpus stages over the whole stream are another cost (python -m bench store).
    from storytrace.pipeline.config import AnalyzeConfig

    docs_only = AnalyzeConfig(corpus_stages=())
    summary = api.ingest([str(stream)], db, docs_only, progress=checkpoint)
    peak = round(_peak_rss_mb(), 1)
    print(json.dumps({"done": True, "added": summary.added, "peak_mb": peak}), flush=True)


def _slope_mb_per_10k(points: list[dict[str, Any]], warmup: int) -> float | None:
    """Least-squares slope of RSS against articles read after ``warmup``, in MB per 10,000."""
    xs = [float(p["articles"]) for p in points if p["articles"] >= warmup]
    ys = [float(p["rss_mb"]) for p in points if p["articles"] >= warmup]
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return round(slope * 10_000, 2)


def _summarise_stream(points: list[dict[str, Any]], last: dict[str, Any]) -> dict[str, Any]:
    """Checkpoints, peak and slope of a streaming run's samples."""
    total = points[-1]["articles"] if points else 0
    warmup = min(10_000, total // 5)
    slope = _slope_mb_per_10k(points, warmup)
    at = {p["articles"]: p for p in points}
    return {
        "articles_read": total, "warmup_articles": warmup, "peak_rss_mb": last.get("peak_mb"),
        "rss_mb_at": {str(n): at[n]["rss_mb"] for n in STREAM_CHECKPOINTS if n in at},
        "peak_rss_mb_at": {str(n): at[n]["peak_mb"] for n in STREAM_CHECKPOINTS if n in at},
        "slope_mb_per_10k_after_warmup": slope,
        "flat": slope is not None and slope <= FLAT_MB_PER_10K,
        "articles_per_s": round(total / points[-1]["seconds"], 1) if points else None,
        "samples": [[p["articles"], p["rss_mb"]] for p in points],
    }  # fmt: skip


def streaming_memory(stream: Path, work: Path, config: ThroughputConfig) -> dict[str, Any]:
    """RSS of an ingest streaming a JSONL into a new store, by articles read.

    Runs ``stream_child`` in a fresh process (so nothing of this one is
    counted) and reads its checkpoints. With ``stages="full"`` it is exactly
    what ``storytrace ingest`` runs.
    """
    db = work / "stream.duckdb"
    db.unlink(missing_ok=True)
    code = "import sys; from pathlib import Path; from bench.throughput import stream_child; stream_child(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))"
    cmd = [
        sys.executable,
        "-c",
        code,
        str(stream),
        str(db),
        config.stream_stages,
        str(config.checkpoint_every),
    ]
    started = time.perf_counter()
    child = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [json.loads(line) for line in child.stdout.splitlines() if line.startswith("{")]
    points = [line for line in lines if "articles" in line]
    last = lines[-1] if lines and lines[-1].get("done") else {}
    result = {
        "stages": config.stream_stages,
        "exit": child.returncode,
        "seconds": round(time.perf_counter() - started, 1),
        "added": last.get("added"),
    }
    if child.returncode:
        result["stderr_tail"] = child.stderr[-2000:]
    return {**result, **_summarise_stream(points, last), "store_mb": round(db.stat().st_size / 2**20, 1) if db.exists() else None}  # fmt: skip


def extrapolate(
    full_per_core: float, cores_per_machine: int = 2, efficiency: float = 1.0
) -> dict[str, Any]:
    """Machines for one month of CC-NEWS in 24 h at the measured full-pipeline rate.

    Args:
        full_per_core (float): full-pipeline articles/s on one core.
        cores_per_machine (int): cores of a machine.
        efficiency (float): share of a core's rate each worker keeps when several
            run (the Dask 2-over-1 speed-up over 2); 1.0 is linear scaling.
    """
    if not 0 < efficiency <= 1:
        raise ValueError(f"efficiency must be in (0, 1], not {efficiency}")
    needed = CC_NEWS_MONTH / 86_400
    cores = needed / (full_per_core * efficiency)
    return {
        "articles": CC_NEWS_MONTH, "needed_articles_per_s": round(needed, 1),
        "scaling_efficiency": round(efficiency, 3),
        "cores": round(cores, 1), "machines_of_2_cores": int(-(-cores // cores_per_machine)),
        "assumptions": "full pipeline rate per core as measured here on CC-NEWS-like HTML pages; each "
        "worker keeps the share of that rate the Dask 2-over-1 speed-up measured here (scaling_efficiency), "
        "also across machines (dedup and stories are sub-quadratic and a small share of the cost); the "
        "driver's store writes keep up (they are batched); reading WARCs from local disk.",
    }  # fmt: skip


def write_stream(warc: Path, path: Path, count: int) -> int:
    """Write the synthetic JSONL: perturbed copies of the bodies the pipeline extracts from ``warc``.

    Returns:
        int: how many distinct bodies the copies are made from.
    """
    config = replace(AnalyzeConfig(), corpus_stages=())
    bodies = [d.text for d in _timed_documents(warc, config)[0] if d.text]
    with path.open("w", encoding="utf-8") as out:
        out.writelines(synthetic_stream(bodies, count))
    return len(bodies)


def _speed(
    warc: Path, pages: list[tuple[str, str]], work: Path, config: ThroughputConfig
) -> dict[str, Any]:
    """One-core rates, the Dask speed-up and the CC-NEWS extrapolation."""
    warmup = work / "warmup.warc.gz"
    write_warc(warmup, pages[:: max(1, len(pages) // 8)][:8])
    core = one_core(warc, warmup)
    dask_warc = work / f"pages_x{config.dask_copies}.warc.gz"
    records = write_warc(dask_warc, copied_pages(pages, config.dask_copies))
    dask = dask_speedup_fresh(
        dask_warc, warmup if config.dask_warm else None, config.dask_repeats, records
    )
    return {
        "one_core": core,
        "dask": {"copies": config.dask_copies, **dask},
        "cc_news_month_in_24h": extrapolate(
            core["articles_per_s"]["full_pipeline"],
            efficiency=min(1.0, dask["speedup_2_over_1"] / 2),
        ),
    }


def run_throughput_bench(
    data_dir: Path, work: Path, config: ThroughputConfig | None = None
) -> dict[str, Any]:
    """Build the corpus under ``work`` and run every measurement; returns JSON-able results."""
    config = config or ThroughputConfig()
    work.mkdir(parents=True, exist_ok=True)
    pages = html_pages(data_dir)
    warc = work / "pages.warc.gz"
    write_warc(warc, pages)
    stream = work / "stream.jsonl"
    bodies = write_stream(warc, stream, config.stream_articles)
    result: dict[str, Any] = {
        "corpus": {
            "html_pages": len(pages), "stream_articles": config.stream_articles,
            "stream_bodies": bodies, "stream_mb": round(stream.stat().st_size / 2**20, 1),
        }
    }  # fmt: skip
    if not config.stream_only:
        result.update(_speed(warc, pages, work, config))
    result["streaming_memory"] = streaming_memory(stream, work, config)
    return result
