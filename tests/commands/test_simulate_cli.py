"""`graphfraud simulate` through the real entry point: bad options and bad folders are one line on
stderr and exit code 2, and a failed run leaves no folder behind."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphfraud.cli import main
from graphfraud.sim import PROFILES
from graphfraud.sim import writer as writer_module

SMALL = ["--people", "200", "--days", "1"]


def _error_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith("graphfraud: error: ")
    return err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--seed", "-1"], "--seed must be 0 to 2**128-1, not -1"),
        (["--seed", str(2**128)], "--seed must be 0 to 2**128-1"),
        (["--people", "10"], "--people must be at least 200, not 10"),
        (["--days", "0"], "--days must be 1 to 60, not 0"),
        (["--days", "61"], "--days must be 1 to 60, not 61"),
        (["--profile", "nope"], "unknown simulator profile 'nope'"),
        (["--format", "xml"], "--format must be csv or parquet"),
    ],
)
def test_bad_options_are_one_line_and_leave_no_folder(
    tmp_path: Path, capsys, args: list[str], expected: str
) -> None:
    out = tmp_path / "world"
    assert main(["simulate", *SMALL, *args, "--out", str(out)]) == 2
    assert expected in _error_line(capsys)
    assert not out.exists()


def test_a_bad_json_config_is_one_line(tmp_path: Path, capsys) -> None:
    config = tmp_path / "sim.json"
    config.write_text('{"people": 5, "farm": {"bogus": 1}}')
    assert main(["simulate", "--config", str(config), "--out", str(tmp_path / "w")]) == 2
    err = _error_line(capsys)
    assert "people: Input should be greater than or equal to 200 (got 5)" in err
    assert "farm.bogus" in err and not (tmp_path / "w").exists()


def test_large_seeds_and_small_worlds_generate(tmp_path: Path) -> None:
    """Seed 2 at 200 people used to crash; NumPy takes seeds past 2**64."""
    assert main(["simulate", *SMALL, "--seed", "2", "--out", str(tmp_path / "a")]) == 0
    assert main(["simulate", *SMALL, "--seed", str(2**128 - 1), "--out", str(tmp_path / "b")]) == 0
    assert (tmp_path / "a" / "calls.csv").is_file() and (tmp_path / "b" / "truth.csv").is_file()


def test_out_on_a_file_or_under_one_is_one_line(tmp_path: Path, capsys) -> None:
    a_file = tmp_path / "somefile.csv"
    a_file.write_text("x")
    assert main(["simulate", *SMALL, "--out", str(a_file)]) == 2
    assert "is a file, not a folder" in _error_line(capsys)
    assert main(["simulate", *SMALL, "--out", str(a_file / "sub")]) == 2
    assert "somefile.csv is a file, not a folder" in _error_line(capsys)
    assert a_file.read_text() == "x" and sorted(tmp_path.iterdir()) == [a_file]


def test_out_in_a_read_only_folder_is_one_line(tmp_path: Path, capsys, monkeypatch) -> None:
    read_only = tmp_path / "ro"
    read_only.mkdir()
    real_access = os.access
    # Denied as it would be for anyone but root (who may write anywhere).
    monkeypatch.setattr(writer_module.os, "access",
                        lambda path, mode: Path(path) != read_only and real_access(path, mode))  # fmt: skip
    assert main(["simulate", *SMALL, "--out", str(read_only / "w")]) == 2
    assert "ro is not a writable folder" in _error_line(capsys)
    assert list(read_only.iterdir()) == []


def test_help_states_the_ranges_and_every_profile(capsys) -> None:
    assert main(["simulate", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "at least 200" in text and "1 to 60" in text and "0 to 2**128-1" in text
    assert all(name in text for name in PROFILES)


def test_switching_format_keeps_one_world_in_the_folder(tmp_path: Path, capsys) -> None:
    assert main(["simulate", *SMALL, "--out", str(tmp_path)]) == 0
    assert main(["simulate", *SMALL, "--format", "parquet", "--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.parquet", "subscribers.csv", "truth.csv"]
    assert f"removed {tmp_path / 'calls.csv'}" in " ".join(capsys.readouterr().out.split())
