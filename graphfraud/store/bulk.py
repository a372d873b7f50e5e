"""The fast path for big loads: Neo4j's own bulk importer (``neo4j-admin database import full``).

It writes node and relationship CSV files in the importer's header format, stops the bundled
server, rebuilds the ``neo4j`` database from them, starts the server again and re-applies the
schema. It *replaces* the database's contents, so it is for a first or a full reload; the
transactional path (:mod:`graphfraud.store.loader`) adds to a live database.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from graphfraud.cdr.times import format_iso
from graphfraud.errors import Neo4jServerError
from graphfraud.settings import Settings
from graphfraud.store.driver import connect
from graphfraud.store.loader import IngestStats, apply_schema, bump_graph_version, call_ids, distinct_pairs
from graphfraud.store.server import Neo4jServer

__all__ = ["bulk_import"]

_WRITE = pacsv.WriteOptions(quoting_style="needed")


def _write(table: pa.Table, path: Path) -> Path:
    pacsv.write_csv(table, path, write_options=_WRITE)
    return path


def _node_files(
    calls: pa.Table, subscribers: pa.Table | None, tmp: Path
) -> tuple[list[Path], int, pa.Table, pa.Table]:
    numbers = pc.unique(pa.chunked_array(calls["caller"].chunks + calls["callee"].chunks))
    if subscribers is not None and subscribers.num_rows:
        extra = pc.filter(subscribers["number"], pc.invert(pc.is_in(subscribers["number"], numbers)))
        numbers = pa.concat_arrays([numbers, extra.combine_chunks()])
        activated = pc.index_in(numbers, value_set=subscribers["number"].combine_chunks())
        act_col = pc.cast(pc.take(subscribers["activated_on"].combine_chunks(), activated), pa.string())
    else:
        act_col = pa.nulls(len(numbers), pa.string())
    phones = pa.table(
        {
            "number:ID(Phone)": numbers,
            "activated_on:date": act_col,
            ":LABEL": pa.repeat("Phone", len(numbers)),
        }
    )
    devices = distinct_pairs(calls, "imei")
    cells = distinct_pairs(calls, "cell_id")
    files = [_write(phones, tmp / "phones.csv")]
    uniq_imei = pc.unique(devices["imei"])
    uniq_cell = pc.unique(cells["cell_id"])
    files.append(
        _write(
            pa.table({"imei:ID(Device)": uniq_imei, ":LABEL": pa.repeat("Device", len(uniq_imei))}),
            tmp / "devices.csv",
        )
    )
    files.append(
        _write(
            pa.table({"cell_id:ID(Cell)": uniq_cell, ":LABEL": pa.repeat("Cell", len(uniq_cell))}),
            tmp / "cells.csv",
        )
    )
    return files, len(numbers), devices, cells


def _has_line_breaks(calls: pa.Table) -> bool:
    """Whether a cell or handset id holds a line break (the importer must then parse multi-line
    fields). Numbers are validated digits and dates are dates: only these columns are free text."""
    return any(
        pc.any(pc.match_substring_regex(calls[name], "[\\r\\n]")).as_py()
        for name in ("cell_id", "imei")
        if name in calls.column_names
    )


def _first_of_each_id(calls: pa.Table, ids: pa.ChunkedArray) -> tuple[pa.Table, pa.ChunkedArray]:
    """Keep one record per call id, as MERGE does on the transactional path (switches repeat records)."""
    keyed = pa.table({"id": ids, "row": pa.array(range(len(ids)), pa.int64())})
    first = keyed.group_by("id", use_threads=False).aggregate([("row", "min")])["row_min"]
    if len(first) == len(ids):
        return calls, ids
    rows = pc.sort_indices(first)
    first = pc.take(first, rows)
    return calls.take(first), pc.take(ids, first)


def _links(pairs: pa.Table, column: str, label: str, rel_type: str, path: Path) -> Path:
    table = pa.table(
        {
            ":START_ID(Phone)": pairs["number"],
            f":END_ID({label})": pairs[column],
            ":TYPE": pa.repeat(rel_type, pairs.num_rows),
        }
    )
    return _write(table, path)


@contextmanager
def _restorable(data_dir: Path) -> Iterator[None]:
    """Set the current database aside; put it back if the import fails, drop it if it succeeds."""
    stores = [data_dir / "databases" / "neo4j", data_dir / "transactions" / "neo4j"]
    kept = [p.with_name("neo4j.before-bulk") for p in stores]
    for src, dst in zip(stores, kept, strict=True):
        shutil.rmtree(dst, ignore_errors=True)
        if src.exists():
            src.rename(dst)
    try:
        yield
    except BaseException:
        for src, dst in zip(stores, kept, strict=True):
            shutil.rmtree(src, ignore_errors=True)
            if dst.exists():
                dst.rename(src)
        raise
    for dst in kept:
        shutil.rmtree(dst, ignore_errors=True)


def bulk_import(settings: Settings, calls: pa.Table, subscribers: pa.Table | None = None) -> IngestStats:
    """Rebuild the bundled server's database from validated calls (and subscribers).

    Leaves the server running with the schema applied and the graph version moved.
    """
    if not settings.uses_bundled_neo4j:
        raise Neo4jServerError(
            "--bulk rebuilds the bundled server's database; it cannot run against NEO4J_URI"
        )
    server = Neo4jServer(settings)
    server.home.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="bulk-", dir=server.home))
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    try:
        node_files, n_phones, devices, cells = _node_files(calls, subscribers, tmp)
        ids = call_ids(calls)
        calls, ids = _first_of_each_id(calls, ids)
        rels = pa.table(
            {
                ":START_ID(Phone)": calls["caller"],
                ":END_ID(Phone)": calls["callee"],
                "id": ids,
                "start:datetime": format_iso(calls["start"].to_numpy()),
                "duration:int": calls["duration_s"],
                "cell": calls["cell_id"],
                "imei": calls["imei"],
                ":TYPE": pa.repeat("CALLED", calls.num_rows),
            }
        )
        rel_files = [_write(rels, tmp / "called.csv")]
        rel_files.append(_links(devices, "imei", "Device", "USED_DEVICE", tmp / "used_device.csv"))
        rel_files.append(_links(cells, "cell_id", "Cell", "SEEN_AT", tmp / "seen_at.csv"))
        seconds["write_csv"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        was_running = server.status().running
        server.stop()  # a no-op when it is not running (e.g. before the very first start)
        seconds["stop_server"] = time.perf_counter() - t0
        args = [
            "database",
            "import",
            "full",
            "neo4j",
            "--overwrite-destination=true",
            "--skip-duplicate-nodes=true",
            "--threads=2",
            f"--report-file={tmp / 'import.report'}",
        ]
        if _has_line_breaks(calls):  # slower parsing: only when a value needs it
            args.append("--multiline-fields=true")
        args += [f"--nodes={p}" for p in node_files] + [f"--relationships={p}" for p in rel_files]
        t0 = time.perf_counter()
        try:
            with _restorable(settings.data_dir):
                server.admin(*args)
        except BaseException as exc:  # the importer failing, a timeout, Ctrl-C: serve the old data
            state = "left stopped"
            if was_running:
                try:
                    server.start()  # the old database is back in place
                    state = "restarted"
                except Exception as start_exc:  # say both, the import's failure first
                    state = f"not restarted ({start_exc})"
            if not isinstance(exc, Exception):
                raise
            raise Neo4jServerError(
                f"bulk import failed; the database is as it was and Neo4j was {state}: {exc}"
            ) from exc
        seconds["import"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        server.start()
        seconds["start_server"] = time.perf_counter() - t0
        # The database is new: build its constraints and tell API workers their answers are stale.
        t0 = time.perf_counter()
        with connect(settings) as driver:
            apply_schema(driver)
            bump_graph_version(driver, scores=True)  # a new database: no card still holds
        seconds["constraints_and_indexes"] = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return IngestStats(
        calls=calls.num_rows, phones=n_phones, devices=devices.num_rows, cells=cells.num_rows, seconds=seconds
    )
