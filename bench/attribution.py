"""Quote attribution bench: the quote stage against the dev and check sets and the baseline.

Loads ``bench/data/quotes/dev.jsonl`` (tuned on) and ``bench/data/quotes/check.jsonl``
(the check split, never tuned on; see :mod:`bench.quotes`), runs the quote stage
(:func:`storytrace.stages.quotes.extract.quotes_of_doc`) and the textacy-style baseline on
every document, scores both with the same scorer in one run, measures the precision of the
stage's anonymous-source flag, and times the system on one core.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.quotes import anonymous_flag_precision, load_dev, score_quotes, textacy_style_baseline
from storytrace.records import Quote, TextSpan
from storytrace.stages.entities.extract import entity_pipeline
from storytrace.stages.quotes.extract import QuoteConfig, quotes_of_doc

#: The dev set, relative to the repository root.
DEV_PATH = Path("bench/data/quotes/dev.jsonl")
#: The check split (issue #25), relative to the repository root.
CHECK_PATH = Path("bench/data/quotes/check.jsonl")
#: The issue's targets on the check split: token-overlap F1 of source and content, and the
#: precision of the anonymous flag.
CHECK_TARGETS = {
    "source_token_f1": 0.80,
    "content_token_f1": 0.85,
    "anonymous_flag_precision": 0.95,
}


def quote_to_dict(quote: Quote, text: str) -> dict[str, Any]:
    """One :class:`Quote` in the dev-set dict format.

    Args:
        quote (Quote): a quote of the stage.
        text (str): the text its offsets point into.

    Returns:
        dict: ``cue``, ``sources``, ``contents``, ``via``, ``source_type``,
        ``speaker_resolved``, ``addressee`` and ``kind``, plus ``anonymous`` (the stage's
        own flag, which the anonymous-flag precision reads).
    """
    return {
        "cue": _pair(quote.cue_span),
        "sources": [_pair(quote.speaker_span)] if quote.speaker_span else [],
        "contents": [_pair(s) for s in quote.content_spans],
        "via": [[v.start, v.end] for v in quote.via if v.start is not None and v.end is not None],
        "source_type": _source_type(quote, text),
        "speaker_resolved": quote.speaker_resolved,
        "addressee": _pair(quote.addressee_span),
        "kind": quote.kind,
        "anonymous": bool(quote.anonymous),
    }


def _pair(span: TextSpan | None) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def _source_type(quote: Quote, text: str) -> str:
    if quote.speaker_span is None:
        return "none"
    if quote.speaker_resolved and text[
        quote.speaker_span.start : quote.speaker_span.end
    ].lower() in ("he", "she", "it", "they", "we", "i", "him", "her"):
        return "pronoun"
    return "anonymous" if quote.anonymous else "named"


def system_predictions(gold: Sequence[dict[str, Any]], config: QuoteConfig) -> list[dict[str, Any]]:
    """Run the quote stage on every dev text (one ``nlp.pipe`` batch stream).

    Args:
        gold (Sequence[dict]): dev documents.
        config (QuoteConfig): stage options.

    Returns:
        list[dict]: ``{"id", "quotes"}`` per document.
    """
    texts = [d["text"] for d in gold]
    parsed = entity_pipeline().pipe(texts, batch_size=config.batch_size)
    out = []
    for doc, sdoc in zip(gold, parsed, strict=True):
        quotes = quotes_of_doc(doc["id"], sdoc, config)
        out.append({"id": doc["id"], "quotes": [quote_to_dict(q, doc["text"]) for q in quotes]})
    return out


def dev_path(data_dir: Path | None, relative: Path = DEV_PATH) -> Path:
    """Where a quote set is: under ``data_dir``, the current directory or the repository.

    Args:
        data_dir (Path | None): a directory that may hold ``bench/data/quotes/<set>.jsonl``.
        relative (Path): the set's path relative to the repository root (``DEV_PATH`` or
            ``CHECK_PATH``).

    Returns:
        Path: the first candidate that exists (the last one tried if none does, so
        the error names a sensible path).
    """
    repo = Path(__file__).resolve().parents[1]
    candidates = [d / relative for d in (data_dir, Path.cwd(), repo) if d is not None]
    return next((c for c in candidates if c.exists()), candidates[-1])


def score_split(gold: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Score the quote stage and the baseline on one set of gold documents.

    Args:
        gold (Sequence[dict]): documents as :func:`bench.quotes.load_dev` returns them.

    Returns:
        dict: ``rows`` (system, field, exact and token-overlap P/R/F1), ``counts`` per
        system, ``anonymous_flag`` per system (:func:`bench.quotes.anonymous_flag_precision`)
        and ``throughput`` (articles/s and chars/s of the system, one core).
    """
    started = time.perf_counter()
    system = system_predictions(gold, QuoteConfig())
    elapsed = time.perf_counter() - started
    baseline = [{"id": d["id"], "quotes": textacy_style_baseline(d["text"])} for d in gold]
    rows: list[dict[str, Any]] = []
    counts: dict[str, Any] = {}
    flags: dict[str, Any] = {}
    for name, pred in (("storytrace", system), ("baseline", baseline)):
        result = score_quotes(list(gold), pred)
        rows += [{"system": name, **row} for row in result["rows"]]
        counts[name] = {**result["counts"], "recall_by_kind": result["recall_by_kind"]}
        flags[name] = anonymous_flag_precision(list(gold), pred)
    chars = sum(len(d["text"]) for d in gold)
    throughput = {
        "articles_per_s": round(len(gold) / elapsed, 2) if elapsed else 0.0,
        "chars_per_s": round(chars / elapsed) if elapsed else 0,
        "seconds": round(elapsed, 2),
    }
    return {"rows": rows, "counts": counts, "anonymous_flag": flags, "throughput": throughput}


def check_targets(split: dict[str, Any]) -> dict[str, Any]:
    """The stage's check-split figures beside the issue's targets.

    Args:
        split (dict): what :func:`score_split` returned for the check split.

    Returns:
        dict: per target, the figure, the target and whether it is met.
    """
    tok = {r["field"]: r["token_f1"] for r in split["rows"] if r["system"] == "storytrace"}
    figures = {
        "source_token_f1": tok.get("source", 0.0),
        "content_token_f1": tok.get("content", 0.0),
        "anonymous_flag_precision": split["anonymous_flag"]["storytrace"]["precision"],
    }
    return {
        name: {"figure": figures[name], "target": target, "met": figures[name] >= target}
        for name, target in CHECK_TARGETS.items()
    }


def run_quotes_bench(data_dir: Path | None = None) -> dict[str, Any]:
    """Score the quote stage and the baseline on the dev set and the check split in one run.

    Args:
        data_dir (Path | None): a directory holding ``bench/data/quotes/`` (the repository
            root); when it holds none (e.g. the shared data directory), the current
            directory and then the repository of this package are tried.

    Returns:
        dict: ``dev`` and ``check`` (each as :func:`score_split` returns it, with
        ``documents``), and ``check_targets`` (:func:`check_targets`). ``check`` scores
        whatever documents ``check.jsonl`` holds when run; it is absent (with a
        ``note``) when the file is missing.
    """
    entity_pipeline()  # load the model before timing
    out: dict[str, Any] = {}
    for name, relative in (("dev", DEV_PATH), ("check", CHECK_PATH)):
        path = dev_path(data_dir, relative)
        if name == "check" and not path.exists():
            out["note"] = f"no check split at {path}"
            continue
        gold = load_dev(path)
        out[name] = score_split(gold)
    if "check" in out:
        out["check_targets"] = check_targets(out["check"])
    return out


def format_rows(result: dict[str, Any]) -> str:
    """The bench result as fixed-width tables, one per split.

    Args:
        result (dict): what :func:`run_quotes_bench` returned.

    Returns:
        str: per split, one line per system and field, the anonymous-flag precision and the
        throughput; then the check targets.
    """
    head = f"{'system':<11}{'field':<9}" + "".join(
        f"{c:>9}" for c in ("ex_p", "ex_r", "ex_f1", "tok_p", "tok_r", "tok_f1")
    )
    lines = []
    for split in ("dev", "check"):
        if split not in result:
            continue
        part = result[split]
        lines += [f"== {split}: {part['counts']['storytrace']['documents']} documents", head]
        for r in part["rows"]:
            values = (
                r["exact_p"],
                r["exact_r"],
                r["exact_f1"],
                r["token_p"],
                r["token_r"],
                r["token_f1"],
            )
            lines.append(
                f"{r['system']:<11}{r['field']:<9}" + "".join(f"{v:>9.3f}" for v in values)
            )
        for name, flag in part["anonymous_flag"].items():
            lines.append(
                f"anonymous flag ({name}): precision {flag['precision']:.3f}"
                f" ({flag['correct']} of {flag['flagged_matched']} matched, {flag['flagged']} flagged)"
            )
        t = part["throughput"]
        lines.append(
            f"throughput: {t['articles_per_s']} articles/s, {t['chars_per_s']} chars/s (1 core)"
        )
    for name, target in result.get("check_targets", {}).items():
        lines.append(
            f"check target {name}: {target['figure']:.3f} (target {target['target']:.2f}, "
            f"{'met' if target['met'] else 'not met'})"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    outcome = run_quotes_bench(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(format_rows(outcome))
    print(
        json.dumps({k: v["counts"] for k, v in outcome.items() if k in ("dev", "check")}, indent=1)
    )
