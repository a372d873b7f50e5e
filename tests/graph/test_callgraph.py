from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from graphfraud.cdr.schema import CALLS_SCHEMA, SUBSCRIBERS_SCHEMA
from graphfraud.graph import build_call_graph


def _random_calls(seed: int, m: int = 400, n: int = 30) -> pa.Table:
    rng = np.random.default_rng(seed)
    return pa.table(
        {
            "caller": rng.integers(0, n, m).astype(str),
            "callee": rng.integers(0, n, m).astype(str),
            "start": rng.integers(0, 50, m).astype(np.int64),  # many ties on purpose
            "duration_s": rng.integers(0, 100, m).astype(np.int32),
            "cell_id": pa.array([None if x < 2 else f"C{x}" for x in rng.integers(0, 6, m)], pa.string()),
            "imei": pa.array([None] * m, pa.string()),
        },
        schema=CALLS_SCHEMA,
    )


def test_csr_by_caller_and_callee_matches_pandas() -> None:
    for seed in range(5):
        calls = _random_calls(seed)
        # a switch's repeated records: the first of each (caller, callee, start) is the call
        calls = pa.concat_tables([calls, calls.slice(0, 40 * seed)])
        g = build_call_graph(calls)
        numbers = np.asarray(g.numbers.to_pylist())
        key = ["caller", "callee", "start"]
        every = calls.to_pandas()
        df = every.drop_duplicates(key, keep="first")
        assert g.repeated_calls == len(every) - len(df) >= 40 * seed
        # every call is kept once, with its first record's duration
        got = pd.DataFrame({"caller": numbers[g.caller], "callee": numbers[g.callee], "start": g.start,
                            "duration_s": g.duration})  # fmt: skip
        cols = [*key, "duration_s"]
        pd.testing.assert_frame_equal(
            got.sort_values(key).reset_index(drop=True), df[cols].sort_values(key).reset_index(drop=True),
            check_dtype=False,
        )
        # out-CSR: slices hold the number's calls in time order
        for v in range(g.n_numbers):
            sl = slice(g.out_ptr[v], g.out_ptr[v + 1])
            assert (g.caller[sl] == v).all()
            assert (np.diff(g.start[sl]) >= 0).all()
            assert sl.stop - sl.start == (df.caller == numbers[v]).sum()
            inc = slice(g.in_ptr[v], g.in_ptr[v + 1])
            assert (np.diff(g.in_start[inc]) >= 0).all()
            got_in = sorted(zip(numbers[g.in_caller[inc]], g.in_start[inc], strict=True))
            want_in = df[df.callee == numbers[v]]
            assert got_in == sorted(zip(want_in.caller, want_in.start, strict=True))
        # unknown cells are -1, known ones decode back
        cells = np.asarray([*g.cells.to_pylist(), None], dtype=object)
        assert (g.cell >= -1).all()
        decoded = cells[g.cell]
        assert sorted(map(str, decoded)) == sorted(map(str, df.cell_id.where(df.cell_id.notna(), None)))


def test_subscribers_set_activation_day_and_add_numbers() -> None:
    calls = _random_calls(0, m=10, n=3)
    subs = pa.table(
        {"number": ["0", "99"], "activated_on": pa.array([20000, 20010], pa.int32()).cast(pa.date32())},
        schema=SUBSCRIBERS_SCHEMA,
    )
    g = build_call_graph(calls, subs)
    ids = g.ids_of(["0", "99", "nope"])
    assert ids[2] == -1
    assert g.activated_day[ids[0]] == 20000 and g.activated_day[ids[1]] == 20010
    assert g.out_ptr[ids[1] + 1] == g.out_ptr[ids[1]]  # "99" made no calls
