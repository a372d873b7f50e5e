"""Request and response bodies (pydantic): what the OpenAPI document at /docs describes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

__all__ = [
    "AppealIn", "AppealOut", "AuditEvent", "AuditOut", "CallRow", "ErrorOut", "EvidenceEdge",
    "EvidenceNode", "EvidenceOut", "IngestOut", "Member", "Reason", "RingOut", "RingSummary",
    "RingsPage", "RiskOut", "Status",
]  # fmt: skip


class ErrorOut(BaseModel):
    error: str = Field(description="machine-readable code: unauthorized, forbidden, not_found, ...")
    detail: str
    errors: list[dict[str, Any]] = Field(default_factory=list, description="per row or field: line, reason")
    accepted: int | None = Field(default=None, description="calls stored from a partly rejected batch")


class Status(BaseModel):
    status: str


class Reason(BaseModel):
    code: str
    en: str
    zh: str
    evidence: dict[str, Any] | None = Field(default=None, description="feature, value, typical")


class RiskOut(BaseModel):
    number: str
    risk: float | None = Field(description="0–1; null when the number was never scored")
    tier: str | None = Field(description="effective tier (after appeals)")
    model_tier: str | None = Field(description="the scorer's tier")
    ring_id: str | None
    reasons: list[Reason]
    features: dict[str, Any]
    computed_at: str | None = Field(description="when the scores were written (ISO 8601, UTC)")


class EvidenceNode(BaseModel):
    id: str
    kind: Literal["phone", "device", "cell"]
    role: Literal["subject", "ring_member", "victim", "contact", "device_peer", "device", "cell"]
    label: str
    tier: str | None = None
    risk: float | None = None
    ring_id: str | None = None
    features: dict[str, Any] = Field(default_factory=dict)


class EvidenceEdge(BaseModel):
    source: str
    target: str
    kind: Literal["called", "used_device", "seen_at"]
    calls: int | None = None
    total_duration_s: int | None = None
    first_at: str | None = None
    last_at: str | None = None


class EvidenceOut(BaseModel):
    subject: str
    hops: int
    limit: int
    ring_id: str | None
    ring_size: int
    nodes: list[EvidenceNode]
    edges: list[EvidenceEdge]
    truncated: bool = Field(description="true when a cap cut the subgraph")


class RingSummary(BaseModel):
    ring_id: str
    risk: float | None
    tier: str | None
    size: int | None
    reasons: list[str]
    computed_at: str | None


class RingsPage(BaseModel):
    total: int
    offset: int
    limit: int
    items: list[RingSummary]


class Member(BaseModel):
    number: str
    risk: float | None
    tier: str | None


class RingOut(BaseModel):
    ring_id: str
    risk: float | None
    tier: str | None
    size: int | None
    reasons: list[Reason]
    features: dict[str, Any]
    members: list[Member]
    computed_at: str | None


def _not_int_or_text(field: str, value: Any, expected: str) -> PydanticCustomError | None:
    """The error for a value JSON gives as neither integer nor text (``true`` is not 1, ``35.0`` not 35)."""
    if isinstance(value, str | int) and not isinstance(value, bool):
        return None
    not_bool = ", not true/false" if isinstance(value, bool) else ""
    return PydanticCustomError(f"{field}_type", "{field} must be {expected}{not_bool}",
                               {"field": field, "expected": expected, "not_bool": not_bool})  # fmt: skip


class CallRow(BaseModel):
    """One call in the call-record contract (validated like a file row; see docs/api.md).

    Types are strict (a wrong type rejects the request); the contract's checks on the values are
    the file reader's, row by row (``graphfraud.cdr.validate_calls``)."""

    caller: str = Field(max_length=64)
    callee: str = Field(max_length=64)
    start_time: str | int = Field(description="ISO 8601 with an offset, or epoch seconds (1970..2099)")
    duration_s: int | str = Field(description="whole seconds (≤ 999,999,999); 0 = not answered")
    cell_id: str | None = Field(default=None, max_length=64)
    imei: str | None = Field(default=None, max_length=64)

    @field_validator("start_time", "duration_s", mode="before")
    @classmethod
    def _int_or_text(cls, value: Any, info: ValidationInfo) -> Any:
        expected = ("ISO 8601 text with an offset or whole epoch seconds" if info.field_name == "start_time"
                    else "whole seconds (an integer or its digits)")  # fmt: skip
        if error := _not_int_or_text(info.field_name, value, expected):
            raise error
        return value


class IngestOut(BaseModel):
    accepted: int
    phones: int
    devices: int
    cells: int


class AppealIn(BaseModel):
    outcome: Literal["cleared", "upheld"] = Field(description="cleared = verified legitimate")
    by: str = Field(min_length=1, max_length=100, description="who decided")
    valid_until: date | None = Field(default=None, description="a clearance lapses after this day")
    note: str = Field(default="", max_length=2000)

    @field_validator("valid_until")
    @classmethod
    def _not_lapsed(cls, value: date | None) -> date | None:
        today = datetime.now(UTC).date()  # the day write-back compares it with
        if value is not None and value < today:
            message = "valid_until {value} is in the past (today is {today}, UTC)"
            raise PydanticCustomError("valid_until_past", message, {"value": str(value), "today": str(today)})
        return value


class AppealOut(BaseModel):
    number: str
    outcome: str
    tier: str
    previous_tier: str
    reasons: list[str]


class AuditEvent(BaseModel):
    at: str
    actor: str | None
    kind: str | None
    detail: dict[str, Any] | None


class AuditOut(BaseModel):
    number: str
    events: list[AuditEvent]
