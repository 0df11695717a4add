"""Where does reported (indirect) speech end? A learned choice among clause boundaries, on DEV only.

    PYTHONPATH=$PWD/src:$PWD .venv/bin/python tools/train_content_end.py [--folds 5]

Issue #25 (session 16), second experiment: the quote stage ends the content of indirect speech
where its rules put it (the complement clause's subtree, cut at a reporting conjunct, ...). This
script asks whether a logistic regression that picks the end among the clause boundaries of
the sentence does better. For every predicted quote of kind ``indirect`` on
``bench/data/quotes/dev.jsonl`` paired with a gold quote (the pairing of ``bench.quotes``), the
candidates are the stage's own end and every clause boundary between the content's start and
the end of its sentence (before ``,``, ``;``, a dash, a coordinating or subordinating
conjunction, ``which``/``who``, ``according``, and the sentence end). A candidate is positive
when it is the gold content's end (both trimmed of punctuation and quotation marks).

Features of a candidate: whether it is the stage's end, the sentence end, before or after the
stage's end and how far (in words); the word that follows it (``and``, ``but``, ``which``,
``after``, ``as``, ``according``, a comma, a dash, ...); whether what follows has a reporting
verb, a subject of its own, or is attached to the cue verb rather than inside the complement.

Cross-validation is over documents. Each fold's model scores every candidate of a held-out
quote and the best-scoring one is the end. The replaced ends are scored with
``bench.quotes.score_quotes`` on the whole dev set beside the stage's own. The rule to ship was
fixed before the first run: the model replaces the rules only if the pooled cross-validated
content token F1 is higher AND the exact content F1 is not lower. The check split is never read.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from bench.attribution import DEV_PATH, quote_to_dict
from bench.quotes import _match, load_dev, score_quotes
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from storytrace.stages.entities.extract import entity_pipeline
from storytrace.stages.quotes.extract import QuoteConfig, quotes_of_doc
from storytrace.stages.quotes.vocab import SAY_VERBS

CACHE = Path("/tmp/train_content_end.json")
_TRIM = " \t\n,.;:\"'“”‘’()—–-"
_NEXT_WORDS = (
    "and",
    "but",
    "which",
    "who",
    "after",
    "before",
    "as",
    "while",
    "although",
    "because",
    "according",
    "even",
    "when",
    "since",
    "saying",
    "including",
    "though",
    "where",
    "with",
    "in",
)
_BOUNDARY_WORDS = frozenset(_NEXT_WORDS) - {"with", "in"}
FEATURES = (
    "rule_end",
    "sentence_end",
    "before_rule",
    "after_rule",
    "distance",
    *(f"next_{w}" for w in _NEXT_WORDS),
    "next_comma",
    "next_dash",
    "next_semicolon",
    "next_say_verb",
    "next_own_subject",
    "next_on_cue",
    "next_quote_mark",
)


#: Model variants: every feature, or the boundaries alone (without where the stage ended).
VARIANTS = {
    "all features": frozenset(),
    "boundaries only": frozenset({"rule_end", "before_rule", "after_rule", "distance"}),
}


def _trimmed_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return end


def _code_key() -> str:
    root = Path(__file__).resolve().parents[1] / "src/storytrace/stages/quotes"
    files = [*sorted(root.glob("*.py")), Path(__file__)]
    return hashlib.sha1(b"".join(p.read_bytes() for p in files)).hexdigest()


def _candidates(sdoc: Any, quote: Any, text: str) -> list[dict[str, Any]]:
    """The stage's end and every clause boundary up to the end of the content's sentence."""
    start = quote.content_spans[0].start
    rule_end = _trimmed_end(text, start, quote.content_spans[-1].end)
    last = sdoc.char_span(
        quote.content_spans[-1].start, quote.content_spans[-1].end, alignment_mode="expand"
    )
    if last is None or not len(last):
        return []
    sent = last[-1].sent
    cue = (
        sdoc.char_span(quote.cue_span.start, quote.cue_span.end, alignment_mode="expand")
        if quote.cue_span
        else None
    )
    cue_tok = cue.root if cue is not None and len(cue) else None
    ends = {rule_end}
    for tok in sent:
        if tok.idx <= start:
            continue
        word = tok.lower_
        if (tok.is_punct and word in (",", ";", "—", "–", "-", "--")) or word in _BOUNDARY_WORDS:
            ends.add(_trimmed_end(text, start, tok.idx))
    ends.add(_trimmed_end(text, start, sent.end_char))
    words = [t for t in sent if not t.is_punct]
    out = []
    for end in sorted(e for e in ends if e > start):
        after = [t for t in sent if t.idx >= end and not t.is_space]
        nxt = after[0] if after else None
        segment = after[:8]
        n_between = sum(1 for t in words if min(end, rule_end) <= t.idx < max(end, rule_end))
        values: dict[str, float] = {
            "rule_end": end == rule_end,
            "sentence_end": nxt is None or all(t.is_punct for t in after),
            "before_rule": end < rule_end,
            "after_rule": end > rule_end,
            "distance": min(n_between, 20) / 20,
            "next_comma": nxt is not None and nxt.text == ",",
            "next_dash": nxt is not None and nxt.text in ("—", "–", "-", "--"),
            "next_semicolon": nxt is not None and nxt.text == ";",
            "next_say_verb": any(
                t.lemma_.lower() in SAY_VERBS and t.pos_ == "VERB" for t in segment
            ),
            "next_own_subject": any(t.dep_ in ("nsubj", "nsubjpass") for t in segment),
            "next_on_cue": cue_tok is not None and any(t.head.i == cue_tok.i for t in segment[:3]),
            "next_quote_mark": any(t.text in ('"', "“", "”") for t in segment[:2]),
        }
        first_word = next((t.lower_ for t in after if not t.is_punct), "")
        for w in _NEXT_WORDS:
            values[f"next_{w}"] = first_word == w
        out.append({"end": end, "x": [float(values[f]) for f in FEATURES]})
    return out


def examples(dev: list[dict[str, Any]]) -> dict[str, Any]:
    """Candidates per paired indirect quote, plus every predicted document (for rescoring)."""
    if CACHE.exists():
        cached = json.loads(CACHE.read_text())
        if cached["code"] == _code_key():
            return cached  # type: ignore[no-any-return]
    rows, predicted = [], []
    config = QuoteConfig()
    for doc, sdoc in zip(dev, entity_pipeline().pipe([d["text"] for d in dev]), strict=True):
        text = doc["text"]
        quotes = quotes_of_doc(doc["id"], sdoc, config)
        guesses = [quote_to_dict(q, text) for q in quotes]
        predicted.append({"id": doc["id"], "quotes": guesses})
        pairs = {p: g for g, p in _match(text, doc["quotes"], guesses)}
        for pi, quote in enumerate(quotes):
            if quote.kind != "indirect" or not quote.content_spans or pi not in pairs:
                continue
            gold = doc["quotes"][pairs[pi]]
            gold_end = _trimmed_end(text, 0, max(e for _, e in gold["contents"]))
            cands = _candidates(sdoc, quote, text)
            if cands:
                rows.append({"doc": doc["id"], "pi": pi, "gold_end": gold_end, "cands": cands})
    out = {"code": _code_key(), "rows": rows, "predicted": predicted}
    CACHE.write_text(json.dumps(out))
    return out


def _with_end(
    predicted: list[dict[str, Any]], ends: dict[tuple[str, int], int]
) -> list[dict[str, Any]]:
    """The predictions with the chosen content ends put in."""
    out = copy.deepcopy(predicted)
    for doc in out:
        for pi, quote in enumerate(doc["quotes"]):
            end = ends.get((doc["id"], pi))
            if end is None:
                continue
            spans = [s for s in quote["contents"] if s[0] < end]
            spans[-1] = [spans[-1][0], end]
            quote["contents"] = spans
    return out


def main() -> None:
    args = sys.argv[1:]
    folds = int(args[args.index("--folds") + 1]) if "--folds" in args else 5
    dev = load_dev(DEV_PATH)
    data = examples(dev)
    rows = data["rows"]
    reachable = sum(any(c["end"] == r["gold_end"] for c in r["cands"]) for r in rows)
    rule_right = sum(
        next(c for c in r["cands"] if c["x"][0] == 1.0)["end"] == r["gold_end"] for r in rows
    )
    print(
        f"{len(rows)} paired indirect quotes; the gold end is a candidate for {reachable}; "
        f"the stage's end is right for {rule_right}"
    )
    groups = np.array([r["doc"] for r in rows])
    preds = {"rules (the stage's ends)": data["predicted"]}
    for name, drop in VARIANTS.items():
        keep = [i for i, f in enumerate(FEATURES) if f not in drop]
        chosen = _cross_validated_ends(rows, groups, keep, folds)
        right = sum(chosen[(r["doc"], r["pi"])] == r["gold_end"] for r in rows)
        print(f"model, {name}: the cross-validated end is right for {right}")
        preds[f"model, {name}"] = _with_end(data["predicted"], chosen)
    for name, pred in preds.items():
        result = score_quotes(dev, pred)
        content = next(row for row in result["rows"] if row["field"] == "content")
        print(
            f"{name:<40} content exact F1 {content['exact_f1']:.4f} token P {content['token_p']:.4f} "
            f"R {content['token_r']:.4f} F1 {content['token_f1']:.4f}"
        )


def _cross_validated_ends(
    rows: list[dict[str, Any]], groups: np.ndarray, keep: list[int], folds: int
) -> dict[tuple[str, int], int]:
    """Each held-out quote's best-scoring candidate end, folds over documents."""
    chosen: dict[tuple[str, int], int] = {}
    for train, test in GroupKFold(n_splits=folds).split(np.zeros(len(rows)), None, groups):
        x = np.array([[c["x"][k] for k in keep] for i in train for c in rows[i]["cands"]])
        y = np.array(
            [int(c["end"] == rows[i]["gold_end"]) for i in train for c in rows[i]["cands"]]
        )
        model = LogisticRegression(C=1.0, max_iter=3000).fit(x, y)
        for i in test:
            cands = rows[i]["cands"]
            scores = model.decision_function(np.array([[c["x"][k] for k in keep] for c in cands]))
            chosen[(rows[i]["doc"], rows[i]["pi"])] = cands[int(np.argmax(scores))]["end"]
    return chosen


if __name__ == "__main__":
    main()
