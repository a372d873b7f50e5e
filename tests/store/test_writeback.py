"""Score write-back on the real Neo4j: tiers, rings, stale memberships, appeals, audit events."""

from __future__ import annotations

import asyncio
import json
from datetime import date

import pyarrow as pa
import pytest
from neo4j import AsyncGraphDatabase, Driver

from graphfraud.settings import Settings
from graphfraud.store.driver import neo4j_auth
from graphfraud.store.writeback import (
    APPEAL_CLEARED,
    NEW_EVIDENCE_SINCE_APPEAL,
    AppealState,
    effective_tier,
    record_appeal,
    write_scores,
)

pytestmark = pytest.mark.neo4j

NUMBERS_SCHEMA = pa.schema([("number", pa.string()), ("risk", pa.float64()), ("tier", pa.string()),
                            ("ring_id", pa.string()), ("reasons", pa.list_(pa.string())),
                            ("explanation", pa.string()), ("features", pa.string())])  # fmt: skip
RINGS_SCHEMA = pa.schema([("ring_id", pa.string()), ("risk", pa.float64()), ("tier", pa.string()),
                          ("size", pa.int64()), ("members", pa.list_(pa.string())),
                          ("reasons", pa.list_(pa.string())), ("explanation", pa.string()),
                          ("features", pa.string())])  # fmt: skip


def _numbers(rows: list[tuple]) -> pa.Table:
    out = []
    for number, risk, tier, ring, reasons in rows:
        expl = [{"code": c, "en": f"{c} en", "zh": f"{c} 中文", "evidence": None} for c in reasons]
        features = json.dumps({"fanout": risk * 100})
        out.append({"number": number, "risk": risk, "tier": tier, "ring_id": ring, "reasons": reasons,
                    "explanation": json.dumps(expl), "features": features})  # fmt: skip
    return pa.Table.from_pylist(out, schema=NUMBERS_SCHEMA)


def _rings(rings: dict[str, list[str]]) -> pa.Table:
    rows = [
        {
            "ring_id": rid,
            "risk": 0.9,
            "tier": "suspend",
            "size": len(m),
            "members": m,
            "reasons": ["RING"],
            "explanation": "[]",
            "features": "{}",
        }
        for rid, m in rings.items()
    ]
    return pa.Table.from_pylist(rows, schema=RINGS_SCHEMA)


def _phone(driver: Driver, number: str) -> dict:
    with driver.session() as s:
        return s.run("MATCH (p:Phone {number: $n}) RETURN properties(p) AS p", n=number).single()["p"]


def _events(driver: Driver, number: str) -> list[dict]:
    with driver.session() as s:
        rows = s.run("MATCH (:Phone {number: $n})-[:HAS_EVENT]->(e) RETURN e ORDER BY e.at, e.kind", n=number)
        return [dict(r["e"]) for r in rows]


def _members(driver: Driver) -> set[tuple[str, str]]:
    with driver.session() as s:
        rows = s.run("MATCH (p:Phone)-[:MEMBER_OF]->(r:Ring) RETURN p.number AS n, r.ring_id AS r")
        return {(r["n"], r["r"]) for r in rows}


def _appeal(settings: Settings, number: str, outcome: str = "cleared") -> dict:
    async def go() -> dict:
        driver = AsyncGraphDatabase.driver(settings.bolt_uri, auth=neo4j_auth(settings))
        try:
            return await record_appeal(driver, number, outcome=outcome, by="analyst-7", note="bakery owner",
                                       valid_until=date(2099, 1, 1))  # fmt: skip
        finally:
            await driver.close()

    return asyncio.run(go())


def test_effective_tier_policy() -> None:
    today = date(2026, 1, 1)
    cleared = AppealState("cleared", date(2026, 6, 1), 0.8, ("FANOUT",))
    assert effective_tier("suspend", 0.85, ["FANOUT"], cleared, today) == ("monitor", APPEAL_CLEARED)
    reflag = ("suspend", NEW_EVIDENCE_SINCE_APPEAL)
    assert effective_tier("suspend", 0.99, ["FANOUT"], cleared, today) == reflag
    assert effective_tier("normal", 0.1, [], cleared, today) == ("normal", APPEAL_CLEARED)
    expired = AppealState("cleared", date(2025, 12, 31), 0.8, ("FANOUT",))
    assert effective_tier("suspend", 0.85, ["FANOUT"], expired, today) == ("suspend", None)
    assert effective_tier("suspend", 0.85, ["FANOUT"], None, today) == ("suspend", None)


def test_write_scores_sets_tiers_rings_and_audit(empty_db: Driver) -> None:
    numbers = _numbers([("13800000001", 0.95, "suspend", "R1", ["FANOUT", "SHARED_DEVICE"]),
                        ("13800000002", 0.90, "suspend", "R1", ["FANOUT"]),
                        ("13800000003", 0.05, "normal", None, [])])  # fmt: skip
    stats = write_scores(empty_db, numbers, _rings({"R1": ["13800000001", "13800000002"]}))
    assert (stats.numbers, stats.rings, stats.memberships, stats.tier_changes) == (3, 1, 2, 2)
    p = _phone(empty_db, "13800000001")
    assert p["tier"] == p["model_tier"] == "suspend" and p["ring_id"] == "R1"
    assert json.loads(p["explanation"])[0]["code"] == "FANOUT"
    assert _members(empty_db) == {("13800000001", "R1"), ("13800000002", "R1")}
    [event] = _events(empty_db, "13800000001")
    assert event["kind"] == "tier_change" and event["actor"] == "scorer"
    assert json.loads(event["detail"])["to"] == "suspend"
    assert _events(empty_db, "13800000003") == []  # normal on first sight is no change

    # Same tables again: nothing changes, no new events. A new run moves a member: stale edge goes.
    assert write_scores(empty_db, numbers, _rings({"R1": ["13800000001", "13800000002"]})).tier_changes == 0
    moved = _numbers([("13800000001", 0.95, "suspend", "R2", ["FANOUT"]),
                      ("13800000002", 0.30, "monitor", None, ["FANOUT"])])  # fmt: skip
    write_scores(empty_db, moved, _rings({"R2": ["13800000001"]}))
    assert _members(empty_db) == {("13800000001", "R2")}
    with empty_db.session() as s:
        assert [r["id"] for r in s.run("MATCH (r:Ring) RETURN r.ring_id AS id")] == ["R2"]
    assert [json.loads(e["detail"])["to"] for e in _events(empty_db, "13800000002")] == ["suspend", "monitor"]


def test_appeal_holds_until_new_evidence(empty_db: Driver, settings: Settings) -> None:
    number = "13800000009"
    first = _numbers([(number, 0.80, "suspend", None, ["FANOUT"])])
    write_scores(empty_db, first, _rings({}))
    out = _appeal(settings, number)
    assert out["tier"] == "monitor" and out["reasons"][0] == APPEAL_CLEARED
    assert _phone(empty_db, number)["tier"] == "monitor"

    # Same behaviour scored again: not silently re-suspended.
    stats = write_scores(empty_db, first, _rings({}))
    p = _phone(empty_db, number)
    assert (p["tier"], p["model_tier"], p["reasons"][0]) == ("monitor", "suspend", APPEAL_CLEARED)
    assert stats.held_by_appeal == 1 and stats.tier_changes == 0

    # New evidence: re-flagged, with a reason code and an audit event.
    worse = _numbers([(number, 0.85, "suspend", None, ["FANOUT", "SIM_FARM_DEVICE"])])
    stats = write_scores(empty_db, worse, _rings({}))
    p = _phone(empty_db, number)
    assert (p["tier"], p["reasons"][0]) == ("suspend", NEW_EVIDENCE_SINCE_APPEAL)
    assert stats.reflagged == 1
    kinds = [(e["kind"], e["actor"]) for e in _events(empty_db, number)]
    assert kinds == [("tier_change", "scorer"), ("appeal", "analyst-7"), ("tier_change", "analyst-7"),
                     ("tier_change", "scorer")]  # fmt: skip
    last = json.loads(_events(empty_db, number)[-1]["detail"])
    assert last["because"] == NEW_EVIDENCE_SINCE_APPEAL


def test_every_write_moves_the_graph_version(empty_db: Driver, settings: Settings) -> None:
    """API workers drop cached answers when this version moves: writes must move it."""
    from graphfraud.store.cypher import query

    def version() -> tuple[int, int]:
        with empty_db.session() as s:
            row = s.run(query("graph_version")).single()
        return row["graph"], row["scores"]

    start = version()
    number = "13800000010"
    write_scores(empty_db, _numbers([(number, 0.80, "suspend", None, ["FANOUT"])]), _rings({}))
    after_scores = version()
    assert after_scores[0] > start[0] and after_scores[1] > start[1]  # risk cards changed: both move
    _appeal(settings, number)
    after_appeal = version()
    assert after_appeal[0] > after_scores[0] and after_appeal[1] == after_scores[1]  # one card, named:
    with empty_db.session() as s:
        row = s.run(query("graph_version")).single()
    assert row["cards"] == 1 and row["cards_numbers"] == [number]
