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
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow.csv as pacsv
from numba import get_num_threads

from graphfraud.cdr.inflate import inflated_lines
from graphfraud.cdr.reader import CSV_COMPRESSIONS, HEADER_BYTES, csv_ending
from graphfraud.cdr.schema import CALL_REQUIRED
from graphfraud.cdr.times import in_start_range
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
    scan_lines,
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


def _roles(line: bytes) -> np.ndarray | None:
    """Each header field's role (:mod:`graphfraud.kernels.csvscan`), or ``None`` when the header
    line (with its newline) is not one the scanner takes."""
    try:
        # A spreadsheet's byte-order mark before the header (Arrow drops it, as the reader does).
        text = line.removeprefix(b"\xef\xbb\xbf").decode("ascii")
    except UnicodeDecodeError:
        return None  # the general reader says what is wrong
    if not text.endswith("\n") or "\r" in text:
        return None
    try:
        header = next(csv.reader([text[:-1]]))
    except csv.Error:  # a name over csv's field size limit, say
        return None
    # Arrow keeps padded names as they are, and the general path looks them up stripped.
    if any(c != c.strip() for c in header) or len(set(header)) != len(header):
        return None
    if any(c not in header for c in CALL_REQUIRED):
        return None
    return np.array([_ROLES.get(c, IGNORED) for c in header], np.int64)


def scan_calls_csv(path: Path | str) -> CallKeys | None:
    """The calls of a clean CSV file (plain or compressed, see :data:`~graphfraud.cdr.reader.
    CSV_COMPRESSIONS`), or ``None`` when the general reader must decide."""
    path = Path(path)
    ending = csv_ending(path)
    if ending is None or not path.is_file():
        return None
    if CSV_COMPRESSIONS[ending] is not None:
        return _scan_compressed(path, CSV_COMPRESSIONS[ending])
    try:
        with path.open("rb") as fh:
            head = fh.readline()
    except OSError:
        return None
    roles = _roles(head)
    if roles is None:
        return None
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
    if not ok or not in_start_range(start):  # a start out of range: the general reader says which
        return None
    return CallKeys(caller=keys[CALLER], callee=keys[CALLEE], cell=keys[CELL], imei=keys[IMEI],
                    start=start, duration=duration)  # fmt: skip


_SCAN_THREADS = 2  # beside the one decompressing: two keep up with it (scan ~1.1 s a GB a thread)


def _scan_compressed(path: Path, codec: str) -> CallKeys | None:
    """:func:`scan_calls_csv` of a compressed file: chunks of lines are scanned on two threads of
    our own (:func:`scan_lines`) while the next are decompressed on a third
    (:func:`graphfraud.cdr.inflate.inflated_lines`), then the parts are joined in order.

    Until the join the parts and the joined arrays are both held: ~88 bytes a call for a moment,
    against 44 for a plain file.
    """
    pool = ThreadPoolExecutor(_SCAN_THREADS, thread_name_prefix="graphfraud-scan")
    try:
        with inflated_lines(path, codec) as chunks:
            parts = _submit_chunks(chunks, pool)
            scanned = [p.result() for p in parts] if parts is not None else None
    except Exception:  # anything from the kernels (memory, say): the general reader decides
        scanned = None
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    if not scanned or not all(ok for *_, ok in scanned):
        return None  # no rows, or a line not clean, or not read to the end
    keys = [np.concatenate([p[0][r] for p in scanned]) for r in (CALLER, CALLEE, CELL, IMEI)]
    start = np.concatenate([p[1] for p in scanned])
    if not in_start_range(start):
        return None
    duration = np.concatenate([p[2] for p in scanned])
    return CallKeys(caller=keys[0], callee=keys[1], cell=keys[2], imei=keys[3], start=start,
                    duration=duration)  # fmt: skip


def _submit_chunks(chunks, pool: ThreadPoolExecutor) -> list[Future] | None:
    """Each chunk's :func:`scan_lines` submitted to ``pool``, in order; ``None`` as soon as the
    header, the archive or a chunk already scanned says the file is not for the scanner."""
    roles = None
    null_keys = _null_keys()
    parts: list[Future] = []
    for data in chunks:
        if data is None or any(p.done() and (p.exception() or not p.result()[3]) for p in parts):
            return None
        first = 0
        if roles is None:  # the header: the first chunk's first line
            first = bytes(data[:HEADER_BYTES]).find(b"\n") + 1
            roles = _roles(bytes(data[:first])) if first else None
            if roles is None:
                return None
            if first == len(data):
                continue
        # At most one chunk waits for a scanning thread; the next wait decompressed in the queue.
        busy = [p for p in parts if not p.done()]
        if len(busy) > _SCAN_THREADS:
            wait(busy, return_when=FIRST_COMPLETED)
        parts.append(pool.submit(scan_lines, data, first, roles, null_keys))
    return parts
