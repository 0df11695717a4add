"""HTML body and metadata extraction benchmark: storytrace vs trafilatura, one run.

Sets (see ``shared/data/*/README.md``):

* ScrapingHub article-extraction-benchmark (181 pages): body, ``metrics.aeb_score``.
  The report set: no rule was tuned on its pages.
* WCXB dev article pages (400): body (``metrics.wcxb_score``) and title / author /
  publish_date accuracy. Pages are split by position in id order into a *tune* half
  (even positions, used while developing) and a *check* half (odd positions).

Metadata comparison (``strict`` and ``norm``): a null gold value must be predicted
null, and a non-null gold value must be matched.

* strict: equal after stripping surrounding whitespace; dates as ``YYYY-MM-DD``.
* norm: Unicode NFKC, case-folded, quotes/dashes unified, punctuation dropped,
  whitespace collapsed; authors compared as sets of names (a leading "By" dropped,
  "and", "&", ";" and "," all separating names).

``*_nonnull`` repeats each score over pages whose gold value is not null.
Speed is CPU seconds (``time.process_time``) of each extractor in this process, on
one core, so both sides are timed under the same load. Run:
``python -m bench.extract /path/to/shared/data``.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import trafilatura

from bench.metrics import PRF, aeb_score, wcxb_score
from storytrace.models.html import SHARED_PARSER
from storytrace.stages.boilerplate.html.clean import clean_html
from storytrace.stages.boilerplate.html.config import HtmlCleanConfig
from storytrace.stages.metadata.html import read_html_metadata

_NORM_DROP = re.compile(r"[^\w\s]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_NAME_SEP = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.I)
_BY = re.compile(r"^\s*by\s+", re.I)
FIELDS = ("title", "author", "publish_date")


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its id, HTML, gold body and gold metadata."""

    page_id: str
    html: str
    body: str
    meta: dict[str, str | None] = field(default_factory=dict)


@dataclass(slots=True)
class Timer:
    """Accumulated CPU seconds of one extractor."""

    seconds: float = 0.0
    pages: int = 0

    def run(self, fn: Callable[[str], Any], arg: str) -> Any:
        start = time.process_time()
        result = fn(arg)
        self.seconds += time.process_time() - start
        self.pages += 1
        return result

    def rate(self) -> float:
        return round(self.pages / self.seconds, 2) if self.seconds else 0.0


def _read_gz(path: Path) -> str:
    return gzip.decompress(path.read_bytes()).decode("utf-8", "replace")


def load_aeb(data_dir: Path) -> list[Page]:
    """ScrapingHub pages with their gold ``articleBody``."""
    root = data_dir / "scrapinghub-aeb"
    gold = json.loads((root / "ground-truth.json").read_text("utf-8"))
    return [
        Page(
            p.name.removesuffix(".html.gz"),
            _read_gz(p),
            gold[p.name.removesuffix(".html.gz")]["articleBody"],
        )
        for p in sorted((root / "html").glob("*.html.gz"))
    ]


def load_wcxb(data_dir: Path) -> list[Page]:
    """WCXB dev article pages with gold body, title, author and date."""
    root = data_dir / "wcxb" / "dev"
    pages: list[Page] = []
    for path in sorted((root / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        gold = json.loads((root / "ground-truth" / f"{page_id}.json").read_text("utf-8"))
        truth = gold["ground_truth"]
        meta = {name: truth.get(name) for name in FIELDS}
        pages.append(Page(page_id, _read_gz(path), truth["main_content"], meta))
    return pages


def norm_text(value: str | None) -> str | None:
    """Normalised form of a title: NFKC, case-folded, punctuation and extra spaces gone."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).translate(_QUOTES).casefold()
    return " ".join(_NORM_DROP.sub(" ", text).split()) or None


def norm_author(value: str | None) -> frozenset[str] | None:
    """An author string as a set of normalised names."""
    if value is None or not value.strip():
        return None
    names = (norm_text(part) for part in _NAME_SEP.split(_BY.sub("", value)))
    return frozenset(n for n in names if n) or None


def as_day(value: object) -> str | None:
    """A predicted date (``date``/``datetime`` or trafilatura's string) as ``YYYY-MM-DD``."""
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return None


def _strip(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def field_match(name: str, gold: str | None, pred: str | None) -> tuple[bool, bool]:
    """(strict, normalised) match of one metadata field; null gold needs null prediction."""
    if name == "publish_date":
        same = _strip(gold) == _strip(pred)
        return same, same
    strict = _strip(gold) == _strip(pred)
    if name == "author":
        return strict, norm_author(gold) == norm_author(pred)
    return strict, norm_text(gold) == norm_text(pred)


def metadata_accuracy(
    golds: Sequence[dict[str, str | None]], preds: Sequence[dict[str, str | None]]
) -> dict[str, float]:
    """Strict/normalised accuracy per field, over all pages and over non-null gold."""
    out: dict[str, float] = {}
    for name in FIELDS:
        rows = [
            (g[name], field_match(name, g[name], p[name]))
            for g, p in zip(golds, preds, strict=True)
        ]
        nonnull = [m for g, m in rows if g is not None]
        for kind, k in (("strict", 0), ("norm", 1)):
            out[f"{name}_{kind}"] = round(sum(m[k] for _, m in rows) / max(len(rows), 1), 4)
            out[f"{name}_{kind}_nonnull"] = round(
                sum(m[k] for m in nonnull) / max(len(nonnull), 1), 4
            )
    return out


def _prf(score: PRF) -> dict[str, float]:
    return {"precision": round(score.precision, 4), "recall": round(score.recall, 4),
            "f1": round(score.f1, 4), "pages": score.pages}  # fmt: skip


def ours_metadata(html: str) -> dict[str, str | None]:
    """storytrace's title/author/date of a page, in the gold's string form."""
    meta = read_html_metadata(html)
    return {"title": meta.title.value, "author": meta.author.value,
            "publish_date": as_day(meta.published.earliest)}  # fmt: skip


def trafilatura_metadata(html: str) -> dict[str, str | None]:
    """trafilatura 2.3.1 ``bare_extraction(with_metadata=True)`` title/author/date."""
    doc: Any = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    title, author, day = (doc.title, doc.author, doc.date) if doc is not None else (None,) * 3
    return {"title": title, "author": author, "publish_date": as_day(day)}


#: The extractors compared on page bodies: name -> HTML to text.
BODY_EXTRACTORS: dict[str, Callable[[str], str]] = {
    "storytrace": lambda html: clean_html(html).text,
    # One trafilatura run (favor_precision) instead of the two-run ensemble.
    "storytrace_single": lambda html: clean_html(html, HtmlCleanConfig(ensemble=False)).text,
    "trafilatura": lambda html: trafilatura.extract(html, include_comments=False) or "",
    "trafilatura_precision": lambda html: (
        trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    ),
}


def _bodies(
    pages: Sequence[Page], timers: dict[str, Timer], dataset: str
) -> dict[str, list[tuple[str, str]]]:
    pairs: dict[str, list[tuple[str, str]]] = {name: [] for name in BODY_EXTRACTORS}
    for page in pages:
        for name, extract in BODY_EXTRACTORS.items():
            SHARED_PARSER.clear()  # every extractor pays for its own parse
            text = timers.setdefault(f"{dataset}:{name}", Timer()).run(extract, page.html)
            pairs[name].append((page.body, text))
    return pairs


def _metadata(pages: Sequence[Page], timers: dict[str, Timer]) -> dict[str, Any]:
    readers = {"storytrace": ours_metadata, "trafilatura": trafilatura_metadata}
    out: dict[str, Any] = {}
    for name, reader in readers.items():
        timer = timers.setdefault(f"wcxb:{name}_metadata", Timer())
        preds = []
        for page in pages:
            SHARED_PARSER.clear()
            preds.append(timer.run(reader, page.html))
        golds = [page.meta for page in pages]
        out[name] = {
            "all": metadata_accuracy(golds, preds),
            "tune": metadata_accuracy(golds[0::2], preds[0::2]),
            "check": metadata_accuracy(golds[1::2], preds[1::2]),
        }
    return out


def run_html_bench(data_dir: Path) -> dict[str, Any]:
    """Measure storytrace against trafilatura on ScrapingHub and WCXB dev, in one run.

    Args:
        data_dir: the ``shared/data`` folder (holding ``scrapinghub-aeb`` and ``wcxb``).

    Returns:
        JSON-able scores: ``aeb`` body P/R/F1, ``wcxb`` body P/R/F1 (all/tune/check)
        and metadata accuracy, and ``speed`` in pages per CPU second.
    """
    timers: dict[str, Timer] = {}
    aeb = _bodies(load_aeb(data_dir), timers, "aeb")
    wcxb_pages = load_wcxb(data_dir)
    wcxb = _bodies(wcxb_pages, timers, "wcxb")
    meta = _metadata(wcxb_pages, timers)
    return {
        "aeb": {name: _prf(aeb_score(pairs)) for name, pairs in aeb.items()},
        "wcxb_body": {
            name: {
                "all": _prf(wcxb_score(pairs)),
                "tune": _prf(wcxb_score(pairs[0::2])),
                "check": _prf(wcxb_score(pairs[1::2])),
            }
            for name, pairs in wcxb.items()
        },
        "wcxb_metadata": meta,
        "speed_pages_per_cpu_second": _speeds(timers),
    }


def _speeds(timers: dict[str, Timer]) -> dict[str, float]:
    """Pages per CPU second of each extractor, per set and over both sets.

    ``wcxb:storytrace_body_and_metadata`` adds the two storytrace stages (each
    parsing the page itself; in a pipeline they share one parse), to compare with
    ``wcxb:trafilatura_metadata``, i.e. ``bare_extraction(with_metadata=True)``,
    which also extracts the body.
    """
    out = {name: timer.rate() for name, timer in timers.items()}
    for name in BODY_EXTRACTORS:
        both = [timers[f"{ds}:{name}"] for ds in ("aeb", "wcxb")]
        out[f"all:{name}"] = Timer(sum(t.seconds for t in both), sum(t.pages for t in both)).rate()
    body, meta = timers["wcxb:storytrace"], timers["wcxb:storytrace_metadata"]
    out["wcxb:storytrace_body_and_metadata"] = Timer(body.seconds + meta.seconds, meta.pages).rate()
    return dict(sorted(out.items()))


def main(argv: Sequence[str] | None = None) -> None:
    """Print the benchmark as JSON: ``python -m bench.extract DATA_DIR``."""
    args = list(sys.argv[1:] if argv is None else argv)
    data_dir = Path(args[0]) if args else Path("../shared/data")
    print(json.dumps(run_html_bench(data_dir), indent=2))


if __name__ == "__main__":
    main()
