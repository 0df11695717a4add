"""Readers: plain text in any common encoding, HTML, gzip, JSONL, folders, globs, and every error case."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from storytrace.errors import Reason
from storytrace.records import Diagnostic, RawInput, SourceRef
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.decode import decode_bytes, normalise_text
from storytrace.stages.ingest.files import iter_inputs, parse_jsonl_record

ARTICLE = "Iran has delivered long-range missiles to militias in Iraq, the Times reported.\n"


def _read(
    tmp_path: Path, name: str, data: bytes, config: IngestConfig | None = None
) -> list[RawInput | Diagnostic]:
    path = tmp_path / name
    path.write_bytes(data)
    return list(iter_inputs([str(path)], config or IngestConfig()))


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("cp1252", b""),
    ],
)
def test_ingest_reads_text_in_common_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "Café owner said “no comment” — Tehran.\r\nSecond line.\r\n"
    (result,) = _read(tmp_path, "a.txt", bom + text.encode(encoding))
    assert isinstance(result, RawInput)
    assert result.text == "Café owner said “no comment” — Tehran.\nSecond line.\n"
    assert result.format == "text"


def test_ingest_normalises_newlines_nul_and_nfc() -> None:
    assert normalise_text("a\r\nb\rc\x00d\ufeffe\u0065\u0301") == "a\nb\ncde\u00e9"


def test_ingest_reads_html_and_gzipped_html(tmp_path: Path) -> None:
    html = b"<html><body><p>Hello</p></body></html>"
    (plain,) = _read(tmp_path, "a.html", html)
    (zipped,) = _read(tmp_path, "b.html.gz", gzip.compress(html))
    assert isinstance(plain, RawInput) and isinstance(zipped, RawInput)
    assert plain.html == zipped.html == html.decode()
    assert plain.content_hash == zipped.content_hash


def test_ingest_reads_jsonl_fields_and_reports_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "text": ARTICLE,
                "url": "https://example.org/a",
                "title": "T",
                "outlet": "Example",
                "author": "A B",
                "published": "2025-04-09",
            }
        ),
        "{not json",
        json.dumps({"html": "<p>x</p>", "headline": "H"}),
        json.dumps({"url": "no body"}),
        json.dumps([1, 2]),
        "",
    ]
    results = _read(tmp_path, "feed.jsonl", "\n".join(lines).encode())
    first, bad, html, nobody, notobj = results
    assert isinstance(first, RawInput) and first.url == "https://example.org/a"
    assert first.field("published") == "2025-04-09" and first.field("outlet") == "Example"
    assert isinstance(html, RawInput) and html.format == "html" and html.field("title") == "H"
    for diag, line in ((bad, 2), (nobody, 4), (notobj, 5)):
        assert isinstance(diag, Diagnostic) and diag.code == Reason.BAD_RECORD.value
        assert diag.source.endswith(f"[line {line}]")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", Reason.EMPTY),
        ("blank.txt", b"  \n\t\n", Reason.EMPTY),
        ("binary.txt", bytes(range(256)) * 8, Reason.BINARY),
        ("picture.html", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, Reason.BINARY),
        ("notes.docx", b"PK\x03\x04", Reason.UNSUPPORTED),
        ("broken.html.gz", b"\x1f\x8b\x08\x00garbage", Reason.MALFORMED),
    ],
)
def test_ingest_reports_bad_files_by_name_and_reason(
    tmp_path: Path, name: str, data: bytes, reason: Reason
) -> None:
    (result,) = _read(tmp_path, name, data)
    assert isinstance(result, Diagnostic)
    assert result.code == reason.value
    assert name in result.source


def test_ingest_refuses_files_over_the_size_limit(tmp_path: Path) -> None:
    (result,) = _read(tmp_path, "big.txt", b"word " * 100, IngestConfig(max_bytes=100))
    assert isinstance(result, Diagnostic) and result.code == Reason.TOO_LARGE.value


def test_ingest_refuses_gzip_bombs_without_inflating_them(tmp_path: Path) -> None:
    (result,) = _read(
        tmp_path, "bomb.html.gz", gzip.compress(b"a" * 5_000), IngestConfig(max_bytes=1_000)
    )
    assert isinstance(result, Diagnostic) and result.code == Reason.TOO_LARGE.value


def test_ingest_reports_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    results = list(
        iter_inputs(
            [str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(tmp_path / "*.zzz")],
            IngestConfig(),
        )
    )
    assert [r.code for r in results if isinstance(r, Diagnostic)] == [
        Reason.NOT_FOUND.value,
        Reason.NOTHING_READABLE.value,
        Reason.NOTHING_READABLE.value,
    ]


def test_ingest_walks_folders_recursively_in_sorted_order_once(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    for rel in ("b/2.txt", "1.html", "b/skip.pdf", ".hidden/x.txt"):
        (tmp_path / rel).write_text(ARTICLE)
    specs = [str(tmp_path), str(tmp_path / "1.html"), str(tmp_path / "**" / "*.txt")]
    results = list(iter_inputs(specs, IngestConfig()))
    assert [Path(r.source.path).name for r in results if isinstance(r, RawInput)] == [
        "1.html",
        "2.txt",
    ]


def test_ingest_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text(ARTICLE)
    results = list(iter_inputs([str(tmp_path)], IngestConfig()))
    assert isinstance(results[0], Diagnostic) and isinstance(results[1], RawInput)


def test_ingest_decode_gives_up_cleanly_on_undecodable_bytes() -> None:
    assert decode_bytes(b"\xff\xfe\x00\xd8") is None  # UTF-16 BOM with a lone surrogate


def test_ingest_jsonl_record_ids_depend_on_content_and_fields() -> None:
    a = parse_jsonl_record(SourceRef("f", "line 1"), json.dumps({"text": ARTICLE}))
    b = parse_jsonl_record(SourceRef("g", "line 9"), json.dumps({"text": ARTICLE}))
    c = parse_jsonl_record(
        SourceRef("f", "line 1"), json.dumps({"text": ARTICLE, "url": "https://x.org"})
    )
    assert isinstance(a, RawInput) and isinstance(b, RawInput) and isinstance(c, RawInput)
    assert a.content_hash == b.content_hash != c.content_hash


def test_ingest_a_malformed_file_is_a_diagnostic_and_the_run_goes_on(tmp_path: Path) -> None:
    # One flipped bit in a gzip stream (zlib.error or a CRC failure) and a WARC record
    # with no headers (an AttributeError inside warcio): each is that file's diagnostic.
    import gzip

    from storytrace.errors import Reason
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import iter_inputs

    good = "A sentence of a perfectly ordinary article about a flood in the valley.\n"
    (tmp_path / "a_good.txt").write_text(good)
    broken = bytearray(gzip.compress(good.encode() * 50))
    broken[len(broken) // 2] ^= 0x40
    (tmp_path / "b_flip.html.gz").write_bytes(bytes(broken))
    (tmp_path / "c_tiny.warc").write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\n\r\n")
    results = list(iter_inputs([str(tmp_path)], IngestConfig()))
    codes = [getattr(r, "code", "doc") for r in results]
    assert codes == ["doc", Reason.MALFORMED.value, Reason.MALFORMED.value], results


def test_ingest_reads_only_regular_files_and_ends_on_symlink_loops(tmp_path: Path) -> None:
    # A FIFO would block forever, /dev/zero reads until memory runs out, and two
    # symlink loops under a '**' glob never ended: each is refused or skipped.
    import os

    from storytrace.errors import Reason
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import expand_paths

    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.txt").write_text("An article.")
    (tmp_path / "a" / "b" / "loop1").symlink_to("..")
    (tmp_path / "a" / "b" / "loop2").symlink_to("../..")
    os.mkfifo(tmp_path / "a" / "fifo.txt")
    (tmp_path / "a" / "zero.txt").symlink_to("/dev/zero")
    for spec in (f"{tmp_path}/**/*.txt", str(tmp_path / "a"), str(tmp_path / "a" / "fifo.txt")):
        found = list(expand_paths([spec], IngestConfig()))
        files = [f for f in found if isinstance(f, str)]
        refused = {Path(d.source).name for d in found if not isinstance(d, str)}
        assert all(d.code == Reason.UNSUPPORTED.value for d in found if not isinstance(d, str))
        if spec.endswith("fifo.txt"):
            assert files == [] and refused == {"fifo.txt"}
        else:
            assert files == [str(tmp_path / "a" / "b" / "x.txt")]
            assert refused == {"fifo.txt", "zero.txt"}


def test_ingest_a_jsonl_line_over_the_limit_is_skipped_and_the_next_lines_read(
    tmp_path: Path,
) -> None:
    import gzip

    from storytrace.errors import Reason
    from storytrace.stages.ingest.config import IngestConfig
    from storytrace.stages.ingest.files import iter_inputs

    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write(b'{"text": "The first article."}\n')
        out.write(b'{"text": "' + b"a" * 300_000 + b'"}\n')
        out.write(b'{"text": "The third article."}\n')
    results = list(iter_inputs([str(path)], IngestConfig(max_bytes=100_000)))
    assert [r.code if hasattr(r, "code") else r.text for r in results] == [
        "The first article.",
        Reason.TOO_LARGE.value,
        "The third article.",
    ]
    assert results[1].source.endswith("[line 2]")
