"""POST /v1/calls (validated, idempotent) and the rings endpoints."""

from __future__ import annotations

import pytest
from conftest import headers
from fastapi.testclient import TestClient
from neo4j import Driver

from graphfraud.sim import World
from graphfraud.store.cypher import query

pytestmark = pytest.mark.neo4j

GOOD = [
    {"caller": "13811110001", "callee": "13811110002", "start_time": "2026-11-02T08:15:03+08:00",
     "duration_s": 35, "cell_id": "C1", "imei": "860000000000001"},
    {"caller": "+86 138-1111-0001", "callee": "13811110003", "start_time": 1793600000, "duration_s": "0"},
]  # fmt: skip


def _calls(driver: Driver) -> int:
    with driver.session() as s:
        return s.run(query("count_graph")).single()["calls"]


def test_ingest_is_idempotent_and_reports_bad_rows(client: TestClient, neo4j_driver: Driver) -> None:
    h = headers("admin")
    before = _calls(neo4j_driver)
    r = client.post("/v1/calls", headers=h, json=GOOD)
    assert r.status_code == 200 and r.json()["accepted"] == 2
    assert client.post("/v1/calls", headers=h, json=GOOD).status_code == 200
    assert _calls(neo4j_driver) == before + 2
    bad = [*GOOD, {"caller": "oops", "callee": "13811110002", "start_time": "soon", "duration_s": 1},
           {"caller": "13811110001", "callee": "13811110009", "start_time": 1793600000, "duration_s": -4}]
    r = client.post("/v1/calls", headers=h, json=bad)
    body = r.json()
    assert r.status_code == 422 and body["accepted"] == 2
    assert [(e["line"], e["reason"]) for e in body["errors"]] == [
        (3, "caller is not a phone number (digits, at most 15)"), (4, "duration_s is negative")]
    assert _calls(neo4j_driver) == before + 2
    missing = client.post("/v1/calls", headers=h, json=[GOOD[0], {"caller": "13811110001"}]).json()
    assert missing["error"] == "invalid_input" and {e["line"] for e in missing["errors"]} == {2}


def test_rings_by_score_and_one_ring(client: TestClient, world: World) -> None:
    h = headers("investigator")
    page = client.get("/v1/rings?limit=2", headers=h).json()
    rings = {t["ring"] for t in world.truth.to_pylist() if t["ring"]}
    assert page["total"] == len(rings) and len(page["items"]) == min(2, len(rings))
    ring = client.get(f"/v1/rings/{page['items'][0]['ring_id']}", headers=h).json()
    assert ring["members"] and ring["reasons"][0]["zh"]
    assert client.get("/v1/rings/no-such-ring", headers=h).status_code == 404
    assert client.get("/v1/rings", headers=headers("consumer")).status_code == 403
