"""A bulk import imports values with line breaks, and one that fails leaves the old database served."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest
from neo4j import Driver

from graphfraud.cdr import read_calls
from graphfraud.errors import Neo4jServerError
from graphfraud.store.bulk import bulk_import
from graphfraud.store.driver import connect
from graphfraud.store.server import Neo4jServer

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

CALLS = (
    "caller,callee,start_time,duration_s,cell_id,imei\n"
    '19300000001,13900000001,2026-11-02T10:00:00+08:00,40,"C9\nNORTH",860000000000009\n'
    "19300000002,13900000001,2026-11-02T10:05:00+08:00,0,C9,860000000000009\n"
)


def _cells(settings) -> list[str]:
    driver = connect(settings)  # the server was restarted: a fresh driver
    try:
        with driver.session() as s:
            return sorted(r["id"] for r in s.run("MATCH (c:Cell) RETURN c.cell_id AS id"))
    finally:
        driver.close()


def test_a_cell_id_with_a_line_break_is_imported(empty_db: Driver, settings, tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(CALLS)
    stats = bulk_import(settings, read_calls(path).table)
    assert stats.calls == 2 and Neo4jServer(settings).status().running
    assert _cells(settings) == ["C9", "C9\nNORTH"]


def test_a_failed_import_restarts_neo4j_on_the_old_database(
    empty_db: Driver, settings, tmp_path: Path
) -> None:
    with empty_db.session() as s:
        s.run("CREATE (:Cell {cell_id: 'OLD'})").consume()
    path = tmp_path / "calls.csv"
    path.write_text(CALLS)
    # Not what read_subscribers passes on: a date the importer cannot parse makes it fail.
    subscribers = pa.table({"number": ["19300000001"], "activated_on": ["yesterday"]})
    with pytest.raises(Neo4jServerError, match=r"bulk import failed.*Neo4j was restarted"):
        bulk_import(settings, read_calls(path).table, subscribers)
    assert Neo4jServer(settings).status().running
    assert _cells(settings) == ["OLD"]
