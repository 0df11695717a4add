"""A 1,000-article corpus from ECB+ (``../shared/data/ecbplus-stories``) for the dossier at scale.

ECB+ has 772 articles in this copy (the held-out topics are not in it). All of
them are used, each with its outlet read from its source URL where ECB+ lists one
(the ``b`` halves); the other 228 are reprints of every third article by a
second outlet, with a credit line of their own (``"<outlet> staff and wires."``)
so no two texts are identical -- what syndication gives a real corpus.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from urllib.parse import urlsplit

from tests.helpers import REPO

#: ``../shared`` beside the checkout (``/work/shared`` for a worktree under ``/work/wt``).
CANDIDATES = (REPO.parent / "shared", REPO.parent.parent / "shared")


def ecb_dir() -> Path:
    """The ECB+ stories folder of the shared data."""
    for shared in CANDIDATES:
        if (shared / "data" / "ecbplus-stories").is_dir():
            return shared / "data" / "ecbplus-stories"
    raise FileNotFoundError("../shared/data/ecbplus-stories is missing")


def _outlets(folder: Path) -> dict[str, str]:
    with (folder / "ecbplus_source_urls.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {r["id"]: urlsplit(r["url"]).hostname.removeprefix("www.") for r in rows if r["url"]}


def ecb_articles(count: int = 1000) -> list[dict[str, str]]:
    """``count`` JSONL records: every ECB+ article, then reprints (see the module docstring)."""
    folder = ecb_dir()
    outlets = _outlets(folder)
    rows = [json.loads(line) for line in (folder / "articles.jsonl").open(encoding="utf-8")]
    out = []
    for row in rows:
        record = {"id": row["id"], "text": row["text"]}
        if row["id"] in outlets:
            record["outlet"] = outlets[row["id"]]
        out.append(record)
    extra = count - len(out)
    for n, row in enumerate(rows[::3][: max(0, extra)]):
        outlet = f"Wire Desk {n % 12 + 1}"
        out.append({"id": f"{row['id']}-r", "outlet": outlet,
                    "text": f"{outlet} staff and wires.\n{row['text']}"})  # fmt: skip
    return out[:count]


def write_corpus(path: Path, count: int = 1000) -> Path:
    """Write the corpus as one JSONL file and return its path."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ecb_articles(count)),
        encoding="utf-8",
    )
    return path
