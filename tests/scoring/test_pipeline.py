"""score_calls end to end on small worlds: contract, reasons, farm vs courier, loose bars."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa

from graphfraud.scoring import NUMBERS_SCHEMA, RINGS_SCHEMA, TIERS, Policy, score_calls
from graphfraud.scoring.evaluation import evaluate_scores

FLAGGED = {"verify_online", "verify_in_person", "suspend"}


def _by_persona(world, result) -> dict[str, list[dict]]:
    persona = dict(zip(world.truth["number"].to_pylist(), world.truth["persona"].to_pylist(), strict=True))
    rows: dict[str, list[dict]] = {}
    for row in result.numbers.select(["number", "tier", "ring_id", "reasons"]).to_pylist():
        rows.setdefault(persona[row["number"]], []).append(row)
    return rows


def test_contract(small_world, small_scores) -> None:
    n, r = small_scores.numbers, small_scores.rings
    assert n.schema == NUMBERS_SCHEMA and r.schema == RINGS_SCHEMA
    callers = set(small_world.calls["caller"].to_pylist())
    assert set(n["number"].to_pylist()) == callers  # only callers, every caller
    risk = n["risk"].to_numpy()
    assert np.all((risk >= 0) & (risk <= 1))
    assert set(n["tier"].to_pylist()) <= set(TIERS)
    ring_ids = set(r["ring_id"].to_pylist())
    assert {x for x in n["ring_id"].to_pylist() if x} == ring_ids
    for row in r.to_pylist():
        assert row["size"] == len(row["members"]) >= 3
        assert row["tier"] != "suspend" or row["risk"] >= Policy().ring_extreme_risk
    json.loads(n["features"][0].as_py())


def test_span_days_is_first_to_last_call_start(small_world, small_scores) -> None:
    start = small_world.calls["start_time"].cast(pa.int64()).to_numpy()
    assert abs(small_scores.span_days - (start.max() - start.min()) / 86400) < 1e-9
    assert 1.0 < small_scores.span_days <= 2.0  # a two-day world
    assert score_calls(small_world.calls.slice(0, 1), None).span_days == 0.0  # one call: no span


def test_without_details_only_features_and_explanations_are_left_out(small_world, small_scores) -> None:
    lean = score_calls(small_world.calls, small_world.subscribers, policy=Policy(), seed=0,
                       details=False)  # fmt: skip
    for column in ("features", "explanation"):
        assert lean.numbers[column].null_count == lean.numbers.num_rows
    assert small_scores.numbers["explanation"].null_count == 0
    words = ["features", "explanation"]
    assert lean.numbers.drop_columns(words).equals(small_scores.numbers.drop_columns(words))
    assert lean.rings.equals(small_scores.rings)


def test_every_flagged_number_is_explained_in_zh_and_en(small_scores) -> None:
    for row in small_scores.numbers.to_pylist():
        if row["tier"] not in FLAGGED:
            continue
        items = json.loads(row["explanation"])
        assert items and [i["code"] for i in items] == row["reasons"]
        harmful = [i for i in items if not i["mitigating"]]
        assert harmful
        for i in items:
            assert i["en"] and i["zh"] and any("\u4e00" <= ch <= "\u9fff" for ch in i["zh"])
            assert {"feature", "value", "typical"} <= set(i["evidence"])


def test_farm_flagged_courier_left_alone_with_reasons(small_world, small_scores) -> None:
    rows = _by_persona(small_world, small_scores)
    farm = rows["farm_sim"]
    assert all(r["tier"] in FLAGGED for r in farm)
    assert all(r["ring_id"] for r in farm) and len({r["ring_id"] for r in farm}) == 1
    assert all("RING_MEMBER" in r["reasons"] for r in farm)
    for r in rows["courier"]:
        assert r["tier"] in ("normal", "monitor") and not r["ring_id"]
        assert "CALLBACKS_NORMAL" in r["reasons"]  # told why he was left alone


def test_same_seed_same_result(small_world, small_scores) -> None:
    again = score_calls(small_world.calls, small_world.subscribers, policy=Policy(), seed=0)
    assert again.numbers.equals(small_scores.numbers) and again.rings.equals(small_scores.rings)


def test_bars_loosely(small_world, small_scores) -> None:
    scores = small_scores.numbers.select(["number", "tier", "ring_id"]).to_pandas()
    scores["crude_rule"] = small_scores.crude_rule
    ev = evaluate_scores(small_world.truth.to_pandas(), scores)
    g = ev.groups.set_index("group")
    assert g.loc["legit one-to-many", "disrupted"] <= 0.05
    assert g.loc["legit one-to-many", "flagged"] <= 0.10
    assert g.loc["ordinary", "flagged"] <= 0.005
    assert ev.fraud_recall >= 0.8
    assert ev.ring_ari >= 0.6
    assert g.loc["legit one-to-many", "crude"] > g.loc["legit one-to-many", "disrupted"]


def test_hotline_is_not_a_spoofed_id() -> None:
    from graphfraud.scoring import family_scores

    n = 2
    f = {k: np.full(n, v) for k, v in {
        "out_calls": 40.0, "distinct_callees": 40.0, "first_contact_fanout_1h": 8.0,
        "first_contact_fanout_24h": 30.0, "outgoing_share": 0.2, "repeat_contact_ratio": 1.0,
        "callback_rate": 1.0, "answer_rate": 0.8, "short_answer_share": 0.0,
        "off_hours_share": 0.2, "account_age_days": 2000.0, "distinct_imeis": 0.0,
        "distinct_cells": 0.0, "shared_device_sims": 0.0, "consecutive_batch_size": 1.0,
        "colocated_high_fanout_sims": 0.0}.items()}
    f["in_calls"] = np.array([150.0, 0.0])  # a hotline is called; a spoofed id never is
    fs = family_scores(f, Policy(), ring_coordination=np.zeros(n), ring_associate=np.zeros(n, bool))
    assert fs.parts["spoofed"].tolist() == [0.0, 1.0]


def test_empty_input() -> None:
    calls = pa.table({"caller": pa.array([], pa.string()), "callee": pa.array([], pa.string()),
                      "start": pa.array([], pa.int64()), "duration_s": pa.array([], pa.int32()),
                      "cell_id": pa.array([], pa.string()), "imei": pa.array([], pa.string())})
    r = score_calls(calls, None, policy=Policy())
    assert r.numbers.num_rows == 0 and r.rings.num_rows == 0


def test_a_depot_of_couriers_is_not_disrupted_for_sharing_a_cell() -> None:
    """Six couriers leave one depot (one cell) each ringing 30 new customers in an hour, a third of
    whom call back; beside them, a farm of six batch-bought SIMs on one handset. Co-location is
    the couriers' only shared evidence: it is a reason, never grounds to disrupt them."""
    from graphfraud.features.synthetic import calls_table

    t0 = 1_700_000_000
    couriers = [f"1391234{k:04d}" for k in (11, 2345, 4567, 6789, 8123, 9456)]  # not consecutive
    farm = [f"1700000{k:04d}" for k in range(10, 16)]
    rows = []
    for k, c in enumerate(couriers):
        for j in range(30):
            customer = f"1590{k:03d}{j:04d}"
            rows.append((c, customer, t0 + 110 * j + k, 40, "DEPOT", f"PHONE-{k}"))
            if j % 3 == 0:
                rows.append((customer, c, t0 + 110 * j + 900, 30, "C2", None))
    for k, sim in enumerate(farm):
        rows += [(sim, f"1880{k:03d}{j:04d}", t0 + 100 * j + k, 8, "RACK", "BOX") for j in range(40)]
    result = score_calls(calls_table(rows), None)
    rows = result.numbers.select(["number", "tier", "reasons"]).to_pylist()
    tiers = {r["number"]: r["tier"] for r in rows}
    reasons = {r["number"]: r["reasons"] for r in rows}
    assert all("COLOCATED_FANOUT" in reasons[c] for c in couriers)
    assert {tiers[c] for c in couriers} <= {"normal", "monitor"}
    assert {tiers[s] for s in farm} == {"suspend"}  # its shared handset is coordination


def _tiers_by_persona(w, result, who: str) -> list[tuple[int, bool]]:
    """(tier rank, says RING_UNCONFIRMED) of every scored number of persona ``who``, sorted."""
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist(), strict=True))
    rows = result.numbers.select(["number", "tier", "reasons"]).to_pylist()
    return sorted((TIERS.index(r["tier"]), "RING_UNCONFIRMED" in r["reasons"])
                  for r in rows if persona.get(r["number"]) == who)  # fmt: skip


def _ring_rows(w, result) -> list[dict]:
    """The rings holding ring members or recruiters (not the farms)."""
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist(), strict=True))
    return [r for r in result.rings.to_pylist()
            if {persona[m] for m in r["members"]} & {"ring_member", "recruiter"}]  # fmt: skip


def _ring_tiers(w, result) -> set[str]:
    return {r["tier"] for r in _ring_rows(w, result)}


ONLINE, IN_PERSON = TIERS.index("verify_online"), TIERS.index("verify_in_person")


def test_hand_offs_alone_disrupt_no_desk_old_or_young() -> None:
    """Recruiters in desks of three ring each other and hand candidates on hours later, beside a
    ring that hands on victims the same way and whose victims call back as candidates do. An
    established desk is no ring; a young one (a new agency on new SIMs) joins one, but hand-offs
    alone ask for an online check, no more, of the desk and of that ring's members alike, and say
    why; a member whose own calls to outsiders look like fraud is disrupted."""
    from graphfraud.sim import load_config, profile, simulate_world

    old = simulate_world(profile("adversarial", seed=201, people=8000, days=3))
    dated = score_calls(old.calls, old.subscribers)
    assert [t for t, _ in _tiers_by_persona(old, dated, "recruiter")] == [0, 0, 0]
    persona = dict(zip(old.truth["number"].to_pylist(), old.truth["persona"].to_pylist(), strict=True))
    assert not any("recruiter" in {persona[m] for m in r} for r in dated.rings["members"].to_pylist())
    members = _tiers_by_persona(old, dated, "ring_member")
    assert len(members) == 8 and min(t for t, _ in members) == ONLINE
    assert all(told == (t == ONLINE) for t, told in members)  # disrupted: its own calls look bad
    young_cfg = load_config(Path(__file__).parents[2] / "docs/results/session12/young-desks.json",
                            seed=201, people=8000, days=3)  # fmt: skip
    assert young_cfg.work["recruiter"].activated_days_before == (20, 200)
    young = simulate_world(young_cfg)
    got = _tiers_by_persona(young, score_calls(young.calls, young.subscribers), "recruiter")
    assert got == [(ONLINE, True)] * 3  # without the rule: verify_in_person


def test_a_young_collection_desk_is_left_alone_beside_a_ring() -> None:
    """A collection agency on new SIMs: desks of 3-6 collectors who ring each other, follow up
    each other's debtors hours later, and are seldom answered or rung back. Each gets the same
    debtors on the line again and again, which a ring member does not (it reaches a victim once),
    so none is flagged, and each is told its stable circle counted for it; the ring beside them
    is still disrupted."""
    from graphfraud.sim import load_config, simulate_world

    config = Path(__file__).parents[2] / "docs/results/session13/young-call-desks.json"
    w = simulate_world(load_config(config, seed=101, people=8000, days=3))
    result = score_calls(w.calls, w.subscribers)
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist(), strict=True))
    rows = [r for r in result.numbers.to_pylist() if persona.get(r["number"]) == "debt_collector"]
    assert len(rows) >= 3 and {r["tier"] for r in rows} == {"normal"}
    assert all("STABLE_CIRCLE" in r["reasons"] and r["ring_id"] is None for r in rows)
    members = _tiers_by_persona(w, result, "ring_member")
    assert len(members) == 10 and sum(t >= IN_PERSON for t, _ in members) >= 8


def test_a_ring_whose_victims_do_not_call_back_is_disrupted_only_with_dates() -> None:
    """The default world's rings: their victims rarely ring back. With activation dates their
    members are disrupted; without them a desk would look the same, and members, mules and the
    ring itself are asked for an online check, no more, and told why in both languages."""
    from graphfraud.sim import profile, simulate_world

    w = simulate_world(profile("default", seed=3, people=8000, days=3))
    dated, undated = score_calls(w.calls, w.subscribers), score_calls(w.calls, None)
    # All 11: the accomplices' call-backs do not count as call-backs (counted, 3 of 11 were
    # left at verify_online, their ring not confirmed by most of its members' calls)
    assert _tiers_by_persona(w, dated, "ring_member") == [(TIERS.index("suspend"), False)] * 11
    assert _tiers_by_persona(w, undated, "ring_member") == [(ONLINE, True)] * 11
    mules = _tiers_by_persona(w, undated, "mule")
    assert max(t for t, _ in mules) == ONLINE and all(told for t, told in mules if t == ONLINE)
    assert _ring_tiers(w, undated) == {"verify_online"}
    for result, told in ((undated, True), (dated, False)):
        assert {"RING_UNCONFIRMED" in r["reasons"] for r in _ring_rows(w, result)} == {told}
    said = json.loads(next(r for r in undated.numbers.to_pylist()
                           if "RING_UNCONFIRMED" in r["reasons"])["explanation"])  # fmt: skip
    item = next(x for x in said if x["code"] == "RING_UNCONFIRMED")
    assert item["mitigating"] and "online verification" in item["en"] and "线上核验" in item["zh"]
    # With lower thresholds the dated rings reach verify_in_person; only the cap holds back the
    # undated ones.
    low = Policy(tier_thresholds={"monitor": 0.2, "verify_online": 0.3, "verify_in_person": 0.5,
                                  "suspend": 0.92})  # fmt: skip
    assert "verify_in_person" in _ring_tiers(w, score_calls(w.calls, w.subscribers, policy=low))
    assert _ring_tiers(w, score_calls(w.calls, None, policy=low)) == {"verify_online"}


def test_a_ring_on_year_old_sims_is_flagged_when_its_victims_do_not_call_back() -> None:
    """Year-old SIMs do not make a ring a desk: its victims still do not ring back, and it is
    asked for online verification. Not more: an established telemarketing or debt-collection
    desk that hands leads on calls like that too."""
    from graphfraud.sim import load_config, simulate_world

    config = Path(__file__).parents[2] / "docs/results/session12/aged-rings-holdout.json"
    w = simulate_world(load_config(config, seed=101, people=8000, days=3))
    members = _tiers_by_persona(w, score_calls(w.calls, w.subscribers), "ring_member")
    assert sum(m == (ONLINE, True) for m in members) >= 8 and max(t for t, _ in members) == ONLINE
