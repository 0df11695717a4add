"""Story clustering benchmark on ECB+ (``/work/shared/data/ecbplus-stories``).

Every article of a split is clustered at once, with no topic and no story count
given. Scores against the gold ``story`` label: BCubed and pairwise P/R/F1, and the
number of topics whose two stories (same kind of event, different event) end up
sharing a cluster ("merged"). The pair model is fitted on ``train``: its merge
threshold is chosen by 5-fold cross-validation over train topics (the ``train`` row
is the pooled cross-validated score), then it is refitted on all train topics and
``dev`` is reported with it (never tuned on). Stability: the dev articles whose story
changes when the train articles join the run (must be 0). The test topics are held out and absent.

The same run tunes and reports a baseline: scikit-learn ``TfidfVectorizer`` (default
settings) and average-link ``AgglomerativeClustering`` on cosine distance with a
distance threshold chosen on ``train``.

It also measures: throughput (dedup + clustering, articles per second on one core),
order tolerance (the same split fed in shuffled chunks through
``StoryIndex.add``, compared with the batch partition by BCubed F1), and two layout
ablations on dev: every year (19xx/20xx) removed; every first line removed (the
headline of most ``b`` articles, a sentence of ``a`` articles; one- and two-line
articles kept whole); and the lead feature switched off -- to check the score does
not come from datelines or headline layout. It also reports a "datelines as published" variant: the first
printed day of the first three lines becomes ``Metadata.published`` (as a metadata
extractor would read it), which exercises the date gates the plain benchmark never
fires (it has no metadata), with and without the printed-year lag rule.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from itertools import product
from pathlib import Path
from typing import Any

from storytrace.records import Document, Metadata, Segment, SegmentLabel, SourceRef
from storytrace.stages.dates.printed import find_dates
from storytrace.stages.dedup.minhash import find_duplicates
from storytrace.stages.stories.cluster import StoryIndex, cluster_stories
from storytrace.stages.stories.config import StoryConfig
from storytrace.stages.stories.pairs import FEATURES, fit_pair_model, pair_features

ARTICLES = "articles.jsonl"
#: Grid searched on train (the defaults of StoryConfig are its best point).
GRID: dict[str, tuple[float, ...]] = {
    "link_threshold": (0.2, 0.23, 0.26),
    "cohesion_ratio": (0.5, 0.6),
    "entity_weight": (0.5, 0.6),
    "number_ratio": (0.0, 0.2, 0.3),
}
#: Merge thresholds of the pair model compared by cross-validation over train topics.
PAIR_THRESHOLDS = (0.4, 0.45, 0.5, 0.55, 0.6)
CV_FOLDS = 5
BASELINE_GRID = tuple(round(0.5 + 0.01 * i, 2) for i in range(46))
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True, slots=True)
class Scores:
    """Clustering quality of one run against gold stories."""

    bcubed_p: float
    bcubed_r: float
    bcubed_f1: float
    pair_p: float
    pair_r: float
    pair_f1: float
    merged_topics: int
    topics: int
    clusters: int
    stories: int


@dataclass(frozen=True, slots=True)
class Article:
    """One benchmark article with its gold labels."""

    doc: Document
    topic: str
    story: str


def make_document(doc_id: str, text: str) -> Document:
    """A Document whose whole text is body (no cleaning, no metadata)."""
    segment = Segment(0, len(text), SegmentLabel.BODY, text_start=0)
    return Document(doc_id, SourceRef(ARTICLES, doc_id), "text", text, text, (segment,), Metadata())


def load_split(data_dir: Path, split: str) -> tuple[Article, ...]:
    """Articles of one split, in file order."""
    out = []
    with (data_dir / ARTICLES).open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["split"] == split:
                doc = make_document(row["id"], row["text"])
                out.append(Article(doc, row["topic"], row["story"]))
    return tuple(out)


def _f1(p: float, r: float) -> float:
    """Harmonic mean of precision and recall (0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def _bcubed(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """BCubed precision and recall (Bagga & Baldwin 1998), averaged over items."""
    by_pred: dict[str, set[int]] = defaultdict(set)
    by_gold: dict[str, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        by_pred[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for i in range(len(gold)):
        common = len(by_pred[pred[i]] & by_gold[gold[i]])
        precision += common / len(by_pred[pred[i]])
        recall += common / len(by_gold[gold[i]])
    return precision / len(gold), recall / len(gold)


def _pairwise(pred: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """Precision and recall over same-cluster item pairs (counted, not enumerated)."""
    joint = Counter(zip(pred, gold, strict=True))
    same_both = sum(c * (c - 1) / 2 for c in joint.values())
    same_pred = sum(c * (c - 1) / 2 for c in Counter(pred).values())
    same_gold = sum(c * (c - 1) / 2 for c in Counter(gold).values())
    return same_both / same_pred if same_pred else 1.0, same_both / same_gold if same_gold else 1.0


def _merged(pred: Sequence[str], articles: Sequence[Article]) -> int:
    """Topics whose two gold stories share at least one predicted cluster."""
    stories_in: dict[str, set[str]] = defaultdict(set)
    for label, art in zip(pred, articles, strict=True):
        stories_in[label].add(art.story)
    merged: set[str] = set()
    for stories in stories_in.values():
        topics = Counter(s[:-1] for s in stories)
        merged.update(t for t, k in topics.items() if k > 1)
    return len(merged)


def score(pred: Sequence[str], articles: Sequence[Article]) -> Scores:
    """All scores of one predicted labelling."""
    gold = [a.story for a in articles]
    bp, br = _bcubed(pred, gold)
    pp, pr = _pairwise(pred, gold)
    return Scores(
        round(bp, 4), round(br, 4), round(_f1(bp, br), 4),
        round(pp, 4), round(pr, 4), round(_f1(pp, pr), 4),
        _merged(pred, articles), len({a.topic for a in articles}),
        len(set(pred)), len(set(gold)),
    )  # fmt: skip


def storytrace_labels(articles: Sequence[Article], config: StoryConfig) -> list[str]:
    """Story id of each article from one batch clustering."""
    label = {d: s.story_id for s in cluster_stories([a.doc for a in articles], config)
             for d in s.doc_ids}  # fmt: skip
    return [label[a.doc.doc_id] for a in articles]


def tune(articles: Sequence[Article], base: StoryConfig) -> tuple[StoryConfig, Scores]:
    """Best config on ``articles`` over :data:`GRID` (BCubed F1, then fewer merges)."""
    best: tuple[tuple[float, int], StoryConfig, Scores] | None = None
    names = list(GRID)
    for values in product(*(GRID[n] for n in names)):
        config = replace(base, **dict(zip(names, values, strict=True)))  # type: ignore[arg-type]
        result = score(storytrace_labels(articles, config), articles)
        key = (result.bcubed_f1, -result.merged_topics)
        if best is None or key > best[0]:
            best = (key, config, result)
    assert best is not None
    return best[1], best[2]


def pair_data(articles: Sequence[Article], config: StoryConfig) -> tuple[Any, Any]:
    """Pair features and same-story labels inside the first-pass groups of a run."""
    import numpy as np

    index = StoryIndex(config)
    index.add([a.doc for a in articles])
    story = {a.doc.doc_id: a.story for a in articles}
    xs, ys = [np.zeros((0, len(FEATURES)))], [np.zeros(0)]
    for members in index._members.values():
        if len(members) > 1:
            upper = np.triu_indices(len(members), 1)
            xs.append(pair_features(members, index._corpus.feats, config)[upper])
            ys.append(np.array([float(story[members[i]] == story[members[j]])
                                for i, j in zip(*upper, strict=True)]))  # fmt: skip
    return np.vstack(xs), np.concatenate(ys)


def fit_on(articles: Sequence[Article], config: StoryConfig, threshold: float) -> StoryConfig:
    """``config`` with a pair model fitted on ``articles`` (merge threshold given)."""
    x, y = pair_data(articles, config)
    return replace(config, pair_model=fit_pair_model(x, y, threshold=threshold))


def cross_validate(
    articles: Sequence[Article], config: StoryConfig
) -> tuple[float, Scores, dict[str, Any]]:
    """Pair-model threshold chosen by k-fold cross-validation over topics.

    Each fold's topics are clustered alone with a model fitted on the other folds;
    the pooled labels are scored together (labels prefixed by fold, so folds never
    share a story).

    Returns:
        tuple: the best threshold, its pooled scores, and every threshold's BCubed F1.
    """
    topics = sorted({a.topic for a in articles}, key=int)
    folds = [set(topics[i::CV_FOLDS]) for i in range(CV_FOLDS)]
    runs: dict[float, Scores] = {}
    for threshold in PAIR_THRESHOLDS:
        label: dict[str, str] = {}
        for k, fold in enumerate(folds):
            held = [a for a in articles if a.topic in fold]
            fitted = fit_on([a for a in articles if a.topic not in fold], config, threshold)
            for art, lab in zip(held, storytrace_labels(held, fitted), strict=True):
                label[art.doc.doc_id] = f"{k}:{lab}"
        runs[threshold] = score([label[a.doc.doc_id] for a in articles], articles)
    best = max(runs, key=lambda t: (runs[t].bcubed_f1, -runs[t].merged_topics))
    return best, runs[best], {str(t): r.bcubed_f1 for t, r in runs.items()}


def stability(articles: Sequence[Article], others: Sequence[Article], config: StoryConfig) -> int:
    """Articles whose story (co-members among ``articles``) changes when ``others`` join."""
    alone = storytrace_labels(articles, config)
    beside = storytrace_labels([*articles, *others], config)[: len(articles)]
    groups_a: dict[str, set[int]] = defaultdict(set)
    groups_b: dict[str, set[int]] = defaultdict(set)
    for i, (x, y) in enumerate(zip(alone, beside, strict=True)):
        groups_a[x].add(i)
        groups_b[y].add(i)
    return sum(groups_a[alone[i]] != groups_b[beside[i]] for i in range(len(articles)))


def baseline_labels(articles: Sequence[Article], threshold: float) -> list[str]:
    """TF-IDF (sklearn defaults) + average-link agglomerative, cosine distance cut."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer().fit_transform([a.doc.text for a in articles]).toarray()
    model = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    )
    return [str(x) for x in model.fit_predict(matrix)]


def tune_baseline(articles: Sequence[Article]) -> tuple[float, Scores]:
    """Distance threshold of the baseline with the best train BCubed F1."""
    runs = [(score(baseline_labels(articles, t), articles), t) for t in BASELINE_GRID]
    best = max(runs, key=lambda r: (r[0].bcubed_f1, -r[0].merged_topics))
    return best[1], best[0]


def incremental_labels(
    articles: Sequence[Article], config: StoryConfig, chunks: int, seed: int
) -> list[str]:
    """Labels after feeding a shuffled copy in ``chunks`` successive ``add`` calls."""
    order = list(articles)
    random.Random(seed).shuffle(order)
    index = StoryIndex(config)
    size = max(1, -(-len(order) // chunks))
    for start in range(0, len(order), size):
        index.add([a.doc for a in order[start : start + size]])
    label = {d: s.story_id for s in index.stories() for d in s.doc_ids}
    return [label[a.doc.doc_id] for a in articles]


def order_tolerance(
    articles: Sequence[Article], config: StoryConfig, seeds: Iterable[int] = range(5)
) -> dict[str, Any]:
    """Agreement of shuffled incremental runs with the batch run.

    Returns:
        dict: per chunking, the minimum BCubed F1 between incremental and batch
        partitions and the minimum gold BCubed F1 over the shuffles.
    """
    batch = storytrace_labels(articles, config)
    reverse = storytrace_labels(list(reversed(articles)), config)[::-1]
    out: dict[str, Any] = {"batch_reversed_identical": batch == reverse}
    for chunks in (1, 4, 20):
        agree, gold_f1 = [], []
        for seed in seeds:
            labels = incremental_labels(articles, config, chunks, seed)
            bp, br = _bcubed(labels, batch)
            agree.append(_f1(bp, br))
            gold_f1.append(score(labels, articles).bcubed_f1)
        out[f"chunks_{chunks}"] = {
            "min_agreement_f1": round(min(agree), 4),
            "min_gold_f1": round(min(gold_f1), 4),
            "max_gold_f1": round(max(gold_f1), 4),
        }
    return out


def _ablate(article: Article, transform: Callable[[str], str]) -> Article:
    """The article with its text transformed (gold labels kept)."""
    return replace(article, doc=make_document(article.doc.doc_id, transform(article.doc.text)))


def _no_dates(text: str) -> str:
    """Text with every year (19xx/20xx) removed: the score must not hinge on them."""
    return _YEARS.sub("", text)


def _no_first_line(text: str) -> str:
    """Text without its first line (the headline of most ``b`` articles).

    Articles of one or two lines are kept whole (58 ``a`` articles are one sentence).
    """
    lines = text.split("\n")
    return "\n".join(lines[1:]) if len(lines) > 2 else text


def _dated(article: Article) -> Article:
    """The article with its first printed day-precise date of the first 3 lines as
    ``Metadata.published`` (what a metadata extractor reads from a dateline).

    Measures the date gates, which the plain benchmark (no metadata) never fires:
    mostly ``b`` articles get a date, ``a`` articles stay undated.
    """
    head = "\n".join(article.doc.text.split("\n")[:3])
    days = [m.value for m in find_dates(head) if m.value.precision == "day"]
    if not days:
        return article
    return replace(article, doc=replace(article.doc, metadata=Metadata(published=days[0])))


def throughput(articles: Sequence[Article], config: StoryConfig) -> dict[str, float]:
    """Articles per second of dedup and of clustering on this process (one core)."""
    docs = [a.doc for a in articles]
    start = time.perf_counter()
    find_duplicates(docs)
    middle = time.perf_counter()
    cluster_stories(docs, config)
    end = time.perf_counter()
    return {
        "articles": len(docs),
        "dedup_per_s": round(len(docs) / (middle - start), 1),
        "cluster_per_s": round(len(docs) / (end - middle), 1),
        "total_per_s": round(len(docs) / (end - start), 1),
    }


def _dated_scores(articles: Sequence[Article], config: StoryConfig) -> dict[str, Any]:
    """Scores with datelines read as publication dates (see :func:`_dated`)."""
    dated = [_dated(a) for a in articles]
    return asdict(score(storytrace_labels(dated, config), dated))


def run_stories_bench(data_dir: Path, tune_grid: bool = True) -> dict[str, Any]:
    """Tune on train, report dev, baseline alongside; print a table and return it.

    Args:
        data_dir (Path): the ``ecbplus-stories`` folder (holding ``articles.jsonl``).
        tune_grid (bool): search :data:`GRID` on train (else use ``StoryConfig()``).

    Returns:
        dict: configs, train/dev scores of storytrace and of the baseline,
        throughput, order tolerance and the no-years ablation.
    """
    train, dev = load_split(data_dir, "train"), load_split(data_dir, "dev")
    shipped = StoryConfig()
    if tune_grid:
        best, train_scores, cv_f1 = cross_validate(train, shipped)
        config = fit_on(train, shipped, best)
    else:
        config, cv_f1 = shipped, {}
        train_scores = score(storytrace_labels(train, config), train)
    threshold, base_train = tune_baseline(train)
    result: dict[str, Any] = {
        "config": asdict(config),
        "pair_model_matches_shipped": config.pair_model == shipped.pair_model,
        "cv_bcubed_f1_by_threshold": cv_f1,
        "stories_changed_when_train_joins_dev": stability(dev, train, config),
        "storytrace": {"train": asdict(train_scores),
                       "dev": asdict(score(storytrace_labels(dev, config), dev))},
        "baseline": {"distance_threshold": threshold, "train": asdict(base_train),
                     "dev": asdict(score(baseline_labels(dev, threshold), dev))},
        "no_years_dev": asdict(score(storytrace_labels(
            [_ablate(a, _no_dates) for a in dev], config), dev)),
        "no_first_line_dev": asdict(score(storytrace_labels(
            [_ablate(a, _no_first_line) for a in dev], config), dev)),
        "no_lead_feature_dev": asdict(score(storytrace_labels(
            dev, replace(config, lead_weight=0.0)), dev)),
        "datelines_as_published_train": _dated_scores(train, config),
        "datelines_as_published_dev": _dated_scores(dev, config),
        "datelines_as_published_no_lag_rule_dev": _dated_scores(
            dev, replace(config, max_printed_lag_years=10_000)),
        "order_tolerance_dev": order_tolerance(dev, config),
        "order_tolerance_train": order_tolerance(train, config, range(2)),
        "throughput": throughput(train + dev, config),
    }  # fmt: skip
    _print(result)
    return result


def _print(result: dict[str, Any]) -> None:
    """Human-readable summary of a bench result."""
    cols = ("bcubed_p", "bcubed_r", "bcubed_f1", "pair_p", "pair_r", "pair_f1", "merged_topics")
    print(f"{'system':<38} split  " + "  ".join(f"{c:>13}" for c in cols))
    for system in ("storytrace", "baseline"):
        for split in ("train", "dev"):
            row = result[system][split]
            print(f"{system:<38} {split:<5}  " + "  ".join(f"{row[c]:>13}" for c in cols))
    checks = ("no_years_dev", "no_first_line_dev", "no_lead_feature_dev",
              "datelines_as_published_train", "datelines_as_published_dev",
              "datelines_as_published_no_lag_rule_dev")  # fmt: skip
    for name in checks:
        row = result[name]
        label, split = name.rsplit("_", 1)
        print(
            f"{label.replace('_', '-'):<38} {split:<5}  " + "  ".join(f"{row[c]:>13}" for c in cols)
        )
    print("config", result["config"])
    print("pair model of this run == shipped StoryConfig:", result["pair_model_matches_shipped"])
    print("train CV BCubed F1 by pair threshold", result["cv_bcubed_f1_by_threshold"])
    print("dev articles changing story when train joins:",
          result["stories_changed_when_train_joins_dev"])  # fmt: skip
    print("order tolerance dev", result["order_tolerance_dev"])
    print("order tolerance train", result["order_tolerance_train"])
    print("throughput", result["throughput"])


if __name__ == "__main__":
    import sys

    default = "/work/shared/data/ecbplus-stories"
    run_stories_bench(Path(sys.argv[1] if len(sys.argv) > 1 else default))
