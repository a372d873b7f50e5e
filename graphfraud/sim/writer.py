"""Turn call batches into contract tables, and write calls, subscribers and truth files.

Calls go out in chunks through one ``CSVWriter`` / ``ParquetWriter``, so memory stays bounded.
CSV ``start_time`` is ISO 8601 local China time with its offset (``2026-11-02T08:15:03+08:00``);
Parquet stores a timezone-aware timestamp (seconds, ``+08:00``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphfraud.cdr.times import format_iso
from graphfraud.sim.calls import LOCAL_OFFSET_S, Calls
from graphfraud.sim.population import FRAUD_PERSONAS, NO_SUB, PERSONAS, Population

__all__ = [
    "CALLS_OUT_SCHEMA", "Format", "calls_table", "iso_local", "subscribers_table", "truth_table",
    "write_calls", "write_table",
]  # fmt: skip

Format = Literal["csv", "parquet"]
TZ = "+08:00"
CALLS_OUT_SCHEMA = pa.schema(
    [("caller", pa.string()), ("callee", pa.string()), ("start_time", pa.timestamp("s", tz=TZ)),
     ("duration_s", pa.int32()), ("cell_id", pa.string()), ("imei", pa.string())]
)  # fmt: skip
_CSV_OPTIONS = pacsv.WriteOptions(include_header=True, quoting_style="needed")


def iso_local(start: np.ndarray) -> pa.StringArray:
    """ISO 8601 strings in China time for epoch seconds, e.g. ``2026-11-02T08:15:03+08:00``."""
    return format_iso(start, LOCAL_OFFSET_S)


def _cell_names(pop: Population) -> pa.Array:
    cells = int(max(pop.home_cell.max(), pop.work_cell.max(), 0)) + 1
    route = pop.extra.get("travel_route")
    if route is not None and route.size:
        cells = max(cells, int(route.max()) + 1)
    return pa.array([f"C{c:04d}" for c in range(cells)])


def calls_table(pop: Population, calls: Calls, fmt: Format = "csv") -> pa.Table:
    """Contract columns for a batch. ``csv``: start_time as ISO text; ``parquet``: timestamp."""
    numbers = pop.extra.get("numbers_arrow")
    if numbers is None:
        numbers = pop.extra["numbers_arrow"] = pa.array(pop.number, pa.string())
        pop.extra["cell_names"] = _cell_names(pop)
    if fmt == "csv":
        start: pa.Array = iso_local(calls.start)
    else:
        start = pa.array(calls.start, pa.timestamp("s", tz=TZ))
    imei = pa.array(calls.imei, pa.int64(), mask=calls.imei < 0).cast(pa.string())
    cell = pop.extra["cell_names"].take(pa.array(calls.cell, pa.int32(), mask=calls.cell < 0))
    return pa.table(
        {
            "caller": numbers.take(calls.caller), "callee": numbers.take(calls.callee),
            "start_time": start, "duration_s": pa.array(calls.duration, pa.int32()),
            "cell_id": cell, "imei": imei,
        }
    )  # fmt: skip


def subscribers_table(pop: Population, start_date: date) -> pa.Table:
    """``number, activated_on`` of every number that is a subscription (not landlines/spoofs)."""
    sub = np.flatnonzero(pop.activated != NO_SUB)
    base = np.datetime64(start_date.isoformat(), "D")
    activated = base + pop.activated[sub].astype("timedelta64[D]")
    return pa.table({"number": pa.array(pop.number[sub], pa.string()),
                     "activated_on": pa.array(activated, pa.date32())})  # fmt: skip


def truth_table(pop: Population) -> pa.Table:
    """``number, persona, fraud (0/1), ring`` for every number in the world."""
    names = np.array(PERSONAS, dtype=object)[pop.persona]
    fraud = np.isin(pop.persona, [PERSONAS.index(p) for p in FRAUD_PERSONAS])
    rings = np.array([*pop.ring_names, ""], dtype=object)[pop.ring]  # -1 → ""
    return pa.table({"number": pa.array(pop.number, pa.string()),
                     "persona": pa.array(names, pa.string()),
                     "fraud": pa.array(fraud.astype(np.int8)),
                     "ring": pa.array(rings, pa.string())})  # fmt: skip


def write_table(table: pa.Table, path: Path) -> Path:
    """One small table as CSV (by suffix) or Parquet."""
    if path.suffix == ".parquet":
        pq.write_table(table, path)
    else:
        pacsv.write_csv(table, path, _CSV_OPTIONS)
    return path


def write_calls(tables: Iterable[pa.Table], path: Path, fmt: Format) -> int:
    """Stream call tables into one file; returns the number of rows written."""
    rows, writer = 0, None
    try:
        for table in tables:
            if writer is None:
                writer = (pq.ParquetWriter(path, table.schema) if fmt == "parquet"
                          else pacsv.CSVWriter(path, table.schema, write_options=_CSV_OPTIONS))
            writer.write_table(table)
            rows += table.num_rows
    finally:
        if writer is not None:
            writer.close()
    return rows

