"""HTML and Markdown reports: self-contained, every section present, hostile text escaped."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from pathlib import Path

import pytest

from storytrace import api
from storytrace.report import render
from storytrace.report.render import SECTION_TITLES

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&</textarea>`**bold**` [x](javascript:alert(3))"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    folder = tmp_path_factory.mktemp("hostile")
    record = {
        "text": f"Officials said the plan was {PAYLOAD} and more.\n\nA second paragraph of article text follows here.",
        "title": PAYLOAD, "outlet": PAYLOAD, "author": PAYLOAD, "url": "javascript:alert(4)", "published": "2025-04-09",
    }  # fmt: skip
    (folder / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    return api.to_json_data(api.analyze([folder]))


def test_render_html_escapes_article_text_everywhere(hostile: dict) -> None:  # type: ignore[type-arg]
    page = render.render_html(hostile)
    assert len(re.findall(r"<script\b", page)) == 1, "only storytrace's own script may appear"
    assert "<img" not in page and "onerror=alert" not in page.replace("onerror=alert(2)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


def test_render_html_pins_its_only_script_with_a_csp_hash(hostile: dict) -> None:  # type: ignore[type-arg]
    page = render.render_html(hostile)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert f"'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_render_html_is_self_contained(seeds_dir: Path) -> None:
    page = render.render_html(api.to_json_data(api.analyze([seeds_dir])))
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page), "no network at view time"
    assert "<link" not in page


def test_render_html_says_which_sections_were_not_computed(seeds_dir: Path) -> None:
    data = api.to_json_data(api.analyze([seeds_dir]))
    page = render.render_html(data)
    for name, title in SECTION_TITLES.items():
        assert f'id="{name}"' in page and title in page
    absent = [name for name, state in data["sections"].items() if state == "not_computed"]
    assert absent, "the test needs at least one section not computed"
    assert page.count("Not computed in this run.") == len(absent)
    assert "Not computed in this run: " + SECTION_TITLES[absent[0]] in page


def test_render_html_keeps_removed_boilerplate_viewable(seeds_dir: Path) -> None:
    data = api.to_json_data(api.analyze([seeds_dir]))
    page = render.render_html(data)
    assert "Latest News from Worthy News" in page
    assert 'class="removed"' in page and "Show removed boilerplate" in page


def test_render_markdown_escapes_html_and_markdown(hostile: dict) -> None:  # type: ignore[type-arg]
    text = render.render_markdown(hostile)
    assert "<script" not in text and "<img" not in text
    assert "](javascript:" not in text


def test_render_markdown_lists_documents_and_sections(seeds_dir: Path) -> None:
    data = api.to_json_data(api.analyze([seeds_dir]))
    text = render.render_markdown(data)
    assert text.count("\n### ") == 5 + len(data["stories"])  # one heading per article and story
    for title in SECTION_TITLES.values():
        assert f"## {title}" in text


@pytest.mark.parametrize(
    ("value", "escaped"),
    [("a*b", r"a\*b"), ("<x>", "&lt;x&gt;"), ("[l](u)", r"\[l\]\(u\)"), (None, "")],
)
def test_render_md_escape(value: str | None, escaped: str) -> None:
    assert render.md_escape(value) == escaped
