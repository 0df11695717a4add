"""Dossier to JSON-able data, in the shape `schema/dossier.schema.json` documents.

The output is deterministic: the same inputs give byte-identical JSON (keys
sorted, lists in a defined order) except ``generated_at``, the one documented
run-time field. Sections a run did not compute are listed in ``sections`` as
``"not_computed"`` and their lists are empty, so a reader can tell "none found"
from "not looked for".

DOCS: docs/schema.md
"""

from __future__ import annotations

from typing import Any

from storytrace.records import (
    Dossier,
    rows,
)
from storytrace.records.codec import diagnostic_json, document_json

SCHEMA_VERSION = "1.0"

#: Every section of a dossier, in the order a reader meets them (verdicts first, articles last).
SECTIONS: tuple[str, ...] = (
    "stories",
    "provenance",
    "claims",
    "quotes",
    "drift",
    "disagreements",
    "timeline",
    "entities",
    "documents",
)


def dossier_json(dossier: Dossier, generated_at: str | None = None) -> dict[str, Any]:
    """The whole dossier as JSON-able data.

    Args:
        dossier (Dossier): the analysis result.
        generated_at (str | None): a timestamp to record; ``None`` keeps output byte-stable.

    Returns:
        dict[str, Any]: data valid against ``dossier.schema.json``.
    """
    computed = set(dossier.sections_computed)
    return {
        "schema_version": SCHEMA_VERSION,
        "storytrace_version": dossier.run.version,
        "generated_at": generated_at,
        "run": {
            "stages": list(dossier.run.stages),
            "inputs": dossier.run.inputs,
            "documents": dossier.run.documents,
            "failed": dossier.run.failed,
        },
        "sections": {name: "computed" if name in computed else "not_computed" for name in SECTIONS},
        "documents": [document_json(d) for d in dossier.documents],
        "diagnostics": [diagnostic_json(d) for d in dossier.diagnostics],
        **{name: [] for name in SECTIONS if name != "documents"},
        **corpus_sections(dossier),
        # listed only when a reporter corrected something (docs/corrections.md)
        **({"corrections": rows.to_data(dossier.corrections)} if dossier.corrections else {}),
    }


def corpus_sections(dossier: Dossier) -> dict[str, Any]:
    """The stories, entities and quotes sections (empty lists when not computed)."""
    from storytrace.report.sections import entity_json, quote_json, story_json
    from storytrace.report.sections_lineage import lineage_sections

    docs = {d.doc_id: d for d in dossier.documents}
    by_story: dict[str, list[Any]] = {}
    member_of = {doc_id: s.story_id for s in dossier.stories for doc_id in s.doc_ids}
    for pair in dossier.pairs:
        by_story.setdefault(member_of.get(pair.a, ""), []).append(pair)
    return {
        "stories": [story_json(s, docs, by_story.get(s.story_id, [])) for s in dossier.stories],
        "entities": [entity_json(e) for e in dossier.entities],
        "quotes": [quote_json(q, docs) for q in dossier.quotes],
        **lineage_sections(dossier),
    }


# --- decoding: JSON data back to records (the store keeps documents as JSON) ---
