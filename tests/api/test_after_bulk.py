"""A running API keeps answering after ``ingest --bulk`` rebuilt the database under it (no 500s)."""

from __future__ import annotations

import time

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from api_world import synthetic_scores
from conftest import headers
from fastapi.testclient import TestClient
from neo4j import Driver

from graphfraud.api import create_app
from graphfraud.cdr import validate_calls
from graphfraud.settings import Settings
from graphfraud.sim import World
from graphfraud.store.bulk import bulk_import
from graphfraud.store.driver import connect
from graphfraud.store.writeback import write_scores

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def _validated_calls(world: World) -> pa.Table:
    raw = world.calls.append_column("__line", pa.array(range(2, world.calls.num_rows + 2), pa.int64()))
    raw = raw.set_column(raw.schema.get_field_index("start_time"), "start_time",
                         pc.cast(pc.cast(world.calls["start_time"], pa.int64()), pa.string()))  # fmt: skip
    return validate_calls(raw).table


def _until(client: TestClient, url: str, done, role: str | None = None, tries: int = 20) -> list[int]:
    """The statuses of ``url`` asked again (every 0.5 s) until ``done(response)``."""
    seen = []
    for _ in range(tries):
        response = client.get(url, headers=headers(role) if role else None)
        seen.append(response.status_code)
        if done(response):
            break
        time.sleep(0.5)
    return seen


def test_the_api_answers_after_a_bulk_import(
    api_settings: Settings, settings: Settings, world: World, member: str, neo4j_driver: Driver
) -> None:
    with neo4j_driver.session() as s:  # the old database's transaction ids run well ahead
        for _ in range(200):
            s.run("CREATE (:TxPad)").consume()  # (one that changes nothing takes no id)
    risk = f"/v1/numbers/{member}/risk"
    try:
        with TestClient(create_app(api_settings)) as client:
            assert client.get("/readyz").status_code == 200
            assert client.get(risk, headers=headers("consumer")).status_code == 200
            bulk_import(settings, _validated_calls(world))
            driver = connect(settings)
            try:
                write_scores(driver, *synthetic_scores(world))
            finally:
                driver.close()
            ready = _until(client, "/readyz", lambda r: r.status_code == 200)
            assert ready[-1] == 200 and set(ready) <= {200, 503}, ready
            # A card may be one poll (api_cache_poll_s) behind the new scores, never a 500.
            scored = _until(client, risk, lambda r: r.status_code == 200 and r.json()["tier"] == "suspend",
                            "consumer")  # fmt: skip
            assert scored[-1] == 200 and set(scored) <= {200, 503}, scored
            assert client.get(risk, headers=headers("consumer")).json()["tier"] == "suspend"
            # The version watcher still polls: it follows the new database's scores.
            state = client.app.state.graphfraud
            deadline = time.monotonic() + 10
            while state.risk_cache.version is None and time.monotonic() < deadline:
                time.sleep(0.2)
            assert state.risk_cache.version is not None
    finally:
        for _ in range(2):  # the restart closed the shared driver's connections; a failure drops them
            try:
                neo4j_driver.verify_connectivity()
                break
            except Exception:
                continue
