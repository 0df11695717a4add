"""``analyze`` on every core: wall time with 1 and N workers, speed-up, same dossier: `python -m bench scale`.

With ``--profile`` it measures where the CPU seconds go instead of wall time
(meaningful on a shared machine): each run is this module run as a script
(``python -m bench.scale FOLDER WORKERS OUT``), which does what ``storytrace
analyze`` does with a CPU ledger active (``storytrace.pipeline.cpu``) and prints
it: the driver's CPU per part (start-up, reading and building the documents,
each corpus stage, rendering) and the workers' per kind of task (with the
largest single task). The driver's seconds with no worker task in flight
(``driver_alone_s``) are the serial part; the workers' seconds and the
driver's beside them are shared by the cores, so Amdahl's bound on the
speed-up of N workers is ``total / (alone + (workers + beside) / N)``, taken
with the 1-worker run's total CPU (``bound``) and with the N-worker run's own
(``bound_own``, which also counts what the pool adds: each worker's model
loading, pickling). ``unaccounted_s`` is the CPU the operating
system counted for the run's processes beyond the ledger (unpickling tasks in
the workers, the pool's threads).

The corpora (written under a work folder, never committed) are picked
deterministically from ``../shared/data``: ECB+ articles (``ecbplus-stories``)
topic by topic in topic-number order, so 210 articles are the first ten topics
or so, whole stories with their two events each. ECB+ holds 772 articles; a
larger size is topped up with the ScrapingHub HTML pages, then WCXB dev pages,
in file-name order (the result records how many came from each).

Each size is analysed by ``storytrace analyze`` as a user runs it -- a fresh
process, start-up and model loading included -- once per worker count (``-j``),
and the dossiers are compared: ``dossier.json`` without its ``generated_at``,
``dossier.html`` with that stamp removed, byte for byte. The speed-up is the
1-worker wall time over the N-worker one. Not a test: nothing is asserted;
docs/benchmarks.md records the figures with the machine they were taken on.

DOCS: docs/scale.md
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storytrace.errors import StorytraceError

#: ECB+ topics are numbered; their articles are taken in this order.
ECB = "ecbplus-stories/articles.jsonl"
TOP_UP = ("scrapinghub-aeb/html", "wcxb/dev/html")


@dataclass(frozen=True, slots=True)
class ScaleConfig:
    """What ``bench scale`` runs.

    Attributes:
        sizes (tuple[int, ...]): corpus sizes in articles.
        workers (tuple[int, ...]): worker counts; the first is the baseline.
    """

    sizes: tuple[int, ...] = (210, 1000)
    workers: tuple[int, ...] = (1, 2)
    profile: bool = False


def write_corpus(data: Path, size: int, folder: Path) -> dict[str, int]:
    """Write ``size`` articles under ``folder``: ECB+ lines first, then HTML pages linked in.

    Returns:
        dict[str, int]: how many articles came from each source.
    """
    folder.mkdir(parents=True, exist_ok=True)
    rows = [json.loads(line) for line in (data / ECB).read_text("utf-8").splitlines() if line]
    rows.sort(key=lambda r: (int(r["topic"]), r["story"], r["id"]))
    taken = rows[:size]
    (folder / "articles.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in taken), encoding="utf-8"
    )
    counts = {"ecbplus": len(taken)}
    left = size - len(taken)
    for source in TOP_UP:
        pages = sorted((data / source).glob("*.htm*"))[: max(0, left)]
        target = folder / source.replace("/", "-")
        target.mkdir(exist_ok=True)
        for page in pages:
            link = target / page.name
            if not link.exists():
                link.symlink_to(page.resolve())
        counts[source.split("/")[0]] = len(pages)
        left -= len(pages)
    return counts


def _analyze(folder: Path, workers: int, out: Path) -> float:
    """Wall seconds of one ``storytrace analyze`` of ``folder`` in a fresh process."""
    cmd = [sys.executable, "-m", "storytrace", "analyze", str(folder), "--out", str(out)]
    started = time.perf_counter()
    done = subprocess.run(
        [*cmd, "-q", "--workers", str(workers)], check=False, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1: written, some inputs failed
        raise StorytraceError(
            "ST121", f"analyze --workers {workers} failed: {done.stderr.strip()[-400:]}"
        )
    return seconds


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _profiled(folder: Path, workers: int, out: Path) -> dict[str, Any]:
    """The CPU ledger of one analysis of ``folder`` in a fresh process (see module doc)."""
    before = _children_cpu()
    cmd = [sys.executable, "-m", "bench.scale", str(folder), str(workers), str(out)]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        raise StorytraceError(
            "ST121", f"profiled analyze --workers {workers} failed: {done.stderr.strip()[-400:]}"
        )
    ledger: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    seen = _children_cpu() - before
    driver = sum(ledger["driver_s"].values())
    ledger["total_s"] = round(driver + ledger["workers_total_s"], 3)
    ledger["unaccounted_s"] = round(seen - ledger["total_s"], 3)
    return ledger


def _cpu_rows(ledger: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """One row per part: driver seconds, workers' seconds, tasks and the largest task."""
    rows: dict[str, dict[str, Any]] = {}
    for name, seconds in ledger["driver_s"].items():
        rows[f"driver: {name}"] = {"cpu_s": seconds, "tasks": 0, "largest_task_s": 0.0}
    for name, seconds in ledger["workers_s"].items():
        rows[f"workers: {name}"] = {
            "cpu_s": seconds,
            "tasks": ledger["tasks"][name],
            "largest_task_s": ledger["largest_task_s"][name],
        }
    return rows


def _accounting(runs: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """Per worker count: the CPU table and the figures Amdahl's bound is made of."""
    base = runs[min(runs)]["total_s"]
    out: dict[str, Any] = {}
    for workers, ledger in runs.items():
        alone = ledger["driver_alone_s"]
        shared = ledger["workers_total_s"] + ledger["driver_beside_workers_s"]
        spent = alone + shared / workers
        out[f"cpu with {workers}"] = {
            "parts": _cpu_rows(ledger),
            "total_s": ledger["total_s"],
            "driver_alone_s": alone,
            "driver_beside_workers_s": ledger["driver_beside_workers_s"],
            "workers_s": ledger["workers_total_s"],
            "unaccounted_s": ledger["unaccounted_s"],
            "bound": round(base / spent, 2) if spent else 0.0,
            "bound_own": round(ledger["total_s"] / spent, 2) if spent else 0.0,
        }
        if workers > 1:
            out[f"wall seconds with {workers}, by part and tasks in flight"] = {
                part: {level: levels.get(level, 0.0) for level in _LEVELS}
                for part, levels in ledger.get("wall_s", {}).items()
            }
    return out


#: How many worker tasks were in flight (``CpuLedger.occupancy``), in the table's order.
_LEVELS = ("no task", "a worker idle", "every worker busy")


def _dossier_bytes(out: Path) -> tuple[str, bytes]:
    """``dossier.json`` without ``generated_at`` and ``dossier.html`` with the stamp removed."""
    data = json.loads((out / "dossier.json").read_text("utf-8"))
    stamp = data.pop("generated_at", None) or data.get("run", {}).pop("generated_at", None)
    html = (out / "dossier.html").read_bytes()
    if stamp:
        html = html.replace(str(stamp).encode(), b"")
    return json.dumps(data, sort_keys=True, ensure_ascii=False), html


def run_scale_bench(data: Path, work: Path, config: ScaleConfig = ScaleConfig()) -> dict[str, Any]:
    """Analyse each size with each worker count; wall times, speed-ups, same dossier.

    Args:
        data (Path): the shared data folder.
        work (Path): where the corpora and dossiers are written.
        config (ScaleConfig): sizes and worker counts.

    Returns:
        dict: one table per size (a row per worker count), and the machine's cores.
    """
    result: dict[str, Any] = {"cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    for size in config.sizes:
        folder = work / f"corpus-{size}"
        sources = write_corpus(data, size, folder)
        rows: dict[str, dict[str, Any]] = {}
        ledgers: dict[int, dict[str, Any]] = {}
        base_time: float | None = None
        base_dossier: tuple[str, bytes] | None = None
        for workers in config.workers:
            out = work / f"out-{size}-{workers}"
            if config.profile:
                started = time.perf_counter()
                ledgers[workers] = _profiled(folder, workers, out)
                seconds = time.perf_counter() - started
            else:
                seconds = _analyze(folder, workers, out)
            dossier = _dossier_bytes(out)
            base_time = seconds if base_time is None else base_time
            base_dossier = dossier if base_dossier is None else base_dossier
            rows[f"{workers} worker{'s' if workers > 1 else ''}"] = {
                "wall_s": round(seconds, 1),
                "speed_up": round(base_time / seconds, 2),
                "same_json": dossier[0] == base_dossier[0],
                "same_html": dossier[1] == base_dossier[1],
            }
        found: dict[str, Any] = {"runs": rows, **{f"from_{k}": v for k, v in sources.items()}}
        if ledgers:
            found.update(_accounting(ledgers))
        result[f"{size} articles"] = found
    return result


def profile_main(argv: list[str]) -> int:
    """``python -m bench.scale FOLDER WORKERS OUT``: analyze as the CLI does, print the ledger.

    The last line printed is the ledger's JSON (``CpuLedger.as_dict``).
    """
    start_up = time.process_time()  # the interpreter and this module
    from storytrace.pipeline import cpu

    folder, workers, out = argv[0], int(argv[1]), Path(argv[2])
    with cpu.measuring() as ledger:
        ledger.add_driver("start-up", start_up)
        with cpu.part("imports"):
            from storytrace import api
            from storytrace.pipeline.config import AnalyzeConfig
            from storytrace.stages.ingest.files import count_articles
        config = AnalyzeConfig()
        with cpu.part("counting inputs"):
            count_articles([folder], config.ingest)
        dossier = api.analyze([folder], config, workers=workers)
        with cpu.part("render"):
            api.write_dossier(dossier, out, timestamp=True, workers=workers)
    print(json.dumps(ledger.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(profile_main(sys.argv[1:]))
