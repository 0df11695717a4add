"""Helpers for the hand-annotated cross-check set (bench/crosscheck/ecbplus/).

    python tools/crosscheck_annot.py dump TOPIC        # the topic's articles, numbered lines
    python tools/crosscheck_annot.py check FILE...     # validate annotation files

The conventions are ../shared/crosscheck-annotation.md; the file format is its
schema with one topic per file (``{"topic", "split", "annotator", "stories": [...],
"non_conflicts": [...]}``). ``check`` verifies that every snippet is an exact
substring of its article's text, that ids are unique, that stances and kinds are
from the convention's vocabulary and that every mention names an origin that the
claim lists (or, for a denied mention, that its source is in ``denied_by``).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

DATA = Path(
    os.environ.get("STORYTRACE_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
STANCES = {"asserted", "reported-as-allegation", "denied"}
CONFLICT_KINDS = {"number", "date", "time", "place", "polarity", "agent", "other"}
QUOTE_KINDS = {"direct", "reported", "mixed"}


def articles() -> dict[str, dict]:
    with (DATA / "ecbplus-stories" / "articles.jsonl").open(encoding="utf-8") as fh:
        return {d["id"]: d for d in map(json.loads, fh)}


def dump(topic: str) -> None:
    for doc in sorted(articles().values(), key=lambda d: (d["story"], d["id"])):
        if doc["topic"] != topic:
            continue
        print(f"=== {doc['id']}  story {doc['story']}  split {doc['split']}")
        for i, line in enumerate(doc["text"].split("\n")):
            print(f"{i:3d}| {line}")
        print()


def _sides(items: list[dict], where: str):
    for item in items:
        for side in item.get("sides", []):
            for m in side.get("mentions", [side]):
                yield f"{where} {item.get('id')}", m.get("article"), m.get("snippet")


def _snippets(topic: dict):
    """(where, article, snippet) for every snippet in a topic file."""
    for story in topic.get("stories", []):
        s = story.get("story")
        for claim in story.get("claims", []):
            for m in claim.get("mentions", []):
                yield f"{s}/claim {claim.get('id')}", m.get("article"), m.get("snippet")
        for q in story.get("speakers", []):
            yield f"{s}/speaker {q.get('id')}", q.get("article"), q.get("snippet")
        yield from _sides(story.get("disagreements", []), f"{s}/disagreement")
        yield from _sides(story.get("drift", []), f"{s}/drift")
        yield from _sides(story.get("non_conflicts", []), f"{s}/trap")
    yield from _sides(topic.get("non_conflicts", []), "topic/trap")


def _snippet_errors(topic: dict, docs: dict[str, dict]) -> list[str]:
    errors = []
    for where, article, snippet in _snippets(topic):
        doc = docs.get(article or "")
        if doc is None:
            errors.append(f"{where}: unknown article {article!r}")
        elif not snippet or snippet not in doc["text"]:
            errors.append(f"{where}: snippet not in {article}: {snippet!r}")
        elif doc["topic"] != topic.get("topic"):
            errors.append(f"{where}: {article} is not of topic {topic.get('topic')}")
    return errors


def _claim_errors(where: str, claim: dict) -> list[str]:
    errors = []
    origins = set(claim.get("origins", []))
    if len({m.get("article") for m in claim.get("mentions", [])}) < 2:
        errors.append(f"{where}: carried by fewer than 2 articles")
    if claim.get("certainty") not in ("firm", "soft"):
        errors.append(f"{where}: certainty must be firm or soft")
    for m in claim.get("mentions", []):
        if m.get("stance") not in STANCES:
            errors.append(f"{where}: stance {m.get('stance')!r}")
        elif m["stance"] != "denied" and m.get("origin") not in origins:
            errors.append(f"{where}: origin {m.get('origin')!r} not in origins")
    return errors


def _vocabulary_errors(s: str, story: dict) -> list[str]:
    errors = []
    for q in story.get("speakers", []):
        sp = q.get("speaker") or {}
        if q.get("kind") not in QUOTE_KINDS or not (sp.get("name") or sp.get("anonymous")):
            errors.append(f"{s}/speaker {q.get('id')}: kind or speaker missing")
    for d in story.get("disagreements", []):
        if d.get("kind") not in CONFLICT_KINDS or len(d.get("sides", [])) != 2:
            errors.append(f"{s}/disagreement {d.get('id')}: kind or two sides")
    for d in story.get("drift", []):
        if d.get("change") not in ("minor", "reworded"):
            errors.append(f"{s}/drift {d.get('id')}: change {d.get('change')!r}")
    return errors


def check_file(path: Path, docs: dict[str, dict]) -> list[str]:
    topic = json.loads(path.read_text(encoding="utf-8"))
    errors = _snippet_errors(topic, docs)
    for story in topic.get("stories", []):
        s = story.get("story")
        ids = [c.get("id") for c in story.get("claims", [])]
        if len(ids) != len(set(ids)):
            errors.append(f"{s}: duplicate claim ids")
        for claim in story.get("claims", []):
            errors += _claim_errors(f"{s}/claim {claim.get('id')}", claim)
        errors += _vocabulary_errors(s, story)
    return errors


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "dump":
        dump(argv[1])
        return 0
    if len(argv) >= 2 and argv[0] == "check":
        docs = articles()
        bad = 0
        for name in argv[1:]:
            errors = check_file(Path(name), docs)
            bad += len(errors)
            print(f"{name}: {'ok' if not errors else f'{len(errors)} problems'}")
            for e in errors:
                print("  " + e)
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
