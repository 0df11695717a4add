"""Property-based tests (hypothesis): hostile input never crashes, hangs or escapes.

Random bytes, invalid UTF-8, mixed encodings, BOMs, NUL bytes, RTL and combining
characters, unbalanced quotation marks: each reader, the date parser, the
cleaners and the renderers must return a result (a record or a diagnostic),
never raise. A failing example hypothesis finds is kept as a regression case in
tests/fuzz/regressions/ (see test_regressions.py).
"""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.pipeline.run import process
from storytrace.records import Diagnostic, Document, RawInput, SourceRef
from storytrace.report import render
from storytrace.stages.dates.printed import find_dates
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.decode import content_hash, normalise_text
from storytrace.stages.ingest.files import read_path

FAST = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Text that looks like news pages gone wrong: quotes of every style, RTL, combining
# marks, NULs, control characters, markup and very long words.
NASTY = st.sampled_from(
    ["“", "”", '"', "‘", "’", "«", "»", "„", "\u202e", "\u200f", "\u0301", "\x00", "\x0b", "\r", "\n", "\n\n",
     "<script>", "</p>", "&amp;", "©", "By ", "Apr 9, 2025", "Views: 12", "Share", "شبكة", "Ссылка", "a" * 300]
)  # fmt: skip
NEWSY = st.lists(st.one_of(st.text(max_size=40), NASTY), max_size=60).map("".join)


@FAST
@given(
    data=st.binary(max_size=4000),
    suffix=st.sampled_from([".txt", ".html", ".jsonl", ".rss", ".warc"]),
)
def test_fuzz_readers_never_raise_on_random_bytes(
    tmp_path_factory, data: bytes, suffix: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fz") / f"x{suffix}"
    path.write_bytes(data)
    results = list(read_path(str(path), IngestConfig()))
    assert all(isinstance(r, RawInput | Diagnostic) for r in results)


@FAST
@given(text=NEWSY, encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig", "cp1252", "latin-1"]))
def test_fuzz_text_in_any_encoding_reads_or_reports(
    tmp_path_factory, text: str, encoding: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("fz") / "x.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    for result in read_path(str(path), IngestConfig()):
        if isinstance(result, RawInput):
            assert result.text == normalise_text(result.text or "")


@FAST
@given(text=NEWSY)
def test_fuzz_dates_spans_point_at_their_snippets(text: str) -> None:
    for match in find_dates(text):
        assert text[match.start : match.end] == match.value.evidence[0].snippet


@FAST
@given(text=NEWSY)
def test_fuzz_pipeline_returns_a_document_or_a_diagnostic(text: str) -> None:
    raw = RawInput(
        SourceRef("f.txt"), "text", text=normalise_text(text), content_hash=content_hash(text)
    )
    result = process(raw, AnalyzeConfig())
    assert isinstance(result, Document | Diagnostic)
    if isinstance(result, Diagnostic):
        assert result.code != "ST210", result.message  # a crash in a stage is a bug
    else:
        for seg in result.segments:
            if seg.is_body and seg.text_start is not None:
                piece = result.page_text[seg.start : seg.end]
                assert result.text[seg.text_start : seg.text_start + len(piece)] == piece


@FAST
@given(text=NEWSY)
def test_fuzz_html_pipeline_never_crashes(text: str) -> None:
    html = f"<html><head><title>{text[:80]}</title></head><body><p>{text}</p><div><p>{text[::-1]}</p></div></body></html>"
    raw = RawInput(SourceRef("f.html"), "html", html=html, content_hash=content_hash(html))
    result = process(raw, AnalyzeConfig())
    assert isinstance(result, Document | Diagnostic)
    assert not (isinstance(result, Diagnostic) and result.code == "ST210"), getattr(
        result, "message", ""
    )


@pytest.mark.model
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(title=NEWSY, body=NEWSY)
def test_fuzz_rendered_html_never_contains_raw_markup_from_input(
    tmp_path_factory, title: str, body: str
) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fz")
    text = "An opening paragraph of the article says something.\n\n" + body + " <script>x</script>"
    (folder / "a.jsonl").write_text(
        json.dumps({"text": text, "title": title + "<b>", "author": "<i>x</i>"}) + "\n"
    )
    try:
        data = api.to_json_data(api.analyze([folder]))
    except api.InputError:
        return
    page = render.render_html(data)
    # the page's own two: its one script, and the search index as inert JSON
    assert re.findall(r"<script\b[^>]*>", page) == [
        '<script type="application/json" id="search-index">',
        "<script>",
    ]
    assert "<script>x" not in page
    assert "<b>" not in page and "<i>x</i>" not in page
    markdown = render.render_markdown(data)
    assert "<script" not in markdown and "<b>" not in markdown


@pytest.mark.model
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts=st.lists(NEWSY, min_size=1, max_size=3))
def test_fuzz_extractors_entities_and_quotes_never_crash(texts: list[str]) -> None:
    """The spaCy-based extractors on hostile text: spans in range, no stage failure."""
    from tests.helpers import body_document

    from storytrace.stages.entities.extract import EntityConfig
    from storytrace.stages.parse import attribute
    from storytrace.stages.quotes.extract import QuoteConfig

    docs = [body_document(normalise_text(t) or "x", f"{i:016x}") for i, t in enumerate(texts)]
    result = attribute(docs, EntityConfig(), QuoteConfig())
    assert result.diagnostics == ()
    lengths = {d.doc_id: len(d.text) for d in docs}
    for quote in result.quotes:
        assert all(0 <= s.start <= s.end <= lengths[quote.doc_id] for s in quote.content_spans)
    for entity in result.entities:
        assert all(0 <= m.start < m.end <= lengths[m.doc_id] for m in entity.mentions)
