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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from storytrace.report.graph import GraphConfig, GraphInput, GraphSvg, NodeInfo, provenance_svg

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ViewConfig:
    """How much of each section the page shows before folding or leaving it to the JSON.

    verdicts_shown (int): verdict lines on the first screen; the rest fold.
    matrix_columns (int): article columns of a claims matrix; the others share one column.
    matrix_rows (int): claims shown per story before the rest fold.
    timeline_sources (int): sources listed per timeline entry.
    edge_rows (int): rows of the provenance edge table.
    lazy_over (int): past this many articles, off-screen blocks are rendered lazily.
    """

    verdicts_shown: int = 10
    matrix_columns: int = 10
    matrix_rows: int = 30
    timeline_sources: int = 6
    edge_rows: int = 400
    lazy_over: int = 60
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
        dict: lookups (labels, letters, inferences) and per-story groupings of each section.
    """
    cfg = config or ViewConfig()
    base = _Base.of(data)
    return {
        "tag": base.tag,
        "label": base.label,
        "story_of": base.story_of,
        "inference": {i["doc_id"]: i for i in data.get("date_inferences", [])},
        "quotes_by_doc": _group(data.get("quotes", []), "doc_id"),
        "verdicts": verdict_rows(data, base),
        "verdicts_state": _verdicts_state(data),
        "claims": [_matrix(sid, items, base, cfg) for sid, items in _per_story(data, "claims")],
        "drift": [(sid, [drift_sides(d) for d in _by_kind(items)])
                  for sid, items in _per_story(data, "drift")],
        "disagreements": _per_story(data, "disagreements"),
        "timeline": _per_story(data, "timeline", sort_timeline),
        "graph": provenance_graph(data, base, cfg.graph) if data.get("provenance") else None,
        "edges": edge_rows(data.get("provenance", [])[: cfg.edge_rows], base, _speaker_names(data)),
        "config": cfg,
        "lazy": len(data["documents"]) > cfg.lazy_over,
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Base:
    """Lookups every section needs: story letter, article label, story of an article."""

    data: JSON
    tag: dict[str, str]
    label: dict[str, str]
    story_of: dict[str, str]

    @classmethod
    def of(cls, data: JSON) -> _Base:
        stories = data.get("stories", [])
        tag = {st["story_id"]: story_letter(i) for i, st in enumerate(stories)}
        label = {doc["doc_id"]: doc_label(doc) for doc in data["documents"]}
        story_of = {d: st["story_id"] for st in stories for d in st["doc_ids"]}
        return cls(data, tag, label, story_of)


def _group(items: Iterable[JSON], key: str) -> dict[str, list[JSON]]:
    out: dict[str, list[JSON]] = {}
    for item in items:
        out.setdefault(item[key], []).append(item)
    return out


def _per_story(
    data: JSON, section: str, order: Callable[[list[JSON]], list[JSON]] | None = None
) -> list[tuple[str, list[JSON]]]:
    """A section's items grouped by story, stories in report order (unknown ones last)."""
    groups = _group(data.get(section, []), "story_id")
    known = [st["story_id"] for st in data.get("stories", [])]
    keys = [k for k in known if k in groups] + sorted(k for k in groups if k not in known)
    return [(k, order(groups[k]) if order else groups[k]) for k in keys]


def _verdicts_state(data: JSON) -> str:
    sections = data["sections"]
    done = sections.get("stories") == "computed" and sections.get("claims") == "computed"
    return "computed" if done else "not_computed"


# --- verdicts ------------------------------------------------------------------


def verdict_rows(data: JSON, base: _Base) -> list[JSON]:
    """One row per story verdict: its letter, headline, the count part and the rest."""
    stories = {st["story_id"]: st for st in data.get("stories", [])}
    anchors = {
        (sid, d["topic"]): f"dis-{sid}-{i}"
        for sid, items in _per_story(data, "disagreements")
        for i, d in enumerate(items)
    }
    rows = []
    for verdict in data.get("verdicts", []):
        sid = verdict["story_id"]
        head, _, rest = verdict["line"].partition(": ")
        # The disputed topics are shown as links to their disagreement, not as text.
        suffix = "; disputed: " + "; ".join(verdict["disputed"])
        if verdict["disputed"] and rest.endswith(suffix):
            rest = rest.removesuffix(suffix)
        rows.append({
            **verdict, "tag": base.tag.get(sid, "?"), "head": head, "rest": rest,
            "headline": stories.get(sid, {}).get("headline"),
            "disputed_links": [(t, anchors.get((sid, t))) for t in verdict["disputed"]],
        })  # fmt: skip
    order = {sid: i for i, sid in enumerate(base.tag)}
    return sorted(rows, key=lambda r: order.get(r["story_id"], len(order)))


# --- claims x articles -----------------------------------------------------------


def cell_chain(mention: JSON) -> str:
    """The chain a mention came through, without its last link (the article's own outlet)."""
    parts = [p.strip() for p in str(mention["chain"]).split("→")]
    return " → ".join(parts[:-1] if len(parts) > 1 else parts)


def _matrix(story_id: str, claims: list[JSON], base: _Base, cfg: ViewConfig) -> JSON:
    """One story's claims as rows and its articles as columns (the busiest ones past a bound)."""
    story = next((s for s in base.data.get("stories", []) if s["story_id"] == story_id), None)
    members = list(story["doc_ids"]) if story else sorted({d for c in claims for d in c["doc_ids"]})
    load = {d: 0 for d in members}
    for claim in claims:
        for m in claim["mentions"]:
            load[m["span"]["doc_id"]] = load.get(m["span"]["doc_id"], 0) + 1
    columns = members
    if len(members) > cfg.matrix_columns:
        position = {d: i for i, d in enumerate(members)}
        busiest = sorted(members, key=lambda d: (-load[d], position[d]))
        keep = set(busiest[: cfg.matrix_columns - 1])
        columns = [d for d in members if d in keep]
    rows = [_row(c, set(columns)) for c in claims]
    return {
        "story_id": story_id, "tag": base.tag.get(story_id, "?"), "columns": columns,
        "others": len(members) - len(columns), "rows": rows[: cfg.matrix_rows],
        "more_rows": rows[cfg.matrix_rows :],
    }  # fmt: skip


def _row(claim: JSON, columns: set[str]) -> JSON:
    cells: dict[str, list[JSON]] = {}
    others: list[JSON] = []
    for m in claim["mentions"]:
        doc_id = m["span"]["doc_id"]
        item = {**m, "via": cell_chain(m)}
        (cells.setdefault(doc_id, []) if doc_id in columns else others).append(item)
    first = claim["mentions"][0]["span"] if claim["mentions"] else None
    return {
        "claim": claim, "cells": cells, "others": others, "first": first,
        "other_docs": len({m["span"]["doc_id"] for m in others}),
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
    for i, st in enumerate(data.get("stories", [])):
        tag, size = base.tag[st["story_id"]], st["size"]
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
    """Report order of the articles: by story, then as the story lists them."""
    return {
        doc_id: (i, j)
        for i, st in enumerate(base.data.get("stories", []))
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
