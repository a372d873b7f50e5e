"""Compare scores with a simulated world's truth: per persona, against the crude carrier rule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from graphfraud.scoring.policy import tier_rank

__all__ = ["LEGIT_ONE_TO_MANY", "Evaluation", "evaluate_scores"]

LEGIT_ONE_TO_MANY = (
    "recruiter", "courier", "food_rider", "truck_driver", "traveller", "lawyer",
    "recycled_number", "hotline", "debt_collector",
)
_FLAG, _DISRUPT = tier_rank("verify_online"), tier_rank("verify_in_person")


@dataclass(frozen=True)
class Evaluation:
    personas: pd.DataFrame  # persona, fraud, count, flagged, disrupted, crude (shares 0–1)
    groups: pd.DataFrame  # the same for: legit one-to-many, ordinary, telemarketer, fraud
    ring_ari: float
    fraud_recall: float

    def to_dict(self) -> dict:
        return {"personas": self.personas.to_dict(orient="records"),
                "groups": self.groups.to_dict(orient="records"),
                "ring_ari": self.ring_ari, "fraud_recall": self.fraud_recall}


def evaluate_scores(truth: pd.DataFrame, scores: pd.DataFrame) -> Evaluation:
    """``truth``: number, persona, fraud (0/1), ring; ``scores``: number, tier, ring_id[, crude_rule].

    ``crude_rule`` is 0/1 (or bool); a missing value (a number the crude rule never saw make a
    call) counts as not flagged. Only numbers that made calls (rows of ``scores``) are counted;
    fraud numbers that never call (none are simulated) would count as missed in ``fraud_recall``.
    """
    from sklearn.metrics import adjusted_rand_score

    t = truth.copy()
    t["number"] = t["number"].astype(str)
    s = scores.copy()
    s["number"] = s["number"].astype(str)
    s["rank"] = s["tier"].map(tier_rank).astype(int)
    # Numeric, never truthiness: the string "0" is truthy, and so is NaN.
    s["crude"] = pd.to_numeric(s["crude_rule"]).fillna(0).eq(1) if "crude_rule" in s else False
    d = t.merge(s[["number", "rank", "ring_id", "crude"]], on="number", how="left")
    fraud = d["fraud"].astype(int) == 1
    callers = d["rank"].notna()
    d = d[callers | fraud].copy()
    d["rank"] = d["rank"].fillna(0)
    d["crude"] = d["crude"].astype("boolean").fillna(False).astype(bool)
    d["flagged"] = d["rank"] >= _FLAG
    d["disrupted"] = d["rank"] >= _DISRUPT

    def summarise(g: pd.DataFrame) -> pd.Series:
        return pd.Series({"count": len(g), "flagged": g["flagged"].mean(),
                          "disrupted": g["disrupted"].mean(), "crude": g["crude"].mean()})

    personas = d.groupby("persona").apply(summarise, include_groups=False).reset_index()
    personas.insert(1, "fraud", personas["persona"].map(d.groupby("persona")["fraud"].max()))
    group_of = np.where(d["fraud"].astype(int) == 1, "fraud (all)",
                        np.where(d["persona"].isin(LEGIT_ONE_TO_MANY), "legit one-to-many",
                                 d["persona"].astype(str)))
    d["group"] = group_of
    groups = (d[d["group"].isin(["fraud (all)", "legit one-to-many", "ordinary", "telemarketer"])]
              .groupby("group").apply(summarise, include_groups=False).reset_index())

    ringed = d[fraud.loc[d.index] & d["ring"].fillna("").astype(str).str.len().gt(0)]
    if len(ringed) >= 2:
        pred = [r if isinstance(r, str) and r else f"_alone{i}" for i, r in enumerate(ringed["ring_id"])]
        ari = float(adjusted_rand_score(ringed["ring"].astype(str), pred))
    else:
        ari = float("nan")
    recall = float(d.loc[fraud.loc[d.index], "flagged"].mean()) if fraud.any() else float("nan")
    return Evaluation(personas=personas, groups=groups, ring_ari=ari, fraud_recall=recall)
