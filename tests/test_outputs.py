"""Output paths checked against the inputs before any work (graphfraud.outputs)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graphfraud.cli import main
from graphfraud.errors import OutputFileError
from graphfraud.outputs import check_outputs


def test_an_output_may_not_replace_an_input(tmp_path: Path) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("x\n")
    (tmp_path / "sub").mkdir()
    link = tmp_path / "link.csv"
    link.symlink_to(calls)
    for out in (calls, tmp_path / "sub" / ".." / "calls.csv", link):
        with pytest.raises(OutputFileError, match="would overwrite the input file"):
            check_outputs([tmp_path / "scores.csv", out], [None, calls])
    check_outputs([tmp_path / "new" / "deeper" / "scores.csv"], [calls])  # a folder still to make
    assert not (tmp_path / "new").exists()  # and nothing made by the check


def test_a_folder_or_an_unwritable_place_is_refused(tmp_path: Path) -> None:
    with pytest.raises(OutputFileError, match="is a folder"):
        check_outputs([tmp_path], [])
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    with pytest.raises(OutputFileError, match="not a writable folder"):
        check_outputs([blocker / "scores.csv"], [])
    if os.geteuid() != 0:  # root writes anywhere; the write itself then fails clearly
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputFileError, match="not a writable folder"):
            check_outputs([locked / "scores.csv"], [])


def test_score_and_ingest_leave_their_input_alone(tmp_path: Path, capsys) -> None:
    calls = tmp_path / "calls.csv"
    text = "caller,callee,start_time,duration_s\n13800138000,13900000001,2026-11-02T08:15:03+08:00,35\n"
    calls.write_text(text)
    rings_named = tmp_path / "x.rings.csv"  # the rings file of --out x.csv
    rings_named.write_text(text)
    assert main(["score", "--calls", str(calls), "--out", str(calls)]) == 2
    assert main(["score", "--calls", str(rings_named), "--out", str(tmp_path / "x.csv")]) == 2
    assert main(["ingest", "--calls", str(calls), "--quarantine", str(calls)]) == 2
    assert "would overwrite the input file" in capsys.readouterr().err
    assert calls.read_text() == text and rings_named.read_text() == text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.csv", "x.rings.csv"]
