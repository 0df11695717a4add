"""The analysis in the store: written by ingest, incremental, read back by reports and pages, exported."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from storytrace import api
from storytrace.errors import StoreError
from storytrace.pipeline.config import AnalyzeConfig
from storytrace.records import Dossier, tables
from storytrace.store import Store

DOCS_ONLY = AnalyzeConfig(corpus_stages=())


def _tables(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every analysis table's rows, in a total order."""
    with Store(db, read_only=True) as store:
        return {
            t.name: store.query(f'SELECT * FROM "{t.name}" ORDER BY ALL') for t in tables.TABLES
        }


def _bulletin(seed: Path, folder: Path, n: int) -> Path:
    """A wire rewrite of a seed: its own first line, the seed's text after it."""
    folder.mkdir(parents=True, exist_ok=True)
    text = seed.read_text(encoding="utf-8")
    out = folder / f"bulletin-{n}.txt"
    out.write_text(f"Bulletin number {n} from the wire desk.\n{text}", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    db = tmp_path_factory.mktemp("analysis") / "s.duckdb"
    summary = api.ingest([seeds_dir], db)
    assert summary.analysed and summary.documents_parsed == 5
    return db


@pytest.mark.model
def test_report_from_the_store_is_the_report_of_analyze(
    seed_store: Path, seed_dossier: Dossier, tmp_path: Path
) -> None:
    told: list[str] = []
    stored = api.dossier_from_store(seed_store, status=told.append)
    assert told == []  # read from the tables: nothing computed
    from_store = api.write_dossier(stored, tmp_path / "store")
    direct = api.write_dossier(seed_dossier, tmp_path / "direct")
    for a, b in ((from_store.json, direct.json), (from_store.markdown, direct.markdown),
                 (from_store.html, direct.html)):  # fmt: skip
        assert a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.model
def test_report_command_reads_the_tables(seed_store: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "storytrace", "report", "--db", str(seed_store), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "computing" not in done.stderr
    assert (tmp_path / "dossier.html").exists()


@pytest.mark.model
def test_incremental_ingest_equals_a_full_recomputation(tmp_path: Path, seeds_dir: Path) -> None:
    seeds = sorted(seeds_dir.glob("*.txt"))
    later = tmp_path / "later"
    _bulletin(seeds[0], later, 1)
    _bulletin(seeds[1], later, 2)
    inc, full = tmp_path / "inc.duckdb", tmp_path / "full.duckdb"
    api.ingest([seeds_dir], inc)
    second = api.ingest([later], inc)
    api.ingest([seeds_dir, later], full)
    assert (second.added, second.documents_parsed) == (
        2,
        2,
    )  # the stored five were not parsed again
    assert second.stories_reused >= 1 and second.stories_aligned >= 1
    assert _tables(inc) == _tables(full)
    assert api.dossier_from_store(inc) == api.dossier_from_store(full)


#: An article no seed story is about: it makes a story of its own.
UNRELATED = """Harbour ferry returns after winter repairs

The Portville harbour ferry returned to service on Tuesday after three months of
repairs to its hull and engines, the town council said.

"The ferry is safer and quieter than it has ever been," said Maria Lund, the
council's head of transport. "We expect the first summer crossings to be full."

Tickets keep their winter price until June, Lund told the Portville Courier.
"""


def _ingest_cli(paths: list[Path], db: Path) -> str:
    """``storytrace ingest`` as a user runs it; its messages (stderr)."""
    cmd = [sys.executable, "-m", "storytrace", "ingest", *map(str, paths), "--db", str(db)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stderr


@pytest.mark.model
def test_an_unrelated_article_keeps_the_other_stories_results(
    tmp_path: Path, seeds_dir: Path
) -> None:
    """A new article about something else joins no stored story: every stored story keeps
    its claims, drift, disagreements, timeline and verdict (taken from the store, not
    computed again), the result still equals a full recomputation, and ``ingest`` says
    what it kept and what it recomputed over every document."""
    later = tmp_path / "later"
    later.mkdir()
    (later / "ferry.txt").write_text(UNRELATED, encoding="utf-8")
    inc, marked, full = (
        tmp_path / "inc.duckdb",
        tmp_path / "marked.duckdb",
        tmp_path / "full.duckdb",
    )
    api.ingest([seeds_dir], inc)
    with Store(inc, read_only=True) as store:
        stories = int(store.query("SELECT count(*) FROM stories")[0][0])
        drifting = int(store.query("SELECT count(DISTINCT story_id) FROM drift")[0][0])
    assert stories >= 2 and drifting >= 1
    shutil.copy(inc, marked)
    _mark_stored(marked, "drift", "drift_id", "reason")
    _mark_stored(marked, "verdicts", "story_id", "line")
    told = _ingest_cli([later], inc)
    assert (
        f"claims of 1 stories aligned, {stories} kept; drift, disagreements, timeline, "
        f"verdicts of 1 stories computed, {stories} kept; over all 6 documents: "
        "entity alias merging, dedup.minhash.v1, stories.cluster.v3, provenance edges" in told
    ), told
    api.ingest([seeds_dir, later], full)
    assert _tables(inc) == _tables(full)
    again = api.ingest([later], marked)
    assert (again.stories_reused, again.kept_after_claims, again.stories_aligned) == (
        stories,
        stories,
        1,
    )
    with Store(marked, read_only=True) as store:
        reasons = {r[0] for r in store.query("SELECT record->>'reason' FROM drift")}
        lines = store.query(
            "SELECT count(*) FILTER (record->>'line' = 'kept'), count(*) FROM verdicts"
        )
    assert reasons == {"kept"}  # the stored rows, not a new computation
    assert lines == [(stories, stories + 1)]  # the ferry story's verdict is new


def _mark_stored(db: Path, table: str, key: str, field: str) -> None:
    """Overwrite ``field`` of every stored row of ``table`` with "kept" (to see whether a
    later ingest keeps the rows)."""
    with duckdb.connect(str(db)) as con:
        found = con.execute(f"SELECT {key}, record FROM {table}").fetchall()
        for value, record in found:
            data = json.loads(record)
            data[field] = "kept"
            con.execute(f"UPDATE {table} SET record = ? WHERE {key} = ?", [json.dumps(data), value])


@pytest.mark.model
def test_ingest_with_nothing_new_keeps_the_stored_analysis(
    seed_store: Path, seeds_dir: Path
) -> None:
    with Store(seed_store, read_only=True) as store:
        before = store.analysis_run()
    again = api.ingest([seeds_dir], seed_store)
    assert (again.added, again.analysed) == (0, False)
    with Store(seed_store, read_only=True) as store:
        assert store.analysis_run() == before


@pytest.mark.model
def test_page_queries_read_their_rows(seed_store: Path, seed_dossier: Dossier) -> None:
    with Store(seed_store, read_only=True) as store:
        for story in seed_dossier.stories:
            page = store.story_page(story.story_id)
            assert page is not None and page.story == story
            assert page.claims == tuple(
                c for c in seed_dossier.claims if c.story_id == story.story_id
            )
        claim = max(seed_dossier.claims, key=lambda c: len(c.mentions))
        found = store.claim_page(claim.claim_id)
        assert found is not None and found.claim == claim
        assert [(m["doc_id"], m["start"]) for m in found.mentions] == sorted(
            (m.span.doc_id, m.span.start) for m in claim.mentions
        )
        doc_id = seed_dossier.quotes[0].doc_id
        doc = store.document_page(doc_id)
        assert doc is not None
        assert doc.quotes == tuple(q for q in seed_dossier.quotes if q.doc_id == doc_id)
        assert {m["claim_id"] for m in doc.claim_mentions} == {
            c.claim_id for c in seed_dossier.claims if doc_id in c.doc_ids
        }
        assert store.story_page("story-none") is None and store.claim_page("c0") is None


@pytest.mark.model
def test_stories_come_from_the_stories_table(seed_store: Path, seed_json: dict[str, Any]) -> None:
    told: list[str] = []
    assert api.stories_from_store(seed_store, status=told.append) == seed_json["stories"]
    assert told == []


@pytest.mark.model
def test_exports_open_in_duckdb_and_validate(seed_store: Path, tmp_path: Path) -> None:
    from followthemoney import model

    summary = api.export_store(seed_store, tmp_path, "both")
    names = {f.name for f in summary.files}
    con = duckdb.connect()
    with Store(seed_store, read_only=True) as store:
        for table in ["documents", "diagnostics", "runs", *(t.name for t in tables.TABLES)]:
            assert {f"{table}.parquet", f"{table}.csv"} <= names
            (stored,) = store.query(f'SELECT count(*) FROM "{table}"')[0]
            for reader, suffix in (("read_parquet", "parquet"), ("read_csv", "csv")):
                path = str(tmp_path / f"{table}.{suffix}")
                assert con.execute(f"SELECT count(*) FROM {reader}(?)", [path]).fetchone() == (
                    stored,
                )
    # FollowTheMoney: every line a valid entity, articles linked to who they mention and quote
    entities = [
        json.loads(line) for line in (tmp_path / "entities.ftm.jsonl").read_text().splitlines()
    ]
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and schema.validate(data) is None, data
        assert model.get_proxy(data).id == data["id"]
    by_id = {e["id"]: e for e in entities}
    kinds = {e["schema"] for e in entities}
    assert {"Person", "Organization", "Article", "Documentation"} <= kinds
    for link in (e for e in entities if e["schema"] == "Documentation"):
        assert by_id[link["properties"]["document"][0]]["schema"] == "Article"
        assert by_id[link["properties"]["entity"][0]]["schema"] in {
            "Person",
            "Organization",
            "LegalEntity",
        }
    # schema.org claims: JSON-LD that expands offline, appearances but no rating
    import rdflib

    text = (tmp_path / "claims.jsonld").read_text(encoding="utf-8")
    graph = rdflib.Graph().parse(data=text, format="json-ld")
    schema_org = rdflib.Namespace("https://schema.org/")
    claims = set(graph.subjects(rdflib.RDF.type, schema_org.Claim))
    assert len(claims) == int(con.execute(
        "SELECT count(*) FROM read_parquet(?)", [str(tmp_path / "claims.parquet")]
    ).fetchone()[0])  # fmt: skip
    assert all(list(graph.objects(c, schema_org.appearance)) for c in claims)
    assert "Rating" not in text and "ClaimReview" not in text


def _downgrade_to_version_1(db: Path) -> None:
    """What a store made before the analysis tables looked like."""
    con = duckdb.connect(str(db))
    for name in ["runs", "doc_parses", *(t.name for t in tables.TABLES)]:
        con.execute(f'DROP TABLE "{name}"')
    con.execute("UPDATE storytrace_meta SET value = '1' WHERE key = 'version'")
    con.close()


def test_a_version_1_store_is_read_and_migrated(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "old.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    _downgrade_to_version_1(db)
    with Store(db, read_only=True) as store:  # a reader leaves it as it is
        assert store.version == "1" and store.analysis_run() is None
        assert store.story_page("story-x") is None
        assert "no analysis" in (store.analysis_problem("0", (), "") or "")
    assert len(api.dossier_from_store(db, DOCS_ONLY).documents) == 5
    with Store(db) as store:  # a writer adds the analysis tables, empty
        assert store.version == "2" and store.count() == 5
    with Store(db, read_only=True) as store:
        assert store.query("SELECT count(*) FROM claims") == [(0,)]


@pytest.mark.model
def test_a_version_1_store_gets_its_analysis_from_the_next_ingest(
    tmp_path: Path, seeds_dir: Path
) -> None:
    db = tmp_path / "old.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    _downgrade_to_version_1(db)
    report = [
        sys.executable,
        "-m",
        "storytrace",
        "report",
        "--db",
        str(db),
        "--out",
        str(tmp_path / "o"),
    ]
    first = subprocess.run(report, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0 and "Traceback" not in first.stderr
    assert "computing the analysis" in first.stderr and "storytrace ingest" in first.stderr
    summary = api.ingest([seeds_dir], db)
    assert (summary.added, summary.analysed) == (0, True)
    again = subprocess.run(report, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0 and "computing" not in again.stderr


def test_a_store_from_a_newer_storytrace_is_refused(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "new.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    con = duckdb.connect(str(db))
    con.execute("UPDATE storytrace_meta SET value = '99' WHERE key = 'version'")
    con.close()
    before = db.read_bytes()
    for read_only in (True, False):
        with pytest.raises(StoreError) as info:
            Store(db, read_only=read_only)
        assert info.value.code == "ST144"
    assert db.read_bytes() == before


def test_an_unknown_export_format_is_a_clear_error(tmp_path: Path, seeds_dir: Path) -> None:
    db = tmp_path / "s.duckdb"
    api.ingest([seeds_dir], db, DOCS_ONLY)
    with pytest.raises(Exception) as info:
        api.export_store(db, tmp_path / "x", "xlsx")
    assert getattr(info.value, "code", None) == "ST104"
    done = subprocess.run(
        [sys.executable, "-m", "storytrace", "export", "--db", str(db), "--out", str(tmp_path / "c"),
         "--format", "csv"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        "diagnostics.csv",
        "documents.csv",
    ]


KILL_TRIALS = int(os.environ.get("STORYTRACE_KILL_TRIALS", "3"))


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.parametrize("trial", range(KILL_TRIALS))
def test_a_killed_analysis_leaves_the_previous_one(
    tmp_path: Path, seeds_dir: Path, trial: int
) -> None:
    db = tmp_path / "s.duckdb"
    shutil.copytree(seeds_dir, tmp_path / "a")
    api.ingest([tmp_path / "a"], db)
    before = _tables(db)
    later = tmp_path / "b"
    _bulletin(sorted(seeds_dir.glob("*.txt"))[0], later, trial)
    cmd = [sys.executable, "-m", "storytrace", "ingest", str(tmp_path / "a"), str(later),
           "--db", str(db), "--json-log"]  # fmt: skip
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    for line in child.stderr:  # the documents are committed; the analysis starts
        if '"event": "status"' in line:
            break
    import time

    time.sleep(random.Random(trial).uniform(0.0, 4.0))
    child.send_signal(signal.SIGKILL)
    child.wait()
    with Store(db, read_only=True) as store:
        problem = store.analysis_problem(*_stamp(store))
        assert store.count() == 6
    if problem is not None:  # killed before the commit: the previous analysis, whole
        assert "documents were added" in problem
        assert _tables(db) == before
    summary = api.ingest([tmp_path / "a", later], db)
    assert summary.analysed == (problem is not None)
    with Store(db, read_only=True) as store:
        assert store.analysis_problem(*_stamp(store)) is None


def _stamp(store: Store) -> tuple[str, tuple[str, ...], str]:
    from storytrace import __version__
    from storytrace.store import incremental

    config = AnalyzeConfig()
    return __version__, config.corpus_stages, incremental.config_digest(config)


@pytest.mark.model
@pytest.mark.parametrize(
    ("table", "column", "sample"),
    [("stories", "story_id", "stories"), ("claims", "claim_id", "claims"),
     ("claim_mentions", "claim_id", "claims"), ("quotes", "doc_id", "quotes"),
     ("story_documents", "doc_id", "story_documents")],
)  # fmt: skip
def test_page_lookups_are_index_scans(
    seed_store: Path, table: str, column: str, sample: str
) -> None:
    with Store(seed_store, read_only=True) as store:
        value = store.query(f'SELECT min("{column}") FROM "{sample}"')[0][0]
        plan = store.query(f'EXPLAIN ANALYZE SELECT * FROM "{table}" WHERE "{column}" = ?', [value])
    assert "Index Scan" in plan[0][1]


@pytest.mark.model
def test_a_story_read_by_its_rows_is_that_story_of_the_whole_dossier(
    seed_store: Path, seed_dossier: Dossier
) -> None:
    """What a claim or article page shows at any store size: one story read by indexed
    rows, equal to that story's part of the whole dossier."""
    from storytrace.web.pages import claim_view, story_of_document

    assert seed_dossier.claims
    with Store(seed_store, read_only=True) as store:
        for story in seed_dossier.stories:
            part = api.story_from_store(store, story.story_id)
            assert part is not None
            whole = story_of_document(seed_dossier, story.doc_ids[0])
            assert [d.doc_id for d in part.documents] == [d.doc_id for d in whole.documents]
            for section in ("claims", "quotes", "verdicts", "drift", "disagreements", "timeline"):
                assert getattr(part, section) == getattr(whole, section), section
            for claim in whole.claims:
                assert store.story_of(claim_id=claim.claim_id) == story.story_id
                assert claim_view(part, claim.claim_id) == claim_view(seed_dossier, claim.claim_id)
        assert api.story_from_store(store, "story-none") is None
        assert store.story_of(doc_id="0" * 16) is None


def test_the_default_stages_are_the_ones_an_ingest_reuses_per_story() -> None:
    """The store reuses stored results story by story only for stage versions known to be
    separable by story; a new version of one of them must be checked and listed there, or
    every ingest would silently recompute the whole store."""
    from storytrace.pipeline.config import AnalyzeConfig
    from storytrace.store import incremental, per_story

    stages = AnalyzeConfig().corpus_stages
    assert incremental.CLAIM_STAGE in stages
    after = stages[stages.index(incremental.CLAIM_STAGE) + 1 :]
    assert per_story.runnable(after, False) == per_story.STAGES
