"""The seed dossier in a real browser: no console errors, spans highlight, boilerplate toggles, no injected script runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from storytrace import api

pytestmark = pytest.mark.browser

PAYLOADS = [
    "<script>window.__pwned = 1</script>",
    '<img src=x onerror="window.__pwned = 2">',
    '"><svg onload="window.__pwned = 3">',
    "</textarea><script>window.__pwned = 4</script>",
    "javascript:window.__pwned = 5",
]


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("report")
    return api.write_dossier(api.analyze([seeds_dir]), out).html


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
    link = page.locator('a[href^="#hl/"]:visible').first
    snippet = link.inner_text().removeprefix("from ").strip("“”…")[:20]
    link.click()
    marks = page.locator("mark.hl")
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
