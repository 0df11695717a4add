"""List the quote stage's misses on the DEV set by class (never run it on the check split).

    PYTHONPATH=$PWD/src:$PWD .venv/bin/python tools/quotes_annot/dev_errors.py [--ids ID ...] [--show CLASS]

Each gold attribution the stage misses (no predicted quote shares a content token), or
matches with a wrong source, gets every class that applies (so the counts overlap):
indirect (no quotation mark in the content), per/colon/according-to lines, a reporting
verb other than say/tell, source after the content, passive cue, source in another
sentence than the cue, content over several sentences; plus predicted quotes flagged
anonymous whose gold source is named or a pronoun (false anonymous) and predicted
quotes that match no gold attribution (false positives).
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.attribution import DEV_PATH, system_predictions  # noqa: E402
from bench.quotes import _match, _tokens, load_dev  # noqa: E402
from storytrace.stages.quotes.extract import QuoteConfig  # noqa: E402

_SAY = re.compile(r"^(say|says|said|saying|tell|tells|told|telling)$", re.I)
_MARKS = "\"“”‘’"


def _span(text: str, span: list[int] | None) -> str:
    return text[span[0] : span[1]] if span else ""


def classes(text: str, gold: dict[str, Any]) -> list[str]:
    """The error classes a gold attribution belongs to (by its form, not by the error)."""
    out = []
    cue = _span(text, gold["cue"]).lower()
    contents = gold["contents"]
    body = " ".join(_span(text, c) for c in contents)
    if gold["kind"] == "indirect" and not any(m in body for m in _MARKS):
        out.append("indirect")
    if cue in ("per", "according to") or (gold["cue"] and text[gold["cue"][1] : gold["cue"][1] + 1] == ":"):
        out.append("per/according/colon")
    if cue and not _SAY.match(cue):
        out.append("verb beyond say/tell")
    if gold["sources"] and contents and gold["sources"][0][0] > min(s for s, _ in contents):
        out.append("source after content")
    if gold["cue"] and re.search(r"\b(is|was|were|are|been|be)\s+\w*\s*$", text[max(0, gold["cue"][0] - 20) : gold["cue"][0]]):
        out.append("passive")
    if gold["sources"] and gold["cue"]:
        lo, hi = sorted((gold["sources"][0][0], gold["cue"][0]))
        if re.search(r"[.!?][\"”’]?\s+[A-Z\"“]|\n", text[lo:hi]):
            out.append("source across sentence")
    if any(re.search(r"[.!?][\"”’]?\s+[A-Z\"“]|\n", _span(text, c).rstrip(".!?\"”’ ")) for c in contents):
        out.append("content over sentences")
    return out or ["other"]


def main() -> None:
    args = sys.argv[1:]
    show = args[args.index("--show") + 1] if "--show" in args else None
    gold = load_dev(DEV_PATH)
    if "--ids" in args:
        ids = set(args[args.index("--ids") + 1 :]) - {show}
        gold = [d for d in gold if d["id"] in ids]
    pred = {d["id"]: d["quotes"] for d in system_predictions(gold, QuoteConfig())}
    missed: Counter[str] = Counter()
    wrong_source: Counter[str] = Counter()
    false_anon = false_pos = n_gold = 0
    for doc in gold:
        text, guesses = doc["text"], pred[doc["id"]]
        pairs = dict(_match(text, doc["quotes"], guesses))
        for gi, g in enumerate(doc["quotes"]):
            n_gold += 1
            if gi not in pairs:
                for c in classes(text, g):
                    missed[c] += 1
                    if show == c:
                        print(f"MISS {doc['id']} [{c}] cue={_span(text, g['cue'])!r} src={[_span(text, s) for s in g['sources']]} :: {' | '.join(_span(text, s)[:90] for s in g['contents'])}")
                continue
            p = guesses[pairs[gi]]
            gsrc = _tokens(text, g["sources"])
            if gsrc != _tokens(text, p.get("sources", [])):
                for c in classes(text, g):
                    wrong_source[c] += 1
                    if show == c:
                        print(f"SRC  {doc['id']} [{c}] gold={[_span(text, s) for s in g['sources']]} pred={[_span(text, s) for s in p['sources']]} cue={_span(text, g['cue'])!r}")
            if p.get("anonymous") and g["source_type"] in ("named", "pronoun"):
                false_anon += 1
                if show == "anonymous":
                    print(f"ANON {doc['id']} gold={[_span(text, s) for s in g['sources']]} ({g['source_type']}) pred={[_span(text, s) for s in p['sources']]}")
        matched_p = set(pairs.values())
        for pi, p in enumerate(guesses):
            if pi not in matched_p:
                false_pos += 1
                if show == "fp":
                    print(f"FP   {doc['id']} cue={_span(text, p['cue'])!r} src={[_span(text, s) for s in p['sources']]} :: {' | '.join(_span(text, s)[:90] for s in p['contents'])}")
    print(f"{len(gold)} documents, {n_gold} gold attributions")
    print("class                       missed  wrong source")
    for c in sorted(set(missed) | set(wrong_source), key=lambda c: -(missed[c] + wrong_source[c])):
        print(f"{c:<28}{missed[c]:>6}{wrong_source[c]:>14}")
    print(f"false anonymous flags: {false_anon}; predicted quotes matching no gold: {false_pos}")


if __name__ == "__main__":
    main()
