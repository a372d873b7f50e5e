"""Stored score rows as API answers: reason codes with their text, feature maps, the encoded risk card."""

from __future__ import annotations

import json

from graphfraud.api.models import Reason, RiskOut

__all__ = ["json_object", "reasons_of", "risk_card"]


def reasons_of(codes: list[str] | None, explanation: str | None) -> list[Reason]:
    """Reason codes with their zh/en text and evidence (from the stored explanation JSON)."""
    try:
        entries = json.loads(explanation) if explanation else []
    except ValueError:
        entries = []
    by_code = {e.get("code"): e for e in entries if isinstance(e, dict)}
    out = []
    for code in codes or list(by_code):
        e = by_code.get(code, {})
        evidence = e.get("evidence") if isinstance(e.get("evidence"), dict) else None
        out.append(Reason(code=code, en=e.get("en") or code, zh=e.get("zh") or code, evidence=evidence))
    return out


def json_object(raw: str | None) -> dict:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def risk_card(row: dict) -> bytes:
    """The /risk answer's JSON bytes from a ``cypher/number_risk*.cypher`` row."""
    risk = RiskOut(number=row["number"], risk=row["risk"], tier=row["tier"], model_tier=row["model_tier"],
                   ring_id=row["ring_id"], reasons=reasons_of(row["reasons"], row["explanation"]),
                   features=json_object(row["features"]), computed_at=row["computed_at"])  # fmt: skip
    return risk.model_dump_json().encode()
