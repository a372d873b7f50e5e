"""Synthetic call tables for benchmarks (uniform random callers/callees, not a realistic world)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from graphfraud.cdr.schema import CALLS_SCHEMA


def synthetic_calls(n_calls: int, n_numbers: int, seed: int = 0) -> pa.Table:
    """Validated-shape call table (CALLS_SCHEMA) with random traffic over two days."""
    rng = np.random.default_rng(seed)
    base = 13_800_000_000
    caller_id = rng.integers(0, n_numbers, n_calls)
    caller = (base + caller_id).astype(str)
    callee = (base + rng.integers(0, n_numbers, n_calls)).astype(str)
    start = 1_793_500_000 + rng.integers(0, 2 * 86_400, n_calls)
    dur = np.where(rng.random(n_calls) < 0.8, rng.integers(1, 600, n_calls), 0).astype(np.int32)
    # Each caller has one handset and moves among a few cells around a home cell.
    cell = np.char.add("C", ((caller_id * 7 + rng.integers(0, 4, n_calls)) % 5000).astype(str))
    imei = (860_000_000_000_000 + caller_id).astype(str)
    return pa.table(
        [pa.array(caller), pa.array(callee), pa.array(start), pa.array(dur), pa.array(cell), pa.array(imei)],
        schema=CALLS_SCHEMA,
    )


def write_contract_csv(table: pa.Table, path: str) -> None:
    """Write a call table in the input contract (start_time as epoch seconds)."""
    out = table.rename_columns(["caller", "callee", "start_time", "duration_s", "cell_id", "imei"])
    pacsv.write_csv(out, path)
