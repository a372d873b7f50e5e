"""Ring members redial victims/strangers who did not answer (up to R retries, 15-90 min apart,
each answered with the ring's answer odds); nothing else changes. Score before/after code."""
import sys, json
import numpy as np, pyarrow as pa, pyarrow.compute as pc
import graphfraud
from graphfraud.sim import profile, load_config, simulate_world
from graphfraud.scoring import score_calls

cfgname, seeds, people, days, R, p_ans = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
print(graphfraud.__file__, "retries", R, "answer", p_ans)
for seed in [int(s) for s in seeds.split(",")]:
    cfg = load_config(cfgname, seed=seed, people=people, days=days) if cfgname.endswith(".json") else profile(cfgname, seed=seed, people=people, days=days)
    w = simulate_world(cfg)
    rng = np.random.default_rng(seed)
    persona = dict(zip(w.truth["number"].to_pylist(), w.truth["persona"].to_pylist()))
    members = {n for n, p in persona.items() if p == "ring_member"}
    acc = {n for n, p in persona.items() if p in ("ring_member", "mule")}
    c = w.calls
    caller = c["caller"].to_pylist(); callee = c["callee"].to_pylist(); dur = c["duration_s"].to_numpy()
    t = pc.cast(c["start_time"], pa.int64()).to_numpy()
    extra = []
    cells = c["cell_id"].to_pylist(); imeis = c["imei"].to_pylist()
    for i in range(len(caller)):
        if caller[i] in members and callee[i] not in acc and dur[i] == 0:
            ti = t[i]
            for _ in range(R):
                ti = ti + int(rng.uniform(15, 90) * 60)
                ans = rng.random() < p_ans
                extra.append((caller[i], callee[i], ti, int(rng.lognormal(np.log(90), 1)) + 1 if ans else 0, cells[i], imeis[i]))
                if ans:
                    break
    if extra:
        a, b, s, d, ce, im = zip(*extra)
        add = pa.table({"caller": list(a), "callee": list(b),
                        "start_time": pa.array(np.array(s, np.int64), pa.int64()).cast(pa.timestamp("s", tz="+08:00")),
                        "duration_s": pa.array(d, pa.int32()), "cell_id": list(ce), "imei": list(im)}, schema=c.schema)
        c = pa.concat_tables([c, add])
    res = score_calls(c, w.subscribers)
    rows = {}
    for r in res.numbers.select(["number", "tier", "ring_id", "features"]).to_pylist():
        p = persona.get(r["number"])
        if p in ("ring_member", "mule"):
            f = json.loads(r["features"])
            rows.setdefault(p, []).append((f["repeat_contact_ratio"], r["tier"], r["ring_id"]))
    line = [f"seed={seed} retries_added={len(extra)}"]
    for p, v in sorted(rows.items()):
        rat = np.array([x[0] for x in v])
        fl = sum(x[1] not in ("normal", "monitor") for x in v); di = sum(x[1] in ("verify_in_person", "suspend") for x in v)
        line.append(f"{p}: n={len(v)} ratio med={np.median(rat):.2f} >=2:{(rat>=2).sum()} in_ring={sum(x[2] is not None for x in v)} flagged={fl} disrupted={di}")
    print("  " + " | ".join(line))
