"""Draw docs/figures/personas.svg: per persona, graphfraud against the carriers' crude rule.

Reads a ``python -m graphfraud.scoring.study`` output (default: the holdout worlds of
docs/results/session13/holdout-101-105.json, never tuned on) and pools every world, each persona
weighted by its count. Run: ``.venv/bin/python docs/figures/personas.py [STUDY.json] [OUT.svg]``.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

plt.rcParams["svg.hashsalt"] = "graphfraud"  # the same figure gives the same file

HERE = Path(__file__).resolve().parent
STUDY = HERE.parent / "results" / "session13" / "holdout-101-105.json"
LEGIT = ["courier", "recruiter", "debt_collector", "food_rider", "hotline", "telemarketer",
         "lawyer", "truck_driver", "traveller", "recycled_number"]  # fmt: skip
FRAUD = ["farm_sim", "spoofed_95", "burner", "ring_member", "mule"]
LABELS = {"debt_collector": "debt collector", "food_rider": "food rider", "truck_driver":
          "truck driver", "recycled_number": "recycled number", "telemarketer": "telemarketer*",
          "farm_sim": "SIM-box farm", "spoofed_95": "spoofed 95xx", "burner": "burner SIM",
          "ring_member": "ring member", "mule": "mule"}  # fmt: skip


def pooled(study: list[dict]) -> dict[str, dict[str, float]]:
    """Per persona: count and the count-weighted shares flagged, disrupted and crude."""
    acc: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for world in study:
        for p in world["personas"]:
            a, c = acc[p["persona"]], p["count"]
            a[0] += c
            a[1] += c * p["flagged"]
            a[2] += c * p["disrupted"]
            a[3] += c * p["crude"]
    return {k: {"count": c, "flagged": f / c, "disrupted": d / c, "crude": r / c}
            for k, (c, f, d, r) in acc.items() if c}  # fmt: skip


def draw(study_path: Path, out: Path) -> None:
    study = json.loads(study_path.read_text())
    share = pooled(study)
    seeds = sorted({w["seed"] for w in study})
    people = sorted({w["people"] for w in study})
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), gridspec_kw={"width_ratios": [len(LEGIT), len(FRAUD)]})
    bars = [("crude", "crude rule: suspended", "#b0b0b0"),
            ("flagged", "graphfraud: flagged (≥ verify online)", "#f2b134"),
            ("disrupted", "graphfraud: disrupted (≥ verify in person)", "#c0392b")]  # fmt: skip
    for ax, group, title in ((axes[0], LEGIT, "Legitimate callers: who gets cut off"),
                             (axes[1], FRAUD, "Fraud: who gets caught")):  # fmt: skip
        names = [p for p in group if p in share]
        for j, (key, label, colour) in enumerate(bars):
            xs = [i + (j - 1) * 0.27 for i in range(len(names))]
            ax.bar(xs, [100 * share[p][key] for p in names], width=0.27, color=colour, label=label)
        ax.set_xticks(range(len(names)))
        ax.set_xticklabels([f"{LABELS.get(p, p)}\n(n={share[p]['count']:.0f})" for p in names],
                           rotation=45, ha="right", fontsize=8)  # fmt: skip
        ax.set_ylim(0, 105)
        ax.set_ylabel("% of numbers")
        ax.set_title(title, fontsize=11)
        ax.grid(axis="y", alpha=0.3)
    axes[0].legend(loc="upper right", fontsize=8, frameon=False)
    fig.suptitle(f"Holdout worlds never tuned on (seeds {seeds[0]}–{seeds[-1]}, "
                 f"{' and '.join(f'{p // 1000}k' for p in people)} people, 3 days; "
                 "* telemarketers are reported apart: they call like a call centre)", fontsize=9)  # fmt: skip
    fig.tight_layout()
    fig.savefig(out, format=out.suffix.lstrip(".") or "svg", metadata={"Date": None})
    print(f"wrote {out}")


if __name__ == "__main__":
    args = sys.argv[1:]
    draw(Path(args[0]) if args else STUDY, Path(args[1]) if len(args) > 1 else HERE / "personas.svg")
