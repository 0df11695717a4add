"""The seed dossier in a real browser: no console errors, spans highlight, boilerplate toggles, no injected script runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storytrace import api
from storytrace.records import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.model]

PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "</textarea><script>window.__pwned = 4</script>",
    "javascript:window.__pwned = 5",
]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory, seed_dossier: Dossier) -> Path:
    out = tmp_path_factory.mktemp("report")
    return api.write_dossier(seed_dossier, out).html


def _open(browser: Any, path: Path, screenshot: Path | None = None) -> tuple[Any, list[str]]:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())
    if screenshot is not None:
        page.screenshot(path=str(screenshot), full_page=False)
    return page, errors


def test_browser_seed_dossier_loads_without_console_errors(
    browser: Any, seed_report: Path, tmp_path: Path
) -> None:
    page, errors = _open(browser, seed_report, tmp_path / "dossier.png")
    assert page.locator("article.article").count() == 5
    assert errors == []
    assert (tmp_path / "dossier.png").stat().st_size > 10_000


def test_browser_clicking_evidence_highlights_its_span(browser: Any, seed_report: Path) -> None:
    page, errors = _open(browser, seed_report)
    link = page.locator('.ev a[href^="#hl/"]:visible').first
    snippet = link.inner_text().removeprefix("from ").strip("“”…")[:20]
    link.click()
    marks = page.locator("mark.hl")
    marks.first.wait_for(timeout=5000)  # highlighted on hashchange
    assert marks.count() >= 1
    assert marks.first.is_visible()
    assert snippet.strip()[:10] in "".join(marks.all_inner_texts())
    assert errors == []


def test_browser_removed_boilerplate_is_hidden_until_toggled(
    browser: Any, seed_report: Path
) -> None:
    page, _ = _open(browser, seed_report)
    article = page.locator("article.article").first
    removed = article.locator("p.removed").first
    assert not removed.is_visible()
    article.locator("button.toggle").click()
    assert removed.is_visible()
    assert article.locator("button.toggle").get_attribute("aria-expanded") == "true"


def test_browser_hostile_text_runs_no_script(browser: Any, tmp_path: Path) -> None:
    lines = [
        {
            "text": f"Officials said {p} in the capital.\n\nSecond paragraph of the article.",
            "title": p,
            "outlet": p,
            "author": p,
            "url": p,
        }
        for p in PAYLOADS
    ]
    (tmp_path / "x.jsonl").write_text(
        "\n".join(json.dumps(r) for r in lines) + "\n", encoding="utf-8"
    )
    report = api.write_dossier(api.analyze([tmp_path]), tmp_path / "out").html
    page, _ = _open(browser, report)
    page.locator("button.toggle").first.click() if page.locator("button.toggle").count() else None
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("article.article").count() == len(PAYLOADS)
    # The search index holds the same text: its hits are built as text, never as markup.
    page.locator("#search").fill("pwned")
    hits = page.locator("#search-results li")
    hits.first.wait_for(timeout=5000)
    assert any("window.__pwned" in t for t in hits.all_inner_texts()), "shown as text"
    assert (
        page.locator("#search-results img, #search-results svg, #search-results script").count()
        == 0
    )
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")


# --- the analysis sections (issue #6) ------------------------------------------------

#: One statement of each kind; clicking it must highlight its span in the article.
STATEMENTS = [
    "table.matrix a.mention",
    ".drift .side-label a.span",
    ".disagreement ul.side-mentions a.span",
    "ol.timeline .tl-sources a.span",
    "svg.provenance-graph .node-speaker a",
]


def test_browser_verdict_of_story_a_is_on_the_first_screen(
    browser: Any, seed_report: Path, tmp_path: Path
) -> None:
    page, errors = _open(browser, seed_report, tmp_path / "first-screen.png")
    verdict = page.locator("li.verdict").first
    box = verdict.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 900, "inside the first viewport"
    line = verdict.locator(".verdict-line").inner_text()
    assert line.startswith("AStory A") or line.startswith("Story A")
    assert "4 articles, 1 independent origin" in line
    assert "1 article" in page.locator("li.verdict").nth(1).inner_text()
    assert errors == []


@pytest.mark.parametrize("selector", STATEMENTS)
def test_browser_clicking_a_statement_highlights_its_span(
    browser: Any, seed_report: Path, selector: str
) -> None:
    page, errors = _open(browser, seed_report)
    link = page.locator(selector).first
    href = link.get_attribute("href")
    assert href is not None and href.startswith("#hl/")
    doc_id, _, start, end = href.split("/")[1:]
    expected = page.evaluate(
        "([id, s, e]) => { const a = document.getElementById('doc-' + id); let t = '';"
        " a.querySelectorAll('.page p[data-text-start]').forEach(p => { const b = p.getAttribute('data-text-start');"
        " if (b !== '') { const o = parseInt(b, 10); t += p.textContent.slice(Math.max(s - o, 0), Math.max(e - o, 0)); } });"
        " return t; }",
        [doc_id, int(start), int(end)],
    )
    link.click()
    marks = page.locator(f"#doc-{doc_id} mark.hl")
    marks.first.wait_for(timeout=5000)  # highlighted on hashchange
    assert marks.count() >= 1 and marks.first.is_visible()
    assert "".join(marks.all_inner_texts()).split() == expected.split()
    assert errors == []


def test_browser_provenance_graph_and_timeline_render(
    browser: Any, seed_report: Path, tmp_path: Path
) -> None:
    page, errors = _open(browser, seed_report)
    graph = page.locator("svg.provenance-graph")
    graph.scroll_into_view_if_needed()
    box = graph.bounding_box()
    assert graph.is_visible() and box is not None and box["width"] > 300 and box["height"] > 100
    assert page.locator("svg.provenance-graph g.node").count() >= 10
    assert page.locator("svg.provenance-graph path.edge").count() >= 10
    page.locator("figure.graph").screenshot(path=str(tmp_path / "provenance.png"))
    timeline = page.locator("ol.timeline").first
    timeline.scroll_into_view_if_needed()
    entries = page.locator("ol.timeline li.tl-entry")
    assert entries.count() >= 10 and entries.first.is_visible()
    entry_box = entries.first.bounding_box()
    assert entry_box is not None and entry_box["width"] > 0 and entry_box["height"] > 0
    timeline.screenshot(path=str(tmp_path / "timeline.png"))
    assert (tmp_path / "provenance.png").stat().st_size > 5_000
    assert errors == []


def test_browser_drift_diff_shows_inserted_and_deleted_words(
    browser: Any, seed_report: Path, tmp_path: Path
) -> None:
    page, _ = _open(browser, seed_report)
    drift = page.locator(".drift.kind-reworded").first
    drift.scroll_into_view_if_needed()
    assert drift.locator("del").count() >= 1 and drift.locator("ins").count() >= 1
    assert drift.locator("del").first.is_visible() and drift.locator("ins").first.is_visible()
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.drift del')).textDecorationLine")
        == "line-through"
    )
    drift.screenshot(path=str(tmp_path / "drift.png"))


def test_browser_inferred_date_shows_its_evidence_steps(browser: Any, seed_report: Path) -> None:
    page, _ = _open(browser, seed_report)
    how = page.locator("#stories details.how").first
    assert "(inferred)" in page.locator("#stories").inner_text()
    how.locator("summary").click()
    steps = how.locator("ol.steps li")
    assert steps.count() >= 1 and steps.first.is_visible()


def test_browser_keyboard_reaches_and_opens_a_claim_mention(
    browser: Any, seed_report: Path
) -> None:
    page, _ = _open(browser, seed_report)
    page.locator("table.matrix a.mention").first.focus()
    page.keyboard.press("Enter")
    page.locator("mark.hl").first.wait_for(timeout=5000)  # highlighted on hashchange
    assert page.locator("mark.hl").count() >= 1
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.tagName") in ("A", "MARK", "SUMMARY", "BUTTON")


def test_browser_phone_width_does_not_scroll_sideways(
    browser: Any, seed_report: Path, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(seed_report.as_uri())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    assert page.locator("li.verdict").first.is_visible()
    page.screenshot(path=str(tmp_path / "phone.png"))


def test_browser_prints_without_navigation(browser: Any, seed_report: Path, tmp_path: Path) -> None:
    page, _ = _open(browser, seed_report)
    page.emulate_media(media="print")
    assert not page.locator("nav.toc").is_visible()
    assert page.locator("svg.provenance-graph").is_visible()
    page.pdf(path=str(tmp_path / "dossier.pdf"))
    assert (tmp_path / "dossier.pdf").stat().st_size > 50_000


def test_browser_index_link_opens_and_scrolls_to_its_story(browser: Any, seed_report: Path) -> None:
    page, errors = _open(browser, seed_report)
    page.evaluate("() => document.querySelectorAll('details.story').forEach(d => d.open = false)")
    page.locator("#verdicts li.verdict a.story-ref").first.click()
    story = page.locator("details.story").first
    # the story opens on hashchange, an event that comes after the click returns
    page.wait_for_function("document.querySelector('details.story').open", timeout=5000)
    assert story.get_attribute("open") is not None, "following the index opens the story"
    assert story.locator("table.claims").is_visible()
    assert errors == []


def test_browser_seed_claims_filter_by_stance_and_disputed(browser: Any, seed_report: Path) -> None:
    page, errors = _open(browser, seed_report)
    tools = page.locator(".claims-tools").first
    table = page.locator("table.claims").first
    total = table.locator("tbody tr").count()
    tools.locator(".ct-stance").select_option("both")
    shown = table.locator("tbody tr:visible")
    assert 1 <= shown.count() < total
    assert set(shown.evaluate_all("rows => rows.map(r => r.dataset.stance)")) == {"both"}
    tools.locator(".ct-stance").select_option("")
    tools.locator(".ct-disputed").check()
    assert set(
        table.locator("tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.disputed)")
    ) == {"1"}
    assert "of" in tools.locator(".ct-count").inner_text()
    assert errors == []
