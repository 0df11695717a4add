"""What the dossier templates show, derived from the JSON data (which is never changed).

The JSON of ``serialize.dossier_json`` is the contract; this module only groups
and labels it for reading: story letters (A, B, ...), a short label per article,
the verdict line split into its count and its rest, the claims x articles
matrix, the two sides of each quote-drift diff, the timeline and the
disagreements per story, and the provenance graph (``graph.py``). Bounds keep a
1,000-article page usable; what is not shown stays in ``dossier.json`` and the
page says so.

DOCS: docs/report.md
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from storytrace.report.graph import GraphConfig, GraphInput, GraphSvg, NodeInfo, provenance_svg
from storytrace.report.plain import short, side_label, speaker_name, stance, topic_label
from storytrace.report.search import search_entries

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ViewConfig:
    """How much of each section the page shows before folding or leaving it to the JSON.

    verdicts_shown (int): stories of the index on the first screen; the rest fold.
    outlet_columns (int): outlet columns of a claims table; the others share one cell.
    matrix_rows (int): claims shown per story before "show all" (all are in the page).
    drift_shown (int): re-worded quotes shown per story before the rest fold.
    drift_rendered (int): re-worded quotes in the page per story; the rest stay in the JSON.
    pairs_shown (int): copy / rewrite pairs listed per story (three passages each).
    source_rows (int): rows of the quotes-by-source table, most quoted first.
    quote_articles (int): articles whose quotes are listed by article (all are searchable).
    timeline_sources (int): sources listed per timeline entry.
    undated_shown (int): statements per story that print no date (placed on or before
        their article's publication), the most carried first; the rest stay in the JSON.
    edge_rows (int): rows of the provenance edge table.
    lazy_over (int): past this many articles, off-screen blocks are rendered lazily.
    open_stories (int): up to this many stories, every story section starts open.
    """

    verdicts_shown: int = 10
    outlet_columns: int = 4
    matrix_rows: int = 30
    drift_shown: int = 10
    drift_rendered: int = 40
    pairs_shown: int = 30
    source_rows: int = 300
    quote_articles: int = 60
    timeline_sources: int = 6
    undated_shown: int = 12
    edge_rows: int = 400
    lazy_over: int = 60
    open_stories: int = 3
    graph: GraphConfig = field(default_factory=GraphConfig)


def story_letter(index: int) -> str:
    """A, B, ..., Z, AA, AB, ... for the 0-based ``index``."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def doc_label(doc: JSON) -> str:
    """The outlet as printed, else the headline, else the input's own id or file name."""
    outlet, title = doc["outlet"]["value"], doc["title"]["value"]
    if outlet:
        return str(outlet)
    if title:
        return f"“{title[:59].rstrip()}…”" if len(title) > 60 else f"“{title}”"
    member = doc["source"]["member"] or ""
    if member.startswith("id "):
        return member.removeprefix("id ")
    return str(doc["source"]["path"]).rsplit("/", 1)[-1]


def build_view(data: JSON, config: ViewConfig | None = None) -> JSON:
    """Everything the templates need beyond the JSON data itself.

    Args:
        data (dict): the dossier as ``serialize.dossier_json`` makes it.
        config (ViewConfig | None): display bounds; defaults when ``None``.

    Returns:
        dict: lookups (labels, letters, inferences), the story index, one bundle per
        story (its claims table, re-worded quotes, disagreements, timeline) in the
        order of the index, the provenance graph and the search index.
    """
    cfg = config or ViewConfig()
    base = _Base.of(data)
    disputes = _Disputes.of(data, base)
    index = index_rows(data, base, disputes)
    return {
        "tag": base.tag,
        "label": base.label,
        "story_of": base.story_of,
        "inference": {i["doc_id"]: i for i in data.get("date_inferences", [])},
        "quotes_by_doc": _group(data.get("quotes", []), "doc_id"),
        "sources": quote_sources(data.get("quotes", [])),
        "index": index,
        "verdicts_state": _verdicts_state(data),
        "stories": story_sections(data, base, disputes, index, cfg),
        "graph": provenance_graph(data, base, cfg.graph) if data.get("provenance") else None,
        "edges": edge_rows(data.get("provenance", [])[: cfg.edge_rows], base, _speaker_names(data)),
        "search": search_entries(data, base.tag, base.label),
        "config": cfg,
        "lazy": len(data["documents"]) > cfg.lazy_over,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Base:
    """Lookups every section needs: story letter, article label, story of an article.

    Letters follow the order of the index (``story_order``): Story A matters most.
    """

    data: JSON
    tag: dict[str, str]
    label: dict[str, str]
    story_of: dict[str, str]
    order: tuple[str, ...]
    outlet: dict[str, str]

    @classmethod
    def of(cls, data: JSON) -> _Base:
        stories = data.get("stories", [])
        order = tuple(story_order(data))
        tag = {sid: story_letter(i) for i, sid in enumerate(order)}
        label = {doc["doc_id"]: doc_label(doc) for doc in data["documents"]}
        story_of = {d: st["story_id"] for st in stories for d in st["doc_ids"]}
        outlet = {
            doc["doc_id"]: doc["outlet"]["value"] or UNKNOWN_OUTLET for doc in data["documents"]
        }
        return cls(data, tag, label, story_of, order, outlet)


def _group(items: Iterable[JSON], key: str) -> dict[str, list[JSON]]:
    out: dict[str, list[JSON]] = {}
    for item in items:
        out.setdefault(item[key], []).append(item)
    return out


def _verdicts_state(data: JSON) -> str:
    sections = data["sections"]
    done = sections.get("stories") == "computed" and sections.get("claims") == "computed"
    return "computed" if done else "not_computed"


def quote_sources(quotes: list[JSON]) -> list[tuple[str, list[JSON], list[str]]]:
    """Quotes grouped by who said them, most quoted first: name, quotes, article ids."""
    named = (
        {**q, "_speaker": speaker_name(q), "via_names": [v["name"] for v in q["via"]]}
        for q in quotes
    )
    by_speaker = _group(named, "_speaker")
    rows = [
        (name, qs, list(dict.fromkeys(q["doc_id"] for q in qs))) for name, qs in by_speaker.items()
    ]
    return sorted(rows, key=lambda r: (-len(r[1]), r[0].lower()))


# --- the order of the stories ------------------------------------------------------


def disputed_claim_ids(data: JSON) -> set[str]:
    """Claims one of whose statements is a side of a polarity or number disagreement (the
    spans overlap). Date disagreements are left out: their sides are whole sentences
    that carry many claims besides the disputed date."""
    sides: dict[str, list[tuple[int, int]]] = {}
    for dis in data.get("disagreements", []):
        if dis["kind"] == "date":
            continue
        for side in dis["sides"]:
            for sp in side["mentions"]:
                sides.setdefault(sp["doc_id"], []).append((sp["start"], sp["end"]))
    return {
        c["claim_id"]
        for c in data.get("claims", [])
        if any(_overlaps(m["span"], sides.get(m["span"]["doc_id"], ())) for m in c["mentions"])
    }


def _overlaps(span: JSON, ranges: Iterable[tuple[int, int]]) -> bool:
    return any(span["start"] < end and start < span["end"] for start, end in ranges)


def story_order(data: JSON) -> list[str]:
    """Story ids by how much they matter: stories of two or more articles first; among
    them those whose main claim is disputed, then those with any disagreement; then
    more articles first; ties keep the report order."""
    verdicts = {v["story_id"]: v for v in data.get("verdicts", [])}
    disputed = disputed_claim_ids(data)
    contested = {d["story_id"] for d in data.get("disagreements", [])}

    def key(item: tuple[int, JSON]) -> tuple[bool, int, int, int]:
        i, st = item
        main = verdicts.get(st["story_id"], {}).get("main_claim_id")
        tier = 0 if main in disputed else 1 if st["story_id"] in contested else 2
        return (st["size"] < 2, tier, -st["size"], i)

    return [st["story_id"] for _, st in sorted(enumerate(data.get("stories", [])), key=key)]


# --- disagreements -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Disputes:
    """Each story's disagreements with plain labels and anchors, most involved first."""

    by_story: dict[str, list[JSON]]
    disputed: set[str]

    @classmethod
    def of(cls, data: JSON, base: _Base) -> _Disputes:
        by_story: dict[str, list[JSON]] = {}
        for dis in data.get("disagreements", []):
            mine = by_story.setdefault(dis["story_id"], [])
            # A source the stage names by an article id (its own reporting) reads as the article.
            sides = [
                {**side, "plain": side_label(side["label"]),
                 "sources": [base.label.get(src, src) for src in side["sources"]]}
                for side in dis["sides"]
            ]  # fmt: skip
            articles = {sp["doc_id"] for side in dis["sides"] for sp in side["mentions"]}
            mine.append({**dis, "sides": sides, "label": topic_label(dis),
                         "anchor": f"dis-{dis['story_id']}-{len(mine)}", "articles": len(articles)})  # fmt: skip
        for items in by_story.values():
            items.sort(key=lambda d: (d["kind"] == "date", -d["articles"]))
        return cls(by_story, disputed_claim_ids(data))

    def links(self, story_id: str, topics: Iterable[str]) -> list[tuple[str, str | None]]:
        """Plain label and anchor of each disputed topic of a verdict, once each.

        The disagreements of one topic become one link to the first of them: a number
        topic names every figure given ("figures differ: 1, 2 or 12 staff" reads
        "figures differ: 1 staff, 2 staff or 12 staff").
        """
        mine = self.by_story.get(story_id, [])
        out: dict[str, str | None] = {}
        for topic in topics:
            found = [d for d in mine if d["topic"] == topic]
            if not found:
                out.setdefault(topic, None)
            elif all(d["kind"] == "number" for d in found) and len(found) > 1:
                figures = list(dict.fromkeys(s["label"] for d in found for s in d["sides"]))
                out.setdefault(figures_label(figures), found[0]["anchor"])
            else:
                out.setdefault(found[0]["label"], found[0]["anchor"])
        return list(out.items())


def figures_label(figures: list[str], most: int = 6) -> str:
    """ "figures differ: a, b or c" for the figures given (past ``most``: "a, b, … or z")."""
    shown = [short(f, 40) for f in figures]
    if len(shown) > most:
        shown = [*shown[: most - 1], "…", shown[-1]]
    return "figures differ: " + ", ".join(shown[:-1]) + " or " + shown[-1]


# --- the story index -----------------------------------------------------------------


def index_rows(data: JSON, base: _Base, disputes: _Disputes) -> list[JSON]:
    """One row per story in index order: letter, headline, verdict (count and the rest),
    disputed topics in plain words with their anchors, articles, outlets, date span."""
    verdicts = {v["story_id"]: v for v in data.get("verdicts", [])}
    stories = {st["story_id"]: st for st in data.get("stories", [])}
    rows = []
    for sid in base.order:
        st, verdict = stories[sid], verdicts.get(sid)
        head, rest, topics = f"{st['size']} article{'s' if st['size'] != 1 else ''}", "", []
        if verdict:
            line = verdict["line"]
            if verdict["disputed"]:  # shown as links in plain words, not as the stage's text
                line = line.split("; disputed: ", 1)[0]
            head, _, rest = line.partition(": ")
            topics = verdict["disputed"]
        rows.append({
            "story_id": sid, "tag": base.tag[sid], "headline": st["headline"], "head": head,
            "rest": rest, "disputed_links": disputes.links(sid, topics), "size": st["size"],
            "outlets": st["outlets"], "earliest": st["earliest"], "latest": st["latest"],
            "main_claim_id": verdict["main_claim_id"] if verdict else None,
        })  # fmt: skip
    return rows


# --- one section per story -------------------------------------------------------------


def story_sections(
    data: JSON, base: _Base, disputes: _Disputes, index: list[JSON], cfg: ViewConfig
) -> list[JSON]:
    """Per story, in index order: its index row, claims table, drift, disagreements, timeline."""
    stories = {st["story_id"]: st for st in data.get("stories", [])}
    claims = _group(data.get("claims", []), "story_id")
    drift = _group(data.get("drift", []), "story_id")
    timeline = _group(data.get("timeline", []), "story_id")
    is_open = len(index) <= cfg.open_stories
    return [
        {
            "story": stories[row["story_id"]], "row": row, "open": is_open,
            "claims": claims_table(row["story_id"], claims.get(row["story_id"], []), base, disputes, cfg),
            "drift": drift_groups(drift.get(row["story_id"], [])),
            "disagreements": disputes.by_story.get(row["story_id"], []),
            **timeline_parts(timeline.get(row["story_id"], []), cfg.undated_shown),
        }
        for row in index
    ]  # fmt: skip


# --- claims x outlets ------------------------------------------------------------------


def cell_chain(mention: JSON) -> str:
    """The chain a mention came through, without its last link (the article's own outlet)."""
    parts = [p.strip() for p in str(mention["chain"]).split("→")]
    return " → ".join(parts[:-1] if len(parts) > 1 else parts)


UNKNOWN_OUTLET = "outlet not printed"


def claims_table(
    story_id: str, claims: list[JSON], base: _Base, disputes: _Disputes, cfg: ViewConfig
) -> JSON:
    """A story's claims as rows, its outlets as columns: the ``cfg.outlet_columns`` outlets
    carrying most claims each a column, the others together in one "other outlets" cell.
    Rows: disputed claims first, then the most carried; each with its stance, origin count,
    article count and whether it is disputed (what the page filters and sorts on)."""
    outlet_of = base.outlet
    carried: dict[str, int] = {}
    for claim in claims:
        for outlet in {
            outlet_of.get(m["span"]["doc_id"], UNKNOWN_OUTLET) for m in claim["mentions"]
        }:
            carried[outlet] = carried.get(outlet, 0) + 1
    ranked = sorted(carried, key=lambda o: (o == UNKNOWN_OUTLET, -carried[o], o))
    columns = ranked[: cfg.outlet_columns]
    rows = [_row(c, set(columns), outlet_of, disputes.disputed) for c in claims]
    rows.sort(key=lambda r: (not r["disputed"], -r["articles"], -len(r["claim"]["mentions"])))
    return {
        "story_id": story_id, "tag": base.tag.get(story_id, "?"), "columns": columns,
        "others": len(ranked) - len(columns), "rows": rows, "shown": cfg.matrix_rows,
    }  # fmt: skip


def _row(claim: JSON, columns: set[str], outlet_of: dict[str, str], disputed: set[str]) -> JSON:
    cells: dict[str, list[JSON]] = {}
    others: dict[str, list[JSON]] = {}
    for m in claim["mentions"]:
        outlet = outlet_of.get(m["span"]["doc_id"], UNKNOWN_OUTLET)
        item = {**m, "via": cell_chain(m)}
        (cells if outlet in columns else others).setdefault(outlet, []).append(item)
    first = claim["mentions"][0]["span"] if claim["mentions"] else None
    return {
        "claim": claim, "cells": cells, "others": sorted(others.items()), "first": first,
        "stance": stance(claim["mentions"]), "origins": len(claim["origins"]),
        "articles": len(claim["doc_ids"]), "disputed": claim["claim_id"] in disputed,
    }  # fmt: skip


# --- quote drift -----------------------------------------------------------------

_SPACE_BEFORE = re.compile(r"\s+([,.;:!?)\]’”%])")
_SPACE_AFTER = re.compile(r"([(\[“‘$])\s+")
_HYPHEN = re.compile(r"(\w) - (\w)")
_GLUED = re.compile(r"^[,.;:!?)\]’”%]")
_KIND_ORDER = {"meaning_changed": 0, "reworded": 1, "minor_edit": 2, "verbatim": 3}


@functools.lru_cache(maxsize=4096)
def tidy(tokens: str) -> str:
    """Diff tokens back to running text: no space before punctuation, hyphens joined."""
    return _HYPHEN.sub(r"\1-\2", _SPACE_AFTER.sub(r"\1", _SPACE_BEFORE.sub(r"\1", tokens)))


def _by_kind(items: list[JSON]) -> list[JSON]:
    return sorted(items, key=lambda d: _KIND_ORDER.get(d["kind"], 9))


def drift_groups(items: list[JSON]) -> JSON:
    """A story's drift pairs: the re-worded ones (most severe first) as diff sides, and
    how many pairs are quoted word for word (those are counted, not listed)."""
    changed = [drift_sides(d) for d in _by_kind(items) if d["kind"] != "verbatim"]
    return {"changed": changed, "verbatim": sum(1 for d in items if d["kind"] == "verbatim")}


def drift_sides(drift: JSON) -> JSON:
    """A drift pair as marked segments: ``eq``/``del`` for side a, ``eq``/``ins`` for side b,
    and both in one ``unified`` line (for Markdown)."""
    a_side: list[JSON] = []
    b_side: list[JSON] = []
    unified: list[JSON] = []
    for step in drift["diff"]:
        op, a, b = step["op"], step["a"], step["b"]
        if op == "equal":
            for side, text in ((a_side, a), (b_side, b), (unified, a)):
                _add(side, "eq", text)
        if op in ("delete", "replace"):
            for side in (a_side, unified):
                _add(side, "del", a)
        if op in ("insert", "replace"):
            for side in (b_side, unified):
                _add(side, "ins", b)
    return {**drift, "a_segments": a_side, "b_segments": b_side, "unified": unified}


def _add(side: list[JSON], mark: str, tokens: str) -> None:
    text = tidy(tokens)
    if text:
        side.append({"mark": mark, "text": text, "space": bool(side) and not _GLUED.match(text)})


# --- timeline --------------------------------------------------------------------


def timeline_parts(entries: list[JSON], shown: int) -> JSON:
    """A story's timeline: ``timeline``, the entries a date places, in date order;
    ``undated``, the first ``shown`` statements that print no date and are placed only on
    or before their articles' publication (the most carried first), and
    ``undated_total``, how many there are."""
    reported = [e for e in entries if e["method"].endswith(".reported")]
    dated = [e for e in entries if not e["method"].endswith(".reported")]
    carried = sorted(reported, key=lambda e: (-len(e["sources"]), e["when"]["latest"] or ""))
    return {
        "timeline": sort_timeline(dated),
        "undated": carried[:shown],
        "undated_total": len(reported),
    }


def sort_timeline(entries: list[JSON]) -> list[JSON]:
    """Entries in date order (earliest bound, then latest), undated last; stable."""

    def key(entry: JSON) -> tuple[bool, str, str]:
        when = entry["when"]
        return (when["earliest"] is None, when["earliest"] or "", when["latest"] or "")

    return sorted(entries, key=key)


# --- provenance ------------------------------------------------------------------


def _speaker_names(data: JSON) -> dict[str, tuple[str, bool]]:
    """speaker:<lowercased> node ids to the name as printed, and whether it is anonymous."""
    names: dict[str, tuple[str, bool]] = {}
    for q in data.get("quotes", []):
        speaker = q["speaker"]
        for name in (speaker["resolved"], speaker["text"]):
            if name:
                names.setdefault(f"speaker:{name.lower()}", (name, bool(speaker["anonymous"])))
        for link in q["via"]:
            names.setdefault(f"speaker:{link['name'].lower()}", (link["name"], False))
    return names


def node_infos(data: JSON, base: _Base) -> dict[str, NodeInfo]:
    """Label, tooltip and link of every node the provenance edges can name."""
    infos: dict[str, NodeInfo] = {}
    first = _first_evidence(data)
    docs = {d["doc_id"]: d for d in data["documents"]}
    ranks = _doc_ranks(base)
    last = (len(ranks) + 1, 0)
    for rank, doc_id in enumerate(sorted(docs, key=lambda d: (ranks.get(d, last), d))):
        doc = docs[doc_id]
        tag = base.tag.get(base.story_of.get(doc_id, ""), "")
        title = f"{'Story ' + tag + ': ' if tag else ''}{base.label[doc_id]} — {doc['published']['display']}"
        if doc["title"]["value"]:
            title += f" — {doc['title']['value']}"
        label = f"{tag} · {base.label[doc_id]}" if tag else base.label[doc_id]
        infos[f"article:{doc_id}"] = NodeInfo(label, title, f"#doc-{doc_id}", tag, rank)
    position = {sid: i for i, sid in enumerate(base.order)}
    for st in data.get("stories", []):
        i, tag, size = position[st["story_id"]], base.tag[st["story_id"]], st["size"]
        label = f"Story {tag} · {size} article{'s' if size != 1 else ''}"
        title = f"{label}: {st['headline'] or 'no headline printed'}"
        infos[f"story:{st['story_id']}"] = NodeInfo(
            label, title, f"#story-{st['story_id']}", tag, i
        )
    infos["story:none"] = NodeInfo("in no story", "articles not grouped into a story")
    for key, (name, anonymous) in _speaker_names(data).items():
        title = f"{name} (anonymous)" if anonymous else name
        infos[key] = NodeInfo(name, title, first.get(key), anonymous=anonymous)
    for edge in data.get("provenance", []):
        for key in (edge["source"], edge["target"]):
            if key.startswith("outlet:") and key not in infos:
                name = key.split(":", 1)[1]
                infos[key] = NodeInfo(name, f"{name} (an outlet the articles cite)",
                                      first.get(key))  # fmt: skip
    return infos


def _doc_ranks(base: _Base) -> dict[str, tuple[int, int]]:
    """Report order of the articles: by story (in index order), then as the story lists them."""
    position = {sid: i for i, sid in enumerate(base.order)}
    return {
        doc_id: (position[st["story_id"]], j)
        for st in base.data.get("stories", [])
        for j, doc_id in enumerate(st["doc_ids"])
    }


def _first_evidence(data: JSON) -> dict[str, str]:
    """Each node's first evidence span, as a span link."""
    first: dict[str, str] = {}
    for edge in data.get("provenance", []):
        if edge["evidence"]:
            span = edge["evidence"][0]
            href = f"#hl/{span['doc_id']}/text/{span['start']}/{span['end']}"
            first.setdefault(edge["source"], href)
            first.setdefault(edge["target"], href)
    return first


def provenance_graph(data: JSON, base: _Base, config: GraphConfig) -> GraphSvg:
    """The provenance edges drawn as inline SVG (see ``graph.provenance_svg``)."""
    articles = tuple(f"article:{d['doc_id']}" for d in data["documents"])
    graph = GraphInput(tuple(data["provenance"]), node_infos(data, base), base.story_of, articles)
    return provenance_svg(graph, config)


def edge_rows(
    edges: list[JSON], base: _Base, names: dict[str, tuple[str, bool]] | None = None
) -> list[JSON]:
    """Each provenance edge with readable ends, for the table beside the graph."""
    known = names or {}

    def end(key: str) -> str:
        kind, _, rest = key.partition(":")
        if kind == "speaker" and key in known:
            return known[key][0]
        if kind != "article":
            return rest
        tag = base.tag.get(base.story_of.get(rest, ""), "")
        return f"{tag} · {base.label.get(rest, rest)}" if tag else base.label.get(rest, rest)

    return [{**e, "from": end(e["source"]), "to": end(e["target"])} for e in edges]
