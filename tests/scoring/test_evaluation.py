"""`evaluate_scores` on hand-made truth and scores."""

from __future__ import annotations

import math

import pandas as pd

from graphfraud.scoring.evaluation import evaluate_scores

TRUTH = pd.DataFrame({
    "number": ["13800000001", "13800000002", "13800000003", "13800000004"],
    "persona": ["ordinary", "ordinary", "courier", "burner"],
    "fraud": [0, 0, 0, 1],
    "ring": ["", "", "", ""],
})  # fmt: skip


def _scores(crude_rule: list) -> pd.DataFrame:
    return pd.DataFrame({
        "number": TRUTH["number"],
        "tier": ["normal", "monitor", "normal", "suspend"],
        "ring_id": ["", "", "", ""],
        "crude_rule": crude_rule,
    })  # fmt: skip


def _crude(ev) -> dict[str, float]:
    return dict(zip(ev.personas["persona"], ev.personas["crude"], strict=True))


def test_shares_per_persona_and_group() -> None:
    ev = evaluate_scores(TRUTH, _scores([0, 0, 1, 1]))
    p = ev.personas.set_index("persona")
    assert p.loc["ordinary", "count"] == 2 and p.loc["ordinary", "flagged"] == 0
    assert p.loc["burner", "fraud"] == 1 and p.loc["burner", "disrupted"] == 1
    assert _crude(ev) == {"burner": 1.0, "courier": 1.0, "ordinary": 0.0}
    g = ev.groups.set_index("group")
    assert g.loc["legit one-to-many", "crude"] == 1.0 and g.loc["fraud (all)", "flagged"] == 1.0
    assert ev.fraud_recall == 1.0 and math.isnan(ev.ring_ari)


def test_crude_rule_as_text_is_read_as_numbers_not_truthiness() -> None:
    ev = evaluate_scores(TRUTH, _scores(["0", "0", "1", "1"]))
    assert _crude(ev) == {"burner": 1.0, "courier": 1.0, "ordinary": 0.0}


def test_a_number_the_crude_rule_never_saw_is_not_flagged_by_it() -> None:
    """A missing crude_rule (no calls where the rule was computed): the rule cannot fire."""
    ev = evaluate_scores(TRUTH, _scores([float("nan"), 0.0, float("nan"), 1.0]))
    assert _crude(ev) == {"burner": 1.0, "courier": 0.0, "ordinary": 0.0}
