"""``graphfraud bench``: run the benchmarks (bench/run.py) and print one table."""

from __future__ import annotations

import subprocess
import sys
from typing import Annotated

import typer

from graphfraud.errors import GraphFraudError
from graphfraud.settings import PROJECT_ROOT

__all__ = ["bench"]


def bench(
    quick: Annotated[bool, typer.Option("--quick", help="Small sizes: a run of a minute or two.")] = False,
    only: Annotated[
        str | None, typer.Option("--only", help="Comma-separated: score,kernels,communities.")
    ] = None,
) -> None:
    """Run bench/score.py, bench/kernels.py and bench/communities.py; gather bench/results.json."""
    script = PROJECT_ROOT / "bench" / "run.py"
    if not script.exists():
        raise GraphFraudError(f"{script} not found (bench runs from a source checkout)")
    args = [sys.executable, str(script)] + (["--quick"] if quick else []) + (["--only", only] if only else [])
    rc = subprocess.call(args, cwd=PROJECT_ROOT)
    if rc:
        raise typer.Exit(rc)
