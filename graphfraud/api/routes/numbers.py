"""Per-number endpoints: risk (consumers), evidence, appeals and audit (investigators)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from graphfraud.api.cache import evidence_key
from graphfraud.api.cards import json_object
from graphfraud.api.deps import ConsumerKey, DriverDep, InvestigatorKey, NumberPath, StateDep
from graphfraud.api.evidence import MAX_HOPS, MAX_LIMIT, evidence_subgraph
from graphfraud.api.models import AppealIn, AppealOut, AuditOut, ErrorOut, EvidenceOut, RiskOut
from graphfraud.errors import NotFound
from graphfraud.store import reads
from graphfraud.store.writeback import record_appeal

router = APIRouter(prefix="/v1/numbers", tags=["numbers"])
ERRORS: dict[int | str, dict[str, Any]] = {code: {"model": ErrorOut} for code in (401, 403, 404, 422, 503)}


@router.get("/{number}/risk", response_model=RiskOut, responses=ERRORS)
async def get_risk(*, _role: ConsumerKey, number: NumberPath, state: StateDep) -> Response:
    """How risky is this number, and why (reason codes with zh/en text and feature values)."""
    body = state.risk_cache.get(number)
    if body is None:  # read with the other misses of the moment (graphfraud/api/riskbatch.py)
        body = await state.risk_batcher.card(number)
        if body is None:
            raise NotFound(f"number {number} is not in the graph")
    return Response(body, media_type="application/json")


@router.get("/{number}/evidence", response_model=EvidenceOut, responses=ERRORS)
async def get_evidence(
    *,
    _role: InvestigatorKey,
    number: NumberPath,
    state: StateDep,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS, description="call hops around the ring")] = 1,
    limit: Annotated[
        int | None, Query(ge=1, le=MAX_LIMIT, description="node cap (server max applies)")
    ] = None,
) -> Response:
    """The ring around a number: members, the victims they share, shared devices and cells."""
    cap = min(limit or state.settings.evidence_max_nodes, state.settings.evidence_max_nodes)
    key = evidence_key(number, hops, limit, state.settings.evidence_max_nodes)
    body = state.evidence_cache.get(key)
    if body is None:
        generation = state.evidence_cache.generation  # an appeal during the reads: do not keep it
        subgraph = await evidence_subgraph(state.driver, number, hops=hops, limit=cap)
        body = EvidenceOut.model_validate(subgraph).model_dump_json().encode()
        state.evidence_cache.put(key, body, generation)
    return Response(body, media_type="application/json")


@router.post("/{number}/appeals", response_model=AppealOut, status_code=201, responses=ERRORS)
async def post_appeal(
    *, _role: InvestigatorKey, number: NumberPath, appeal: AppealIn, state: StateDep
) -> AppealOut:
    """Record an appeal outcome; the effective tier reflects it at once (reason APPEAL_CLEARED/UPHELD)."""
    out = await record_appeal(state.driver, number, outcome=appeal.outcome, by=appeal.by, note=appeal.note,
                              valid_until=appeal.valid_until)  # fmt: skip
    state.risk_cache.drop(number)
    state.evidence_cache.observe(None)  # tiers shown in evidence subgraphs changed
    return AppealOut(number=number, outcome=appeal.outcome, **out)


@router.get("/{number}/audit", response_model=AuditOut, responses=ERRORS)
async def get_audit(
    *,
    _role: InvestigatorKey,
    number: NumberPath,
    driver: DriverDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> AuditOut:
    """Every flag, appeal and tier change of the number, oldest first, with time and actor."""
    events = await reads.audit_events(driver, number, limit=limit)
    if events is None:
        raise NotFound(f"number {number} is not in the graph")
    for e in events:
        e["detail"] = json_object(e["detail"])
    return AuditOut(number=number, events=events)
