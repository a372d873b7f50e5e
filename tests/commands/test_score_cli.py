"""`graphfraud score` and `graphfraud evaluate` on a small simulated world."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from graphfraud.cli import main
from graphfraud.sim import profile, write_simulation


@pytest.fixture(scope="module")
def world_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("world")
    write_simulation(profile("default", seed=2, people=2000, days=1), out, "csv")
    with (out / "calls.csv").open("a") as fh:
        fh.write("not-a-number,13800000000,2026-11-02T08:15:03+08:00,5,c1,i1\n")
    return out


@pytest.fixture(scope="module")
def scored(world_dir: Path) -> Path:
    out = world_dir / "out" / "scores.csv"
    rc = main(["score", "--calls", str(world_dir / "calls.csv"), "--subscribers",
               str(world_dir / "subscribers.csv"), "--out", str(out), "--seed", "0"])
    assert rc == 0
    return out


def test_score_writes_contract_csv_rings_and_quarantine(world_dir: Path, scored: Path) -> None:
    with scored.open() as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:5] == ["number", "risk", "tier", "ring_id", "reasons"]
    callers = {r["caller"] for r in csv.DictReader((world_dir / "calls.csv").open())}
    assert {r["number"] for r in rows} == callers - {"not-a-number"}
    assert any(r["ring_id"] for r in rows) and any(";" in r["reasons"] for r in rows)
    assert (scored.parent / "scores.rings.csv").exists()
    quarantine = (scored.parent / "scores.quarantine.csv").read_text()
    assert "not-a-number" in quarantine


def test_wrong_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "calls.csv"
    bad.write_text("a,b\n1,2\n")
    out = tmp_path / "out" / "scores.csv"
    assert main(["score", "--calls", str(bad), "--out", str(out)]) == 2
    assert not out.parent.exists()


def test_bad_policy_exits_2(world_dir: Path, tmp_path: Path) -> None:
    policy = tmp_path / "p.json"
    policy.write_text('{"family_caps": {"volume": "suspend"}}')
    out = tmp_path / "scores.csv"
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(out),
                 "--policy", str(policy)]) == 2
    assert not out.exists()


def test_option_errors_exit_2_and_write_nothing(
    world_dir: Path, tmp_path: Path, settings_env, capsys
) -> None:
    """A missing pseudonym key or an unreachable Neo4j ends the run with exit 2 and writes nothing."""
    out = tmp_path / "scores.csv"
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY=None)
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(out),
                 "--pseudonymize"]) == 2  # fmt: skip
    assert "GRAPHFRAUD_PSEUDONYM_KEY" in capsys.readouterr().err
    settings_env(GRAPHFRAUD_NEO4J_URI="bolt://127.0.0.1:9")  # nothing listens there
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(out),
                 "--to-neo4j"]) == 2  # fmt: skip
    assert not out.exists() and not list(tmp_path.iterdir())


def test_evaluate_prints_crude_rule_and_saves_json(world_dir: Path, scored: Path, capsys) -> None:
    js = scored.parent / "eval.json"
    rc = main(["evaluate", "--truth", str(world_dir / "truth.csv"), "--scores", str(scored),
               "--json", str(js)])
    assert rc == 0
    text = capsys.readouterr().out
    assert "crude rule" in text and "courier" in text and "ring ARI" in text
    assert '"ring_ari"' in js.read_text()


def test_evaluate_pseudonymized_scores_against_the_raw_truth(
    world_dir: Path, scored: Path, tmp_path: Path, settings_env, capsys
) -> None:
    """Tokens never match raw numbers: evaluate says so, and with --pseudonymize it matches the
    truth's tokens and gives the figures of the raw scores."""
    import json

    truth = str(world_dir / "truth.csv")
    settings_env(GRAPHFRAUD_PSEUDONYM_KEY="a-test-key-of-thirty-two-chars-00")
    out = tmp_path / "scores.csv"
    subs = ["--subscribers", str(world_dir / "subscribers.csv")]
    assert main(["score", "--calls", str(world_dir / "calls.csv"), *subs, "--out", str(out),
                 "--pseudonymize"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["evaluate", "--truth", truth, "--scores", str(out)]) == 2
    assert "pass --pseudonymize" in capsys.readouterr().err
    calls = ["--calls", str(world_dir / "calls.csv")]
    assert main(["evaluate", "--truth", truth, "--scores", str(out), "--pseudonymize", *calls,
                 "--json", str(tmp_path / "tokens.json")]) == 0  # fmt: skip
    assert main(["evaluate", "--truth", truth, "--scores", str(scored), *calls,
                 "--json", str(tmp_path / "raw.json")]) == 0  # fmt: skip
    tokens, raw = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("tokens", "raw"))
    assert tokens == raw and raw["fraud_recall"] > 0.5


def test_side_files_never_overwrite_the_scores(world_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.rings.csv"  # a name that once collided with its own rings file
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(out)]) == 0
    with out.open() as fh:
        assert next(csv.reader(fh))[:5] == ["number", "risk", "tier", "ring_id", "reasons"]
    assert (tmp_path / "scores.rings.rings.csv").is_file()


def test_console_command_flushes_and_keeps_the_exit_code(world_dir: Path, tmp_path: Path) -> None:
    """``python -m graphfraud.cli`` ends with ``os._exit``: output must be whole and the code kept."""
    import subprocess
    import sys

    out = tmp_path / "scores.csv"
    ok = subprocess.run([sys.executable, "-m", "graphfraud.cli", "score", "--calls",
                         str(world_dir / "calls.csv"), "--out", str(out)],
                        capture_output=True, text=True)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert "scored" in ok.stderr and "seconds:" in ok.stderr  # the last lines made it out
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert rows and all(r["tier"] for r in rows)
    bad = subprocess.run([sys.executable, "-m", "graphfraud.cli", "score", "--calls",
                          str(tmp_path / "missing.csv"), "--out", str(tmp_path / "x.csv")],
                         capture_output=True, text=True)  # fmt: skip
    assert bad.returncode == 2 and "graphfraud: error:" in bad.stderr


def test_warm_up_world_scans_as_a_clean_file_and_arrow_skips_pandas(tmp_path: Path) -> None:
    """The warm-up's CSV takes the scanner's path; pyarrow's first conversion does not load pandas,
    and pandas still works from pyarrow afterwards."""
    import subprocess
    import sys

    code = """
import sys
from pathlib import Path
import pyarrow as pa
from graphfraud.cdr import read_calls
from graphfraud.cdr.scan import scan_calls_csv
from graphfraud.commands.score import _arrow_without_pandas
from graphfraud.features.synthetic import random_calls, write_calls_csv
_arrow_without_pandas()
calls = random_calls(500, 60, seed=3)
path = write_calls_csv(calls, Path(sys.argv[1]) / "calls.csv")
assert scan_calls_csv(path) is not None, "not clean"
back = read_calls(path)
assert back.quarantined == 0
for name in ("caller", "callee", "start", "duration_s", "cell_id", "imei"):
    assert back.table[name].to_pylist() == calls[name].to_pylist(), name
assert "pandas" not in sys.modules
assert back.table.slice(0, 3).to_pandas().shape == (3, back.table.num_columns)
print("ok")
"""
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                         timeout=300)  # fmt: skip
    assert run.stdout.strip() == "ok", run.stderr


def test_warm_up_without_a_temporary_folder_still_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from graphfraud.commands import score

    def no_folder(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", no_folder)
    score._warm_kernels()  # falls back to the in-memory table; raises nothing


def test_a_file_of_bad_rows_only_exits_2_with_its_quarantine(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "calls.csv"
    bad.write_text("caller,callee,start_time,duration_s\n" + "13800000000,13900000000,garbage,5\n" * 3)
    out = tmp_path / "out" / "scores.csv"
    assert main(["score", "--calls", str(bad), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "none of its 3 rows is a valid call" in err and "line 2: start_time" in err
    assert not out.exists() and not (out.parent / "scores.rings.csv").exists()
    assert len((out.parent / "scores.quarantine.csv").read_text().splitlines()) == 4


def test_a_clean_rerun_removes_the_quarantines_of_an_earlier_run(world_dir: Path, tmp_path: Path,
                                                                 capsys) -> None:  # fmt: skip
    clean = tmp_path / "clean.csv"
    clean.write_text("".join((world_dir / "calls.csv").read_text().splitlines(True)[:-1]))
    subs = tmp_path / "subscribers.csv"
    subs.write_text((world_dir / "subscribers.csv").read_text() + "12ab,2026-01-01\n")
    out = tmp_path / "scores.csv"
    args = ["score", "--calls", str(world_dir / "calls.csv"), "--subscribers", str(subs), "--out", str(out)]
    assert main(args) == 0
    assert "subscribers:" in capsys.readouterr().err
    side = [tmp_path / "scores.quarantine.csv", tmp_path / "scores.subscribers.quarantine.csv"]
    assert all(p.exists() for p in side)
    subs.write_text((world_dir / "subscribers.csv").read_text())
    assert main(["score", "--calls", str(clean), "--subscribers", str(subs), "--out", str(out)]) == 0
    assert not any(p.exists() for p in side)


def test_repeated_records_score_as_one_call(world_dir: Path, scored: Path, tmp_path: Path, capsys) -> None:
    lines = (world_dir / "calls.csv").read_text().splitlines(True)
    doubled = tmp_path / "doubled.csv"
    doubled.write_text("".join(lines + lines[1:]))  # a switch's export sent twice
    out = tmp_path / "scores.csv"
    args = ["score", "--calls", str(doubled), "--subscribers", str(world_dir / "subscribers.csv"),
            "--out", str(out), "--seed", "0"]  # fmt: skip
    capsys.readouterr()
    assert main(args) == 0
    assert f"{len(lines) - 2:,} repeated records counted once" in " ".join(capsys.readouterr().err.split())
    assert out.read_text() == scored.read_text()
    assert (tmp_path / "scores.rings.csv").read_text() == (scored.parent / "scores.rings.csv").read_text()


@pytest.mark.parametrize("name", ["scores.csv.gz", "scores.CSV.ZST", "scores.parquet"])
def test_an_out_named_as_another_format_exits_2(world_dir: Path, tmp_path: Path, name: str, capsys) -> None:
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(tmp_path / name)]) == 2
    assert "written as plain CSV" in capsys.readouterr().err and not any(tmp_path.iterdir())


def test_a_folder_or_a_parquet_file_named_csv_as_calls_is_named_so(tmp_path: Path, capsys) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = str(tmp_path / "out" / "s.csv")
    assert main(["score", "--calls", str(tmp_path), "--out", out]) == 2
    assert "is a folder, not a file" in capsys.readouterr().err
    pq.write_table(pa.table({"caller": ["1"]}), tmp_path / "calls.csv")
    assert main(["score", "--calls", str(tmp_path / "calls.csv"), "--out", out]) == 2
    assert "is a Parquet file named as a CSV" in capsys.readouterr().err


def test_a_subscribers_file_of_bad_rows_only_exits_2_with_its_quarantine(
    world_dir: Path, tmp_path: Path, capsys
) -> None:
    """Dates as a database exports them ("2021-09-11 00:00:00"): not one row is a valid
    subscriber, and scoring on as if there were no file would leave every burner's age unknown."""
    subs = tmp_path / "subscribers.csv"
    rows = "".join(f"1910000000{i},2021-09-1{i} 00:00:00\n" for i in range(3))
    subs.write_text("number,activated_on\n" + rows)
    out = tmp_path / "out" / "scores.csv"
    args = ["score", "--calls", str(world_dir / "calls.csv"), "--subscribers", str(subs), "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "none of its 3 rows is a valid subscriber" in err and "line 2: activated_on" in err
    assert not out.exists() and not (out.parent / "scores.rings.csv").exists()
    assert len((out.parent / "scores.subscribers.quarantine.csv").read_text().splitlines()) == 4


def test_a_window_shorter_than_a_week_is_scored_with_a_note(world_dir: Path, tmp_path: Path,
                                                           capsys) -> None:  # fmt: skip
    capsys.readouterr()
    assert main(["score", "--calls", str(world_dir / "calls.csv"), "--out", str(tmp_path / "s.csv")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert re.search(r"note: these calls span [01]\.\d days; .* over 7 days or more", err), err


def test_a_week_of_calls_gets_no_note(tmp_path: Path, capsys) -> None:
    write_simulation(profile("default", seed=5, people=400, days=8), tmp_path / "w", "csv")
    capsys.readouterr()
    calls = tmp_path / "w" / "calls.csv"
    assert main(["score", "--calls", str(calls), "--out", str(tmp_path / "s.csv")]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "scored " in err and "note:" not in err
