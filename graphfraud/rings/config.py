"""Parameters of ring detection, in one typed object."""

from __future__ import annotations

from dataclasses import dataclass, fields

from graphfraud.errors import ConfigError

__all__ = ["RingConfig"]


@dataclass(frozen=True)
class RingConfig:
    """Every knob of :func:`graphfraud.rings.detect_rings`, with its unit.

    Evidence weights are per unit of evidence (see :mod:`graphfraud.rings.evidence`).
    """

    # --- co-targeting ---
    max_callers_per_callee: int = 50  # callees with more distinct callers are skipped (hotlines)
    tau_s: float = 3 * 3600.0  # time-decay constant of a shared callee, seconds
    handoff_s: float = 3 * 3600.0  # first contacts this close count as a hand-off, seconds
    skip_reciprocated: bool = True  # a callee who calls the caller back is no victim
    # --- shared devices ---
    device_window: int = 32  # each SIM on an IMEI is linked to the next this many SIMs
    # --- shared cells (only on high fan-out days) ---
    cell_min_daily_fanout: int = 10  # distinct callees in one day for the SIM's cells to count
    cell_window: int = 8
    # --- consecutive-number batches ---
    min_first_contacts: int = 5  # distinct callees a caller needs for batch evidence
    batch_max_gap: int = 2  # adjacent numbers differing by at most this are one run
    batch_max_days: int = 7  # ... if activated within this many days of each other (when known)
    # A number whose activation day is unknown is in a batch only if it rang at least this many
    # distinct callees in one day: in a densely allocated range every number has neighbours.
    batch_min_daily_fanout: int = 10
    batch_window: int = 2
    # --- evidence weights ---
    weight_co_target: float = 1.0  # per unit of decayed shared callee (0-1 per victim)
    weight_device: float = 2.0  # per shared IMEI
    weight_cell: float = 0.25  # per shared (cell, day)
    weight_batch: float = 1.0  # per consecutive-number link
    weight_talk: float = 1.0  # per unit of co-targeting (at most 1) between callers who talk
    talk_min_shared_callees: int = 2  # callees two callers must share for their talk to count
    # --- restriction and communities ---
    min_edge_weight: float = 1.0  # weaker evidence edges are dropped before clustering
    min_node_strength: float = 2.0  # numbers with less total evidence are not candidates
    min_ring_size: int = 3
    resolution: float = 1.0
    # Communities joined by at least this many consecutive-number links are one operation: a
    # farm's batch spread over several handsets, which modularity splits handset by handset.
    merge_min_batch_links: int = 3

    def __post_init__(self) -> None:
        for f in fields(self):
            if getattr(self, f.name) < 0:
                raise ConfigError(f"RingConfig.{f.name} must not be negative")
        if self.max_callers_per_callee < 2:
            raise ConfigError("RingConfig.max_callers_per_callee must be at least 2")
        if self.tau_s <= 0:
            raise ConfigError("RingConfig.tau_s must be positive")
        if self.min_ring_size < 2:
            raise ConfigError("RingConfig.min_ring_size must be at least 2")
        for name in ("device_window", "cell_window", "batch_window", "merge_min_batch_links"):
            if getattr(self, name) < 1:
                raise ConfigError(f"RingConfig.{name} must be at least 1")
