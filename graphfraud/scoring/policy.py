"""The scoring policy: tiers, family caps, thresholds and weights, as one pydantic model.

Loaded from JSON (``policy/default.json``; ``Settings.policy_file`` or ``--policy FILE`` override).
The structural guarantee lives in :attr:`Policy.family_caps`: a tier is capped by the most
permissive cap among the evidence families that fire, and the caps of the volume and place families
are validated to be at most ``verify_online`` — so fan-out alone, a number's own or that of other
SIMs on its cell, can never reach ``verify_in_person`` or ``suspend``.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from graphfraud.errors import ConfigError
from graphfraud.tiers import TIERS, tier_rank

__all__ = ["CIRCUMSTANTIAL", "FAMILIES", "TIERS", "Policy", "load_policy", "tier_rank"]

FAMILIES = ("volume", "place", "reciprocity", "coordination", "identity")
#: Circumstantial families: fan-out, own or on the same cell. Their caps may not exceed verify_online.
CIRCUMSTANTIAL = ("volume", "place")
DEFAULT_POLICY_PATH = Path(__file__).resolve().parents[2] / "policy" / "default.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Weights(_Strict):
    """Logistic scorecard: ``risk = sigmoid(bias + Σ w_f·family_f − Σ w_m·mitigation_m)``."""

    bias: float = -4.0
    volume: float = 2.0
    place: float = 2.0
    reciprocity: float = 3.0
    coordination: float = 7.0
    identity: float = 4.0
    callbacks_normal: float = 1.5  # mitigating
    stable_circle: float = 1.0  # mitigating
    working_hours: float = 0.5  # mitigating
    established: float = 0.5  # mitigating


class Policy(_Strict):
    """Every knob of the scorer, with its unit. See docs/detection.md."""

    version: str = "default-7"
    # --- tiers: the lowest risk (0–1) of each tier above normal ---
    tier_thresholds: dict[str, float] = Field(
        default_factory=lambda: {
            "monitor": 0.30, "verify_online": 0.50, "verify_in_person": 0.75, "suspend": 0.92
        }
    )
    # --- the cap each firing family allows; the tier is capped by the max over firing families ---
    family_caps: dict[str, str] = Field(
        default_factory=lambda: {
            "volume": "monitor", "place": "monitor", "reciprocity": "verify_online",
            "identity": "verify_in_person", "coordination": "suspend",
        }
    )
    base_cap: str = "monitor"  # cap when no family fires
    family_fires_at: float = 0.5  # a family fires when its score (0–1) reaches this
    weights: Weights = Field(default_factory=Weights)
    # --- volume ramps (callees): score 0 at lo, 1 at hi ---
    fanout_1h: tuple[float, float] = (5.0, 25.0)
    fanout_24h: tuple[float, float] = (15.0, 60.0)
    # --- reciprocity (needs at least this many distinct callees to be judged) ---
    min_callees_for_reciprocity: int = 8
    callback_rate: tuple[float, float] = (0.03, 0.25)  # low is bad
    outgoing_share: tuple[float, float] = (0.80, 0.97)  # high is bad
    repeat_contact_ratio: tuple[float, float] = (1.1, 2.0)  # low is bad
    answer_rate: tuple[float, float] = (0.50, 0.75)  # low is bad
    short_answer_share: tuple[float, float] = (0.20, 0.60)  # high is bad
    # --- place: other high-fan-out SIMs on the SIM's cell the same day (a depot, a farm) ---
    colocated_high_fanout: tuple[float, float] = (1.0, 4.0)
    # --- coordination ---
    min_fanout_24h_for_coordination: int = 10  # device, batch and place count only for fan-out SIMs
    shared_device_sims: tuple[float, float] = (2.0, 5.0)
    consecutive_batch: tuple[float, float] = (4.0, 10.0)
    ring_min_score: float = 0.38  # rings scoring below this are not rings in the output
    ring_max_median_callback: float = 0.25  # an output ring's median member's callback rate
    ring_member_min_handoffs: float = 2.0  # own hand-offs with co-members to count as a member
    ring_member_max_callback: float = 0.25  # a member's own callback rate (0–1) at most this
    ring_edge_min_handoffs: float = 1.0  # hand-offs on one edge to join a camouflaged group
    ring_min_size: int = 3  # confirmed members a ring needs to be a ring in the output
    ring_associate_min_members: int = 2  # members in two-way contact with an associate
    ring_associate_min_contacts: int = 3  # members in any contact with an associate
    ring_associate_min_calls_from_one: int = 2  # answered calls from one member to an associate
    ring_associate_score: float = 0.75  # coordination score of an associate (mule)
    ring_extreme_risk: float = 0.97  # a ring above this risk may be suspended, else ≤ in person
    # Members on hand-offs and talk alone, of unknown age (no subscribers file) or whose own calls
    # do not look like fraud (families.calls_like_fraud): a desk of colleagues looks the same, so
    # at most this tier (and a ring of only such members too).
    ambiguous_ring_cap: str = "verify_online"
    # A camouflaged group whose median member got this share (0-1) of the callees that answered
    # it on the line again is a desk, not a ring: over callees outside its detected ring who
    # never call it back and who call someone (scoring.ringsel.desk_groups; a collector reaches
    # many debtors again, a ring member reaches a victim once and hands them on)
    desk_min_reached_again_share: float = 0.15
    # --- identity ---
    new_account_days: float = 14.0
    new_account_score: float = 0.7
    spoofed_min_calls: int = 10
    # --- mitigations ---
    callbacks_normal_rate: float = 0.20
    stable_circle_ratio: float = 2.0
    working_hours_max_off_share: float = 0.05
    established_days: float = 365.0
    # --- reasons: the "typical" value is the median over callers with at least this many calls ---
    typical_min_calls: int = 5

    @model_validator(mode="before")
    @classmethod
    def _place_cap(cls, data: object) -> object:
        """A policy written before the place family existed gets its safe default cap, and its
        version says so (co-location weighed as coordination before: the behaviour changed)."""
        caps = data.get("family_caps") if isinstance(data, dict) else None
        if isinstance(caps, dict) and "place" not in caps:
            version = f"{data.get('version', 'default-1')}+place"
            place = cls.model_fields["family_caps"].default_factory()["place"]  # the default's cap
            return {**data, "family_caps": {**caps, "place": place}, "version": version}
        return data

    @model_validator(mode="after")
    def _check(self) -> Policy:
        if set(self.tier_thresholds) != set(TIERS[1:]):
            raise ValueError(f"tier_thresholds needs exactly {TIERS[1:]}")
        values = [self.tier_thresholds[t] for t in TIERS[1:]]
        if values != sorted(values) or not all(0 < v <= 1 for v in values):
            raise ValueError("tier_thresholds must rise with the tier and lie in (0, 1]")
        if set(self.family_caps) != set(FAMILIES):
            raise ValueError(f"family_caps needs exactly {FAMILIES}")
        for cap in (*self.family_caps.values(), self.base_cap, self.ambiguous_ring_cap):
            if cap not in TIERS:
                raise ValueError(f"unknown tier {cap!r}")
        # The guarantee: fan-out alone, own (volume) or on the same cell (place), never disrupts.
        for fam in CIRCUMSTANTIAL:
            if tier_rank(self.family_caps[fam]) > tier_rank("verify_online"):
                raise ValueError(f"family_caps.{fam} may not exceed verify_online")
        if tier_rank(self.base_cap) > tier_rank("monitor"):
            raise ValueError("base_cap may not exceed monitor")
        return self


def load_policy(path: Path | str | None = None) -> Policy:
    """Read a policy JSON file (``None``: ``policy/default.json``, else the built-in defaults)."""
    p = Path(path) if path is not None else DEFAULT_POLICY_PATH
    if path is None and not p.exists():
        return Policy()
    try:
        return Policy.model_validate(json.loads(p.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise ConfigError(f"policy file {p} does not exist") from exc
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ConfigError(f"policy file {p} is invalid: {exc}") from exc
