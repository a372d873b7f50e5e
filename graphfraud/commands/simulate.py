"""``graphfraud simulate``: write a synthetic call world (calls, subscribers, truth)."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphfraud.errors import ConfigError
from graphfraud.sim import FRAUD_PERSONAS, load_config, profile, write_simulation

__all__ = ["simulate"]


def simulate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write calls, subscribers, truth.")],
    people: Annotated[int | None, typer.Option(help="Ordinary subscribers (≈4.5 calls/day each).")] = None,
    days: Annotated[int | None, typer.Option(help="Days simulated, from the start date.")] = None,
    seed: Annotated[int | None, typer.Option(help="Random seed; same seed, same files.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="Calls file format: csv or parquet.")] = "csv",
    profile_name: Annotated[
        str, typer.Option("--profile", help="Named profile: default (tuning) or holdout.")
    ] = "default",
    config: Annotated[
        Path | None, typer.Option("--config", help="JSON file of SimConfig fields (overrides profile).")
    ] = None,
) -> None:
    """Simulate a call world. ~10M calls: --people 500000 --days 4."""
    if fmt not in ("csv", "parquet"):
        raise ConfigError(f"--format must be csv or parquet, not {fmt!r}")
    overrides = {k: v for k, v in (("people", people), ("days", days), ("seed", seed)) if v is not None}
    cfg = (load_config(config, profile_name, **overrides) if config
           else profile(profile_name, **overrides))  # fmt: skip
    result = write_simulation(cfg, out, fmt)  # type: ignore[arg-type]
    console = Console()
    table = Table(title=f"Simulated world: profile {profile_name}, seed {cfg.seed}, "
                        f"{cfg.people:,} people, {cfg.days} days")  # fmt: skip
    for column in ("persona", "fraud", "numbers", "calls made", "answered %", "calls received"):
        table.add_column(column, justify="left" if column == "persona" else "right")
    for persona, row in result["summary"].items():
        if row["numbers"] == 0:
            continue
        made = row["calls_made"]
        answered = f"{100 * row['answered_made'] / made:.0f}" if made else "-"
        table.add_row(persona, "yes" if persona in FRAUD_PERSONAS else "", f"{row['numbers']:,}",
                      f"{made:,}", answered, f"{row['calls_received']:,}")  # fmt: skip
    console.print(table)
    seconds, calls = result["seconds"], result["calls"]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    console.print(f"{calls:,} calls in {seconds:.1f} s ({calls / max(seconds, 1e-9):,.0f} calls/s), "
                  f"peak RSS {rss_mb:,.0f} MiB")  # fmt: skip
    for name, path in result["paths"].items():
        console.print(f"  {name}: {path}")
    console.print(f"Truth: {result['paths']['truth']} — number, persona, fraud (0/1), ring "
                  "(farm-N / ring-N; empty when in none). Never show it to a detector.")
