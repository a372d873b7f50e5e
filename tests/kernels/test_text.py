"""The string-buffer fast paths against the Arrow paths they stand in for."""

import re
from datetime import UTC, datetime, timedelta, timezone

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.cdr.fastpath import (
    clean_digit_column,
    clean_int_column,
    iso_column,
    padding_free_column,
)


def _col(values):
    return pa.chunked_array([pa.array(values[:3], pa.string()), pa.array(values[3:], pa.string())])


def test_clean_digits_agrees_with_the_regex() -> None:
    cases = [
        ["1380013", "86", "0", "123456789012345"],
        ["1380013", "86", "0", "1234567890123456"],  # 16 digits
        ["1380013", "86", "", "1"],
        ["1380013", "86", None, "1"],
        ["1380013", "8 6", "0", "1"],
        ["+86138", "86", "0", "1"],
        ["1380013", "86", "0", "１"],  # full-width digit
    ]
    for values in cases:
        ref = pc.all(pc.fill_null(pc.match_substring_regex(_col(values), r"^[0-9]{1,15}$"), False))
        assert clean_digit_column(_col(values), 15) == ref.as_py(), values
    assert not clean_digit_column(pa.chunked_array([pa.array([1, 2])]), 15)


def test_clean_ints_agree_with_the_arrow_cast() -> None:
    ok = ["0", "-0", "17", "-3", "999999999", "5"]
    got = clean_int_column(_col(ok), 9)
    assert got.to_pylist() == [int(v) for v in ok]
    for bad in ("1000000000", " 5", "5 ", "+5", "", "-", "1.0", None):
        assert clean_int_column(_col([*ok[:5], bad]), 9) is None, bad


def test_padding_free() -> None:
    assert padding_free_column(_col(["C1", None, "861943532620746", "x y"]))
    for bad in (" C1", "C1\t", "", "é"):
        assert not padding_free_column(_col(["C1", None, "C2", bad])), bad


def _arrow_iso(values) -> list[int]:
    ts = pc.cast(pa.array(values, pa.string()), pa.timestamp("us", tz="UTC"))
    return pc.divide(pc.cast(ts, pa.int64()), 1_000_000).to_pylist()


def test_iso_offset_seconds_matches_arrow_on_random_times() -> None:
    rng = np.random.default_rng(11)
    values = []
    for _ in range(3000):
        offset = timedelta(minutes=int(rng.integers(-14 * 60, 14 * 60 + 1)))
        when = datetime(1900, 1, 1, tzinfo=UTC) + timedelta(seconds=int(rng.integers(0, 2**32)))
        values.append(when.astimezone(timezone(offset)).isoformat(timespec="seconds"))
    values += ["2024-02-29T23:59:59+08:00", "2000-02-29T00:00:00-00:30", "1969-12-31T23:59:59+00:00"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", v) for v in values)
    got = iso_column(pa.chunked_array([pa.array(values[:7]), pa.array(values[7:])]))
    assert got.to_pylist() == _arrow_iso(values)


def test_iso_offset_seconds_declines_other_shapes() -> None:
    good = "2026-11-02T06:14:27+08:00"
    for bad in ("2026-11-02 06:14:27+08:00", "2026-11-02T06:14:27Z", "2026-11-02T06:14:27.5+08:00",
                "2023-02-29T00:00:00+08:00", "2026-13-02T06:14:27+08:00", "2026-11-02T24:00:00+08:00",
                "2026-11-31T06:14:27+08:00", "2026-11-02T06:14:27+0800", "1700000000", None):  # fmt: skip
        assert iso_column(_col([good, good, good, bad])) is None, bad


def test_count_rows_counts_lines_at_any_alignment() -> None:
    from graphfraud.kernels.csvscan import _count_rows

    rng = np.random.default_rng(15)
    data = rng.choice(np.frombuffer(b"ab,1\n\n", np.uint8), 5000)
    for lo, hi in ((0, 5000), (3, 4997), (7, 8), (5, 5), (1, 4000)):
        part = data[lo:hi]
        want = int((part == 10).sum()) + (1 if hi > lo and part[-1] != 10 else 0)
        assert _count_rows(data, lo, hi) == want
