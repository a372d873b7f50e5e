"""``graphfraud neo4j start|stop|status``: the bundled Neo4j Community server."""

from __future__ import annotations

import typer
from rich.console import Console

from graphfraud.settings import get_settings
from graphfraud.store.server import Neo4jServer

app = typer.Typer(
    help="Start, stop or inspect the bundled Neo4j Community server (127.0.0.1).", no_args_is_help=True
)
console = Console()


@app.command()
def start() -> None:
    """Fetch Neo4j's jars (first time only), write its config and start it; no-op if running."""
    settings = get_settings()
    with console.status("starting Neo4j (the first start fetches ~130 MB of jars with Maven)"):
        st = Neo4jServer(settings).start()
    console.print(f"Neo4j running (pid {st.pid}) at [bold]{st.bolt_uri}[/bold]")
    if st.http_url:
        console.print(
            f"Neo4j Browser: {st.http_url}/browser/  "
            f"(user {settings.neo4j_user}, password in {st.home / 'password'})"
        )


@app.command()
def stop() -> None:
    """Stop the bundled server; leaves no process behind."""
    was_running = Neo4jServer(get_settings()).stop()
    console.print("Neo4j stopped" if was_running else "Neo4j was not running")


@app.command()
def status() -> None:
    """Say whether the bundled server is running; exit code 1 when it is not."""
    st = Neo4jServer(get_settings()).status()
    if st.running:
        console.print(f"running (pid {st.pid}) at {st.bolt_uri}; home {st.home}")
    else:
        console.print(f"not running; home {st.home}")
        raise typer.Exit(1)
