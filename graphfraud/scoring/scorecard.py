"""Risk (a documented logistic scorecard of family scores) and tiers (thresholds, then caps)."""

from __future__ import annotations

import numpy as np

from graphfraud.scoring.families import FAMILIES, MITIGATIONS, FamilyScores
from graphfraud.scoring.policy import TIERS, Policy, tier_rank

__all__ = ["ambiguous_members", "risk_of", "tier_caps", "tiers_of", "unconfirmed_rings"]


def risk_of(fs: FamilyScores, policy: Policy) -> np.ndarray:
    """``sigmoid(bias + Σ w_f·family_f − Σ w_m·[mitigation_m])``, in [0, 1].

    Mitigations lower the circumstantial part (volume, place, reciprocity) only: they never offset
    coordination or identity evidence (a farm SIM that happens to be called back is still a farm SIM).
    """
    w = policy.weights
    soft = (w.volume * fs.families["volume"] + w.place * fs.families["place"]
            + w.reciprocity * fs.families["reciprocity"])
    relief = sum(getattr(w, m) * fs.mitigations[m] for m in MITIGATIONS)
    soft = np.maximum(soft - relief, 0.0)
    hard = w.coordination * fs.families["coordination"] + w.identity * fs.families["identity"]
    z = w.bias + soft + hard
    return 1.0 / (1.0 + np.exp(-z))


def tier_caps(fs: FamilyScores, policy: Policy, ambiguous: np.ndarray | None = None) -> np.ndarray:
    """Highest tier rank each number may reach: the most permissive cap among firing families.

    Where ``ambiguous`` (bool[n]) holds, ring membership is doubtful: it may lift the cap to
    ``policy.ambiguous_ring_cap`` at most, while every other family (a shared handset or batch
    outside the ring included) keeps its own cap.
    """
    fired = fs.fired(policy)
    cap = _caps(fired, policy)
    if ambiguous is not None and ambiguous.any():
        other = np.maximum(fs.parts["device_farm"], fs.parts["batch"]) >= policy.family_fires_at
        without_ring = _caps(fired | {"coordination": other}, policy)
        doubtful = np.maximum(np.minimum(cap, tier_rank(policy.ambiguous_ring_cap)), without_ring)
        cap = np.where(ambiguous, doubtful, cap)
    return cap


def _caps(fired: dict[str, np.ndarray], policy: Policy) -> np.ndarray:
    n = fired["volume"].shape[0]
    cap = np.full(n, tier_rank(policy.base_cap), np.int8)
    for fam in FAMILIES:
        cap = np.where(fired[fam], np.maximum(cap, tier_rank(policy.family_caps[fam])), cap)
    return cap


def ambiguous_members(member_of: np.ndarray, associate: np.ndarray, handoff_only: np.ndarray,
                      account_age_days: np.ndarray, calls_like_fraud: np.ndarray,
                      established: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """bool[n]: ring members on hand-offs and talk alone whose age is unknown (NaN), or whose own
    calls do not look like fraud (``calls_like_fraud``,
    :func:`~graphfraud.scoring.families.calls_like_fraud`) in a ring where fewer than half of
    such members' calls do; members that are ``established`` (bool[n]: an old number, which joins
    a camouflaged group only when its calls look like fraud, and whose calls a telemarketing or
    debt-collection desk's would look like too); and the associates of a ring all of whose
    members are such.

    A desk of colleagues rings each other and hands a client on just as a ring does. With
    activation dates an established number joins such a group only when its calls look like
    fraud (:func:`~graphfraud.scoring.ringsel.select_rings`), and is then asked for an online
    check at most; a young desk (a new agency on new SIMs) joins too, and what tells a
    recruiting desk from a ring is that its candidates call back: a ring most of whose members'
    victims do not is confirmed, its quieter members with it. Without dates hand-offs never
    disrupt.
    """
    age_unknown = np.isnan(np.asarray(account_age_days, np.float64))
    like = np.asarray(calls_like_fraud, bool)
    member = (member_of >= 0) & ~associate
    if not member.any():  # no ring: nobody joined one on hand-offs either
        return np.zeros(handoff_only.shape, bool)
    k = int(member_of.max()) + 1
    ring = np.maximum(member_of, 0)
    soft = member & handoff_only
    n_like = np.bincount(member_of[soft & like], minlength=k)
    ring_like = 2 * n_like >= np.maximum(np.bincount(member_of[soft], minlength=k), 1)
    out = handoff_only & (age_unknown | ~(like | ring_like[ring]))
    if established is not None:
        out |= handoff_only & np.asarray(established, bool)
    return out | (associate & unconfirmed_rings(member_of, associate, out, k)[ring])


def unconfirmed_rings(member_of: np.ndarray, associate: np.ndarray, ambiguous: np.ndarray,
                      k: int) -> np.ndarray:  # fmt: skip
    """bool[k]: the output rings none of whose members (associates aside) is beyond doubt."""
    sure = (member_of >= 0) & ~associate & ~np.asarray(ambiguous, bool)
    return np.bincount(member_of[sure], minlength=k)[:k] == 0


def tiers_of(risk: np.ndarray, cap: np.ndarray, policy: Policy) -> np.ndarray:
    """Tier ranks: the highest tier whose threshold ``risk`` reaches, then capped."""
    rank = np.zeros(risk.shape[0], np.int8)
    for i, t in enumerate(TIERS[1:], start=1):
        rank[risk >= policy.tier_thresholds[t]] = i
    return np.minimum(rank, cap)
