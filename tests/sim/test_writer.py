"""Where a world is written: one world per folder, and a failed write leaves the folder as it was."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphfraud.errors import OutputFileError
from graphfraud.sim import SimConfig, write_simulation
from graphfraud.sim import world as world_module
from graphfraud.sim.writer import check_world_folder

SMALL = SimConfig(people=200, days=1, seed=1)


def test_a_new_format_replaces_the_calls_file_of_the_other(tmp_path: Path) -> None:
    csv = write_simulation(SMALL, tmp_path, "csv")
    assert csv["removed"] == []
    parquet = write_simulation(SMALL, tmp_path, "parquet")
    assert parquet["removed"] == [tmp_path / "calls.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.parquet", "subscribers.csv", "truth.csv"]
    assert write_simulation(SMALL, tmp_path, "csv")["removed"] == [tmp_path / "calls.parquet"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.csv", "subscribers.csv", "truth.csv"]


def test_only_the_calls_file_simulate_names_goes(tmp_path: Path) -> None:
    (tmp_path / "calls.csv.gz").write_text("mine")
    (tmp_path / "scores.csv").write_text("mine")
    write_simulation(SMALL, tmp_path, "parquet")
    assert (tmp_path / "calls.csv.gz").read_text() == "mine"
    assert (tmp_path / "scores.csv").read_text() == "mine"


def test_a_failed_run_removes_the_folders_it_made(tmp_path: Path, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(world_module, "write_table", broken)
    with pytest.raises(RuntimeError):
        write_simulation(SMALL, tmp_path / "new" / "deeper")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_the_earlier_world(tmp_path: Path, monkeypatch) -> None:
    write_simulation(SMALL, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(world_module, "write_table", disk_full)
    with pytest.raises(OutputFileError, match="No space left on device"):
        write_simulation(SMALL.model_copy(update={"seed": 2}), tmp_path, "parquet")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no staged file left


def test_folders_that_cannot_be_written_are_refused_before_any_work(tmp_path: Path) -> None:
    a_file = tmp_path / "somefile.csv"
    a_file.write_text("x")
    with pytest.raises(OutputFileError, match="is a file, not a folder"):
        check_world_folder(a_file)
    with pytest.raises(OutputFileError, match=r"somefile\.csv is a file, not a folder"):
        check_world_folder(a_file / "sub" / "deeper")
    check_world_folder(tmp_path / "not" / "yet")  # made when the world is written
    assert not (tmp_path / "not").exists()


def test_a_folder_where_a_world_file_goes_is_refused_before_writing(tmp_path: Path) -> None:
    write_simulation(SMALL, tmp_path)
    (tmp_path / "calls.csv").unlink()
    (tmp_path / "calls.csv").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(OutputFileError, match="is a folder, not a file name"):
        write_simulation(SMALL, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_folder_that_cannot_be_made_leaves_none_of_its_parents(tmp_path: Path, monkeypatch) -> None:
    real_mkdir = Path.mkdir

    def mkdir(self: Path, *args, **kwargs) -> None:
        if self.name == "c":
            raise PermissionError(13, "Permission denied")
        real_mkdir(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    with pytest.raises(OutputFileError, match="Permission denied"):
        write_simulation(SMALL, tmp_path / "a" / "b" / "c")
    assert list(tmp_path.iterdir()) == []
