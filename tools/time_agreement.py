"""Agreement of a second annotator with the news time set's gold (issue #25).

Reads every ``.ann`` file of a review folder (``bench/data/time/review`` by default; same
format as the gold, see ``bench/time_newsset.py``) and the gold file of the same name, and
prints per article and overall:

* ``exact``: spans identical in both (F1 = 2 * matched / (gold + review));
* ``overlap``: spans paired one to one when they overlap (an exact pair first, then the
  first unpaired overlapping span in text order), F1 the same way;
* ``type`` / ``value``: of the overlapping pairs, how many have the same type, the same
  value, and both (``t+v``), as counts and as a share of the pairs.

``--diff`` lists every difference (unpaired spans and pairs whose span, type or value
differ), for adjudication.

    PYTHONPATH=$PWD/src:$PWD .venv/bin/python tools/time_agreement.py [--diff]
        [--review bench/data/time/review] [--gold bench/data/time/gold]
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field
from pathlib import Path

from bench.time import Timex
from bench.time_newsset import FOLDER, _spans, parse_ann


@dataclass
class Tally:
    """Counts for one article or the whole sample."""

    gold: int = 0
    review: int = 0
    exact: int = 0
    overlap: int = 0
    same_type: int = 0
    same_value: int = 0
    same_both: int = 0
    diffs: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for name in ("gold", "review", "exact", "overlap", "same_type", "same_value", "same_both"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def pair(gold: list[Timex], review: list[Timex]) -> list[tuple[Timex, Timex]]:
    """Pair overlapping spans one to one: identical spans first, then in text order."""
    pairs, used_g, used_r = [], set(), set()
    for i, g in enumerate(gold):
        for j, r in enumerate(review):
            if j not in used_r and (g.start, g.end) == (r.start, r.end):
                pairs.append((i, j))
                used_g.add(i)
                used_r.add(j)
                break
    for i, g in enumerate(gold):
        if i in used_g:
            continue
        for j, r in enumerate(review):
            if j not in used_r and g.start < r.end and r.start < g.end:
                pairs.append((i, j))
                used_g.add(i)
                used_r.add(j)
                break
    return [(gold[i], review[j]) for i, j in sorted(pairs)]


def compare(gold_path: Path, review_path: Path) -> Tally:
    """Tally one article."""
    _, text, gold_rows = parse_ann(gold_path)
    _, review_text, review_rows = parse_ann(review_path)
    if review_text != text:
        raise ValueError(f"{review_path.name}: text differs from the gold file's")
    gold = _spans(text, gold_rows, gold_path.stem)
    review = _spans(text, review_rows, review_path.stem)
    tally = Tally(gold=len(gold), review=len(review))
    tally.exact = len({(g.start, g.end) for g in gold} & {(r.start, r.end) for r in review})
    pairs = pair(gold, review)
    tally.overlap = len(pairs)

    def show(t: Timex) -> str:
        return f"{t.type} {t.value} | {text[t.start : t.end]}"

    for g, r in pairs:
        tally.same_type += g.type == r.type
        tally.same_value += g.value == r.value
        tally.same_both += g.type == r.type and g.value == r.value
        if (g.start, g.end, g.type, g.value) != (r.start, r.end, r.type, r.value):
            tally.diffs.append(f"  pair   gold {show(g)!r:52} review {show(r)!r}")
    paired_g = {id(g) for g, _ in pairs}
    paired_r = {id(r) for _, r in pairs}
    tally.diffs += [f"  gold only    {show(g)!r}" for g in gold if id(g) not in paired_g]
    tally.diffs += [f"  review only  {show(r)!r}" for r in review if id(r) not in paired_r]
    return tally


def f1(matched: int, a: int, b: int) -> str:
    return f"{2 * matched / (a + b):.3f}" if a + b else "  -  "


def share(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "  -  "


def table(review_dir: Path, gold_dir: Path, diff: bool = False) -> str:
    """The agreement table (and, with ``diff``, every difference) as text."""
    lines = [
        f"{'article':22} {'gold':>4} {'rev':>4} {'exact':>5} {'F1':>5} {'ovl':>4} {'F1':>5} "
        f"{'type':>4} {'val':>4} {'t+v':>4}"
    ]
    total = Tally()
    for path in sorted(review_dir.glob("*.ann")):
        tally = compare(gold_dir / path.name, path)
        total.add(tally)
        lines.append(
            f"{path.stem:22} {tally.gold:4} {tally.review:4} {tally.exact:5} "
            f"{f1(tally.exact, tally.gold, tally.review):>5} {tally.overlap:4} "
            f"{f1(tally.overlap, tally.gold, tally.review):>5} {tally.same_type:4} "
            f"{tally.same_value:4} {tally.same_both:4}"
        )
        if diff and tally.diffs:
            lines += tally.diffs
    lines.append(
        f"{'TOTAL':22} {total.gold:4} {total.review:4} {total.exact:5} "
        f"{f1(total.exact, total.gold, total.review):>5} {total.overlap:4} "
        f"{f1(total.overlap, total.gold, total.review):>5} {total.same_type:4} "
        f"{total.same_value:4} {total.same_both:4}"
    )
    lines.append(
        f"span F1 exact {f1(total.exact, total.gold, total.review)}, "
        f"overlap {f1(total.overlap, total.gold, total.review)}; on {total.overlap} "
        f"overlapping pairs: type {share(total.same_type, total.overlap)}, "
        f"value {share(total.same_value, total.overlap)}, "
        f"type+value {share(total.same_both, total.overlap)}; "
        f"type+value F1 over all expressions "
        f"{f1(total.same_both, total.gold, total.review)}"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--review", type=Path, default=FOLDER / "review")
    parser.add_argument("--gold", type=Path, default=FOLDER / "gold")
    parser.add_argument("--diff", action="store_true", help="list every difference")
    args = parser.parse_args()
    print(table(args.review, args.gold, args.diff))


if __name__ == "__main__":
    main()
