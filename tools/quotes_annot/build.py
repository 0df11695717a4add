"""Build bench/data/quotes/dev.jsonl from compact annotation specs (offsets are computed, never typed).

Span spec mini-language (all resolved inside the quote's anchor region unless prefixed "^"):
  "text"        the unique occurrence of text in the region
  "A...B"       from the start of A to the end of the first B after it
  "text#k"      k-th (0-based) occurrence inside the region
  "^text#k"     k-th occurrence in the whole document (for via / antecedents elsewhere)
Anchor: "A...B" or plain text, must be unique in the document (or "anchor#k").
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

KINDS = {"d": "direct", "i": "indirect", "m": "mixed"}
STYPES = {"n": "named", "a": "anonymous", "p": "pronoun", "x": "none"}


@dataclass
class Q:
    at: str
    cue: str | None
    src: object
    cont: object
    kind: str
    st: str = "n"
    via: tuple = ()
    res: str | None = None
    addr: str | None = None


def q(at, cue, src, cont, kind="i", st="n", via=(), res=None, addr=None):
    return Q(at, cue, src, cont, kind, st, tuple(via) if isinstance(via, (list, tuple)) else (via,), res, addr)


def _pat(needle: str) -> re.Pattern[str]:
    # seed 001 prints "the British Times" with no-break spaces: let a space match any of them
    body = re.escape(needle).replace("\\ ", "[ \u00a0\u202f]")
    # whole words only, so that "it" never matches inside "with"
    left = r"\b" if needle[:1].isalnum() else ""
    right = r"\b" if needle[-1:].isalnum() else ""
    return re.compile(left + body + right)


def _occ(hay: str, needle: str, k: int, base: int, what: str) -> tuple[int, int]:
    idx = [(m.start(), m.end()) for m in _pat(needle).finditer(hay)]
    if not idx:
        raise ValueError(f"{what}: {needle!r} not found")
    if k < 0 and len(idx) > 1:
        raise ValueError(f"{what}: {needle!r} ambiguous ({len(idx)} hits)")
    if k >= len(idx):
        raise ValueError(f"{what}: {needle!r} has only {len(idx)} hits, wanted #{k}")
    s, e = idx[max(k, 0)]
    return base + s, base + e


def _split_k(spec: str) -> tuple[str, int]:
    m = re.match(r"^(.*)#(\d+)$", spec, re.S)
    return (m.group(1), int(m.group(2))) if m else (spec, -1)


def find(text: str, spec: str, region: tuple[int, int], what: str) -> list[int]:
    lo, hi = region
    if spec.startswith("^"):
        spec, lo, hi = spec[1:], 0, len(text)
    spec, k = _split_k(spec)
    hay = text[lo:hi]
    if "..." in spec:
        a, b = spec.split("...", 1)
        s, ae = _occ(hay, a, k, lo, what)
        m = _pat(b).search(text, ae, hi)
        if m is None:
            raise ValueError(f"{what}: end {b!r} not found after {a!r}")
        return [s, m.end()]
    s, e = _occ(hay, spec, k, lo, what)
    return [s, e]


def _list(x: object) -> list[str]:
    if x is None:
        return []
    return [x] if isinstance(x, str) else list(x)  # type: ignore[arg-type]


def resolve(text: str, quote: Q, doc_id: str) -> dict:
    what = f"{doc_id} @ {quote.at[:40]!r}"
    region = tuple(find(text, quote.at, (0, len(text)), what + " anchor"))
    f = lambda s: find(text, s, region, what)  # noqa: E731
    return {
        "cue": f(quote.cue) if quote.cue else None,
        "sources": [f(s) for s in _list(quote.src)],
        "contents": [f(s) for s in _list(quote.cont)],
        "via": [f(s) for s in _list(quote.via)],
        "source_type": STYPES[quote.st],
        "speaker_resolved": quote.res,
        "addressee": f(quote.addr) if quote.addr else None,
        "kind": KINDS[quote.kind],
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).parent))
    import specs  # noqa: PLC0415

    out = []
    errors: list[str] = []
    docs = specs.CHECK_DOCS if "--check" in sys.argv[2:] else specs.DOCS
    for doc in docs:
        text = doc["text"]
        quotes = []
        for qq in doc["quotes"]:
            try:
                quotes.append(resolve(text, qq, doc["id"]))
            except ValueError as exc:
                errors.append(str(exc))
        quotes.sort(key=lambda r: min(s for s, _ in r["contents"]) if r["contents"] else 0)
        out.append({"id": doc["id"], "origin": doc["origin"], "text": text, "quotes": quotes})
    if errors:
        print("\n".join(errors))
        raise SystemExit(1)
    dest = Path(sys.argv[1])
    dest.parent.mkdir(parents=True, exist_ok=True)
    with dest.open("w", encoding="utf-8") as fh:
        for row in out:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(len(out), "docs", sum(len(r["quotes"]) for r in out), "quotes")


if __name__ == "__main__":
    main()
