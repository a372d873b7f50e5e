"""The graduated tiers, in order: a record type shared by scoring (which sets them) and the store
(which applies appeals to them)."""

from __future__ import annotations

__all__ = ["TIERS", "tier_rank"]

# Graduated re-verification, least to most disruptive.
TIERS = ("normal", "monitor", "verify_online", "verify_in_person", "suspend")


def tier_rank(tier: str) -> int:
    """0 (normal) … 4 (suspend).

    >>> tier_rank("verify_online")
    2
    """
    return TIERS.index(tier)
