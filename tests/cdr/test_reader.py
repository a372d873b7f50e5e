from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from graphfraud.cdr import read_calls, read_subscribers, write_quarantine
from graphfraud.cdr.reader import quarantine_path_for
from graphfraud.errors import InputFileError

GOOD = "13800138000,13900000001,2026-11-02T08:15:03+08:00,35,C1,860000000000001"
HEADER = "caller,callee,start_time,duration_s,cell_id,imei"


def _csv(
    tmp_path: Path, *rows: str, header: str = "caller,callee,start_time,duration_s,cell_id,imei"
) -> Path:
    path = tmp_path / "calls.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_good_rows_are_normalised(tmp_path: Path) -> None:
    path = _csv(tmp_path, "+86 138-0013-8000,0086 139 0000 0001,2026-11-02T08:15:03+08:00,35,C1,", GOOD)
    res = read_calls(path)
    assert res.quarantined == 0
    assert res.table.column("caller").to_pylist() == ["13800138000", "13800138000"]
    assert res.table.column("callee").to_pylist() == ["13900000001", "13900000001"]
    # 08:15:03 at +08:00 is 00:15:03 UTC
    assert res.table.column("start").to_pylist()[0] == 1793578503
    assert res.table.column("imei").to_pylist() == [None, "860000000000001"]


def test_epoch_and_iso_start_times_mix(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD, "13800138000,13900000001,1793578503,0,,")
    res = read_calls(path)
    assert res.quarantined == 0
    assert res.table.column("start").to_pylist() == [1793578503, 1793578503]


@pytest.mark.parametrize("beside", [None, "13800138000,13900000001,2026-11-02T08:15:03+08:00,0,,"])
@pytest.mark.parametrize("start", ["9223372036854775807", "1793578503000", "-1", "2100-01-01T00:00:00Z"])
def test_start_times_out_of_range_are_quarantined_whatever_their_neighbours(
    tmp_path: Path, start: str, beside: str | None
) -> None:
    """An epoch in milliseconds or a typo is not a call of 1970-2099; Neo4j would wrap it. The
    row is set aside alone or beside another row, in whichever shape its neighbours are."""
    rows = [f"13800138000,13900000009,{start},5,,", "13800138000,13900000002,1793578503,4,,"]
    res = read_calls(_csv(tmp_path, *rows, *([beside] if beside else [])))
    assert res.quarantined == 1 and res.accepted == len(rows) - 1 + bool(beside)
    assert res.quarantine["line"].to_pylist() == [2]
    reason = res.quarantine["reason"][0].as_py()
    assert reason == "start_time is outside 1970-01-01..2099-12-31 (UTC)" or (
        "neither ISO" in reason and len(start) > 12  # the mixed path allows 12 digits at most
    )


def test_bad_rows_are_quarantined_with_line_and_reason(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        GOOD,  # line 2
        "abc,13900000002,1793600000,0,,",  # 3
        "13800138000,13900000002,yesterday,5,,",  # 4
        "13800138000,13900000002,1793600000,-4,C2,",  # 5
        "13800138000,,1793600000,4,C2,",  # 6
        "1,2,3",  # 7: wrong field count
        "13800138000,13900000002,2026-11-02T08:15:03,5,,",  # 8: no offset
        "13800138000,1234567890123456,1793600000,4,,",  # 9: 16 digits
        GOOD,  # 10
    )
    res = read_calls(path)
    assert res.accepted == 2
    q = res.quarantine.to_pylist()
    assert [r["line"] for r in q] == [3, 4, 5, 6, 7, 8, 9]
    reasons = [r["reason"] for r in q]
    assert "caller is not a phone number" in reasons[0]
    assert "start_time" in reasons[1]
    assert reasons[2] == "duration_s is negative"
    assert reasons[3] == "missing callee"
    assert "fields" in reasons[4]
    assert "offset" in reasons[5]
    assert "callee is not a phone number" in reasons[6]
    assert q[0]["raw"] == "abc,13900000002,1793600000,0,,"
    out = write_quarantine(res, quarantine_path_for(path))
    assert out == tmp_path / "calls.quarantine.csv"
    assert pacsv.read_csv(out).num_rows == 7


def test_missing_required_column_is_one_clear_error(tmp_path: Path) -> None:
    path = _csv(tmp_path, "1,2,3", header="caller,callee,when")
    with pytest.raises(InputFileError, match=r"missing required column\(s\) start_time, duration_s"):
        read_calls(path)


@pytest.mark.parametrize(
    "name,content,says",
    [
        ("calls.txt", "x", r"unknown file type '\.txt' \(expected \.csv, \.csv\.gz, .* or \.parquet\)"),
        ("calls.csv", "", "the file is empty"),
        ("calls.parquet", "not parquet", "not a readable Parquet file"),
        ("calls.csv.gz", "not gzip", "cannot read the file"),  # a plain file named as an archive
    ],
)
def test_wrong_files_fail_loudly(tmp_path: Path, name: str, content: str, says: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(InputFileError, match=says):
        read_calls(path)


@pytest.mark.parametrize("ending", [".csv.gz", ".csv.bz2", ".csv.zst", ".CSV.GZ"])
def test_compressed_and_bom_csv_read_as_the_plain_file(tmp_path: Path, pack, ending: str) -> None:
    """Compressed CSVs, and a UTF-8 byte-order mark (spreadsheets write one), read as the plain file."""
    plain = _csv(tmp_path, GOOD, "abc,13900000002,1793600000,0,,", GOOD)
    want = read_calls(plain)
    bom = tmp_path / "bom" / "calls.csv"
    bom.parent.mkdir()
    bom.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    packed = pack(bom, ending)  # both at once: a BOM inside an archive
    for path in (bom, packed):
        got = read_calls(path)
        assert got.table.equals(want.table)
        assert got.quarantine.equals(want.quarantine) and got.quarantined == 1
    assert quarantine_path_for(packed).name == "calls.quarantine.csv"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_calls(tmp_path / "nope.csv")


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    table = pa.table(
        {
            "caller": ["13800138000", "bad"],
            "callee": ["13900000001", "13900000001"],
            "start_time": pa.array([1793578503, 1793578503], pa.int64()),
            "duration_s": pa.array([12, 3], pa.int32()),
        }
    )
    pq.write_table(table, path)
    res = read_calls(path)
    assert res.accepted == 1
    assert res.quarantine.to_pylist()[0]["line"] == 2
    assert res.table.column("cell_id").null_count == 1


def test_subscribers(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.csv"
    path.write_text("number,activated_on\n19100000001,2026-10-30\n19100000002,30/10/2026\n")
    res = read_subscribers(path)
    assert res.accepted == 1
    assert res.quarantine.to_pylist()[0]["line"] == 3
    assert str(res.table.column("activated_on")[0]) == "2026-10-30"


def test_side_files_are_named_after_the_whole_stem(tmp_path: Path) -> None:
    assert quarantine_path_for(tmp_path / "world.calls.csv").name == "world.calls.quarantine.csv"
    assert quarantine_path_for(tmp_path / "world.subscribers.csv").name == "world.subscribers.quarantine.csv"
    assert quarantine_path_for(tmp_path / "calls.parquet").name == "calls.quarantine.csv"


def test_parquet_timestamps_with_fractions_of_a_second(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    table = pa.table(
        {
            "caller": ["13800138000"],
            "callee": ["13900000001"],
            "start_time": pa.array([1793578503_250], pa.timestamp("ms", tz="+08:00")),
            "duration_s": pa.array([12], pa.int32()),
        }
    )
    pq.write_table(table, path)
    res = read_calls(path)
    assert res.quarantined == 0
    assert res.table.column("start").to_pylist() == [1793578503]


def test_parquet_durations_beyond_nine_digits_are_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "calls.parquet"
    table = pa.table(
        {
            "caller": ["13800138000"] * 3,
            "callee": ["13900000001"] * 3,
            "start_time": pa.array([1793578503] * 3, pa.int64()),
            "duration_s": pa.array([10**10, 999_999_999, -1], pa.int64()),
        }
    )
    pq.write_table(table, path)
    res = read_calls(path)
    assert res.table.column("duration_s").to_pylist() == [999_999_999]
    assert [(r["line"], r["reason"]) for r in res.quarantine.to_pylist()] == [
        (1, "duration_s is over 999,999,999 seconds"), (3, "duration_s is negative")]  # fmt: skip
    # unsigned, beyond int64 too
    pq.write_table(table.set_column(3, "duration_s", pa.array([2**63 + 5, 7, 8], pa.uint64())), path)
    res = read_calls(path)
    assert res.table.column("duration_s").to_pylist() == [7, 8] and res.quarantined == 1


def test_a_padded_header_reads_as_the_plain_one(tmp_path: Path) -> None:
    plain = read_calls(_csv(tmp_path, GOOD)).table
    padded = read_calls(_csv(tmp_path, GOOD, header=" caller , callee,start_time ,duration_s,cell_id, imei"))
    assert padded.table.equals(plain) and padded.quarantined == 0


def test_a_column_named_twice_is_one_clear_error(tmp_path: Path) -> None:
    header = "caller,callee,start_time,duration_s,cell_id,imei,caller"
    path = _csv(tmp_path, GOOD + ",13800000009", header=header)
    with pytest.raises(InputFileError, match="column\\(s\\) caller appear more than once in the header"):
        read_calls(path)


@pytest.mark.parametrize("ending", [".csv", ".csv.gz"])
def test_quarantine_lines_are_the_files_lines_after_empty_lines_and_quoted_breaks(
    tmp_path: Path, pack, ending: str
) -> None:
    text = "\n".join([
        "caller,callee,start_time,duration_s",
        "13800138000,13900000001,2026-11-02T08:15:03+08:00,35",
        "",  # line 3: empty, skipped by the reader
        '"13800138000","13900000001","2026-11-02T08:15:03+08:00","3\n5"',  # lines 4-5: bad duration
        "13800138000,13900000001,garbage,35",  # line 6
        "13800138000,13900000001",  # line 7: two fields
        "",
        "13800138000,13900000001,2026-11-02T08:15:03+08:00,-1",  # line 9
    ]) + "\n"  # fmt: skip
    path = tmp_path / "calls.csv"
    path.write_text(text)
    if ending != ".csv":
        path = pack(path, ending)
    res = read_calls(path)
    assert res.accepted == 1
    rows = res.quarantine.to_pylist()
    assert [r["line"] for r in rows] == [4, 6, 7, 9]
    assert "garbage" in rows[1]["raw"] and rows[3]["reason"] == "duration_s is negative"


def test_a_number_activated_twice_keeps_its_latest_date(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.csv"
    path.write_text("number,activated_on\n19100000001,2026-11-01\n19100000002,2026-10-30\n"
                    "19100000001,2019-03-02\n19100000003,2026-01-01\n19100000002,2026-11-05\n")  # fmt: skip
    res = read_subscribers(path)
    assert res.table.column("number").to_pylist() == ["19100000001", "19100000002", "19100000003"]
    assert [str(d) for d in res.table.column("activated_on").to_pylist()] == [
        "2026-11-01", "2026-11-05", "2026-01-01"]  # fmt: skip
    assert res.superseded == 2 and res.accepted == 3


def test_a_file_with_cr_line_breaks_reads_as_the_plain_one(tmp_path: Path) -> None:
    plain = read_calls(_csv(tmp_path, GOOD, GOOD)).table
    path = tmp_path / "cr.csv"
    header = "caller,callee,start_time,duration_s,cell_id,imei"
    path.write_bytes(f"{header}\r{GOOD}\r{GOOD}\r".encode())
    assert read_calls(path).table.equals(plain)


def test_a_file_without_header_does_not_repeat_its_numbers(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(GOOD + "\n")
    with pytest.raises(InputFileError, match="looks like data, not a header") as err:
        read_calls(path)
    assert "13800138000" not in str(err.value)


def test_lone_crs_that_balance_lone_lfs_still_get_the_files_lines(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"caller,callee,start_time,duration_s\r\n\r13800138000,x,2026-11-02T08:15:03+08:00,35\r\n"
                     b"13800138000,13900000001\n")  # fmt: skip
    assert [r["line"] for r in read_calls(path).quarantine.to_pylist()] == [3, 4]


def test_rows_that_are_not_utf8_are_quarantined_not_the_file(tmp_path: Path) -> None:
    header = "caller,callee,start_time,duration_s,cell_id,imei"
    good = read_calls(_csv(tmp_path, GOOD, GOOD.replace("35", "36"))).table
    path = tmp_path / "latin1.csv"
    odd = GOOD.replace("C1", "C\xe9").encode("latin-1")
    lines = [header.encode(), GOOD.encode(), odd, GOOD.replace("35", "36").encode()]
    path.write_bytes(b"\n".join(lines) + b"\n")
    res = read_calls(path)
    assert res.table.equals(good)
    assert res.quarantine.to_pylist() == [
        {"line": 3, "reason": "cell_id is not UTF-8 text", "raw": GOOD.replace("C1", "C\\xe9")}]  # fmt: skip


def _stray(rows: list[str], at: int, before: str) -> None:
    """Open a quote in front of the field that starts with ``before`` on ``rows[at]``."""
    rows[at] = rows[at].replace("," + before, ',"' + before, 1)


@pytest.mark.parametrize("rows", [8, 250_000], ids=["one-block", "several-16MB-blocks"])
@pytest.mark.parametrize("ending", [".csv", ".csv.gz"])
@pytest.mark.parametrize(
    "shape", ["mid-column", "last-column", "closed-lines-later", "crlf", "after-a-literal-quote"]
)
def test_an_unclosed_quote_fails_loudly_naming_its_line(
    tmp_path: Path, pack, rows: int, ending: str, shape: str
) -> None:
    """A stray quote makes the lines after it part of one field. Arrow's threaded reader dropped
    the rest of that 16 MB block without a word; opening the last column, or closed by another
    stray quote lines later, the record even had the right number of fields and was accepted,
    the rows it took in gone. Each is one clear error naming the line."""
    lines = [GOOD.replace("C1", f"C{i % 97}") for i in range(rows)]
    _stray(lines, 1, "86" if shape == "last-column" else "C")  # line 3 of the file
    if shape == "closed-lines-later":
        _stray(lines, 5, "C")
    if shape == "after-a-literal-quote":  # a quote inside a field is a character, not a quote
        lines[0] = lines[0].replace(",C0,", ',C"0,')
    path = tmp_path / "calls.csv"
    path.write_bytes(("\r\n" if shape == "crlf" else "\n").join([HEADER, *lines, ""]).encode())
    if ending != ".csv":
        path = pack(path, ending)
    with pytest.raises(InputFileError, match=r'line 3 opens a quoted field \(\"\) that does not close'):
        read_calls(path)


def test_an_unclosed_quote_in_a_subscribers_file_fails_loudly(tmp_path: Path) -> None:
    path = tmp_path / "subscribers.csv"
    path.write_text('number,activated_on\n19100000001,2026-11-01\n19100000002,"2026-10-30\n'
                    "19100000003,2026-01-01\n19100000004,2026-01-02\n")  # fmt: skip
    with pytest.raises(InputFileError, match="line 3 opens a quoted field"):
        read_subscribers(path)


def test_a_quoted_line_break_inside_a_value_is_still_read(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD, GOOD.replace("C1", '"C\n1"'), GOOD)
    res = read_calls(path)
    assert res.quarantined == 0 and res.table.column("cell_id").to_pylist() == ["C1", "C\n1", "C1"]


def test_a_quoted_line_break_in_a_row_of_too_many_fields_is_one_bad_row(tmp_path: Path) -> None:
    path = _csv(tmp_path, GOOD, GOOD.replace("C1", '"C\n1"') + ",extra", GOOD)
    res = read_calls(path)
    assert res.accepted == 2
    assert [(r["line"], r["reason"]) for r in res.quarantine.to_pylist()] == [(3, "expected 6 fields, got 7")]


@pytest.mark.parametrize("ending", [".csv", ".csv.gz"])
@pytest.mark.parametrize("where", ["own-line", "in-a-quoted-cell"])
def test_a_nul_byte_fails_loudly_naming_its_line(tmp_path: Path, pack, ending: str, where: str) -> None:
    """Arrow may not end a row at the line break after a NUL: 10,000 rows into a file it joined
    a NUL line to the valid call after it, one quarantined row for two, the call lost."""
    lines = [GOOD.replace("C1", f"C{i % 97}") for i in range(20_000)]
    if where == "own-line":
        lines.insert(10_000, "\0")  # line 10,002 of the file
    else:
        lines[10_000] = lines[10_000].replace(",C", ',"C\0', 1).replace(",86", '",86', 1)
    path = tmp_path / "calls.csv"
    path.write_bytes("\n".join([HEADER, *lines, ""]).encode())
    if ending != ".csv":
        path = pack(path, ending)
    with pytest.raises(InputFileError, match=r"line 10002 holds a NUL byte"):
        read_calls(path)


def test_a_number_written_as_a_decimal_is_quarantined_not_changed(tmp_path: Path) -> None:
    """pandas writes a number column with gaps as floats: 13800138000.0 is not 138001380000."""
    res = read_calls(_csv(tmp_path, GOOD, GOOD.replace("13800138000", "13800138000.0"),
                          GOOD.replace("13900000001", "1.3900000001E10")))  # fmt: skip
    assert res.accepted == 1
    reasons = [r["reason"] for r in res.quarantine.to_pylist()]
    assert reasons[0].startswith("caller is written as a decimal number")
    assert reasons[1] == "callee is not a phone number (digits, at most 15)"
    subs = tmp_path / "subscribers.csv"
    subs.write_text("number,activated_on\n19100000001.0,2026-11-01\n138-0013-8000,2026-11-01\n")
    res = read_subscribers(subs)
    assert res.table.column("number").to_pylist() == ["13800138000"]  # dashes are separators
    assert res.quarantine.to_pylist()[0]["reason"].startswith("number is written as a decimal number")


def test_padded_start_times_are_trimmed_like_every_other_field(tmp_path: Path) -> None:
    plain = read_calls(_csv(tmp_path, GOOD, GOOD.replace("35,C1", "0,C1"))).table
    padded = read_calls(_csv(tmp_path, GOOD.replace(",2026", ", 2026").replace("+08:00,", "+08:00 ,"),
                             GOOD.replace("35,C1", "0,C1").replace("+08:00,", "+08:00  ,")))  # fmt: skip
    assert padded.quarantined == 0 and padded.table.equals(plain)
    epoch = read_calls(_csv(tmp_path, "13800138000,13900000001, 1793578503 ,35,C1,860000000000001"))
    assert epoch.quarantined == 0 and epoch.table.column("start").to_pylist() == [1793578503]
