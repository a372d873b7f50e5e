"""Rings, highest risk first, and one ring with its members (investigators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from graphfraud.api.cards import json_object, reasons_of
from graphfraud.api.deps import DriverDep, InvestigatorKey
from graphfraud.api.models import Member, RingOut, RingsPage, RingSummary
from graphfraud.api.routes.numbers import ERRORS
from graphfraud.errors import NotFound
from graphfraud.store import reads

router = APIRouter(prefix="/v1/rings", tags=["rings"])
MAX_MEMBERS = 1000


@router.get("", response_model=RingsPage, responses=ERRORS)
async def list_rings(
    *,
    _role: InvestigatorKey,
    driver: DriverDep,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> RingsPage:
    """One page of rings, by score."""
    total, rows = await reads.rings_page(driver, offset=offset, limit=limit)
    items = [RingSummary(**{**r, "reasons": r["reasons"] or []}) for r in rows]
    return RingsPage(total=total, offset=offset, limit=limit, items=items)


@router.get("/{ring_id}", response_model=RingOut, responses=ERRORS)
async def get_ring(
    *, _role: InvestigatorKey, driver: DriverDep, ring_id: Annotated[str, Path(max_length=100)]
) -> RingOut:
    """A ring: score, reasons (zh/en) and members."""
    row = await reads.ring_detail(driver, ring_id, limit=MAX_MEMBERS)
    if row is None:
        raise NotFound(f"ring {ring_id} is not stored")
    return RingOut(ring_id=row["ring_id"], risk=row["risk"], tier=row["tier"], size=row["size"],
                   reasons=reasons_of(row["reasons"], row["explanation"]),
                   features=json_object(row["features"]),
                   members=[Member(**m) for m in row["members"]], computed_at=row["computed_at"])  # fmt: skip
