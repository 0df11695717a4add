"""The hand-annotated cross-check set: claims, origins, stance, speakers, conflicts, drift.

``bench/data/crosscheck/ecbplus/topic_<N>.json`` hold 16 ECB+ topics (8 dev, 8 check) annotated by
one helper and reviewed by a second, by the conventions of
``../shared/crosscheck-annotation.md``; each file says whether its topic is
``dev`` (tune there) or ``check`` (looked at only to report). Each topic -- both
of its stories, as a user would hand them in -- is analysed in one run, and
every metric is scored as the conventions say: predictions match gold by
character overlap in the dossier's document text, where a gold snippet is found
by text search.

A simple baseline is scored in the same run on the same documents: sentences as
claims, grouped across articles by TF-IDF cosine (single link), one origin per
article, a negation word for a denial, the nearest ``said`` subject for a speaker,
two aligned sentences with different numbers for a conflict.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "crosscheck" / "ecbplus"

Span = tuple[str, int, int]  # article id, start, end in the dossier text


def load_topics(folder: Path = DATA) -> list[dict[str, Any]]:
    """Every annotated topic, in topic order."""
    topics = [json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("topic_*.json")]
    return sorted(topics, key=lambda t: int(t["topic"]))


# --- predictions: what the scorer reads of a dossier ---------------------------------


@dataclass(frozen=True, slots=True)
class PMention:
    span: Span
    denied: bool
    origin: str


@dataclass(frozen=True, slots=True)
class PQuote:
    spans: tuple[Span, ...]
    speaker: str
    anonymous: bool


@dataclass(frozen=True, slots=True)
class PPair:
    """Two sides of a disagreement or a drift finding (each side one or more spans)."""

    a: tuple[Span, ...]
    b: tuple[Span, ...]
    flag: str = ""


@dataclass(slots=True)
class Predictions:
    """A system's output on one topic, in the scorer's terms."""

    texts: dict[str, str]  # article id -> document text
    claims: list[list[PMention]] = field(default_factory=list)
    quotes: list[PQuote] = field(default_factory=list)
    conflicts: list[PPair] = field(default_factory=list)
    drift: list[PPair] = field(default_factory=list)


def _article(doc: dict[str, Any]) -> str:
    return Path(doc["source"]["path"]).name.removesuffix(".txt")


def predictions_from_dossier(data: dict[str, Any]) -> Predictions:
    """storytrace's dossier JSON in the scorer's terms."""
    article = {d["doc_id"]: _article(d) for d in data["documents"]}
    pred = Predictions({_article(d): d["text"] for d in data["documents"]})

    def span(s: dict[str, Any]) -> Span:
        return (article[s["doc_id"]], s["start"], s["end"])

    for claim in data.get("claims", []):
        pred.claims.append(
            [
                PMention(span(m["span"]), m["polarity"] == "negated", m["origin_key"])
                for m in claim["mentions"]
            ]
        )
    for quote in data.get("quotes", []):
        sp = quote["speaker"]
        name = " ".join(x for x in (sp.get("text"), sp.get("resolved")) if x)
        pred.quotes.append(PQuote(tuple(span(c) for c in quote["content"]), name, sp["anonymous"]))
    for d in data.get("disagreements", []):
        a, b = d["sides"][:2]
        pred.conflicts.append(
            PPair(tuple(map(span, a["mentions"])), tuple(map(span, b["mentions"])), d["kind"])
        )
    for d in data.get("drift", []):
        pred.drift.append(PPair((span(d["a"]),), (span(d["b"]),), d["kind"]))
    return pred


# --- gold, located in the dossier's texts --------------------------------------------------


def locate(texts: dict[str, str], article: str, snippet: str) -> Span | None:
    """The gold snippet's span in the analysed text of its article (``None``: lost in cleaning)."""
    text = texts.get(article)
    if text is None:
        return None
    at = text.find(snippet)
    if at < 0:  # whitespace may differ after cleaning
        pattern = r"\s+".join(map(re.escape, snippet.split()))
        found = re.search(pattern, text)
        return (article, found.start(), found.end()) if found else None
    return (article, at, at + len(snippet))


def overlaps(a: Span | None, b: Span) -> bool:
    return a is not None and a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _any_overlap(gold: Sequence[Span | None], pred: Iterable[Span]) -> bool:
    spans = list(pred)
    return any(overlaps(g, p) for g in gold for p in spans)


# --- metrics ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Counts over gold items (``hit`` of ``total``) for each metric."""

    counts: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add(self, metric: str, hit: bool) -> None:
        self.counts[metric][0] += int(hit)
        self.counts[metric][1] += 1

    def merge(self, other: Tally) -> None:
        for k, (h, t) in other.counts.items():
            self.counts[k][0] += h
            self.counts[k][1] += t

    def table(self) -> dict[str, dict[str, Any]]:
        return {
            k: {"right": h, "of": t, "share": round(h / t, 3) if t else None}
            for k, (h, t) in sorted(self.counts.items())
        }


def _best_claim(gold: list[Span | None], claims: list[list[PMention]]) -> list[PMention] | None:
    best, best_n = None, 0
    for claim in claims:
        n = sum(1 for g in gold if any(overlaps(g, m.span) for m in claim))
        if n > best_n:
            best, best_n = claim, n
    return best


def score_claims(story: dict[str, Any], pred: Predictions, tally: Tally) -> None:
    for claim in story["claims"]:
        gold = [locate(pred.texts, m["article"], m["snippet"]) for m in claim["mentions"]]
        articles = {m["article"] for m in claim["mentions"]}
        best = _best_claim(gold, pred.claims)
        covered = set()
        if best is not None:
            covered = {g[0] for g in gold if g and any(overlaps(g, m.span) for m in best)}
        aligned = best is not None and len(covered) >= max(2, len(articles) / 2)
        tally.add("claims aligned", aligned)
        if claim.get("central"):
            tally.add("central claim aligned", aligned)
        origins = {m.origin for m in best if not m.denied} if aligned and best else set()
        right = aligned and len(origins) == len(claim["origins"])
        tally.add("origin count", right)
        if claim["certainty"] == "firm":
            tally.add("origin count (firm)", right)
        for m, g in zip(claim["mentions"], gold, strict=True):
            if m["stance"] != "denied":
                continue
            hits = [pm for c in pred.claims for pm in c if overlaps(g, pm.span)]
            tally.add("denials kept as denials", any(pm.denied for pm in hits))


def _last_word(name: str) -> str:
    words = re.findall(r"[\w'’-]+", name)
    return words[-1].lower() if words else ""


def score_speakers(story: dict[str, Any], pred: Predictions, tally: Tally) -> None:
    for item in story["speakers"]:
        g = locate(pred.texts, item["article"], item["snippet"])
        found = [q for q in pred.quotes if _any_overlap([g], q.spans)]
        gold = item["speaker"]
        if gold.get("anonymous"):
            right = any(q.anonymous for q in found)
        else:
            word = _last_word(gold.get("name") or "")
            right = any(re.search(rf"\b{re.escape(word)}\b", q.speaker, re.I) for q in found)
        tally.add("speakers right", right)
        for q in found:
            if q.anonymous:
                tally.add("anonymous flag precision", bool(gold.get("anonymous")))


def _pair_matches(sides: Sequence[Sequence[Span | None]], pair: PPair) -> bool:
    one, two = sides
    return (_any_overlap(one, pair.a) and _any_overlap(two, pair.b)) or (
        _any_overlap(one, pair.b) and _any_overlap(two, pair.a)
    )


def _sides(item: dict[str, Any], pred: Predictions) -> list[list[Span | None]]:
    out = []
    for side in item["sides"][:2]:
        mentions = side.get("mentions", [side])
        out.append([locate(pred.texts, m["article"], m["snippet"]) for m in mentions])
    return out


def score_conflicts(story: dict[str, Any], pred: Predictions, tally: Tally) -> set[int]:
    """Gold conflicts found and traps flagged; returns the predicted conflicts matched to gold."""
    matched: set[int] = set()
    for item in story["disagreements"]:
        sides = _sides(item, pred)
        hits = [i for i, p in enumerate(pred.conflicts) if _pair_matches(sides, p)]
        matched.update(hits)
        where = "within one article" if item.get("within_article") else "between articles"
        tally.add(f"conflicts found ({where})", bool(hits))
    for item in story.get("non_conflicts", []):
        tally.add(
            "traps flagged (lower is better)",
            any(_pair_matches(_sides(item, pred), p) for p in pred.conflicts),
        )
    return matched


def score_drift(story: dict[str, Any], pred: Predictions, tally: Tally) -> set[int]:
    matched: set[int] = set()
    for item in story["drift"]:
        sides = _sides(item, pred)
        hits = [
            i for i, p in enumerate(pred.drift) if p.flag != "verbatim" and _pair_matches(sides, p)
        ]
        matched.update(hits)
        tally.add("re-worded quotes found", bool(hits))
        if hits:
            flagged = any(pred.drift[i].flag == "meaning_changed" for i in hits)
            tally.add("meaning-changed flag agrees", flagged == bool(item.get("meaning_changed")))
    return matched


def score_topic(topic: dict[str, Any], pred: Predictions) -> Tally:
    tally = Tally()
    conflicts: set[int] = set()
    drift: set[int] = set()
    for story in topic["stories"]:
        score_claims(story, pred, tally)
        score_speakers(story, pred, tally)
        conflicts |= score_conflicts(story, pred, tally)
        drift |= score_drift(story, pred, tally)
    for item in topic.get("non_conflicts", []):
        tally.add(
            "traps flagged (lower is better)",
            any(_pair_matches(_sides(item, pred), p) for p in pred.conflicts),
        )
    for i, _ in enumerate(pred.conflicts):
        tally.add("flagged conflicts that are annotated (lower bound of precision)", i in conflicts)
    for i, p in enumerate(pred.drift):
        if p.flag != "verbatim":
            tally.add("drift findings that are annotated (lower bound of precision)", i in drift)
    return tally


# --- the baseline ------------------------------------------------------------------------------

_SENT = re.compile(r"[^.!?\n]+[.!?]?")
_WORD = re.compile(r"[a-z0-9]+")
_NUM = re.compile(r"\b\d[\d,.]*\b")
_NEG = re.compile(r"\b(not|no|never|denied|denies|deny|rejected)\b", re.I)
_SAID = re.compile(
    r"([A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*|[Tt]he [a-z]+s?|[Pp]olice|[Oo]fficials)\s+(?:said|says|told)\b"
)
_STOP = frozenset(
    "the a an of to in and or for on at by with from that this was were is are be has have had it its as he she they said".split()
)


def _sentences(texts: dict[str, str]) -> list[tuple[Span, str]]:
    return [
        ((art, m.start(), m.end()), m.group().strip())
        for art, text in sorted(texts.items())
        for m in _SENT.finditer(text)
        if len(m.group().split()) >= 4
    ]


def _tfidf(sents: list[tuple[Span, str]]) -> list[dict[str, float]]:
    bags = [Counter(w for w in _WORD.findall(s.lower()) if w not in _STOP) for _, s in sents]
    df = Counter(w for b in bags for w in b)
    n = len(bags)
    vecs = []
    for b in bags:
        v = {w: c * math.log((1 + n) / (1 + df[w])) for w, c in b.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({w: x / norm for w, x in v.items()})
    return vecs


def _groups(sents: list[tuple[Span, str]], threshold: float) -> list[list[int]]:
    """Single-link groups of sentences of different articles with TF-IDF cosine >= threshold."""
    vecs = _tfidf(sents)
    parent = list(range(len(sents)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = ((a, b) for a in range(len(sents)) for b in range(a + 1, len(sents)))
    for a, b in pairs:
        if sents[a][0][0] != sents[b][0][0]:
            if sum(x * vecs[b].get(w, 0.0) for w, x in vecs[a].items()) >= threshold:
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(sents)):
        groups[find(i)].append(i)
    return list(groups.values())


def _number_conflicts(sents: list[tuple[Span, str]], members: list[int]) -> Iterable[PPair]:
    numbers = {i: set(_NUM.findall(sents[i][1])) for i in members}
    for a in members:
        for b in members:
            if a < b and numbers[a] and numbers[b] and numbers[a] != numbers[b]:
                yield PPair((sents[a][0],), (sents[b][0],), "number")


def baseline(texts: dict[str, str], threshold: float = 0.5) -> Predictions:
    """Sentences grouped across articles by TF-IDF cosine; an article per origin."""
    sents = _sentences(texts)
    pred = Predictions(texts)
    for members in _groups(sents, threshold):
        pred.claims.append(
            [PMention(sents[i][0], bool(_NEG.search(sents[i][1])), sents[i][0][0]) for i in members]
        )
        pred.conflicts.extend(_number_conflicts(sents, members))
    for span, text in sents:
        m = _SAID.search(text)
        if m:
            pred.quotes.append(PQuote((span,), m.group(1), m.group(1)[0].islower()))
    return pred


# --- event coreference through claims --------------------------------------------------------


def _scorer(coref_dir: Path) -> Any:
    """The data set's own MUC/B3/CEAF-e scorer (``score_coref.py`` beside the mentions)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("score_coref", coref_dir / "score_coref.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _line_starts(article: str, analysed: str) -> list[tuple[int, int | None]]:
    """(offset in the article, offset in the analysed text) of each line, where it survived."""
    out, at, pos = [], 0, 0
    for line in article.split("\n"):
        found = analysed.find(line, pos) if line.strip() else -1
        out.append((at, found if found >= 0 else None))
        if found >= 0:
            pos = found + len(line)
        at += len(line) + 1
    return out


def claim_chains(
    mentions: Sequence[dict[str, Any]], articles: dict[str, str], pred: Predictions, topic: str
) -> list[dict[str, Any]]:
    """Each gold event mention takes the id of the claim whose mention contains it (the most
    widely carried one); a mention in no claim is left out (scored as a singleton)."""
    rows = []
    starts = {a: _line_starts(articles[a], pred.texts.get(a, "")) for a in articles}
    for m in mentions:
        lines = starts.get(m["doc_id"])
        if not lines:
            continue
        line_at, mapped = lines[m["sentence"]]
        if mapped is None:
            continue
        s = mapped + m["start"] - line_at
        span = (m["doc_id"], s, s + m["end"] - m["start"])
        for i, claim in enumerate(pred.claims):
            if any(
                p.span[0] == span[0] and p.span[1] <= span[1] and span[2] <= p.span[2]
                for p in claim
            ):
                rows.append(
                    {
                        "doc_id": m["doc_id"],
                        "start": m["start"],
                        "end": m["end"],
                        "chain": f"{topic}:{i}",
                    }
                )
                break
    return rows


# --- the run ---------------------------------------------------------------------------------


def articles_of(data_dir: Path, topic: str) -> dict[str, str]:
    """Article id -> text of one ECB+ topic (both stories)."""
    out = {}
    with (data_dir / "articles.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            if doc["topic"] == topic:
                out[doc["id"]] = doc["text"]
    return out


#: The stages read before claims; each claim variant runs the lineage stages after them.
_BEFORE_CLAIMS = ("dedup.minhash.v1", "stories.cluster.v3", "entities.spacy.v5", "quotes.rules.v4")
_AFTER_CLAIMS = (
    "drift.quotes.v5",
    "disagreements.rules.v5",
    "timeline.timex.v3",
    "provenance.origins.v2",
)
#: The claim stages compared: the default first. A name with " + " is a stage run with a
#: ``PropositionConfig`` option of :data:`VARIANTS`.
CLAIM_STAGES = ("claims.align.v7", "claims.align.v1", "claims.align.v7 + rules membership")
#: Stage variants: name -> (registered stage, ``PropositionConfig`` options). The default
#: membership is the learned model since session 15; the rules are scored beside it.
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    "claims.align.v7 + rules membership": ("claims.align.v7", {"membership": "rules"}),
}


def _variant_config(name: str) -> Any:
    """The ``AnalyzeConfig`` that runs claim system ``name`` and the lineage stages after it."""
    from dataclasses import replace

    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.stages.lineage.propositions import PropositionConfig

    stage, options = VARIANTS.get(name, (name, {}))
    config = AnalyzeConfig()
    if options:
        lineage = replace(config.lineage, propositions=PropositionConfig(**options))
        config = replace(config, lineage=lineage)
    return replace(config, corpus_stages=(stage, *_AFTER_CLAIMS))


def analyse_topic(texts: dict[str, str], work: Path) -> dict[str, dict[str, Any]]:
    """storytrace's dossier JSON of one topic for each claim stage, articles as ``<id>.txt`` files.

    The documents, stories, entities and quotes are computed once; the lineage
    stages then run after each claim stage of :data:`CLAIM_STAGES`.
    """
    from dataclasses import replace

    from storytrace import api
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.run import analyze_corpus

    work.mkdir(parents=True, exist_ok=True)
    for article, text in texts.items():
        (work / f"{article}.txt").write_text(text + "\n", encoding="utf-8")
    base = api.analyze([work], replace(AnalyzeConfig(), corpus_stages=_BEFORE_CLAIMS))
    given = ("stories", "quotes", "pairs", "entities")
    out = {}
    for stage in CLAIM_STAGES:
        out[stage] = api.to_json_data(analyze_corpus(base, _variant_config(stage), given=given))
    return out


def run_crosscheck_set(data_dir: Path, work: Path, topics: Sequence[str] = ()) -> dict[str, Any]:
    """Score storytrace (each claim stage) and the baseline on every annotated topic, per split.

    Args:
        data_dir (Path): the ``ecbplus-stories`` folder.
        work (Path): a folder for the topics' input files.
        topics (Sequence[str]): only these topics (all when empty).
    """
    systems = (*CLAIM_STAGES, "baseline")
    coref_dir = data_dir.parent / "ecbplus-coref"
    scorer = _scorer(coref_dir) if (coref_dir / "score_coref.py").exists() else None
    gold_all = scorer.load_jsonl(coref_dir / "mentions.jsonl") if scorer else []
    coref: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    totals: dict[str, dict[str, Tally]] = defaultdict(lambda: {name: Tally() for name in systems})
    per_topic: dict[str, Any] = {}
    for topic in load_topics():
        if topics and topic["topic"] not in topics:
            continue
        texts = articles_of(data_dir, topic["topic"])
        dossiers = analyse_topic(texts, work / topic["topic"])
        scores = {
            name: score_topic(topic, predictions_from_dossier(d)) for name, d in dossiers.items()
        }
        scores["baseline"] = score_topic(topic, baseline(texts))
        if scorer is not None:
            gold = [
                m for m in scorer.select(gold_all, None, "event")
                if m["topic"] == topic["topic"]
            ]  # fmt: skip
            split = coref[topic["split"]]
            split["gold"] += gold
            split["head word"] += scorer.head_baseline(gold)
            for name in CLAIM_STAGES:
                pred = predictions_from_dossier(dossiers[name])
                split[name] += claim_chains(gold, texts, pred, topic["topic"])
        for name, tally in scores.items():
            totals[topic["split"]][name].merge(tally)
        per_topic[topic["topic"]] = {
            "split": topic["split"],
            **{n: t.table() for n, t in scores.items()},
        }
    summary = {
        split: _side_by_side({n: t.table() for n, t in by.items()})
        for split, by in sorted(totals.items())
    }
    event_coref = (
        {
            split: {
                name: {
                    k: round(100 * (v if k == "CoNLL" else v[2]), 1)
                    for k, v in scorer.score(rows["gold"], rows[name]).items()
                    if k in ("MUC", "B3", "CEAF-e", "CoNLL")
                }
                for name in (*CLAIM_STAGES, "head word")
            }
            for split, rows in sorted(coref.items())
        }
        if scorer is not None
        else {}
    )
    return {"summary": summary, "event_coref_conll": event_coref, "topics": per_topic}


def _side_by_side(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """One row per metric: each system's share, and the count behind the default's."""
    default = tables[CLAIM_STAGES[0]]
    return {
        metric: {
            **{name: table.get(metric, {}).get("share") for name, table in tables.items()},
            "of": row["of"],
        }
        for metric, row in default.items()
    }
