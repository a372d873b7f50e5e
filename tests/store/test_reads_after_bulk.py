"""Reads survive a database rebuilt under them, whose transaction ids start again from 1."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from neo4j import AsyncGraphDatabase, Driver

from graphfraud.cdr import read_calls
from graphfraud.store import reads
from graphfraud.store.bulk import bulk_import
from graphfraud.store.driver import neo4j_auth

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def run_past_transactions(driver: Driver, count: int = 200) -> None:
    """Move the database's transaction id ``count`` on, past what a rebuilt database reaches soon.

    Each one must change something: a transaction that changes nothing takes no id.
    """
    with driver.session() as s:
        for _ in range(count):
            s.run("CREATE (:TxPad)").consume()


def test_a_read_drops_bookmarks_that_a_rebuilt_database_cannot_reach(
    empty_db: Driver, settings, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "caller,callee,start_time,duration_s,cell_id,imei\n"
        "19300000001,13900000001,2026-11-02T10:00:00+08:00,40,C9,860000000000009\n"
    )
    run_past_transactions(empty_db)

    async def scenario() -> tuple[bool, reads.StoredVersions]:
        # The liveness check swaps the connections the restart closed for new ones unseen, so
        # the next read reaches the rebuilt database with the old database's bookmarks.
        driver = AsyncGraphDatabase.driver(settings.bolt_uri, auth=neo4j_auth(settings),
                                           liveness_check_timeout=0)  # fmt: skip
        try:
            assert await reads.ping(driver)  # the reads hold a bookmark of the old database
            await asyncio.to_thread(bulk_import, settings, read_calls(path).table)
            return await reads.ping(driver), await reads.graph_version(driver)
        finally:
            await driver.close()

    answered, versions = asyncio.run(scenario())
    assert answered and versions.graph.startswith("1@")  # the new database's first version
    assert "behind this worker's bookmarks" in caplog.text  # read again, without them
