"""Quote attribution bench: the quote stage against the dev set and the baseline.

Loads ``bench/data/quotes/dev.jsonl`` (see :mod:`bench.quotes`), runs the
quote stage (:func:`storytrace.stages.quotes.extract.quotes_of_doc`) and the textacy-style
baseline on every document, scores both with the same scorer in one run, and times
the system on one core.

DOCS: docs/stages/quotes.md
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.quotes import load_dev, score_quotes, textacy_style_baseline
from storytrace.records import Quote, TextSpan
from storytrace.stages.entities.extract import entity_pipeline
from storytrace.stages.quotes.extract import QuoteConfig, quotes_of_doc

#: The dev set, relative to the repository root.
DEV_PATH = Path("bench/data/quotes/dev.jsonl")


def quote_to_dict(quote: Quote, text: str) -> dict[str, Any]:
    """One :class:`Quote` in the dev-set dict format.

    Args:
        quote (Quote): a quote of the stage.
        text (str): the text its offsets point into.

    Returns:
        dict: ``cue``, ``sources``, ``contents``, ``via``, ``source_type``,
        ``speaker_resolved``, ``addressee`` and ``kind``.
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


def dev_path(data_dir: Path | None) -> Path:
    """Where the dev set is: under ``data_dir``, the current directory or the repository.

    Args:
        data_dir (Path | None): a directory that may hold ``bench/data/quotes/dev.jsonl``.

    Returns:
        Path: the first candidate that exists (the last one tried if none does, so
        the error names a sensible path).
    """
    repo = Path(__file__).resolve().parents[1]
    candidates = [d / DEV_PATH for d in (data_dir, Path.cwd(), repo) if d is not None]
    return next((c for c in candidates if c.exists()), candidates[-1])


def run_quotes_bench(data_dir: Path | None = None) -> dict[str, Any]:
    """Score the quote stage and the baseline on the dev set in one run.

    Args:
        data_dir (Path | None): a directory holding ``bench/data/quotes/dev.jsonl`` (the
            repository root); when it holds none (e.g. the shared data directory), the
            current directory and then the repository of this package are tried.

    Returns:
        dict: ``rows`` (system, field, exact and token-overlap P/R/F1), ``counts`` per
        system and ``throughput`` (articles/s and chars/s of the system, one core).
    """
    gold = load_dev(dev_path(data_dir))
    entity_pipeline()  # load the model before timing
    started = time.perf_counter()
    system = system_predictions(gold, QuoteConfig())
    elapsed = time.perf_counter() - started
    baseline = [{"id": d["id"], "quotes": textacy_style_baseline(d["text"])} for d in gold]
    rows: list[dict[str, Any]] = []
    counts: dict[str, Any] = {}
    for name, pred in (("storytrace", system), ("baseline", baseline)):
        result = score_quotes(gold, pred)
        rows += [{"system": name, **row} for row in result["rows"]]
        counts[name] = {**result["counts"], "recall_by_kind": result["recall_by_kind"]}
    chars = sum(len(d["text"]) for d in gold)
    throughput = {
        "articles_per_s": round(len(gold) / elapsed, 2),
        "chars_per_s": round(chars / elapsed),
        "seconds": round(elapsed, 2),
    }
    return {"rows": rows, "counts": counts, "throughput": throughput}


def format_rows(result: dict[str, Any]) -> str:
    """The bench result as a fixed-width table.

    Args:
        result (dict): what :func:`run_quotes_bench` returned.

    Returns:
        str: one line per system and field, then the throughput.
    """
    head = f"{'system':<11}{'field':<9}" + "".join(
        f"{c:>9}" for c in ("ex_p", "ex_r", "ex_f1", "tok_p", "tok_r", "tok_f1")
    )
    lines = [head]
    for r in result["rows"]:
        values = (
            r["exact_p"],
            r["exact_r"],
            r["exact_f1"],
            r["token_p"],
            r["token_r"],
            r["token_f1"],
        )
        lines.append(f"{r['system']:<11}{r['field']:<9}" + "".join(f"{v:>9.3f}" for v in values))
    t = result["throughput"]
    lines.append(
        f"throughput: {t['articles_per_s']} articles/s, {t['chars_per_s']} chars/s (1 core)"
    )
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    outcome = run_quotes_bench(Path(sys.argv[1]) if len(sys.argv) > 1 else None)
    print(format_rows(outcome))
    print(json.dumps(outcome["counts"], indent=1))
