"""Ingest benchmark: calls/s into a real Neo4j, bulk importer vs batched UNWIND, beside a bare read.

Runs on its own Neo4j instance (var/neo4j-bench, Bolt 7691) because the bulk path replaces the
database. Prints a table and writes JSON with --json.

    python bench/ingest.py --calls 1000000 --tx-calls 200000
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import pyarrow.csv as pacsv
from rich.console import Console
from rich.table import Table

os.environ.setdefault("GRAPHFRAUD_NEO4J_HOME", str(Path("var/neo4j-bench").resolve()))
os.environ.setdefault("GRAPHFRAUD_NEO4J_BOLT_PORT", "7691")
os.environ.setdefault("GRAPHFRAUD_NEO4J_HTTP_PORT", "0")

from graphfraud.cdr import read_calls
from graphfraud.settings import get_settings
from graphfraud.sim import profile, write_simulation
from graphfraud.store.bulk import bulk_import
from graphfraud.store.driver import connect
from graphfraud.store.loader import ingest_calls
from graphfraud.store.server import Neo4jServer


def _world(n_calls: int, out: Path) -> Path:
    path = out / "calls.csv"
    if not path.is_file():
        # About 5 calls per person and day in the default profile (measured); 2 days.
        people = max(2_000, n_calls // 10)
        write_simulation(profile("default", people=people, days=2, seed=7), out, "csv")
    return path


def _timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000, help="size of the bulk-import world (calls)")
    ap.add_argument("--tx-calls", type=int, default=200_000, help="calls for the transactional path")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()

    settings = get_settings()
    out = Path(f"var/bench/ingest-{args.calls}")
    path = _world(args.calls, out)
    _, t_bare = _timed(lambda: pacsv.read_csv(path))
    res, t_read = _timed(lambda: read_calls(path))
    calls = res.table
    n = calls.num_rows

    server = Neo4jServer(settings)
    server.start()

    bulk_stats, t_bulk = _timed(lambda: bulk_import(settings, calls))

    # Transactional path into an empty database (a fresh bulk of nothing would also do).
    driver = connect(settings)
    with driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    sub = calls.slice(0, min(args.tx_calls, n))
    _, t_tx = _timed(lambda: ingest_calls(driver, sub, batch_size=settings.ingest_batch_size))
    _, t_tx_again = _timed(lambda: ingest_calls(driver, sub, batch_size=settings.ingest_batch_size))
    driver.close()
    server.stop()

    phases = bulk_stats.seconds
    rows = [
        ("bare pyarrow.csv.read_csv", n, t_bare),
        ("read + validate (graphfraud.cdr)", n, t_read),
        ("bulk import, end to end (CSV, stop, import, start, schema)", n, t_bulk),
        ("  of which neo4j-admin import alone", n, phases["import"]),
        ("batched UNWIND MERGE (live server)", sub.num_rows, t_tx),
        ("batched UNWIND, re-ingest of the same calls", sub.num_rows, t_tx_again),
    ]
    table = Table(title=f"ingest, {n:,} calls (file {path})")
    for col in ("path", "calls", "seconds", "calls/s", "× bare read"):
        table.add_column(col, justify="right" if col != "path" else "left")
    bare_rate = n / t_bare
    results = []
    for name, k, t in rows:
        rate = k / t
        table.add_row(name, f"{k:,}", f"{t:.1f}", f"{rate:,.0f}", f"{bare_rate / rate:.1f}")
        results.append({"path": name, "calls": k, "seconds": round(t, 3), "calls_per_s": round(rate)})
    Console().print(table)
    Console().print("bulk phases (s): " + ", ".join(f"{k} {v:.1f}" for k, v in phases.items()))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"ingest": results, "bulk_phases_s": phases}, indent=2))


if __name__ == "__main__":
    main()
