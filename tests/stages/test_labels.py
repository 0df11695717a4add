"""An article is named as a reader names it: outlet and headline, else its input's own id or
file name -- never by the content hash (``article 1fa1056add8a2862``)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers import body_document

from storytrace.records import Metadata, Quote, SourceRef, TextValue
from storytrace.stages.ingest.config import IngestConfig
from storytrace.stages.ingest.files import iter_inputs
from storytrace.stages.lineage.provenance import quote_origin


def test_labels_jsonl_id_names_the_article(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"id": "1_10ecbplus", "text": "A sentence of an article."},
        {"text": "Another one here."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first, second = iter_inputs([str(path)], IngestConfig())
    assert first.source == SourceRef(str(path), "id 1_10ecbplus")
    assert first.source.name == "1_10ecbplus"
    assert second.source.member == "line 2" and second.source.name == "feed.jsonl [line 2]"


def test_labels_document_name_prefers_outlet_and_headline() -> None:
    doc = body_document("Text.", "d1")
    assert doc.name == "x"  # no outlet, no headline: the input's file name
    titled = body_document("Text.", "d2", Metadata(title=TextValue("Quake strikes")))
    assert titled.name == "“Quake strikes”"
    both = body_document(
        "Text.", "d3", Metadata(title=TextValue("Quake strikes"), outlet=TextValue("Daily A"))
    )
    assert both.name == "Daily A: “Quake strikes”"


def test_labels_unnamed_article_origin_is_not_a_hash() -> None:
    doc = body_document("Police said the road is closed.", "1fa1056add8a2862")
    quote = Quote(
        doc.doc_id, f"{doc.doc_id}:q0", "indirect", (), None, "", None, "", None, False, None,
        None, (), "test",
    )  # fmt: skip
    label = quote_origin(quote, doc).label
    assert "1fa1056add8a2862" not in label and "(own reporting)" in label
