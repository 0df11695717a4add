"""The web UI's API: search, filters, one JSON error shape, security headers, no path from a request."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from storytrace import api
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.web.app import create_app

#: Documents only: these tests search and read articles, no model needed.
DOCS_ONLY = AnalyzeConfig(corpus_stages=())


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> TestClient:
    db = tmp_path_factory.mktemp("web") / "s.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    return TestClient(create_app(db, hosts=("testserver",)))


def test_web_search_ranks_matching_articles(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "Hormuz"}).json()
    assert body["count"] == 1 and body["results"][0]["source"].endswith(".txt")
    assert (
        "Hormuz" in client.get(f"/api/documents/{body['results'][0]['doc_id']}").json()["page_text"]
    )


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"q": "Kamali"}, 2),
        ({"outlet": "caliber.az"}, 1),
        ({"date_from": "2025-04-09", "date_to": "2025-04-09"}, 2),
        ({"q": "no-such-word-anywhere"}, 0),
        ({"q": "Kamali Hasanova"}, 1),
    ],
)
def test_web_search_filters(client: TestClient, params: dict[str, str], count: int) -> None:
    assert client.get("/api/search", params=params).json()["count"] == count


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/documents/..%2F..%2Fetc%2Fpasswd", 404, "not_found"),
        ("/api/documents/0000000000000000", 404, "not_found"),
        ("/api/search?date_from=yesterday", 400, "bad_request"),
        ("/api/search?limit=100000", 400, "bad_request"),
        ("/api/nothing-here", 404, "not_found"),
    ],
)
def test_web_errors_have_one_json_shape(
    client: TestClient, path: str, status: int, code: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    error = response.json()["error"]
    assert (
        set(error) == {"status", "code", "message"}
        and error["status"] == status
        and error["code"] == code
    )


@pytest.mark.parametrize("path", ["/", "/dossier", "/api/search", "/doc/zzz"])
@pytest.mark.model
def test_web_sends_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff" and headers["x-frame-options"] == "DENY"


@pytest.mark.model
def test_web_pages_render(client: TestClient) -> None:
    index = client.get("/", params={"q": "missiles"})
    assert index.status_code == 200 and "Caliber.az" in index.text
    hit = client.get("/api/search", params={"q": "Caliber"}).json()["results"][0]
    page = client.get(f"/doc/{hit['doc_id']}")
    assert page.status_code == 200 and "The Times: Iran stokes" in page.text
    assert "'sha256-" in page.headers["content-security-policy"]


def test_web_never_writes_the_store(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    before = db.read_bytes()
    TestClient(create_app(db, hosts=("testserver",))).get("/api/search", params={"q": "Iran"})
    assert db.read_bytes() == before


@pytest.mark.model
def test_web_article_pages_concurrently_all_succeed(client: TestClient) -> None:
    """Regression (found by bench web): concurrent article pages ran spaCy from several
    threads at once and some answered HTTP 500."""
    from concurrent.futures import ThreadPoolExecutor

    ids = [hit["doc_id"] for hit in client.get("/api/search").json()["results"]]
    with ThreadPoolExecutor(8) as pool:
        statuses = list(
            pool.map(lambda i: client.get(f"/doc/{ids[i % len(ids)]}").status_code, range(40))
        )
    assert statuses == [200] * 40


@pytest.mark.model
def test_web_dossier_analysed_once_per_store_state(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The corpus analysis (spaCy, embeddings) is not redone for every request (nor for a
    claim page or a browsing table after it)."""
    import storytrace.web.analysis as web

    calls: list[int] = []
    real = web.store_analysis

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(web, "store_analysis", counting)
    fresh = TestClient(create_app(client.app.state.db, hosts=("testserver",)))  # type: ignore[attr-defined]
    first = fresh.get("/dossier")
    second = fresh.get("/dossier")
    assert first.status_code == second.status_code == 200
    assert "/story/" in first.text
    assert fresh.get("/api/claims/c1").status_code == 200
    assert fresh.get("/data/storytrace/claims.json").status_code == 200
    full = _full_dossier(fresh)
    assert full.text == _full_dossier(fresh).text and "provenance" in full.text
    assert len(calls) == 1


def _full_dossier(client: TestClient) -> Any:
    """``/dossier/full`` once its background rendering is done (503 until then)."""
    for _ in range(600):
        response = client.get("/dossier/full")
        if response.status_code != 503:
            assert response.status_code == 200, response.text
            return response
        assert "step" in response.text and response.headers["Retry-After"] == "5"
        time.sleep(0.5)
    raise AssertionError("the dossier was not rendered in 5 minutes")


def test_web_refuses_a_foreign_host(client: TestClient) -> None:
    # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    response = client.get("/api/search", params={"q": "Iran"}, headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    ok = client.get("/api/search", params={"q": "Iran"}, headers={"Host": "localhost:8765"})
    assert ok.status_code == 200


def test_web_answers_head(client: TestClient) -> None:
    assert client.head("/").status_code == 200
    assert client.head("/api/search", params={"q": "Iran"}).status_code == 200


@pytest.mark.parametrize("q", ["?", "%%", "...", "  --  "])
def test_web_search_needs_a_word(client: TestClient, q: str) -> None:
    response = client.get("/api/search", params={"q": q})
    assert response.status_code == 400 and "word" in response.json()["error"]["message"]


@pytest.mark.parametrize("day", ["2025-02-30", "2025-13-01", "8 April"])
def test_web_impossible_dates_are_400(client: TestClient, day: str) -> None:
    response = client.get("/api/search", params={"q": "Iran", "date_from": day})
    assert response.status_code == 400


@pytest.mark.model
def test_web_claim_and_article_pages_read_their_story_not_the_whole_analysis(
    tmp_path: Path, seeds_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a store holding its analysis, no page reads the whole analysis: claim, article and
    story pages read their story's rows, source pages and the story index (``/dossier``)
    the browsing database copied from the store's tables."""
    import storytrace.web.analysis as web
    from storytrace.web import browse_db, pages

    db = tmp_path / "analysed.duckdb"
    api.ingest([seeds_dir], db)  # with the analysis
    whole = api.dossier_from_store(db)
    claim = next(c for c in whole.claims if len(c.doc_ids) > 1)

    def refuse(*args: object, **kwargs: object) -> object:
        # the one-page dossier reads it in a process of its own (web/render_job.py)
        raise AssertionError("the whole analysis was read for a page")

    monkeypatch.setattr(web, "store_analysis", refuse)
    app = TestClient(create_app(db, hosts=("testserver",)))
    page = app.get(f"/api/claims/{claim.claim_id}")
    assert page.status_code == 200
    assert page.json() == pages.claim_view(whole, claim.claim_id)
    article = app.get(f"/doc/{claim.doc_ids[0]}")
    assert article.status_code == 200
    assert all(doc_id in article.text for doc_id in claim.doc_ids)  # its story's articles
    story = app.get(f"/story/{claim.story_id}")
    assert story.status_code == 200 and claim.text in story.text
    assert app.get("/story/no-such-story").status_code == 404
    speakers = {m.speaker for c in whole.claims for m in c.mentions if m.speaker}
    speakers |= {q.speaker_resolved or q.speaker_text for q in whole.quotes} - {None, ""}
    for name in sorted(speakers):  # type: ignore[type-var]
        key = browse_db.source_id(str(name).strip())
        assert app.get(f"/api/sources/{key}").json() == pages.source_view(whole, key), name
    index = app.get("/api/stories").json()
    assert [s["story_id"] for s in index["stories"]] == [s.story_id for s in whole.stories]
    assert index["total"] == len(whole.stories) and index["pages"] == 1
    assert app.get("/api/stories", params={"page": 2}).json()["error"]["code"] == "not_found"
    assert app.get("/api/stories", params={"page": 0}).json()["error"]["code"] == "bad_request"
    html = app.get("/dossier")
    assert html.status_code == 200 and f"/story/{claim.story_id}" in html.text
    cached = list((tmp_path / ".analysed.duckdb.cache").glob("base-*/storytrace.db"))
    assert len(cached) == 1  # beside the store, for the next serve


@pytest.mark.model
def test_web_dossier_file_tidied_away_is_rendered_again(client: TestClient) -> None:
    """A state's one-page dossier whose file was removed (tidied while another state was
    current: correct, correct, undo, undo) is rendered again, never served as a 500."""
    fresh = TestClient(create_app(client.app.state.db, hosts=("testserver",)))  # type: ignore[attr-defined]
    first = _full_dossier(fresh)
    analysis = fresh.app.state.analysis  # type: ignore[attr-defined]
    written = analysis.rendering().path
    assert written is not None and written.exists()
    written.unlink()
    again = _full_dossier(fresh)
    assert again.text == first.text


def test_web_cache_beside_the_store_is_private(tmp_path: Path) -> None:
    """The browsing database and dossier file beside a store hold every article's text:
    their folder is readable by its owner only."""
    import stat

    from storytrace.web.analysis import cache_folder

    folder = cache_folder(tmp_path / "s.duckdb", tmp_path / "fallback")
    assert folder == tmp_path / ".s.duckdb.cache"
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0
