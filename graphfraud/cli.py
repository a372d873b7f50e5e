"""The ``graphfraud`` command line. Each subcommand lives in :mod:`graphfraud.commands`.

Any :class:`~graphfraud.errors.GraphFraudError` becomes one clear line on stderr and exit code 2.
"""

from __future__ import annotations

import importlib
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


#: The subcommands, in the order ``--help`` lists them: each is the function of that name in
#: ``graphfraud.commands.<name>``, except ``neo4j``, a group (that module's ``app``).
COMMANDS = ("neo4j", "simulate", "ingest", "score", "evaluate", "serve", "demo", "bench")
_registered: list[str] = []


@app.callback()
def _root() -> None:
    """Tell the legitimate one-to-many caller from the coordinated fraud ring."""


def _register(args: list[str]) -> None:
    """Register the command that ``args`` name (every command when they name none).

    Importing all of them (the simulator, the API, the bulk importer) would cost every command
    0.15-0.2 s at start-up, ``score`` included.
    """
    wanted = [args[0]] if args and args[0] in COMMANDS else COMMANDS
    for name in wanted:
        if name in _registered:
            continue
        module = importlib.import_module(f"graphfraud.commands.{name}")
        if name == "neo4j":
            app.add_typer(module.app, name="neo4j")
        else:
            app.command(name)(getattr(module, name))
        _registered.append(name)


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    args = sys.argv[1:] if argv is None else list(argv)
    _register(args)
    try:
        # Standalone: the command-line library reports usage errors itself (one line, exit 2),
        # and every ending, success included, arrives here as SystemExit.
        app(args=args, prog_name="graphfraud", standalone_mode=True)
    except GraphFraudError as exc:
        typer.secho(f"graphfraud: error: {exc}", err=True, fg="red")
        return 2
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
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
