"""The hand-checked ECB+ cross-check, scored automatically.

``bench/data/crosscheck_ecbplus.json`` (written by hand from a careful reading of
three ECB+ topics, see docs/crosscheck_ecbplus.md) lists, per topic, the claims
carried by two or more articles with their true number of origins, quote drift,
real disagreements, pairs that must *not* be reported as disagreements, dated
events and timeline traps. Each topic's articles are analysed together (one
``<id>.txt`` file an article, as the hand check did) and every item is checked.

DOCS: docs/crosscheck_ecbplus.md
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

Data = dict[str, Any]

__all__ = ["run_ecbplus_crosscheck"]


def _load_articles(data_dir: Path, ids: set[str]) -> dict[str, str]:
    out = {}
    with (data_dir / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["id"] in ids:
                out[row["id"]] = row["text"]
    return out


def _analyse(texts: dict[str, str]) -> Data:
    from storytrace import api

    with tempfile.TemporaryDirectory() as tmp:
        for doc_id, text in texts.items():
            (Path(tmp) / f"{doc_id}.txt").write_text(text + "\n", encoding="utf-8")
        return api.to_json_data(api.analyze([tmp]))


def _names(dossier: Data) -> dict[str, str]:
    """doc_id -> article id (the file name without .txt)."""
    return {d["doc_id"]: Path(d["source"]["path"]).stem for d in dossier["documents"]}


def _mention_files(spans: Iterable[Data], names: dict[str, str], has: str) -> set[str]:
    return {names.get(s["doc_id"], "") for s in spans if has in s["text"]}


def _claims(topic: Data, dossier: Data, names: dict[str, str]) -> Data:
    found = origins_ok = 0
    for want in topic["claims"]:
        best: Data | None = None
        for claim in dossier["claims"]:
            files = {names.get(m["span"]["doc_id"], "") for m in claim["mentions"]}
            if any(want["has"] in m["span"]["text"] for m in claim["mentions"]):
                if len(files & set(want["docs"])) >= 2:
                    best = claim
                    break
        if best is not None:
            found += 1
            origins_ok += int(len(best["origins"]) == want.get("n_origins", -1))
    multi = sum(1 for c in dossier["claims"] if len(c["doc_ids"]) >= 2)
    return {"expected": len(topic["claims"]), "found": found, "origins_right": origins_ok,
            "reported_multi_article": multi}  # fmt: skip


def _drift(topic: Data, dossier: Data, names: dict[str, str]) -> Data:
    found = 0
    for want in topic["drift"]:
        hits = [
            d for d in dossier["drift"]
            if any(h in d["a"]["text"] or h in d["b"]["text"] for h in want["has"])
            and d["kind"] != "verbatim"
        ]  # fmt: skip
        found += int(bool(hits))
    changed = sum(1 for d in dossier["drift"] if d["kind"] != "verbatim")
    return {"expected": len(topic["drift"]), "found": found, "reported_changes": changed}


def _side_text(dis: Data) -> list[str]:
    return [" ".join(m["text"] for m in side["mentions"]) for side in dis["sides"]]


def _pairs(dis: Data, a: str, b: str) -> bool:
    sides = _side_text(dis)
    return any(a in x and b in y for x in sides for y in sides if x is not y)


def _disagreements(topic: Data, dossier: Data) -> Data:
    reported = dossier["disagreements"]
    matched: set[int] = set()
    found = 0
    for want in topic["disagreements"]:
        a, b = want["has"][:2]
        hits = [i for i, d in enumerate(reported) if _pairs(d, a, b)]
        found += int(bool(hits))
        matched.update(hits)
    wrong = sum(1 for a, b in topic["no_disagreement"] if any(_pairs(d, a, b) for d in reported))
    return {"expected": len(topic["disagreements"]), "found": found, "reported": len(reported),
            "reported_unmatched": len(reported) - len(matched), "no_disagreement_violated": wrong}  # fmt: skip


def _timeline(topic: Data, dossier: Data, names: dict[str, str]) -> Data:
    def entries_with(file: str, has: str) -> list[str]:
        return [
            e["value"] for e in dossier["timeline"]
            for s in e["sources"]
            if names.get(s["sentence"]["doc_id"]) == file and has in s["sentence"]["text"]
        ]  # fmt: skip

    found = sum(int(w["value"] in entries_with(w["file"], w["has"])) for w in topic["timeline"])
    traps = sum(
        int(t["wrong"] in entries_with(t["file"], t["has"])) for t in topic["timeline_traps"]
    )
    return {"expected": len(topic["timeline"]), "found": found, "reported": len(dossier["timeline"]),
            "traps": len(topic["timeline_traps"]), "traps_fallen_into": traps}  # fmt: skip


def _score_topic(topic: Data, data_dir: Path) -> Data:
    dossier = _analyse(_load_articles(data_dir, set(topic["files"])))
    names = _names(dossier)
    return {
        "claims": _claims(topic, dossier, names),
        "drift": _drift(topic, dossier, names),
        "disagreements": _disagreements(topic, dossier),
        "timeline": _timeline(topic, dossier, names),
    }


def _total(per_topic: dict[str, Data]) -> Data:
    total: Data = {}
    for scores in per_topic.values():
        for area, row in scores.items():
            into = total.setdefault(area, {})
            for key, value in row.items():
                into[key] = into.get(key, 0) + value
    return total


def run_ecbplus_crosscheck(data_dir: Path) -> Data:
    """Score the hand-checked ECB+ expectations.

    Args:
        data_dir (Path): the ``ecbplus-stories`` folder.

    Returns:
        dict: ``{"total": {area: counts}, "topics": {topic: {area: counts}}}``.
    """
    text = (Path(__file__).parent / "data" / "crosscheck_ecbplus.json").read_text(encoding="utf-8")
    checklist = json.loads(text)
    per_topic = {t["topic"]: _score_topic(t, data_dir) for t in checklist["topics"]}
    return {"total": _total(per_topic), "topics": per_topic}
