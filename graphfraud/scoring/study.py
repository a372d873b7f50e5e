"""Holdout study: score simulated worlds, compare with the crude rule and a GBM baseline.

``python -m graphfraud.scoring.study --profile holdout --seeds 101-105 --people 20000 50000
--days 3 --out docs/detection-results.json`` (``--without-subscribers``: from the calls alone;
``--config FILE``: a simulator config laid over the profile, e.g.
``docs/results/session12/young-desks.json``, recruiters' desks on numbers as young as a ring's).
Tune only on ``--profile default --seeds 1-3``; ``--policy FILE`` scores with another policy.
The GBM baseline (sklearn ``HistGradientBoostingClassifier`` on the same per-number features and
evidence counts) is trained on the default tuning worlds and tested on the given worlds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import pandas as pd

from graphfraud.scoring import Policy, score_calls
from graphfraud.scoring.evaluation import evaluate_scores
from graphfraud.scoring.policy import load_policy
from graphfraud.sim import load_config, profile, simulate_world

_FEATURES = (
    "out_calls", "in_calls", "first_contact_fanout_1h", "first_contact_fanout_24h",
    "callback_rate", "outgoing_share", "repeat_contact_ratio", "answer_rate", "short_answer_share",
    "off_hours_share", "account_age_days", "distinct_imeis", "shared_device_sims",
    "consecutive_batch_size", "colocated_high_fanout_sims",
)


def _frame(prof: str, seed: int, people: int, days: int, policy: Policy,
           subscribers: bool = True, config: str | None = None) -> tuple[pd.DataFrame, dict]:  # fmt: skip
    cfg = (load_config(config, prof, seed=seed, people=people, days=days) if config
           else profile(prof, seed=seed, people=people, days=days))
    world = simulate_world(cfg)
    t0 = time.perf_counter()
    res = score_calls(world.calls, world.subscribers if subscribers else None, policy=policy, seed=0)
    seconds = time.perf_counter() - t0
    s = res.numbers.select(["number", "risk", "tier", "ring_id"]).to_pandas()
    s["crude_rule"] = res.crude_rule
    feats = pd.DataFrame([json.loads(x) for x in res.numbers["features"].to_pylist()],
                         columns=list(_FEATURES)).astype(float)
    ev = evaluate_scores(world.truth.to_pandas(), s)
    d = pd.concat([s, feats], axis=1).merge(world.truth.to_pandas(), on="number")
    info = {"profile": prof, "config": config, "seed": seed, "people": people, "days": days,
            "subscribers": subscribers, "calls": world.calls.num_rows, "score_s": round(seconds, 2),
            **ev.to_dict()}
    return d, info


def _named_profile(config: str) -> str | None:
    """The profile a simulator config file names for itself (``"profile"``), if it can be read
    (a file that cannot is refused by :func:`~graphfraud.sim.load_config`, with the reason)."""
    try:
        data = json.loads(Path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("profile") if isinstance(data, dict) else None


def main(argv: list[str] | None = None) -> None:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import roc_auc_score

    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", default="holdout")
    ap.add_argument("--seeds", default="101-105")
    ap.add_argument("--people", type=int, nargs="+", default=[20000])
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--train-people", type=int, default=20000)
    ap.add_argument("--out", default=None)
    ap.add_argument("--policy", default=None, help="policy JSON file (default: the built-in policy)")
    ap.add_argument("--config", default=None,
                    help="simulator config JSON laid over --profile (a stress variant)")
    ap.add_argument("--without-subscribers", action="store_true",
                    help="score from the calls alone (no activation dates), training worlds too")
    a = ap.parse_args(argv)
    named = _named_profile(a.config) if a.config else None
    if named not in (None, a.profile):
        ap.error(f"{a.config} lays itself over profile {named!r}, not --profile {a.profile!r}")
    lo, _, hi = a.seeds.partition("-")
    seeds = range(int(lo), int(hi or lo) + 1)
    policy = load_policy(a.policy) if a.policy else Policy()
    subs = not a.without_subscribers
    train = pd.concat([_frame("default", s, a.train_people, a.days, policy, subs)[0] for s in (1, 2, 3)])
    used = [c for c in _FEATURES if train[c].notna().any()]  # no ages without subscribers
    gbm = HistGradientBoostingClassifier(random_state=0).fit(train[used], train["fraud"])
    results = []
    for people in a.people:
        for seed in seeds:
            d, info = _frame(a.profile, seed, people, a.days, policy, subs, a.config)
            info["auc_scorecard"] = float(roc_auc_score(d["fraud"], d["risk"]))
            info["auc_gbm"] = float(roc_auc_score(d["fraud"], gbm.predict_proba(d[used])[:, 1]))
            g = pd.DataFrame(info["groups"]).set_index("group")
            print(f"{a.profile} seed {seed} people {people} days {a.days}: {info['calls']:,} calls, "
                  f"{info['score_s']} s; ARI {info['ring_ari']:.3f}, recall {info['fraud_recall']:.3f}, "
                  f"AUC {info['auc_scorecard']:.4f} vs GBM {info['auc_gbm']:.4f}")
            print(g.round(4).to_string())
            results.append(info)
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(results, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
