"""Ingestion into the real Neo4j: idempotence, quarantine, bad files, pseudonymisation, schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from neo4j import Driver

from graphfraud.cli import main
from graphfraud.privacy import Pseudonymizer
from graphfraud.store.cypher import query

pytestmark = pytest.mark.neo4j

ROWS = [
    "13800138000,13900000001,2026-11-02T08:15:03+08:00,35,C1,860000000000001",
    "13800138000,13900000002,2026-11-02T08:16:03+08:00,0,C1,860000000000001",
    "13900000001,13800138000,2026-11-02T09:00:00+08:00,120,C7,860000000000002",
    "13800138001,13900000002,1793600000,4,C1,860000000000001",
]


def _calls(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("caller,callee,start_time,duration_s,cell_id,imei\n" + "\n".join(rows) + "\n")
    return path


def _counts(driver: Driver) -> tuple[int, int]:
    with driver.session() as s:
        rec = s.run(query("count_graph")).single()
    return rec["phones"], rec["calls"]


def test_reingest_gives_the_same_graph(empty_db: Driver, tmp_path: Path, capsys) -> None:
    path = _calls(tmp_path, ROWS)
    assert main(["ingest", "--calls", str(path)]) == 0
    first = _counts(empty_db)
    assert first == (4, 4)
    assert "loaded 4 calls (4 new)" in capsys.readouterr().out
    assert main(["ingest", "--calls", str(path)]) == 0
    assert _counts(empty_db) == first
    assert "loaded 4 calls (0 new)" in capsys.readouterr().out  # the run says nothing was added
    with empty_db.session() as s:
        shared = s.run(
            "MATCH (p:Phone)-[:USED_DEVICE]->(d:Device {imei: '860000000000001'}) RETURN count(p) AS n"
        ).single()["n"]
        call = s.run(
            "MATCH (:Phone {number: '13900000001'})-[c:CALLED]->(:Phone {number: '13800138000'}) RETURN c"
        ).single()["c"]
    assert shared == 2  # two SIMs in one handset
    assert call["duration"] == 120 and call["cell"] == "C7"
    assert call["start"].to_native().isoformat() == "2026-11-02T01:00:00+00:00"


@pytest.mark.parametrize("bulk", [False, True])
def test_gzipped_calls_with_a_bom_ingest_as_plain(empty_db: Driver, tmp_path: Path, bulk: bool) -> None:
    """A ``.csv.gz`` export with a spreadsheet's byte-order mark loads as the plain file does."""
    import gzip

    plain = _calls(tmp_path, [*ROWS, "not-a-number,13900000001,1793600000,4,,"])
    packed = tmp_path / "export.csv.gz"
    packed.write_bytes(gzip.compress(b"\xef\xbb\xbf" + plain.read_bytes()))
    assert main(["ingest", "--calls", str(packed), *(["--bulk"] if bulk else [])]) == 0
    assert _counts(empty_db) == (4, 4)
    assert "not-a-number" in (tmp_path / "export.quarantine.csv").read_text()


def test_ingest_moves_the_graph_version_not_the_scores_one(empty_db: Driver, tmp_path: Path) -> None:
    """API workers keep their /risk cards across an ingest (calls do not change stored scores)."""

    def versions() -> tuple[int, int]:
        with empty_db.session() as s:
            row = s.run(query("graph_version")).single()
        return row["graph"], row["scores"]

    before = versions()
    assert main(["ingest", "--calls", str(_calls(tmp_path, ROWS))]) == 0
    after = versions()
    assert after[0] > before[0] and after[1] == before[1]


def test_bad_rows_go_to_quarantine_and_good_rows_load(empty_db: Driver, tmp_path: Path, capsys) -> None:
    path = _calls(
        tmp_path, [*ROWS[:2], "13800138000,oops,1793600000,3,,", "13800138000,13900000009,1793600000,-1,,"]
    )
    assert main(["ingest", "--calls", str(path)]) == 0
    assert "accepted 2 calls, quarantined 2" in capsys.readouterr().out
    assert _counts(empty_db)[1] == 2
    lines = (tmp_path / "calls.quarantine.csv").read_text().splitlines()
    assert lines[0] == '"line","reason","raw"'
    assert lines[1].startswith('4,"callee is not a phone number')
    assert lines[2].startswith('5,"duration_s is negative"')


def test_wrong_header_fails_with_exit_2_and_writes_nothing(empty_db: Driver, tmp_path: Path, capsys) -> None:
    path = tmp_path / "calls.csv"
    path.write_text("from,to,when,secs\n13800138000,13900000001,1793600000,3\n")
    assert main(["ingest", "--calls", str(path)]) == 2
    err = capsys.readouterr().err
    assert "missing required column(s) caller, callee, start_time, duration_s" in err
    assert _counts(empty_db) == (0, 0)
    assert list(tmp_path.iterdir()) == [path]


def test_pseudonymised_ingest_is_stable_and_hides_numbers(
    empty_db: Driver, tmp_path: Path, settings_env
) -> None:
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY="test-key-0123456789abcdef")
    path = _calls(tmp_path, ROWS)
    assert main(["ingest", "--calls", str(path), "--pseudonymize"]) == 0
    assert main(["ingest", "--calls", str(path), "--pseudonymize"]) == 0
    with empty_db.session() as s:
        numbers = [r["n"] for r in s.run("MATCH (p:Phone) RETURN p.number AS n")]
        ids = [r["id"] for r in s.run("MATCH ()-[c:CALLED]->() RETURN c.id AS id")]
    assert len(numbers) == 4 and all(n.startswith("x") and len(n) == 25 for n in numbers)
    assert len(ids) == 4  # stable tokens: the second run added nothing
    assert not any("13800138000" in i for i in ids)


def _phones(driver: Driver) -> dict[str, float | None]:
    with driver.session() as s:
        return {r["n"]: r["risk"] for r in s.run("MATCH (p:Phone) RETURN p.number AS n, p.risk AS risk")}


def test_pseudonymised_scores_land_on_the_ingested_tokens(
    empty_db: Driver, tmp_path: Path, settings_env, capsys
) -> None:
    """score --pseudonymize writes tokens (files and Neo4j); a run that would put raw numbers into
    a pseudonymised database, or tokens of another key, stops before writing anything."""
    path = _calls(tmp_path, ROWS)
    out = tmp_path / "scores.csv"

    def run(key: str, *flags: str) -> int:
        settings_env(GRAPHFRAUD_PSEUDONYM_KEY=key)
        return main(["score", "--calls", str(path), "--out", str(out), "--to-neo4j", *flags])

    key = "test-key-0123456789abcdef"
    assert main(["ingest", "--calls", str(path)]) == 0
    assert run(key, "--pseudonymize") == 2  # tokens into a database of raw numbers: refused
    assert "without --pseudonymize" in capsys.readouterr().err and not out.exists()
    with empty_db.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY=key)
    assert main(["ingest", "--calls", str(path), "--pseudonymize"]) == 0
    ingested = _phones(empty_db)

    assert run(key) == 2  # raw numbers into a pseudonymised database: refused
    assert "with --pseudonymize" in capsys.readouterr().err
    assert run("another-key-0123456789abcdef", "--pseudonymize") == 2
    assert "not the key" in capsys.readouterr().err
    assert not out.exists() and _phones(empty_db) == ingested  # nothing written by either

    assert run(key, "--pseudonymize") == 0
    phones = _phones(empty_db)
    assert set(phones) == set(ingested)  # no node added: every score is on an ingested token
    callers = {Pseudonymizer(key).token(n) for n in ("13800138000", "13900000001", "13800138001")}
    assert all(phones[t] is not None for t in callers)
    text = out.read_text()
    assert all(t in text for t in callers) and "13800138000" not in text


def test_pseudonymize_without_key_is_a_clear_error(empty_db: Driver, tmp_path: Path, capsys) -> None:
    path = _calls(tmp_path, ROWS)
    assert main(["ingest", "--calls", str(path), "--pseudonymize"]) == 2
    assert "GRAPHFRAUD_PSEUDONYM_KEY" in capsys.readouterr().err
    assert _counts(empty_db) == (0, 0)


def test_constraints_are_present(neo4j_driver: Driver) -> None:
    with neo4j_driver.session() as s:
        rows = {r["name"]: r for r in s.run(query("list_constraints"))}
    assert rows["phone_number"]["type"] == "UNIQUENESS"
    assert rows["phone_number"]["labelsOrTypes"] == ["Phone"]
    assert rows["call_id"]["type"] == "RELATIONSHIP_UNIQUENESS"


def test_a_file_with_no_valid_call_is_refused_before_the_database(
    empty_db: Driver, tmp_path: Path, capsys
) -> None:
    path = _calls(tmp_path, ["abc,def,x,y,,"])
    assert main(["ingest", "--calls", str(path)]) == 2
    err = capsys.readouterr().err
    assert "none of its 1 rows is a valid call" in err and "Traceback" not in err
    assert _counts(empty_db) == (0, 0)
    assert (tmp_path / "calls.quarantine.csv").exists()  # the bad rows kept with their reasons


def test_a_file_of_only_a_header_loads_nothing_and_says_so(empty_db: Driver, tmp_path: Path, capsys) -> None:
    """An hour without calls (a scheduled export) is not an error; an earlier quarantine goes."""
    stale = tmp_path / "calls.quarantine.csv"
    stale.write_text("line,reason,raw\n")
    path = _calls(tmp_path, [])
    assert main(["ingest", "--calls", str(path)]) == 0
    assert "no call records; nothing loaded" in capsys.readouterr().out
    assert _counts(empty_db) == (0, 0) and not stale.exists()


def test_numbers_and_tokens_never_mix_in_one_database(
    empty_db: Driver, tmp_path: Path, settings_env, capsys
) -> None:
    """An ingest into a database of the other kind (raw numbers vs pseudonym tokens) stops before
    writing anything, as score --to-neo4j does."""
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY="test-key-0123456789abcdef")
    path = _calls(tmp_path, ROWS[:2])
    more = tmp_path / "more" / "calls.csv"
    more.parent.mkdir()
    more.write_text(path.read_text().replace("13800138000", "13800138077"))
    assert main(["ingest", "--calls", str(path)]) == 0
    before = _counts(empty_db)
    assert main(["ingest", "--calls", str(more), "--pseudonymize"]) == 2
    assert "holds raw numbers" in capsys.readouterr().err and _counts(empty_db) == before
    with empty_db.session() as s:
        s.run("MATCH (n) DETACH DELETE n").consume()
    assert main(["ingest", "--calls", str(path), "--pseudonymize"]) == 0
    before = _counts(empty_db)
    assert main(["ingest", "--calls", str(more)]) == 2
    assert "holds pseudonymised numbers" in capsys.readouterr().err and _counts(empty_db) == before
    assert main(["ingest", "--calls", str(more), "--pseudonymize"]) == 0  # the same kind: fine
    assert _counts(empty_db)[0] > before[0]


def test_a_clean_reingest_removes_the_stale_quarantine(empty_db: Driver, tmp_path: Path) -> None:
    path = _calls(tmp_path, [*ROWS[:2], "13800138000,oops,1793600000,3,,"])
    assert main(["ingest", "--calls", str(path)]) == 0
    quarantine = tmp_path / "calls.quarantine.csv"
    assert quarantine.exists()
    path.write_text(path.read_text().replace("13800138000,oops,1793600000,3,,\n", ""))
    assert main(["ingest", "--calls", str(path)]) == 0
    assert not quarantine.exists()


def test_a_subscribers_file_with_no_valid_row_is_refused_before_the_database(
    empty_db: Driver, tmp_path: Path, capsys
) -> None:
    calls = _calls(tmp_path, ["13800000001,13900000001,2026-11-02T08:15:03+08:00,35,C1,860000000000001"])
    subs = tmp_path / "subscribers.csv"
    subs.write_text("number,activated_on\n13800000001,2021/09/11\n")
    assert main(["ingest", "--calls", str(calls), "--subscribers", str(subs)]) == 2
    assert "none of its 1 rows is a valid subscriber" in capsys.readouterr().err
    assert _counts(empty_db) == (0, 0)
    assert (tmp_path / "subscribers.quarantine.csv").exists()
