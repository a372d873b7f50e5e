"""The ``graphfraud`` command line. Each subcommand lives in :mod:`graphfraud.commands`.

Any :class:`~graphfraud.errors.GraphFraudError` becomes one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import NoReturn

import typer

from graphfraud.errors import GraphFraudError

app = typer.Typer(
    name="graphfraud",
    help="Tell the legitimate one-to-many caller from the coordinated fraud ring.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Imported here so that `graphfraud --help` stays the only place that knows every command.
    from graphfraud.commands import bench, demo, evaluate, ingest, neo4j, score, serve, simulate

    app.add_typer(neo4j.app, name="neo4j")
    app.command("simulate")(simulate.simulate)
    app.command("ingest")(ingest.ingest)
    app.command("score")(score.score)
    app.command("evaluate")(evaluate.evaluate)
    app.command("serve")(serve.serve)
    app.command("demo")(demo.demo)
    app.command("bench")(bench.bench)


_register()


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    try:
        app(args=argv, standalone_mode=False)
    except GraphFraudError as exc:
        typer.secho(f"graphfraud: error: {exc}", err=True, fg="red")
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:  # click's usage errors arrive here in non-standalone mode
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        if isinstance(exc, click.exceptions.Abort):
            return 130
        raise
    return 0


def run() -> NoReturn:
    """The console script: :func:`main`, then the process ends at once.

    Tearing the interpreter down after ``score`` (module dictionaries, Numba's typing registries:
    hundreds of thousands of objects) takes 0.3-1 s on our machines and frees nothing the
    operating system would not. Everything a command writes is closed before :func:`main`
    returns; the standard streams are flushed and logging shut down here, then ``os._exit``.
    """
    rc = main()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing left to say
            rc = rc or 1
    os._exit(rc)


if __name__ == "__main__":
    run()
