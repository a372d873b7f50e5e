"""POST /v1/calls: a batch of call records, validated like a file, stored idempotently (admins),
as pseudonym tokens when the database holds tokens, or is empty and the server has the key."""

from __future__ import annotations

from typing import Annotated

import pyarrow as pa
from fastapi import APIRouter, Body
from neo4j.exceptions import AuthError, DriverError
from starlette.concurrency import run_in_threadpool

from graphfraud.api.deps import AdminKey, StateDep
from graphfraud.api.errors import InvalidInput
from graphfraud.api.models import CallRow, ErrorOut, IngestOut
from graphfraud.api.routes.numbers import ERRORS
from graphfraud.api.state import AppState
from graphfraud.cdr import validate_calls
from graphfraud.errors import ConfigError, Neo4jUnavailable
from graphfraud.store.kinds import claim_number_kind, stored_number_kinds
from graphfraud.store.loader import IngestStats, apply_schema, ingest_calls, pseudonymize_calls

router = APIRouter(prefix="/v1", tags=["calls"])
MAX_ROWS = 10_000


def rows_table(rows: list[CallRow]) -> pa.Table:
    """Raw call rows as the reader's string table, with the 1-based ``__line`` the quarantine reports."""

    def col(name: str) -> pa.Array:
        values = [getattr(r, name) for r in rows]
        return pa.array([None if v is None else str(v) for v in values], pa.string())

    names = ("caller", "callee", "start_time", "duration_s", "cell_id", "imei")
    table = pa.table({name: col(name) for name in names})
    return table.append_column("__line", pa.array(range(1, len(rows) + 1), pa.int64()))


def _as_stored(state: AppState, table: pa.Table) -> pa.Table:
    """The calls with numbers of the kind Neo4j holds: keyed tokens in a pseudonymised database
    (with this server's key), digits in one of digits. An empty database gets tokens when the
    server has a key (its operator keeps numbers pseudonymised), else digits. Raw numbers never go
    into a pseudonymised database, nor tokens into one of digits."""
    kinds = stored_number_kinds(state.sync_driver, [])
    pseudonymizer = state.pseudonymizer
    tokens = not kinds["digits"] and (kinds["tokens"] or pseudonymizer is not None)
    if tokens and pseudonymizer is None:
        raise ConfigError("Neo4j holds pseudonymised numbers and this server has no "
                          "GRAPHFRAUD_PSEUDONYM_KEY: the calls would be stored as raw numbers")  # fmt: skip
    if not kinds["digits"] and not kinds["tokens"]:  # empty: another first writer may be under way
        claim_number_kind(state.sync_driver, tokens=tokens, command="POST /v1/calls")
    return pseudonymize_calls(table, pseudonymizer) if tokens else table


def _store(state: AppState, table: pa.Table) -> IngestStats:
    try:
        table = _as_stored(state, table)
        if not state.schema_applied:
            apply_schema(state.sync_driver)
            state.schema_applied = True
        stats = ingest_calls(state.sync_driver, table, batch_size=state.settings.ingest_batch_size)
        state.tokens_seen = None  # an empty database may hold tokens now: read it again
        return stats
    except (DriverError, AuthError, OSError) as exc:
        raise Neo4jUnavailable(f"Neo4j is not reachable: {type(exc).__name__}") from exc


@router.post("/calls", response_model=IngestOut, responses={**ERRORS, 409: {"model": ErrorOut}})
async def post_calls(
    *, _role: AdminKey, state: StateDep, rows: Annotated[list[CallRow], Body(max_length=MAX_ROWS)]
) -> IngestOut:
    """Validate and store calls. Rows that fail the contract come back as 422 with their line
    (1-based row index) and reason; the valid rows of the batch are stored all the same
    (idempotently: sending the corrected batch again adds no duplicates)."""
    result = validate_calls(rows_table(rows))
    stats = await run_in_threadpool(_store, state, result.table) if result.accepted else None
    if result.quarantined:
        errors = result.quarantine.select(["line", "reason"]).to_pylist()
        message = f"{result.quarantined} of {len(rows)} rows rejected"
        raise InvalidInput(message, errors, accepted=result.accepted)
    return IngestOut(accepted=result.accepted, phones=stats.phones if stats else 0,
                     devices=stats.devices if stats else 0, cells=stats.cells if stats else 0)  # fmt: skip
