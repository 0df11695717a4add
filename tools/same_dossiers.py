"""Show that a change left the dossiers as they were: byte for byte, but for the run stamp.

    python tools/same_dossiers.py write DIR [--data ../shared/data]    # dossiers of this checkout
    python tools/same_dossiers.py compare BEFORE_DIR AFTER_DIR         # exit 1 and the first
                                                                       # differences if any

Corpora: the seeds (examples/seeds), ECB+ train+dev (772 articles, one JSONL) and
the ScrapingHub pages (181 HTML files). Each dossier.json is written with
``generated_at`` removed; ``compare`` also ignores the ``method`` strings and the
run's stage list when given ``--ignore-methods`` (for a change that renames them
on purpose) and says how many differ.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def corpora(data: Path) -> dict[str, list[str]]:
    return {
        "seeds": ["examples/seeds"],  # relative: the dossier names the path as given
        "ecbplus": [str(data / "ecbplus-stories" / "articles.jsonl")],
        "scrapinghub": [str(data / "scrapinghub-aeb" / "html")],
    }


def write(out: Path, data: Path, names: list[str]) -> None:
    for name, specs in corpora(data).items():
        if names and name not in names:
            continue
        target = out / name
        subprocess.run(
            [sys.executable, "-m", "storytrace", "analyze", *specs, "--out", str(target), "-q"],
            check=False,
            cwd=REPO,
        )
        dossier = json.loads((target / "dossier.json").read_text(encoding="utf-8"))
        dossier.pop("generated_at", None)
        dossier["run"].pop("generated_at", None)
        (out / f"{name}.json").write_text(
            json.dumps(dossier, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        print(f"{name}: {dossier['run']['documents']} documents -> {out / (name + '.json')}")


def _strip_methods(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_methods(v) for k, v in value.items() if k not in ("method", "stages")}
    if isinstance(value, list):
        return [_strip_methods(v) for v in value]
    return value


def _diff(a: Any, b: Any, path: str, found: list[str]) -> None:
    if len(found) >= 10:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            _diff(a.get(key), b.get(key), f"{path}.{key}", found)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", found)
    elif a != b:
        found.append(f"{path}: {str(a)[:120]!r} != {str(b)[:120]!r}")


def compare(before: Path, after: Path, ignore_methods: bool) -> int:
    bad = 0
    for old in sorted(before.glob("*.json")):
        new = after / old.name
        if not new.exists():
            print(f"{old.stem}: not written in {after}")
            continue
        a, b = json.loads(old.read_text()), json.loads(new.read_text())
        if ignore_methods:
            a, b = _strip_methods(a), _strip_methods(b)
        if a == b:
            print(f"{old.stem}: identical")
            continue
        bad += 1
        found: list[str] = []
        _diff(a, b, old.stem, found)
        print(f"{old.stem}: DIFFERENT")
        for line in found:
            print("  " + line)
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("out", type=Path)
    w.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    w.add_argument("--only", nargs="*", default=[])
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    c.add_argument("--ignore-methods", action="store_true")
    args = parser.parse_args()
    if args.command == "write":
        write(args.out, args.data, args.only)
        return 0
    return compare(args.before, args.after, args.ignore_methods)


if __name__ == "__main__":
    raise SystemExit(main())
