"""Physical line numbers for the quarantine of a CSV file (:mod:`graphfraud.kernels.csvlines`).

Arrow numbers a CSV's rows by record. That is the line in an editor only while no empty line and
no quoted field spanning lines came before; :func:`physical_lines` turns record numbers into
lines, in one streamed pass over the (decompressed) file. Only files with rows to quarantine pay
for it.
"""

from __future__ import annotations

import mmap
from pathlib import Path

import numpy as np
import pyarrow as pa

from graphfraud.kernels.csvlines import IN_QUOTE, new_state, record_lines

__all__ = ["physical_lines", "record_starts", "run_on_line"]

_CHUNK = 1 << 22
_LF, _CR = 10, 13


def physical_lines(path: Path, codec: str | None, records: np.ndarray, n_records: int) -> np.ndarray | None:
    """The line each of ``records`` (1-based record numbers, the header being 1) starts on, or
    ``None`` when the file cannot be read again or has fewer records than asked for.

    ``n_records`` is how many records Arrow found (the header too). A plain file without CR bytes
    and with as many LF bytes as that has one record a line and no empty line: the numbers are
    the lines.
    """
    if codec is None and _lines_by_lf(path) == n_records:
        return np.asarray(records, np.int64)
    found = record_starts(path, codec)
    if found is None:
        return None
    starts = found[0]
    records = np.asarray(records, np.int64)
    if len(records) and (records.min() < 1 or records.max() > len(starts)):
        return None
    return starts[records - 1]


def record_starts(path: Path, codec: str | None) -> tuple[np.ndarray, bool] | None:
    """The line every record starts on (the header's too), and whether the file ends inside a
    quoted field; ``None`` when the file cannot be read. One streamed pass (~2 s a GB)."""
    state = new_state()
    out = np.empty(_CHUNK + 1, np.int64)
    parts = []
    try:
        with pa.input_stream(path, compression=codec) as fh:
            while True:
                chunk = np.frombuffer(fh.read(_CHUNK), np.uint8)
                final = len(chunk) < _CHUNK
                n = record_lines(chunk, state, out, final)
                parts.append(out[:n].copy())
                if final:
                    break
    except (OSError, ValueError):
        return None
    return np.concatenate(parts), bool(state[IN_QUOTE])


def run_on_line(path: Path, codec: str | None) -> int | None:
    """The line of the record that an unclosed quote ran on over the lines after it: the last
    record when the file ends inside quotes, else the record that spans the most lines (when one
    spans several); ``None`` when there is none or the file cannot be read."""
    found = record_starts(path, codec)
    if found is None or len(found[0]) == 0:
        return None
    starts, open_at_end = found
    if open_at_end:
        return int(starts[-1])
    if len(starts) < 2:
        return None
    spans = np.diff(starts)
    widest = int(np.argmax(spans))
    return int(starts[widest]) if spans[widest] > 1 else None


def _lines_by_lf(path: Path) -> int | None:
    """Lines of a plain file counted by its LF bytes (a last one without LF too); ``None`` if it
    cannot be mapped or has a CR byte (a CRLF, CR-only or mixed file takes the full pass). A few
    tenths of a second a GB, against ~2 s for :func:`record_lines`."""
    try:
        with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            lf, cr, open_end = _count_breaks(mapped)  # no view of the map outlives the call
    except (OSError, ValueError):
        return None
    return None if cr else lf + open_end


def _count_breaks(buffer) -> tuple[int, int, int]:
    """``(LF bytes, CR bytes, 1 if the last byte is not LF)`` of a non-empty buffer."""
    data = np.frombuffer(buffer, np.uint8)
    lf = cr = 0
    for lo in range(0, len(data), _CHUNK):
        part = data[lo : lo + _CHUNK]
        lf += int(np.count_nonzero(part == _LF))
        cr += int(np.count_nonzero(part == _CR))
    return lf, cr, int(data[-1] != _LF)
