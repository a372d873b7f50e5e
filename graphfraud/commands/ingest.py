"""``graphfraud ingest``: validated call records into Neo4j."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from graphfraud.cdr import ReadResult, quarantine_path_for, read_calls, read_subscribers
from graphfraud.cdr.quarantine import refuse_if_all_quarantined, replace_quarantine
from graphfraud.outputs import check_outputs
from graphfraud.privacy import Pseudonymizer
from graphfraud.settings import get_settings

if TYPE_CHECKING:
    from graphfraud.store.loader import IngestStats

console = Console(stderr=True)


def ingest(
    calls: Annotated[
        Path,
        typer.Option("--calls", help="Calls file (.csv, .csv.gz/.bz2/.zst or .parquet), call-record "
                     "contract."),
    ],
    subscribers: Annotated[
        Path | None, typer.Option("--subscribers", help="Optional subscribers file (number, activated_on).")
    ] = None,
    pseudonymize: Annotated[
        bool,
        typer.Option(
            "--pseudonymize", help="Store keyed HMAC tokens, not numbers (GRAPHFRAUD_PSEUDONYM_KEY)."
        ),
    ] = False,
    quarantine: Annotated[
        Path | None,
        typer.Option("--quarantine", help="Bad-row file (default: <calls>.quarantine.csv beside it)."),
    ] = None,
    bulk: Annotated[
        bool,
        typer.Option("--bulk", help="Fast path: rebuild the bundled database with Neo4j's bulk importer."),
    ] = False,
) -> None:
    """Validate call records and load them into Neo4j (idempotent: re-ingesting adds nothing)."""
    # The Neo4j driver is imported here, not at start-up, so other commands do not pay for it.
    from graphfraud.store.bulk import bulk_import
    from graphfraud.store.driver import connect
    from graphfraud.store.kinds import check_number_kind
    from graphfraud.store.loader import apply_schema, ingest_calls, ingest_subscribers, pseudonymize_calls

    q_calls = quarantine or quarantine_path_for(calls)
    q_subs = quarantine_path_for(subscribers) if subscribers else None
    check_outputs([q_calls, q_subs], [calls, subscribers])  # before anything is read
    settings = get_settings()
    # A missing or short key is a clear error before anything is read.
    pseudo = Pseudonymizer.from_secret(settings.pseudonym_key) if pseudonymize else None
    # Validate everything before touching the database: a wrong file writes nothing.
    result = read_calls(calls)
    refuse_if_all_quarantined(calls, result, q_calls)  # not one valid call: a wrong file
    subs = read_subscribers(subscribers) if subscribers else None
    refuse_if_all_quarantined(subscribers, subs, q_subs, "subscriber")
    if result.accepted == 0:  # only a header: an hour without calls is not an error
        _quarantines(result, q_calls, subs, q_subs)
        typer.echo(f"{calls}: no call records; nothing loaded")
        return
    table = pseudonymize_calls(result.table, pseudo) if pseudo else result.table
    sub_table = subs.table if subs is not None else None
    if pseudo and sub_table is not None:
        sub_table = sub_table.set_column(0, "number", pseudo.tokens(sub_table["number"]))
    if bulk:  # a new database: whatever the old one held, the kinds cannot mix
        q_path = _quarantines(result, q_calls, subs, q_subs)
        t0 = time.perf_counter()
        with console.status("bulk import: stopping Neo4j, importing, restarting"):
            stats = bulk_import(settings, table, sub_table)
        _report(result, subs, q_path, stats, time.perf_counter() - t0)
        return
    driver = connect(settings)
    try:
        # Tokens into a database of raw numbers, or raw numbers into a pseudonymised one: refused
        # before anything is written (score --to-neo4j checks the same).
        check_number_kind(driver, table["caller"], pseudonymized=pseudo is not None, command="ingest")
        q_path = _quarantines(result, q_calls, subs, q_subs)
        apply_schema(driver)
        t0 = time.perf_counter()
        with Progress(TextColumn("ingesting calls"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, transient=True) as bar:  # fmt: skip
            task = bar.add_task("calls", total=table.num_rows)
            stats = ingest_calls(
                driver, table, batch_size=settings.ingest_batch_size,
                progress=lambda k: bar.advance(task, k),
            )  # fmt: skip
        if sub_table is not None:
            ingest_subscribers(driver, sub_table, batch_size=settings.ingest_batch_size)
    finally:
        driver.close()
    _report(result, subs, q_path, stats, time.perf_counter() - t0)


def _quarantines(
    result: ReadResult, q_calls: Path, subs: ReadResult | None, q_subs: Path | None
) -> Path | None:
    """This run's bad rows beside each input (an earlier run's stale file removed); the calls' path."""
    if q_subs is not None:
        replace_quarantine(subs, q_subs)
    return replace_quarantine(result, q_calls)


def _report(
    result: ReadResult, subs: ReadResult | None, q_path: Path | None, stats: IngestStats, elapsed: float
) -> None:
    rate = stats.calls / elapsed if elapsed > 0 else float("inf")
    line = f"accepted {result.accepted} calls, quarantined {result.quarantined}"
    line += f" (see {q_path})" if q_path else ""
    line += (
        f"; loaded {stats.calls} calls"
        f"{f' ({stats.new_calls} new)' if stats.new_calls is not None else ''}"
        f", {stats.phones} numbers, {stats.devices} device links, "
        f"{stats.cells} cell links in {elapsed:.1f} s ({rate:,.0f} calls/s)"
    )
    if subs is not None:
        line += f"; subscribers accepted {subs.accepted}, quarantined {subs.quarantined}"
        if subs.superseded:
            line += f" ({subs.superseded} earlier activations of a number gave way to a later one)"
    typer.echo(line)
