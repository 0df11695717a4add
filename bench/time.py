"""Time-expression bench on MEANTIME (English): detection, type and value scores.

For each article of ``intra-doc_annotation/corpus_{airbus,apple,gm}`` the text is
rebuilt from its tokens (title line, dateline line, then the body sentences), the
DCT is read from the TIMEX3 marked ``CREATION_TIME`` and the tagger runs on the
whole text with it. Scoring follows TempEval-3:

* detection strict (same span) and relaxed (overlap) P/R/F1, one-to-one matches;
* type accuracy over relaxed matches;
* value P/R/F1: a prediction counts if it overlaps a gold TIMEX3 with the same value.

Not scored: the DCT itself (it is the anchor), TIMEX3s with no tokens (implicit
points MEANTIME adds for durations), and anything past the annotated region:
MEANTIME annotates only the title, dateline and first sentences of an article, so
predictions are scored up to the last sentence holding any markable (at least
sentence 5). Two articles carry no ``CREATION_TIME``; their dateline TIMEX3 is used
as the DCT instead and reported as such. ``corpus_stock`` is held out and never read.

airbus and apple are the development set; gm is the check set and is reported apart.
Beside MEANTIME, the news set of ``bench/data/time`` (40 hand-annotated ECB+,
ScrapingHub and WCXB articles; ``bench.time_newsset``) is scored in the same run with
the same systems, its halves reported as ``dev2`` (tuned on) and ``check2`` (never),
and its batch of financial news (session 17) as ``dev3`` (tuned on, after its fresh
reading). ``all_dev`` sums every tuned-on split (MEANTIME dev, dev2, dev3).
Baselines, scored the same way: ``dateparser.search.search_dates`` with the DCT as
relative base, and ``stages.dates.find_dates`` (printed absolute dates only).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from storytrace.stages.dates.printed import find_dates
from storytrace.stages.dates.timex import TimexConfig, find_time_expressions

CORPORA = ("airbus", "apple", "gm")
#: Wikinews is US English: "7/8/07" is July 8.
CONFIG = TimexConfig(day_first=False)
_NO_SPACE_BEFORE = {",", ".", ":", ";", "!", "?", ")", "]", "%", "'s", "n't", "'re", "'ve",
                    "'ll", "'d", "'m", "'"}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "$", "US$", "£", "€"}


@dataclass(frozen=True, slots=True)
class Timex:
    """A gold or predicted time expression: span, type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Article:
    """One MEANTIME article rebuilt for the bench."""

    doc_id: str
    corpus: str
    text: str
    dct: date | None
    dct_source: str  # "creation_time", "dateline" or "none"
    gold: tuple[Timex, ...]
    excluded: tuple[tuple[int, int], ...]  # the DCT's span: predictions there are dropped
    region_end: int  # end of the annotated region


def _rebuild(root: ET.Element) -> tuple[str, dict[str, tuple[int, int]], dict[str, int]]:
    """Text from tokens, with each token's char span and sentence number."""
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    sentences: dict[str, int] = {}
    length, prev_sentence, prev_token = 0, -1, ""
    for token in root.iter("token"):
        word, sentence = token.text or "", int(token.get("sentence", "0"))
        if prev_sentence >= 0:
            if sentence != prev_sentence:
                sep = "\n" if prev_sentence <= 1 else " "  # title and dateline lines
            else:
                sep = "" if word in _NO_SPACE_BEFORE or prev_token in _NO_SPACE_AFTER else " "
            parts.append(sep)
            length += len(sep)
        spans[token.get("t_id", "")] = (length, length + len(word))
        sentences[token.get("t_id", "")] = sentence
        parts.append(word)
        length += len(word)
        prev_sentence, prev_token = sentence, word
    return "".join(parts), spans, sentences


def _parse_dct(value: str) -> date | None:
    """The DCT value; one article writes it day-first ("03-02-2009")."""
    for pattern in ("%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    return None


def _region_end(
    root: ET.Element, spans: dict[str, tuple[int, int]], sentences: dict[str, int]
) -> int:
    """End offset of the last annotated sentence (at least sentence 5)."""
    marked = [sentences[a.get("t_id", "")] for a in root.iter("token_anchor")]
    last = max([5, *marked])
    ends = [spans[t][1] for t, s in sentences.items() if s <= last]
    return max(ends, default=0)


def _timexes(
    root: ET.Element, spans: dict[str, tuple[int, int]]
) -> list[tuple[ET.Element, Timex | None]]:
    out: list[tuple[ET.Element, Timex | None]] = []
    for element in root.iter("TIMEX3"):
        ids = [a.get("t_id", "") for a in element.iter("token_anchor")]
        timex = None
        if ids:
            start, end = min(spans[i][0] for i in ids), max(spans[i][1] for i in ids)
            timex = Timex(start, end, element.get("type", ""), element.get("value", ""))
        out.append((element, timex))
    return out


def _dct_timex(
    timexes: list[tuple[ET.Element, Timex | None]], text: str
) -> tuple[ET.Element | None, Timex | None, str]:
    """The DCT's TIMEX3: the CREATION_TIME one, else the dateline (second line) date."""
    for element, timex in timexes:
        if element.get("functionInDocument") == "CREATION_TIME":
            return element, timex, "creation_time"
    lines = text.split("\n", 2)
    line_start = len(lines[0]) + 1
    line_end = line_start + len(lines[1]) if len(lines) > 1 else 0
    for element, timex in timexes:
        if timex is not None and line_start <= timex.start < line_end:
            return element, timex, "dateline"
    return None, None, "none"


def load_article(path: Path, corpus: str) -> Article:
    """Rebuild one MEANTIME article: text, DCT, gold TIMEX3s, what is not scored."""
    root = ET.parse(path).getroot()
    text, spans, sentences = _rebuild(root)
    timexes = _timexes(root, spans)
    dct_element, dct_timex, source = _dct_timex(timexes, text)
    dct = _parse_dct(dct_element.get("value", "")) if dct_element is not None else None
    gold = tuple(t for e, t in timexes if t is not None and e is not dct_element)
    excluded = ((dct_timex.start, dct_timex.end),) if dct_timex is not None else ()
    return Article(
        root.get("doc_id", path.stem), corpus, text, dct, source if dct else "none", gold,
        excluded, _region_end(root, spans, sentences),
    )  # fmt: skip


def load_corpus(data_dir: Path) -> list[Article]:
    """Every article of the three development sub-corpora (``corpus_stock`` is held out)."""
    articles: list[Article] = []
    for corpus in CORPORA:
        folder = data_dir / "intra-doc_annotation" / f"corpus_{corpus}"
        articles.extend(load_article(p, corpus) for p in sorted(folder.glob("*.xml")))
    return articles


# --------------------------------------------------------------------------- systems

System = Callable[[Article], list[Timex]]


def storytrace_system(article: Article) -> list[Timex]:
    found = find_time_expressions(article.text, article.dct, CONFIG, article.doc_id)
    return [Timex(e.start, e.end, e.type, e.value) for e in found]


def printed_dates_system(article: Article) -> list[Timex]:
    """Baseline: the project's printed-absolute-date reader, DATE at its precision."""
    out = []
    for match in find_dates(article.text, day_first=False):
        when = match.value.earliest
        assert when is not None
        value = {"year": f"{when:%Y}", "month": f"{when:%Y-%m}"}.get(
            match.value.precision or "", f"{when:%Y-%m-%d}"
        )
        out.append(Timex(match.start, match.end, "DATE", value))
    return out


_YEAR_ONLY = re.compile(r"(?:in |of )?(?:19|20)\d\d")
_MONTH_YEAR = re.compile(r"[A-Za-z]+\.? (?:of )?(?:19|20)\d\d")


def dateparser_system(article: Article) -> list[Timex]:
    """Baseline: ``dateparser.search.search_dates`` relative to the DCT, as DATEs."""
    from dateparser.search import search_dates  # optional dependency, bench only

    base = datetime.combine(article.dct, datetime.min.time()) if article.dct else None
    settings: dict[str, Any] = {"RELATIVE_BASE": base} if base else {}
    found = search_dates(article.text, languages=["en"], settings=settings) or []
    out, cursor = [], 0
    for snippet, when in found:
        start = article.text.find(snippet, cursor)
        if start < 0:
            continue
        cursor = start + len(snippet)
        value = f"{when:%Y-%m-%d}"
        if _YEAR_ONLY.fullmatch(snippet):
            value = f"{when:%Y}"
        elif _MONTH_YEAR.fullmatch(snippet):
            value = f"{when:%Y-%m}"
        out.append(Timex(start, cursor, "DATE", value))
    return out


# --------------------------------------------------------------------------- scoring


def _scored(article: Article, predicted: Iterable[Timex]) -> list[Timex]:
    """Predictions inside the annotated region and off the DCT's span."""
    return [p for p in predicted if p.start < article.region_end
            and not any(p.start < e and s < p.end for s, e in article.excluded)]  # fmt: skip


def _match(gold: list[Timex], pred: list[Timex], strict: bool) -> list[tuple[Timex, Timex]]:
    """One-to-one matches, exact spans first then largest overlap."""
    pairs = []
    for g in gold:
        for p in pred:
            overlap = min(g.end, p.end) - max(g.start, p.start)
            if (strict and (g.start, g.end) == (p.start, p.end)) or (not strict and overlap > 0):
                pairs.append((-(g.start == p.start and g.end == p.end), -overlap, g, p))
    used_g: set[Timex] = set()
    used_p: set[Timex] = set()
    out = []
    for _, _, g, p in sorted(pairs, key=lambda x: (x[0], x[1], x[2].start, x[3].start)):
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            out.append((g, p))
    return out


def _count(article: Article, pred: list[Timex]) -> Counter[str]:
    """Raw counts of one article, overall and per gold/predicted type."""
    gold = list(article.gold)
    relaxed = _match(gold, pred, strict=False)
    counts: Counter[str] = Counter(
        gold=len(gold), pred=len(pred), strict=len(_match(gold, pred, strict=True)),
        relaxed=len(relaxed), type_ok=sum(g.type == p.type for g, p in relaxed),
        value_ok=sum(g.value == p.value for g, p in relaxed),
    )  # fmt: skip
    for g in gold:
        counts[f"gold.{g.type}"] += 1
    for p in pred:
        counts[f"pred.{p.type}"] += 1
    for g, p in relaxed:
        counts[f"relaxed.{g.type}"] += 1
        counts[f"value_ok.{g.type}"] += g.value == p.value
    return counts


def _prf(hits: int, pred: int, gold: int) -> dict[str, float]:
    p = hits / pred if pred else 0.0
    r = hits / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def _summary(counts: Counter[str]) -> dict[str, Any]:
    per_type = {
        t: {"gold": counts[f"gold.{t}"], "pred": counts[f"pred.{t}"],
            "detected_r": round(counts[f"relaxed.{t}"] / max(counts[f"gold.{t}"], 1), 3),
            "value_r": round(counts[f"value_ok.{t}"] / max(counts[f"gold.{t}"], 1), 3)}
        for t in ("DATE", "TIME", "DURATION", "SET")
    }  # fmt: skip
    return {
        "gold": counts["gold"], "pred": counts["pred"],
        "strict": _prf(counts["strict"], counts["pred"], counts["gold"]),
        "relaxed": _prf(counts["relaxed"], counts["pred"], counts["gold"]),
        "type_acc": round(counts["type_ok"] / max(counts["relaxed"], 1), 3),
        "value": _prf(counts["value_ok"], counts["pred"], counts["gold"]),
        "per_type": per_type,
    }  # fmt: skip


def evaluate(articles: list[Article], system: System) -> dict[str, Any]:
    """Scores per sub-corpus or split, on dev (airbus+apple) and overall, plus articles/s.

    ``overall`` is MEANTIME's three sub-corpora, as before the news set was added; the
    news set's halves (``dev2``, ``check2``) are reported on their own.
    """
    per_corpus: dict[str, Counter[str]] = {a.corpus: Counter() for a in articles}
    started = time.perf_counter()
    outputs = [(a, system(a)) for a in articles]
    elapsed = time.perf_counter() - started
    for article, pred in outputs:
        per_corpus[article.corpus] += _count(article, _scored(article, pred))
    result: dict[str, Any] = {c: _summary(n) for c, n in per_corpus.items()}
    if all(c in per_corpus for c in CORPORA):
        result["dev"] = _summary(per_corpus["airbus"] + per_corpus["apple"])
        result["overall"] = _summary(sum((per_corpus[c] for c in CORPORA), Counter()))
        if "dev3" in per_corpus:
            tuned = ("airbus", "apple", "dev2", "dev3")
            result["all_dev"] = _summary(
                sum((per_corpus[c] for c in tuned if c in per_corpus), Counter())
            )
    result["articles_per_s"] = round(len(articles) / elapsed, 1) if elapsed else None
    return result


def errors(articles: list[Article], system: System) -> list[dict[str, str]]:
    """Every gold miss, false alarm and wrong value, for error analysis."""
    rows = []
    for article in articles:
        pred = _scored(article, system(article))
        matched = _match(list(article.gold), pred, strict=False)
        gold_hit = {g for g, _ in matched}
        pred_hit = {p for _, p in matched}
        for g, p in matched:
            if g.value != p.value or g.type != p.type:
                rows.append(_row(article, "wrong", g, p))
        rows += [_row(article, "miss", g, None) for g in article.gold if g not in gold_hit]
        rows += [_row(article, "false", None, p) for p in pred if p not in pred_hit]
    return rows


def _row(article: Article, kind: str, gold: Timex | None, pred: Timex | None) -> dict[str, str]:
    span = gold or pred
    assert span is not None
    return {"doc": article.doc_id, "corpus": article.corpus, "kind": kind, "dct": str(article.dct),
            "text": article.text[span.start : span.end],
            "gold": f"{gold.type} {gold.value}" if gold else "",
            "pred": f"{pred.type} {pred.value} [{article.text[pred.start:pred.end]}]" if pred else ""}  # fmt: skip


def run_time_bench(data_dir: Path, news: bool = True) -> dict[str, Any]:
    """Score the tagger and both baselines on MEANTIME and the news set; print and return.

    Args:
        data_dir (Path): the ``meantime-en`` folder.
        news (bool): also score the news set's halves, dev2 and check2
            (``bench/data/time``, ``bench.time_newsset``).

    Returns:
        dict: per system, per sub-corpus or split / dev / overall scores and articles/s,
        and how each article's DCT was found.
    """
    articles = load_corpus(data_dir)
    systems = {"storytrace": storytrace_system, "baseline_printed_dates": printed_dates_system,
               "baseline_dateparser": dateparser_system}  # fmt: skip
    later: list[Article] = []
    if news:
        from bench.time_newsset import load_newsset

        articles += load_newsset()
        later = load_newsset(batch="2")
    result: dict[str, Any] = {
        "articles": len(articles),
        "dct_sources": dict(Counter(a.dct_source for a in articles)),
        **{name: evaluate(articles, system) for name, system in systems.items()},
    }
    if later:  # annotated after the session-16 rules were written: held out for them
        result["news_batch2"] = {name: evaluate(later, system) for name, system in systems.items()}
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    print(f"articles {result['articles']}  dct sources {result['dct_sources']}")
    head = "system                  split    gold pred  strict P/R/F1     relaxed P/R/F1    type   value P/R/F1"
    print(head)
    for system in ("storytrace", "baseline_printed_dates", "baseline_dateparser"):
        for split in (*CORPORA, "dev", "overall", "dev2", "check2", "dev3", "all_dev"):
            row = result[system].get(split)
            if row is None:
                continue
            cells = [
                f"{row[k]['p']:.3f}/{row[k]['r']:.3f}/{row[k]['f1']:.3f}"
                for k in ("strict", "relaxed", "value")
            ]
            print(f"{system:<23} {split:<8} {row['gold']:>4} {row['pred']:>4}  {cells[0]}  {cells[1]}  "
                  f"{row['type_acc']:.3f}  {cells[2]}")  # fmt: skip
        print(f"{system:<23} articles/s {result[system]['articles_per_s']}")
    for system, scores in result.get("news_batch2", {}).items():
        for split in ("dev2", "check2"):
            if split in scores:
                row = scores[split]
                print(f"{system:<23} b2-{split:<6} {row['gold']:>4} {row['pred']:>4}  "
                      f"value {row['value']['p']:.3f}/{row['value']['r']:.3f}/{row['value']['f1']:.3f}")  # fmt: skip
    for split in ("dev", "gm", "overall", "dev2", "check2", "dev3"):
        if split in result["storytrace"]:
            print(f"storytrace per type ({split}):", result["storytrace"][split]["per_type"])


if __name__ == "__main__":
    import sys

    default = "../shared/data/meantime-en"
    run_time_bench(Path(sys.argv[1] if len(sys.argv) > 1 else default))
