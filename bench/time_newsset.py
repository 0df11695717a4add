"""The news time set (``bench/data/time``): 80 hand-annotated non-MEANTIME articles.

Each article is one ``gold/<id>.ann`` file: a header (id, source, genre, DCT and where
it came from), the annotated text (the start of the article, copied unedited from the
shared data set: see ``region_end``), and one line per TIMEX3 in text order,
``TYPE VALUE | span text``. A span is found by searching its text from the start of the
previous span, so repeated words need no offsets. ``exclude:`` names the printed
creation or update stamps (ECB+ articles print them under the title; several are
separated by `` || ``): they are the anchor, not scored, as the MEANTIME bench drops
the DCT's own TIMEX3.

The split is fixed by rule: within each batch and genre, articles sorted by the SHA-1
of their id alternate dev2 / check2 (the first to dev2), so both halves hold the same
genres and a later batch (``batch: 2``) never moves an earlier article. A batch named
in ``WHOLE_BATCHES`` goes whole to one split instead: batch 3 (20 financial and
business articles, session 17) is all development text, ``dev3``.
Conventions: ``bench/data/time/CONVENTIONS.md``; the set and its agreement figure:
``bench/data/time/README.md``.

DOCS: docs/benchmarks.md#time-expressions--python--m-bench-time
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from bench.time import Article, Timex

FOLDER = Path(__file__).resolve().parent / "data" / "time"
GOLD = FOLDER / "gold"
SPLITS = ("dev2", "check2")
#: Batches added whole to one split, not alternated: batch 3 (financial news) is dev.
WHOLE_BATCHES = {"3": "dev3"}
_LINE = re.compile(r"(DATE|TIME|DURATION|SET) (\S+) \| (.+)")
#: A region ends at the first sentence end at or after this many characters.
REGION_MIN = 1400


def region_end(text: str, minimum: int = REGION_MIN) -> int:
    """End of the annotated region: the first sentence end at or after ``minimum``."""
    if len(text) <= minimum:
        return len(text)
    match = re.compile(r"[.!?][\"”’')]*(?=\s)|\n").search(text, minimum)
    return match.end() if match else len(text)


def source_text(data_dir: Path, source: str) -> str:
    """An article's whole text from the shared data (``set id``)."""
    kind, ident = source.split(" ", 1)
    if kind == "ecbplus":
        for line in (data_dir / "ecbplus-stories" / "articles.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            if row["id"] == ident:
                return str(row["text"])
        raise KeyError(ident)
    if kind == "scrapinghub":
        gt = json.loads((data_dir / "scrapinghub-aeb" / "ground-truth.json").read_text("utf-8"))
        key = next(k for k in gt if k.startswith(ident))
        return str(gt[key]["articleBody"])
    if kind == "wcxb":
        path = data_dir / "wcxb" / "dev" / "ground-truth" / f"{ident}.json"
        gt = json.loads(path.read_text("utf-8"))["ground_truth"]
        return f"{gt['title']}\n{gt['main_content']}"
    raise ValueError(source)


def split_of(ids_by_genre: dict[str, list[str]]) -> dict[str, str]:
    """The fixed split rule: per genre, sorted by SHA-1 of the id, alternate dev2/check2."""
    out: dict[str, str] = {}
    for ids in ids_by_genre.values():
        ordered = sorted(ids, key=lambda i: hashlib.sha1(i.encode()).hexdigest())
        for n, ident in enumerate(ordered):
            out[ident] = SPLITS[n % 2]
    return out


def parse_ann(path: Path) -> tuple[dict[str, str], str, list[tuple[str, str, str]]]:
    """Header fields, text and ``(type, value, span text)`` lines of one ``.ann`` file."""
    raw = path.read_text(encoding="utf-8")
    head, rest = raw.split("=== text\n", 1)
    text, timex = rest.split("\n=== timex\n", 1)
    header = {}
    for line in head.splitlines():
        if ":" in line and not line.startswith("#"):
            key, value = line.split(":", 1)
            header[key.strip()] = value.strip()
    rows = []
    for line in timex.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        match = _LINE.fullmatch(line.strip())
        if not match:
            raise ValueError(f"{path.name}: bad line {line!r}")
        rows.append((match[1], match[2], match[3]))
    return header, text, rows


def _spans(text: str, rows: list[tuple[str, str, str]], name: str) -> list[Timex]:
    out, cursor = [], 0
    for kind, value, span in rows:
        left = r"(?<!\w)" if span[0].isalnum() else ""
        right = r"(?!\w)" if span[-1].isalnum() else ""
        found = re.compile(left + re.escape(span) + right).search(text, cursor)
        if found is None:
            raise ValueError(f"{name}: span {span!r} not found after offset {cursor}")
        out.append(Timex(found.start(), found.end(), kind, value))
        cursor = found.start() + 1
    return out


def load_newsset(folder: Path = GOLD, batch: str | None = None) -> list[Article]:
    """Every annotated article (of one ``batch`` if given), ``corpus`` set to its split.

    Args:
        folder (Path): the ``gold`` folder.
        batch (str | None): "1", "2", "3", or ``None`` for all.

    Returns:
        list[Article]: each with ``corpus`` "dev2" or "check2" (batch 3: "dev3").
    """
    parsed = {p.stem: parse_ann(p) for p in sorted(folder.glob("*.ann"))}
    genres: dict[str, list[str]] = defaultdict(list)
    for ident, (header, _, _) in parsed.items():
        genres[f"{header.get('batch', '1')}/{header['genre']}"].append(ident)
    splits = split_of(genres)
    articles = []
    for ident, (header, text, rows) in parsed.items():
        if batch is not None and header.get("batch", "1") != batch:
            continue
        gold = _spans(text, rows, ident)
        split = WHOLE_BATCHES.get(header.get("batch", "1"), splits[ident])
        excluded = []
        for printed in filter(None, header.get("exclude", "").split(" || ")):
            start = text.index(printed)
            excluded.append((start, start + len(printed)))
        articles.append(Article(
            ident, split, text, date.fromisoformat(header["dct"]), "page", tuple(gold),
            tuple(excluded), len(text),
        ))  # fmt: skip
    return articles


def stub(data_dir: Path, ident: str, fields: dict[str, str]) -> str:
    """A new ``.ann`` file's header and text, to be annotated by hand.

    Args:
        data_dir (Path): the shared data folder.
        ident (str): the article's id in this set.
        fields (dict): ``source``, ``genre``, ``dct`` and ``dct_from``.
    """
    text = source_text(data_dir, fields["source"])
    end = region_end(text)
    head = "".join(f"{k}: {fields[k]}\n" for k in ("source", "genre", "dct", "dct_from"))
    return (
        f"id: {ident}\n{head}region_end: {end} of {len(text)}\n=== text\n{text[:end]}\n=== timex\n"
    )


def agreement(first: Path = FOLDER / "pass1", second: Path = GOLD) -> dict[str, float | int]:
    """Agreement of the first annotation pass with the second (the gold): exact span,
    type and value, as F1 over expressions, and value agreement on overlapping spans."""
    same = overlap_same_value = n_first = n_second = 0
    for path in sorted(second.glob("*.ann")):
        _, text, rows_b = parse_ann(path)
        _, _, rows_a = parse_ann(first / path.name)
        a, b = _spans(text, rows_a, path.stem), _spans(text, rows_b, path.stem)
        n_first, n_second = n_first + len(a), n_second + len(b)
        same += len(set(a) & set(b))
        overlap_same_value += sum(
            any(x.start < y.end and y.start < x.end and x.value == y.value for y in a) for x in b
        )
    return {"first_pass": n_first, "second_pass": n_second, "identical": same,
            "f1_identical": round(2 * same / (n_first + n_second), 3),
            "overlap_same_value": overlap_same_value}  # fmt: skip


if __name__ == "__main__":  # python -m bench.time_newsset ID "SET ID" GENRE DCT "FROM"
    ident, source, genre, dct, dct_from = sys.argv[1:6]
    target = GOLD / f"{ident}.ann"
    if target.exists():
        raise SystemExit(f"{target} exists")
    fields = {"source": source, "genre": genre, "dct": dct, "dct_from": dct_from}
    target.write_text(stub(Path("../shared/data"), ident, fields), "utf-8")
    print(target.read_text("utf-8"))
