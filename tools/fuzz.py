"""Coverage-guided fuzzing (atheris / libFuzzer) of the readers, cleaners and extractors.

    .venv/bin/python tools/fuzz.py TARGET [-max_total_time=60] [-runs=N]    # one target
    .venv/bin/python tools/fuzz.py all --seconds 30                           # every target, N seconds each

Targets: text (text-dump pipeline), html (HTML pipeline), jsonl, feed, warc
(readers), dates. Each input either gives a document or a diagnostic; anything
else (an uncaught exception, a stage crash ST210) is a finding: libFuzzer writes
it as ``crash-*`` into tests/fuzz/regressions/TARGET/, where
tests/fuzz/test_regressions.py replays it on every test run. The corpus grows in
tests/fuzz/corpus/TARGET/ (seeded from examples/seeds).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ("text", "html", "jsonl", "feed", "warc", "dates")


def check(target: str, data: bytes) -> None:
    """Run one input through a target; raise on a finding."""
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.run import process
    from storytrace.records import Diagnostic, RawInput
    from storytrace.stages.dates.printed import find_dates
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import read_path

    if target == "dates":
        text = data.decode("utf-8", "replace")
        for match in find_dates(text):
            assert text[match.start : match.end] == match.value.evidence[0].snippet
        return
    suffix = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "feed": ".rss", "warc": ".warc"}[
        target
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(data)
        for item in read_path(str(path), IngestConfig()):
            result = (
                process(item, AnalyzeConfig(doc_timeout_s=10))
                if isinstance(item, RawInput)
                else item
            )
            if isinstance(result, Diagnostic) and result.code == "ST210":
                raise AssertionError(result.message)


def _seed_corpus(target: str) -> Path:
    corpus = ROOT / "tests" / "fuzz" / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    if not any(corpus.iterdir()):
        for seed in sorted((ROOT / "examples" / "seeds").glob("*.txt"))[:3]:
            text = seed.read_bytes()
            sample = {"html": b"<html><body><p>" + text[:2000] + b"</p></body></html>",
                      "jsonl": b'{"text": "' + text[:500].replace(b'"', b"'").replace(b"\n", b"\\n") + b'"}\n'}  # fmt: skip
            (corpus / seed.name).write_bytes(sample.get(target, text[:3000]))
    return corpus


def run_target(target: str, args: list[str]) -> int:
    """Fuzz one target in this process (atheris takes over until it stops)."""
    import atheris

    # Third-party code is imported first, so that only storytrace's own modules
    # are instrumented: instrumenting lxml/trafilatura/numpy too costs a minute
    # of start-up per target and guides the fuzzer into code we do not own.
    import charset_normalizer  # noqa: F401
    import feedparser  # noqa: F401
    import lxml.html  # noqa: F401
    import numpy  # noqa: F401
    import trafilatura  # noqa: F401
    import warcio  # noqa: F401

    with atheris.instrument_imports(include=["storytrace"]):
        import storytrace.pipeline.run
        import storytrace.stages.dates.printed
        import storytrace.stages.ingest.files  # noqa: F401

    regressions = ROOT / "tests" / "fuzz" / "regressions" / target
    regressions.mkdir(parents=True, exist_ok=True)
    corpus = _seed_corpus(target)
    argv = [
        sys.argv[0],
        *args,
        f"-artifact_prefix={regressions}/",
        "-rss_limit_mb=4096",
        "-timeout=30",
        str(corpus),
    ]
    atheris.Setup(argv, lambda data: check(target, data))
    atheris.Fuzz()
    return 0


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in (*TARGETS, "all"):
        print(__doc__)
        return 2
    if sys.argv[1] != "all":
        return run_target(sys.argv[1], sys.argv[2:])
    seconds = sys.argv[sys.argv.index("--seconds") + 1] if "--seconds" in sys.argv else "30"
    failed = 0
    for target in TARGETS:
        cmd = [
            sys.executable,
            __file__,
            target,
            f"-max_total_time={seconds}",
            "-print_final_stats=1",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True)
        runs = [
            line for line in done.stderr.splitlines() if "stat::number_of_executed_units" in line
        ]
        print(
            f"{target:6} exit {done.returncode}  {runs[-1].split(':')[-1].strip() if runs else '?'} executions"
        )
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
