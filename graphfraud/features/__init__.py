"""Per-number features: Python wrappers that validate a call graph and run the kernels."""

from graphfraud.features.columns import CRUDE_RULE_COLUMN, FEATURE_COLUMNS
from graphfraud.features.numbers import NumberFeatures, compute_number_features

__all__ = ["CRUDE_RULE_COLUMN", "FEATURE_COLUMNS", "NumberFeatures", "compute_number_features"]
