import sys, numpy as np
from graphfraud.sim import load_config, simulate_world
from graphfraud.scoring.pipeline import build_graph
from graphfraud.rings import detect_rings
from graphfraud.scoring.ringsel import batch_together
from graphfraud.scoring.policy import Policy
prof, cfgf, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
cfg = load_config(cfgf, prof, seed=seed, people=20000, days=3)
w = simulate_world(cfg)
g = build_graph(w.calls, w.subscribers)
r = detect_rings(g, seed=0)
pol = Policy()
tog = batch_together(g, r.evidence, pol.ring_min_size)
truth = w.truth.to_pandas()
nums = np.asarray(g.numbers) if hasattr(g, 'numbers') else None
print([a for a in dir(g) if not a.startswith('_')][:60])
print(truth.columns.tolist())
farm = truth[truth.persona == 'farm_sim'].number.tolist()
ids = np.asarray(g.ids_of(farm)) if callable(g.ids_of) else None
ev = r.evidence.numbers
print("farm n", len(ids), "together", tog[ids].mean(), "shared_dev>0", (np.asarray(ev.shared_device_sims)[ids]>0).mean(),
      "batch>1", (np.asarray(ev.consecutive_batch_size)[ids]>1).mean(), "cell_high>0", (np.asarray(ev.shared_cell_high_fanout)[ids]>0).mean())
# daily fanout
day = g.start // 86400
for i in ids[:8]:
    s, e = g.out_ptr[i], g.out_ptr[i+1]
    d = day[s:e]; c = g.callee[s:e]
    print(i, {int(k): len(set(c[d==k])) for k in np.unique(d)}, np.unique(g.cell[s:e]))
