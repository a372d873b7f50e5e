"""Per camouflaged group: median count of private stable contacts, by persona mix. usage: CFG|PROFILE SEEDS DAYS"""
import sys, collections
import numpy as np
import graphfraud.scoring.ringsel as rs
from graphfraud.kernels.between import calls_between
from graphfraud.sim import profile, load_config, simulate_world
from graphfraud.scoring import score_calls

def private_stable(graph, who, comp, ring_of, min_days=2):
    n = graph.n_numbers
    anyone = np.ones(n, bool)
    o = calls_between(graph.caller, graph.callee, who, anyone)
    i = calls_between(graph.caller, graph.callee, anyone, who)
    mem = np.concatenate([graph.caller[o], graph.callee[i]]).astype(np.int64)
    oth = np.concatenate([graph.callee[o], graph.caller[i]]).astype(np.int64)
    day = np.concatenate([graph.start[o], graph.start[i]]) // 86400
    out = np.concatenate([np.ones(o.size, bool), np.zeros(i.size, bool)])
    keep = ~((ring_of[mem] == ring_of[oth]) & (ring_of[mem] >= 0)) & ~(who[oth] & (comp[oth] == comp[mem]))
    mem, oth, day, out = mem[keep], oth[keep], day[keep], out[keep]
    pair = mem * n + oth
    up, inv = np.unique(pair, return_inverse=True)
    has_out = np.zeros(up.size, bool); has_out[inv[out]] = True
    has_in = np.zeros(up.size, bool); has_in[inv[~out]] = True
    pd = np.unique(inv * 100000 + day)
    ndays = np.bincount(pd // 100000, minlength=up.size)
    pm, po = up // n, up % n
    grp = comp[pm]
    key = np.unique(po * (2 * n + 1) + grp)  # distinct (other, group)... count members per (other, group)
    og = po * (2 * n + 1) + grp
    ug, cnt = np.unique(og, return_counts=True)
    shared = cnt[np.searchsorted(ug, og)] >= 2
    private = has_out & has_in & (ndays >= min_days) & ~shared
    res = np.zeros(n, np.int64)
    np.add.at(res, pm[private], 1)
    return res

cap = {}
orig = rs.desk_groups
def spy(graph, rest, comp, ring_of, policy):
    cap.update(graph=graph, rest=rest.copy(), comp=comp.copy(), ring_of=ring_of)
    return orig(graph, rest, comp, ring_of, policy)
rs.desk_groups = spy
cfgname, seeds, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
lo, hi = (int(x) for x in seeds.split("-"))
rows = collections.defaultdict(list)
for s in range(lo, hi + 1):
    cfg = load_config(cfgname, seed=s, people=20000, days=days) if cfgname.endswith(".json") else profile(cfgname, seed=s, people=20000, days=days)
    w = simulate_world(cfg)
    cap.clear()
    score_calls(w.calls, w.subscribers)
    if not cap: continue
    g, rest, comp, ring_of = cap["graph"], cap["rest"], cap["comp"], cap["ring_of"]
    pm = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist()))
    names = g.numbers.to_pylist()
    priv = private_stable(g, rest, comp, ring_of)
    for c in np.unique(comp[rest]):
        ids = np.flatnonzero(rest & (comp == c))
        if ids.size < 3: continue
        mix = collections.Counter(pm.get(names[i], "?") for i in ids)
        main = mix.most_common(1)[0][0]
        rows[main].append((s, float(np.median(priv[ids])), sorted(priv[ids].tolist()), dict(mix)))
for k, v in rows.items():
    meds = [x[1] for x in v]
    print(k, "groups", len(v), "medians", sorted(meds))
    for x in v[:4]: print("    ", x)
