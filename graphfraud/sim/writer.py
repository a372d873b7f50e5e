"""Turn call batches into contract tables, and write calls, subscribers and truth files.

Calls go out in chunks through one ``CSVWriter`` / ``ParquetWriter``, so memory stays bounded.
CSV ``start_time`` is ISO 8601 local China time with its offset (``2026-11-02T08:15:03+08:00``);
Parquet stores a timezone-aware timestamp (seconds, ``+08:00``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphfraud.cdr.times import format_iso
from graphfraud.errors import OutputFileError
from graphfraud.outputs import missing_folders
from graphfraud.sim.calls import LOCAL_OFFSET_S, Calls
from graphfraud.sim.population import FRAUD_PERSONAS, NO_SUB, PERSONAS, Population

__all__ = [
    "CALLS_OUT_SCHEMA", "Format", "WorldFiles", "calls_table", "check_world_folder", "iso_local",
    "subscribers_table", "truth_table", "world_files", "write_calls", "write_table",
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


@dataclass
class WorldFiles:
    """The files of one world: ``staged`` are written, then renamed onto ``paths``."""

    paths: dict[str, Path]  # calls, subscribers, truth: the names the world ends up under
    staged: dict[str, Path]  # hidden siblings the writers fill
    removed: list[Path] = field(default_factory=list)  # an earlier calls file of the other format


def check_world_folder(out_dir: Path) -> None:
    """Raise :class:`OutputFileError` unless ``out_dir`` is, or can be made, a writable folder.

    Nothing is created.
    """
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputFileError(f"{out_dir}: is a file, not a folder")
    missing = missing_folders(out_dir)  # made when the world is written
    folder = missing[-1].parent if missing else out_dir
    if not folder.is_dir():
        raise OutputFileError(f"{out_dir}: cannot be made ({folder} is a file, not a folder)")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFileError(f"{out_dir}: cannot be written ({folder} is not a writable folder)")


@contextmanager
def world_files(out_dir: Path, fmt: Format) -> Iterator[WorldFiles]:
    """Make ``out_dir`` if needed and hand out the paths to write a world to.

    Only a complete world is kept: on success the staged files replace ``calls.<fmt>``,
    ``subscribers.csv`` and ``truth.csv``, and a ``calls`` file of the other format goes (a folder
    holds one world, never two that disagree). On failure the staged files go, with every folder
    this call made, so the folder is left as it was found; an ``OSError`` (read-only folder, full
    disk) becomes :class:`OutputFileError`.
    """
    check_world_folder(out_dir)
    paths = {"calls": out_dir / f"calls.{fmt}", "subscribers": out_dir / "subscribers.csv",
             "truth": out_dir / "truth.csv"}  # fmt: skip
    for path in paths.values():
        if path.is_dir():
            raise OutputFileError(f"{path}: is a folder, not a file name")
    files = WorldFiles(paths, {k: p.with_name(f".{p.stem}.partial{p.suffix}") for k, p in paths.items()})
    missing, made = missing_folders(out_dir), []  # to make, deepest first; made, outermost first
    try:
        for folder in reversed(missing):
            folder.mkdir()
            made.append(folder)
        yield files
        for key, path in paths.items():
            os.replace(files.staged[key], path)
        other = out_dir / f"calls.{'parquet' if fmt == 'csv' else 'csv'}"
        if other.is_file():
            other.unlink()
            files.removed.append(other)
    except BaseException as exc:
        try:
            for path in files.staged.values():
                path.unlink(missing_ok=True)
            for folder in reversed(made):
                folder.rmdir()
        except OSError:  # cannot tidy up (or a folder is not empty): keep the first error
            pass
        if isinstance(exc, OSError):
            reason = exc.strerror if exc.strerror else " ".join(str(exc).split())
            raise OutputFileError(f"{out_dir}: cannot write the world there ({reason})") from exc
        raise
