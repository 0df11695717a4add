"""Error analysis of the cross-check layer on the annotated dev topics (a developer's tool).

Per gold claim of the chosen topics, prints the gold origins with their one-line
``why`` beside what ``claims.align.v7`` found: the aligned claim's affirmed
origin keys, and each gold mention's overlapping predicted mention (its origin
key, polarity, source kind). Then the gold conflicts missed and the flagged
conflicts and drift findings matched to nothing. The stages before claims are
computed once per topic and kept in a pickle under ``--work``, so re-running
after a change to the lineage stages takes seconds.

With ``--speakers`` it lists the gold speakers the quote stage got wrong instead
(gold name vs predicted speaker, with the quote's sentence), re-running only the
quote stage over spaCy parses cached in ``--work`` (``parses.spacy``), so a change
to the quote stage is seen in seconds.

With ``--numbers`` it lists each gold conflict between articles that no flag matches,
with the figures the number stage reads in its sides' sentences and the first test
that refuses each pair of them (unit, intervals, ratio, shared context, verbs,
weekdays, one article giving both, the sentences' cosine), or ``[stories split]`` when
the story stage put the sides in different stories; then every flag marked ``GOLD``,
``TRAP`` or ``----`` (neither).

Run: ``PYTHONPATH=src .venv/bin/python -m bench.crosscheck_errors --topic 3 --topic 6``
(default: the dev topics). Never point it at the check topics while tuning.
"""

from __future__ import annotations

import argparse
import pickle
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.crosscheck_set import (
    _BEFORE_CLAIMS,
    PMention,
    PPair,
    PQuote,
    Predictions,
    Span,
    Tally,
    _article,
    _best_claim,
    _pair_matches,
    _sides,
    _variant_config,
    articles_of,
    load_topics,
    locate,
    overlaps,
    predictions_from_dossier,
    score_speakers,
    score_topic,
)
from storytrace.stages.lineage.origins import count_kind

DEV = ("3", "6", "8", "16", "19", "20", "24", "33")


def base_dossier(texts: dict[str, str], work: Path) -> Any:
    """The dossier up to the quote stage, cached in ``work/base.pkl``."""
    return _cached_dossier(texts, work, "base.pkl", _BEFORE_CLAIMS)


def _cached_dossier(texts: dict[str, str], work: Path, name: str, stages: tuple[str, ...]) -> Any:
    """The dossier of ``texts`` through ``stages``, cached in ``work/name``."""
    from storytrace import api
    from storytrace.pipeline.config import AnalyzeConfig

    cache = work / name
    if cache.exists():
        return pickle.loads(cache.read_bytes())
    work.mkdir(parents=True, exist_ok=True)
    for article, text in texts.items():
        (work / f"{article}.txt").write_text(text + "\n", encoding="utf-8")
    base = api.analyze([work], replace(AnalyzeConfig(), corpus_stages=stages))
    cache.write_bytes(pickle.dumps(base))
    return base


def lineage(base: Any, stage: str = "claims.align.v7") -> dict[str, Any]:
    """The dossier JSON with the lineage stages run over a cached base (``stage``: a claim
    system of ``crosscheck_set.CLAIM_STAGES``, variants included)."""
    from storytrace import api
    from storytrace.pipeline.run import analyze_corpus

    config = _variant_config(stage)
    given = ("stories", "quotes", "pairs", "entities")
    return api.to_json_data(analyze_corpus(base, config, given=given))


def _short(text: str, n: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def error_class(claim: dict[str, Any], gold: list[Span | None], best: list[PMention]) -> str:
    """Why an aligned claim's origin count is wrong, as one class name.

    ``extra``: the count over the predicted mentions that overlap gold mentions is right,
    the predicted claim is larger than the gold one; ``merged:<kind>``: two gold origins
    fall on one predicted origin of that kind (``article`` = copies of own reporting,
    others = narration credited to a source); ``split:<kinds>``: one gold origin is
    several predicted ones; ``missing``: gold mentions the claim lacks.
    """
    n_gold = len(claim["origins"])
    inside: dict[str, set[str]] = defaultdict(set)  # pred origin -> gold origins
    per_gold: dict[str, set[str]] = defaultdict(set)  # gold origin -> pred origins
    for m, g in zip(claim["mentions"], gold, strict=True):
        if m["stance"] == "denied":
            continue
        for pm in best:
            if not pm.denied and overlaps(g, pm.span):
                inside[pm.origin].add(m["origin"])
                per_gold[m["origin"]].add(pm.origin)
    if len(inside) == n_gold:
        return "extra"
    merged = sorted({_kind(k) for k, v in inside.items() if len(v) > 1})
    if len(inside) < n_gold and merged:
        return "merged:" + "+".join(merged)
    split = sorted({_kind(k) for v in per_gold.values() if len(v) > 1 for k in v})
    if len(inside) > n_gold and split:
        return "split:" + "+".join(split)
    return "missing" if len(per_gold) < n_gold else "other"


def show_claims(story: dict[str, Any], pred: Predictions, classes: Counter[str]) -> None:
    for claim in story["claims"]:
        gold = [locate(pred.texts, m["article"], m["snippet"]) for m in claim["mentions"]]
        best = _best_claim(gold, pred.claims)
        origins = sorted({m.origin for m in best if not m.denied}) if best else []
        n_gold = len(claim["origins"])
        status = "OK " if best and len(origins) == n_gold else "BAD"
        if best is None:
            status = "NOA"
        classes[f"{status} gold={n_gold} pred={len(origins)}"] += 1
        if best is not None:
            kind, _ = count_kind(origins)
            classes[f"kind {kind}: {'right' if status == 'OK ' else 'wrong'}"] += 1
        if status == "BAD" and best is not None:
            why = error_class(claim, gold, best)
            classes[f"class {why}"] += 1
            status = f"BAD {why}"
        print(f"\n[{status}] {claim['id']} {_short(claim['claim'])} ({claim['certainty']})")
        print(f"   gold {n_gold}: {claim['origins']}  denied_by={claim.get('denied_by')}")
        print(f"   why: {_short(claim['why'], 200)}")
        print(f"   pred {len(origins)}: {origins}")
        for m, g in zip(claim["mentions"], gold, strict=True):
            hit: list[PMention] = [pm for pm in best or [] if overlaps(g, pm.span)]
            got = "; ".join(f"{pm.origin}{' DENIED' if pm.denied else ''}" for pm in hit) or "-"
            print(
                f"     {m['article']:>10} {m['stance'][:8]:8} {m['origin'][:28]:28} -> {got[:60]}"
                f"  | {_short(m['snippet'], 60)}"
            )
        if best is not None and status.startswith("BAD"):
            for pm in best:
                if not pm.denied and not any(overlaps(g, pm.span) for g in gold):
                    text = pred.texts[pm.span[0]][pm.span[1] : pm.span[2]]
                    print(f"     + {pm.span[0]:>10} {pm.origin[:40]:40} | {_short(text, 80)}")


def source_errors(story: dict[str, Any], pred: Predictions, tally: Counter[str]) -> None:
    """The origin errors where the claim's membership is right and its sources are not
    (classes ``merged:*`` and ``split:*`` of :func:`error_class`): per gold origin, the
    predicted origin keys of its mentions, each with the mention's sentence, so a wrong
    source identity can be read and put in a class of text.

    ``tally`` counts the claims by class.
    """
    for claim in story["claims"]:
        gold = [locate(pred.texts, m["article"], m["snippet"]) for m in claim["mentions"]]
        best = _best_claim(gold, pred.claims)
        if best is None:
            continue
        origins = {m.origin for m in best if not m.denied}
        if len(origins) == len(claim["origins"]):
            continue
        why = error_class(claim, gold, best)
        if not why.startswith(("merged", "split")):
            continue
        tally[f"source {why}"] += 1
        print(f"\n[{why}] {claim['id']} {_short(claim['claim'])} ({claim['certainty']})")
        print(f"   gold {len(claim['origins'])}; pred {len(origins)}: {sorted(origins)}")
        print(f"   why: {_short(claim['why'], 240)}")
        for m, g in zip(claim["mentions"], gold, strict=True):
            if m["stance"] == "denied" or g is None:
                continue
            for pm in best:
                if pm.denied or not overlaps(g, pm.span):
                    continue
                text = pred.texts[g[0]]
                print(
                    f"     {m['origin'][:34]:34} -> {pm.origin[:34]:34} {m['article']:>11}"
                    f" | {_short(_sentence(text, g[1], g[2]), 150)}"
                )


def count_confidence(classes: Counter[str]) -> list[str]:
    """Per kind of origin count (:func:`~storytrace.stages.lineage.origins.count_kind`), the
    share of the claims whose count was right: ``PropositionConfig.count_confidence``."""
    kinds = sorted(
        {k.split(": ")[0].removeprefix("kind ") for k in classes if k.startswith("kind ")}
    )
    out = []
    for kind in kinds:
        right, wrong = classes[f"kind {kind}: right"], classes[f"kind {kind}: wrong"]
        share = right / (right + wrong) if right + wrong else 0.0
        out.append(f"count confidence {kind}: {share:.2f} ({right} of {right + wrong})")
    return out


def show_sources(topic: dict[str, Any], pred: Predictions, tally: Counter[str]) -> None:
    """A topic's origin errors with the membership right (:func:`source_errors`)."""
    print(f"\n===== topic {topic['topic']} ({topic['split']})")
    for story in topic["stories"]:
        source_errors(story, pred, tally)


def show_pairs(story: dict[str, Any], pred: Predictions) -> None:
    for item in story["disagreements"]:
        sides = _sides(item, pred)
        hit = any(_pair_matches(sides, p) for p in pred.conflicts)
        a, b = item["sides"][0], item["sides"][1]
        sa = a["mentions"][0]["snippet"] if "mentions" in a else a["snippet"]
        sb = b["mentions"][0]["snippet"] if "mentions" in b else b["snippet"]
        print(
            f"  conflict {'HIT ' if hit else 'MISS'} {item['kind']:8} {_short(sa, 50)} <> {_short(sb, 50)}"
        )


def show_traps(topic: dict[str, Any], pred: Predictions) -> None:
    """The look-alike traps (story and topic level) that a predicted conflict matches."""
    traps = [t for s in topic["stories"] for t in s.get("non_conflicts", [])]
    for item in traps + topic.get("non_conflicts", []):
        if any(_pair_matches(_sides(item, pred), p) for p in pred.conflicts):
            a, b = item["sides"][0], item["sides"][1]
            print(
                f"  TRAP flagged {item['kind']:10} {_short(a['snippet'], 50)} <> {_short(b['snippet'], 50)}"
            )


def show_flagged(pred: Predictions) -> None:
    for p in pred.conflicts:
        a = p.a[0]
        b = p.b[0]
        ta = pred.texts[a[0]][a[1] : a[2]]
        tb = pred.texts[b[0]][b[1] : b[2]]
        print(f"  flagged {p.flag:8} {a[0]}: {_short(ta, 60)} <> {b[0]}: {_short(tb, 60)}")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence (by line and full stop) around a span, for reading a stance miss."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return text[left : (min(stops) + 1 if stops else len(text))]


def show_denials(
    topic: dict[str, Any], data: dict[str, Any], base: Any, tally: Counter[str]
) -> None:
    """Stance misses: every gold ``denied`` mention not predicted denied, and every gold
    asserted or alleged mention predicted denied (within the claim the gold claim aligns
    with, else any claim), each with its sentence and where the stance was decided: the
    predicted mention's quote (cue, parsed polarity) or narration.

    ``tally`` counts ``denied kept``, ``denied lost``, ``denied unmatched`` (no predicted
    mention overlaps it), ``asserted kept`` and ``asserted flipped`` (predicted denied).
    """
    pred = predictions_from_dossier(data)
    quotes = {q.quote_id: q for q in base.quotes}
    claims = data.get("claims", [])
    spans = [[(_article_of(data, m["span"]["doc_id"]), m["span"]["start"], m["span"]["end"])
              for m in c["mentions"]] for c in claims]  # fmt: skip
    for story in topic["stories"]:
        for claim in story["claims"]:
            gold = [locate(pred.texts, m["article"], m["snippet"]) for m in claim["mentions"]]
            best = _best_claim(gold, pred.claims)
            at = pred.claims.index(best) if best is not None else -1
            for m, g in zip(claim["mentions"], gold, strict=True):
                where = [
                    (i, j) for i, c in enumerate(spans) for j, s in enumerate(c) if overlaps(g, s)
                ]
                inside = [(i, j) for i, j in where if i == at] or where
                denied = [claims[i]["mentions"][j]["polarity"] == "negated" for i, j in inside]
                gold_denied = m["stance"] == "denied"
                if not inside:
                    tally[f"{'denied' if gold_denied else 'asserted'} unmatched"] += 1
                    if gold_denied:
                        _print_stance(topic, claim, m, g, pred, "none", [], claims, quotes)
                    continue
                if gold_denied:
                    ok = any(pm.denied for c in pred.claims for pm in c if overlaps(g, pm.span))
                    tally[f"denied {'kept' if ok else 'lost'}"] += 1
                else:
                    ok = not all(denied)
                    tally[f"asserted {'kept' if ok else 'flipped'}"] += 1
                if not ok:
                    got = "denied" if all(denied) else "affirmed"
                    _print_stance(topic, claim, m, g, pred, got, inside, claims, quotes)


def _article_of(data: dict[str, Any], doc_id: str) -> str:
    return next((_article(d) for d in data["documents"] if d["doc_id"] == doc_id), doc_id)


def _print_stance(  # noqa: PLR0913 -- a report line's parts
    topic: dict[str, Any],
    claim: dict[str, Any],
    mention: dict[str, Any],
    gold: Span | None,
    pred: Predictions,
    got: str,
    inside: list[tuple[int, int]],
    claims: list[dict[str, Any]],
    quotes: dict[str, Any],
) -> None:
    text = pred.texts.get(mention["article"], "")
    sentence = _sentence(text, gold[1], gold[2]) if gold else mention["snippet"]
    print(f"\n[{mention['stance']} -> {got}] t{topic['topic']} {claim['id']} {mention['article']}")
    print(f"   claim: {_short(claim['claim'], 100)}  denied_by={claim.get('denied_by')}")
    print(f"   gold:  {_short(mention['snippet'], 160)}")
    print(f"   sent:  {_short(sentence, 240)}")
    for i, j in inside[:3]:
        pm = claims[i]["mentions"][j]
        q = quotes.get(pm["quote_id"])
        how = "narrated"
        if q is not None:
            pol = q.statement.polarity if q.statement is not None else "-"
            how = f"quote cue={q.cue!r} parsed={pol} denied={list(q.statement.denied) if q.statement else []}"
        print(f"   pred:  {claims[i]['claim_id']} {pm['polarity']} {pm['origin_key']} ({how})")
        print(f"          {_short(pm['span']['text'], 160)}")


def parsed_documents(base: Any, work: Path) -> list[tuple[str, str, Any]]:
    """(article, text, spaCy parse) of each document of ``base``, parses cached in ``work``."""
    from spacy.tokens import DocBin

    from storytrace.stages.entities.extract import entity_pipeline

    docs = [(Path(d.source.path).name.removesuffix(".txt"), d) for d in base.documents]
    nlp = entity_pipeline()
    cache = work / "parses.spacy"
    if cache.exists():
        parsed = list(DocBin().from_bytes(cache.read_bytes()).get_docs(nlp.vocab))
    else:
        parsed = list(nlp.pipe([d.text for _, d in docs]))
        cache.write_bytes(DocBin(docs=parsed, store_user_data=True).to_bytes())
    return [(a, d.doc_id, p) for (a, d), p in zip(docs, parsed, strict=True)]


def speaker_predictions(parsed: list[tuple[str, str, Any]]) -> Predictions:
    """The quote stage run afresh over cached parses, in the scorer's terms."""
    from storytrace.stages.quotes.extract import QuoteConfig, quotes_of_doc

    pred = Predictions({a: p.text for a, _, p in parsed})
    for article, doc_id, sdoc in parsed:
        for q in quotes_of_doc(doc_id, sdoc, QuoteConfig()):
            name = " ".join(x for x in (q.speaker_text, q.speaker_resolved) if x)
            spans = tuple((article, c.start, c.end) for c in q.content_spans)
            pred.quotes.append(PQuote(spans, name, q.anonymous))
    return pred


def show_speakers(story: dict[str, Any], pred: Predictions, tally: Tally) -> None:
    """Each gold speaker the prediction gets wrong: gold vs predicted, with the sentence."""
    for item in story["speakers"]:
        g = locate(pred.texts, item["article"], item["snippet"])
        one = Tally()
        score_speakers({"speakers": [item]}, pred, one)
        tally.merge(one)
        if one.table()["speakers right"]["right"]:
            continue
        found = [q for q in pred.quotes if any(overlaps(g, s) for s in q.spans)]
        gold = item["speaker"]
        want = f"ANON({gold.get('descriptor')})" if gold.get("anonymous") else gold.get("name")
        got = "; ".join(f"{q.speaker!r}{' ANON' if q.anonymous else ''}" for q in found) or "-"
        text = pred.texts.get(item["article"], "")
        lo = text.rfind("\n", 0, g[1]) + 1 if g else 0
        hi = text.find("\n", g[2]) if g else -1
        context = text[max(lo, (g[1] if g else 0) - 200) : hi if hi >= 0 else None][:400]
        print(f"\n  {item['id']} {item['article']} {item['kind']}: gold {want!r} got {got}")
        print(f"     | {' '.join(context.split())}")


def main_speakers(args: argparse.Namespace, topics: tuple[str, ...]) -> None:
    total = Tally()
    for topic in load_topics():
        if topic["topic"] not in topics:
            continue
        texts = articles_of(args.data, topic["topic"])
        work = args.work / topic["topic"]
        pred = speaker_predictions(parsed_documents(base_dossier(texts, work), work))
        print(f"\n===== topic {topic['topic']} ({topic['split']})")
        for story in topic["stories"]:
            show_speakers(story, pred, total)
    for metric, row in total.table().items():
        print(f"{row['share']!s:>6} {row['right']:4}/{row['of']:<4} {metric}")


def show_topic(
    topic: dict[str, Any], pred: Predictions, classes: Counter[str], conflicts: bool
) -> None:
    """A topic's claim errors (and, with ``conflicts``, its conflict pairs, flags and traps)."""
    print(f"\n===== topic {topic['topic']} ({topic['split']})")
    for story in topic["stories"]:
        show_claims(story, pred, classes)
        if conflicts:
            show_pairs(story, pred)
    if conflicts:
        show_flagged(pred)
        show_traps(topic, pred)


# --- number conflicts: why each gold conflict was missed, what each flag matched ----------


def _refusal(pair: tuple[Any, Any, Any, Any], stated: Any, max_ratio: float) -> str:
    """The first test of the number stage that refuses a pair of figures ("" if none);
    ``pair`` is (statement, figure, statement, figure)."""
    from storytrace.stages.lineage import disagreements as dis
    from storytrace.stages.lineage.numbers import conflicts

    a, qa, b, qb = pair
    ta, tb = a.span.text, b.span.text
    checks = (
        ("unit", lambda: qa.unit == qb.unit),
        ("intervals overlap", lambda: conflicts(qa, qb)),
        ("ratio", lambda: dis._near(qa, qb, max_ratio)),
        ("no shared context", lambda: bool(dis._context(ta, qa) & dis._context(tb, qb))),
        ("other verbs", lambda: not dis._other_verbs(ta, qa, tb, qb)),
        ("other weekdays", lambda: not dis._other_times(ta, qa, tb, qb)),
        ("one article gives both", lambda: not dis._both_in_one_article(*pair, stated, max_ratio)),
    )
    return next((name for name, ok in checks if not ok()), "")


def _numbered_at(items: list[Any], span: Span | None, article_doc: dict[str, str]) -> list[Any]:
    if span is None:
        return []
    doc = article_doc.get(span[0])
    return [
        n for n in items if n.span.doc_id == doc and n.span.start < span[2] and span[1] < n.span.end
    ]


def _show_miss(item: dict[str, Any], sides: list[list[Span | None]], base: Any) -> None:
    """One missed gold conflict: the figures of each side's sentences, and per pair of one
    unit the test that refuses it (or the sentences' cosine when none does)."""
    from storytrace.models.services import Services
    from storytrace.stages.lineage import disagreements as dis

    article_doc = {Path(d.source.path).name.removesuffix(".txt"): d.doc_id for d in base.documents}
    story_of = {d: s.story_id for s in base.stories for d in s.doc_ids}
    items = [n for d in base.documents for n in dis._numbered_sentences(d)]
    stories = {story_of.get(article_doc.get(g[0], ""), "?") for side in sides for g in side if g}
    snip = [s.get("mentions", [s])[0]["snippet"] for s in item["sides"][:2]]
    split = "  [stories split]" if len(stories) > 1 else ""
    print(f"\n MISS {item['kind']:8} {_short(snip[0], 70)} <> {_short(snip[1], 70)}{split}")
    qa = [
        (n, q) for g in sides[0] for n in _numbered_at(items, g, article_doc) for q in n.quantities
    ]
    qb = [
        (n, q) for g in sides[1] for n in _numbered_at(items, g, article_doc) for q in n.quantities
    ]
    print(f"    a: {[(q.value, q.unit, q.hedge) for _, q in qa]}")
    print(f"    b: {[(q.value, q.unit, q.hedge) for _, q in qb]}")
    stated, max_ratio = dis._stated(items), dis.DisagreementConfig().number_max_ratio
    for na, x in qa:
        for nb, y in qb:
            if x.unit != y.unit or na.span.doc_id == nb.span.doc_id:
                continue
            why = _refusal((na, x, nb, y), stated, max_ratio)
            if not why:
                va, vb = Services.shared().embed([na.span.text, nb.span.text])
                why = f"cosine {float(va @ vb):.2f}"
            print(f"    {x.value:g} {x.unit} vs {y.value:g}: {why}")


def show_number_misses(topic: dict[str, Any], base: Any, pred: Predictions) -> None:
    """Each gold conflict between articles that no flag matches, with the figures the
    number stage reads in each side's sentences and the first test that refuses them
    (``[stories split]``: the story stage put its sides in different stories, which are
    never compared); then each flag, marked ``GOLD``, ``TRAP`` or ``----`` (neither)."""
    print(f"\n===== topic {topic['topic']} ({topic['split']})")
    gold = [x for s in topic["stories"] for x in s["disagreements"]]
    for item in gold:
        sides = _sides(item, pred)
        if not item.get("within_article") and not any(
            _pair_matches(sides, p) for p in pred.conflicts
        ):
            _show_miss(item, sides, base)
    traps = [t for s in topic["stories"] for t in s.get("non_conflicts", [])]
    traps += topic.get("non_conflicts", [])
    for p in pred.conflicts:
        tag = "----"
        if any(_pair_matches(_sides(x, pred), p) for x in gold):
            tag = "GOLD"
        elif any(_pair_matches(_sides(t, pred), p) for t in traps):
            tag = "TRAP"
        ta = pred.texts[p.a[0][0]][p.a[0][1] : p.a[0][2]]
        tb = pred.texts[p.b[0][0]][p.b[0][1] : p.b[0][2]]
        print(f"  {tag} {p.flag:8} {p.a[0][0]}: {_short(ta, 70)} <> {p.b[0][0]}: {_short(tb, 70)}")


# --- drift: the gold pairs missed and the findings matched to none ---------------------


def show_drift(topic: dict[str, Any], data: dict[str, Any], pred: Predictions) -> None:
    """Each gold drift pair that no finding matches (its two wordings, the speaker), then
    each finding (verbatim ones excepted) marked ``GOLD`` or ``----`` with its kind,
    speaker, word-sequence similarity and the reason the stage gives."""
    print(f"\n===== topic {topic['topic']} ({topic['split']})")
    gold = [x for s in topic["stories"] for x in s["drift"]]
    for item in gold:
        sides = _sides(item, pred)
        if not any(p.flag != "verbatim" and _pair_matches(sides, p) for p in pred.drift):
            a, b = item["sides"][0], item["sides"][1]
            print(f"\n MISS {item['change']:8} {item['speaker'][:30]!r}")
            print(f"    {a['article']:>12}: {_short(a['snippet'], 110)}")
            print(f"    {b['article']:>12}: {_short(b['snippet'], 110)}")
    for found, p in zip(data.get("drift", []), pred.drift, strict=True):
        if p.flag == "verbatim":
            continue
        tag = "GOLD" if any(_pair_matches(_sides(x, pred), p) for x in gold) else "----"
        ta = pred.texts[p.a[0][0]][p.a[0][1] : p.a[0][2]]
        tb = pred.texts[p.b[0][0]][p.b[0][1] : p.b[0][2]]
        print(f"  {tag} {p.flag:15} {found.get('speaker', '')[:25]!r} {found.get('similarity')}")
        print(f"       {p.a[0][0]:>12}: {_short(ta, 100)}")
        print(f"       {p.b[0][0]:>12}: {_short(tb, 100)}")


_TOPIC_METRICS = (
    ("conflicts found (between articles)", "conflicts"),
    ("traps flagged (lower is better)", "traps"),
    ("flagged conflicts that are annotated (lower bound of precision)", "flags annotated"),
    ("re-worded quotes found", "re-worded"),
    ("drift findings that are annotated (lower bound of precision)", "drift annotated"),
)


def topic_line(topic: dict[str, Any], tally: Tally) -> str:
    """One topic's conflict and drift counts on one line ("right/of" per metric), so a
    change can be read on each topic apart (the fresh topics beside the old ones)."""
    table = tally.table()
    parts = [
        f"{short} {table[name]['right']}/{table[name]['of']}"
        for name, short in _TOPIC_METRICS
        if name in table
    ]
    return f"topic {topic['topic']:>3}: " + ", ".join(parts)


def story_dossier(texts: dict[str, str], work: Path) -> Any:
    """The dossier up to the stories (documents and stories only), cached in
    ``work/stories.pkl``: all the number stage reads."""
    return _cached_dossier(texts, work, "stories.pkl", ("dedup.minhash.v1", "stories.cluster.v3"))


def number_predictions(base: Any) -> Predictions:
    """Only the number stage's flags (``sentence_number_conflicts``) over a dossier's
    documents and stories, in the scorer's terms."""
    from storytrace.models.services import Services
    from storytrace.stages.lineage.disagreements import sentence_number_conflicts

    article = {d.doc_id: Path(d.source.path).name.removesuffix(".txt") for d in base.documents}
    pred = Predictions({article[d.doc_id]: d.text for d in base.documents})
    found = sentence_number_conflicts(base.documents, base.stories, embed=Services.shared().embed)
    for d in found:
        a, b = d.sides[:2]
        pred.conflicts.append(
            PPair(
                tuple((article[s.doc_id], s.start, s.end) for s in a.mentions),
                tuple((article[s.doc_id], s.start, s.end) for s in b.mentions),
                d.kind,
            )
        )
    return pred


def main_numbers_only(args: argparse.Namespace, topics: tuple[str, ...]) -> None:
    """Score the number stage alone on ``topics`` (conflicts between articles, traps,
    flags annotated): quick, since only documents and stories are computed (cached),
    and exact for what the number stage adds, the polarity and date flags left out."""
    total = Tally()
    for topic in load_topics():
        if topic["topic"] not in topics:
            continue
        texts = articles_of(args.data, topic["topic"])
        base = story_dossier(texts, args.work / topic["topic"])
        pred = number_predictions(base)
        tally = score_topic(topic, pred)
        total.merge(tally)
        print(topic_line(topic, tally), flush=True)
    for metric, row in total.table().items():
        if "conflict" in metric or "trap" in metric:
            print(f"{row['share']!s:>6} {row['right']:4}/{row['of']:<4} {metric}")


def _show(
    args: argparse.Namespace,
    topic: dict[str, Any],
    run: tuple[Any, Any, Any],
    classes: Counter[str],
    stances: Counter[str],
) -> None:
    """One topic's listing, the one the options ask for."""
    base, data, pred = run
    if args.denials:
        show_denials(topic, data, base, stances)
    elif args.sources:
        show_sources(topic, pred, stances)
    elif args.numbers:
        show_number_misses(topic, base, pred)
    elif args.drift:
        show_drift(topic, data, pred)
    elif not args.quiet:
        show_topic(topic, pred, classes, args.conflicts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--topic", action="append", default=None)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/ecbplus-stories"))
    parser.add_argument("--work", type=Path, default=Path("bench-work/crosscheck-errors"))
    parser.add_argument("--quiet", action="store_true", help="only the per-topic tallies")
    parser.add_argument("--conflicts", action="store_true", help="print conflicts too")
    parser.add_argument("--system", default="claims.align.v7", help="a claim system of the bench")
    parser.add_argument("--denials", action="store_true", help="only the stance misses")
    parser.add_argument("--speakers", action="store_true", help="the speaker errors only")
    parser.add_argument(
        "--sources", action="store_true", help="only origin errors with the membership right"
    )
    parser.add_argument("--numbers", action="store_true", help="missed conflicts' figures, flags")
    parser.add_argument("--drift", action="store_true", help="drift pairs missed, findings")
    parser.add_argument(
        "--numbers-only", action="store_true", help="score the number stage alone (fast)"
    )
    args = parser.parse_args()
    topics = tuple(args.topic or DEV)
    if args.speakers:
        main_speakers(args, topics)
        return
    if args.numbers_only:
        main_numbers_only(args, topics)
        return
    total = Tally()
    classes: Counter[str] = Counter()
    stances: Counter[str] = Counter()
    lines: list[str] = []
    for topic in load_topics():
        if topic["topic"] not in topics:
            continue
        texts = articles_of(args.data, topic["topic"])
        base = base_dossier(texts, args.work / topic["topic"])
        data = lineage(base, args.system)
        pred = predictions_from_dossier(data)
        tally = score_topic(topic, pred)
        total.merge(tally)
        lines.append(topic_line(topic, tally))
        _show(args, topic, (base, data, pred), classes, stances)
    print()
    print("\n".join(lines))
    for k, v in sorted((classes + stances).items()):
        print(f"{v:4} {k}")
    for line in count_confidence(classes):
        print(line)
    for metric, row in total.table().items():
        print(f"{row['share']!s:>6} {row['right']:4}/{row['of']:<4} {metric}")


if __name__ == "__main__":
    main()
