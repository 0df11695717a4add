"""Record-aligned splits: read split by split, a file gives exactly what the whole-file reader gives."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import pytest
from bench.warcgen import write_warc

from storytrace.pipeline.engine import DaskConfig, plan_tasks
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.files import read_path
from storytrace.stages.ingest.splits import FileSplit, _next_member, plan_splits, read_split

CONFIG = IngestConfig(max_bytes=2_000)


def _page(i: int) -> tuple[str, str]:
    words = " ".join(f"word{i}x{j}" for j in range(20 + 37 * (i % 5)))
    return f"https://news.example.org/{i}", f"<html><body><p>Report {i}: {words}.</p></body></html>"


def _whole(path: Path) -> list[str]:
    return [_key(item) for item in read_path(str(path), CONFIG)]


def _key(item: object) -> str:
    # An input by its source and content; a diagnostic by its source and code.
    return (
        f"{getattr(item, 'source', '')}|{getattr(item, 'content_hash', getattr(item, 'code', ''))}"
    )


def _by_splits(splits: list[FileSplit]) -> list[str]:
    return [_key(item) for split in splits for item in read_split(split, CONFIG)]


def _covers(splits: list[FileSplit], size: int) -> bool:
    ends = [s.end for s in splits]
    return splits[0].start == 0 and ends[-1] == size and [s.start for s in splits[1:]] == ends[:-1]


@pytest.fixture
def warc(tmp_path: Path) -> Path:
    path = tmp_path / "pages.warc.gz"
    write_warc(path, [_page(i) for i in range(12)])
    return path


@pytest.mark.parametrize("every", [1, 300, 700, 2_000, 5_000])
def test_ingest_splits_warc_gz_read_split_by_split_equals_the_whole_file(
    warc: Path, every: int
) -> None:
    size = warc.stat().st_size
    splits = plan_splits(str(warc), every)
    assert splits is not None and _covers(splits, size)
    assert len(splits) == (12 if every == 1 else len(splits)) and len(splits) > 1
    assert _by_splits(splits) == _whole(warc)
    assert all(len(list(read_split(s, CONFIG))) >= 1 for s in splits)


def test_ingest_splits_only_large_splittable_files(warc: Path, tmp_path: Path) -> None:
    assert plan_splits(str(warc), warc.stat().st_size) is None
    assert plan_splits(str(warc), 0) is None
    plain = tmp_path / "pages.warc"
    write_warc(plain, [_page(i) for i in range(12)], gzip=False)
    assert plan_splits(str(plain), 100) is None  # cannot be entered at a record boundary
    # Gzipped as one member: no member past byte 0, so one range, read as before.
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    assert plan_splits(str(whole), 100) is None
    assert plan_splits(str(tmp_path / "missing.jsonl"), 1) is None


def test_ingest_splits_gzip_magic_inside_data_is_not_a_record(warc: Path, tmp_path: Path) -> None:
    members = warc.read_bytes()
    second = _next_member(warc.open("rb"), 1, len(members))
    assert second is not None
    # The magic bytes followed by garbage, and a valid gzip member that is not a
    # WARC record, both before a real record: the search skips them.
    junk = b"\x1f\x8b\x08garbage" + gzip.compress(b"not a record") + b"\x00" * 10
    path = tmp_path / "junk.bin"
    path.write_bytes(junk + members[second:])
    with path.open("rb") as handle:
        assert _next_member(handle, 0, path.stat().st_size) == len(junk)
        assert _next_member(handle, 0, len(junk)) is None
    assert zlib.decompressobj(31).decompress(members[second:], 5) == b"WARC/"


def _jsonl(tmp_path: Path) -> Path:
    lines = [
        json.dumps({"text": f"Article {i}. " + "word " * (i * 7), "url": f"u{i}"}) for i in range(9)
    ]
    lines[3] = "{not json"
    lines[5] = ""
    lines[7] = json.dumps({"text": "x" * 3_000})  # over max_bytes: reported, not read
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_ingest_splits_jsonl_keep_line_numbers_at_every_cut(tmp_path: Path) -> None:
    path = _jsonl(tmp_path)
    size = path.stat().st_size
    whole = _whole(path)
    assert any("[line 9]" in key for key in whole) and any("ST205" in key for key in whole)
    last_line = path.read_bytes().rstrip(b"\n").rfind(b"\n") + 1
    for every in range(1, size):
        splits = plan_splits(str(path), every)
        if every > last_line:  # the first cut falls inside the last line: one range
            assert splits is None, every
            continue
        assert splits is not None and _covers(splits, size), every
        assert _by_splits(splits) == whole, every


def test_ingest_splits_jsonl_without_final_newline(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"text": f"Article number {i}."}) for i in range(5)))
    for every in range(1, path.read_bytes().rfind(b"\n") + 1):
        splits = plan_splits(str(path), every)
        assert splits is not None and _by_splits(splits) == _whole(path), every


def test_ingest_splits_tasks_cover_every_input_largest_first(warc: Path, tmp_path: Path) -> None:
    small = []
    for i in range(5):
        small.append(tmp_path / f"{i}.txt")
        small[-1].write_text(f"Short article {i}.")
    files = [str(p) for p in small] + [str(warc)]
    tasks, split = plan_tasks(files, DaskConfig(files_per_task=2, split_bytes=1_000))
    assert split == {str(warc)}
    pieces = [item for task in tasks for item in task]
    assert sorted(p for p in pieces if isinstance(p, str)) == sorted(files[:5])
    splits = [p for p in pieces if isinstance(p, FileSplit)]
    assert _covers(sorted(splits, key=lambda s: s.start), warc.stat().st_size)
    assert all(len(task) == 1 for task in tasks if isinstance(task[0], FileSplit))
    # Every split (~1 KB and more) before the small-file tasks (a few bytes).
    assert all(isinstance(task[0], FileSplit) for task in tasks[: len(splits)])
