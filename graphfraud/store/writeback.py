"""Write scores back into Neo4j, respecting appeals, and keep the audit trail.

``write_scores`` stores the scorer's two tables (see docs/graph-model.md, "in-memory score
tables"): on each ``(:Phone)`` the scorer's ``model_tier`` and the *effective* ``tier``; the
``(:Ring)`` nodes and their ``MEMBER_OF`` edges (stale ones replaced); and an ``(:AuditEvent)``
for every change of effective tier.

Appeals: a number cleared by an active appeal (outcome ``cleared``, ``valid_until`` not passed)
keeps an effective tier of at most ``monitor`` with reason ``APPEAL_CLEARED`` — unless its risk rose
by :data:`MATERIAL_RISK_RISE` or more, or new reason codes appeared since the appeal; then it is
re-flagged at the model tier with reason ``NEW_EVIDENCE_SINCE_APPEAL``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pyarrow as pa
from neo4j import AsyncDriver, AsyncManagedTransaction, Driver, ManagedTransaction, Session

from graphfraud.errors import NotFound
from graphfraud.store.cypher import query
from graphfraud.store.loader import VERSIONS_GRAPH, VERSIONS_SCORES
from graphfraud.store.reads import neo4j_errors
from graphfraud.tiers import TIERS

__all__ = [
    "APPEAL_CLEARED",
    "APPEAL_UPHELD",
    "MATERIAL_RISK_RISE",
    "NEW_EVIDENCE_SINCE_APPEAL",
    "REASON_TEXT",
    "TIERS",
    "AppealState",
    "WriteStats",
    "effective_tier",
    "record_appeal",
    "write_scores",
]

APPEAL_CLEARED = "APPEAL_CLEARED"
APPEAL_UPHELD = "APPEAL_UPHELD"
NEW_EVIDENCE_SINCE_APPEAL = "NEW_EVIDENCE_SINCE_APPEAL"
APPEAL_CODES = frozenset({APPEAL_CLEARED, APPEAL_UPHELD, NEW_EVIDENCE_SINCE_APPEAL})
MATERIAL_RISK_RISE = 0.15  # risk points (0–1 scale) above the risk at the appeal
REASON_TEXT = {
    APPEAL_CLEARED: (
        "Verified legitimate on appeal; held at monitor at most.",
        "申诉核实为正常用户，最高仅列为观察。",
    ),
    APPEAL_UPHELD: ("Appeal reviewed; the flag stands.", "申诉已复核，维持原判定。"),
    NEW_EVIDENCE_SINCE_APPEAL: (
        "New evidence since the appeal: risk rose or new warning signs appeared.",
        "申诉后出现新证据：风险上升或出现新的可疑特征。",
    ),
}
_BATCH = 5_000


@dataclass(frozen=True)
class AppealState:
    """The latest appeal of a number, as stored on its ``(:Appeal)`` node."""

    outcome: str
    valid_until: date | None
    risk_at_appeal: float | None
    reasons_at_appeal: tuple[str, ...]

    def active(self, today: date) -> bool:
        return self.outcome == "cleared" and (self.valid_until is None or self.valid_until >= today)


@dataclass(frozen=True)
class WriteStats:
    numbers: int
    rings: int
    memberships: int
    tier_changes: int
    held_by_appeal: int
    reflagged: int


def tier_rank(tier: str | None) -> int:
    """Rank of a stored tier; a missing or unknown one counts as normal (0)."""
    return TIERS.index(tier) if tier in TIERS else 0


def effective_tier(
    model_tier: str, risk: float, reasons: list[str], appeal: AppealState | None, today: date
) -> tuple[str, str | None]:
    """The effective tier and the appeal reason code it carries (``None`` when appeals play no part).

    >>> cleared = AppealState("cleared", None, 0.9, ("FANOUT",))
    >>> effective_tier("suspend", 0.92, ["FANOUT"], cleared, date(2026, 1, 1))
    ('monitor', 'APPEAL_CLEARED')
    >>> effective_tier("suspend", 0.92, ["FANOUT", "SHARED_DEVICE"], cleared, date(2026, 1, 1))
    ('suspend', 'NEW_EVIDENCE_SINCE_APPEAL')
    """
    if appeal is None or not appeal.active(today):
        return model_tier, None
    capped = TIERS[min(tier_rank(model_tier), 1)]
    if tier_rank(model_tier) <= 1:
        return capped, APPEAL_CLEARED
    rose = appeal.risk_at_appeal is None or risk >= appeal.risk_at_appeal + MATERIAL_RISK_RISE
    new_codes = set(reasons) - set(appeal.reasons_at_appeal) - APPEAL_CODES
    if rose or new_codes:
        return model_tier, NEW_EVIDENCE_SINCE_APPEAL
    return capped, APPEAL_CLEARED


def with_reason(code: str, reasons: list[str], explanation: str | None) -> tuple[list[str], str]:
    """Reasons and explanation JSON with ``code`` (one of :data:`REASON_TEXT`) put first."""
    entries = [e for e in json.loads(explanation or "[]") if e.get("code") not in APPEAL_CODES]
    en, zh = REASON_TEXT[code]
    entries.insert(0, {"code": code, "en": en, "zh": zh, "evidence": None})
    codes = [code, *(r for r in reasons if r not in APPEAL_CODES)]
    return codes, json.dumps(entries, ensure_ascii=False)


def _chunks(rows: list, size: int = _BATCH) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]


def _appeal(rec: dict) -> AppealState | None:
    if rec["appeal_outcome"] is None:
        return None
    until = rec["appeal_valid_until"]
    return AppealState(
        rec["appeal_outcome"],
        date.fromisoformat(until) if until else None,
        rec["risk_at_appeal"],
        tuple(rec["reasons_at_appeal"] or ()),
    )


CHANGED_CARDS_KEPT = 256  # appealed numbers named for API workers to drop (cypher/card_changed.cypher)


def _write(session: Session, name: str, **params: object) -> None:
    session.execute_write(lambda tx: tx.run(query(name), params).consume())


def _current_state(tx: ManagedTransaction, numbers: list[str]) -> dict[str, dict]:
    return {r["number"]: r.data() for r in tx.run(query("scores_current_state"), numbers=numbers)}


def write_scores(driver: Driver, numbers: pa.Table, rings: pa.Table) -> WriteStats:
    """Store a scoring run: number scores (with appeals applied), rings, memberships, audit events.

    ``numbers`` and ``rings`` follow docs/graph-model.md; ``rings`` is the complete set of the
    run (rings it lacks are removed). Batched ``UNWIND``; idempotent for the same tables, except
    that ``scored_at`` moves on. Returns counts of what was written.
    """
    now = datetime.now(UTC)
    at, today = now.isoformat(), now.date()
    rows = numbers.select(
        ["number", "risk", "tier", "ring_id", "reasons", "explanation", "features"]
    ).to_pylist()
    ring_rows = rings.to_pylist()
    out, events = [], []
    held = reflagged = 0
    with driver.session() as session:
        for chunk in _chunks(rows):
            state = session.execute_read(_current_state, [r["number"] for r in chunk])
            for r in chunk:
                current = state.get(r["number"], {})
                reasons = list(r["reasons"] or [])
                appeal = _appeal(current) if current else None
                tier, code = effective_tier(r["tier"], r["risk"], reasons, appeal, today)
                explanation = r["explanation"] or "[]"
                if code is not None:
                    reasons, explanation = with_reason(code, reasons, explanation)
                    held += code == APPEAL_CLEARED
                    reflagged += code == NEW_EVIDENCE_SINCE_APPEAL
                out.append({**r, "model_tier": r["tier"], "tier": tier, "reasons": reasons,
                            "explanation": explanation})  # fmt: skip
                before = current.get("tier") or "normal"
                if before != tier:
                    detail = {"from": before, "to": tier, "model_tier": r["tier"], "risk": r["risk"],
                              "reasons": reasons, "because": code}  # fmt: skip
                    events.append({"number": r["number"], "at": at, "actor": "scorer", "kind": "tier_change",
                                   "detail": json.dumps(detail, ensure_ascii=False)})  # fmt: skip
        for chunk in _chunks(out):
            _write(session, "scores_write_numbers", rows=chunk, scored_at=at)
        ring_ids = [r["ring_id"] for r in ring_rows]
        members = [{"number": m, "ring_id": r["ring_id"]} for r in ring_rows for m in r["members"] or []]
        _write(session, "scores_drop_stale_rings", ring_ids=ring_ids)
        _write(session, "scores_clear_memberships", ring_ids=ring_ids, numbers=[r["number"] for r in rows])
        for chunk in _chunks([{k: v for k, v in r.items() if k != "members"} for r in ring_rows]):
            _write(session, "scores_write_rings", rings=chunk, scored_at=at)
        for chunk in _chunks(members):
            _write(session, "scores_write_memberships", rows=chunk)
        for chunk in _chunks(events):
            _write(session, "audit_append", events=chunk)
        _write(session, "graph_version_bump", names=VERSIONS_SCORES)
    return WriteStats(
        numbers=len(out), rings=len(ring_rows), memberships=len(members), tier_changes=len(events),
        held_by_appeal=held, reflagged=reflagged,
    )  # fmt: skip


async def record_appeal(
    driver: AsyncDriver,
    number: str,
    *,
    outcome: str,
    by: str,
    note: str = "",
    valid_until: date | None = None,
) -> dict:
    """Record an appeal outcome (``cleared`` or ``upheld``) and apply it to the effective tier.

    Returns ``{"tier", "previous_tier", "reasons"}``. Appends an ``appeal`` audit event and, when
    the tier moves, a ``tier_change`` one (actor: ``by``). Raises :class:`NotFound` for an unknown number.
    """
    now = datetime.now(UTC)

    async def work(tx: AsyncManagedTransaction) -> dict:
        rec = await (await tx.run(query("appeal_subject"), number=number)).single()
        if rec is None:
            raise NotFound(f"number {number} is not in the graph")
        model_tier = rec["model_tier"] or rec["tier"] or "normal"
        model_reasons = [r for r in rec["reasons"] or [] if r not in APPEAL_CODES]
        appeal = AppealState(outcome, valid_until, rec["risk"], tuple(model_reasons))
        if outcome == "cleared":
            tier, code = effective_tier(model_tier, rec["risk"] or 0.0, model_reasons, appeal, now.date())
            code = code or APPEAL_CLEARED  # an appeal already expired still leaves its mark
        else:
            tier, code = model_tier, APPEAL_UPHELD
        reasons, explanation = with_reason(code, model_reasons, rec["explanation"])
        await tx.run(query("appeal_record"), number=number, outcome=outcome, by=by, note=note,
                     at=now.isoformat(), valid_until=valid_until.isoformat() if valid_until else None,
                     risk_at_appeal=rec["risk"], reasons_at_appeal=model_reasons, tier=tier,
                     reasons=reasons, explanation=explanation)  # fmt: skip
        before = rec["tier"] or "normal"
        detail = {"outcome": outcome, "valid_until": valid_until.isoformat() if valid_until else None,
                  "note": note}  # fmt: skip
        events = [{"number": number, "at": now.isoformat(), "actor": by, "kind": "appeal",
                   "detail": json.dumps(detail, ensure_ascii=False)}]  # fmt: skip
        if before != tier:
            change = {"from": before, "to": tier, "model_tier": model_tier, "because": code}
            events.append({"number": number, "at": now.isoformat(), "actor": by, "kind": "tier_change",
                           "detail": json.dumps(change, ensure_ascii=False)})  # fmt: skip
        await tx.run(query("audit_append"), events=events)
        await tx.run(query("graph_version_bump"), names=VERSIONS_GRAPH)  # evidence shows tiers
        await tx.run(query("card_changed"), number=number, keep=CHANGED_CARDS_KEPT)  # this card alone
        return {"tier": tier, "previous_tier": before, "reasons": reasons}

    async with neo4j_errors(), driver.session() as session:
        return await session.execute_write(work)
