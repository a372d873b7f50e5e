"""A structureless random call table, for kernel tests and benchmarks (not the simulator)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graphfraud.cdr import CALLS_SCHEMA, SUBSCRIBERS_SCHEMA

__all__ = ["calls_table", "random_calls", "random_subscribers", "write_calls_csv"]

_BASE_NUMBER = 13_800_000_000
_T0 = 1_704_067_200  # 2024-01-01T00:00:00Z


def random_calls(
    n_calls: int,
    n_numbers: int,
    *,
    seed: int = 0,
    days: int = 7,
    n_cells: int | None = None,
    n_imeis: int | None = None,
    unknown_share: float = 0.05,
) -> pa.Table:
    """Random calls with the :data:`~graphfraud.cdr.CALLS_SCHEMA` columns.

    Callers are skewed (a few call a lot); half the calls go back to a caller's few usual
    contacts, a fifth are reversed (so callbacks exist); numbers are drawn from a narrow block
    (so adjacent numbers occur); each caller mostly stays on a home cell and handset, and a tenth
    of handsets are shared. Cell and IMEI are null with probability ``unknown_share``.
    """
    rng = np.random.default_rng(seed)
    n_cells = n_cells or max(1, n_numbers // 20)
    n_imeis = n_imeis or max(1, n_numbers)
    caller = (n_numbers * rng.random(n_calls) ** 2).astype(np.int64)
    usual = (caller * 7919 + rng.integers(0, 4, n_calls)) % n_numbers
    callee = np.where(rng.random(n_calls) < 0.5, usual, rng.integers(0, n_numbers, n_calls))
    swap = rng.random(n_calls) < 0.2
    caller, callee = np.where(swap, callee, caller), np.where(swap, caller, callee)
    start = _T0 + rng.integers(0, days * 86400, n_calls)
    answered = rng.random(n_calls) < 0.6
    duration = np.where(answered, rng.exponential(60.0, n_calls).astype(np.int64) + 1, 0)
    home_cell = (caller * 31) % n_cells
    cell = np.where(rng.random(n_calls) < 0.8, home_cell, rng.integers(0, n_cells, n_calls))
    shared = (caller % 10) == 0
    imei = np.where(shared, (caller // 4) % n_imeis, caller % n_imeis)

    def strings(values: np.ndarray) -> pa.Array:
        return pa.array(values).cast(pa.string())

    def maybe_null(arr: pa.Array) -> pa.Array:
        mask = pa.array(rng.random(n_calls) < unknown_share)
        return pc.if_else(mask, pa.scalar(None, pa.string()), arr)

    return pa.table(
        {
            "caller": strings(_BASE_NUMBER + caller),
            "callee": strings(_BASE_NUMBER + callee),
            "start": pa.array(start, pa.int64()),
            "duration_s": pa.array(duration.astype(np.int32), pa.int32()),
            "cell_id": maybe_null(strings(cell)),
            "imei": maybe_null(strings(86_000_000_000_000 + imei)),
        },
        schema=CALLS_SCHEMA,
    )


def random_subscribers(n_numbers: int, *, seed: int = 0, known_share: float = 0.8) -> pa.Table:
    """Activation dates (days before 2024-01-01, up to 3 years) for a random part of the numbers."""
    rng = np.random.default_rng(seed + 1)
    ids = np.flatnonzero(rng.random(n_numbers) < known_share)
    days = _T0 // 86400 - rng.integers(0, 3 * 365, ids.size)
    return pa.table(
        {
            "number": pa.array(_BASE_NUMBER + ids).cast(pa.string()),
            "activated_on": pa.array(days.astype(np.int32)).cast(pa.date32()),
        },
        schema=SUBSCRIBERS_SCHEMA,
    )


def calls_table(rows: list[tuple]) -> pa.Table:
    """A call table from ``(caller, callee, start, duration_s[, cell_id[, imei]])`` tuples."""
    cols = list(zip(*rows, strict=True)) if rows else [(), (), (), ()]
    names = ["caller", "callee", "start", "duration_s", "cell_id", "imei"]
    data = {
        name: list(cols[k]) if k < len(cols) else [None] * len(rows) for k, name in enumerate(names)
    }
    return pa.table(data, schema=CALLS_SCHEMA)


def write_calls_csv(calls: pa.Table, path: Path) -> Path:
    """A validated call table as a calls CSV of the contract (``start_time`` in ISO, UTC)."""
    stamps = np.datetime_as_string(calls["start"].to_numpy().astype("datetime64[s]"), unit="s")
    start_time = pa.array(np.char.add(stamps.astype(str), "+00:00"))
    table = calls.drop_columns(["start"]).add_column(2, "start_time", start_time)
    pacsv.write_csv(table, path)
    return path
