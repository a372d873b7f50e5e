"""Why fraud is missed: every unflagged fraud number and its detected community. usage: PROFILE|CONFIG SEEDS(a-b) DAYS [people]"""
import sys, collections
import numpy as np
import graphfraud.scoring.pipeline as pl
import graphfraud.scoring.ringsel as rs
from graphfraud.sim import profile, load_config, simulate_world
cap = {}
orig_sel = pl.select_rings
def spy(graph, rings, cb, dc, policy, account_age_days=None, features=None):
    sel = orig_sel(graph, rings, cb, dc, policy, account_age_days=account_age_days, features=features)
    cap.update(graph=graph, rings=rings, sel=sel, cbrate=cb, dc=dc, f=features, policy=policy)
    return sel
pl.select_rings = spy
prof, seeds, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
people = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
lo, hi = (int(x) for x in seeds.split("-"))
tot = collections.Counter()
for s in range(lo, hi + 1):
    cfg = load_config(prof, seed=s, people=people, days=days) if prof.endswith(".json") else profile(prof, seed=s, people=people, days=days)
    w = simulate_world(cfg)
    r = pl.score_calls(w.calls, w.subscribers)
    g, rings, sel, policy = cap["graph"], cap["rings"], cap["sel"], cap["policy"]
    names = g.numbers.to_pylist(); idx = {x: i for i, x in enumerate(names)}
    tr = w.truth.to_pydict()
    persona = dict(zip(tr["number"], tr["persona"])); truering = dict(zip(tr["number"], tr["ring"]))
    tier = dict(zip(r.numbers["number"].to_pylist(), r.numbers["tier"].to_pylist()))
    ring_of = rings.ring_of.astype(np.int64)
    co_a, co_b = rs.co_member_calls(g, ring_of)
    cbo = rs.outside_callback_rate(g.n_numbers, ring_of, cap["cbrate"], cap["dc"], co_a, co_b, policy.min_callees_for_reciprocity)
    score = rings.table["score"].to_numpy()
    inr = ring_of >= 0
    med = rs.group_medians(cbo[inr], ring_of[inr], rings.n_rings, empty=1.0)
    fraud = [x for x in tr["number"] if persona[x] in ("ring_member", "mule", "farm_sim", "spoofed", "burner") or True]
    for x, p, fr in zip(tr["number"], tr["persona"], tr["fraud"]):
        if not fr: continue
        t = tier.get(x)
        if t is None: continue
        tot[(p, "all")] += 1
        if t in ("verify_online", "verify_in_person", "suspend"): continue
        i = idx[x]; rr = ring_of[i]
        if rr < 0:
            why = "no detected ring"
            extra = ""
        else:
            mem = np.flatnonzero(ring_of == rr)
            mix = collections.Counter(persona.get(names[m], "?") for m in mem)
            q = (score[rr] >= policy.ring_min_score, med[rr] <= policy.ring_max_median_callback)
            why = "ring size %d q=%s" % (mem.size, q)
            extra = "score=%.2f med=%.2f mix=%s" % (score[rr], med[rr], dict(mix))
        tot[(p, why.split(" q")[0] if rr < 0 else ("unqualified" if not all(q) else "qualified"))] += 1
        print(s, p, truering[x], t, "cb=%.2f cbo=%.2f" % (cap["cbrate"][i], cbo[i]), why, extra, "sel=%d" % sel.member_of[i])
for k, v in sorted(tot.items()):
    print(v, *k)
