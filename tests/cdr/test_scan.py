"""The clean-CSV fast path (cdr.scan + kernels.csvscan) against the general reader it skips."""

from __future__ import annotations

import threading
from dataclasses import fields
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from graphfraud.cdr import read_calls
from graphfraud.cdr.scan import scan_calls_csv
from graphfraud.errors import InputFileError
from graphfraud.graph import CallGraph, build_call_graph
from graphfraud.graph.keyed import build_call_graph_from_keys
from graphfraud.kernels.csvscan import key_text, text_key

HEADER = '"caller","callee","start_time","duration_s","cell_id","imei"'


def _text_key_reference(text: str) -> int:
    """Plain-Python twin of :func:`text_key`."""
    if text == "":
        return -1
    if len(text) <= 15 and text.isascii() and text.isdigit():
        return len(text) * 10**15 + int(text)
    if len(text) > 8 or any(not 32 <= ord(c) <= 126 for c in text):
        return -2
    return (len(text) << 56) | sum(ord(c) << (7 * i) for i, c in enumerate(text))


def test_text_keys_match_the_reference_and_spell_back() -> None:
    texts = ["0", "010", "10", "13800138000", "123456789012345", "1234567890123456", "C0975",
             "N/A", "#N/A N/A", "a b", "123456789", "é", "x\ty", "abcdefghi"]  # fmt: skip
    keys = []
    for t in texts:
        raw = np.frombuffer(t.encode(), np.uint8)
        got = text_key(raw, 0, len(raw))
        assert got == _text_key_reference(t), t
        if got >= 0:
            keys.append((t, got))
    assert len({k for _, k in keys}) == len(keys)  # no two texts share a key
    offsets, data = key_text(np.array([k for _, k in keys], np.int64))
    spelt = pa.StringArray.from_buffers(len(keys), pa.py_buffer(offsets), pa.py_buffer(data))
    assert spelt.to_pylist() == [t for t, _ in keys]


def _rows(seed: int, m: int = 600) -> list[list[str]]:
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(m):
        caller, callee = (f"1{rng.integers(3800000000, 3800000060)}" for _ in range(2))
        t = int(rng.integers(0, 3 * 86400))
        day, sec = divmod(t, 86400)
        start = f"2026-11-{2 + day:02d}T{sec // 3600:02d}:{sec % 3600 // 60:02d}:{sec % 60:02d}+08:00"
        cell = "" if rng.random() < 0.1 else f"C{rng.integers(0, 40):04d}"
        imei = "" if rng.random() < 0.1 else str(861000000000000 + int(rng.integers(0, 50)))
        rows.append([caller, callee, start, str(int(rng.integers(0, 900))), cell, imei])
    return rows


def _write(path: Path, rows: list[list[str]], header: str = HEADER, quote: bool = True,
           end: str = "\n") -> Path:  # fmt: skip
    def field(v: str) -> str:
        return f'"{v}"' if quote and v else v

    path.write_text(header + end + end.join(",".join(field(v) for v in r) for r in rows) + end)
    return path


def _assert_same_graph(a: CallGraph, b: CallGraph) -> None:
    for f in fields(CallGraph):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, np.ndarray):
            np.testing.assert_array_equal(x, y, err_msg=f.name)
        elif isinstance(x, int):
            assert x == y, f.name
        else:
            assert x.to_pylist() == y.to_pylist(), f.name


def _check_same_as_general(path: Path) -> None:
    scanned = scan_calls_csv(path)
    assert scanned is not None
    general = read_calls(path)
    assert general.quarantined == 0 and scanned.n_calls == general.accepted
    _assert_same_graph(build_call_graph_from_keys(scanned), build_call_graph(general.table))


@pytest.mark.parametrize("seed", [1, 2])
def test_clean_file_gives_the_general_paths_graph(tmp_path: Path, seed: int) -> None:
    _check_same_as_general(_write(tmp_path / "calls.csv", _rows(seed)))
    _check_same_as_general(_write(tmp_path / "bare.csv", _rows(seed), quote=False))


def test_a_byte_order_mark_before_the_header_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.csv", _rows(9))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    _check_same_as_general(path)


def test_a_0086_country_code_goes_as_on_the_general_path(tmp_path: Path) -> None:
    rows = _rows(6)
    for i, r in enumerate(rows[:300]):
        r[i % 2] = "0086" + r[i % 2]  # the same numbers, written with the code
    rows[7][1] = "0086"  # nothing after the code: a number of its own
    _check_same_as_general(_write(tmp_path / "calls.csv", rows))
    keys = scan_calls_csv(tmp_path / "calls.csv")
    plain = scan_calls_csv(_write(tmp_path / "plain.csv", _rows(6)))
    assert np.array_equal(keys.caller, plain.caller)
    assert np.array_equal(np.delete(keys.callee, 7), np.delete(plain.callee, 7))


def test_column_order_extra_and_missing_optional_columns(tmp_path: Path) -> None:
    rows = [[r[3], "x y", r[1], r[0], r[2]] for r in _rows(3)]
    _check_same_as_general(_write(tmp_path / "calls.csv", rows,
                                  header="duration_s,note,callee,caller,start_time"))  # fmt: skip
    # no newline after the last line
    path = _write(tmp_path / "last.csv", _rows(4))
    path.write_text(path.read_text().rstrip("\n"))
    _check_same_as_general(path)


@pytest.mark.parametrize(
    "change",
    [
        lambda r: r.__setitem__(0, "+86 " + r[0]),  # to normalise
        lambda r: r.__setitem__(1, "1380a"),  # to quarantine
        lambda r: r.__setitem__(1, "1234567890123456"),  # 16 digits
        lambda r: r.__setitem__(2, "1793578503"),  # epoch seconds
        lambda r: r.__setitem__(2, "2026-11-02T08:15:03Z"),
        lambda r: r.__setitem__(2, "2026-02-30T08:15:03+08:00"),
        lambda r: r.__setitem__(2, "1969-12-31T23:59:59+00:00"),  # before the plausible range
        lambda r: r.__setitem__(2, "2100-01-01T08:00:00+08:00"),  # the range's end (UTC) exactly
        lambda r: r.__setitem__(3, "-5"),
        lambda r: r.__setitem__(3, ""),
        lambda r: r.__setitem__(4, "NA"),  # Arrow's null spelling
        lambda r: r.__setitem__(4, " C1"),  # padded: trimmed on the general path
        lambda r: r.__setitem__(4, "Cé"),
        lambda r: r.__setitem__(4, "C000000001"),  # longer than a short key
        lambda r: r.__setitem__(5, 'a"b'),
        lambda r: r.pop(),  # wrong field count
    ],
)
def test_anything_not_clean_goes_to_the_general_reader(tmp_path: Path, change) -> None:
    rows = _rows(5, 50)
    change(rows[17])
    assert scan_calls_csv(_write(tmp_path / "calls.csv", rows)) is None


def test_times_in_other_offsets_and_on_shared_dates(tmp_path: Path) -> None:
    # The scanner reads a date once and then only the clocks of the stamps that share it.
    rows = _rows(8)
    for i, r in enumerate(rows):
        r[2] = r[2][:-6] + ["+08:00", "-03:30", "+05:45", "+00:00", "-11:00"][i % 5]
    _check_same_as_general(_write(tmp_path / "mixed.csv", rows))
    _check_same_as_general(_write(tmp_path / "sorted.csv", sorted(rows, key=lambda r: r[2])))


@pytest.mark.parametrize(
    "clock",
    ["T24:15:03+08:00", "T08:60:03+08:00", "T08:15:60+08:00", "T08:15:03+24:00", "T08:15:03+08:60",
     " 08:15:03+08:00", "T08:15:03*08:00", "T08-15:03+08:00", "T0a:15:03+08:00"],
)  # fmt: skip
def test_a_bad_clock_on_a_date_already_read_goes_to_the_general_reader(tmp_path: Path, clock) -> None:
    rows = _rows(7, 50)
    rows[16][2] = "2026-11-02T07:00:00+08:00"
    rows[17][2] = "2026-11-02" + clock
    assert scan_calls_csv(_write(tmp_path / "calls.csv", rows)) is None
    rows[17][2] = "2026-11-02T08:15:03+08:00"
    assert scan_calls_csv(_write(tmp_path / "calls.csv", rows)) is not None


def test_file_level_oddities_go_to_the_general_reader(tmp_path: Path) -> None:
    rows = _rows(6, 20)
    assert scan_calls_csv(_write(tmp_path / "crlf.csv", rows, end="\r\n")) is None
    padded, short = HEADER.replace('"callee"', " callee"), HEADER.replace(',"imei"', "")
    assert scan_calls_csv(_write(tmp_path / "pad.csv", rows, header=padded)) is None
    assert scan_calls_csv(_write(tmp_path / "short.csv", rows, header=short)) is None
    blank = _write(tmp_path / "blank.csv", rows)
    blank.write_text(blank.read_text() + "\n")
    assert scan_calls_csv(blank) is None
    assert scan_calls_csv(_write(tmp_path / "empty.csv", [])) is None
    assert scan_calls_csv(tmp_path / "missing.csv") is None
    assert scan_calls_csv(_write(tmp_path / "calls.txt", rows)) is None


@pytest.mark.parametrize("ending", [".csv.gz", ".csv.bz2", ".csv.zst", ".CSV.GZ"])
@pytest.mark.parametrize("chunk", [37, 1 << 20])
def test_compressed_file_gives_the_plain_files_keys(tmp_path: Path, monkeypatch, pack, ending: str,
                                                    chunk: int) -> None:  # fmt: skip
    # Small chunks cut lines (and the header) at every place; the parts must join seamlessly.
    monkeypatch.setattr("graphfraud.cdr.inflate.CHUNK_BYTES", chunk)
    plain = _write(tmp_path / "calls.csv", _rows(11))
    plain.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes().rstrip(b"\n"))  # a BOM, no last newline
    want, got = scan_calls_csv(plain), scan_calls_csv(pack(plain, ending))
    assert want is not None and got is not None and got.n_calls == 600
    for f in fields(want):
        np.testing.assert_array_equal(getattr(got, f.name), getattr(want, f.name), err_msg=f.name)
    _check_same_as_general(pack(plain, ending))


@pytest.mark.parametrize("chunk", [64, 1 << 20])
def test_compressed_file_not_clean_or_broken_goes_to_the_general_reader(tmp_path: Path, monkeypatch, pack,
                                                                        chunk: int) -> None:  # fmt: skip
    monkeypatch.setattr("graphfraud.cdr.inflate.CHUNK_BYTES", chunk)
    rows = _rows(12, 400)
    rows[380][1] = "1380a"  # a row to quarantine, near the end (in a late chunk)
    assert scan_calls_csv(pack(_write(tmp_path / "dirty.csv", rows), ".csv.gz")) is None
    good = pack(_write(tmp_path / "good.csv", _rows(12, 400)), ".csv.gz")
    assert scan_calls_csv(good) is not None
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])  # cut short
    assert scan_calls_csv(broken) is None
    with pytest.raises(InputFileError):  # which then says what is wrong
        read_calls(broken)
    not_gzip = tmp_path / "plain.csv.gz"
    not_gzip.write_bytes((tmp_path / "good.csv").read_bytes())
    assert scan_calls_csv(not_gzip) is None
    header_only = pack(_write(tmp_path / "header.csv", []), ".csv.gz")
    assert scan_calls_csv(header_only) is None
    corrupt = tmp_path / "corrupt.csv.gz"  # a flipped byte in the deflate stream (ISA-L's own error)
    raw = bytearray(good.read_bytes())
    raw[len(raw) // 3] ^= 0xFF
    corrupt.write_bytes(bytes(raw))
    assert scan_calls_csv(corrupt) is None
    with pytest.raises(InputFileError):
        read_calls(corrupt)
    # Whatever the answer, no decompressing or scanning thread is left behind.
    ours = ("graphfraud-inflate", "graphfraud-scan")
    assert not [t.name for t in threading.enumerate() if t.name.startswith(ours)]


def test_a_header_csv_cannot_split_goes_to_the_general_reader(tmp_path: Path) -> None:
    path = _write(tmp_path / "calls.csv", _rows(13, 5), header=HEADER + ',"' + "x" * 200_000 + '"')
    assert scan_calls_csv(path) is None  # over csv's field size limit: csv.Error, not raised
