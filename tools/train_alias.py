"""Train the entity stage's alias-pair scorer (``storytrace.stages.entities.pairs``).

Data: the annotated **dev** topics of ``bench/data/entities`` (never the check split)
and the ECB+ chain set (``ecb_chains`` of ``python -m bench entities``: ECB+'s own
cross-document chains of proper names on the train/dev topics outside the annotated
ones), each topic one corpus. In each corpus the stage's rules run as they ship
(``EntityConfig(learned_pairs=False)``); the candidate pairs are the node pairs that
share a content word, an acronym or a spelling prefix (``pairs.candidates``) and that
the rules left apart and that the scorer may judge (``pairs.eligible``: names of the
corpus, not an article's own, printed within one story); a pair's label is whether both nodes cover one gold thing
(pairs with a node covering no annotated item are left out).

Model: logistic regression (scikit-learn, standardised features, C=1) over
``pairs.FEATURES``. Leave-one-topic-out cross-validation over all topics: each topic's
pairs are scored by the model fit on the other topics, each threshold of ``THRESHOLDS``
merges the pairs at or above it into the rules' groups, and the items are scored as
``python -m bench entities`` scores them (pairwise P/R/F1, one topic at a time, pooled
per split). The threshold kept is the best F1 over dev and chains together among those
whose cross-validated dev precision is at least ``--floor`` (0.97, the issue's target)
and whose precision on dev and on the chain set is no lower than the rules' less
``--slack`` (0.005: merges are judged on precision first, the check split being below
the target already). The model ships (``"enabled":
true``) only if that threshold beats the rules' F1 on dev and on the chain set and
``--enable`` is given; otherwise the file is written disabled with the figures.

Session 16 wrote it **disabled**: cross-validated, the model at 0.85 beat the rules
(dev F1 0.943 -> 0.947, chains 0.823 -> 0.830, precision within 0.001), but the
pairs it adds that neither annotation covers repeat the false merges of issue #25 on
unseen coverage -- a product family collapsed ("Windows" with "Windows Mail",
"Windows Update", "Windows 8.1"), parts into wholes ("Los Angeles County" with its
jail, a programme into its union), generic bodies ("Parliament", "Police
Department") -- which the benchmark cannot see. The rules stay the stage.

Run (parses ~620 articles once; ``--cache`` keeps the parsed mentions outside the repo)::

    PYTHONPATH=$PWD/src nice .venv/bin/python tools/train_alias.py --cache /tmp/alias-raw.pkl

Writes ``src/storytrace/resources/alias_model.json`` (numbers only, no pickle).
"""

from __future__ import annotations

import argparse
import json
import pickle
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from bench.entities import Item, Run, score_runs
from bench.entities_errors import dev_and_chain_items, topic_docs
from bench.entities_pairs import labelled_run, node_gold, raw_mentions
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from storytrace.records import EntityMention
from storytrace.stages.entities import extract as X
from storytrace.stages.entities import merge as M
from storytrace.stages.entities import pairs as P
from storytrace.stages.grouping import UnionFind

OUT = Path(__file__).resolve().parents[1] / "src/storytrace/resources/alias_model.json"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.99)


@dataclass(frozen=True)
class Corpus:
    """One topic: its items, mentions, nodes, the rules' groups and the candidate pairs."""

    split: str
    items: tuple[Item, ...]
    mentions: tuple[EntityMention, ...]
    nodes: tuple[str, ...]
    rules: UnionFind[str]
    pairs: tuple[tuple[str, str], ...]
    features: np.ndarray
    gold: np.ndarray  # 1 one thing, 0 two things, -1 unknown


def build(split: str, raw: Sequence[EntityMention], items: Sequence[Item]) -> Corpus:
    """A topic's corpus as the stage sees it, with the pairs the rules left apart."""
    mentions = X.propagated(raw)
    nodes = M.mention_nodes(mentions, M._key_labels(mentions))
    labels = M.node_labels(mentions, nodes)
    rules = M.merge_nodes(mentions, nodes, labels, X.EntityConfig(learned_pairs=False))
    docs: dict[str, set[str]] = defaultdict(set)
    for m, n in zip(mentions, nodes, strict=True):
        docs[n].add(m.doc_id)
    ctx = P.context(labels, dict(docs))
    pairs = [
        (a, b)
        for a, b in P.candidates(sorted(docs))
        if rules.find(a) != rules.find(b) and P.eligible(a, b, ctx)
    ]
    gold = node_gold(mentions, nodes, items)
    rows = [P.features(a, b, ctx) for a, b in pairs]
    known = [-1 if a not in gold or b not in gold else int(gold[a] == gold[b]) for a, b in pairs]
    return Corpus(
        split,
        tuple(items),
        tuple(mentions),
        tuple(nodes),
        rules,
        tuple(pairs),
        np.array(rows, dtype=np.float64).reshape(len(pairs), len(P.FEATURES)),
        np.array(known, dtype=np.int64),
    )


def fit(corpora: Sequence[Corpus]) -> tuple[StandardScaler, LogisticRegression]:
    """Logistic regression on the labelled pairs of ``corpora``."""
    x = np.vstack([c.features[c.gold >= 0] for c in corpora])
    y = np.concatenate([c.gold[c.gold >= 0] for c in corpora])
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=1.0, max_iter=5000).fit(scaler.transform(x), y)
    return scaler, model


def run_of(c: Corpus, probs: np.ndarray | None, threshold: float) -> Run:
    """The items labelled by the rules' groups plus the pairs at or above ``threshold``."""
    return labelled_run(c, probs, threshold, hybrid=True)


def pooled(runs: dict[str, Run], corpora: dict[str, Corpus], split: str) -> dict[str, float]:
    """Product P/R/F1 (and found-only recall) pooled over one split's topics."""
    row = score_runs([r for n, r in runs.items() if corpora[n].split == split])["product"]
    return {k: row[k] for k in ("precision", "recall", "f1", "found_recall")}


def cross_validate(corpora: dict[str, Corpus]) -> dict[str, Any]:
    """Leave-one-topic-out: the rules and every threshold, pooled per split."""
    probs: dict[str, np.ndarray] = {}
    for name, c in corpora.items():
        scaler, model = fit([o for n, o in corpora.items() if n != name])
        probs[name] = (
            model.predict_proba(scaler.transform(c.features))[:, 1] if len(c.pairs) else np.zeros(0)
        )
    rules = {n: run_of(c, None, 1.0) for n, c in corpora.items()}
    out: dict[str, Any] = {
        "rules": {s: pooled(rules, corpora, s) for s in ("dev", "chains")},
        "thresholds": {},
    }
    for t in THRESHOLDS:
        runs = {n: run_of(c, probs[n], t) for n, c in corpora.items()}
        out["thresholds"][str(t)] = {s: pooled(runs, corpora, s) for s in ("dev", "chains")}
    return out


def choose(cv: dict[str, Any], floor: float, slack: float) -> tuple[float | None, bool]:
    """The threshold kept and whether it beats the rules on dev and on the chains."""
    rules = cv["rules"]
    best: tuple[float, float] | None = None
    for t, row in cv["thresholds"].items():
        if row["dev"]["precision"] < floor or any(
            row[s]["precision"] < rules[s]["precision"] - slack for s in ("dev", "chains")
        ):
            continue
        score = row["dev"]["f1"] + row["chains"]["f1"]
        if best is None or score > best[0]:
            best = (score, float(t))
    if best is None:
        return None, False
    row = cv["thresholds"][str(best[1])]
    beats = all(row[s]["f1"] > rules[s]["f1"] for s in ("dev", "chains"))
    return best[1], beats


def main() -> None:
    """Command line: cross-validate, print the table, write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ecbplus-stories"))
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--floor", type=float, default=0.97)
    parser.add_argument("--slack", type=float, default=0.005)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--enable",
        action="store_true",
        help="enable the model when it beats the rules (off: written disabled, see the docstring)",
    )
    args = parser.parse_args()
    found = dev_and_chain_items(args.data)
    docs = topic_docs(args.data, found)
    if args.cache is not None and args.cache.is_file():
        raw = pickle.loads(args.cache.read_bytes())
    else:
        raw = raw_mentions(args.data, [d for ids in docs.values() for d in ids])
        if args.cache is not None:
            args.cache.write_bytes(pickle.dumps(raw))
    corpora = {
        name: build(split, [m for d in docs[name] for m in raw[d]], items)
        for name, (split, items) in sorted(found.items())
    }
    cv = cross_validate(corpora)
    for name, row in [("rules", cv["rules"]), *cv["thresholds"].items()]:
        print(
            f"{name:6}",
            " | ".join(
                f"{s} P {row[s]['precision']:.4f} R {row[s]['recall']:.4f} F1 {row[s]['f1']:.4f}"
                for s in ("dev", "chains")
            ),
        )
    threshold, beats = choose(cv, args.floor, args.slack)
    scaler, model = fit(list(corpora.values()))
    labelled = sum(int((c.gold >= 0).sum()) for c in corpora.values())
    result = {
        "_doc": "Alias-pair scorer of the entity stage (storytrace.stages.entities.pairs), "
        "written by tools/train_alias.py; enabled only when it beat the rules in "
        "leave-one-topic-out cross-validation on dev and on the ECB+ chain set.",
        "enabled": bool(beats and args.enable),
        "beats_the_rules": bool(beats),
        "features": list(P.FEATURES),
        "mean": [round(float(v), 8) for v in scaler.mean_],
        "scale": [round(float(v), 8) for v in scaler.scale_],
        "coef": [round(float(v), 8) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 8),
        "threshold": threshold if threshold is not None else 1.01,
        "trained_on": {
            "dev_topics": sorted(n.split()[1] for n, c in corpora.items() if c.split == "dev"),
            "chain_topics": len([c for c in corpora.values() if c.split == "chains"]),
            "labelled_pairs": labelled,
        },
        "cross_validation": cv,
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print("threshold", threshold, "beats the rules:", beats, "enabled:", result["enabled"])


if __name__ == "__main__":
    main()
