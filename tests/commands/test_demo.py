"""``graphfraud demo`` against the real Neo4j: it never mixes raw numbers into a pseudonymised
database."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graphfraud.cli import main
from graphfraud.store.cypher import query

pytestmark = pytest.mark.neo4j


def _counts(driver: Driver) -> tuple[int, int]:
    with driver.session() as s:
        rec = s.run(query("count_graph")).single()
    return rec["phones"], rec["calls"]


def test_demo_refuses_a_pseudonymised_database(empty_db: Driver, tmp_path: Path, settings_env,
                                               capsys) -> None:  # fmt: skip
    """The demo loads a simulated world's raw numbers; into a database that holds pseudonym
    tokens it stops before writing anything, naming the problem (exit 2)."""
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY="test-key-0123456789abcdef")
    calls = tmp_path / "calls.csv"
    calls.write_text("caller,callee,start_time,duration_s,cell_id,imei\n"
                     "13800138000,13900000001,2026-11-02T08:15:03+08:00,35,C1,860000000000001\n")  # fmt: skip
    assert main(["ingest", "--calls", str(calls), "--pseudonymize"]) == 0
    before = _counts(empty_db)
    code = main(["demo", "--people", "200", "--days", "1", "--out", str(tmp_path / "demo"),
                 "--no-serve"])  # fmt: skip
    assert code == 2
    assert "holds pseudonymised numbers" in capsys.readouterr().err
    assert _counts(empty_db) == before
