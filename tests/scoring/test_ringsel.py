"""Ring selection: medians, callback rates outside the ring, associates, camouflaged rings."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from graphfraud.cdr.schema import CALLS_SCHEMA
from graphfraud.features import compute_number_features
from graphfraud.features.synthetic import random_calls
from graphfraud.graph import build_call_graph
from graphfraud.rings import detect_rings
from graphfraud.scoring import Policy
from graphfraud.scoring.pipeline import build_graph
from graphfraud.scoring.ringsel import (
    _associates,
    called_back_groups,
    co_member_calls,
    desk_groups,
    group_medians,
    outside_callback_rate,
    reached_again_share,
    select_rings,
)
from graphfraud.sim import profile, simulate_world

T0 = 1_704_067_200  # 2024-01-01 00:00 UTC, 08:00 in UTC+8
H = 3600


def _graph(calls: list[tuple[str, str, int]], durations: list[int] | None = None):
    caller, callee, start = zip(*calls, strict=True)
    m = len(calls)
    return build_call_graph(pa.table({
        "caller": list(caller), "callee": list(callee), "start": np.asarray(start, np.int64),
        "duration_s": np.asarray(durations or [60] * m, np.int32),
        "cell_id": pa.nulls(m, pa.string()), "imei": pa.nulls(m, pa.string()),
    }, schema=CALLS_SCHEMA))  # fmt: skip


def _ids(g) -> dict[str, int]:
    return {s: i for i, s in enumerate(g.numbers.to_pylist())}


def _rings(g, *groups: tuple[str, ...]) -> np.ndarray:
    ids, ring_of = _ids(g), np.full(g.n_numbers, -1, np.int64)
    for k, names in enumerate(groups):
        ring_of[[ids[s] for s in names]] = k
    return ring_of


def _outside(g, ring_of: np.ndarray, min_callees: int = 1) -> tuple[np.ndarray, object]:
    f = compute_number_features(g)
    co_a, co_b = co_member_calls(g, ring_of)
    return outside_callback_rate(g.n_numbers, ring_of, f.callback_rate, f.distinct_callees,
                                 co_a, co_b, min_callees), f  # fmt: skip


def test_group_medians_are_numpys() -> None:
    rng = np.random.default_rng(16)
    values = rng.random(3000).round(2)  # ties
    group = rng.integers(0, 60, 3000)
    group[group == 7] = 8  # an empty group
    med = group_medians(values, group, 61, empty=1.0)
    want = [np.median(values[group == g]) if (group == g).any() else 1.0 for g in range(61)]
    assert med.tolist() == want


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("min_callees", [1, 8])
def test_outside_callback_rate_leaves_out_co_members(seed, min_callees) -> None:
    g = build_call_graph(random_calls(3000, 150, seed=seed, days=2))
    rng = np.random.default_rng(seed)
    ring_of = np.where(rng.random(g.n_numbers) < 0.5, rng.integers(0, 4, g.n_numbers), -1)
    got, f = _outside(g, ring_of, min_callees)
    pairs = set(zip(g.caller.tolist(), g.callee.tolist(), strict=True))
    for v in range(g.n_numbers):
        plain = 1.0 if np.isnan(f.callback_rate[v]) else f.callback_rate[v]  # NaN: no callees
        judged = {u for (a, u) in pairs if a == v and ring_of[u] != ring_of[v]}
        if ring_of[v] < 0 or len(judged) < min_callees:
            want = plain
        else:
            want = sum((u, v) in pairs for u in judged) / len(judged)
        assert got[v] == pytest.approx(want, abs=1e-12), v
    # Co-members who call back raised the plain rate of some ring numbers; not this one.
    assert (got[ring_of >= 0] < f.callback_rate[ring_of >= 0] - 1e-9).any()


def test_outside_callback_rate_of_a_number_that_calls_only_co_members_is_one() -> None:
    g = _graph([("a", "b", T0), ("b", "a", T0 + 60), ("a", "c", T0 + 120), ("c", "x", T0 + 180)])
    got, f = _outside(g, _rings(g, ("a", "b")))
    ids = _ids(g)
    assert got[ids["b"]] == 1.0  # its one callee is a co-member
    assert got[ids["a"]] == 0.0 and f.callback_rate[ids["a"]] == 0.5  # c never calls back
    assert got[ids["x"]] == 1.0  # calls nobody


def test_relatives_with_few_outside_callees_keep_their_plain_rate() -> None:
    """Three relatives who call each other back and each rang one shop once: 0/1 outside their
    group is no evidence of cold calling; with fewer than 8 such callees the plain rate stands."""
    calls = []
    for i, (p, q) in enumerate([("a", "b"), ("b", "c"), ("c", "a")]):
        calls += [(p, q, T0 + i * H), (q, p, T0 + i * H + 60)]
    calls += [("a", "shop", T0 + 9 * H), ("b", "shop", T0 + 10 * H), ("c", "shop", T0 + 11 * H)]
    g = _graph(calls)
    ring_of = _rings(g, ("a", "b", "c"))
    loose, f = _outside(g, ring_of, min_callees=1)
    kept, _ = _outside(g, ring_of, min_callees=Policy().min_callees_for_reciprocity)
    for s in "abc":
        i = _ids(g)[s]
        assert f.callback_rate[i] == pytest.approx(2 / 3) and loose[i] == 0.0
        assert kept[i] == pytest.approx(2 / 3)


def test_outside_callback_rate_keys_do_not_overflow_at_carrier_scale() -> None:
    n = 10_000_000
    a, b = n - 3, n - 2  # a also rang n - 1, outside the ring
    ring_of = np.full(n, -1, np.int64)
    ring_of[[a, b]] = 9_999
    dc, cb = np.zeros(n, np.int64), np.full(n, np.nan)
    dc[[a, b]], cb[[a, b]] = [2, 1], [0.5, 1.0]  # a: b called back, c did not
    got = outside_callback_rate(n, ring_of, cb, dc, np.array([a, b]), np.array([b, a]), 1)
    assert got[a] == 0.0 and got[b] == 1.0


def _handed_on(backs=("m1", "m2"), extra=()) -> list[tuple[str, str, int]]:
    """Three members hand x on over a night (18:00, 01:00, 08:00 local time); x calls ``backs``."""
    calls = []
    for k, member in enumerate(("m1", "m2", "m3")):
        t = T0 + H * (10 + 7 * k)
        calls.append((member, "x", t))
        if member in backs:
            calls.append(("x", member, t + 600))
    return calls + list(extra)


@pytest.mark.parametrize("rung_again", [False, True])
def test_an_associate_is_rung_again_a_victim_once_by_each(rung_again) -> None:
    """x calls two of the three back: a victim. Had one of them rung x a second time, x would be
    an accomplice (a mule)."""
    g = _graph(_handed_on(extra=[("m1", "x", T0 + 12 * H)] if rung_again else []))
    ring_of = _rings(g, ("m1", "m2", "m3"))
    out = _associates(g, ring_of, ring_of >= 0, 1, Policy())
    assert out[_ids(g)["x"]] == (0 if rung_again else -1)
    assert (out[ring_of >= 0] == -1).all()
    # Every condition counts: with one member fewer in touch, x is no associate.
    fewer = ring_of.copy()
    fewer[_ids(g)["m3"]] = -1
    assert _associates(g, fewer, fewer >= 0, 1, Policy())[_ids(g)["x"]] == -1


def test_a_retry_after_an_unanswered_call_is_no_second_call() -> None:
    calls = _handed_on(extra=[("m1", "x", T0 + 10 * H - 120)])  # m1 tried two minutes earlier
    g = _graph(calls, [60] * (len(calls) - 1) + [0])  # ... and nobody answered
    ring_of = _rings(g, ("m1", "m2", "m3"))
    assert _associates(g, ring_of, ring_of >= 0, 1, Policy())[_ids(g)["x"]] == -1


@pytest.mark.parametrize("backs, want", [(("m1",), -1), (("m1", "m2"), 0)])
def test_an_associate_is_in_two_way_contact_with_two_members(backs, want) -> None:
    g = _graph(_handed_on(backs, extra=[("m1", "x", T0 + 12 * H)]))
    ring_of = _rings(g, ("m1", "m2", "m3"))
    assert _associates(g, ring_of, ring_of >= 0, 1, Policy())[_ids(g)["x"]] == want


def test_the_second_call_comes_from_a_member_of_the_same_ring() -> None:
    """x was handed along ring 0 and rung twice by a member of ring 1: no associate of either."""
    extra = [("n1", "x", T0 + H), ("n1", "x", T0 + 2 * H), ("n1", "n2", T0), ("n2", "n3", T0)]
    g = _graph(_handed_on(extra=extra))
    ring_of = _rings(g, ("m1", "m2", "m3"), ("n1", "n2", "n3"))
    assert _associates(g, ring_of, ring_of >= 0, 2, Policy())[_ids(g)["x"]] == -1
    stricter = Policy().model_copy(update={"ring_associate_min_calls_from_one": 1})
    assert _associates(g, ring_of, ring_of >= 0, 2, stricter)[_ids(g)["x"]] == 0  # the threshold's


def test_an_associate_of_two_rings_is_nobodys() -> None:
    extra = [("m1", "x", T0 + 12 * H)]
    for k, m in enumerate(("n1", "n2", "n3")):
        extra += [(m, "x", T0 + H * (40 + k)), ("x", m, T0 + H * (40 + k) + 60)]
    extra.append(("n1", "x", T0 + 50 * H))
    g = _graph(_handed_on(extra=extra))
    both = _rings(g, ("m1", "m2", "m3"), ("n1", "n2", "n3"))
    one = np.where(both == 1, -1, both)
    x = _ids(g)["x"]
    assert _associates(g, one, one >= 0, 1, Policy())[x] == 0
    assert _associates(g, both, both >= 0, 2, Policy())[x] == -1


def _persona(w, g) -> np.ndarray:
    truth = w.truth.to_pandas().set_index("number").reindex(g.numbers.to_pylist())
    return truth.persona.fillna("").to_numpy()


def test_camouflaged_rings_survive_selection() -> None:
    """A small adversarial world (rings of 3-5 who ring each other to look social, hand-offs
    spread thin, mules). Judged by their plain callback rates, 3 of 8 members were kept in a
    world of this profile before outside callback rates."""
    w = simulate_world(profile("adversarial", seed=201, people=3000, days=3))
    g = build_graph(w.calls, w.subscribers)
    f = compute_number_features(g)
    sel = select_rings(g, detect_rings(g, seed=0), f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days)  # fmt: skip
    persona = _persona(w, g)
    fraud = np.isin(persona, ["ring_member", "mule", "farm_sim", "spoofed_95", "burner"])
    member = (sel.member_of >= 0) & ~sel.associate
    assert (persona == "ring_member").sum() == 10
    assert (member & (persona == "ring_member")).sum() >= 8
    assert (sel.associate & (persona == "mule")).sum() >= 5
    assert not ((sel.member_of >= 0) & ~fraud).any()
    assert (sel.handoff_only == (member & ~(persona == "farm_sim"))).all()  # farms: handsets


def test_an_established_desk_joins_no_camouflaged_ring() -> None:
    """A desk of three recruiters rings each other and hands candidates on hours later, as a ring
    hands on victims. Their numbers are years old, the ring's months: with activation dates the
    desk is no ring; without them the calls alone cannot tell (the scorer caps such members)."""
    w = simulate_world(profile("adversarial", seed=201, people=8000, days=3))
    g = build_graph(w.calls, w.subscribers)
    f = compute_number_features(g)
    rings = detect_rings(g, seed=0)
    persona = _persona(w, g)
    desk, ring = persona == "recruiter", persona == "ring_member"
    # Two of the three are established (the third, 290 days, alone is no group of three).
    assert desk.sum() == 3 and (f.account_age_days[desk] >= Policy().established_days).sum() == 2
    undated = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy())
    dated = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                         account_age_days=f.account_age_days)  # fmt: skip
    assert (undated.member_of[desk] >= 0).all() and undated.handoff_only[desk].all()
    assert (dated.member_of[desk] < 0).all()
    for sel in (undated, dated):  # the ring stays a ring either way
        assert ((sel.member_of >= 0) & ~sel.associate & ring).sum() >= 6


def _config_world(config: str, seed: int, people: int = 8000, days: int = 3):
    """A world of a simulator config under docs/results (e.g. ``session14/phone-farms.json``),
    scored up to its rings: ``(graph, features, rings, persona)``."""
    from pathlib import Path

    from graphfraud.sim import load_config

    w = simulate_world(load_config(Path(__file__).parents[2] / "docs/results" / config,
                                   seed=seed, people=people, days=days))  # fmt: skip
    g = build_graph(w.calls, w.subscribers)
    return g, compute_number_features(g), detect_rings(g, seed=0), _persona(w, g)


def _features(f) -> dict[str, np.ndarray]:
    return {k: getattr(f, k) for k in f.__dataclass_fields__ if k != "numbers"}


def test_a_ring_on_year_old_sims_whose_victims_do_not_call_back_is_still_a_ring() -> None:
    """A ring that works SIMs over a year old passes for an established desk by age alone; its
    victims rarely ring back, and a desk's clients do, so its members still join (the desk of the
    test above, given the same features, still does not)."""
    from pathlib import Path

    from graphfraud.sim import load_config

    config = Path(__file__).parents[2] / "docs/results/session12/aged-rings-holdout.json"
    w = simulate_world(load_config(config, seed=101, people=8000, days=3))
    g = build_graph(w.calls, w.subscribers)
    f = compute_number_features(g)
    rings = detect_rings(g, seed=0)
    ring = _persona(w, g) == "ring_member"
    assert ring.sum() >= 8 and (f.account_age_days[ring] >= 400).all()
    by_age = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                          account_age_days=f.account_age_days)  # fmt: skip
    by_calls = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                            account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert not ((by_age.member_of >= 0) & ring).any()
    assert ((by_calls.member_of >= 0) & ~by_calls.associate & ring).sum() >= 8  # of 10
    desk_world = simulate_world(profile("adversarial", seed=201, people=8000, days=3))
    g = build_graph(desk_world.calls, desk_world.subscribers)
    f = compute_number_features(g)
    sel = select_rings(g, detect_rings(g, seed=0), f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (sel.member_of[_persona(desk_world, g) == "recruiter"] < 0).all()


def _reached(caller: str, again: int, once: int, redials: int = 0) -> tuple[list, list]:
    """``caller`` gets ``again`` callees on the line twice and ``once`` callees once (after
    ``redials`` unanswered tries); every callee rings a friend of its own (it places calls)."""
    calls, durations = [], []
    for k in range(again + once):
        callee = f"{caller}-{k}"
        for r in range(redials):
            calls.append((caller, callee, T0 + H * k + 60 * r))
            durations.append(0)
        for r in range(2 if k < again else 1):
            calls.append((caller, callee, T0 + H * (k + 24 * r) + 3600))
            durations.append(60)
        calls.append((callee, f"{callee}-friend", T0 + H * k))
        durations.append(60)
    return calls, durations


def test_reached_again_share_counts_callees_answered_twice_among_outsiders_who_call_others() -> None:
    """c gets 4 of 8 debtors on the line twice: 0.5. A co-member, a callee who calls c back and a
    line that only answers (rung ten times, never dials) do not count; unanswered redials do not."""
    calls, durations = _reached("c", 4, 4)
    calls += [("c", "m", T0 + H * k) for k in range(6)] + [("m", "x", T0)]
    calls += [("c", "b", T0), ("c", "b", T0 + H), ("b", "c", T0 + 2 * H)]
    calls += [("c", "sink", T0 + H * k) for k in range(10)]
    durations += [60] * (len(calls) - len(durations))
    g = _graph(calls, durations)
    ids = _ids(g)
    ring_of = _rings(g, ("c", "m"))
    who = np.arange(g.n_numbers) == ids["c"]
    got = reached_again_share(g, who, ring_of, 8)
    assert got[ids["c"]] == 0.5
    assert np.isnan(np.delete(got, ids["c"])).all()  # only those asked about
    assert np.isnan(reached_again_share(g, who, ring_of, 9)[ids["c"]])  # too few callees to judge
    assert reached_again_share(g, who, np.full(g.n_numbers, -1), 8)[ids["c"]] == 5 / 9  # m counts
    calls, durations = _reached("v", 0, 8, redials=3)  # a victim redialled until it picks up
    g = _graph(calls, durations)
    v = _ids(g)["v"]
    assert reached_again_share(g, np.arange(g.n_numbers) == v, _rings(g, ("v",)), 8)[v] == 0.0


def test_a_group_is_a_desk_by_its_median_member() -> None:
    """Two groups of three, each member with 8 callees: c1 and c2 get all theirs on the line
    twice and c3 none (a desk, its odd collector aside); r1 all twice, r2 and r3 none (a ring,
    its odd member aside). One number on the wrong side of the line decides neither group."""
    calls, durations = [], []
    for who, again in (("c1", 8), ("c2", 8), ("c3", 0), ("r1", 8), ("r2", 0), ("r3", 0)):
        c, d = _reached(who, again, 8 - again)
        calls += c
        durations += d
    g = _graph(calls, durations)
    ids = _ids(g)
    comp = np.full(g.n_numbers, -1, np.int64)
    for k, names in enumerate((("c1", "c2", "c3"), ("r1", "r2", "r3"))):
        comp[[ids[x] for x in names]] = k
    rest = comp >= 0
    none = np.full(g.n_numbers, -1, np.int64)
    got = desk_groups(g, rest, comp, none, Policy())
    assert [bool(got[ids[x]]) for x in ("c1", "c2", "c3", "r1", "r2", "r3")] == [True] * 3 + [False] * 3
    assert not got[~rest].any()
    never = Policy().model_copy(update={"desk_min_reached_again_share": 1.01})
    assert not desk_groups(g, rest, comp, none, never).any()


def test_a_young_collection_desk_joins_no_camouflaged_ring() -> None:
    """Collectors on new SIMs in desks of 3-6 ring each other and follow up each other's debtors
    hours later, and their debtors seldom ring back: by age and call-backs a ring. But most of a
    desk's collectors get the same debtors on the line again and again, where a ring member
    reaches a victim once, so no collector is a ring member; the ring members are."""
    g, f, rings, persona = _config_world("session13/young-call-desks.json", seed=101)
    desk, ring = persona == "debt_collector", persona == "ring_member"
    assert desk.sum() >= 3 and (f.account_age_days[desk] <= 200).all()
    sel = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    never = Policy().model_copy(update={"desk_min_reached_again_share": np.inf})
    without = select_rings(g, rings, f.callback_rate, f.distinct_callees, never,
                           account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (without.member_of[desk] >= 0).sum() >= 3  # what the rule keeps out
    assert (sel.member_of[desk] < 0).all()
    for s in (sel, without):
        assert ((s.member_of >= 0) & ~s.associate & ring).sum() >= 8


def test_a_ring_cannot_pass_for_a_desk_by_ringing_its_own() -> None:
    """A ring whose members ring each other and their mules 25-35 times a day (the calls count
    toward calls per callee, not toward this rule) is still a ring, members and mules alike."""
    from pathlib import Path

    from graphfraud.sim import load_config

    config = Path(__file__).parents[2] / "docs/results/session13/ring-rings-its-own.json"
    w = simulate_world(load_config(config, seed=101, people=8000, days=7))
    g = build_graph(w.calls, w.subscribers)
    f = compute_number_features(g)
    persona = _persona(w, g)
    ring, mule = persona == "ring_member", persona == "mule"
    assert (f.repeat_contact_ratio[ring] >= Policy().stable_circle_ratio).sum() >= 5  # inflated
    sel = select_rings(g, detect_rings(g, seed=0), f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert ((sel.member_of >= 0) & ~sel.associate & ring).sum() >= 8
    assert (sel.associate & mule).sum() >= 3


def test_a_ring_cannot_pass_for_a_desk_by_ringing_a_silent_line() -> None:
    """Each member of a ring gets a line that only answers (an accomplice's SIM that never
    dials) on the line 30 times: no callee of theirs is reached again any more widely, and the
    ring stays a ring."""
    import pyarrow.compute as pc

    w = simulate_world(profile("holdout", seed=101, people=8000, days=7))
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist(), strict=True))
    members = [x for x, p in persona.items() if p == "ring_member"]
    t0 = int(pc.min(w.calls["start_time"]).cast(pa.int64()).as_py())
    extra = pa.table({
        "caller": [m for m in members for _ in range(30)],
        "callee": ["19999999999"] * (30 * len(members)),
        "start_time": pa.array([t0 + 3600 * k for _ in members for k in range(30)]).cast(
            w.calls.schema.field("start_time").type),
        "duration_s": pa.array([60] * (30 * len(members)), w.calls.schema.field("duration_s").type),
        "cell_id": pa.nulls(30 * len(members), w.calls.schema.field("cell_id").type),
        "imei": pa.nulls(30 * len(members), w.calls.schema.field("imei").type),
    }).select(w.calls.schema.names).cast(w.calls.schema)  # fmt: skip
    calls = pa.concat_tables([w.calls, extra])
    g = build_graph(calls, w.subscribers)
    f = compute_number_features(g)
    ring = _persona(w, g) == "ring_member"
    sel = select_rings(g, detect_rings(g, seed=0), f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert ((sel.member_of >= 0) & ~sel.associate & ring).sum() >= 8



def test_a_group_is_called_back_by_its_median_member() -> None:
    rate = np.array([0.17, 0.29, 0.23, 0.40, 0.20, 0.30, 0.9])
    comp = np.array([0, 0, 0, 1, 1, 1, 2])
    who = np.array([True] * 6 + [False])
    got = called_back_groups(who, comp, rate, 0.25)
    assert got.tolist() == [False] * 3 + [True] * 3 + [False]  # medians 0.23 and 0.30; 2 is not asked
    assert not called_back_groups(np.zeros(7, bool), comp, rate, 0.25).any()


def test_a_ring_in_a_community_of_couriers_and_families_is_still_a_ring() -> None:
    """Louvain leaves a ring of six (call-back rates 0.04-0.09) in one community with couriers,
    telemarketers and ordinary people, whose median callback rate is 0.33. Judged by that median
    the ring was dropped whole, with its mules; judged by its own members it is a ring, and
    nobody else joins it."""
    w = simulate_world(profile("holdout", seed=461, people=20000, days=3))
    g = build_graph(w.calls, w.subscribers)
    f = compute_number_features(g)
    rings = detect_rings(g, seed=0)
    persona = _persona(w, g)
    truth_ring = w.truth.to_pandas().set_index("number").reindex(g.numbers.to_pylist()).ring.to_numpy()
    six = np.flatnonzero((persona == "ring_member") & (truth_ring == "ring-1"))
    ring_of = rings.ring_of.astype(np.int64)
    community = ring_of[six[0]]
    assert six.size == 6 and (ring_of[six] == community).all()
    co_a, co_b = co_member_calls(g, ring_of)
    cb = outside_callback_rate(g.n_numbers, ring_of, f.callback_rate, f.distinct_callees, co_a, co_b,
                               Policy().min_callees_for_reciprocity)  # fmt: skip
    inside = ring_of == community
    assert inside.sum() >= 20 and np.median(cb[inside]) > Policy().ring_max_median_callback
    assert (cb[six] <= Policy().ring_member_max_callback).all()
    sel = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    out = sel.member_of[six]
    assert (out >= 0).all() and (out == out[0]).all() and not sel.associate[six].any()
    fraud = np.isin(persona, ["ring_member", "mule", "farm_sim", "spoofed_95", "burner"])
    assert not ((sel.member_of >= 0) & ~fraud).any()
    assert (sel.associate & (sel.member_of == out[0]) & (persona == "mule")).sum() >= 2
    # A median stricter than any member's limit still drops the ring's groups
    strict = Policy().model_copy(update={"ring_max_median_callback": 0.0})
    none = select_rings(g, rings, f.callback_rate, f.distinct_callees, strict,
                        account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (none.member_of[six] < 0).all()


def test_a_company_batch_of_riders_is_no_farm() -> None:
    """Food riders whose SIMs the company bought in consecutive blocks of five, one phone each:
    a batch and low call-backs, as a farm's SIMs have, but no handset shared among them. They
    made a farm-like group of their own before session 14; the farm, whose SIMs share a few
    handsets, stays one."""
    g, f, rings, persona = _config_world("session14/company-batches.json", seed=590)
    riders, farm = persona == "food_rider", persona == "farm_sim"
    batch = rings.evidence.numbers.consecutive_batch_size
    assert riders.sum() == 3 and (batch[riders] >= 3).all()  # one batch, all three in the data
    assert (f.callback_rate[riders] <= Policy().ring_member_max_callback).all()
    sel = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (sel.member_of[riders] < 0).all()
    assert (sel.member_of[farm] >= 0).all() and np.unique(sel.member_of[farm]).size == 1
    assert not sel.handoff_only[farm].any()


def test_a_farm_of_phones_one_sim_each_is_still_one_farm() -> None:
    """A farm that racks one phone per SIM shares no handset, but its batch dials out from one
    cell on the same days: it stays one farm-like group, unlike a company's batch."""
    g, f, rings, persona = _config_world("session14/phone-farms.json", seed=590)
    farm = persona == "farm_sim"
    assert farm.sum() >= 10 and (rings.evidence.numbers.shared_device_sims[farm] == 0).all()
    sel = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (sel.member_of[farm] >= 0).all() and np.unique(sel.member_of[farm]).size == 1


def test_a_busy_farm_of_phones_stays_one_farm() -> None:
    """Sixty SIMs a day, one phone each, at one cell (a review's case): batch-mates dialling from
    one cell on one day are grouped by the cell-day itself, not by the evidence graph's windowed
    cell links, which pair few of so many SIMs with a batch-mate."""
    g, f, rings, persona = _config_world("session14/phone-farms-60.json", seed=694, people=20000)
    farm = persona == "farm_sim"
    assert farm.sum() >= 40
    sel = select_rings(g, rings, f.callback_rate, f.distinct_callees, Policy(),
                       account_age_days=f.account_age_days, features=_features(f))  # fmt: skip
    assert (sel.member_of[farm] >= 0).mean() >= 0.95
