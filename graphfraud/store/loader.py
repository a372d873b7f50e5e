"""Load validated call records into Neo4j with batched, idempotent ``UNWIND ... MERGE``.

``(:Phone {number})-[:CALLED {id, start, duration, cell, imei}]->(:Phone)``, plus
``(:Phone)-[:USED_DEVICE]->(:Device {imei})`` and ``(:Phone)-[:SEEN_AT]->(:Cell {cell_id})``.
A call's id is ``caller>callee@start``: loading the same file twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa
import pyarrow.compute as pc
from neo4j import Driver

from graphfraud.privacy import Pseudonymizer
from graphfraud.store.cypher import query, schema_statements

__all__ = [
    "VERSIONS_GRAPH",
    "VERSIONS_SCORES",
    "IngestStats",
    "apply_schema",
    "bump_graph_version",
    "call_ids",
    "distinct_pairs",
    "ingest_calls",
    "ingest_subscribers",
    "pseudonymize_calls",
]

Progress = Callable[[int], None]


@dataclass(frozen=True)
class IngestStats:
    calls: int
    phones: int
    devices: int
    cells: int
    seconds: dict[str, float] = field(default_factory=dict)  # time per phase, where measured
    new_calls: int | None = None  # calls the database did not hold yet (None: not counted)


def apply_schema(driver: Driver) -> None:
    """Create constraints and indexes (idempotent) and wait until they are online.

    Each statement is a managed transaction, retried by the driver on a transient error: two
    first writers into a database without a schema deadlock on creating it (one of them is told
    ``DeadlockDetected``), and the retry finds it made."""
    with driver.session() as session:
        for statement in schema_statements():
            session.execute_write(lambda tx, st=statement: tx.run(st).consume())
        session.run(query("await_indexes"), timeout_s=300).consume()


def pseudonymize_calls(calls: pa.Table, pseudo: Pseudonymizer) -> pa.Table:
    """The same calls with caller and callee replaced by keyed tokens."""
    calls = calls.set_column(calls.schema.get_field_index("caller"), "caller", pseudo.tokens(calls["caller"]))
    return calls.set_column(calls.schema.get_field_index("callee"), "callee", pseudo.tokens(calls["callee"]))


def _batches(table: pa.Table, size: int) -> Iterator[list[dict]]:
    for batch in table.to_batches(max_chunksize=size):
        yield batch.to_pylist()


def _write(driver: Driver, name: str, table: pa.Table, size: int, progress: Progress | None) -> int:
    """Run query ``name`` over ``table`` in batches; the relationships it created."""
    cypher = query(name)
    created = 0
    with driver.session() as session:
        for rows in _batches(table, size):
            summary = session.execute_write(lambda tx, rows=rows: tx.run(cypher, rows=rows).consume())
            created += summary.counters.relationships_created
            if progress is not None:
                progress(len(rows))
    return created


def ingest_calls(
    driver: Driver, calls: pa.Table, *, batch_size: int = 20_000, progress: Progress | None = None
) -> IngestStats:
    """Load a validated call table (``CALLS_SCHEMA``). ``progress`` receives calls written."""
    numbers = pc.unique(pa.chunked_array(calls["caller"].chunks + calls["callee"].chunks))
    cypher = query("merge_phones")
    with driver.session() as session:
        for i in range(0, len(numbers), batch_size):
            chunk = numbers[i : i + batch_size].to_pylist()
            session.execute_write(lambda tx, chunk=chunk: tx.run(cypher, numbers=chunk).consume())

    rows = pa.table(
        {
            "id": call_ids(calls),
            "caller": calls["caller"],
            "callee": calls["callee"],
            "start": calls["start"],
            "duration": calls["duration_s"],
            "cell": calls["cell_id"],
            "imei": calls["imei"],
        }
    )
    new_calls = _write(driver, "merge_calls", rows, batch_size, progress)

    devices = distinct_pairs(calls, "imei")
    cells = distinct_pairs(calls, "cell_id")
    _write(driver, "merge_devices", devices, batch_size, None)
    _write(driver, "merge_cells", cells, batch_size, None)
    bump_graph_version(driver)
    return IngestStats(calls=calls.num_rows, phones=len(numbers), devices=devices.num_rows,
                       cells=cells.num_rows, new_calls=new_calls)  # fmt: skip


VERSIONS_GRAPH = ["graph"]  # calls, phones, devices, cells or activation dates changed
VERSIONS_SCORES = ["graph", "scores"]  # ... and any risk card too (a scoring run, a new database)


def bump_graph_version(driver: Driver, *, scores: bool = False) -> None:
    """Tell API workers that the stored graph changed (they drop the cached answers it touches).

    ``scores``: risk cards changed too; without it the workers keep their /risk cards.
    """
    names = VERSIONS_SCORES if scores else VERSIONS_GRAPH
    with driver.session() as session:
        session.execute_write(lambda tx: tx.run(query("graph_version_bump"), names=names).consume())


def call_ids(calls: pa.Table) -> pa.ChunkedArray:
    """``caller>callee@start``: the identity of a call, which makes loading idempotent."""
    tail = pc.binary_join_element_wise(calls["callee"], pc.cast(calls["start"], pa.string()), "@")
    return pc.binary_join_element_wise(calls["caller"], tail, ">")


def distinct_pairs(calls: pa.Table, column: str) -> pa.Table:
    """Distinct (caller ``number``, ``column``) pairs where the column is known."""
    pairs = pa.table({"number": calls["caller"], column: calls[column]}).filter(pc.is_valid(calls[column]))
    return pairs.group_by(["number", column]).aggregate([])


def ingest_subscribers(driver: Driver, subscribers: pa.Table, *, batch_size: int = 20_000) -> int:
    """Load activation dates (``SUBSCRIBERS_SCHEMA``)."""
    rows = pa.table(
        {"number": subscribers["number"], "activated_on": pc.cast(subscribers["activated_on"], pa.string())}
    )
    _write(driver, "merge_subscribers", rows, batch_size, None)
    bump_graph_version(driver)
    return rows.num_rows
