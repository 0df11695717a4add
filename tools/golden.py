"""The golden gate on the seed corpus: per-stage scores of GOLDEN.md's checks.

    python tools/golden.py                  # print the scores and the failed checks
    python tools/golden.py --update         # raise the pinned floors to today's scores
    python tools/golden.py --update --allow-lower   # also lower them (say why in the commit)

tests/golden/test_golden.py fails when a stage scores below its floor.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.crosscheck import Check, lineage_checks, printed_published

HERE = Path(__file__).resolve().parents[1] / "tests" / "golden"
CHECKLIST = HERE / "seeds_checklist.json"
FLOORS = HERE / "floors.json"
SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def _published(doc: dict[str, Any]) -> str | None:
    return printed_published(doc)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _doc_checks(seed: str, want: dict[str, Any], doc: dict[str, Any]) -> list[Check]:
    checks = [
        Check(
            "metadata",
            seed,
            f"{field} = {want[field]!r} (got {doc[field]['value']!r})",
            doc[field]["value"] == want[field],
        )
        for field in ("outlet", "author", "title")
    ]
    got = _published(doc)
    checks.append(
        Check(
            "metadata",
            seed,
            f"published = {want['published']!r} (got {got!r})",
            got == want["published"],
        )
    )
    checks.append(
        Check(
            "boilerplate",
            seed,
            f"truncated = {want['truncated']}",
            doc["truncated"] == want["truncated"],
        )
    )
    body = _squash(doc["text"])  # pages mix plain and non-breaking spaces
    for s in want["body_has"]:
        checks.append(Check("boilerplate", seed, f"body keeps {s[:50]!r}", _squash(s) in body))
    for s in want["body_lacks"]:
        checks.append(Check("boilerplate", seed, f"body drops {s[:50]!r}", _squash(s) not in body))
    return checks


def _chain_checks(
    checklist: dict[str, Any], dossier: dict[str, Any], by_seed: dict[str, Any]
) -> list[Check]:
    """GOLDEN.md's attribution chains: speaker, intermediaries in order, anonymity."""
    checks: list[Check] = []
    for seed, chains in checklist["chains"].items():
        doc_id = by_seed[seed]["doc_id"] if seed in by_seed else None
        quotes = [q for q in dossier["quotes"] if q["doc_id"] == doc_id]
        for speaker, via, anonymous in chains:
            found = any(
                speaker.lower()
                in " ".join(
                    filter(
                        None,
                        [
                            q["speaker"]["text"],
                            q["speaker"]["resolved"],
                            q["speaker"]["descriptor"],
                        ],
                    )
                ).lower()
                and [v["name"] for v in q["via"]][: len(via)] == via
                and q["speaker"]["anonymous"] == anonymous
                for q in quotes
            )
            checks.append(
                Check("quotes", seed, f"chain {speaker} -> {' -> '.join(via) or '(none)'}", found)
            )
    for seed, texts in checklist["not_attributions"].items():
        doc_id = by_seed[seed]["doc_id"] if seed in by_seed else None
        spoken = [
            q
            for q in dossier["quotes"]
            if q["doc_id"] == doc_id and any(t in (q["speaker"]["text"] or "") for t in texts)
        ]
        checks.append(Check("quotes", seed, f"no attribution to {texts}", not spoken))
    return checks


def _entity_checks(checklist: dict[str, Any], dossier: dict[str, Any]) -> list[Check]:
    """GOLDEN.md's alias groups are one entity each; named weapons are WEAPON."""
    checks: list[Check] = []
    for canonical, forms in checklist["aliases"]:
        groups = [set(e["surface_forms"]) | {e["canonical"]} for e in dossier["entities"]]
        merged = any(
            any(canonical in f for f in g) and all(any(form in f for f in g) for form in forms)
            for g in groups
        )
        checks.append(Check("entities", "all", f"{canonical} = {', '.join(forms)}", merged))
    for weapon in checklist["weapons"]:
        labels = {
            e["label"] for e in dossier["entities"] if any(weapon in f for f in e["surface_forms"])
        }
        checks.append(
            Check(
                "entities",
                "all",
                f"{weapon} is a WEAPON (got {sorted(labels)})",
                labels == {"WEAPON"},
            )
        )
    return checks


def _story_checks(
    checklist: dict[str, Any], dossier: dict[str, Any], by_seed: dict[str, Any]
) -> list[Check]:
    """GOLDEN.md's stories: each expected group is exactly one story of the dossier."""
    groups = [{d for d in s["doc_ids"]} for s in dossier["stories"]]
    checks: list[Check] = []
    for expected in checklist["stories"]:
        ids = {by_seed[seed]["doc_id"] for seed in expected if seed in by_seed}
        checks.append(
            Check("stories", "+".join(expected), f"story {{{', '.join(expected)}}}", ids in groups)
        )
    return checks


def run_checks(dossier: dict[str, Any]) -> list[Check]:
    """Every check of the checklist against a dossier's JSON data."""
    by_seed = {Path(d["source"]["path"]).name[:3]: d for d in dossier["documents"]}
    checklist = json.loads(CHECKLIST.read_text(encoding="utf-8"))
    checks: list[Check] = []
    for seed, want in checklist["documents"].items():
        doc = by_seed.get(seed)
        if doc is None:
            checks.append(Check("ingest", seed, "document read", False))
            continue
        checks += _doc_checks(seed, want, doc)
    if dossier["sections"]["stories"] == "computed":
        checks += _story_checks(checklist, dossier, by_seed)
    if dossier["sections"]["quotes"] == "computed":
        checks += _chain_checks(checklist, dossier, by_seed)
    if dossier["sections"]["entities"] == "computed":
        checks += _entity_checks(checklist, dossier)
    ids = {seed: doc["doc_id"] for seed, doc in by_seed.items()}
    checks += lineage_checks(checklist["lineage"], dossier, ids)
    return checks


def scores(checks: list[Check]) -> dict[str, float]:
    """Share of checks passed, per stage."""
    total: dict[str, int] = defaultdict(int)
    passed: dict[str, int] = defaultdict(int)
    for check in checks:
        total[check.stage] += 1
        passed[check.stage] += check.passed
    return {stage: round(passed[stage] / total[stage], 4) for stage in sorted(total)}


def seed_dossier() -> dict[str, Any]:
    from storytrace import api

    return api.to_json_data(api.analyze([SEEDS]))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--update", action="store_true", help="raise the floors to today's scores")
    parser.add_argument(
        "--allow-lower", action="store_true", help="with --update, also lower floors"
    )
    args = parser.parse_args()
    checks = run_checks(seed_dossier())
    now = scores(checks)
    for check in checks:
        if not check.passed:
            print(f"FAIL {check.stage:12} {check.seed}  {check.what}")
    data = json.loads(FLOORS.read_text(encoding="utf-8"))
    for stage, score in now.items():
        print(f"{stage:12} {score:.3f}  (floor {data['floors'].get(stage, 0.0):.3f})")
    if args.update:
        for stage, score in now.items():
            old = data["floors"].get(stage, 0.0)
            data["floors"][stage] = score if (score > old or args.allow_lower) else old
        FLOORS.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {FLOORS}")


if __name__ == "__main__":
    main()
