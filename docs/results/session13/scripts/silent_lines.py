"""Ring members add answered calls to outside 'sink' numbers that never call back.
mode shared: K sinks shared by all members of the world, M calls each per member.
mode private: each member gets K private sinks, called enough to lift its answered/callee to target."""
import sys, json
import numpy as np, pyarrow as pa, pyarrow.compute as pc
from graphfraud.sim import load_config, simulate_world
from graphfraud.scoring import score_calls
from graphfraud.scoring.policy import Policy
cfgname, seeds, people, days, mode, K, M = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], int(sys.argv[6]), float(sys.argv[7])
for seed in [int(s) for s in seeds.split(",")]:
    w = simulate_world(load_config(cfgname, seed=seed, people=people, days=days))
    rng = np.random.default_rng(seed + 1000)
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist()))
    members = sorted(n for n, p in persona.items() if p == "ring_member")
    acc = {n for n, p in persona.items() if p in ("ring_member", "mule")}
    c = w.calls
    caller = np.array(c["caller"].to_pylist(), object); callee = np.array(c["callee"].to_pylist(), object)
    dur = c["duration_s"].to_numpy(); t = pc.cast(c["start_time"], pa.int64()).to_numpy()
    cells = c["cell_id"].to_pylist(); imeis = c["imei"].to_pylist()
    # who calls whom back
    pairs_back = set(zip(caller.tolist(), callee.tolist()))
    t0, t1 = t.min(), t.max()
    sample = str(members[0])
    def fresh(i):  # a number-like string not in the world
        return sample[:-6] + f"{(900000 + i) % 1000000:06d}" if sample.isdigit() else f"SINK{i}"
    used = set(caller.tolist()) | set(callee.tolist())
    extra = []; nextid = [0]
    def newnum():
        while True:
            s = fresh(nextid[0]); nextid[0] += 1
            if s not in used: used.add(s); return s
    shared = [newnum() for _ in range(K)] if mode == "shared" else None
    idx_by = {}
    for i, a in enumerate(caller.tolist()):
        if a in members: idx_by.setdefault(a, []).append(i)
    tot_added = 0; Vs = []
    for m in members:
        ii = idx_by.get(m, [])
        if not ii: continue
        j0 = ii[0]
        # V: distinct answered outside (non-acc) callees that never call back
        V = len({callee[i] for i in ii if dur[i] > 0 and callee[i] not in acc and (callee[i], m) not in pairs_back})
        Vs.append(V)
        if mode == "shared":
            plan = [(s, int(M) + (rng.random() < M - int(M))) for s in shared]
        else:  # private: K sinks, total calls C so (V+C)/(V+K) >= M (target ratio)
            C = int(np.ceil(M * (V + K) - V)); C = max(C, K)
            plan = [(newnum(), C // K + (q < C % K)) for q in range(K)]
        for s, cnt in plan:
            for _ in range(cnt):
                extra.append((m, s, int(rng.integers(t0, t1)), int(rng.lognormal(np.log(60), 0.7)) + 1, cells[j0], imeis[j0]))
                tot_added += 1
    a, b, s_, d, ce, im = zip(*extra)
    add = pa.table({"caller": pa.array(list(a), c.schema.field("caller").type), "callee": pa.array(list(b), c.schema.field("callee").type),
                    "start_time": pa.array(np.array(s_, np.int64), pa.int64()).cast(c.schema.field("start_time").type),
                    "duration_s": pa.array(d, c.schema.field("duration_s").type), "cell_id": pa.array(list(ce), c.schema.field("cell_id").type),
                    "imei": pa.array(list(im), c.schema.field("imei").type)})
    line = [f"seed={seed} mode={mode} K={K} M={M} members={len(members)} V med={np.median(Vs):.0f} added={tot_added} ({tot_added/len(members):.1f}/member)"]
    for label, calls in (("base", c), ("evade", pa.concat_tables([c, add.select(c.schema.names).cast(c.schema)]))):
        res = score_calls(calls, w.subscribers)
        rows = {}
        for r in res.numbers.select(["number", "tier", "ring_id"]).to_pylist():
            p = persona.get(r["number"])
            if p in ("ring_member", "mule"):
                rows.setdefault(p, []).append((r["tier"], r["ring_id"]))
        parts = [label]
        for p, v in sorted(rows.items()):
            fl = sum(x[0] not in ("normal", "monitor") for x in v); di = sum(x[0] in ("verify_in_person", "suspend") for x in v)
            parts.append(f"{p}: n={len(v)} in_ring={sum(x[1] is not None for x in v)} flagged={fl} disrupted={di}")
        line.append(" ".join(parts))
    print("  " + " | ".join(line), flush=True)
