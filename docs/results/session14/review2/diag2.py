import sys, numpy as np
from graphfraud.sim import load_config, simulate_world
from graphfraud.scoring.pipeline import build_graph
from graphfraud.rings.evidence import build_evidence_graph
from graphfraud.rings.config import RingConfig
from graphfraud.scoring.ringsel import batch_together
prof, cfgf, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
w = simulate_world(load_config(cfgf, prof, seed=seed, people=20000, days=3))
g = build_graph(w.calls, w.subscribers)
t = w.truth.to_pandas(); ids = np.asarray(g.ids_of(t[t.persona=='farm_sim'].number.tolist()))
for cw in (8, 64, 1000):
    ev = build_evidence_graph(g, RingConfig(cell_window=cw))
    print("cell_window", cw, "farm together", round(batch_together(g, ev, 3)[ids].mean(), 3))
