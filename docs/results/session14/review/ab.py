"""Simulate each world once; score with old (787c560) and new (b4bc423) select_rings on the same
features and Louvain rings; per-persona flagged/disrupted and the legit numbers that moved."""
import argparse, importlib.util, json, sys, time
import numpy as np, pandas as pd
sys.path.insert(0, "/tmp/wt-review")
import graphfraud.scoring.pipeline as pl
from graphfraud.scoring import Policy, score_calls
from graphfraud.scoring.evaluation import evaluate_scores
from graphfraud.scoring.policy import load_policy
from graphfraud.sim import load_config, profile, simulate_world
from graphfraud.sim.population import FRAUD_PERSONAS

spec = importlib.util.spec_from_file_location("ringsel_old", "/tmp/wt-old/graphfraud/scoring/ringsel.py")
old = importlib.util.module_from_spec(spec); sys.modules["ringsel_old"] = old; spec.loader.exec_module(old)
new_sel = pl.select_rings
cache = {}
_f, _r = pl.compute_number_features, pl.detect_rings
def cf(g, **kw):
    k = ("f", id(g))
    if k not in cache: cache[k] = _f(g, **kw)
    return cache[k]
def cr(g, **kw):
    k = ("r", id(g))
    if k not in cache: cache[k] = _r(g, **kw)
    return cache[k]
pl.compute_number_features, pl.detect_rings = cf, cr
_bg = pl.build_graph
def bg(calls, subs=None):
    k = ("g", id(calls))
    if k not in cache: cache[k] = _bg(calls, subs)
    return cache[k]
pl.build_graph = bg

ap = argparse.ArgumentParser()
ap.add_argument("--profile", default="adversarial"); ap.add_argument("--config")
ap.add_argument("--seeds"); ap.add_argument("--people", type=int, default=20000)
ap.add_argument("--days", type=int, default=3); ap.add_argument("--nosub", action="store_true")
ap.add_argument("--out")
a = ap.parse_args()
lo, hi = map(int, a.seeds.split("-"))
pol = load_policy("/tmp/wt-review/policy/default.json")
worlds = []; movers = []
for seed in range(lo, hi + 1):
    cache.clear()
    cfg = (load_config(a.config, a.profile, seed=seed, people=a.people, days=a.days) if a.config
           else profile(a.profile, seed=seed, people=a.people, days=a.days))
    t0 = time.time()
    w = simulate_world(cfg)
    subs = None if a.nosub else w.subscribers
    res = {}
    for tag, fn in (("old", old.select_rings), ("new", new_sel)):
        pl.select_rings = fn
        r = score_calls(w.calls, subs, policy=pol, seed=0)
        s = r.numbers.select(["number", "risk", "tier", "ring_id"]).to_pandas()
        s["crude_rule"] = r.crude_rule
        ev = evaluate_scores(w.truth.to_pandas(), s)
        res[tag] = (s, ev)
    truth = w.truth.to_pandas(); truth["number"] = truth["number"].astype(str)
    so, sn = res["old"][0], res["new"][0]
    m = so.merge(sn, on="number", suffixes=("_old", "_new")).merge(truth, on="number", how="left")
    diff = m[(m.tier_old != m.tier_new) | (m.ring_id_old.fillna("") != m.ring_id_new.fillna(""))]
    for _, row in diff.iterrows():
        movers.append({"seed": seed, "number": row.number, "persona": row.persona, "fraud": int(row.fraud),
                       "tier_old": row.tier_old, "tier_new": row.tier_new,
                       "ring_old": row.ring_id_old, "ring_new": row.ring_id_new})
    rec = {"seed": seed, "people": a.people}
    for tag in ("old", "new"):
        ev = res[tag][1]
        rec[tag] = {"personas": ev.personas.to_dict("records"), "ring_ari": ev.ring_ari, "fraud_recall": ev.fraud_recall}
    worlds.append(rec)
    legit_moves = [x for x in movers if x["seed"] == seed and not x["fraud"]]
    fr_moves = [x for x in movers if x["seed"] == seed and x["fraud"]]
    print(f"seed {seed}: {time.time()-t0:.0f}s recall {rec['old']['fraud_recall']:.3f}->{rec['new']['fraud_recall']:.3f}"
          f" moved legit {len(legit_moves)} fraud {len(fr_moves)}", flush=True)
    for x in legit_moves: print("   LEGIT", x, flush=True)
# summary per persona
rows = []
for rec in worlds:
    for tag in ("old", "new"):
        for p in rec[tag]["personas"]:
            rows.append({"tag": tag, "seed": rec["seed"], **p})
df = pd.DataFrame(rows)
df["nf"] = df["flagged"] * df["count"]; df["nd"] = df["disrupted"] * df["count"]
agg = df.groupby(["persona", "tag"])[["count", "nf", "nd"]].sum().unstack("tag")
out = pd.DataFrame({"count": agg[("count", "new")],
    "flag_old": agg[("nf", "old")].round(0), "flag_new": agg[("nf", "new")].round(0),
    "disr_old": agg[("nd", "old")].round(0), "disr_new": agg[("nd", "new")].round(0)})
out["fraud"] = out.index.isin(FRAUD_PERSONAS)
print(out.sort_values("fraud").to_string())
if a.out:
    json.dump({"args": vars(a), "worlds": worlds, "movers": movers, "summary": out.reset_index().to_dict("records")},
              open(a.out, "w"), indent=1, default=str)
