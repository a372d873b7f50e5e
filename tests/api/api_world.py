"""A small simulated world in Neo4j with scores written by write_scores (for API tests and bench/load.py).

Scores come from ``graphfraud.scoring.score_calls`` when it exists, otherwise from the simulator's
ground truth as synthetic tables in the contract of docs/graph-model.md.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pyarrow as pa
import pyarrow.compute as pc
from neo4j import Driver

from graphfraud.cdr import validate_calls
from graphfraud.sim import SimConfig, World, simulate_world
from graphfraud.store.loader import apply_schema, ingest_calls
from graphfraud.store.writeback import write_scores

RING_REASONS = {
    "CO_TARGETING": ("Calls the same strangers as other suspected numbers", "与其他可疑号码呼叫同一批陌生人",
                     "co_target_partners", 6.0, 0.0),
    "FIRST_CONTACT_FANOUT": ("Calls many numbers it never called before", "大量首次外呼陌生号码",
                             "first_contact_fanout", 140.0, 3.0),
}  # fmt: skip


def _explanation(codes: list[str], scale: float) -> str:
    out = []
    for code in codes:
        en, zh, feature, value, typical = RING_REASONS[code]
        evidence = {"feature": feature, "value": round(value * scale, 2), "typical": typical}
        out.append({"code": code, "en": en, "zh": zh, "evidence": evidence})
    return json.dumps(out, ensure_ascii=False)


def synthetic_scores(world: World) -> tuple[pa.Table, pa.Table]:
    """Numbers and rings score tables from the ground truth (deterministic)."""
    rows, members = [], defaultdict(list)
    for t in world.truth.to_pylist():
        ring = t["ring"] or None
        if t["fraud"]:
            codes = ["CO_TARGETING", "FIRST_CONTACT_FANOUT"] if ring else ["FIRST_CONTACT_FANOUT"]
            risk, tier = (0.93, "suspend") if ring else (0.72, "verify_online")
        else:
            codes, risk, tier, ring = [], 0.04, "normal", None
        if ring:
            members[ring].append(t["number"])
        rows.append({"number": t["number"], "risk": risk, "tier": tier, "ring_id": ring, "reasons": codes,
                     "explanation": _explanation(codes, 1.0),
                     "features": json.dumps({"first_contact_fanout": 140.0 if codes else 2.0})})  # fmt: skip
    rings = [{"ring_id": r, "risk": 0.95, "tier": "suspend", "size": len(m), "members": sorted(m),
              "reasons": ["CO_TARGETING"], "explanation": _explanation(["CO_TARGETING"], 1.0),
              "features": json.dumps({"members": len(m)})} for r, m in sorted(members.items())]  # fmt: skip
    numbers = pa.Table.from_pylist(rows, schema=pa.schema([
        ("number", pa.string()), ("risk", pa.float64()), ("tier", pa.string()), ("ring_id", pa.string()),
        ("reasons", pa.list_(pa.string())), ("explanation", pa.string()),
        ("features", pa.string())]))  # fmt: skip
    ring_table = pa.Table.from_pylist(rings, schema=pa.schema([
        ("ring_id", pa.string()), ("risk", pa.float64()), ("tier", pa.string()), ("size", pa.int64()),
        ("members", pa.list_(pa.string())), ("reasons", pa.list_(pa.string())), ("explanation", pa.string()),
        ("features", pa.string())]))  # fmt: skip
    return numbers, ring_table


def load_scored_world(driver: Driver, *, people: int = 1000, days: int = 1, seed: int = 7) -> World:
    """Empty the database, ingest a simulated world and write its scores."""
    with driver.session() as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()
    apply_schema(driver)
    world = simulate_world(SimConfig(people=people, days=days, seed=seed))
    raw = world.calls.append_column("__line", pa.array(range(2, world.calls.num_rows + 2), pa.int64()))
    raw = raw.set_column(raw.schema.get_field_index("start_time"), "start_time",
                         pc.cast(pc.cast(world.calls["start_time"], pa.int64()), pa.string()))  # fmt: skip
    ingest_calls(driver, validate_calls(raw).table)
    write_scores(driver, *synthetic_scores(world))
    return world


def ring_member(world: World) -> str:
    """A number that sits in a simulated ring."""
    truth = world.truth.filter(pc.not_equal(world.truth["ring"], ""))
    return sorted(truth["number"].to_pylist())[0]
