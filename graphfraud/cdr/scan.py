"""The fast path of ``score`` for a clean calls CSV: bytes to int64 keys in one pass.

:func:`scan_calls_csv` answers only for a file whose every line is in the one clean shape the
scanner knows (:func:`graphfraud.kernels.csvscan.scan_calls`); for anything else (Parquet, a
row to quarantine, a value to normalise, epoch-second times, odd quoting) it returns ``None``
and the caller reads the file with :func:`graphfraud.cdr.read_calls`, which gives the same
calls. So it never raises and never quarantines: errors stay the general path's business.
"""

from __future__ import annotations

import csv
import mmap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
from numba import get_num_threads

from graphfraud.cdr.schema import CALL_REQUIRED
from graphfraud.kernels.csvscan import (
    CALLEE,
    CALLER,
    CELL,
    DURATION,
    IGNORED,
    IMEI,
    START,
    row_blocks,
    scan_calls,
    text_key,
)

__all__ = ["CallKeys", "scan_calls_csv"]

_ROLES = {"caller": CALLER, "callee": CALLEE, "start_time": START, "duration_s": DURATION,
          "cell_id": CELL, "imei": IMEI}  # fmt: skip


@dataclass(frozen=True)
class CallKeys:
    """Validated calls as arrays: text keys (:mod:`graphfraud.kernels.csvscan`) and values.

    ``caller``/``callee`` are digit keys (never missing); ``cell``/``imei`` keys are -1 where
    missing; ``start`` is epoch seconds (UTC) and ``duration`` whole seconds.
    """

    caller: np.ndarray  # int64[m]
    callee: np.ndarray  # int64[m]
    cell: np.ndarray  # int64[m]
    imei: np.ndarray  # int64[m]
    start: np.ndarray  # int64[m]
    duration: np.ndarray  # int32[m]

    @property
    def n_calls(self) -> int:
        return len(self.start)


def _null_keys() -> np.ndarray:
    """Text keys of the values Arrow's CSV reader takes as missing ("NA", "null", ...)."""
    keys = []
    for text in pacsv.ConvertOptions().null_values:
        raw = np.frombuffer(text.encode(), np.uint8)
        if len(raw):
            keys.append(text_key(raw, 0, len(raw)))
    return np.array([k for k in keys if k >= 0], np.int64)


def scan_calls_csv(path: Path | str) -> CallKeys | None:
    """The calls of a clean CSV file, or ``None`` when the general reader must decide."""
    path = Path(path)
    if path.suffix.lower() != ".csv" or not path.is_file():
        return None
    try:
        with path.open("rb") as fh:
            head = fh.readline()
        # A spreadsheet's byte-order mark before the header (Arrow drops it, as the reader does).
        line = head.removeprefix(b"\xef\xbb\xbf").decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None  # the general reader says what is wrong
    if not line.endswith("\n") or "\r" in line:
        return None
    header = next(csv.reader([line[:-1]]))
    # Arrow keeps padded names as they are, and the general path looks them up stripped.
    if any(c != c.strip() for c in header) or len(set(header)) != len(header):
        return None
    if any(c not in header for c in CALL_REQUIRED):
        return None
    roles = np.array([_ROLES.get(c, IGNORED) for c in header], np.int64)
    try:
        with path.open("rb") as fh:
            size = path.stat().st_size
            if size <= len(head):
                return None  # no rows
            # Mapped, not read: the scan reads the page cache in place instead of a fresh copy
            # (first-touch page faults of a copy cost about as much as the scan here).
            mapped = mmap.mmap(fh.fileno(), size, prot=mmap.PROT_READ,
                               flags=mmap.MAP_SHARED | getattr(mmap, "MAP_POPULATE", 0))  # fmt: skip
    except OSError:
        return None
    try:
        data = np.frombuffer(mapped, np.uint8)
        cuts = row_blocks(data, len(head), 4 * get_num_threads())
        keys, start, duration, ok = scan_calls(data, cuts, roles, _null_keys())
        del data
    finally:
        mapped.close()
    if not ok:
        return None
    return CallKeys(caller=keys[CALLER], callee=keys[CALLEE], cell=keys[CELL], imei=keys[IMEI],
                    start=start, duration=duration)  # fmt: skip
