"""``graphfraud simulate``: write a synthetic call world (calls, subscribers, truth)."""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from graphfraud.errors import ConfigError
from graphfraud.outputs import check_outputs
from graphfraud.sim import FRAUD_PERSONAS, PROFILES, load_config, profile, write_simulation
from graphfraud.sim.config import MAX_DAYS, MAX_SEED, MIN_PEOPLE
from graphfraud.sim.writer import check_world_folder

__all__ = ["simulate"]

#: What each named profile is for (``--help``); every profile of :data:`PROFILES` is listed.
PROFILE_ROLES = {"default": "tune on it", "holdout": "report on it", "adversarial": "stress world"}
_PROFILE_HELP = "Named profile: " + ", ".join(
    f"{name} ({PROFILE_ROLES[name]})" if name in PROFILE_ROLES else name for name in PROFILES
) + "."


#: Allowed values of the numeric options: (lowest, highest or None, the range in words).
RANGES = {
    "--people": (MIN_PEOPLE, None, f"at least {MIN_PEOPLE}"),
    "--days": (1, MAX_DAYS, f"1 to {MAX_DAYS}"),
    "--seed": (0, MAX_SEED, "0 to 2**128-1"),
}


def _check_range(option: str, value: int | None) -> None:
    """One clear line naming the option when ``value`` (if given) is outside :data:`RANGES`."""
    low, high, allowed = RANGES[option]
    if value is not None and (value < low or (high is not None and value > high)):
        raise ConfigError(f"{option} must be {allowed}, not {value}")


def simulate(
    out: Annotated[Path, typer.Option("--out", help="Folder to write calls, subscribers, truth.")],
    people: Annotated[
        int | None,
        typer.Option(help=f"Ordinary subscribers, {RANGES['--people'][2]} (≈4.5 calls/day each)."),
    ] = None,
    days: Annotated[
        int | None, typer.Option(help=f"Days simulated from the start date, {RANGES['--days'][2]}.")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help=f"Random seed, {RANGES['--seed'][2]}; same seed, same files.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="Calls file format: csv or parquet.")] = "csv",
    profile_name: Annotated[str, typer.Option("--profile", help=_PROFILE_HELP)] = "default",
    config: Annotated[
        Path | None, typer.Option("--config", help="JSON file of SimConfig fields (overrides profile).")
    ] = None,
) -> None:
    """Simulate a call world. ~10M calls: --people 500000 --days 4.

    Writes calls.csv or calls.parquet (a calls file of the other format goes), subscribers.csv, truth.csv.

    A failed run leaves the folder as it was.
    """
    if fmt not in ("csv", "parquet"):
        raise ConfigError(f"--format must be csv or parquet, not {fmt!r}")
    for option, value in (("--people", people), ("--days", days), ("--seed", seed)):
        _check_range(option, value)
    overrides = {k: v for k, v in (("people", people), ("days", days), ("seed", seed)) if v is not None}
    cfg = (load_config(config, profile_name, **overrides) if config
           else profile(profile_name, **overrides))  # fmt: skip
    check_world_folder(out)  # before any work
    check_outputs([out / f"calls.{fmt}", out / "subscribers.csv", out / "truth.csv"], [config])
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
    for path in result["removed"]:
        console.print(f"  removed {path}: the earlier world's calls, in the other format")
    console.print(f"Truth: {result['paths']['truth']} — number, persona, fraud (0/1), ring "
                  "(farm-N / ring-N; empty when in none). Never show it to a detector.")
