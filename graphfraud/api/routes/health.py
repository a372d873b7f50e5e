"""Liveness, readiness and metrics (no key needed)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from graphfraud.api.deps import DriverDep
from graphfraud.api.metrics import render_metrics
from graphfraud.api.models import ErrorOut, Status
from graphfraud.store import reads

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Status)
async def healthz() -> Status:
    """The process is up."""
    return Status(status="ok")


@router.get("/readyz", response_model=Status, responses={503: {"model": ErrorOut}})
async def readyz(*, driver: DriverDep) -> Status:
    """Neo4j answers."""
    await reads.ping(driver)
    return Status(status="ready")


@router.get("/metrics", response_class=Response)
async def metrics() -> Response:
    """Prometheus text format: request counts and latency per route."""
    body, content_type = render_metrics()
    return Response(body, media_type=content_type)
