"""record_lines against Python's csv module (the reference), over random files cut into chunks."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from graphfraud.kernels.csvlines import new_state, record_lines


def _kernel(text: str, chunk: int) -> list[int]:
    data = np.frombuffer(text.encode(), np.uint8)
    state, out, lines = new_state(), np.empty(len(data) + 1, np.int64), []
    for lo in range(0, max(len(data), 1), chunk):
        n = record_lines(data[lo : lo + chunk], state, out, lo + chunk >= len(data))
        lines += out[:n].tolist()
    return lines


def _reference(text: str) -> list[int]:
    """Start line of each non-empty record, by the csv module (it splits lines at LF, CR, CRLF)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    starts, before = [], 0
    for row in reader:
        if row:
            starts.append(before + 1)
        before = reader.line_num
    return starts


def _random_csv(rng: np.random.Generator) -> str:
    ends = ["\n", "\r\n", "\r"]
    fields = ["1380013", "", "x y", '"a,b"', '"two\nlines"', '"say ""hi"""', '"cr\r\nlf"', '""']
    lines = []
    for _ in range(int(rng.integers(0, 12))):
        if rng.random() < 0.2:
            lines.append("")  # an empty line
        else:
            lines.append(",".join(rng.choice(fields) for _ in range(int(rng.integers(1, 4)))))
    text = "".join(line + ends[int(rng.integers(0, 3))] for line in lines)
    return text[:-1] if text and rng.random() < 0.3 else text  # sometimes no last line break


@pytest.mark.parametrize("seed", range(40))
def test_record_lines_match_the_csv_module_at_every_chunk_size(seed: int) -> None:
    text = _random_csv(np.random.default_rng(seed))
    expected = _reference(text)
    for chunk in (1, 2, 3, 7, 64):
        assert _kernel(text, chunk) == expected, (text, chunk)


def test_a_quoted_line_break_and_empty_lines_shift_the_lines() -> None:
    text = 'h1,h2\n1,2\n\n"a\nb",3\r\n"x""\ny",4\r5,6\n\n7,8'
    assert _kernel(text, 1 << 20) == [1, 2, 4, 6, 8, 10]
