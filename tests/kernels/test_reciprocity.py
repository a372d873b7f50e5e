"""Callback kernel vs the pandas merge reference."""

from __future__ import annotations

import numpy as np
import pytest

from graphfraud.features.reference.contacts import calls_frame, ref_callback_counts
from graphfraud.features.synthetic import calls_table, random_calls
from graphfraud.graph import build_call_graph
from graphfraud.kernels.fanout import contact_pairs
from graphfraud.kernels.reciprocity import callback_counts

T0 = 1_704_067_200


def _counts(g, window_s):
    by_pair, pair_ptr, pair_start, pair_callee = contact_pairs(g.out_ptr, g.callee)
    return callback_counts(pair_ptr, pair_start, pair_callee, by_pair, g.start, window_s)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("window_s", [600, 86400])
def test_callbacks_match_reference(seed, window_s):
    g = build_call_graph(random_calls(3000, 80, seed=seed, days=3))
    want = ref_callback_counts(calls_frame(g), window_s, g.n_numbers)
    for got, ref in zip(_counts(g, window_s), want, strict=True):
        np.testing.assert_array_equal(got, ref)


def test_callback_timing():
    rows = [
        ("a", "b", T0, 1),
        ("b", "a", T0 + 100, 1),  # quick callback to a
        ("a", "c", T0, 1),
        ("c", "a", T0 + 90000, 1),  # callback, but after 24 h
        ("d", "a", T0 - 5, 1),  # d called a first: a's call to d is no stranger call
        ("a", "d", T0 + 1, 1),
        ("a", "e", T0, 1),  # never answered back
    ]
    g = build_call_graph(calls_table(rows))
    callbacks, quick, prior = _counts(g, 86400)
    a = int(g.ids_of(["a"])[0])
    assert (callbacks[a], quick[a], prior[a]) == (3, 1, 1)
