"""Profile kernels (answering, duration, hours, dialling order) vs pandas references."""

from __future__ import annotations

import numpy as np
import pytest

from graphfraud.features.numbers import number_prefixes, number_values
from graphfraud.features.reference.contacts import (
    calls_frame,
    ref_prefix_counts,
    ref_sequential_dial_counts,
)
from graphfraud.features.reference.places import ref_call_profiles, ref_hourly_unit_vectors
from graphfraud.features.synthetic import random_calls
from graphfraud.graph import build_call_graph
from graphfraud.kernels.fanout import contact_pairs
from graphfraud.kernels.profiles import (
    call_profiles,
    distinct_per_caller,
    hourly_unit_vectors,
    sequential_dial_counts,
)


@pytest.fixture(params=[0, 1, 2])
def graph(request):
    return build_call_graph(random_calls(2500, 150, seed=request.param, days=4))


@pytest.mark.parametrize("offset_s", [0, 8 * 3600, -19800])
def test_call_profiles_match_reference(graph, offset_s):
    got = call_profiles(graph.out_ptr, graph.start, graph.duration, offset_s, 10, 8, 20)
    want = ref_call_profiles(calls_frame(graph), offset_s, 10, (8, 20), graph.n_numbers)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, equal_nan=True)


def test_hourly_unit_vectors_match_reference(graph):
    got = hourly_unit_vectors(graph.out_ptr, graph.start, 8 * 3600)
    want = ref_hourly_unit_vectors(calls_frame(graph), 8 * 3600, graph.n_numbers)
    np.testing.assert_allclose(got, want, atol=1e-6)


def test_sequential_dialling_matches_reference(graph):
    values = number_values(graph.numbers)
    got = sequential_dial_counts(graph.out_ptr, graph.callee, values, 10)
    want = ref_sequential_dial_counts(calls_frame(graph), values, 10, graph.n_numbers)
    np.testing.assert_array_equal(got, want)


def test_prefix_counts_match_reference(graph):
    prefixes = number_prefixes(graph.numbers, digits=9)
    _, pair_ptr, _, pair_callee = contact_pairs(graph.out_ptr, graph.callee)
    got = distinct_per_caller(pair_ptr, pair_callee, prefixes)
    want = ref_prefix_counts(calls_frame(graph), prefixes, graph.n_numbers)
    np.testing.assert_array_equal(got, want)


def test_number_values_parse_digits_only():
    import pyarrow as pa

    got = number_values(pa.array(["13800138000", "95588", "12a", "0101234567"]))
    assert got.tolist() == [13800138000, 95588, -1, 101234567]


def test_number_keys_agree_with_the_arrow_references():
    import pyarrow as pa

    from graphfraud.cdr.fastpath import string_buffers
    from graphfraud.kernels.text import number_keys

    texts = ["13800138000", "95588", "12a", "0101234567", "0101234", "101234", "",
             "1380013", "13800139999", "1234567890123456789", "x0123456789", "9" * 25]  # fmt: skip
    numbers = pa.array(texts, pa.string())
    for digits in (7, 3):
        values, prefixes = number_keys(*string_buffers(numbers), digits)
        assert values.tolist() == number_values(numbers).tolist()
        ref = number_prefixes(numbers, digits=digits)
        # The same numbers share a prefix; the codes themselves may differ.
        assert ((prefixes[:, None] == prefixes[None, :]) == (ref[:, None] == ref[None, :])).all()
        assert ((prefixes == -1) == (ref == -1)).all()


def test_call_graph_number_keys_are_the_kernels(graph):
    values, prefixes = graph.number_keys
    assert values.tolist() == number_values(graph.numbers).tolist()
    ref = number_prefixes(graph.numbers)
    assert ((prefixes[:, None] == prefixes[None, :]) == (ref[:, None] == ref[None, :])).all()
