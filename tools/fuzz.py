"""Coverage-guided fuzzing (atheris / libFuzzer) of the readers, cleaners and extractors.

    .venv/bin/python tools/fuzz.py TARGET [-max_total_time=60] [-runs=N]    # one target
    .venv/bin/python tools/fuzz.py all --seconds 30                           # every target, N seconds each

Targets: text (text-dump pipeline), html (HTML pipeline), jsonl, feed, warc
(reader + pipeline), dates, timex (the time-expression tagger: the first byte picks
a publication date, or none, the rest is text); and the readers alone, fast enough for a million
executions each: read-warc, read-warc.gz, read-html.gz, read-jsonl, read-jsonl.gz,
read-rss (``python tools/fuzz.py read-warc -runs=1000000``). Each input either gives a document or a diagnostic; anything
else (an uncaught exception, a stage crash ST210) is a finding: libFuzzer writes
it as ``crash-*`` into tests/fuzz/regressions/TARGET/, where
tests/fuzz/test_regressions.py replays it on every test run. The corpus grows in
tests/fuzz/corpus/TARGET/ (seeded from examples/seeds; timex from TIMEX_SEEDS).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIPELINE_TARGETS = ("text", "html", "jsonl", "feed", "warc", "dates", "timex")
#: Reader-only targets: the file suffix each input is written with.
READER_TARGETS = {
    "read-warc": ".warc",
    "read-warc.gz": ".warc.gz",
    "read-html.gz": ".html.gz",
    "read-jsonl": ".jsonl",
    "read-jsonl.gz": ".jsonl.gz",
    "read-rss": ".rss",
}
TARGETS = (*PIPELINE_TARGETS, *READER_TARGETS)


def check_reader(target: str, data: bytes) -> None:
    """Read one input with a reader alone: documents or diagnostics, never an exception."""
    from storytrace.records import Diagnostic, RawInput
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import read_path

    path = _scratch() / f"input{READER_TARGETS[target]}"
    path.write_bytes(data)
    for item in read_path(str(path), IngestConfig()):
        assert isinstance(item, RawInput | Diagnostic), type(item)


#: Publication dates the ``timex`` target resolves against (its input's first byte
#: picks one): none, leap days, year ends and the ends of ``datetime``'s range.
TIMEX_DCTS: tuple[tuple[int, int, int] | None, ...] = (
    None,
    (2025, 4, 8),
    (2024, 2, 29),
    (2023, 2, 28),
    (2023, 3, 1),
    (2025, 12, 31),
    (2026, 1, 1),
    (2000, 2, 29),
    (1900, 2, 28),
    (1900, 1, 1),
    (2100, 2, 28),
    (2100, 12, 31),
    (9999, 12, 31),
    (9999, 1, 1),
    (1, 1, 1),
    (1, 12, 31),
    (1999, 12, 27),
    (2009, 10, 2),
)
#: Date-heavy sentences that seed the ``timex`` corpus (the corpus folder is not kept).
TIMEX_SEEDS = (
    "The deal closed on Feb. 29, officials said.",
    "Sales fell in the week of Dec. 31 and in Q4 of fiscal 2009.",
    "The alarm rang at 10:30 p.m. Feb. 30 and again at 3 a.m. Monday.",
    "It will open in the first half of next year, after the 1990s boom.",
    "The form was dated 12/31/99; payment is due on the 31st.",
    "Police said last Sunday that the weekend was calm.",
    "On Feb. 29 2023, the board met; on Sept. 31 it met again.",
    "The second quarter of this fiscal year ended June 30, two weeks ago.",
    "He will testify next Tuesday, the day after Christmas Day, at noon.",
    "Between 1900 and 2100, in the summer of 9999 and in year 0001.",
    "Earlier this month, on the 29th, and later this year, by the end of 2024.",
    "The shares rose 3% on Monday, Jan. 1, at 25:61 GMT, three years ago.",
)


_SCRATCH: list[Path] = []


def _scratch() -> Path:
    """One scratch folder per fuzzing process (a folder per input halves the rate)."""
    if not _SCRATCH:
        shm = "/dev/shm" if Path("/dev/shm").is_dir() else None  # memory, not disk
        _SCRATCH.append(Path(tempfile.mkdtemp(prefix="storytrace-fuzz-", dir=shm)))
    return _SCRATCH[0]


def check(target: str, data: bytes) -> None:
    """Run one input through a target; raise on a finding."""
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.pipeline.run import process
    from storytrace.records import Diagnostic, RawInput
    from storytrace.stages.dates.printed import find_dates
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import read_path

    if target in READER_TARGETS:
        check_reader(target, data)
        return
    if target == "dates":
        text = data.decode("utf-8", "replace")
        for match in find_dates(text):
            assert text[match.start : match.end] == match.value.evidence[0].snippet
        return
    if target == "timex":
        check_timex(data)
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


def check_timex(data: bytes) -> None:
    """Tag one text against the publication date its first byte picks: spans, never an exception."""
    from datetime import date

    from storytrace.stages.dates.inferred import sentence_bounds, sentence_spans
    from storytrace.stages.dates.timex import find_time_expressions

    picked = TIMEX_DCTS[data[0] % len(TIMEX_DCTS)] if data else None
    dct = date(*picked) if picked else None
    text = data[1:].decode("utf-8", "replace")
    for found in find_time_expressions(text, dct):
        assert 0 <= found.start < found.end <= len(text), (found.start, found.end)
        assert text[found.start : found.end] == found.text, (found.text, found.start)
        if found.interval is not None and found.interval.known:
            low, high = found.interval.earliest, found.interval.latest
            assert low is None or high is None or low <= high, (found.text, found.value)
        left, right = sentence_bounds(text, found.start, found.end)
        assert 0 <= left <= found.start and right <= len(text), (left, right)
    for left, right in sentence_spans(text):
        assert 0 <= left < right <= len(text)


def _reader_seeds(target: str, text: bytes) -> bytes:
    """A valid input for a reader-only target, built from a seed's text."""
    import gzip
    import io
    import json

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    page = b"<html><head><title>t</title></head><body><p>" + text[:1500] + b"</p></body></html>"
    kind = READER_TARGETS[target].removesuffix(".gz")
    if kind == ".warc":
        out = io.BytesIO()
        writer = WARCWriter(out, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            "http://example.com/a", "response", payload=io.BytesIO(page), http_headers=headers
        )
        writer.write_record(record)
        data = out.getvalue()
    elif kind == ".jsonl":
        line = json.dumps({"id": "a", "text": text[:800].decode("utf-8", "replace")})
        data = (line + "\n" + line.replace('"a"', '"b"') + "\n").encode()
    elif kind == ".rss":
        body = text[:500].decode("utf-8", "replace").replace("&", "&amp;").replace("<", "&lt;")
        data = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>n</title><item>'
            f"<title>t</title><link>http://example.com/a</link><description>{body}"
            "</description></item></channel></rss>"
        ).encode()
    else:
        data = page
    return gzip.compress(data, mtime=0) if READER_TARGETS[target].endswith(".gz") else data


def _seed_corpus(target: str) -> Path:
    corpus = ROOT / "tests" / "fuzz" / "corpus" / target
    corpus.mkdir(parents=True, exist_ok=True)
    if target == "timex" and not any(corpus.iterdir()):
        for number, sentence in enumerate(TIMEX_SEEDS):
            first = bytes([number % len(TIMEX_DCTS)])
            (corpus / f"seed-{number:02d}").write_bytes(first + sentence.encode())
    if target in READER_TARGETS and not any(corpus.iterdir()):
        for seed in sorted((ROOT / "examples" / "seeds").glob("*.txt"))[:3]:
            (corpus / seed.name).write_bytes(_reader_seeds(target, seed.read_bytes()))
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
        import storytrace.stages.dates.inferred
        import storytrace.stages.dates.printed
        import storytrace.stages.dates.timex
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
            f"{target:13} exit {done.returncode}  {runs[-1].split(':')[-1].strip() if runs else '?'} executions"
        )
        failed += done.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
