"""dossier.json: valid against the documented schema, spans consistent, unknowns null."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from storytrace import api
from storytrace.report.serialize import SECTIONS


@pytest.fixture(scope="module")
def data(seed_json: dict) -> dict:  # type: ignore[type-arg]
    return seed_json


@pytest.mark.model
def test_serialize_seed_dossier_is_valid_against_the_schema(data: dict) -> None:  # type: ignore[type-arg]
    api.validate(data)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("documents"),
        lambda d: d["documents"][0].update(doc_id="not-hex"),
        lambda d: d["documents"][0]["published"].update(precision="fortnight"),
        lambda d: d["documents"][0]["segments"][0].update(label="sidebar"),
        lambda d: d.update(extra=1),
        lambda d: d["sections"].update(stories="maybe"),
    ],
)
@pytest.mark.model
def test_serialize_schema_rejects_malformed_dossiers(data: dict, mutate) -> None:  # type: ignore[no-untyped-def, type-arg]
    broken = copy.deepcopy(data)
    mutate(broken)
    with pytest.raises(jsonschema.ValidationError):
        api.validate(broken)


@pytest.mark.model
def test_serialize_evidence_offsets_point_at_their_snippets(data: dict) -> None:  # type: ignore[type-arg]
    for doc in data["documents"]:
        for field in ("title", "outlet", "author", "url", "published"):
            for ev in doc[field]["evidence"]:
                if ev["ref"] in ("text", "page_text") and ev["start"] is not None:
                    assert doc[ev["ref"]][ev["start"] : ev["end"]] == ev["snippet"]


@pytest.mark.model
def test_serialize_marks_sections_not_computed(data: dict) -> None:  # type: ignore[type-arg]
    assert data["sections"]["documents"] == "computed"
    assert set(data["sections"]) == set(SECTIONS)
    # A full run computes every section; a documents-only run is tested below.
    assert all(state == "computed" for state in data["sections"].values())
    assert data["stories"] and data["timeline"]


def test_serialize_documents_only_run_marks_corpus_sections_not_computed(seeds_dir: Path) -> None:
    from dataclasses import replace

    from storytrace.pipeline.config import AnalyzeConfig

    fast = api.to_json_data(api.analyze([seeds_dir], replace(AnalyzeConfig(), corpus_stages=())))
    assert {k for k, v in fast["sections"].items() if v == "computed"} == {"documents"}
    assert fast["stories"] == fast["entities"] == fast["quotes"] == []


def test_serialize_schema_file_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(api.schema())
    documented = Path(__file__).resolve().parents[2] / "docs" / "schema.md"
    text = documented.read_text(encoding="utf-8")
    for field in api.schema()["$defs"]["document"]["properties"]:
        assert f"`{field}`" in text, f"docs/schema.md does not document document.{field}"


@pytest.mark.model
def test_serialize_json_round_trips(data: dict) -> None:  # type: ignore[type-arg]
    assert json.loads(json.dumps(data)) == data


@pytest.mark.model
def test_serialize_only_requested_corpus_sections_are_computed(seeds_dir: Path) -> None:
    from dataclasses import replace

    from storytrace.pipeline.config import AnalyzeConfig

    data = api.to_json_data(
        api.analyze([seeds_dir], replace(AnalyzeConfig(), corpus_stages=("quotes.rules.v4",)))
    )
    assert data["sections"]["quotes"] == "computed" and data["quotes"]
    assert data["sections"]["entities"] == "not_computed" and data["entities"] == []
    assert data["sections"]["stories"] == "not_computed"
