import numpy as np
import pyarrow as pa
import pytest

from graphfraud.cdr.times import format_iso, parse_start_times


@pytest.mark.parametrize("offset_s", [0, 8 * 3600, -(5 * 3600 + 1800)])
def test_format_iso_round_trips_through_the_parser(offset_s: int) -> None:
    epochs = np.random.default_rng(0).integers(-86_400 * 365, 4_000_000_000, 1000)
    text = format_iso(epochs, offset_s)
    assert parse_start_times(pa.chunked_array([text])).to_pylist() == epochs.tolist()


def test_format_iso_matches_the_standard_library() -> None:
    from datetime import UTC, datetime, timedelta, timezone

    tz = timezone(timedelta(hours=8))
    for e in (0, 1793578503, 951_868_799):  # includes 29 Feb 2000
        assert (
            format_iso(np.array([e]), 8 * 3600).to_pylist()[0]
            == datetime.fromtimestamp(e, UTC).astimezone(tz).isoformat()
        )


def test_parse_mixed_and_broken_start_times() -> None:
    raw = pa.chunked_array([["1793578503", "2026-11-02T08:15:03+08:00", "2026-11-02T08:15:03", "x"]])
    assert parse_start_times(raw).to_pylist() == [1793578503, 1793578503, None, None]


_SHAPES = [
    "2026-11-02T23:42:14+08:00", "2026-11-02T23:42:14+0800", "2026-11-02T23:42:14+08",
    "2026-11-02 23:42:14Z", "2026-11-02T23:42+08:00", "2026-11-02T23+08:00",
    "2026-11-02T23:42:14.5-05:30", "2026-11-02T23:42:14.123456789+08:00",
]  # fmt: skip


@pytest.mark.parametrize("value", _SHAPES)
def test_a_start_time_parses_the_same_beside_a_bad_one(value: str) -> None:
    alone = parse_start_times(pa.chunked_array([[value] * 3])).to_pylist()
    assert alone[0] is not None and alone == alone[:1] * 3
    # A bad row sends the column down the row-by-row path; the good rows must not change.
    assert parse_start_times(pa.chunked_array([[value, "garbage", value]])).to_pylist() == [
        alone[0], None, alone[0]]  # fmt: skip


@pytest.mark.parametrize("value", ["2026-11-02T23:42:14", "2026-11-02", "2026-02-30T10:00:00Z",
                                   "2026-11-02T23:42:14 +08:00", "20261102T234214+0800"])  # fmt: skip
def test_start_times_without_an_offset_or_impossible_are_rejected_alone_and_mixed(value: str) -> None:
    assert parse_start_times(pa.chunked_array([[value]])).to_pylist() == [None]
    assert parse_start_times(pa.chunked_array([[value, "1793578503"]])).to_pylist() == [None, 1793578503]
