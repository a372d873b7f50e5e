"""Policy validation, tier ordering and the fan-out property."""

from __future__ import annotations

import json

import numpy as np
import pytest

from graphfraud.errors import ConfigError
from graphfraud.scoring import TIERS, Policy, family_scores, load_policy, tier_rank
from graphfraud.scoring.families import calls_like_fraud
from graphfraud.scoring.policy import DEFAULT_POLICY_PATH
from graphfraud.scoring.scorecard import ambiguous_members, risk_of, tier_caps, tiers_of, unconfirmed_rings

# Population-typical values (medians of ordinary callers in the default world).
TYPICAL = {
    "out_calls": 9.0, "in_calls": 9.0, "outgoing_share": 0.5, "distinct_callees": 6.0,
    "first_contact_fanout_1h": 2.0, "first_contact_fanout_24h": 4.0, "first_contact_share": 0.67,
    "repeat_contact_ratio": 1.5, "callback_rate": 0.6, "answer_rate": 0.86,
    "short_answer_share": 0.0, "off_hours_share": 0.25, "account_age_days": 1800.0,
    "distinct_imeis": 1.0, "distinct_cells": 2.0, "shared_device_sims": 0.0,
    "consecutive_batch_size": 1.0, "colocated_high_fanout_sims": 0.0,
}
VOLUME = ("out_calls", "distinct_callees", "first_contact_fanout_1h", "first_contact_fanout_24h",
          "first_contact_share")


def _tiers(f: dict[str, np.ndarray], policy: Policy) -> np.ndarray:
    n = len(next(iter(f.values())))
    fs = family_scores(f, policy, ring_coordination=np.zeros(n), ring_associate=np.zeros(n, bool))
    return tiers_of(risk_of(fs, policy), tier_caps(fs, policy), policy)


def test_default_policy_file_matches_model() -> None:
    assert load_policy(DEFAULT_POLICY_PATH) == Policy()
    assert load_policy(None) == Policy()


def test_tier_order() -> None:
    assert TIERS == ("normal", "monitor", "verify_online", "verify_in_person", "suspend")
    assert [tier_rank(t) for t in TIERS] == list(range(5))


@pytest.mark.parametrize("family", ["volume", "place"])
@pytest.mark.parametrize("cap", ["verify_in_person", "suspend"])
def test_policy_refuses_disruptive_circumstantial_cap(family, cap, tmp_path) -> None:
    caps = {family: cap}
    data = Policy().model_dump(mode="json")
    data["family_caps"] |= caps
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError):
        load_policy(path)


def test_policy_file_from_before_the_place_family_gets_its_safe_cap(tmp_path) -> None:
    data = Policy().model_dump(mode="json")
    del data["family_caps"]["place"], data["weights"]["place"]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    policy = load_policy(path)
    assert policy.family_caps["place"] == "monitor" and policy.weights.place == Policy().weights.place
    assert policy.version == f"{Policy().version}+place"  # the scores' policy version says it changed


def test_policy_refuses_unordered_thresholds(tmp_path) -> None:
    data = Policy().model_dump(mode="json")
    data["tier_thresholds"]["suspend"] = 0.1
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError):
        load_policy(path)


def test_tiers_monotone_in_risk() -> None:
    policy = Policy()
    risk = np.linspace(0, 1, 1001)
    ranks = tiers_of(risk, np.full(risk.size, 4, np.int8), policy)
    assert np.all(np.diff(ranks) >= 0)
    assert ranks[0] == 0 and ranks[-1] == 4
    capped = tiers_of(risk, np.full(risk.size, 2, np.int8), policy)
    assert capped.max() == 2


def test_more_evidence_never_lowers_risk() -> None:
    policy = Policy()
    rng = np.random.default_rng(3)
    n = 2000
    f = {k: np.full(n, v) for k, v in TYPICAL.items()}
    f["first_contact_fanout_1h"] = rng.integers(0, 60, n).astype(float)
    f["first_contact_fanout_24h"] = f["first_contact_fanout_1h"] * 2
    f["distinct_callees"] = f["first_contact_fanout_24h"]
    f["callback_rate"] = rng.uniform(0, 1, n)
    worse = dict(f)
    worse["callback_rate"] = f["callback_rate"] / 2
    zeros = np.zeros(n)
    a = risk_of(family_scores(f, policy, ring_coordination=zeros, ring_associate=zeros > 0), policy)
    b = risk_of(family_scores(worse, policy, ring_coordination=zeros, ring_associate=zeros > 0), policy)
    assert np.all(b >= a - 1e-12)


def _fanning_out(rng: np.random.Generator, most_1h: int, n: int = 5000) -> dict[str, np.ndarray]:
    """``n`` typical rows but for their fan-out: up to ``most_1h`` new callees an hour."""
    f = {k: np.full(n, v) for k, v in TYPICAL.items()}
    f["first_contact_fanout_1h"] = rng.integers(0, most_1h, n).astype(float)
    f["first_contact_fanout_24h"] = f["first_contact_fanout_1h"] * rng.uniform(1, 5, n)
    f["distinct_callees"] = np.ceil(f["first_contact_fanout_24h"])
    return f


def test_fan_out_alone_never_disrupts() -> None:
    """Thousands of rows where only volume features vary: never above monitor."""
    policy = Policy()
    rng = np.random.default_rng(0)
    f = _fanning_out(rng, 20_000)
    f["out_calls"] = f["distinct_callees"] * rng.uniform(1, 3, f["out_calls"].size)
    f["first_contact_share"] = f["distinct_callees"] / f["out_calls"]
    ranks = _tiers(f, policy)
    assert ranks.max() <= tier_rank("monitor")
    # ... and the caps hold whatever the weights: a policy that weights volume absurdly high.
    heavy = Policy.model_validate(policy.model_dump() | {"weights": {"volume": 1000.0, "bias": 0.0}})
    assert _tiers(f, heavy).max() <= tier_rank("monitor")


def test_co_location_with_fan_out_never_disrupts() -> None:
    """Busy SIMs beside other busy SIMs (a depot of couriers, a traveller crossing a farm's cell):
    however many, with however much fan-out, never above monitor; with reciprocity evidence too,
    never above verify_online."""
    policy = Policy()
    rng = np.random.default_rng(1)
    f = _fanning_out(rng, 2_000)
    n = f["out_calls"].size
    f["colocated_high_fanout_sims"] = rng.integers(0, 500, n).astype(float)
    assert _tiers(f, policy).max() <= tier_rank("monitor")
    heavy = Policy.model_validate(policy.model_dump() | {"weights": {"place": 1000.0, "bias": 0.0}})
    assert _tiers(f, heavy).max() <= tier_rank("monitor")
    # One-way calling nobody returns: the reciprocity family fires, and it caps at verify_online.
    f["callback_rate"] = np.zeros(n)
    f["outgoing_share"] = np.ones(n)
    f["repeat_contact_ratio"] = np.ones(n)
    ranks = _tiers(f, policy)
    assert ranks.max() == tier_rank("verify_online")
    # A shared handset is coordination: then the disruptive tiers are open.
    f["shared_device_sims"] = np.full(n, 8.0)
    assert _tiers(f, policy).max() == tier_rank("suspend")


def test_an_ambiguous_ring_member_is_capped_however_strong_its_coordination() -> None:
    f = {k: np.full(3, v) for k, v in TYPICAL.items()}
    policy = Policy()
    fs = family_scores(f, policy, ring_coordination=np.ones(3), ring_associate=np.zeros(3, bool))
    ambiguous = np.array([False, True, True])
    ranks = tiers_of(risk_of(fs, policy), tier_caps(fs, policy, ambiguous), policy)
    assert ranks.tolist() == [tier_rank("suspend")] + [tier_rank("verify_online")] * 2
    monitor = policy.model_copy(update={"ambiguous_ring_cap": "monitor"})
    assert tiers_of(risk_of(fs, monitor), tier_caps(fs, monitor, ambiguous), monitor)[1] == 1
    with pytest.raises(ValueError):
        Policy(ambiguous_ring_cap="shut_down")


def test_ambiguous_members_are_hand_off_members_not_calling_like_fraud_or_undated() -> None:
    # ring 0: two undated hand-off members and an associate; ring 1: a dated member whose calls
    # look like fraud beside an undated one, and an associate; ring 2: dated members, half
    # calling like fraudsters (the ring is confirmed, its quieter member with it), and an
    # associate; ring 3: dated, one of three calling like a fraudster; 12: in no ring.
    member_of = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, -1])
    associate = np.array([0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0], bool)
    handoff_only = np.array([1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0], bool)
    age = np.array([np.nan, np.nan, np.nan, 40.0, np.nan, np.nan, 40, 40, 40, 40, 40, 40, np.nan])
    like_fraud = np.array([1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0], bool)
    got = ambiguous_members(member_of, associate, handoff_only, age, like_fraud)
    assert got.astype(int).tolist() == [1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0]
    calm = ambiguous_members(member_of, associate, handoff_only, age, np.zeros(13, bool))
    assert calm.tolist() == [True] * 12 + [False]  # a young desk: nobody's calls look like fraud
    farm = ambiguous_members(member_of, associate, np.zeros(13, bool), age, like_fraud)
    assert not farm.any()  # handsets, batches
    old = np.zeros(13, bool)
    old[6] = True  # ring 2's member calling like a fraudster is an established number
    aged = ambiguous_members(member_of, associate, handoff_only, age, like_fraud, old)
    assert aged.astype(int).tolist() == [1, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 0]
    nobody = np.full(4, -1)
    assert not ambiguous_members(nobody, np.zeros(4, bool), np.zeros(4, bool), np.full(4, np.nan),
                                 np.zeros(4, bool)).any()  # fmt: skip


def test_a_ring_is_unconfirmed_only_when_none_of_its_members_is_beyond_doubt() -> None:
    # ring 0: one sure member, two doubtful; ring 1: all doubtful, and an associate who is not;
    # ring 2: only associates left; 9: in no ring.
    member_of = np.array([0, 0, 0, 1, 1, 1, 2, 2, -1, -1])
    associate = np.array([0, 0, 0, 0, 0, 1, 1, 1, 0, 0], bool)
    doubtful = np.array([0, 1, 1, 1, 1, 0, 0, 0, 0, 1], bool)
    assert unconfirmed_rings(member_of, associate, doubtful, 3).tolist() == [False, True, True]


def test_calls_like_fraud_counts_callbacks_from_outside_the_ring() -> None:
    """A member called back by its accomplices (overall rate 0.3) whose victims never ring back
    calls like a fraudster; one whose outsiders ring back as a desk's clients do does not."""
    f = {k: np.full(2, v) for k, v in TYPICAL.items()}
    f["distinct_callees"] = np.full(2, 30.0)
    f["callback_rate"] = np.full(2, 0.3)
    f["outgoing_share"] = np.full(2, 0.85)
    f["repeat_contact_ratio"] = np.full(2, 1.1)
    f["answer_rate"] = np.full(2, 0.6)
    outside = np.array([0.02, 0.3])
    assert calls_like_fraud(f, outside, Policy()).tolist() == [True, False]
    assert not calls_like_fraud(f, f["callback_rate"], Policy()).any()
    few = f | {"distinct_callees": np.full(2, 3.0)}  # too few callees to judge
    assert not calls_like_fraud(few, outside, Policy()).any()
    f["answer_rate"] = np.full(2, 0.8)
    f["outgoing_share"] = np.full(2, 0.6)
    f["repeat_contact_ratio"] = np.full(2, 1.6)
    assert not calls_like_fraud(f, outside, Policy()).any()  # no call-backs alone is not enough


def test_doubt_about_a_ring_leaves_other_evidence_its_own_cap() -> None:
    """An ambiguous member whose own handset carries six SIMs (and who fans out) is capped by that
    coordination, not by the doubt about its ring."""
    f = {k: np.full(2, v) for k, v in TYPICAL.items()}
    f["first_contact_fanout_24h"] = np.full(2, 40.0)
    f["shared_device_sims"] = np.array([0.0, 6.0])
    policy = Policy()
    fs = family_scores(f, policy, ring_coordination=np.ones(2), ring_associate=np.zeros(2, bool))
    caps = tier_caps(fs, policy, np.ones(2, bool))
    assert caps.tolist() == [tier_rank("verify_online"), tier_rank("suspend")]


def test_a_batch_counts_as_coordination_only_for_sims_kept_together() -> None:
    """Twelve consecutive numbers that fan out: a farm's batch when its SIMs are kept together
    (scoring.ringsel.batch_together), a company's when each is on its own phone and goes its own
    way (couriers, riders): only the first is coordination, and without the column neither."""
    f = {k: np.full(2, v) for k, v in TYPICAL.items()}
    f["consecutive_batch_size"][:] = 12
    f["first_contact_fanout_24h"][:] = 20
    none = family_scores(f, Policy(), ring_coordination=np.zeros(2), ring_associate=np.zeros(2, bool))
    assert none.parts["batch"].tolist() == [0.0, 0.0]
    f["batch_together"] = np.array([False, True])
    fs = family_scores(f, Policy(), ring_coordination=np.zeros(2), ring_associate=np.zeros(2, bool))
    assert fs.parts["batch"].tolist() == [0.0, 1.0]
    assert fs.families["coordination"][0] == 0.0 and fs.families["coordination"][1] == 1.0
