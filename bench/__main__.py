"""The benchmarks: ``python -m bench NAME`` prints tables (with a baseline) and writes JSON.

Development tooling, not part of the installed package: run from a checkout, where
the shared data sets sit beside it (``../shared/data``) or in ``$STORYTRACE_DATA``.
Benchmarks are not tests: none asserts a figure; docs/benchmarks.md records them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from storytrace.console import bench_table, result_tables, safe, stdout
from storytrace.errors import StorytraceError

REPO = Path(__file__).resolve().parents[1]

app = typer.Typer(
    name="bench",
    help="storytrace's benchmarks: print a table and write JSON (not tests).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _data_dir(data: Path | None, subfolder: str | None = None) -> Path:
    """The shared data folder (or one of its sets: ``--data`` may name either)."""
    found = data or Path(os.environ.get("STORYTRACE_DATA", "../shared/data"))
    if subfolder and (found / subfolder).is_dir():
        found = found / subfolder
    if not found.is_dir():
        raise StorytraceError(
            "ST120",
            f"Benchmark data folder {found} not found. Pass --data DIR or set STORYTRACE_DATA.",
        )
    return found


def _emit(name: str, result: dict[str, Any], out: Path | None) -> None:
    """Print every table of a bench result and write the JSON."""
    for where, rows in result_tables(result):
        bench_table(f"{name}: {where}", rows)
    path = out or Path("bench-results") / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(result, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    stdout.print(f"wrote {safe(path)}")


DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data", help="The shared data folder (default: $STORYTRACE_DATA or ../shared/data)."
    ),
]
OutOpt = Annotated[Path | None, typer.Option("--json", help="Where to write the JSON result.")]


@app.command("extract")
def bench_extract(data: DataOpt = None, out: OutOpt = None) -> None:
    """Body and metadata extraction: HTML (ScrapingHub, WCXB) and plain-text dumps."""
    from bench.extract import run_html_bench
    from bench.extract_text import run_text_dump_bench

    folder = _data_dir(data)
    _emit(
        "extract", {"html": run_html_bench(folder), "text_dumps": run_text_dump_bench(folder)}, out
    )


@app.command("stories")
def bench_stories(data: DataOpt = None, out: OutOpt = None) -> None:
    """Story clustering on ECB+ (tuned on train, reported on dev) beside a TF-IDF baseline."""
    from bench.stories import run_stories_bench

    _emit("stories", run_stories_bench(_data_dir(data, "ecbplus-stories")), out)


QuotesOutOpt = Annotated[
    Path | None, typer.Option("--out", "--json", help="Where to write the JSON result.")
]


@app.command("quotes")
def bench_quotes(data: DataOpt = None, out: QuotesOutOpt = None) -> None:
    """Quote attribution on the dev set and the check split, beside a textacy-style baseline.

    Scores bench/data/quotes/dev.jsonl (tuned on) and check.jsonl (never tuned on) in one
    run, each with the baseline, plus the precision of the anonymous-source flag and the
    check split's figures against the issue's targets.
    """
    from bench.attribution import run_quotes_bench

    _emit("quotes", run_quotes_bench(_data_dir(data)), out)


@app.command("entities")
def bench_entities(
    data: DataOpt = None,
    out: OutOpt = None,
    split: Annotated[
        list[str] | None,
        typer.Option("--split", help="Only this split: dev or check (repeatable)."),
    ] = None,
) -> None:
    """Entity alias merging on 17 hand-annotated ECB+ topics (dev and check) beside an exact-string baseline."""
    from bench.entities import DATA, SPLITS, run_entities_bench

    chosen = tuple(split or SPLITS)
    if not set(chosen) <= set(SPLITS):
        raise typer.BadParameter("must be 'dev' or 'check'", param_hint="--split")
    _emit("entities", run_entities_bench(_data_dir(data, "ecbplus-stories"), DATA, chosen), out)


@app.command("time")
def bench_time(data: DataOpt = None, out: OutOpt = None) -> None:
    """Time expressions on MEANTIME: detection and value P/R/F1 against gold TIMEX3."""
    from bench.time import run_time_bench

    _emit("time", run_time_bench(_data_dir(data, "meantime-en")), out)


@app.command("timeline")
def bench_timeline(data: DataOpt = None, out: OutOpt = None) -> None:
    """Cross-document timelines on SemEval-2015 Task 4 track A: temporal-awareness P/R/F1."""
    from bench.timeline import run_timeline_bench

    _emit("timeline", run_timeline_bench(_data_dir(data, "semeval2015-task4-timeline")), out)


@app.command("crosscheck")
def bench_crosscheck(
    seeds: Annotated[Path, typer.Option(help="The seed folder.")] = Path("examples/seeds"),
    checklist: Annotated[Path, typer.Option(help="The seed checklist.")] = Path(
        "tests/golden/seeds_checklist.json"
    ),
    data: DataOpt = None,
    out: OutOpt = None,
    work: Annotated[
        Path, typer.Option("--work", help="Folder for the annotated topics' input files.")
    ] = Path("bench-work/crosscheck"),
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="Only this annotated topic (repeatable).")
    ] = None,
) -> None:
    """Claims, origins, stance, speakers, conflicts and drift on 16 hand-annotated ECB+ topics
    (dev and check splits, beside a baseline), GOLDEN.md's lineage items, the older ECB+ hand check."""
    from bench.crosscheck import run_crosscheck_bench
    from bench.crosscheck_ecb import run_ecbplus_crosscheck
    from bench.crosscheck_set import run_crosscheck_set

    stories = _data_dir(data, "ecbplus-stories")
    result = {"annotated": run_crosscheck_set(stories, work, tuple(topic or ()))}
    result["seeds"] = run_crosscheck_bench(seeds, checklist)
    result["ecbplus_hand_check"] = run_ecbplus_crosscheck(stories)
    _emit("crosscheck", result, out)


@app.command("throughput")
def bench_throughput(
    data: DataOpt = None,
    out: OutOpt = None,
    work: Annotated[
        Path, typer.Option("--work", help="Folder for the generated corpus and store.")
    ] = Path("bench-work"),
    stream: Annotated[
        int,
        typer.Option("--stream", min=100, help="Synthetic articles streamed for the memory test."),
    ] = 100_000,
    stream_stages: Annotated[
        str,
        typer.Option(
            "--stream-stages",
            help="full: every per-document stage; light: stand-ins for the text cleaner and printed metadata (real reader and store).",
        ),
    ] = "full",
    stream_only: Annotated[
        bool, typer.Option("--stream-only", help="Run only the streaming-memory measurement.")
    ] = False,
    dask_repeats: Annotated[
        int,
        typer.Option(
            "--dask-repeats", min=1, max=20, help="Times the Dask timings are taken (median)."
        ),
    ] = 3,
    dask_copies: Annotated[
        int,
        typer.Option(
            "--dask-copies",
            min=1,
            max=100,
            help="Copies of the pages the Dask speed-up is measured on (4: ~2,300 articles).",
        ),
    ] = 4,
    dask_warm: Annotated[
        bool,
        typer.Option(
            "--dask-warm", help="Also time each Dask cluster after a warm-up (start-up excluded)."
        ),
    ] = False,
) -> None:
    """Articles/s (cheap path, full pipeline, spaCy floor), Dask speed-up, streaming memory."""
    from bench.throughput import ThroughputConfig, run_throughput_bench

    if stream_stages not in ("full", "light"):
        raise typer.BadParameter("must be 'full' or 'light'", param_hint="--stream-stages")
    config = ThroughputConfig(
        stream,
        stream_stages,
        stream_only,
        dask_repeats=dask_repeats,
        dask_copies=dask_copies,
        dask_warm=dask_warm,
    )
    _emit("throughput", run_throughput_bench(_data_dir(data), work, config), out)


@app.command("scale")
def bench_scale(
    data: DataOpt = None,
    out: OutOpt = None,
    work: Annotated[
        Path, typer.Option("--work", help="Folder for the corpora and dossiers written.")
    ] = Path("bench-work/scale"),
    size: Annotated[
        list[int] | None,
        typer.Option(
            "--size",
            "--articles",
            min=1,
            help="Corpus size in articles (repeatable; 210 and 1000).",
        ),
    ] = None,
    workers: Annotated[
        list[int] | None,
        typer.Option("--workers", min=1, help="Worker counts (repeatable; 1 and 2), first = base."),
    ] = None,
    profile: Annotated[
        bool,
        typer.Option(
            "--profile",
            help="Also measure CPU seconds per part, driver and workers, and Amdahl's bound "
            "(meaningful on a shared machine, where wall time is not).",
        ),
    ] = False,
) -> None:
    """`analyze` with 1 and 2 workers on 210 and 1,000 articles: wall time, speed-up, same dossier."""
    from bench.scale import ScaleConfig, run_scale_bench

    config = ScaleConfig(tuple(size or (210, 1000)), tuple(workers or (1, 2)), profile)
    _emit("scale", run_scale_bench(_data_dir(data), work, config), out)


@app.command("web")
def bench_web(
    requests: Annotated[
        int, typer.Option("--requests", min=1, max=100_000, help="Requests to send (bounded).")
    ] = 2000,
    threads: Annotated[int, typer.Option("--threads", min=1, max=64, help="Client threads.")] = 8,
    out: OutOpt = None,
) -> None:
    """Load the web UI from a second process on 127.0.0.1: requests/s, latency, errors."""
    import tempfile

    from bench.web import LoadConfig, run_web_bench

    seeds = REPO / "examples" / "seeds"
    with tempfile.TemporaryDirectory() as work:
        _emit("web", run_web_bench(seeds, Path(work), LoadConfig(requests, threads)), out)


@app.command("report")
def bench_report(
    articles: Annotated[
        int,
        typer.Option("--articles", min=5, max=20_000, help="Articles in the synthetic dossier."),
    ] = 1000,
    work: Annotated[
        Path, typer.Option("--work", help="Folder for the rendered reports and pages.")
    ] = Path("bench-work/report"),
    out: OutOpt = None,
) -> None:
    """Dossier size, render time and page load in Chromium: the seeds and a synthetic corpus."""
    from bench.report import ReportBenchConfig, run_report_bench

    seeds = REPO / "examples" / "seeds"
    _emit("report", run_report_bench(seeds, work, ReportBenchConfig(articles=articles)), out)


@app.command("collect")
def bench_collect(
    pages: Annotated[
        int, typer.Option("--pages", min=1, max=20_000, help="Pages the local site serves.")
    ] = 200,
    watch_pages: Annotated[
        int, typer.Option("--watch-pages", min=1, max=1000, help="Pages in the watched feed.")
    ] = 20,
    out: OutOpt = None,
) -> None:
    """Collect throughput against a local site (rate limit off) and a watch run finding nothing new."""
    from bench.collect import CollectBenchConfig, run_collect_bench

    _emit("collect", run_collect_bench(CollectBenchConfig(pages, min(watch_pages, pages))), out)


@app.command("store")
def bench_store(
    articles: Annotated[
        list[int] | None,
        typer.Option(
            "--articles",
            min=5,
            max=20_000,
            help="Articles in a store (replicated); repeat for several sizes (default 1000).",
        ),
    ] = None,
    queries: Annotated[
        int, typer.Option("--queries", min=1, max=10_000, help="Requests timed per page kind.")
    ] = 50,
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental/--no-incremental",
            help="Then time an ingest of 100 new articles into each store.",
        ),
    ] = True,
    increment: Annotated[
        int,
        typer.Option(
            "--increment", min=1, max=10_000, help="New articles the incremental ingest adds."
        ),
    ] = 100,
    work: Annotated[Path, typer.Option("--work", help="Folder for the stores.")] = Path(
        "bench-work/store"
    ),
    out: OutOpt = None,
) -> None:
    """Page latency through `serve` (a second process, loopback) on stores of N articles,
    the browsing database's build, and an incremental ingest of `--increment` articles
    (it prints what it kept per story and what it recomputed over every article)."""
    from bench.store import StoreBenchConfig, run_store_bench

    seeds = REPO / "examples" / "seeds"
    sizes = tuple(articles or (1000,))
    config = StoreBenchConfig(
        articles=sizes, queries=queries, incremental=incremental, increment=increment
    )
    _emit("store", run_store_bench([seeds], work, config), out)


def main() -> None:
    """Run a benchmark; a missing data folder is one line, exit 3."""
    try:
        app(prog_name="python -m bench")
    except StorytraceError as exc:
        stdout.print(f"[red]error[/] {safe(str(exc))}")
        raise SystemExit(3) from None


if __name__ == "__main__":
    main()
