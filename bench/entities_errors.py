"""Missed and false alias merges by error class, on dev and the ECB+ chain set (#25, session 16).

Run: ``PYTHONPATH=$PWD/src .venv/bin/python -m bench.entities_errors [--cache FILE]``.

Each annotated dev topic and each ECB+ chain topic is one corpus (as
``python -m bench entities`` runs them). A *missed* pair is two found items of one
gold thing in different product entities; a *false* pair is two items of different
gold things in one product entity. Every pair is put in one class, the first that
fits (:func:`classify`): one string in two entities, the classes named in issue #25 (a surname and a full name,
first+last against first+middle+last, an acronym and its full name, "the X" and "X",
an organisation's spelling variants, a place against an organisation or a demonym,
initials, one agency into another, a newspaper name holding a common word, two people
of one name in different stories), else ``other``. The check split is never read.
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path
from typing import Any

from bench.entities import (
    DATA,
    Item,
    Run,
    chain_items,
    gold_items,
    load_cross_topic,
    load_texts,
    load_topics,
)
from bench.stories import ARTICLES

#: The classes, in the order :func:`classify` tries them.
CLASSES = (
    "one name split",
    "the X / X",
    "acronym / full name",
    "initials",
    "surname / full name",
    "first+last / first+middle+last",
    "two people of one name",
    "newspaper with a common word",
    "place / organisation or demonym",
    "one agency into another",
    "spelling variant",
    "other",
)
_OUTLET_WORDS = frozenset("times post news herald journal tribune daily press gazette".split())
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z]$")


@dataclass(frozen=True, slots=True)
class Side:
    """One item of a pair as the classifier reads it."""

    form: str
    label: str  # the gold label (PERSON, ORG, PLACE, ...; "" for the chain set)
    story: str  # the article's story ("3a"), from the article id


def _words(form: str) -> list[str]:
    return [w for w in re.split(r"[\s\-]+", form.strip(" '’")) if w]


def _bare(form: str) -> str:
    flat = re.sub(r"^(?:the|The|THE)\s+", "", form.strip())
    return re.sub(r"[’']s$", "", flat)


def _acronym_of(short: str, long: str) -> bool:
    plain = short.replace(".", "").replace("-", "")
    if not (plain.isupper() and 2 <= len(plain) <= 6 and " " not in short):
        return False
    words = [w for w in _words(long) if w[0].isupper()]
    return len(words) >= 2 and "".join(w[0] for w in words).startswith(plain[:2])


def classify(a: Side, b: Side, missed: bool) -> str:
    """The error class of one pair of items (see :data:`CLASSES`).

    Args:
        a (Side): one item.
        b (Side): the other.
        missed (bool): a missed pair (one gold thing) or a false one.

    Returns:
        str: one of :data:`CLASSES`.
    """
    fa, fb = a.form, b.form
    if _bare(fa).lower() == _bare(fb).lower():
        if fa.lower() != fb.lower():
            return "the X / X"
        return "one name split" if missed else "two people of one name"
    if _acronym_of(fa, fb) or _acronym_of(fb, fa):
        return "acronym / full name"
    return _by_words(a, b, missed)


def _by_words(a: Side, b: Side, missed: bool) -> str:
    wa, wb = _words(_bare(a.form)), _words(_bare(b.form))
    if any(_INITIAL.match(w) for w in wa + wb) and wa and wb and wa[-1] == wb[-1]:
        return "initials"
    short, long = sorted((wa, wb), key=len)
    person = "PERSON" in (a.label, b.label) or not (a.label or b.label)
    if person and len(short) == 1 and long and short[0] == long[-1]:
        return "surname / full name" if missed else "two people of one name"
    if len(short) >= 2 and short[0] == long[0] and short[-1] == long[-1]:
        return "first+last / first+middle+last"
    if not missed and a.label == b.label == "PERSON" and wa[-1:] == wb[-1:]:
        return "two people of one name"
    return _by_kind(a, b, missed, wa, wb)


def _by_kind(a: Side, b: Side, missed: bool, wa: list[str], wb: list[str]) -> str:
    if {w.lower() for w in wa + wb} & _OUTLET_WORDS and not missed:
        return "newspaper with a common word"
    demonym = a.form.endswith(("ian", "ese", "ish")) or b.form.endswith(("ian", "ese", "ish"))
    if {a.label, b.label} == {"PLACE", "ORG"} or (
        demonym and a.form.lower()[:4] == b.form.lower()[:4]
    ):
        return "place / organisation or demonym"
    if not missed and a.label == b.label == "ORG":
        return "one agency into another"
    similar = SequenceMatcher(None, _bare(a.form).lower(), _bare(b.form).lower()).ratio()
    if similar >= 0.75 or set(wa) & set(wb):
        return "spelling variant"
    return "other"


def _story(doc_id: str) -> str:
    topic, rest = doc_id.split("_", 1)
    return topic + ("b" if rest.endswith("plus") else "a")


def error_pairs(
    run: Run, labels: dict[str, str]
) -> tuple[Counter[tuple[str, str]], dict[tuple[str, str], Counter[tuple[str, str]]]]:
    """Missed and false pairs of one run, counted by (kind, class), with form-pair examples.

    Args:
        run (Run): items and the product's labels.
        labels (dict[str, str]): gold key -> gold label ("" where unknown).

    Returns:
        tuple: counts per ``(kind, class)``; per ``(kind, class)`` the form pairs and
        how many item pairs each stands for.
    """
    counts: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    found = [(i, p) for i, p in zip(run.items, run.product, strict=True) if p is not None]
    for (ia, pa), (ib, pb) in combinations(found, 2):
        same_gold, same_pred = ia.gold == ib.gold, pa == pb
        if same_gold == same_pred:
            continue
        kind = "missed" if same_gold else "false"
        sa = Side(ia.form, labels.get(ia.gold, ""), _story(ia.doc_id))
        sb = Side(ib.form, labels.get(ib.gold, ""), _story(ib.doc_id))
        cls = classify(sa, sb, kind == "missed")
        counts[(kind, cls)] += 1
        first, second = sorted((ia.form, ib.form))
        examples[(kind, cls)][(first, second)] += 1
    return counts, examples


def gold_labels(folder: Path = DATA) -> dict[str, str]:
    """Gold key -> label for every annotated topic, under its topic key and its
    cross-topic key (the first topic's label)."""
    shared = load_cross_topic(folder)
    out: dict[str, str] = {}
    for topic in load_topics(folder):
        for e in topic["entities"]:
            out[f"{topic['topic']}:{e['id']}"] = e["label"]
            out.setdefault(shared.get((topic["topic"], e["id"]), ""), e["label"])
    return out


def dev_and_chain_items(data_dir: Path, folder: Path = DATA) -> dict[str, tuple[str, list[Item]]]:
    """Per corpus name (``dev 3``, ``chains 1``), its split and items: the dev topics and
    the ECB+ chain topics (never the check split)."""
    topics = [t for t in load_topics(folder) if t["split"] == "dev"]
    shared = load_cross_topic(folder)
    texts = load_texts(data_dir, (d for t in topics for d in t["documents"]))
    out: dict[str, tuple[str, list[Item]]] = {}
    for t in topics:
        local = {k: v for k, v in shared.items() if k[0] != t["topic"]}
        out[f"dev {t['topic']}"] = ("dev", gold_items(t, texts, local))
    coref = data_dir.parent / "ecbplus-coref"
    if (coref / "mentions.jsonl").is_file():
        for topic, items in chain_items(coref).items():
            out[f"chains {topic}"] = ("chains", items)
    return out


def topic_docs(data_dir: Path, corpora: dict[str, tuple[str, list[Item]]]) -> dict[str, list[str]]:
    """Per corpus, every article of its topic (both stories), in file order."""
    wanted = {name.split()[1]: name for name in corpora}
    docs: dict[str, list[str]] = defaultdict(list)
    with (data_dir / ARTICLES).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["topic"] in wanted:
                docs[wanted[row["topic"]]].append(row["id"])
    return dict(docs)


def stage_runs(data_dir: Path, cache: Path | None) -> dict[str, tuple[str, Run]]:
    """The entity stage run on each dev and chain topic (raw mentions cached in ``cache``)."""
    from bench.entities_pairs import corpus, labelled_run, raw_mentions

    corpora = dev_and_chain_items(data_dir)
    docs = topic_docs(data_dir, corpora)
    every = [d for ids in docs.values() for d in ids]
    if cache is not None and cache.is_file():
        raw = pickle.loads(cache.read_bytes())
    else:
        raw = raw_mentions(data_dir, every)
        if cache is not None:
            cache.write_bytes(pickle.dumps(raw))
    return {
        name: (
            split,
            labelled_run(corpus([m for d in docs[name] for m in raw[d]], items), None, 1.0, True),
        )
        for name, (split, items) in corpora.items()
    }


def report(runs: dict[str, tuple[str, Run]], top: int = 4) -> dict[str, Any]:
    """Counts per split, kind and class, with the most frequent form pairs."""
    labels = gold_labels()
    out: dict[str, Any] = {}
    for split in ("dev", "chains"):
        counts: Counter[tuple[str, str]] = Counter()
        examples: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
        for _, (s, run) in sorted(runs.items()):
            if s != split:
                continue
            c, e = error_pairs(run, labels)
            counts.update(c)
            for k, v in e.items():
                examples[k].update(v)
        out[split] = {
            f"{kind} | {cls}": {
                "pairs": counts[(kind, cls)],
                "examples": [
                    f"{a} / {b} ({n})" for (a, b), n in examples[(kind, cls)].most_common(top)
                ],
            }
            for kind in ("missed", "false")
            for cls in CLASSES
            if counts[(kind, cls)]
        }
    return out


def main() -> None:
    """Command line: print the classes of each split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ecbplus-stories"))
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    result = report(stage_runs(args.data, args.cache))
    for split, rows in result.items():
        print(f"== {split}")
        for name, row in rows.items():
            print(f"{row['pairs']:6}  {name:48} {'; '.join(row['examples'])}"[:260])
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
