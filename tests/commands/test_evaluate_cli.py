"""`graphfraud evaluate`: hand-made truth, scores and calls files, and one small simulated world."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphfraud.cli import main

# A courier who trips the crude rule, an ordinary caller, and an ordinary number with no calls.
COURIER, CALLER, SILENT, OTHER = "13800000001", "13800000002", "13800000003", "13900000009"
TRUTH = ["number,persona,fraud,ring", f"{COURIER},courier,0,", f"{CALLER},ordinary,0,",
         f"{SILENT},ordinary,0,"]  # fmt: skip
SCORES = ["number,risk,tier,ring_id,reasons,crude_rule", f"{COURIER},0.1,normal,,,1",
          f"{CALLER},0.1,normal,,,0", f"{SILENT},0.1,monitor,,,0"]  # fmt: skip
NUMBERS = (COURIER, CALLER, SILENT, OTHER)


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n")
    return path


def _calls(caller: str, callees: int) -> list[str]:
    """``callees`` first contacts, a minute apart."""
    return [f"{caller},1370000{i:04d},2026-11-02T08:{i:02d}:00+08:00,30,C1,861625095469390"
            for i in range(callees)]  # fmt: skip


def _evaluate(tmp_path: Path, truth: list[str], scores: list[str], *extra: str) -> int:
    return main(["evaluate", "--truth", str(_write(tmp_path / "truth.csv", truth)),
                 "--scores", str(_write(tmp_path / "scores.csv", scores)), *extra])  # fmt: skip


def _error(capsys) -> str:
    """The one line on stderr; never a phone number in it."""
    err = capsys.readouterr().err.strip()
    assert err.startswith("graphfraud: error:") and "\n" not in err
    assert not any(n in err for n in NUMBERS)
    return err


def test_a_number_without_calls_is_not_flagged_by_the_crude_rule(tmp_path: Path, capsys) -> None:
    calls = _write(tmp_path / "calls.csv", ["caller,callee,start_time,duration_s,cell_id,imei",
                                            *_calls(COURIER, 12), *_calls(CALLER, 1)])  # fmt: skip
    js = tmp_path / "eval.json"
    assert _evaluate(tmp_path, TRUTH, SCORES, "--calls", str(calls), "--json", str(js)) == 0
    crude = {r["persona"]: r["crude"] for r in json.loads(js.read_text())["personas"]}
    assert crude == {"courier": 1.0, "ordinary": 0.0}
    assert "1 scored number(s) made no calls" in capsys.readouterr().out


@pytest.mark.parametrize("lines", [[], _calls(OTHER, 3)], ids=["header-only", "another-world"])
def test_calls_sharing_no_caller_with_the_scores_are_an_error(
    tmp_path: Path, capsys, lines: list[str]
) -> None:
    calls = _write(tmp_path / "calls.csv", ["caller,callee,start_time,duration_s", *lines])
    assert _evaluate(tmp_path, TRUTH, SCORES, "--calls", str(calls)) == 2
    err = _error(capsys)
    assert "calls.csv" in err and ("no calls" in err or "none of its 1 callers" in err)


@pytest.mark.parametrize("cell", ["", "yes", "2"])
def test_crude_rule_must_be_0_or_1(tmp_path: Path, capsys, cell: str) -> None:
    scores = [*SCORES[:2], SCORES[2][:-1] + cell, SCORES[3]]
    assert _evaluate(tmp_path, TRUTH, scores) == 2
    assert "scores.csv: line 3: crude_rule is " in _error(capsys)


def test_an_unknown_tier_is_an_error_naming_it(tmp_path: Path, capsys) -> None:
    scores = [*SCORES[:3], SCORES[3].replace("monitor", "MONITOR")]
    assert _evaluate(tmp_path, TRUTH, scores) == 2
    err = _error(capsys)
    assert "line 4: tier is 'MONITOR'" in err and "(lower case)" in err


def test_truth_fraud_must_be_0_or_1(tmp_path: Path, capsys) -> None:
    truth = [TRUTH[0], *(line.replace(",0,", ",no,") for line in TRUTH[1:])]
    assert _evaluate(tmp_path, truth, SCORES) == 2
    assert "truth.csv: line 2: fraud is 'no', expected one of 0, 1" in _error(capsys)


def test_a_value_that_may_be_a_number_is_not_shown(tmp_path: Path, capsys) -> None:
    scores = [*SCORES[:3], f"{SILENT},0.1,{OTHER},,,0"]  # columns out of place
    assert _evaluate(tmp_path, TRUTH, scores) == 2
    assert "line 4: tier is a value of 11 characters (not shown" in _error(capsys)


def test_scores_with_only_a_header_are_an_error(tmp_path: Path, capsys) -> None:
    assert _evaluate(tmp_path, TRUTH, SCORES[:1]) == 2
    assert "scores.csv: no scores" in _error(capsys)


@pytest.mark.parametrize("name", ["truth", "scores"])
def test_duplicated_numbers_are_an_error(tmp_path: Path, capsys, name: str) -> None:
    files = {"truth": TRUTH, "scores": SCORES}
    files[name] = [*files[name], "", *files[name][1:3]]  # a blank line is skipped, not counted
    assert _evaluate(tmp_path, files["truth"], files["scores"]) == 2
    assert f"{name}.csv: 2 number(s) appear more than once (the first repeat is on line 6)" in _error(capsys)


def test_crude_rule_from_calls_matches_the_scores_column(tmp_path: Path) -> None:
    """On a clean simulated world, --calls gives the same figures as score's crude_rule column."""
    world, scores = tmp_path / "world", tmp_path / "scores.csv"
    assert main(["simulate", "--people", "500", "--days", "1", "--seed", "3", "--out", str(world)]) == 0
    assert main(["score", "--calls", str(world / "calls.csv"), "--out", str(scores)]) == 0
    base = ["evaluate", "--truth", str(world / "truth.csv"), "--scores", str(scores)]
    assert main([*base, "--json", str(tmp_path / "column.json")]) == 0
    assert main([*base, "--calls", str(world / "calls.csv"), "--json", str(tmp_path / "calls.json")]) == 0
    column, calls = (json.loads((tmp_path / f"{n}.json").read_text()) for n in ("column", "calls"))
    assert column == calls and any(r["crude"] > 0 for r in calls["personas"])


def test_fraud_numbers_missing_from_the_scores_are_counted_and_said(tmp_path: Path, capsys) -> None:
    truth = [*TRUTH, f"{OTHER},burner,1,", "13900000010,burner,1,"]
    scores = [*SCORES, f"{OTHER},0.9,suspend,,NEW_ACCOUNT,0"]  # one burner's scores are missing
    js = tmp_path / "eval.json"
    assert _evaluate(tmp_path, truth, scores, "--json", str(js)) == 0
    burner = {r["persona"]: r for r in json.loads(js.read_text())["personas"]}["burner"]
    assert burner["count"] == 2 and burner["flagged"] == 0.5
    assert "1 fraud number(s) of" in capsys.readouterr().out
