"""physical_lines: record numbers to a CSV file's lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import graphfraud.cdr.lines as lines_module
from graphfraud.cdr.lines import physical_lines


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    return path


def test_one_record_a_line_needs_no_second_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "h\n1\n2\n3")  # no last line break
    monkeypatch.setattr(lines_module, "record_lines", None)  # would fail if called
    assert physical_lines(path, None, np.array([2, 4]), 4).tolist() == [2, 4]


@pytest.mark.parametrize("text", ["h\n1\n\n2\n3\n", 'h\n"1\n1"\n2\n3\n', "h\r1\r2\n3\n", "h\n1\n2\n3\n\n"])
def test_empty_lines_quoted_breaks_and_cr_only_breaks_take_the_full_pass(tmp_path: Path, text: str) -> None:
    path = _write(tmp_path, text)
    lines = text.replace("\r", "\n").split("\n")
    got = physical_lines(path, None, np.array([2, 3, 4]), 4)
    if '"' in text:
        assert got.tolist() == [2, 4, 5]
    else:
        assert [lines[i - 1] for i in got] == ["1", "2", "3"]


def test_more_records_than_the_file_has_is_none(tmp_path: Path) -> None:
    assert physical_lines(_write(tmp_path, "h\n\n1\n"), None, np.array([3]), 2) is None
