"""Evidence families: per-number scores in [0, 1] from features, one vectorised pass.

=============  ===========================================================================
family         signals (each a linear ramp between the policy's ``(lo, hi)``)
=============  ===========================================================================
volume         windowed first-contact fan-out (1 h, 24 h)
place          other high-fan-out SIMs on the SIM's cell the same day (a farm's rack, or a depot of
               couriers: circumstantial, so capped like volume), only for SIMs that fan out
reciprocity    low callback rate, outgoing share near 1, low repeat-contact ratio, low answer
               rate, many very short answered calls (judged only with enough callees)
coordination   confirmed ring member (ring score), ring associate (mule), shared handset with
               many SIMs, consecutive-number batch — the last two only for SIMs that fan out
identity       spoofed caller id (no device and no cell, never called), brand-new account
               together with fan-out or one-way calling
=============  ===========================================================================

Mitigations (booleans): callbacks normal, stable circle (repeat contacts), calls in working
hours, an established number.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graphfraud.scoring.policy import FAMILIES, Policy

__all__ = ["MITIGATIONS", "FamilyScores", "calls_like_fraud", "established", "family_scores", "ramp"]

MITIGATIONS = ("callbacks_normal", "stable_circle", "working_hours", "established")
_RECIPROCITY_PARTS = {  # weights of the reciprocity signals, summing to 1
    "callback": 0.40, "outgoing": 0.20, "repeat": 0.15, "answer": 0.15, "short": 0.10,
}


def ramp(x: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """0 at or below ``lo``, 1 at or above ``hi``, linear between; NaN → 0."""
    out = np.clip((np.asarray(x, dtype=np.float64) - lo) / max(hi - lo, 1e-12), 0.0, 1.0)
    return np.nan_to_num(out, nan=0.0)


def established(account_age_days: np.ndarray, policy: Policy) -> np.ndarray:
    """bool[n]: numbers at least ``policy.established_days`` old at their first call (NaN, an
    unknown age, is not established). The ``ESTABLISHED_NUMBER`` mitigation, and the numbers that
    join no camouflaged ring unless their calls look like fraud
    (:func:`graphfraud.scoring.ringsel.select_rings`)."""
    return np.nan_to_num(np.asarray(account_age_days, np.float64), nan=0.0) >= policy.established_days


@dataclass(frozen=True)
class FamilyScores:
    """Per-number family scores, their components (for reasons) and mitigation flags."""

    families: dict[str, np.ndarray]  # family -> float64[n] in [0, 1]
    parts: dict[str, np.ndarray]  # signal -> float64[n] in [0, 1]
    mitigations: dict[str, np.ndarray]  # mitigation -> bool[n]

    def fired(self, policy: Policy) -> dict[str, np.ndarray]:
        return {f: self.families[f] >= policy.family_fires_at for f in FAMILIES}


def _reciprocity(f: dict[str, np.ndarray], callback_rate: np.ndarray, judged: np.ndarray,
                 p: Policy, parts: dict[str, np.ndarray]) -> np.ndarray:  # fmt: skip
    """The reciprocity family (its parts go into ``parts``)."""
    parts["callback"] = (1 - ramp(callback_rate, *p.callback_rate)) * judged
    parts["outgoing"] = ramp(f["outgoing_share"], *p.outgoing_share) * judged
    parts["repeat"] = (1 - ramp(f["repeat_contact_ratio"], *p.repeat_contact_ratio)) * judged
    parts["answer"] = (1 - ramp(f["answer_rate"], *p.answer_rate)) * judged
    parts["short"] = ramp(f["short_answer_share"], *p.short_answer_share) * judged
    return sum(w * parts[k] for k, w in _RECIPROCITY_PARTS.items())


def calls_like_fraud(f: dict[str, np.ndarray], outside_callback_rate: np.ndarray,
                     policy: Policy) -> np.ndarray:  # fmt: skip
    """bool[n]: the number's own calls look like fraud: its reciprocity family fires with the
    callback rate counted over callees outside its detected ring
    (:func:`graphfraud.scoring.ringsel.outside_callback_rate`), where accomplices' call-backs
    are no sign of a social life. What a ring member on hand-offs and talk alone needs to be
    disrupted (:func:`graphfraud.scoring.scorecard.ambiguous_members`): a desk of colleagues
    hands clients on too, and its clients call it back."""
    judged = np.nan_to_num(f["distinct_callees"]) >= policy.min_callees_for_reciprocity
    return _reciprocity(f, outside_callback_rate, judged, policy, {}) >= policy.family_fires_at


def family_scores(
    f: dict[str, np.ndarray],
    policy: Policy,
    *,
    ring_coordination: np.ndarray,
    ring_associate: np.ndarray,
) -> FamilyScores:
    """Score each family from the per-number columns ``f`` (features and evidence counts).

    ``ring_coordination`` (0–1) is the qualified ring score of a confirmed member, 0 otherwise;
    ``ring_associate`` marks numbers in reciprocal contact with several members of a ring.
    """
    p = policy
    parts: dict[str, np.ndarray] = {}
    parts["fanout_1h"] = ramp(f["first_contact_fanout_1h"], *p.fanout_1h)
    parts["fanout_24h"] = ramp(f["first_contact_fanout_24h"], *p.fanout_24h)
    volume = np.maximum(parts["fanout_1h"], parts["fanout_24h"])

    judged = np.nan_to_num(f["distinct_callees"]) >= p.min_callees_for_reciprocity
    reciprocity = _reciprocity(f, f["callback_rate"], judged, p, parts)

    fans_out = np.nan_to_num(f["first_contact_fanout_24h"]) >= p.min_fanout_24h_for_coordination
    parts["device_farm"] = ramp(f["shared_device_sims"], *p.shared_device_sims) * fans_out
    # A batch counts for SIMs kept together (``batch_together``, scoring.ringsel.batch_together;
    # absent: none is): a company buys its staff's SIMs in batches, one phone each; a farm boxes
    # its batch.
    together = np.asarray(f.get("batch_together", np.zeros_like(fans_out)), bool)
    parts["batch"] = ramp(f["consecutive_batch_size"], *p.consecutive_batch) * fans_out * together
    parts["ring"] = np.asarray(ring_coordination, dtype=np.float64)
    parts["associate"] = np.where(ring_associate, p.ring_associate_score, 0.0)
    coordination = np.maximum.reduce(
        [parts[k] for k in ("device_farm", "batch", "ring", "associate")]
    )
    # Place is circumstantial: couriers leave a depot together, a traveller crosses a farm's cell.
    parts["colocated"] = ramp(f["colocated_high_fanout_sims"], *p.colocated_high_fanout) * fans_out
    place = parts["colocated"]

    out_calls = np.nan_to_num(f["out_calls"])
    parts["spoofed"] = (
        (np.nan_to_num(f["distinct_imeis"]) == 0)
        & (np.nan_to_num(f["distinct_cells"]) == 0)
        & (np.nan_to_num(f["in_calls"]) == 0)
        & (out_calls >= p.spoofed_min_calls)
    ).astype(np.float64)
    age = np.asarray(f["account_age_days"], dtype=np.float64)
    is_new = np.nan_to_num(age, nan=np.inf) <= p.new_account_days
    other = (volume >= p.family_fires_at) | (reciprocity >= p.family_fires_at)
    parts["new_account"] = np.where(is_new & other, p.new_account_score, 0.0)
    identity = np.maximum(parts["spoofed"], parts["new_account"])

    mitigations = {
        "callbacks_normal": judged
        & (np.nan_to_num(f["callback_rate"]) >= p.callbacks_normal_rate),
        "stable_circle": (np.nan_to_num(f["repeat_contact_ratio"]) >= p.stable_circle_ratio)
        & (out_calls >= p.typical_min_calls),
        "working_hours": (volume > 0)
        & (np.nan_to_num(f["off_hours_share"], nan=1.0) <= p.working_hours_max_off_share),
        "established": established(age, p),
    }
    families = {
        "volume": volume, "place": place, "reciprocity": reciprocity,
        "coordination": coordination, "identity": identity,
    }
    return FamilyScores(families=families, parts=parts, mitigations=mitigations)
