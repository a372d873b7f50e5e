"""The bulk-import fast path rebuilds the bundled database; the result matches the transactional path."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graphfraud.cdr import read_calls, read_subscribers
from graphfraud.store.bulk import bulk_import
from graphfraud.store.cypher import query
from graphfraud.store.driver import connect
from graphfraud.store.loader import ingest_calls

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def test_bulk_import_then_transactional_ingest_adds_nothing(
    empty_db: Driver, settings, tmp_path: Path
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "caller,callee,start_time,duration_s,cell_id,imei\n"
        "19300000001,13900000001,2026-11-02T10:00:00+08:00,40,C9,860000000000009\n"
        "19300000002,13900000001,2026-11-02T10:05:00+08:00,0,C9,860000000000009\n"
        "13900000001,19300000001,2026-11-02T11:00:00+08:00,60,,\n"
    )
    subs = tmp_path / "subscribers.csv"
    subs.write_text("number,activated_on\n19300000001,2026-10-30\n19300000003,2026-10-31\n")
    table = read_calls(calls).table
    stats = bulk_import(settings, table, read_subscribers(subs).table)
    assert (stats.calls, stats.phones, stats.devices) == (3, 4, 2)
    driver = connect(settings)  # the server was restarted: a fresh driver
    try:
        with driver.session() as s:
            names = {r["name"] for r in s.run(query("list_constraints"))}
            assert {"phone_number", "call_id"} <= names  # bulk_import applied the schema itself
            rec = s.run(query("count_graph")).single()
            assert (rec["phones"], rec["calls"]) == (4, 3)
            act = s.run(
                "MATCH (p:Phone {number: '19300000001'}) RETURN toString(p.activated_on) AS d"
            ).single()
            assert act["d"] == "2026-10-30"
            shared = s.run(
                "MATCH (:Device {imei: '860000000000009'})<-[:USED_DEVICE]-(p) RETURN count(p) AS n"
            )
            assert shared.single()["n"] == 2
        ingest_calls(driver, table)  # same ids as the bulk path: nothing new
        with driver.session() as s:
            rec = s.run(query("count_graph")).single()
        assert rec["calls"] == 3
    finally:
        driver.close()
