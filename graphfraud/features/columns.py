"""The per-number feature columns: name → (unit, meaning). One place, for docs, API and reports."""

from __future__ import annotations

__all__ = ["CRUDE_RULE_COLUMN", "FEATURE_COLUMNS"]

#: The statistic the carriers' crude rule thresholds ("N first-contact callees within 60 minutes").
CRUDE_RULE_COLUMN = "first_contact_fanout_1h"

FEATURE_COLUMNS: dict[str, tuple[str, str]] = {
    "out_calls": ("calls", "outgoing calls"),
    "in_calls": ("calls", "incoming calls"),
    "outgoing_share": ("share 0–1", "out_calls / (out_calls + in_calls); NaN with no calls"),
    "distinct_callees": ("numbers", "distinct numbers called"),
    "first_contact_fanout_1h": (
        "callees",
        "most first-contact callees (first call ever to them) in any 1 h window [t, t+3600 s)",
    ),
    "first_contact_fanout_24h": ("callees", "the same in any 24 h window"),
    "first_contact_share": (
        "share 0–1",
        "outgoing calls that are a first contact (distinct_callees / out_calls)",
    ),
    "repeat_contact_ratio": ("calls per callee", "out_calls / distinct_callees"),
    "stranger_share": (
        "share 0–1",
        "distinct callees who had never called this number before its first call to them",
    ),
    "callback_rate": ("share 0–1", "distinct callees who call this number at any time"),
    "callback_24h_rate": (
        "share 0–1",
        "distinct callees who call back within 24 h after the first call to them",
    ),
    "answer_rate": ("share 0–1", "outgoing calls with duration > 0"),
    "median_answered_duration_s": ("seconds", "median duration of answered outgoing calls"),
    "short_answer_share": ("share 0–1", "answered outgoing calls shorter than 10 s"),
    "off_hours_share": (
        "share 0–1",
        "outgoing calls before 08:00 or from 20:00 local time",
    ),
    "hour_entropy_bits": ("bits", "entropy of the local hour of day of outgoing calls (0–4.58)"),
    "active_hours": ("hours", "distinct local hours of day with an outgoing call (0–24)"),
    "active_days": ("days", "distinct local calendar days with an outgoing call"),
    "distinct_cells": ("cells", "distinct cells the number's outgoing calls used"),
    "callee_prefix_spread": (
        "share 0–1",
        "distinct 7-digit callee prefixes / distinct callees (low = dialling one number block)",
    ),
    "sequential_dial_share": (
        "share 0–1",
        "steps between consecutive outgoing calls to numerically adjacent numbers "
        "(0 < |diff| <= 10), of out_calls - 1 steps",
    ),
    "account_age_days": (
        "days",
        "age of the number at its first outgoing call; NaN when activation unknown",
    ),
    "distinct_imeis": ("devices", "distinct IMEIs the SIM's outgoing calls used"),
    "max_sims_per_imei": ("SIMs", "most SIMs seen in any one of this SIM's handsets"),
    "colocated_high_fanout_sims": (
        "SIMs",
        "most other high-fan-out SIMs seen on one cell on one local day with this SIM",
    ),
    "peer_hour_synchrony": (
        "cosine 0–1",
        "max cosine similarity of hourly call vectors with SIMs sharing a handset or a cell "
        "(groups of at most 50 SIMs); NaN without such peers",
    ),
}
