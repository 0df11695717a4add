"""Extreme inputs from the hostile-input issue: giant lines, deep nesting, floods of quotation marks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.run import process
from storytrace.records import Diagnostic, Document, RawInput, SourceRef
from storytrace.stages.ingest.decode import content_hash

CONFIG = replace(AnalyzeConfig(), doc_timeout_s=60)

CASES = {
    "giant_single_line_text": ("text", "word " * 1_000_000),
    "giant_single_line_html": (
        "html",
        "<html><body><p>" + "word " * 1_000_000 + "</p></body></html>",
    ),
    "deeply_nested_html": (
        "html",
        "<div>" * 10_000 + "<p>Deep text of the article, said officials.</p>" + "</div>" * 10_000,
    ),
    "unclosed_tags": ("html", "<html><body>" + "<p><b><i>unclosed " * 5_000),
    "quote_flood": ("text", "“" * 50_000 + " said the official. " + "”" * 3),
    "nul_and_controls": ("text", "Line one.\x00\x01\x02\n" * 10_000),
    "rtl_and_combining": ("text", ("\u202eمرحبا بالعالم\u0301\u0301 said " * 2_000) + "\n"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CASES))
def test_extremes_give_a_document_or_a_clean_diagnostic(name: str) -> None:
    fmt, content = CASES[name]
    raw = RawInput(SourceRef(name), fmt, text=content if fmt == "text" else None,
                   html=content if fmt == "html" else None, content_hash=content_hash(content))  # fmt: skip
    result = process(raw, CONFIG)
    assert isinstance(result, Document | Diagnostic)
    if isinstance(result, Diagnostic):
        assert result.code in ("ST213", "ST209"), (
            result.message
        )  # timed out or empty; never a crash


@pytest.mark.slow
def test_extremes_100_mb_single_line_is_refused_by_size_not_read(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A 100 MB one-line page is reported (ST205) without being read into memory."""
    import resource

    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import read_path

    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        for _ in range(100):
            out.write(b"word " * 209_716)  # ~1 MiB a chunk, no newline anywhere
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    (result,) = list(read_path(str(path), IngestConfig()))
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert isinstance(result, Diagnostic) and result.code == "ST205"
    assert grown_kb < 50_000  # well under the file's 100 MB
