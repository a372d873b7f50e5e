"""Members of qualified detected rings that hold fraud: why not selected. usage: PROFILE SEEDS DAYS [people]"""
import sys, collections, inspect, textwrap
import numpy as np
import graphfraud.scoring.pipeline as pl
import graphfraud.scoring.ringsel as rs
from graphfraud.sim import profile, load_config, simulate_world
CAP = {}
src = inspect.getsource(rs.select_rings).replace("    confirmed = member_of >= 0\n", "    _CAP.update(locals())\n    confirmed = member_of >= 0\n", 1)
rs.__dict__["_CAP"] = CAP
exec(src, rs.__dict__)
pl.select_rings = rs.select_rings
prof, seeds, days = sys.argv[1], sys.argv[2], int(sys.argv[3])
people = int(sys.argv[4]) if len(sys.argv) > 4 else 20000
lo, hi = (int(x) for x in seeds.split("-"))
for s in range(lo, hi + 1):
    cfg = load_config(prof, seed=s, people=people, days=days) if prof.endswith(".json") else profile(prof, seed=s, people=people, days=days)
    w = simulate_world(cfg)
    r = pl.score_calls(w.calls, w.subscribers)
    L = CAP; g = L["graph"]; names = g.numbers.to_pylist()
    tr = w.truth.to_pydict(); persona = dict(zip(tr["number"], tr["persona"])); tring = dict(zip(tr["number"], tr["ring"]))
    ring_of = L["ring_of"]; f = L["features"]
    # detected rings holding a ring member
    rm = [i for i, x in enumerate(names) if persona.get(x) == "ring_member"]
    for rr in sorted({int(ring_of[i]) for i in rm if ring_of[i] >= 0}):
        mem = np.flatnonzero(ring_of == rr)
        print(f"seed {s} detected ring {rr} size {mem.size} qualified={bool(L['qualified'][rr])} score={L['score'][rr]:.2f} med={L.get('med', [np.nan] * (rr + 1))[rr]:.2f}")
        for i in mem:
            p = persona.get(names[i], "?")
            if p in ("farm_sim",): continue
            print(f"   {p:12s} {tring.get(names[i],''):7s} cbo={L['cb'][i]:.2f} dc={int(L['distinct_callees'][i])} hand={L['handoffs'][i]:.0f} cand={L['cand'][i]} infarm={L['in_farm'][i]} rest={L['rest'][i]} sel={L['member_of'][i]} age={f['account_age_days'][i]:.0f} like={L['like'][i]}")
