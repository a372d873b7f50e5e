"""The kind of numbers a database holds is claimed by its first writer, atomically (real Neo4j)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from neo4j import Driver

from graphfraud.cli import main
from graphfraud.errors import KindConflict
from graphfraud.store.cypher import query
from graphfraud.store.kinds import CLAIM_STALE_S, check_number_kind, claim_number_kind
from graphfraud.store.loader import apply_schema

pytestmark = pytest.mark.neo4j


def _claims(driver: Driver) -> list[str]:
    with driver.session() as s:
        return [r["kind"] for r in s.run("MATCH (k:NumberKind) RETURN k.kind AS kind")]


def test_the_first_writer_into_an_empty_database_claims_its_kind(empty_db: Driver) -> None:
    check_number_kind(empty_db, [], pseudonymized=False, command="ingest")
    assert _claims(empty_db) == ["digits"]
    claim_number_kind(empty_db, tokens=False)  # the same kind again: fine
    with pytest.raises(KindConflict, match="claimed for raw numbers"):
        check_number_kind(empty_db, [], pseudonymized=True, command="ingest")
    assert _claims(empty_db) == ["digits"]


def _race(driver: Driver) -> list[Exception]:
    """Two writers, tokens and digits, claim the database at the same moment: what each raised."""
    start, errors = threading.Barrier(2), []

    def claim(tokens: bool) -> None:
        start.wait()
        try:
            claim_number_kind(driver, tokens=tokens)
        except Exception as exc:  # the tests assert which
            errors.append(exc)

    threads = [threading.Thread(target=claim, args=(t,)) for t in (True, False)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return errors


def _age_claim(driver: Driver) -> None:
    """Make the claim a minute older than stale."""
    with driver.session() as s:
        s.run("MATCH (k:NumberKind) SET k.at = datetime() - duration({seconds: $s})",
              s=CLAIM_STALE_S + 60).consume()  # fmt: skip


def _drop_schema(driver: Driver) -> None:
    """A database as a new server has it: no claim, no constraint, no index of ours."""
    with driver.session() as s:
        s.run("MATCH (k:NumberKind) DELETE k").consume()
        for r in list(s.run("SHOW CONSTRAINTS YIELD name")):
            s.run(f"DROP CONSTRAINT {r['name']} IF EXISTS").consume()
        for r in list(s.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name")):
            s.run(f"DROP INDEX {r['name']} IF EXISTS").consume()


def test_of_two_first_writers_of_different_kinds_one_gets_through(empty_db: Driver) -> None:
    """Both saw an empty database; without the claim both would have written."""
    for _ in range(6):
        with empty_db.session() as s:
            s.run("MATCH (k:NumberKind) DELETE k").consume()
        errors = _race(empty_db)
        assert len(errors) == 1 and isinstance(errors[0], KindConflict), errors
        assert len(_claims(empty_db)) == 1


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


def test_a_claim_left_by_a_writer_that_failed_before_writing_is_taken_over(empty_db: Driver) -> None:
    """An ingest without --pseudonymize claimed the empty database and was stopped before its
    first batch: once the claim is stale, the run that should have been pseudonymised may go."""
    claim_number_kind(empty_db, tokens=False)
    with pytest.raises(KindConflict, match="DELETE k"):  # a fresh claim holds
        claim_number_kind(empty_db, tokens=True)
    _age_claim(empty_db)
    with empty_db.session() as s:
        s.run("CREATE (:Device {imei: '860000000000001'})").consume()  # no number yet
    claim_number_kind(empty_db, tokens=True)
    assert _claims(empty_db) == ["tokens"]
    _age_claim(empty_db)
    with empty_db.session() as s:  # once a number is stored, an old claim is no longer stale
        s.run("CREATE (:Phone {number: 'x00'})").consume()
    with pytest.raises(KindConflict):
        claim_number_kind(empty_db, tokens=False)


def test_first_writers_into_a_database_without_a_schema_are_refused_cleanly(empty_db: Driver) -> None:
    """A new server: the two claims create the schema at once and deadlock on it; the retried
    schema statement finds it made, and the loser gets the refusal, not a driver error."""
    try:
        for _ in range(3):
            _drop_schema(empty_db)
            errors = _race(empty_db)
            assert len(errors) == 1 and isinstance(errors[0], KindConflict), errors
            assert len(_claims(empty_db)) == 1
    finally:
        apply_schema(empty_db)
    with empty_db.session() as s:
        names = {r["name"] for r in s.run(query("list_constraints"))}
    assert {"phone_number", "number_kind_id"} <= names  # the schema is back for the other tests


def test_score_to_neo4j_into_an_empty_database_claims_digits(
    empty_db: Driver, tmp_path: Path
) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("caller,callee,start_time,duration_s\n13800138000,13900000001,1793600000,30\n")
    assert main(["score", "--calls", str(path), "--out", str(tmp_path / "s.csv"), "--to-neo4j"]) == 0
    assert _claims(empty_db) == ["digits"]


def test_the_check_samples_the_first_numbers_of_an_arrow_column(empty_db: Driver) -> None:
    """A writer's column goes in as it is; only its first KIND_SAMPLE numbers are looked up."""
    import pyarrow as pa

    from graphfraud.errors import ConfigError
    from graphfraud.store.kinds import KIND_SAMPLE

    stored = "x" + "a" * 24
    with empty_db.session() as s:
        s.run("CREATE (:Phone {number: $n})", n=stored).consume()
    unknown = [f"x{i:024x}" for i in range(KIND_SAMPLE)]
    check_number_kind(empty_db, pa.chunked_array([[stored], unknown]), pseudonymized=True)
    with pytest.raises(ConfigError, match="GRAPHFRAUD_PSEUDONYM_KEY"):  # the stored one is 101st
        check_number_kind(empty_db, pa.array([*unknown, stored]), pseudonymized=True)
    with pytest.raises(ConfigError, match="GRAPHFRAUD_PSEUDONYM_KEY"):  # a list, sampled alike
        check_number_kind(empty_db, [*unknown, stored], pseudonymized=True)
