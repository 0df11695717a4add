"""Report size and speed at scale: `python -m bench report`.

The dossier of the seed corpus is computed once, then replicated into a
synthetic dossier of ``articles`` articles (``synthetic_dossier``): replica ``r``
of each seed article gets a new id, its outlet name suffixed with ``r`` and its
file under ``r<r>/``; article texts and every span stay as they are, so all
offsets stay valid. Replicas are grouped so that the stories have realistic
sizes: the first ``big_group`` replicas of each seed story form one story (200
articles for story A at the defaults), the rest form stories of ``group``
replicas. Claims, timeline entries and disagreements of one group are merged
(one claim with a mention per article, as a real 200-copy story gives); quotes,
drift pairs, provenance edges and date inferences are copied per replica. The
result is validated against the dossier schema before it is rendered.

Measured: HTML and Markdown render time (best of ``repeats``), bytes written,
and, in Debian's Chromium driven by Playwright (when both are installed), first
paint, DOMContentLoaded and load of the file, its DOM size, and the time to
highlight a span in the last article.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReportBenchConfig:
    """Size of the synthetic dossier and how often each timing is repeated."""

    articles: int = 1000
    big_group: int = 50
    group: int = 5
    repeats: int = 3


@dataclass(frozen=True, slots=True)
class _Replica:
    """Doc-id renaming of one replica and the group (story) it belongs to."""

    index: int
    group: int
    ids: dict[str, str]

    def span(self, span: JSON) -> JSON:
        return {**span, "doc_id": self.ids.get(span["doc_id"], span["doc_id"])}

    def node(self, key: str) -> str:
        kind, _, rest = key.partition(":")
        return f"article:{self.ids.get(rest, rest)}" if kind == "article" else key


def _replicas(seed: JSON, config: ReportBenchConfig) -> list[_Replica]:
    count = -(-config.articles // max(1, len(seed["documents"])))
    out = []
    for r in range(count):
        group = 0 if r < config.big_group else 1 + (r - config.big_group) // config.group
        ids = {
            d["doc_id"]: hashlib.sha1(f"{d['doc_id']}/{r}".encode()).hexdigest()[:16]
            for d in seed["documents"]
        }
        out.append(_Replica(r, group, ids))
    return out


def _document(doc: JSON, rep: _Replica) -> JSON:
    outlet = doc["outlet"]["value"]
    folder, _, name = doc["source"]["path"].rpartition("/")
    return {
        **doc, "doc_id": rep.ids[doc["doc_id"]],
        "outlet": {**doc["outlet"], "value": f"{outlet} {rep.index}" if outlet else None},
        "source": {**doc["source"], "path": f"{folder}/r{rep.index:03d}/{name}"},
    }  # fmt: skip


def _count_prefix(line: str, articles: int) -> str:
    """ "4 articles, ..." with the group's article count."""
    noun = "article" if articles == 1 else "articles"
    return re.sub(r"^\d+ articles?", f"{articles} {noun}", line)


def _grouped(reps: list[_Replica]) -> dict[int, list[_Replica]]:
    groups: dict[int, list[_Replica]] = {}
    for rep in reps:
        groups.setdefault(rep.group, []).append(rep)
    return groups


def _story(st: JSON, g: int, reps: list[_Replica], outlet_of: dict[str, str | None]) -> JSON:
    doc_ids = [rep.ids[d] for rep in reps for d in st["doc_ids"]]
    pairs = [
        {**p, "a": rep.ids[p["a"]], "b": rep.ids[p["b"]],
         "passages": [{**ps, "a": rep.span(ps["a"]), "b": rep.span(ps["b"])} for ps in p["passages"]]}
        for rep in reps for p in st["pairs"]
    ]  # fmt: skip
    outlets = sorted({o for d in doc_ids if (o := outlet_of.get(d))})
    return {**st, "story_id": f"{st['story_id']}-g{g}", "doc_ids": doc_ids,
            "size": len(doc_ids), "outlets": outlets, "pairs": pairs}  # fmt: skip


def _origin(origin: JSON, reps: list[_Replica]) -> JSON:
    doc_ids = [rep.ids.get(d, d) for rep in reps for d in origin["doc_ids"]]
    key = origin["key"]
    if key.startswith("article:"):  # an article's own reporting: the first replica's
        key = reps[0].node(key)
    return {**origin, "key": key, "doc_ids": doc_ids}


def _claim(claim: JSON, g: int, reps: list[_Replica]) -> JSON:
    mentions = [
        {**m, "span": rep.span(m["span"]), "quote_id": rep.ids[m["span"]["doc_id"]] + m["quote_id"][16:]}
        for rep in reps for m in claim["mentions"]
    ]  # fmt: skip
    doc_ids = [rep.ids[d] for rep in reps for d in claim["doc_ids"]]
    return {
        **claim, "claim_id": f"{claim['claim_id']}-g{g}", "story_id": f"{claim['story_id']}-g{g}",
        "doc_ids": doc_ids, "mentions": mentions, "verdict": _count_prefix(claim["verdict"], len(doc_ids)),
        "origins": [_origin(o, reps) for o in claim["origins"]],
    }  # fmt: skip


def _verdict(v: JSON, g: int, reps: list[_Replica]) -> JSON:
    articles = v["articles"] * len(reps)
    return {
        **v, "story_id": f"{v['story_id']}-g{g}", "articles": articles,
        "line": _count_prefix(v["line"], articles), "origins": [_origin(o, reps) for o in v["origins"]],
        "main_claim_id": f"{v['main_claim_id']}-g{g}" if v["main_claim_id"] else None,
    }  # fmt: skip


def _disagreement(dis: JSON, g: int, reps: list[_Replica]) -> JSON:
    sides = [
        {**side, "mentions": [rep.span(s) for rep in reps for s in side["mentions"]]}
        for side in dis["sides"]
    ]
    return {**dis, "story_id": f"{dis['story_id']}-g{g}", "sides": sides}


def _timeline(entry: JSON, g: int, reps: list[_Replica]) -> JSON:
    sources = [
        {**s, "sentence": rep.span(s["sentence"]), "timex": rep.span(s["timex"])}
        for rep in reps
        for s in entry["sources"]
    ]
    return {**entry, "story_id": f"{entry['story_id']}-g{g}", "sources": sources}


def _per_group(
    items: list[JSON], groups: dict[int, list[_Replica]], make: Callable[..., JSON]
) -> list[JSON]:
    return [make(item, g, reps) for g, reps in sorted(groups.items()) for item in items]


def _per_replica(
    items: Iterable[JSON], reps: list[_Replica], make: Callable[..., JSON]
) -> list[JSON]:
    return [make(item, rep) for rep in reps for item in items]


def _quote(q: JSON, rep: _Replica) -> JSON:
    def span(s: JSON | None) -> JSON | None:
        return None if s is None else rep.span(s)

    return {
        **q, "quote_id": rep.ids[q["doc_id"]] + q["quote_id"][16:], "doc_id": rep.ids[q["doc_id"]],
        "content": [rep.span(s) for s in q["content"]], "cue": span(q["cue"]), "addressee": span(q["addressee"]),
        "speaker": {**q["speaker"], "span": span(q["speaker"]["span"])},
        "via": [{**v, "span": span(v["span"])} for v in q["via"]],
    }  # fmt: skip


def _entity(entity: JSON, reps: list[_Replica]) -> JSON:
    mentions = [rep.span(m) for rep in reps for m in entity["mentions"]]
    return {**entity, "mentions": mentions, "mention_count": len(mentions),
            "documents": sorted({m["doc_id"] for m in mentions})}  # fmt: skip


def synthetic_dossier(seed: JSON, config: ReportBenchConfig) -> JSON:
    """The seed dossier replicated to ``config.articles`` articles (see the module docstring).

    Args:
        seed (dict): a dossier as ``serialize.dossier_json`` makes it.
        config (ReportBenchConfig): how many articles and how they group into stories.

    Returns:
        dict: a dossier with the same sections, valid against the schema.
    """
    reps = _replicas(seed, config)
    groups = _grouped(reps)
    docs = _per_replica(seed["documents"], reps, _document)
    outlet_of = {d["doc_id"]: d["outlet"]["value"] for d in docs}
    return {
        **seed, "documents": docs, "run": {**seed["run"], "documents": len(docs), "inputs": len(docs)},
        "stories": [_story(st, g, rs, outlet_of) for g, rs in sorted(groups.items()) for st in seed["stories"]],
        "entities": [_entity(e, reps) for e in seed["entities"]],
        "quotes": _per_replica(seed["quotes"], reps, _quote),
        "claims": _per_group(seed["claims"], groups, _claim),
        "verdicts": _per_group(seed["verdicts"], groups, _verdict),
        "disagreements": _per_group(seed["disagreements"], groups, _disagreement),
        "timeline": _per_group(seed["timeline"], groups, _timeline),
        "provenance": _per_replica(seed["provenance"], reps, lambda e, r: {
            **e, "source": r.node(e["source"]), "target": r.node(e["target"]),
            "evidence": [r.span(s) for s in e["evidence"]]}),
        "drift": _per_replica(seed["drift"], reps, lambda d, r: {
            **d, "story_id": f"{d['story_id']}-g{r.group}", "a": r.span(d["a"]), "b": r.span(d["b"])}),
        "date_inferences": _per_replica(seed["date_inferences"], reps, lambda i, r: {
            **i, "doc_id": r.ids[i["doc_id"]],
            "steps": [{**s, "evidence": [r.span(e) for e in s["evidence"]]} for s in i["steps"]]}),
    }  # fmt: skip


def _best(fn: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def measure_render(data: JSON, out: Path, repeats: int) -> JSON:
    """Render time (best of ``repeats``) and size of both reports; writes them into ``out``."""
    from storytrace.report import render

    out.mkdir(parents=True, exist_ok=True)
    html_s, page = _best(lambda: render.render_html(data), repeats)
    md_s, text = _best(lambda: render.render_markdown(data), repeats)
    started = time.perf_counter()
    (out / "dossier.html").write_text(page, encoding="utf-8")
    write_s = time.perf_counter() - started
    (out / "dossier.md").write_text(text, encoding="utf-8")
    return {
        "articles": len(data["documents"]), "stories": len(data["stories"]),
        "claims": len(data["claims"]), "provenance_edges": len(data["provenance"]),
        "html_mb": round(len(page.encode()) / 1e6, 2), "md_mb": round(len(text.encode()) / 1e6, 2),
        "render_html_s": round(html_s, 3), "write_html_s": round(write_s, 3), "render_md_s": round(md_s, 3),
    }  # fmt: skip


_PAGE_TIMING = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const paint = Object.fromEntries(performance.getEntriesByType("paint").map(p => [p.name, p.startTime]));
  const last = document.querySelector("article.article:last-of-type .page p[data-text-start]:not([data-text-start=''])");
  let highlight = null;
  if (last) {
    const id = last.closest("article").id.slice(4), start = parseInt(last.dataset.textStart, 10);
    const t0 = performance.now();
    window.storytrace.highlight(id, "text", start, start + 40);
    document.querySelector("mark.hl").getBoundingClientRect();
    highlight = performance.now() - t0;
  }
  return {first_paint_ms: paint["first-paint"] ?? null, first_contentful_paint_ms: paint["first-contentful-paint"] ?? null,
          dom_content_loaded_ms: nav.domContentLoadedEventEnd, load_ms: nav.loadEventEnd,
          dom_nodes: document.getElementsByTagName("*").length, highlight_last_article_ms: highlight};
}"""


def measure_browser(page_path: Path, repeats: int) -> JSON:
    """First paint, DOMContentLoaded, load and a highlight in Chromium (median of ``repeats``)."""
    executable = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"browser": "not measured: playwright is not installed (dev dependency)"}
    if executable is None:
        return {"browser": "not measured: Debian's chromium is not installed"}
    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(max(1, repeats)):
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(200)  # let the paint entries be recorded
            runs.append(page.evaluate(_PAGE_TIMING))
            page.close()
        browser.close()
    return {k: _median([r[k] for r in runs]) for k in runs[0]}


def _median(values: list[Any]) -> Any:
    found = sorted(v for v in values if v is not None)
    if not found:
        return None
    mid = found[len(found) // 2]
    return round(mid, 1) if isinstance(mid, float) else mid


def _without_lazy_rendering(folder: Path, row: JSON, repeats: int) -> JSON:
    """The same page with lazy rendering switched off, to show what it saves."""
    page = (folder / "dossier.html").read_text(encoding="utf-8")
    eager = folder / "dossier-eager.html"
    eager.write_text(page.replace('<body class="lazy-render">', "<body>", 1), encoding="utf-8")
    timings = {k: None for k in ("render_html_s", "write_html_s", "render_md_s", "md_mb")}
    return {**row, **timings, "dossier": row["dossier"] + " (lazy rendering off)",
            **measure_browser(eager, repeats)}  # fmt: skip


def run_report_bench(seeds: Path, work: Path, config: ReportBenchConfig | None = None) -> JSON:
    """Analyse the seeds, replicate them to ``config.articles`` articles, render and load both.

    Args:
        seeds (Path): the seed corpus folder.
        work (Path): where the reports are written.
        config (ReportBenchConfig | None): sizes and repeats; defaults when ``None``.

    Returns:
        dict: one row per dossier (the seeds, the synthetic one) and how it was made.
    """
    from storytrace import api

    cfg = config or ReportBenchConfig()
    seed = api.to_json_data(api.analyze([seeds]))
    big = synthetic_dossier(seed, cfg)
    api.validate(big)
    rows = []
    for name, data in (("seeds", seed), (f"synthetic-{len(big['documents'])}", big)):
        row = {"dossier": name, **measure_render(data, work / name, cfg.repeats)}
        rows.append({**row, **measure_browser(work / name / "dossier.html", cfg.repeats)})
    rows.append(_without_lazy_rendering(work / rows[-1]["dossier"], rows[-1], cfg.repeats))
    corpus = {"seed": "examples/seeds", "replicas": -(-cfg.articles // len(seed["documents"])),
              "big_group": cfg.big_group, "group": cfg.group, "repeats": cfg.repeats}  # fmt: skip
    return {"report": rows, "corpus": corpus}
