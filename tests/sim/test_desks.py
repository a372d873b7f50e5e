"""Recruiting desks (the adversarial profile): the legitimate twin of a hand-off ring."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from graphfraud.sim import profile, simulate_world
from graphfraud.sim.legit import desks

CFG = profile("adversarial", people=20_000, days=3, seed=7)
SPEC = CFG.work["recruiter"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    world = simulate_world(CFG)
    calls = world.calls.to_pandas()
    calls["start"] = world.calls["start_time"].cast("int64").to_numpy()
    persona = world.truth.to_pandas().set_index("number")["persona"]
    calls["persona"] = persona.loc[calls["caller"]].to_numpy()
    calls["callee_persona"] = persona.loc[calls["callee"]].to_numpy()
    return calls


@pytest.mark.parametrize("n", [1, 2, 7, 40])
def test_desks_cover_everyone_in_desks_of_the_drawn_size(n) -> None:
    desk = desks(np.random.default_rng(n), n, (3, 5))
    sizes = np.bincount(desk)
    assert desk.size == n and (np.diff(desk) >= 0).all() and (sizes > 0).all()
    assert (sizes[:-1] >= 3).all() and (sizes <= 5).all()  # only the last may be smaller
    if n == 40:  # both ends of the range are drawn
        assert {3, 5} <= set(sizes[:-1].tolist())


def test_colleagues_ring_each_other_in_desks(frame) -> None:
    rec = frame[frame["persona"] == "recruiter"]
    among = rec[rec["callee_persona"] == "recruiter"]
    g = nx.Graph(list(zip(among["caller"], among["callee"], strict=True)))
    sizes = sorted(len(c) for c in nx.connected_components(g))
    assert sum(sizes) == rec["caller"].nunique()  # every recruiter has colleagues here
    assert max(sizes) <= SPEC.team_size[1] and len(sizes) >= 2
    per_day = among.groupby([among["caller"], among["start"] // 86_400]).size()
    assert per_day.min() >= SPEC.team_calls_per_day[0]


def test_a_colleague_follows_up_a_share_of_the_calls_hours_later(frame) -> None:
    rec = frame[(frame["persona"] == "recruiter") & (frame["callee_persona"] == "ordinary")]
    first = rec.sort_values("start").groupby("callee").agg(
        callers=("caller", "nunique"), span=("start", lambda s: s.max() - s.min())
    )
    lo, hi = SPEC.handoff_minutes
    followed = first[(first["callers"] >= 2) & (first["span"] >= lo * 60) & (first["span"] <= hi * 60 + 7200)]
    share = len(followed) / len(first)
    # Each call is followed up with probability handoff_share (a follow-up adds no new callee).
    assert SPEC.handoff_share - 0.1 < share < SPEC.handoff_share + 0.05


def test_no_desks_in_the_default_profile() -> None:
    assert profile("default").work["recruiter"].team_size == (1, 1)
    world = simulate_world(profile("default", people=5000, days=2, seed=3))
    persona = world.truth.to_pandas().set_index("number")["persona"]
    calls = world.calls.to_pandas()
    both = (persona.loc[calls["caller"]].to_numpy() == "recruiter") & (
        persona.loc[calls["callee"]].to_numpy() == "recruiter")
    assert not both.any()


def _ages(cfg, persona: str) -> np.ndarray:
    """Days before the start each number of ``persona`` was activated."""
    world = simulate_world(cfg)
    persona_of = dict(zip(world.truth["number"].to_pylist(), world.truth["persona"].to_pylist(), strict=True))
    subs = world.subscribers.to_pylist()
    start = np.datetime64(cfg.start_date, "D")
    return np.array([(start - np.datetime64(r["activated_on"], "D")).astype(int) for r in subs
                     if persona_of.get(r["number"]) == persona])  # fmt: skip


def test_a_young_desk_is_on_numbers_as_young_as_a_rings() -> None:
    base = profile("adversarial", people=2_000, days=2, seed=3)
    young = base.model_copy(update={"work": {**base.work, "recruiter": SPEC.model_copy(
        update={"activated_days_before": (20, 200)})}})  # fmt: skip
    assert ((_ages(base, "recruiter") >= 200) & (_ages(base, "recruiter") <= 2999)).all()
    got = _ages(young, "recruiter")
    assert got.size >= 2 and ((got >= 20) & (got <= 200)).all()
    assert ((_ages(base, "truck_driver") >= 3) & (_ages(base, "truck_driver") <= 14)).all()


def test_an_activation_range_upside_down_is_a_config_error(tmp_path) -> None:
    from graphfraud.errors import ConfigError
    from graphfraud.sim import load_config

    bad = tmp_path / "bad.json"
    bad.write_text('{"work": {"recruiter": {"activated_days_before": [30, 5]}}}')
    with pytest.raises(ConfigError, match="activated_days_before"):
        load_config(bad)
