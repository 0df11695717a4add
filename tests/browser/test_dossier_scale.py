"""A 1,000-article dossier in Chromium: index first, search, filters, phones.

Which 1,000 articles:

* by default (CI), the seed dossier replicated to 1,000 articles in 50 stories
  (``bench.report.synthetic_dossier``) -- real analysis output, no extra model run;
* ``STORYTRACE_SCALE_ECB=1``: every ECB+ article of ``../shared/data/ecbplus-stories``
  plus reprints up to 1,000 (``ecb_corpus.py``), analysed with ``storytrace analyze``
  as a user runs it (tens of minutes on two cores);
* ``STORYTRACE_ECB_OUT=DIR``: the ``dossier.json`` of such a run, already made.

The HTML is always rendered from the JSON by the code under test.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.report import ReportBenchConfig, synthetic_dossier
from tests.browser.ecb_corpus import write_corpus

from storytrace import api
from storytrace.records import Dossier
from storytrace.report import render

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]

ARTICLES = 1000


@pytest.fixture(scope="module")
def scale(
    tmp_path_factory: pytest.TempPathFactory, seed_dossier: Dossier
) -> tuple[Path, dict[str, Any]]:
    """The 1,000-article dossier: its HTML page and its JSON data."""
    folder = tmp_path_factory.mktemp("ecb1000")
    cached = os.environ.get("STORYTRACE_ECB_OUT")
    if cached and (Path(cached) / "dossier.json").is_file():
        out = Path(cached)
    elif not os.environ.get("STORYTRACE_SCALE_ECB"):
        data = synthetic_dossier(api.to_json_data(seed_dossier), ReportBenchConfig(ARTICLES))
        out = folder / "synthetic"
        out.mkdir()
        (out / "dossier.json").write_text(json.dumps(data), encoding="utf-8")
    else:
        corpus = write_corpus(folder / "ecb1000.jsonl", ARTICLES)
        out = folder / "out"
        result = subprocess.run(
            [sys.executable, "-m", "storytrace", "analyze", str(corpus), "--out", str(out), "--quiet"],
            capture_output=True, text=True, timeout=3600, env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((out / "dossier.json").read_text(encoding="utf-8"))
    assert len(data["documents"]) == ARTICLES
    page = folder / "dossier.html"
    page.write_text(render.render_html(data), encoding="utf-8")
    return page, data


@pytest.fixture
def opened(browser: Any, scale: tuple[Path, dict[str, Any]]) -> Iterator[tuple[Any, list[str]]]:
    """The page at desktop width, and the errors its console reports."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(scale[0].as_uri())
    yield page, errors
    page.close()


def _busiest_table(page: Any) -> Any:
    """The claims table with the most rows, its story opened."""
    table_id = page.evaluate(
        "() => { let best = null, n = -1; document.querySelectorAll('table.claims').forEach(t => {"
        " if (t.tBodies[0].rows.length > n) { n = t.tBodies[0].rows.length; best = t.id; } }); return best; }"
    )
    assert table_id, "the dossier has a claims table"
    page.evaluate(
        "(id) => document.getElementById(id).closest('details.story').open = true", table_id
    )
    return page.locator(f"table.claims[id='{table_id}']")


def _visible_rows(table: Any) -> int:
    return int(
        table.evaluate(
            "t => Array.from(t.tBodies[0].rows).filter(r => r.getClientRects().length > 0).length"
        )
    )


def test_scale_first_screen_shows_the_story_index(
    opened: tuple[Any, list[str]], scale: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    page, errors = opened
    heading = page.locator("#h-verdicts")
    box = heading.bounding_box()
    assert heading.inner_text() == "Story index"
    assert box is not None and box["y"] + box["height"] <= 900, "the index heads the first screen"
    first = page.locator("#verdicts li.verdict").first
    first_box = first.bounding_box()
    assert first_box is not None and first_box["y"] < 900
    assert "Story A" in first.inner_text() and "article" in first.inner_text()
    stories = len(scale[1]["stories"])
    assert stories >= 20
    assert page.locator("#verdicts li.verdict").count() == stories, "every story is in the index"
    assert page.locator("details.story[open]").count() == 0, "stories start folded at this size"
    page.screenshot(path=str(tmp_path / "first-screen.png"))
    assert errors == []


def test_scale_search_finds_a_quote(
    opened: tuple[Any, list[str]], scale: tuple[Path, dict[str, Any]]
) -> None:
    page, errors = opened
    quotes = [q for q in scale[1]["quotes"] if q["content"] and len(q["content"][0]["text"]) > 40]
    quote = quotes[len(quotes) // 2]["content"][0]
    words = re.findall(r"\w+", quote["text"])[:5]
    page.locator("#search").fill(" ".join(words))
    hits = page.locator("#search-results li.hit-quote")
    hits.first.wait_for(timeout=5000)
    texts = [t.lower() for t in hits.locator("a").all_inner_texts()]
    assert any(all(w.lower() in t for w in words) for t in texts), "the quote is among the hits"
    assert "quote" in page.locator("#search-status").inner_text()
    href = hits.first.locator("a").get_attribute("href")
    assert href is not None and href.startswith("#hl/")
    hits.first.locator("a").click()
    mark = page.locator(f"#doc-{href.split('/')[1]} mark.hl")
    mark.first.wait_for(timeout=5000)
    assert mark.first.is_visible()
    assert errors == []


def test_scale_filter_narrows_the_claims_table(opened: tuple[Any, list[str]]) -> None:
    page, errors = opened
    table = _busiest_table(page)
    rows = table.locator("tbody tr")
    total = rows.count()
    assert total >= 3
    texts = [
        t.lower()
        for t in table.evaluate("t => Array.from(t.tBodies[0].rows).map(r => r.textContent)")
    ]
    target = rows.nth(total - 1)
    candidates = re.findall(r"[a-z]{4,}", texts[-1])
    word = min(candidates, key=lambda w: (sum(w in t for t in texts), -len(w)))
    tools = page.locator(f".claims-tools[data-table='{table.get_attribute('id')}']")
    tools.locator(".ct-text").fill(word)
    after = _visible_rows(table)
    assert after == sum(word in t for t in texts) and after < total, (word, after, total)
    assert target.is_visible(), "the row with the word is shown even past the first rows"
    assert f"of {total} claims" in tools.locator(".ct-count").inner_text()
    tools.locator(".ct-text").fill("")
    tools.locator(".ct-origins").select_option("2")
    many = table.evaluate(
        "t => Array.from(t.tBodies[0].rows).filter(r => r.getClientRects().length > 0)"
        ".map(r => parseInt(r.dataset.origins, 10))"
    )
    assert all(n >= 2 for n in many)
    assert errors == []


def test_scale_sorting_by_articles_orders_the_rows(opened: tuple[Any, list[str]]) -> None:
    page, errors = opened
    table = _busiest_table(page)
    table.locator("button.sort[data-key='articles']").click()
    counts = table.evaluate(
        "t => Array.from(t.tBodies[0].rows).map(r => parseInt(r.dataset.articles, 10))"
    )
    assert counts == sorted(counts, reverse=True)
    assert table.locator("th[aria-sort='descending']").count() == 1
    table.locator("button.sort[data-key='articles']").click()
    counts = table.evaluate(
        "t => Array.from(t.tBodies[0].rows).map(r => parseInt(r.dataset.articles, 10))"
    )
    assert counts == sorted(counts)
    assert errors == []


def test_scale_claims_tables_never_scroll_sideways(opened: tuple[Any, list[str]]) -> None:
    page, _ = opened
    page.evaluate("() => document.querySelectorAll('details.story').forEach(d => d.open = true)")
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('table.claims'))"
        ".filter(t => t.scrollWidth > t.parentElement.clientWidth + 1).map(t => t.id)"
    )
    assert wide == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_scale_phone_width_does_not_scroll_sideways(
    browser: Any, scale: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(scale[0].as_uri())
    assert page.locator("#h-verdicts").is_visible()
    page.evaluate("() => document.querySelectorAll('details.story').forEach(d => d.open = true)")
    page.locator("#search").fill("said")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.locator("table.claims").first.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "phone-claims.png"))
    page.close()
