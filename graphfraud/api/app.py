"""The FastAPI app behind ``graphfraud serve``: scores, evidence, rings, appeals, ingest, the /ui page."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from graphfraud.api.errors import UnexpectedErrors, install_error_handlers
from graphfraud.api.fastpath import CachedAnswers
from graphfraud.api.metrics import MetricsMiddleware
from graphfraud.api.routes import calls, health, numbers, rings
from graphfraud.api.state import open_state, watch_graph_version
from graphfraud.settings import PROJECT_ROOT, Settings, get_settings

__all__ = ["STATIC_DIR", "VENDOR_DIR", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_DIR = PROJECT_ROOT / "node_modules" / "cytoscape" / "dist"  # `npm ci` (make install) puts it there


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; the Neo4j drivers are created once, in the lifespan, and injected into the routes."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = app.state.graphfraud = open_state(settings)
        # What start-up made (modules, the app, ~135k objects) lives as long as the worker: keep it
        # out of the collector's full passes, which otherwise stall every request for 65-90 ms.
        gc.collect()
        gc.freeze()
        watcher = asyncio.create_task(watch_graph_version(state))
        try:
            yield
        finally:
            watcher.cancel()
            await state.close()

    app = FastAPI(
        title="graphfraud",
        version="0.1.0",
        summary="Risk scores, fraud-ring evidence and appeals from the call graph in Neo4j.",
        lifespan=lifespan,
    )
    install_error_handlers(app)
    # The last added runs first: metrics see every request, cached answers included.
    app.add_middleware(CachedAnswers, routes={r.name: r for r in numbers.router.routes})
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(UnexpectedErrors)  # outermost of ours: a bug anywhere below is a JSON 500
    for module in (health, numbers, rings, calls):
        app.include_router(module.router)

    @app.get("/ui", include_in_schema=False)
    async def ui_root() -> RedirectResponse:
        return RedirectResponse("/ui/")

    if VENDOR_DIR.is_dir():
        app.mount("/ui/vendor", StaticFiles(directory=VENDOR_DIR), name="vendor")
    app.mount("/ui/", StaticFiles(directory=STATIC_DIR, html=True), name="ui")
    return app
