"""``python -m bench crosscheck``: GOLDEN.md's provenance, drift, disagreement and time items as checks.

The seed checklist (``tests/golden/seeds_checklist.json``, section ``lineage``)
states what GOLDEN.md says of the cross-document analysis: which outlets each
article cites, story A's verdict (4 articles, 1 origin: The Times, anonymous),
the two drift pairs, the two disagreements (and that the IRGC unit's two names are
not one), the inferred publication interval of the undated article, and the
timeline. Each item is one check; the score per area is the share passed.

DOCS: docs/benchmarks.md
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Check", "lineage_checks", "printed_published"]


@dataclass(frozen=True, slots=True)
class Check:
    """One GOLDEN.md statement about the seeds, and whether the dossier holds it."""

    stage: str
    seed: str
    what: str
    passed: bool


Data = dict[str, Any]


def printed_published(doc: Data) -> str | None:
    """The printed publication date (minute precision), ``None`` when only inferred."""
    value = doc["published"]
    if value["earliest"] is None or value["inferred"]:
        return None
    return str(value["earliest"])[:16]


def _seeds(ids: Mapping[str, str], doc_ids: Any) -> set[str]:
    back = {v: k for k, v in ids.items()}
    return {back.get(d, d) for d in doc_ids}


def _cited(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    checks = []
    for seed, outlets in want["cited"].items():
        got = sorted(
            e["target"].removeprefix("outlet:")
            for e in dossier["provenance"]
            if e["kind"] == "cites" and e["source"] == f"article:{ids.get(seed)}"
        )
        checks.append(
            Check(
                "provenance", seed, f"cites {sorted(outlets)} (got {got})", got == sorted(outlets)
            )
        )
    return checks


def _verdict(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    story = {ids.get(s) for s in want["story"]}
    sid = next((s["story_id"] for s in dossier["stories"] if set(s["doc_ids"]) == story), None)
    verdict = next((v for v in dossier["verdicts"] if v["story_id"] == sid), None)
    if verdict is None:
        return [Check("provenance", "+".join(want["story"]), "verdict of story A exists", False)]
    labels = [o["label"] for o in verdict["origins"]]
    anonymous = [o["anonymous"] for o in verdict["origins"]]
    seed = "+".join(want["story"])
    return [
        Check("provenance", seed, f"{want['articles']} articles (got {verdict['articles']})",
              verdict["articles"] == want["articles"]),
        Check("provenance", seed, f"origins {want['origins']} (got {labels})", labels == want["origins"]),
        Check("provenance", seed, f"origin anonymous (got {anonymous})", anonymous == [want["anonymous"]]),
    ]  # fmt: skip


def _claim_origins(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    """A claim's independent origins: every claim carrying the wording names exactly these."""
    checks = []
    for item in want["claim_origins"]:
        found = [
            [o["label"] for o in c["origins"]]
            for c in dossier["claims"]
            if any(item["has"] in m["span"]["text"] for m in c["mentions"])
            and len(c["doc_ids"]) >= item["articles_at_least"]
        ]
        ok = bool(found) and all(labels == item["origins"] for labels in found)
        what = f"claim '{item['has']}' has origins {item['origins']} (got {found})"
        checks.append(Check("provenance", item["has"], what, ok))
    return checks


def _drift(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    checks = []
    for item in want["drift"]:
        pair = {ids.get(item["a"]), ids.get(item["b"])}
        kinds = [
            d["kind"]
            for d in dossier["drift"]
            if {d["a"]["doc_id"], d["b"]["doc_id"]} == pair
            and item["has"] in d["a"]["text"] + d["b"]["text"]
        ]
        what = f"'{item['has']}' {item['a']}~{item['b']} is {item['kind']} (got {kinds})"
        checks.append(Check("drift", f"{item['a']}+{item['b']}", what, kinds == [item["kind"]]))
    return checks


def _side_seeds(side: Data, ids: Mapping[str, str]) -> set[str]:
    return _seeds(ids, [m["doc_id"] for m in side["mentions"]])


def _disagreements(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    checks = []
    for item in want["disagreements"]:
        found = [
            d for d in dossier["disagreements"]
            if d["kind"] == item["kind"] and item["has"] in (d["topic"] + d["reason"])
        ]  # fmt: skip
        sides = [[sorted(_side_seeds(s, ids)) for s in d["sides"]] for d in found]
        ok = any(
            all(set(w) <= set(g) for w, g in zip(item["sides"], got, strict=False)) for got in sides
        )
        what = f"{item['kind']} disagreement on '{item['has']}' with sides {item['sides']} (got {sides})"
        checks.append(Check("disagreements", item["has"], what, ok))
    for text in want["not_disagreements"]:
        hit = [d["topic"] for d in dossier["disagreements"] if text.lower() in str(d).lower()]
        checks.append(
            Check("disagreements", text, f"no disagreement about '{text}' (got {hit})", not hit)
        )
    return checks


def _inferred(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    by_id = {d["doc_id"]: d for d in dossier["documents"]}
    checks = []
    for seed, item in want["inferred"].items():
        value = by_id.get(ids.get(seed, ""), {}).get("published", {})
        got = [value.get("earliest"), value.get("latest")]
        if "interval" in item:
            ok = got == item["interval"] and bool(value.get("inferred"))
            what = f"published between {item['interval']} (inferred) (got {got})"
        else:
            day = item["contains"]
            ok = (
                bool(value.get("inferred"))
                and got[0] is not None
                and got[0] <= day <= (got[1] or day)
            )
            what = f"inferred interval contains {day} (got {got})"
        has_steps = any(
            i["doc_id"] == ids.get(seed) and i["steps"] for i in dossier["date_inferences"]
        )
        checks.append(Check("time", seed, what, ok and has_steps))
    return checks


def _timeline(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    checks = []
    for value, seed in want["timeline"]:
        ok = any(
            e["value"] == value and ids.get(seed) in {s["sentence"]["doc_id"] for s in e["sources"]}
            for e in dossier["timeline"]
        )
        checks.append(Check("time", seed, f"timeline has {value} from {seed}", ok))
    return checks


_AREAS: tuple[tuple[str, str, Callable[[Data, Data, Mapping[str, str]], list[Check]]], ...] = (
    ("provenance", "cited", _cited),
    ("provenance", "origins", _verdict),
    ("claims", "claim_origins", _claim_origins),
    ("drift", "drift", _drift),
    ("disagreements", "disagreements", _disagreements),
    ("timeline", "inferred", _inferred),
    ("timeline", "timeline", _timeline),
)


def lineage_checks(want: Data, dossier: Data, ids: Mapping[str, str]) -> list[Check]:
    """The checks of the checklist's ``lineage`` section whose dossier section was computed.

    Args:
        want (dict): the ``lineage`` section of the seed checklist.
        dossier (dict): dossier JSON data.
        ids (Mapping[str, str]): seed number ("000") -> doc id.

    Returns:
        list[Check]: one per item.
    """
    checks: list[Check] = []
    for section, key, fn in _AREAS:
        if dossier["sections"].get(section) == "computed" and key in want:
            checks += fn(want, dossier, ids)
    return checks


def _score_rows(checks: list[Check]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for check in checks:
        row = rows.setdefault(check.stage, {"checks": 0, "passed": 0})
        row["checks"] += 1
        row["passed"] += int(check.passed)
    for row in rows.values():
        row["score"] = round(row["passed"] / row["checks"], 4)
    return rows


def run_crosscheck_bench(seeds: Any, checklist: Any) -> dict[str, Any]:
    """Score the seed dossier against the lineage items of GOLDEN.md.

    Args:
        seeds (Path): the seed folder (``examples/seeds``).
        checklist (Path): ``tests/golden/seeds_checklist.json``.

    Returns:
        dict: ``{"seeds": {area: {checks, passed, score}}, "failed": [...], "checks": [...]}``.
    """
    import json
    from pathlib import Path

    from storytrace import api

    dossier = api.to_json_data(api.analyze([Path(seeds)]))
    want = json.loads(Path(checklist).read_text(encoding="utf-8"))["lineage"]
    by_seed = {Path(d["source"]["path"]).name[:3]: d["doc_id"] for d in dossier["documents"]}
    checks = lineage_checks(want, dossier, by_seed)
    return {
        "seeds": _score_rows(checks),
        "failed": [f"{c.stage}: {c.what}" for c in checks if not c.passed],
        "items": [{"area": c.stage, "item": c.what, "passed": c.passed} for c in checks],
    }
