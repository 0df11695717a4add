"""Browsing, claim pages and corrections in Chromium, served on loopback with edits allowed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.web.servers import make_store, served

from storytrace.web.app import create_app
from storytrace.web.browse_db import source_id

pytestmark = [pytest.mark.browser, pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[str]:
    db = make_store(tmp_path_factory.mktemp("browse-ui"), seeds_dir)
    with served(create_app(db, allow_edits=True)) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records script errors and console errors (CSP refusals among them)."""
    context = browser.new_context(accept_downloads=True)
    opened = context.new_page()
    opened.errors = []
    opened.on("pageerror", lambda exc: opened.errors.append(str(exc)))
    opened.on(
        "console",
        lambda msg: (
            opened.errors.append(msg.text)
            if msg.type == "error" and not msg.text.startswith("Failed to load resource")
            else None
        ),
    )
    # a missing resource is an error unless it is the browser's own favicon guess
    opened.on(
        "response",
        lambda r: (
            opened.errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    yield opened
    context.close()


def test_browser_facets_filter_a_table_and_the_url_is_shareable(page: Any, base_url: str) -> None:
    page.goto(base_url + "/data/storytrace/quotes?_facet=outlet")
    facet = page.locator(".facet-info a", has_text="Coast Herald").first
    with page.expect_navigation():  # wait_for_load_state alone can return for the old page
        facet.click()
    assert "outlet=Coast+Herald" in page.url or "outlet=Coast%20Herald" in page.url
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() >= 1
    shared = page.url
    again = page.context.new_page()
    again.goto(shared)
    assert again.locator("table.rows-and-columns tbody tr").count() == rows.count()
    assert page.errors == [] and page.evaluate("window.__pwned") is None


def test_browser_search_for_4_4(page: Any, base_url: str) -> None:
    page.goto(base_url + "/data/storytrace/documents")
    page.fill("input#_search", "4.4")
    page.press("input#_search", "Enter")
    page.wait_for_load_state()
    body = page.locator("table.rows-and-columns tbody")
    assert body.locator("tr").count() == 1
    assert "Quake hits coast" in body.inner_text() and "Four people hurt" not in body.inner_text()
    assert page.evaluate("window.__pwned") is None and page.errors == []


def test_browser_claim_page_highlights_each_mention(page: Any, base_url: str) -> None:
    page.goto(base_url + "/claim/c1")
    mentions = page.locator("tr.mention")
    assert mentions.count() >= 2
    assert mentions.first.locator("mark").inner_text().strip() != ""
    assert page.locator("li.origin").count() >= 1
    assert page.errors == []


def test_browser_correction_made_and_undone(page: Any, base_url: str) -> None:
    page.goto(base_url + "/claim/c1")
    first = page.locator("tr.mention").first
    assert first.locator("td.stance").inner_text().startswith("affirmed")
    first.locator("select[name=after]").select_option("negated")
    first.locator("input[name=who]").fill("A. Reporter")
    first.locator("input[name=why]").fill("the article denies it")
    with page.expect_navigation():
        first.locator("button[type=submit]").click()
    assert page.url == base_url + "/claim/c1", page.inner_text("main")
    assert page.locator("tr.mention").first.locator("td.stance").inner_text().startswith("negated")
    page.goto(base_url + "/corrections")
    row = page.locator("tr.correction").first
    assert "mention_stance" in row.inner_text() and "A. Reporter" in row.inner_text()
    row.locator("input[name=who]").fill("A. Reporter")
    row.locator("input[name=why]").fill("I misread it")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert page.url == base_url + "/corrections", page.content()[:3000]
    assert "undone" in page.locator("tr.correction", has_text="mention_stance").inner_text()
    page.goto(base_url + "/claim/c1")
    assert page.locator("tr.mention").first.locator("td.stance").inner_text().startswith("affirmed")
    assert page.errors == []


def test_browser_csv_download(page: Any, base_url: str, tmp_path: Path) -> None:
    page.goto(base_url + "/data/storytrace/claims")
    page.check("input[name=_dl]")
    with page.expect_download() as info:
        page.click("form[action$='claims.csv'] [type=submit]")
    saved = tmp_path / "claims.csv"
    info.value.save_as(saved)
    header = saved.read_text(encoding="utf-8").splitlines()[0]
    assert "claim_id" in header and "text" in header


def test_browser_hostile_text_never_runs(page: Any, base_url: str) -> None:
    for path in (
        f"/source/{source_id('Jane Roe, the mayor of Portville')}",
        "/data/storytrace/quotes?_search=Portville",
        "/data/storytrace/documents?_search=quake",
        "/data/storytrace/sources",
    ):
        page.goto(base_url + path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("img[src=x]").count() == 0, path
    page.goto(base_url + f"/source/{source_id('Jane Roe, the mayor of Portville')}")
    assert "<script>window.__pwned=1</script>" in page.locator("td.quote-text").inner_text()
