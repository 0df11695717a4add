"""The dossier page's search index: claims, quotes, sources and entities as plain data.

The page embeds this list as JSON in a ``<script type="application/json">`` block
(never executed; ``<``, ``>``, ``&`` and ``'`` are escaped so article text cannot
close the block) and ``dossier.js`` reads it with ``JSON.parse`` and builds the
hits with ``textContent`` -- article text never reaches ``innerHTML``.

Each entry is ``[kind, text, where, href]``: ``kind`` one of ``claim``, ``quote``,
``source``, ``entity``; ``text`` what is searched and shown (cut at
``TEXT_LIMIT``); ``where`` a short context (story, article, counts); ``href`` a
link inside the page (a claim's row or a span link ``#hl/...``).

DOCS: docs/report.md
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from storytrace.report.plain import entity_kind, short, speaker_name

JSON = dict[str, Any]
Entry = list[str]

TEXT_LIMIT = 200


def _href(span: JSON | None) -> str:
    if not span:
        return ""
    return f"#hl/{span['doc_id']}/text/{span['start']}/{span['end']}"


def search_entries(data: JSON, tag: dict[str, str], label: dict[str, str]) -> list[Entry]:
    """Every claim, quote, source and entity of the dossier as a search entry.

    Args:
        data (dict): the dossier as ``serialize.dossier_json`` makes it.
        tag (dict): story id to its letter.
        label (dict): article id to its short label.

    Returns:
        list[list[str]]: ``[kind, text, where, href]`` entries, claims first.
    """
    out: list[Entry] = []
    for c in data.get("claims", []):
        letter = tag.get(c["story_id"], "?")
        where = (
            f"Story {letter} · {len(c['doc_ids'])} article{'s' if len(c['doc_ids']) != 1 else ''}"
        )
        out.append(["claim", short(c["text"], TEXT_LIMIT), where, f"#claim-{c['claim_id']}"])
    sources: dict[str, list[JSON]] = {}
    for q in data.get("quotes", []):
        text = " … ".join(sp["text"] for sp in q["content"])
        if not text.strip():
            continue
        where = f"{short(q['chain'], 60)} · {label.get(q['doc_id'], q['doc_id'])}"
        out.append(["quote", short(text, TEXT_LIMIT), where, _href(q["content"][0])])
        sources.setdefault(speaker_name(q), []).append(q)
    for name, quotes in sorted(sources.items()):
        articles = len({q["doc_id"] for q in quotes})
        where = f"{len(quotes)} quote{'s' if len(quotes) != 1 else ''} in {articles} article{'s' if articles != 1 else ''}"
        out.append(["source", short(name, TEXT_LIMIT), where, _href(quotes[0]["content"][0])])
    for e in data.get("entities", []):
        forms = [f for f in e["surface_forms"] if f != e["canonical"]]
        text = e["canonical"] + (f" ({', '.join(forms[:4])})" if forms else "")
        first = e["mentions"][0] if e["mentions"] else None
        where = f"{entity_kind(e['label'])} · {e['mention_count']} mentions in {len(e['documents'])} articles"
        out.append(["entity", short(text, TEXT_LIMIT), where, _href(first)])
    return out


def search_json(entries: list[Entry]) -> Markup:
    """The entries as JSON safe inside a ``<script type="application/json">`` block."""
    text = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"), ("'", "\\u0027")):
        text = text.replace(char, escaped)
    # Line and paragraph separators are valid JSON but end a line in some parsers.
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
