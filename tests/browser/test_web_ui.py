"""The web UI in a real browser, served on loopback: search, open an article, no console errors, no injected script."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from storytrace import api
from storytrace.web.app import create_app

pytestmark = [pytest.mark.browser, pytest.mark.model]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("webui")
    hostile = {
        "text": "Officials said <script>window.__pwned=1</script> in the capital.\n\nMore text here.",
        "title": "<img src=x onerror=window.__pwned=2>",
    }
    (folder / "x.jsonl").write_text(json.dumps(hostile) + "\n", encoding="utf-8")
    db = folder / "s.duckdb"
    api.ingest([seeds_dir, folder / "x.jsonl"], db)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_browser_web_search_and_open_article(browser: Any, base_url: str, tmp_path: Path) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base_url + "/")
    page.fill("input[name=q]", "Hormuz")
    with page.expect_navigation():  # a count taken before the new page loads reads the old one
        page.click("button[type=submit]")
    results = page.locator("ol.hits li a")
    assert results.count() == 1
    with page.expect_navigation():
        results.first.click()
    assert page.locator("article.article").count() == 1
    assert "Hormuz" in page.locator("article.article").inner_text()
    page.screenshot(path=str(tmp_path / "web.png"))
    assert errors == []


def test_browser_web_hostile_article_runs_no_script(browser: Any, base_url: str) -> None:
    page = browser.new_page()
    page.goto(base_url + "/")
    link = page.locator("ol.hits li a", has_text="<img src=x")
    assert link.count() == 1, "the hostile title is shown as text"
    assert page.evaluate("window.__pwned === undefined")
    with page.expect_navigation():
        link.click()
    page.wait_for_timeout(300)
    assert page.evaluate("window.__pwned === undefined")


def test_browser_web_dossier_page_renders_the_analysis(
    browser: Any, base_url: str, tmp_path: Path
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base_url + "/dossier")  # the story index: at once, whatever the store's size
    story = page.locator("table.stories tr.story a").first
    assert story.count() == 1
    for _ in range(600):  # the one-page dossier is rendered in the background
        page.goto(base_url + "/dossier")
        full = page.locator(".dossier-status a", has_text="whole dossier as one page")
        if full.count():
            break
        time.sleep(0.5)
    with page.expect_navigation():
        full.click()
    assert page.url.endswith("/dossier/full")
    assert "4 articles, 1 independent origin" in page.locator("li.verdict").first.inner_text()
    assert page.locator("svg.provenance-graph").count() == 1
    page.locator("table.matrix a.mention").first.click()
    page.locator("mark.hl").first.wait_for(timeout=5000)  # highlighted on hashchange
    assert page.locator("mark.hl").count() >= 1
    page.screenshot(path=str(tmp_path / "web-dossier.png"))
    assert errors == []
    assert page.evaluate("window.__pwned === undefined")
