"""Benchmark of the plain-text dump cleaner on the ScrapingHub AEB dumps.

The AEB ``plaintext-dumps`` are full-page text renderings (html-text 0.7.0 and
inscriptis 2.6.0) of the 181 benchmark pages; the gold is the article body.
Scored with :func:`bench.metrics.aeb_score`. The same run measures
two baselines: keep everything (the published identity scores 0.665/0.679)
and jusText (each dump line wrapped in ``<p>``, English stoplist), so the
numbers are comparable on this machine. These dumps are report-only: the model
is trained on WCXB (``tools/train_textclean.py``), never on them.

Beside them, ``clean_input`` (:mod:`bench.clean_input`): already-clean ECB+
article texts through the same cleaner, counting empty bodies and articles
that lose a sentence (train and dev reported apart).
"""

from __future__ import annotations

import html
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.clean_input import run_clean_input_bench
from bench.metrics import aeb_score
from storytrace.stages.boilerplate.text.clean import clean_text_dump

FLAVOURS = ("html-text", "inscriptis")
Extractor = Callable[[str], str]


def _keep_all(dump: str) -> str:
    return dump


def _justext(dump: str) -> str:
    """jusText over the dump, one ``<p>`` per line (as the AEB README measured it)."""
    import justext  # imported lazily: a benchmark-only dependency

    markup = (
        "<html><body>"
        + "".join(f"<p>{html.escape(line)}</p>" for line in dump.split("\n") if line.strip())
        + "</body></html>"
    )
    paragraphs = justext.justext(markup.encode("utf-8"), justext.get_stoplist("English"))
    return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _textclean(dump: str) -> str:
    return clean_text_dump(dump).text


def _score(gold: dict[str, str], dumps: dict[str, str], extract: Extractor) -> dict[str, Any]:
    """AEB P/R/F1 of one extractor over one dump flavour, with its speed."""
    started = time.perf_counter()
    pairs = [(gold[k], extract(dumps[k])) for k in sorted(gold)]
    seconds = time.perf_counter() - started
    prf = aeb_score(pairs)
    return {
        "precision": round(prf.precision, 4),
        "recall": round(prf.recall, 4),
        "f1": round(prf.f1, 4),
        "pages": prf.pages,
        "pages_per_s": round(prf.pages / seconds, 1) if seconds else None,
    }


def run_text_dump_bench(data_dir: Path) -> dict[str, Any]:
    """Score textclean, keep-everything and jusText on both AEB dump flavours.

    Args:
        data_dir (Path): the ``shared/data`` folder (holding ``scrapinghub-aeb``),
            or the ``scrapinghub-aeb`` folder itself.

    Returns:
        dict[str, Any]: ``{flavour: {extractor: {precision, recall, f1, pages,
        pages_per_s}}}`` plus ``"dataset"``, and ``"clean_input"`` (see
        :func:`bench.clean_input.run_clean_input_bench`) when ``ecbplus-stories``
        sits beside it.
    """
    clean_input = None
    if (data_dir / "ecbplus-stories").is_dir():
        clean_input = run_clean_input_bench(data_dir / "ecbplus-stories")
    if (data_dir / "scrapinghub-aeb").is_dir():
        data_dir = data_dir / "scrapinghub-aeb"
    truth = json.loads((data_dir / "ground-truth.json").read_text(encoding="utf-8"))
    gold = {k: v["articleBody"] for k, v in truth.items()}
    extractors: dict[str, Extractor] = {
        "textclean": _textclean,
        "keep_all": _keep_all,
        "justext": _justext,
    }
    result: dict[str, Any] = {"dataset": str(data_dir)}
    for flavour in FLAVOURS:
        path = data_dir / "plaintext-dumps" / f"{flavour}.json"
        output = json.loads(path.read_text(encoding="utf-8"))["output"]
        dumps = {k: output[k]["articleBody"] for k in gold}
        result[flavour] = {name: _score(gold, dumps, fn) for name, fn in extractors.items()}
    if clean_input is not None:
        result["clean_input"] = clean_input
    return result


if __name__ == "__main__":
    print(
        json.dumps(
            run_text_dump_bench(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")),
            indent=2,
        )
    )
