"""Risk, evidence, appeals, audit, access and trouble, on a scored world in the real Neo4j."""

from __future__ import annotations

import pytest
from conftest import headers
from fastapi.testclient import TestClient
from pydantic import SecretStr

from graphfraud.api import create_app
from graphfraud.settings import Settings
from graphfraud.sim import World

pytestmark = pytest.mark.neo4j


def test_keys_and_roles(client: TestClient, member: str) -> None:
    risk, evidence = f"/v1/numbers/{member}/risk", f"/v1/numbers/{member}/evidence"
    assert client.get(risk).status_code == 401
    assert client.get(risk, headers={"X-API-Key": "nope"}).json()["error"] == "unauthorized"
    assert client.get(risk, headers=headers("consumer")).status_code == 200
    assert client.get(evidence, headers=headers("consumer")).status_code == 403
    assert client.get(evidence, headers=headers("investigator")).status_code == 200
    assert client.post("/v1/calls", json=[], headers=headers("investigator")).status_code == 403


def test_risk_of_a_ring_member(client: TestClient, member: str) -> None:
    body = client.get(f"/v1/numbers/{member}/risk", headers=headers("consumer")).json()
    assert body["number"] == member and body["tier"] == "suspend" and body["ring_id"]
    assert body["risk"] == pytest.approx(0.93) and body["computed_at"]
    reason = body["reasons"][0]
    assert reason["code"] == "CO_TARGETING" and reason["zh"] and reason["en"]
    assert reason["evidence"]["feature"] == "co_target_partners"


def test_numbers_are_validated_and_normalised(client: TestClient, member: str) -> None:
    h = headers("consumer")
    assert client.get("/v1/numbers/12ab/risk", headers=h).status_code == 422
    assert client.get("/v1/numbers/1234567890123456/risk", headers=h).status_code == 422
    assert client.get("/v1/numbers/13000000000/risk", headers=h).json()["error"] == "not_found"
    spaced = f"+86 {member[:3]}-{member[3:7]}-{member[7:]}"
    assert client.get(f"/v1/numbers/{spaced}/risk", headers=h).json()["number"] == member
    # digits only with the 0086 code: the same number, as ingest and score store it
    assert client.get(f"/v1/numbers/0086{member}/risk", headers=h).json()["number"] == member


def test_evidence_shows_the_ring_and_respects_caps(client: TestClient, member: str, world: World) -> None:
    h = headers("investigator")
    ev = client.get(f"/v1/numbers/{member}/evidence?hops=1", headers=h).json()
    roles = {n["id"]: n["role"] for n in ev["nodes"]}
    ring = [t["number"] for t in world.truth.to_pylist() if t["ring"] and t["ring"] == ev["ring_id"]]
    assert roles[member] == "subject" and ev["ring_size"] == len(ring)
    assert {n for n, r in roles.items() if r == "ring_member"} == set(ring) - {member}
    assert "victim" in roles.values()
    called = [e for e in ev["edges"] if e["kind"] == "called"]
    assert called and all(e["calls"] >= 1 and e["first_at"] <= e["last_at"] for e in called)
    two = client.get(f"/v1/numbers/{member}/evidence?hops=2", headers=h).json()
    assert len(two["nodes"]) >= len(ev["nodes"])
    capped = client.get(f"/v1/numbers/{member}/evidence?hops=2&limit=5", headers=h).json()
    assert len(capped["nodes"]) <= 5 and capped["truncated"] is True
    assert client.get(f"/v1/numbers/{member}/evidence?hops=3", headers=h).status_code == 422


def test_evidence_says_when_the_scan_budget_cut_calls(client: TestClient, member: str, monkeypatch) -> None:
    from graphfraud.api import evidence

    h = headers("investigator")
    full = client.get(f"/v1/numbers/{member}/evidence?hops=1&limit=300", headers=h).json()
    assert full["truncated"] is False and len(full["nodes"]) < 300  # everything fitted
    monkeypatch.setattr(evidence, "SCAN_BUDGET", 1)
    monkeypatch.setattr(evidence, "_MIN_SCAN", 1)  # one call read per number: the rest are cut
    cut = client.get(f"/v1/numbers/{member}/evidence?hops=1&limit=299", headers=h).json()
    assert cut["truncated"] is True and len(cut["nodes"]) < len(full["nodes"])


def test_appeal_changes_the_tier_and_is_audited(client: TestClient, world: World, member: str) -> None:
    ring = sorted(t["number"] for t in world.truth.to_pylist() if t["ring"] and t["number"] != member)
    number, h = ring[-1], headers("investigator")
    assert client.get(f"/v1/numbers/{number}/risk", headers=h).json()["tier"] == "suspend"
    out = client.post(f"/v1/numbers/{number}/appeals", headers=h,
                      json={"outcome": "cleared", "by": "analyst-3", "valid_until": "2099-01-01",
                            "note": "verified shop owner"})  # fmt: skip
    assert out.status_code == 201 and out.json()["tier"] == "monitor"
    risk = client.get(f"/v1/numbers/{number}/risk", headers=h).json()
    assert risk["tier"] == "monitor" and risk["model_tier"] == "suspend"
    assert risk["reasons"][0]["code"] == "APPEAL_CLEARED" and risk["reasons"][0]["zh"]
    events = client.get(f"/v1/numbers/{number}/audit", headers=h).json()["events"]
    assert [e["kind"] for e in events] == ["tier_change", "appeal", "tier_change"]
    assert events[1]["actor"] == "analyst-3" and events[2]["detail"]["to"] == "monitor"
    bad = client.post(f"/v1/numbers/{number}/appeals", headers=h, json={"outcome": "maybe", "by": "x"})
    assert bad.status_code == 422
    assert client.post("/v1/numbers/13000000000/appeals", headers=h,
                       json={"outcome": "cleared", "by": "x"}).status_code == 404  # fmt: skip


def test_health_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
    text = client.get("/metrics").text
    assert 'route="/v1/numbers/{number}/risk"' in text and "graphfraud_http_request_duration_seconds" in text
    assert "/v1/numbers/{number}/evidence" in client.get("/openapi.json").json()["paths"]


def test_neo4j_down_is_a_clear_503(api_settings: Settings) -> None:
    nowhere = {"neo4j_uri": "bolt://127.0.0.1:9", "neo4j_password": SecretStr("x")}
    down = api_settings.model_copy(update=nowhere)
    with TestClient(create_app(down)) as c:
        r = c.get("/v1/numbers/13800138000/risk", headers=headers("consumer"))
        assert r.status_code == 503 and r.json()["error"] == "neo4j_unavailable"
        assert c.get("/readyz").status_code == 503
        assert c.get("/healthz").status_code == 200
        assert c.post("/v1/calls", headers=headers("admin"), json=[{"caller": "13800138000", "callee": "139",
                      "start_time": 1793600000, "duration_s": 3}]).status_code == 503  # fmt: skip
