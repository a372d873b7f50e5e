"""``graphfraud serve``: the scoring API and the investigator's page (uvicorn)."""

from __future__ import annotations

import os
import tempfile
from typing import Annotated

import typer

from graphfraud.settings import get_settings


def serve(
    host: Annotated[str | None, typer.Option("--host", help="Bind address (default: api_host).")] = None,
    port: Annotated[int | None, typer.Option("--port", help="Port (default: api_port).")] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="uvicorn worker processes (default: api_workers).")
    ] = None,
) -> None:
    """Serve the API (/v1, OpenAPI at /docs) and the investigator's page (/ui)."""
    import uvicorn

    from graphfraud.api.security import ApiKeys, dev_key

    settings = get_settings()
    # A malformed key list is one clear error here, not a traceback from every worker's start-up.
    ApiKeys.parse(settings.api_keys.get_secret_value() if settings.api_keys else None)
    if settings.env == "development" and settings.api_keys is None:
        # One key for every worker: handed to them through the environment, never written anywhere.
        key = dev_key()
        os.environ["GRAPHFRAUD_API_KEYS"] = f"{key}:admin"
        get_settings.cache_clear()
        typer.echo(f"development API key (admin, this run only): {key}", err=True)
    n_workers = workers or settings.api_workers
    if n_workers > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="graphfraud-metrics-")
    uvicorn.run(
        "graphfraud.api.app:create_app", factory=True, host=host or settings.api_host,
        port=port or settings.api_port, workers=n_workers, access_log=False, log_level="warning",
    )  # fmt: skip
