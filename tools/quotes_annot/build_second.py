"""Build a blind second annotation (specs/second_<name>.py) to a JSONL of its own (not part of dev or check).

    PYTHONPATH=$PWD/src .venv/bin/python tools/quotes_annot/build_second.py /tmp/second.jsonl              # second_web
    PYTHONPATH=$PWD/src .venv/bin/python tools/quotes_annot/build_second.py /tmp/second_ecb.jsonl second_ecb
"""
import importlib, json, sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import resolve  # noqa: E402
DOCS = importlib.import_module("specs." + (sys.argv[2] if len(sys.argv) > 2 else "second_web")).DOCS

out, errors = [], []
for doc in DOCS:
    quotes = []
    for qq in doc["quotes"]:
        try:
            quotes.append(resolve(doc["text"], qq, doc["id"]))
        except ValueError as exc:
            errors.append(str(exc))
    quotes.sort(key=lambda r: min(s for s, _ in r["contents"]) if r["contents"] else 0)
    out.append({"id": doc["id"], "origin": doc["origin"], "text": doc["text"], "quotes": quotes})
if errors:
    print("\n".join(errors)); raise SystemExit(1)
with open(sys.argv[1], "w", encoding="utf-8") as fh:
    for row in out:
        fh.write(json.dumps(row, ensure_ascii=False) + "\n")
print(len(out), "docs", sum(len(r["quotes"]) for r in out), "quotes")
