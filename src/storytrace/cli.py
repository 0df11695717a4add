"""The command line: thin commands over ``storytrace.api``.

Each command parses its arguments, calls one API function and renders the
result. ``StorytraceError`` is caught here, at the edge, and printed as one line;
tracebacks appear only with ``--debug``.

Exit codes: 0 everything read; 1 the dossier was written but some inputs failed;
2 usage error; 3 nothing could be analysed or another storytrace error.

DOCS: docs/cli.md
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from storytrace import __version__, api
from storytrace.console import (
    OutputMode,
    bench_table,
    install_log_handler,
    log_event,
    on_result,
    progress_bar,
    route_library_logs,
    safe,
    stderr,
    stdout,
    summary,
)
from storytrace.errors import StorytraceError
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.engine import DaskConfig
from storytrace.pipeline.registry import STAGES
from storytrace.stages.boilerplate.text.config import CleanMode
from storytrace.stages.ingest.files import count_articles

if TYPE_CHECKING:
    from storytrace.store.fetches import FetchRow

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_ERROR = 0, 1, 2, 3

app = typer.Typer(
    name="storytrace",
    pretty_exceptions_show_locals=False,  # locals may hold article text; never print them
    help=(
        "Source-traced dossiers from a pile of news coverage, fully offline.\n\n"
        "Examples:\n\n"
        "  storytrace analyze examples/seeds --out out/\n\n"
        "  storytrace analyze 'pages/**/*.html' feed.jsonl --out report/ --quiet\n\n"
        "  storytrace ingest pages/ --db news.duckdb && storytrace serve --db news.duckdb"
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)

_state: dict[str, bool] = {"debug": False}


class CleanChoice(StrEnum):
    """``--clean``: when the plain-text boilerplate classifier runs."""

    NEVER = "never"
    AUTO = "auto"
    ALWAYS = "always"


_CLEAN_MODES: dict[CleanChoice, CleanMode] = {
    CleanChoice.NEVER: "never",
    CleanChoice.AUTO: "auto",
    CleanChoice.ALWAYS: "always",
}
CleanOpt = Annotated[
    CleanChoice,
    typer.Option(
        "--clean",
        help="Plain-text pages: auto runs the boilerplate classifier unless a page is already "
        "article text (then every sentence is kept); never keeps every line; always runs it "
        "on every page.",
    ),
]


class ExportFormat(StrEnum):
    """``--format`` of ``export``."""

    PARQUET = "parquet"
    CSV = "csv"
    BOTH = "both"


def _status(mode: OutputMode, text: str) -> None:
    """A long step starting (e.g. the corpus analysis), on stderr unless quiet."""
    log_event(mode, "status", message=text)
    if not mode.quiet and not mode.json_log:
        stderr.print(safe(text))


def _with_clean(config: AnalyzeConfig, clean: CleanChoice) -> AnalyzeConfig:
    return replace(config, textclean=replace(config.textclean, clean=_CLEAN_MODES[clean]))


def _version(value: bool) -> None:
    if value:
        stdout.print(f"storytrace {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    _state["debug"] = debug


@app.command()
def analyze(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or quoted globs.")
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for dossier.json, dossier.md, dossier.html.")
    ] = Path("storytrace-out"),
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    json_log: Annotated[
        bool,
        typer.Option("--json-log", help="Machine-readable JSON lines on stderr instead of text."),
    ] = False,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", help="Skip files larger than this (bytes).")
    ] = 50_000_000,
    clean: CleanOpt = CleanChoice.AUTO,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            "-j",
            min=1,
            help="Worker processes (default: every core; 1 runs in this process). "
            "The dossier is the same with any number.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Analyse news pages (.txt, .html, .html.gz, .jsonl) and write the dossier."""
    mode = OutputMode(quiet, json_log)
    route_library_logs(mode)
    config = _with_clean(AnalyzeConfig(), clean)
    config = replace(config, ingest=replace(config.ingest, max_bytes=max_bytes))
    with progress_bar(mode, count_articles(paths, config.ingest), "reading") as bar:
        dossier = api.analyze(paths, config, lambda r: on_result(mode, bar, r), workers)
    written = api.write_dossier(dossier, out, timestamp=True, workers=workers)
    summary(mode, dossier, str(written.html))
    raise typer.Exit(EXIT_PARTIAL if dossier.run.failed else EXIT_OK)


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (searched recursively) or quoted globs.")
    ],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store; created when missing.")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    json_log: Annotated[
        bool,
        typer.Option("--json-log", help="Machine-readable JSON lines on stderr instead of text."),
    ] = False,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Documents committed per transaction.")
    ] = 200,
    engine: Annotated[
        str, typer.Option("--engine", help="Where the per-document stages run: local or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="Dask scheduler (tcp://host:8786); default: a local cluster."
        ),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes of a local Dask cluster.")
    ] = 2,
    split_mb: Annotated[
        int,
        typer.Option(
            "--split-mb",
            min=0,
            help="Dask: read WARC.gz and JSONL files over this size as record-aligned splits "
            "of about this size, one task each (0: one task a file).",
        ),
    ] = 64,
    clean: CleanOpt = CleanChoice.AUTO,
    no_analysis: Annotated[
        bool,
        typer.Option(
            "--no-analysis",
            help="Store documents only; by default the corpus analysis (stories, claims, "
            "quotes ...) is stored once they are in.",
        ),
    ] = False,
) -> None:
    """Add news pages to a store, then store the corpus analysis. Idempotent and resumable."""
    mode = OutputMode(quiet, json_log)
    route_library_logs(mode)
    if engine not in ("local", "dask"):
        raise typer.BadParameter("must be 'local' or 'dask'", param_hint="--engine")
    config = _with_clean(AnalyzeConfig(), clean)
    config = replace(config, ingest=replace(config.ingest, batch_size=batch_size))
    if no_analysis:
        config = replace(config, corpus_stages=())
    dask = (
        DaskConfig(scheduler=scheduler, workers=workers, split_bytes=split_mb * 2**20)
        if engine == "dask"
        else None
    )
    with progress_bar(mode, count_articles(paths, config.ingest), "ingesting") as bar:
        result = api.ingest(
            paths, db, config, lambda r: on_result(mode, bar, r), engine=dask,
            status=lambda text: _status(mode, text),
        )  # fmt: skip
    log_event(mode, "summary", **dataclasses.asdict(result))
    if not quiet and not json_log:
        stderr.print(
            f"added {result.added}, already stored {result.already_stored}, failed {result.failed}; {result.total_stored} documents in {safe(db)}"
        )
        if result.analysed:
            stderr.print(result.analysis_line())
    raise typer.Exit(EXIT_PARTIAL if result.failed else EXIT_OK)


@app.command()
def report(
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to report on.")],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for dossier.json, dossier.md, dossier.html.")
    ] = Path("storytrace-out"),
) -> None:
    """Write the dossier of everything in a store (from its stored analysis when current)."""
    mode = OutputMode(False, False)
    dossier = api.dossier_from_store(db, status=lambda text: _status(mode, text))
    written = api.write_dossier(dossier, out, timestamp=True)
    stdout.print(f"wrote {safe(written.html)}, {safe(written.markdown)}, {safe(written.json)}")


@app.command()
def export(
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store to export.")],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder for the exported files (created when missing)."),
    ] = Path("storytrace-export"),
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="The tables as Parquet, CSV or both."),
    ] = ExportFormat.PARQUET,
) -> None:
    """Export a store: every table as Parquet/CSV, entities as FollowTheMoney, claims as JSON-LD."""
    summary = api.export_store(db, out, fmt.value)
    stdout.print(
        f"exported {summary.documents} documents and {summary.diagnostics} diagnostics: "
        + ", ".join(safe(f) for f in summary.files)
    )


@app.command()
def stories(
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store.")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the stories as JSON.")] = False,
) -> None:
    """List the stories in a store: size, date span, outlets, headline."""
    found = api.stories_from_store(db)
    if json_out:
        stdout.out(json.dumps(found, indent=2, ensure_ascii=False))
        return
    rows = [
        {"#": i, "articles": s["size"], "from": s["earliest"] or "?", "to": s["latest"] or "?",
         "outlets": ", ".join(s["outlets"][:4]) or "not printed", "headline": s["headline"] or "(none printed)"}
        for i, s in enumerate(found, start=1)
    ]  # fmt: skip
    bench_table(f"{len(found)} stories in {db}", rows)


@app.command()
def serve(
    db: Annotated[
        Path,
        typer.Option("--db", help="The DuckDB store to browse (read-only unless --allow-edits)."),
    ],
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to bind. Anything but loopback exposes your material."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    allow_edits: Annotated[
        bool,
        typer.Option(
            "--allow-edits",
            help="Open the store for writing and accept corrections from the UI (CSRF-checked).",
        ),
    ] = False,
) -> None:
    """Browse a store in a local web UI: search articles, browse the analysis tables, correct it."""
    import uvicorn

    from storytrace.web.app import create_app

    if host not in ("127.0.0.1", "localhost", "::1"):
        stderr.print(
            f"[yellow]warning[/] serving on {safe(host)}: anyone who can reach it can read the store"
        )
    if allow_edits:
        stderr.print(
            "[yellow]edits allowed[/]: corrections made in the UI are written to the store"
        )
    web = create_app(db, hosts=(host,), allow_edits=allow_edits)
    stderr.print(f"storytrace: http://{safe(host)}:{port}/  (Ctrl-C to stop)")
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)


correct_app = typer.Typer(
    help=(
        "List, make and undo corrections of a store's analysis (the overlay `serve "
        "--allow-edits` writes: who, when, why, before and after).\n\n"
        "Examples:\n\n"
        "  storytrace correct list --db news.duckdb\n\n"
        "  storytrace correct add --db news.duckdb --kind quote_speaker "
        "--target 0123456789abcdef:q3 --value 'Jane Roe' --why 'named in the video'\n\n"
        "  storytrace correct undo 4 --db news.duckdb --why 'my mistake'"
    ),
    no_args_is_help=True,
)
app.add_typer(correct_app, name="correct")


class CorrectionKind(StrEnum):
    """``--kind`` of ``correct add``: what the web UI corrects."""

    QUOTE_SPEAKER = "quote_speaker"
    ENTITY_MERGE = "entity_merge"
    ENTITY_SPLIT = "entity_split"
    STORY_MOVE = "story_move"
    CLAIM_ORIGIN = "claim_origin"
    MENTION_STANCE = "mention_stance"


_TARGETS = (
    "quote_speaker: a quote id (<doc_id>:q3); entity_merge: the entity absorbed; "
    "entity_split: an entity id; story_move: a document id; claim_origin: <claim_id>/<origin_key>; "
    "mention_stance: <claim_id>/<doc_id>/<start>"
)
StoreOpt = Annotated[Path, typer.Option("--db", help="The DuckDB store.")]
WhoOpt = Annotated[
    str,
    typer.Option("--who", help="Who makes it (default: your login name).", show_default=False),
]
WhyOpt = Annotated[str, typer.Option("--why", help="Why: kept with the correction.")]


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


@correct_app.command("list")
def correct_list(
    db: StoreOpt,
    json_out: Annotated[bool, typer.Option("--json", help="Print them as JSON.")] = False,
) -> None:
    """Every correction, newest first, undone ones and undo rows included."""
    found = sorted(api.corrections_from_store(db), key=lambda c: -c.id)
    listed = [dataclasses.asdict(c) for c in found]
    if json_out:
        stdout.out(json.dumps(listed, indent=2, ensure_ascii=False))
        return
    if not found:
        stdout.print(f"no corrections in {safe(db)}")
        return
    rows = [
        {"id": c.id, "when": c.when, "who": c.who, "kind": c.kind, "target": c.target,
         "before → after": f"{c.before or '—'} → {c.after or '—'}", "why": c.why,
         "state": "undone" if c.undone else ""}
        for c in found
    ]  # fmt: skip
    bench_table(f"{len(found)} corrections in {db}", rows)


@correct_app.command("add")
def correct_add(
    db: StoreOpt,
    kind: Annotated[CorrectionKind, typer.Option("--kind", help="What is corrected.")],
    target: Annotated[str, typer.Option("--target", help=f"What it names. {_TARGETS}.")],
    why: WhyOpt,
    value: Annotated[
        str,
        typer.Option(
            "--value",
            help="The right value: a speaker's name, the entity that keeps the merged one, a "
            "surface form to split off, a story id (empty: a story of its own), an origin's "
            "name, affirmed or negated.",
        ),
    ] = "",
    who: WhoOpt = "",
    before: Annotated[
        str,
        typer.Option("--before", help="What the tool had (default: read from the store)."),
    ] = "",
) -> None:
    """Record a correction; every later report, export and page applies it."""
    from storytrace.records.corrections import Draft

    draft = Draft(kind.value, target, before, value, who or _login(), why)
    made = api.correct(db, draft)
    c = made.correction
    stdout.print(
        f"correction {c.id}: {c.kind} {safe(c.target)}: {safe(c.before or '—')} → "
        f"{safe(c.after or '—')} ({safe(c.who)}, {c.when})"
    )
    if not made.found:
        stderr.print(
            f"[yellow]warning[/] {safe(target)} is not in the store's analysis: the correction "
            "is recorded and listed, and changes nothing until it names something"
        )


@correct_app.command("undo")
def correct_undo(
    correction_id: Annotated[int, typer.Argument(help="The id `correct list` shows.")],
    db: StoreOpt,
    why: WhyOpt,
    who: WhoOpt = "",
) -> None:
    """Undo a correction: an undo row (who, when, why) is added, nothing is deleted."""
    row = api.undo_correction(db, correction_id, who or _login(), why)
    stdout.print(
        f"correction {correction_id} undone (correction {row.id}, {safe(row.who)}, {row.when})"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of dossier.json."""
    stdout.out(json.dumps(api.schema(), indent=2))


@app.command()
def stages() -> None:
    """List the registered stages: what `analyze` runs by default, in order, then the others."""
    default = AnalyzeConfig()
    order = default.pipeline + default.corpus_stages
    for name in (*order, *sorted(set(STAGES) - set(order))):
        spec = STAGES[name]
        mark = "" if name in order else "  (not run by default)"
        stdout.print(f"[bold]{name}[/] [dim]{spec.kind}[/]{mark}  {spec.doc}")


def main() -> None:
    """Console entry point: run the app, turning storytrace errors into one clear line.

    Click's standalone mode handles usage errors (exit 2), ``--help`` and exit
    codes; only ``StorytraceError`` needs catching here, at the edge.
    """
    install_log_handler()
    try:
        app(prog_name="storytrace")
    except StorytraceError as exc:
        # An InputError's per-input diagnostics were already printed as they came.
        stderr.print(f"[red]error[/] {safe(str(exc))}")
        if _state["debug"]:
            raise
        raise SystemExit(EXIT_ERROR) from None


def _fetch_line(mode: OutputMode) -> Callable[[FetchRow], None]:
    """Prints one line per fetch on stderr (JSON with --json-log, nothing with --quiet)."""

    def show(row: FetchRow) -> None:
        status = "—" if row.status is None else str(row.status)
        log_event(mode, "fetch", url=row.url, status=row.status, kind=row.kind, problem=row.problem)
        if mode.quiet or mode.json_log:
            return
        note = f" [red]{row.problem}[/] {safe(row.detail)}" if row.problem else ""
        stderr.print(f"{status:>3} {row.kind:<7} {safe(row.url)}{note}")

    return show


@app.command()
def collect(
    targets: Annotated[
        list[str],
        typer.Argument(help="Page, RSS/Atom feed or sitemap URLs (told apart by content)."),
    ],
    db: Annotated[Path, typer.Option("--db", help="The DuckDB store; created when missing.")],
    archive: Annotated[
        Path | None,
        typer.Option("--archive", help="Folder for the WARC files (default: <db>-archive)."),
    ] = None,
    keyword: Annotated[
        list[str] | None,
        typer.Option(
            "--keyword", "-k", help="Keep only feed entries naming this word (repeatable)."
        ),
    ] = None,
    rate_limit: Annotated[
        float, typer.Option("--rate-limit", min=0, help="Seconds between requests to one host.")
    ] = 1.0,
    max_pages: Annotated[
        int, typer.Option("--max-pages", min=1, help="Pages fetched in this run at most.")
    ] = 1000,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
    json_log: Annotated[
        bool,
        typer.Option("--json-log", help="Machine-readable JSON lines on stderr instead of text."),
    ] = False,
) -> None:
    """Fetch pages, feeds and sitemaps politely into a store; every page archived as WARC."""
    from storytrace.collect.config import CollectConfig

    mode = OutputMode(quiet, json_log)
    route_library_logs(mode)
    config = CollectConfig(rate_limit_s=rate_limit, max_pages=max_pages)
    report = api.collect(targets, db, archive, keyword or (), config, _fetch_line(mode))
    log_event(mode, "summary", new=len(report.new_pages), edited=len(report.edited),
              removed=len(report.removed), unchanged=report.unchanged,
              problems=len(report.problems), requests=report.requests)  # fmt: skip
    if not quiet and not json_log:
        stderr.print(
            f"{len(report.new_pages)} new, {len(report.edited)} edited, {len(report.removed)} "
            f"removed, {report.unchanged} unchanged, {len(report.problems)} problems "
            f"({report.requests} requests); archive {safe(report.warc or '-')}"
        )
    raise typer.Exit(EXIT_PARTIAL if report.problems else EXIT_OK)


@app.command()
def watch(
    watchfile: Annotated[
        Path, typer.Argument(help="The TOML file of a situation (docs/collect.md).")
    ],
    db: Annotated[
        Path | None, typer.Option("--db", help="The store (default: the file's `db`).")
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for changes.md/.json and alerts.xml."),
    ] = None,
    once: Annotated[bool, typer.Option("--once", help="Run once and exit (the default).")] = False,
    every: Annotated[
        str | None, typer.Option("--every", help="Run again after this interval: 30m, 2h, 1d.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print errors only.")] = False,
) -> None:
    """Collect a situation's feeds and URLs, analyse, and write what changed since the last run."""
    import time

    from storytrace.collect.watchfile import parse_every

    if once and every:
        raise typer.BadParameter("give --once or --every, not both", param_hint="--every")
    interval = parse_every(every) if every else None
    mode = OutputMode(quiet, False)
    while True:
        try:
            result = api.watch(watchfile, db, out, _fetch_line(mode))
        except StorytraceError as exc:
            if interval is None:
                raise
            # On an interval, one failed run (a locked store) must not end the watch.
            stderr.print(f"[red]error[/] {safe(str(exc))}; next run in {every}")
            time.sleep(interval)
            continue
        if not quiet:
            kinds = sorted({a.kind for a in result.alerts})
            counts = ", ".join(f"{sum(a.kind == k for a in result.alerts)} {k}" for k in kinds)
            stdout.print(
                f"{len(result.alerts)} changes ({counts or 'none'}); wrote {safe(result.markdown)}, "
                f"{safe(result.feed)}"
            )
        if interval is None:
            return
        time.sleep(interval)
