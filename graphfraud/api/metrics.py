"""Prometheus metrics: request counts and latency per route template (prometheus-client).

With several uvicorn workers, ``graphfraud serve`` sets ``PROMETHEUS_MULTIPROC_DIR`` so that
/metrics adds up every worker (prometheus-client's multiprocess mode).
"""

from __future__ import annotations

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["PRELOADED_CARDS", "PRELOAD_RUNNING", "MetricsMiddleware", "render_metrics"]

REQUESTS = Counter("graphfraud_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "graphfraud_http_request_duration_seconds", "HTTP request latency (seconds)", ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)  # fmt: skip


# The /risk preload (api/riskwarm.py): whether one is reading now, and the cards each one kept.
PRELOAD_RUNNING = Gauge("graphfraud_risk_preload_running", "Risk card preloads reading now",
                        multiprocess_mode="livesum")  # fmt: skip
PRELOADED_CARDS = Counter("graphfraud_risk_preloaded_cards_total", "Risk cards read ahead of the asking")


class MetricsMiddleware:
    """Pure ASGI middleware (cheaper than BaseHTTPMiddleware on the hot path)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_status(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)
            REQUESTS.labels(scope["method"], route, str(status)).inc()


def render_metrics() -> tuple[bytes, str]:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # prometheus-client's own switch
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
