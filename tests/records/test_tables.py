"""The stored form of a dossier: lossless records and the flat tables built from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

import duckdb
import pytest

from storytrace.records import Dossier, rows, tables
from storytrace.records.document import DateValue


@dataclass(frozen=True, slots=True)
class _Sample:
    when: date | datetime | None
    values: tuple[str, ...]
    nested: DateValue | None = None


def test_dates_and_datetimes_come_back_as_they_were() -> None:
    for when in (date(2025, 4, 9), datetime(2025, 4, 9, 12, 58), None):
        sample = _Sample(when, ("a", "b"), DateValue.unknown())
        assert rows.loads(rows.dumps(sample), _Sample) == sample
        assert type(rows.loads(rows.dumps(sample), _Sample).when) is type(when)


def test_data_of_the_wrong_shape_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        rows.from_data({"when": 5, "values": ["a"]}, _Sample)


@pytest.mark.model
def test_a_whole_dossier_survives_the_round_trip(seed_dossier: Dossier) -> None:
    assert rows.loads(rows.dumps(seed_dossier), Dossier) == seed_dossier


@pytest.mark.model
def test_tables_load_into_duckdb_and_rebuild_the_dossier(seed_dossier: Dossier) -> None:
    con = duckdb.connect()
    data = tables.table_rows(seed_dossier)
    for table in tables.TABLES:
        cols = ", ".join(f'"{name}" {kind}' for name, kind in table.columns)
        con.execute(f'CREATE TABLE "{table.name}" ({cols})')
        if data[table.name]:
            marks = ", ".join("?" for _ in table.columns)
            con.executemany(f'INSERT INTO "{table.name}" VALUES ({marks})', data[table.name])
    records = {
        t.name: [r[0] for r in con.execute(f'SELECT record FROM "{t.name}" ORDER BY ord').fetchall()]
        for t in tables.TABLES
        if t.section is not None
    }
    assert replace(seed_dossier, **tables.sections_from_records(records)) == seed_dossier
    # the child tables answer the questions a reader asks without decoding JSON
    mentions = con.execute("SELECT count(*) FROM claim_mentions").fetchone()
    assert mentions is not None
    assert mentions[0] == sum(len(c.mentions) for c in seed_dossier.claims)
    reuters = con.execute(
        "SELECT count(DISTINCT claim_id) FROM claim_origins WHERE label = 'Reuters'"
    ).fetchone()
    assert reuters is not None and reuters[0] >= 1


def test_every_record_table_names_a_dossier_section() -> None:
    assert set(tables.STORED_SECTIONS) == set(tables.SECTION_TYPES)
    for table in tables.TABLES:
        assert set(table.key) <= set(table.column_names), table.name
