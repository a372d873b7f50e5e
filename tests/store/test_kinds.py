"""The kind of numbers a database holds is claimed by its first writer, atomically (real Neo4j)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from neo4j import Driver

from graphfraud.cli import main
from graphfraud.errors import ConfigError
from graphfraud.store.kinds import check_number_kind, claim_number_kind

pytestmark = pytest.mark.neo4j


def _claims(driver: Driver) -> list[str]:
    with driver.session() as s:
        return [r["kind"] for r in s.run("MATCH (k:NumberKind) RETURN k.kind AS kind")]


def test_the_first_writer_into_an_empty_database_claims_its_kind(empty_db: Driver) -> None:
    check_number_kind(empty_db, [], pseudonymized=False, command="ingest")
    assert _claims(empty_db) == ["digits"]
    claim_number_kind(empty_db, tokens=False)  # the same kind again: fine
    with pytest.raises(ConfigError, match="claimed for raw numbers"):
        check_number_kind(empty_db, [], pseudonymized=True, command="ingest")
    assert _claims(empty_db) == ["digits"]


def _claim_at_once(driver: Driver, start: threading.Barrier, tokens: bool, errors: list) -> None:
    start.wait()
    try:
        claim_number_kind(driver, tokens=tokens)
    except ConfigError as exc:
        errors.append(exc)


def test_of_two_first_writers_of_different_kinds_one_gets_through(empty_db: Driver) -> None:
    """Both saw an empty database; without the claim both would have written."""
    for _ in range(6):
        with empty_db.session() as s:
            s.run("MATCH (k:NumberKind) DELETE k").consume()
        start, errors = threading.Barrier(2), []
        threads = [threading.Thread(target=_claim_at_once, args=(empty_db, start, t, errors))
                   for t in (True, False)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert len(errors) == 1 and len(_claims(empty_db)) == 1


def test_an_ingest_into_a_database_claimed_for_tokens_writes_nothing(
    empty_db: Driver, tmp_path: Path, capsys
) -> None:
    claim_number_kind(empty_db, tokens=True)  # a pseudonymising writer began a moment ago
    path = tmp_path / "calls.csv"
    path.write_text("caller,callee,start_time,duration_s\n13800138000,13900000001,1793600000,30\n")
    assert main(["ingest", "--calls", str(path)]) == 2
    assert "claimed for pseudonymised numbers" in capsys.readouterr().err
    with empty_db.session() as s:
        assert s.run("MATCH (p:Phone) RETURN count(p) AS n").single()["n"] == 0


def test_a_database_that_holds_numbers_needs_no_claim(empty_db: Driver) -> None:
    """Numbers already stored are the check; a database written before claims existed works."""
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: '13900000009'})").consume()
    check_number_kind(empty_db, ["13900000009"], pseudonymized=False, command="ingest")
    assert _claims(empty_db) == []
