"""Browsing the analysis (Datasette under /data/), claim and source pages, corrections: over real sockets."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.web.servers import make_store, served

from storytrace import api
from storytrace.web.app import CSRF_COOKIE, create_app
from storytrace.web.browse import fts_query
from storytrace.web.browse_db import source_id

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def stores(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("browse")
    db = make_store(folder, seeds_dir)
    read_only = folder / "ro.duckdb"
    shutil.copy(db, read_only)
    return db, read_only


@pytest.fixture(scope="module")
def editable(stores: tuple[Path, Path]) -> Iterator[str]:
    with served(create_app(stores[0], allow_edits=True)) as url:
        yield url


@pytest.fixture(scope="module")
def read_only(stores: tuple[Path, Path]) -> Iterator[str]:
    with served(create_app(stores[1])) as url:
        yield url


def _rows(url: str, table: str, **params: str) -> list[dict[str, object]]:
    response = httpx.get(
        f"{url}/data/storytrace/{table}.json", params={"_shape": "array", **params}
    )
    assert response.status_code == 200, response.text
    rows: list[dict[str, object]] = response.json()
    return rows


def test_search_for_4_4_finds_4_4_and_not_every_4(read_only: str) -> None:
    found = _rows(read_only, "documents", _search="4.4", _col="title")
    assert [str(r["title"]).startswith("Quake hits coast") for r in found] == [True]
    every_4 = _rows(read_only, "documents", _search="4", _col="title")
    assert len(every_4) == 2  # the plain "4" article is there, just not for "4.4"


def test_search_takes_phrases_and_prefixes_and_runs_no_operator(read_only: str) -> None:
    assert len(_rows(read_only, "quotes", _search='"homes <script>"')) == 1
    assert _rows(read_only, "quotes", _search='"Monday homes"') == []
    assert len(_rows(read_only, "sources", _search="Portv*")) == 1
    assert _rows(read_only, "sources", _search="Portv") == []  # no prefix unless asked
    # FTS5 operators typed by a reader are searched as words, never run
    assert _rows(read_only, "documents", _search="quake OR frightening") == []
    assert _rows(read_only, "documents", _search="NEAR(quake") == []


def test_fts_query_quotes_every_word() -> None:
    assert fts_query("4.4") == '"4.4"'
    assert fts_query('missil* "long range" x:y -z') == '"missil"* "long range" "x:y" "-z"'
    assert fts_query('"unbalanced') == '"unbalanced"'
    assert fts_query("* ?") == '""'


def test_facets_list_outlets_one_by_one(read_only: str) -> None:
    body = httpx.get(
        f"{read_only}/data/storytrace/stories.json", params={"_facet_array": "outlets"}
    ).json()
    values = {v["value"] for v in body["facet_results"]["outlets"]["results"]}
    assert {"Caliber.az", "Coast Herald", "Valley Times"} <= values
    assert not any(";" in str(v) or "," in str(v) for v in values)
    quotes = httpx.get(
        f"{read_only}/data/storytrace/quotes.json", params={"_facet": ["outlet", "anonymous"]}
    ).json()
    assert {"outlet", "anonymous"} <= set(quotes["facet_results"])


def test_filters_by_outlet_and_date_range_in_a_shareable_url(read_only: str) -> None:
    rows = _rows(read_only, "quotes", outlet="Coast Herald", published__gte="2000-01-01")
    assert rows == []  # the extra articles print no date: a date filter leaves them out
    coast = _rows(read_only, "quotes", outlet="Coast Herald")
    assert coast and all(r["outlet"] == "Coast Herald" for r in coast)
    dated = _rows(read_only, "quotes", published__gte="2025-04-09", published__lte="2025-04-09")
    assert dated and all(r["published"] == "2025-04-09" for r in dated)


def test_every_table_downloads_as_csv(read_only: str) -> None:
    for table in (
        "stories",
        "claims",
        "quotes",
        "sources",
        "outlets",
        "entities",
        "claim_mentions",
    ):
        response = httpx.get(f"{read_only}/data/storytrace/{table}.csv", params={"_dl": "1"})
        assert response.status_code == 200, table
        assert "attachment" in response.headers["content-disposition"]
        header = next(csv.reader(io.StringIO(response.text)))
        assert header[0] == "rowid" and len(header) > 2


def test_browsing_keeps_our_headers_and_refuses_sql_and_writes(read_only: str) -> None:
    page = httpx.get(f"{read_only}/data/storytrace/quotes")
    assert page.status_code == 200
    csp = page.headers["content-security-policy"]
    assert (
        "default-src 'none'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert (
        page.headers["x-frame-options"] == "DENY"
        and page.headers["x-content-type-options"] == "nosniff"
    )
    assert (
        httpx.get(f"{read_only}/data/storytrace.json", params={"sql": "select 1"}).status_code
        == 403
    )
    assert httpx.post(f"{read_only}/data/storytrace/quotes", data={"a": "b"}).status_code == 405
    foreign = httpx.get(f"{read_only}/data/storytrace/quotes", headers={"Host": "evil.example"})
    assert foreign.status_code == 400


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/data/storytrace/no_such_table.json", 404, "not_found"),
        ("/data/storytrace/quotes.json?_sort=no_such_column", 400, "bad_request"),
        ("/data/storytrace.json?sql=select+1", 403, "forbidden"),
        ("/api/claims/no-such-claim", 404, "not_found"),
        ("/api/claims/..%2F..%2Fetc", 404, "not_found"),
        ("/api/sources/0000000000000000", 404, "not_found"),
        ("/api/sources/not-a-key", 404, "not_found"),
    ],
)
def test_new_routes_keep_the_json_error_shape(
    read_only: str, path: str, status: int, code: str
) -> None:
    response = httpx.get(read_only + path)
    assert response.status_code == status
    assert response.json() == {
        "error": {"status": status, "code": code, "message": response.json()["error"]["message"]}
    }


def test_claim_page_shows_mentions_origins_and_contests(read_only: str) -> None:
    claim = httpx.get(f"{read_only}/api/claims/c1").json()
    assert len(claim["mentions"]) >= 2 and claim["origins"]
    first = claim["mentions"][0]
    assert first["sentence"]["span"] and first["stance"] in ("affirmed", "negated")
    assert {o["kind"] for o in claim["origins"]} <= {"outlet", "source", "article"}
    page = httpx.get(f"{read_only}/claim/c1")
    assert page.status_code == 200 and page.text.count('class="mention"') == len(claim["mentions"])
    assert "<mark>" in page.text and "<form" not in page.text  # read-only: no correction form


def test_source_page_lists_what_a_source_said(read_only: str) -> None:
    key = source_id("Jane Roe, the mayor of Portville")
    source = httpx.get(f"{read_only}/api/sources/{key}").json()
    assert source["name"] == "Jane Roe, the mayor of Portville" and len(source["quotes"]) == 1
    page = httpx.get(f"{read_only}/source/{key}").text
    assert "<script>window.__pwned" not in page and "&lt;script&gt;" in page
    assert '"><img' not in page


def _token(client: httpx.Client, url: str) -> str:
    page = client.get(url).text
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    assert client.cookies.get(CSRF_COOKIE) == found.group(1)
    return found.group(1)


def test_a_write_is_refused_without_edits_or_without_the_token(
    read_only: str, editable: str
) -> None:
    fix = {
        "kind": "mention_stance",
        "target": "c1/x/0",
        "after": "negated",
        "who": "me",
        "why": "test",
    }
    assert httpx.post(f"{read_only}/corrections", data=fix).status_code == 403
    with httpx.Client() as client:
        token = _token(client, f"{editable}/corrections")
        assert (
            client.post(f"{editable}/corrections", data=fix).status_code == 403
        )  # cookie, no field
        assert (
            client.post(f"{editable}/corrections", data={**fix, "csrf": "x" * 43}).status_code
            == 403
        )
        foreign = client.post(
            f"{editable}/corrections",
            data={**fix, "csrf": token},
            headers={"Origin": "http://evil.example"},
        )
        assert foreign.status_code == 403
        cross = client.post(
            f"{editable}/corrections",
            data={**fix, "csrf": token},
            headers={"Sec-Fetch-Site": "cross-site"},
        )
        assert cross.status_code == 403
    # the field without the cookie: another site cannot read the cookie to copy it
    assert httpx.post(f"{editable}/corrections", data={**fix, "csrf": token}).status_code == 403
    assert httpx.get(f"{editable}/api/corrections").json() == {"corrections": []}


def test_a_correction_is_applied_everywhere_and_undone(
    editable: str, stores: tuple[Path, Path]
) -> None:
    claim = httpx.get(f"{editable}/api/claims/c1").json()
    mention = claim["mentions"][0]
    assert mention["stance"] == "affirmed"
    # the claim may already hold denials of it (a negated statement joins the claim it denies)
    denials = _rows(editable, "claim_mentions", claim_id="c1", stance="negated")
    with httpx.Client() as client:
        token = _token(client, f"{editable}/claim/c1")
        fix = {"csrf": token, "kind": "mention_stance", "target": mention["key"], "before": "affirmed",
               "after": "negated", "who": "A. Reporter", "why": "the article denies it", "next": "/claim/c1"}  # fmt: skip
        made = client.post(f"{editable}/corrections", data=fix, headers={"Origin": editable})
        assert made.status_code == 303 and made.headers["location"] == "/claim/c1"
        assert client.get(f"{editable}/api/claims/c1").json()["mentions"][0]["stance"] == "negated"
        negated = _rows(editable, "claim_mentions", claim_id="c1", stance="negated")
        assert len(negated) == len(denials) + 1
        listed = client.get(f"{editable}/api/corrections").json()["corrections"]
        assert [(c["kind"], c["who"], c["undone"]) for c in listed] == [
            ("mention_stance", "A. Reporter", False)
        ]
        undo = client.post(
            f"{editable}/corrections/{listed[0]['id']}/undo",
            data={"csrf": token, "who": "A. Reporter", "why": "I misread it"},
            headers={"Origin": editable},
        )
        assert undo.status_code == 303
        assert client.get(f"{editable}/api/claims/c1").json()["mentions"][0]["stance"] == "affirmed"
        assert _rows(editable, "claim_mentions", claim_id="c1", stance="negated") == denials
        kinds = [
            (c["kind"], c["undone"])
            for c in client.get(f"{editable}/api/corrections").json()["corrections"]
        ]
        assert kinds == [("undo", False), ("mention_stance", True)]
        bad = client.post(
            f"{editable}/corrections", data={**fix, "after": "maybe"}, headers={"Origin": editable}
        )
        assert bad.status_code == 400 and "ST180" in bad.text


def test_corrections_reach_every_later_dossier(tmp_path: Path, stores: tuple[Path, Path]) -> None:
    """``api.dossier_from_store`` (and so ``report --db``) lays the store's corrections over the analysis."""
    from storytrace.records.corrections import Draft
    from storytrace.store import Store
    from storytrace.store import corrections as stored

    db = tmp_path / "c.duckdb"
    shutil.copy(stores[1], db)
    key = source_id("John Doe, a resident")
    before = api.dossier_from_store(db)
    quote = next(q for q in before.quotes if q.speaker_text == "John Doe, a resident")
    with Store(db) as store:
        stored.add(
            store.con,
            Draft("quote_speaker", quote.quote_id, "John Doe", "Jon Doe", "ed", "spelling"),
        )
    after = api.dossier_from_store(db)
    fixed = next(q for q in after.quotes if q.quote_id == quote.quote_id)
    assert fixed.speaker_resolved == "Jon Doe" and key
    assert [c.kind for c in api.corrections_from_store(db)] == ["quote_speaker"]
    # the dossier lists what was corrected: JSON (schema-valid), Markdown, HTML
    written = api.write_dossier(after, tmp_path / "out")
    data = json.loads(written.json.read_text(encoding="utf-8"))
    assert [(c["kind"], c["after"], c["who"]) for c in data["corrections"]] == [
        ("quote_speaker", "Jon Doe", "ed")
    ]
    assert "## Corrections applied" in written.markdown.read_text(encoding="utf-8")
    assert 'id="corrections"' in written.html.read_text(encoding="utf-8")
    plain = api.write_dossier(before, tmp_path / "plain")
    assert "corrections" not in json.loads(plain.json.read_text(encoding="utf-8"))
    assert "Corrections applied" not in plain.markdown.read_text(encoding="utf-8")
