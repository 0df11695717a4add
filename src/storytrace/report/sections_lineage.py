"""JSON of the cross-document sections: claims, provenance, verdicts, drift, disagreements, timeline.

Shapes are documented in ``schema/dossier.schema.json`` (``$defs``) and docs/schema.md.

DOCS: docs/schema.md
"""

from __future__ import annotations

from typing import Any

from storytrace.records import (
    Claim,
    ClaimMention,
    DateInference,
    Disagreement,
    DocSpan,
    Dossier,
    InferenceStep,
    Origin,
    ProvenanceEdge,
    QuoteDrift,
    StoryVerdict,
    TimelineEntry,
)
from storytrace.records.codec import date_value_json, iso


def doc_span_json(span: DocSpan) -> dict[str, Any]:
    return {"doc_id": span.doc_id, "start": span.start, "end": span.end, "text": span.text}


def origin_json(origin: Origin) -> dict[str, Any]:
    return {
        "key": origin.key,
        "label": origin.label,
        "kind": origin.kind,
        "anonymous": origin.anonymous,
        "sources": list(origin.sources),
        "doc_ids": list(origin.doc_ids),
    }


def mention_json(m: ClaimMention) -> dict[str, Any]:
    return {
        "quote_id": m.quote_id,
        "span": doc_span_json(m.span),
        "chain": m.chain,
        "speaker": m.speaker,
        "anonymous": m.anonymous,
        "polarity": m.polarity,
        "origin_key": m.origin_key,
        "predicates": list(m.predicates),
        "subject": m.subject,
        "denied": list(m.denied),
    }


def claim_json(claim: Claim) -> dict[str, Any]:
    return {
        "claim_id": claim.claim_id,
        "story_id": claim.story_id,
        "text": claim.text,
        "verdict": claim.verdict,
        "doc_ids": list(claim.doc_ids),
        "origins": [origin_json(o) for o in claim.origins],
        "mentions": [mention_json(m) for m in claim.mentions],
        "method": claim.method,
    }


def edge_json(edge: ProvenanceEdge) -> dict[str, Any]:
    return {
        "source": edge.source,
        "target": edge.target,
        "kind": edge.kind,
        "evidence": [doc_span_json(s) for s in edge.evidence],
        "method": edge.method,
    }


def verdict_json(verdict: StoryVerdict) -> dict[str, Any]:
    return {
        "story_id": verdict.story_id,
        "articles": verdict.articles,
        "origins": [origin_json(o) for o in verdict.origins],
        "main_claim_id": verdict.main_claim_id,
        "disputed": list(verdict.disputed),
        "line": verdict.line,
    }


def drift_json(drift: QuoteDrift) -> dict[str, Any]:
    return {
        "story_id": drift.story_id,
        "speaker": drift.speaker,
        "via": drift.via,
        "kind": drift.kind,
        "a": doc_span_json(drift.a),
        "b": doc_span_json(drift.b),
        "similarity": drift.similarity,
        "reason": drift.reason,
        "diff": [{"op": d.op, "a": d.a, "b": d.b} for d in drift.diff],
        "method": drift.method,
    }


def disagreement_json(dis: Disagreement) -> dict[str, Any]:
    return {
        "story_id": dis.story_id,
        "kind": dis.kind,
        "topic": dis.topic,
        "reason": dis.reason,
        "sides": [
            {
                "label": side.label,
                "mentions": [doc_span_json(s) for s in side.mentions],
                "sources": list(side.sources),
            }
            for side in dis.sides
        ],
        "method": dis.method,
    }


def timeline_json(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "story_id": entry.story_id,
        "value": entry.value,
        "when": date_value_json(entry.when),
        "text": entry.text,
        "sources": [
            {
                "sentence": doc_span_json(s.sentence),
                "timex": doc_span_json(s.timex),
                "value": s.value,
                "anchor": s.anchor,
            }
            for s in entry.sources
        ],
        "method": entry.method,
    }


def step_json(step: InferenceStep) -> dict[str, Any]:
    return {
        "rule": step.rule,
        "earliest": iso(step.earliest),
        "latest": iso(step.latest),
        "evidence": [doc_span_json(s) for s in step.evidence],
        "explanation": step.explanation,
    }


def inference_json(inf: DateInference) -> dict[str, Any]:
    return {
        "doc_id": inf.doc_id,
        "value": date_value_json(inf.value),
        "steps": [step_json(s) for s in inf.steps],
        "method": inf.method,
    }


def lineage_sections(dossier: Dossier) -> dict[str, Any]:
    """The cross-document sections of a dossier as JSON-able data."""
    return {
        "claims": [claim_json(c) for c in dossier.claims],
        "provenance": [edge_json(e) for e in dossier.provenance],
        "verdicts": [verdict_json(v) for v in dossier.verdicts],
        "drift": [drift_json(d) for d in dossier.drift],
        "disagreements": [disagreement_json(d) for d in dossier.disagreements],
        "timeline": [timeline_json(t) for t in dossier.timeline],
        "date_inferences": [inference_json(i) for i in dossier.date_inferences],
    }
