"""Scoring: evidence families, a logistic scorecard, graduated tiers and reasons (zh + en).

>>> from graphfraud.scoring import Policy, TIERS
>>> TIERS[0], TIERS[-1], Policy().family_caps["volume"]
('normal', 'suspend', 'monitor')
"""

from graphfraud.scoring.families import FamilyScores, family_scores
from graphfraud.scoring.pipeline import (
    CRUDE_RULE_FANOUT,
    FULL_WINDOW_DAYS,
    NUMBERS_SCHEMA,
    RINGS_SCHEMA,
    ScoreResult,
    build_graph,
    encode_calls,
    score_calls,
    score_graph,
)
from graphfraud.scoring.policy import FAMILIES, TIERS, Policy, load_policy, tier_rank
from graphfraud.scoring.reasons import REASONS, RING_REASONS

__all__ = [
    "CRUDE_RULE_FANOUT",
    "FAMILIES",
    "FULL_WINDOW_DAYS",
    "NUMBERS_SCHEMA",
    "REASONS",
    "RINGS_SCHEMA",
    "RING_REASONS",
    "TIERS",
    "FamilyScores",
    "Policy",
    "ScoreResult",
    "build_graph",
    "encode_calls",
    "family_scores",
    "load_policy",
    "score_calls",
    "score_graph",
    "tier_rank",
]
