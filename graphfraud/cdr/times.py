"""Parse ``start_time`` values: ISO 8601 with an offset, or epoch seconds, into epoch seconds."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.cdr.fastpath import iso_column

__all__ = ["START_RANGE", "START_RANGE_TEXT", "format_iso", "in_start_range", "parse_start_times"]

#: Plausible call start times, epoch seconds ``[lo, hi)``: 1970-01-01 to 2100-01-01 (UTC). An
#: epoch value beyond them is a typo or a unit mistake (milliseconds), and Neo4j would wrap it.
START_RANGE = (0, 4_102_444_800)
START_RANGE_TEXT = "1970-01-01..2099-12-31 (UTC)"

_EPOCH = r"^-?[0-9]{1,12}$"
# The shapes Arrow's own cast takes as a whole column (minutes and seconds optional, an offset of
# hours alone allowed), so a value parses the same whether or not a bad row sits in its column.
_ISO = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}(:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?"
        r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)$")


def _iso_to_epoch(values: pa.ChunkedArray) -> pa.ChunkedArray:
    ts = pc.cast(values, pa.timestamp("us", tz="UTC"))
    return pc.divide(pc.cast(ts, pa.int64()), 1_000_000)


def _iso_one(value: str) -> int | None:
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return None if dt.tzinfo is None else int(dt.timestamp())


def in_start_range(start: np.ndarray) -> bool:
    """Whether every start (epoch seconds) lies in :data:`START_RANGE`."""
    lo, hi = START_RANGE
    return start.size == 0 or (int(start.min()) >= lo and int(start.max()) < hi)


def parse_start_times(raw: pa.ChunkedArray) -> pa.ChunkedArray:
    """Epoch seconds (int64) for each value; null where it is neither form.

    Typed columns (integers, Arrow timestamps from Parquet) are taken as they are; a timestamp
    without a time zone is rejected, because the contract asks for an explicit offset.
    """
    if pa.types.is_integer(raw.type):
        return pc.cast(raw, pa.int64())
    if pa.types.is_timestamp(raw.type):
        if raw.type.tz is None:
            return pa.chunked_array([pa.nulls(len(raw), pa.int64())])
        # Whole seconds: a sub-second part is dropped (safe=False), not an error.
        seconds = pc.cast(raw, pa.timestamp("s", tz="UTC"), safe=False)
        return pc.cast(seconds, pa.int64())
    if not pa.types.is_string(raw.type):
        raw = pc.cast(raw, pa.string())
    fixed = iso_column(raw)  # fast path: every value is YYYY-MM-DDTHH:MM:SS+HH:MM
    if fixed is not None:
        return fixed
    # Fast paths: the whole column epoch seconds, or ISO 8601 with offsets; then the same with
    # padding trimmed, as every other field's is.
    for trimmed in (False, True):  # the trim (a copy of the column) only when the raw one fails
        attempt = pc.utf8_trim_whitespace(raw) if trimmed else raw
        try:
            return pc.cast(attempt, pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
        try:
            return _iso_to_epoch(attempt)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass
    raw = attempt  # the trimmed column, for the row-by-row parse below
    # Mixed or partly broken column: sort rows by shape, parse each group, null the rest.
    is_epoch = pc.fill_null(pc.match_substring_regex(raw, _EPOCH), False)
    is_iso = pc.fill_null(pc.match_substring_regex(raw, _ISO), False)
    out = pa.nulls(len(raw), pa.int64()).to_pylist()
    for idx, val in zip(
        pc.indices_nonzero(pc.cast(is_epoch, pa.int8())).to_pylist(),
        pc.filter(raw, is_epoch).to_pylist(),
        strict=True,
    ):
        out[idx] = int(val)
    iso_idx = pc.indices_nonzero(pc.cast(is_iso, pa.int8())).to_pylist()
    iso_vals = pc.filter(raw, is_iso)
    try:
        parsed = _iso_to_epoch(iso_vals).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        parsed = [_iso_one(v) for v in iso_vals.to_pylist()]
    for idx, val in zip(iso_idx, parsed, strict=True):
        out[idx] = val
    return pa.chunked_array([pa.array(out, pa.int64())])


def format_iso(epoch_s: np.ndarray, offset_s: int = 0) -> pa.StringArray:
    """ISO 8601 strings for epoch seconds at a fixed UTC offset, e.g. ``2026-11-02T08:15:03+08:00``.

    Built digit by digit in numpy (Arrow's ``strftime`` is ~50x slower on 10M values). The offset
    is written as ``+HH:MM``/``-HH:MM`` (``+00:00`` for UTC).

    >>> format_iso(np.array([1793578503]), 8 * 3600).to_pylist()
    ['2026-11-02T08:15:03+08:00']
    """
    local = np.asarray(epoch_s, np.int64) + offset_s
    day = (local // 86_400).astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    year = month.astype("datetime64[Y]").astype(np.int64) + 1970
    fields = (
        (year, 4), (month.astype(np.int64) % 12 + 1, 2), ((day - month).astype(np.int64) + 1, 2),
        (local % 86_400 // 3600, 2), (local % 3600 // 60, 2), (local % 60, 2),
    )  # fmt: skip
    sign = "+" if offset_s >= 0 else "-"
    hh, mm = divmod(abs(offset_s) // 60, 60)
    template = np.frombuffer(f"0000-00-00T00:00:00{sign}{hh:02d}:{mm:02d}".encode(), np.uint8)
    out = np.tile(template, (len(local), 1))
    pos = 0
    for value, width in fields:
        for k in range(width):
            out[:, pos + k] = 48 + value // 10 ** (width - 1 - k) % 10
        pos += width + 1
    offsets = np.arange(0, 25 * len(local) + 1, 25, dtype=np.int32)
    return pa.StringArray.from_buffers(len(local), pa.py_buffer(offsets), pa.py_buffer(out))
