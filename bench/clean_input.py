"""Already-clean input through the plain-text cleaner: ECB+ train/dev texts as ``.txt`` dumps.

ECB+ article texts (``ecbplus-stories/articles.jsonl``, one sentence a line) hold
article text with at most a headline and a dateline: no menus, no footers. Fed to
:func:`~storytrace.stages.boilerplate.text.clean.clean_text_dump` as a ``.txt``
file would be read, nothing of the article should go. Gold: every line of 8+
words that is not a dateline must stay body. Counted per split (train topics for
tuning, dev reported): empty bodies, articles losing a gold line, and gold lines
lost, beside the "keep everything" baseline and the classifier forced on every
page (``clean="always"``, the behaviour before clean-input detection).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from storytrace.stages.boilerplate.text.clean import TextCleanConfig, clean_text_dump
from storytrace.stages.boilerplate.text.config import CleanMode
from storytrace.stages.boilerplate.text.rules import is_dateline, word_count
from storytrace.stages.ingest.decode import normalise_text

ARTICLES = "articles.jsonl"
GOLD_MIN_WORDS = 8
#: A cleaner maps a dump to its body lines.
BodyLines = Callable[[str], list[str]]


def as_dump(text: str) -> str:
    """An article text as the ``.txt`` reader hands it on (normalised, final newline)."""
    return normalise_text(text + "\n")


def gold_lines(text: str) -> list[str]:
    """Lines that must survive cleaning: 8+ words and not a dateline."""
    lines = [ln.strip() for ln in text.split("\n")]
    return [ln for ln in lines if word_count(ln) >= GOLD_MIN_WORDS and not is_dateline(ln)]


def _cleaner(mode: CleanMode) -> BodyLines:
    config = TextCleanConfig(clean=mode)

    def body(dump: str) -> list[str]:
        cleaned = clean_text_dump(dump, config)
        return [dump[s.start : s.end] for s in cleaned.segments if s.is_body]

    return body


def _keep_all(dump: str) -> list[str]:
    return [ln.strip() for ln in dump.split("\n") if ln.strip()]


def score_split(rows: list[dict[str, Any]], body_lines: BodyLines) -> dict[str, Any]:
    """Empty bodies and articles losing a gold line over one split.

    Args:
        rows (list[dict[str, Any]]): ``articles.jsonl`` records of one split.
        body_lines (BodyLines): the cleaner under test.

    Returns:
        dict[str, Any]: articles, empty bodies, articles losing a gold line (count
        and share), gold lines lost, other lines removed, and the ids that lost.
    """
    empty = losing = lost = gold_total = removed = 0
    losers: list[str] = []
    for row in rows:
        dump = as_dump(row["text"])
        kept = body_lines(dump)
        gold = gold_lines(row["text"])
        missing = [ln for ln in gold if ln not in set(kept)]
        empty += not kept
        losing += bool(missing)
        lost += len(missing)
        gold_total += len(gold)
        removed += len(_keep_all(dump)) - len(kept) - len(missing)
        if missing:
            losers.append(row["id"])
    return {
        "articles": len(rows),
        "empty_bodies": empty,
        "losing_a_sentence": losing,
        "losing_share": round(losing / max(len(rows), 1), 4),
        "gold_lines_lost": lost,
        "gold_lines": gold_total,
        "other_lines_removed": removed,
        "losers": ", ".join(losers[:12]),
    }


def run_clean_input_bench(data_dir: Path) -> dict[str, Any]:
    """Score the cleaner (auto, always) and keep-everything on ECB+ train and dev.

    Args:
        data_dir (Path): the ``shared/data`` folder or ``ecbplus-stories`` itself.

    Returns:
        dict[str, Any]: ``{split: {cleaner: row}}`` plus ``"dataset"``.
    """
    if (data_dir / "ecbplus-stories").is_dir():
        data_dir = data_dir / "ecbplus-stories"
    lines = (data_dir / ARTICLES).read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    cleaners: dict[str, BodyLines] = {
        "textclean": _cleaner("auto"),
        "textclean_always": _cleaner("always"),
        "keep_all": _keep_all,
    }
    result: dict[str, Any] = {"dataset": str(data_dir)}
    for split in ("train", "dev"):
        part = [r for r in rows if r["split"] == split]
        result[split] = {name: score_split(part, fn) for name, fn in cleaners.items()}
    return result


if __name__ == "__main__":
    print(
        json.dumps(
            run_clean_input_bench(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")),
            indent=2,
        )
    )
