"""Read call and subscriber files with Arrow, validate every row, set bad rows aside.

Files are CSV (UTF-8, with or without the byte-order mark spreadsheets write; plain or compressed:
``.csv.gz``, ``.csv.bz2``, ``.csv.zst``) or Parquet. A wrong *file* (unreadable, unknown format,
a required column missing) raises :class:`~graphfraud.errors.InputFileError` before anything is
written. A wrong *row* is kept out of the result and listed in the quarantine table with its line
number, the raw row and the reason.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from graphfraud.cdr.fastpath import clean_int_column, padding_free_column, string_buffers
from graphfraud.cdr.lines import physical_lines, run_on_line
from graphfraud.cdr.normalize import DECIMAL, normalize_numbers
from graphfraud.cdr.schema import (
    CALL_OPTIONAL,
    CALL_REQUIRED,
    CALLS_SCHEMA,
    SUBSCRIBER_REQUIRED,
    SUBSCRIBERS_SCHEMA,
)
from graphfraud.cdr.times import START_RANGE, START_RANGE_TEXT, parse_start_times
from graphfraud.errors import InputFileError

__all__ = [
    "CSV_COMPRESSIONS",
    "HEADER_BYTES",
    "QUARANTINE_SCHEMA",
    "ReadResult",
    "csv_ending",
    "quarantine_path_for",
    "read_calls",
    "read_subscribers",
    "sibling_path",
    "validate_calls",
    "validate_subscribers",
    "write_quarantine",
]

#: The CSV files read, by their ending: plain, or compressed with the codec named (Arrow reads them
#: all, choosing the codec by the same ending).
CSV_COMPRESSIONS = {".csv": None, ".csv.gz": "gzip", ".csv.bz2": "bz2", ".csv.zst": "zstd"}
_DIGITS = re.compile(r"[0-9]{5}")  # a run of digits that may be (part of) a phone number
_MAX_DURATION_S = 999_999_999  # nine digits, as a CSV's duration_s may have
HEADER_BYTES = 1 << 16  # a header line is read from at most this much of the (decompressed) file

QUARANTINE_SCHEMA = pa.schema(
    [pa.field("line", pa.int64()), pa.field("reason", pa.string()), pa.field("raw", pa.string())]
)


@dataclass(frozen=True)
class ReadResult:
    """Accepted rows (``table``) and the rows set aside (``quarantine``: line, reason, raw)."""

    table: pa.Table
    quarantine: pa.Table = field(default_factory=QUARANTINE_SCHEMA.empty_table)
    superseded: int = 0  # subscribers: rows of a number activated again later (the latest stands)

    @property
    def accepted(self) -> int:
        return self.table.num_rows

    @property
    def quarantined(self) -> int:
        return self.quarantine.num_rows


def csv_ending(path: Path) -> str | None:
    """The key of :data:`CSV_COMPRESSIONS` that ``path`` ends with (any case), or ``None``."""
    name = Path(path).name.lower()
    return next((end for end in sorted(CSV_COMPRESSIONS, key=len, reverse=True) if name.endswith(end)), None)


def sibling_path(path: Path, tag: str) -> Path:
    """``dir/calls.csv`` (or ``calls.csv.gz``) → ``dir/calls.<tag>.csv``: a file beside ``path``
    named after it."""
    path = Path(path)
    end = csv_ending(path)
    stem = path.name[: -len(end)] if end else path.stem
    return path.with_name(f"{stem}.{tag}.csv")


def quarantine_path_for(path: Path) -> Path:
    """``calls.csv`` → ``calls.quarantine.csv`` in the same folder."""
    return sibling_path(path, "quarantine")


def write_quarantine(result: ReadResult, path: Path) -> Path | None:
    """Write the quarantine table as CSV; nothing (and ``None``) when no row was set aside."""
    if result.quarantined == 0:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    pacsv.write_csv(result.quarantine, path)
    return path


# --------------------------------------------------------------------------- file level


_BREAK = re.compile(r"\r\n|\r|\n")


def _holds_records(text: str, fields: int) -> bool:
    """Whether ``text`` (a value, or a record's raw text) holds whole records after a line break:
    a later line with at least ``fields - 1`` commas. A quote that did not close takes in the
    lines after it like that; a quoted line break inside a value (an address) does not."""
    return any(line.count(",") >= fields - 1 for line in _BREAK.split(text)[1:])


def _run_on_quote(path: Path, codec: str | None, line: int | None = None) -> str:
    """The error for a CSV whose quoted field runs on over the lines after it, naming the line it
    opens on (found again by :func:`~graphfraud.cdr.lines.run_on_line` when not known)."""
    line = line or run_on_line(path, codec)
    where = f"line {line} opens" if line else "a line opens"
    return (f"{path}: {where} a quoted field (\") that does not close on that line, so the lines "
            "after it would be read as part of that field; mend the quote (a field's own quote is "
            "written twice: \"\") and read the file again. Nothing was read")


def _nul_byte(path: Path, codec: str | None, line: int | None) -> str:
    """The error for a CSV holding a NUL byte, naming its line (found again when not known)."""
    line = line or _first_nul_line(path, codec)
    where = f"line {line} holds" if line else "it holds"
    return (f"{path}: {where} a NUL byte (\\0), which is no CSV text (a binary export, or a "
            "broken copy?): a CSV reader cannot tell where such a row ends, and may join it to the "
            "next. Remove it and read the file again. Nothing was read")


def _first_nul_line(path: Path, codec: str | None) -> int | None:
    """The line (1-based; LF, CR or CRLF ends one) of the file's first NUL byte; streamed."""
    line, after_cr = 1, False
    try:
        with pa.input_stream(path, compression=codec) as fh:
            while chunk := fh.read(1 << 22):
                at = chunk.find(b"\x00")
                part = chunk if at < 0 else chunk[:at]
                line += part.count(b"\n") + part.count(b"\r") - part.count(b"\r\n")
                line -= after_cr and part.startswith(b"\n")  # a CRLF across two chunks
                after_cr = part.endswith(b"\r")
                if at >= 0:
                    return line
    except (OSError, ValueError):
        return None
    return None


def _suspect_records(table: pa.Table, columns: list[str], fields: int) -> tuple[int | None, int | None]:
    """Record numbers (``__line`` before it becomes the file's line) of the first row with a NUL
    byte in one of ``columns``, and of the first whose value there holds whole records after a
    line break; ``None`` where there is none. Only a chunk whose data buffer holds such a byte is
    looked into, value by value (the buffer scans: ~0.26 s for 10M rows of six columns)."""
    nul = run_on = None
    for name in columns:
        col = table[name]
        if not pa.types.is_string(col.type):
            continue
        at = 0
        for chunk in col.chunks:
            _, data, _ = string_buffers(chunk)
            if data.size and (data == 0).any():
                has = pc.fill_null(pc.match_substring(chunk, "\x00"), False)
                hits = np.flatnonzero(has.to_numpy(zero_copy_only=False))
                if hits.size:
                    record = int(table["__line"][at + int(hits[0])].as_py())
                    nul = record if nul is None else min(nul, record)
            if data.size and ((data == 10) | (data == 13)).any():
                has = pc.or_(pc.match_substring(chunk, "\n"), pc.match_substring(chunk, "\r"))
                idx = np.flatnonzero(pc.fill_null(has, False).to_numpy(zero_copy_only=False))
                for i, value in zip(idx.tolist(), chunk.take(pa.array(idx)).to_pylist(), strict=True):
                    if _holds_records(value, fields):
                        record = int(table["__line"][at + i].as_py())
                        run_on = record if run_on is None else min(run_on, record)
                        break
            at += len(chunk)
    return nul, run_on


def _line_of(path: Path, codec: str | None, records: list[int], n_records: int = 0) -> int | None:
    """The file's line of the first of ``records`` (record numbers; -1: not known), or ``None``."""
    known = [r for r in records if r > 0]
    if not known:
        return None
    lines = physical_lines(path, codec, np.array([min(known)]), n_records)
    return None if lines is None else int(lines[0])


def _csv_header(path: Path, codec: str | None) -> list[str]:
    """The column names on the first line of a CSV compressed with ``codec`` (``None``: plain), as
    written (padding kept, as Arrow keeps it); a UTF-8 byte-order mark before them is dropped, as
    Arrow drops it from the data."""
    try:
        with pa.input_stream(path, compression=codec) as fh:
            head = fh.read(HEADER_BYTES)
        if head.startswith(b"PAR1"):
            raise InputFileError(f"{path}: is a Parquet file named as a CSV; name it .parquet")
        first = re.split(rb"\r\n|\r|\n", head, maxsplit=1)[0].decode("utf-8-sig")
    except (OSError, ValueError) as exc:  # unreadable, a broken archive, not UTF-8
        raise InputFileError(f"{path}: cannot read the file ({exc})") from exc
    if not first.strip():
        raise InputFileError(f"{path}: the file is empty (expected a CSV header line)")
    try:
        return next(csv.reader([first]))
    except csv.Error as exc:  # a name over csv's field size limit, say
        raise InputFileError(f"{path}: cannot read the header line ({exc})") from exc


def _read_raw(path: Path, required: tuple[str, ...], optional: tuple[str, ...]) -> tuple[pa.Table, pa.Table]:
    """Read the columns we need, as they are (strings for CSV), with a ``__line`` column.

    Also returns the quarantine rows of lines Arrow could not even split into fields.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: is a folder, not a file" if path.is_dir() else f"{path}: no such file")
    suffix = "".join(path.suffixes[-1:]).lower()
    ending = csv_ending(path)
    bad_shape: list[tuple[int, str, str]] = []
    if ending:
        codec = CSV_COMPRESSIONS[ending]
        written = _csv_header(path, codec)
        header = [c.strip() for c in written]  # padded names are found by their words
        _require(path, header, required)
        twice = sorted({c for c in header if c in (*required, *optional) and header.count(c) > 1})
        if twice:
            raise InputFileError(f"{path}: column(s) {', '.join(twice)} appear more than once in the "
                                 "header; keep one of each")  # fmt: skip
        wanted = [c for c in (*required, *optional) if c in header]
        run_on: list[int] = []  # set when a record ran on over several lines
        nul: list[int] = []  # set when a record held a NUL byte

        def _on_invalid(row: pacsv.InvalidRow) -> str:
            line = -1 if row.number is None else row.number
            if "\x00" in row.text:  # Arrow may not end a row after a NUL: rows out of step
                nul.append(line)
                return "error"
            if ("\n" in row.text or "\r" in row.text) and _holds_records(row.text, len(written)):
                # A quoted field ran on over the lines after it: the file's rows are out of step
                # from there on (an unclosed quote), not one bad row. Stop reading.
                run_on.append(line)
                return "error"
            bad_shape.append(
                (line, f"expected {row.expected_columns} fields, got {row.actual_columns}", row.text)
            )
            return "skip"

        def _read(use_threads: bool, text: pa.DataType) -> pa.Table:
            bad_shape.clear()
            return pacsv.read_csv(
                # Arrow would pick the codec by the ending too, but only in lower case.
                path if codec is None else pa.input_stream(path, compression=codec),
                read_options=pacsv.ReadOptions(use_threads=use_threads, block_size=1 << 24),
                # Quote-aware blocks: without this, Arrow's threaded reader cuts blocks at any
                # newline, and a field that opens a quote and never closes it made it drop the
                # rest of its 16 MB block without a word (230k of 600k rows, pyarrow 22).
                parse_options=pacsv.ParseOptions(invalid_row_handler=_on_invalid,
                                                 newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types={c: text for c in written},
                    include_columns=[written[header.index(c)] for c in wanted],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )

        def _read_all(text: pa.DataType) -> pa.Table:
            table = _read(True, text)
            if any(line < 0 for line, _, _ in bad_shape):
                # Threaded parsing cannot number skipped rows; a single-threaded re-read can.
                table = _read(False, text)
            return table

        try:
            try:
                table = _read_all(pa.string())
            except pa.ArrowInvalid as exc:
                if "UTF8" not in str(exc):
                    raise
                # A byte that is not UTF-8 (a Latin-1 export, say): read bytes, set its rows aside.
                table = _read_all(pa.binary())
        except (pa.ArrowInvalid, pa.ArrowKeyError, OSError) as exc:
            if nul:
                raise InputFileError(_nul_byte(path, codec, _line_of(path, codec, nul))) from None
            # "straddling object": a quoted field longer than a block, the same fault.
            if run_on or "straddl" in str(exc):
                raise InputFileError(_run_on_quote(path, codec, _line_of(path, codec, run_on))) from None
            raise InputFileError(f"{path}: not a readable CSV file ({exc})") from exc
        table = table.rename_columns(wanted)
        # Header is record 1, so data row i is record i + 2 (read_calls turns the quarantine's
        # record numbers into lines).
        first_line = 2
    elif suffix == ".parquet":
        try:
            schema = pq.read_schema(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise InputFileError(f"{path}: not a readable Parquet file ({exc})") from exc
        _require(path, schema.names, required)
        wanted = [c for c in (*required, *optional) if c in schema.names]
        table = pq.read_table(path, columns=wanted)
        first_line = 1  # Parquet has no header line: "line" is the 1-based row number
    else:
        raise InputFileError(f"{path}: unknown file type {suffix!r} (expected {', '.join(CSV_COMPRESSIONS)} "
                             "or .parquet)")  # fmt: skip
    lines = np.arange(first_line, first_line + len(table) + len(bad_shape), dtype=np.int64)
    if bad_shape:
        lines = np.setdiff1d(lines, [line for line, _, _ in bad_shape], assume_unique=True)
    table = table.append_column("__line", pa.array(lines))
    if ending:  # a value that took in whole records: a quote that never closed, and all of it
        n_records = 1 + len(table) + len(bad_shape)  # the header too
        nul, run_on_at = _suspect_records(table, wanted, len(written))
        if nul is not None:
            raise InputFileError(_nul_byte(path, codec, _line_of(path, codec, [nul], n_records)))
        if run_on_at is not None:
            raise InputFileError(_run_on_quote(path, codec, _line_of(path, codec, [run_on_at], n_records)))
    if any(pa.types.is_binary(f.type) for f in table.schema):
        table, not_text = _text_rows(table)
        bad_shape.extend(not_text)
    malformed = pa.Table.from_pylist(
        [{"line": line, "reason": reason, "raw": raw} for line, reason, raw in bad_shape],
        schema=QUARANTINE_SCHEMA,
    )
    return table, malformed


def _text_rows(table: pa.Table) -> tuple[pa.Table, list[tuple[int, str, str]]]:
    """``table`` (bytes columns) without its rows that are not UTF-8 text, as text, and those rows
    for the quarantine: ``(line, reason, raw)``, the raw row with its odd bytes as ``\\xNN``."""
    columns = [c for c in table.column_names if c != "__line"]
    odd: dict[int, str] = {}  # row -> its first column that is not UTF-8
    for name in columns:
        for offset, chunk in zip(np.cumsum([0] + [len(c) for c in table[name].chunks]),
                                 table[name].chunks, strict=False):  # fmt: skip
            try:
                chunk.cast(pa.string())
            except pa.ArrowInvalid:  # only a chunk that fails is looked at value by value
                for i, value in enumerate(chunk.to_pylist()):
                    if value is not None and not _is_utf8(value):
                        odd.setdefault(int(offset) + i, name)
    rows = []
    for i in sorted(odd):
        row = table.slice(i, 1).to_pylist()[0]
        raw = ",".join((row[c] or b"").decode("utf-8", "backslashreplace") for c in columns)
        rows.append((row["__line"], f"{odd[i]} is not UTF-8 text", raw))
    bad = np.zeros(table.num_rows, np.bool_)
    bad[list(odd)] = True
    kept = table.filter(pa.array(~bad)) if odd else table
    text = pa.table({c: kept[c].cast(pa.string()) if pa.types.is_binary(kept[c].type) else kept[c]
                     for c in kept.column_names})  # fmt: skip
    return text, rows


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _require(path: Path, present: list[str], required: tuple[str, ...]) -> None:
    missing = [c for c in required if c not in present]
    if missing:
        # A first line of data (no header) would name phone numbers: those are not repeated.
        found = ("a first line that looks like data, not a header" if any(_DIGITS.search(c) for c in present)
                 else ", ".join(present) or "none")  # fmt: skip
        raise InputFileError(
            f"{path}: missing required column(s) {', '.join(missing)}; "
            f"found {found}; expected {', '.join(required)}"
        )


# --------------------------------------------------------------------------- row level


def _raw_rows(table: pa.Table, columns: list[str]) -> pa.ChunkedArray:
    parts = [pc.fill_null(pc.cast(table[c], pa.string()), "") for c in columns]
    return pc.binary_join_element_wise(*parts, ",")


def _first_reason(checks: list[tuple[pa.ChunkedArray, str]], n: int) -> pa.ChunkedArray:
    """For each row, the first failing check's reason (null when all pass)."""
    reasons = [pc.if_else(bad, pa.scalar(text), pa.scalar(None, pa.string())) for bad, text in checks]
    return pc.coalesce(*reasons) if reasons else pa.chunked_array([pa.nulls(n, pa.string())])


def _missing(col: pa.ChunkedArray) -> pa.ChunkedArray:
    if pa.types.is_string(col.type):
        return pc.or_kleene(pc.is_null(col), pc.equal(pc.utf8_trim_whitespace(col), ""))
    return pc.is_null(col)


def _split(
    table: pa.Table,
    reasons: pa.ChunkedArray | None,
    clean: pa.Table,
    raw_columns: list[str],
    malformed: pa.Table | None,
) -> ReadResult:
    """Accepted rows and the quarantine; ``reasons`` ``None`` means every row passed."""
    if reasons is None:
        quarantine, accepted = QUARANTINE_SCHEMA.empty_table(), clean
    else:
        bad = pc.is_valid(reasons)
        quarantine = pa.table(
            {
                "line": pc.filter(table["__line"], bad),
                "reason": pc.filter(reasons, bad),
                "raw": _raw_rows(pc.filter(table, bad), raw_columns),
            },
            schema=QUARANTINE_SCHEMA,
        )
        accepted = pc.filter(clean, pc.invert(bad)) if pc.any(bad).as_py() else clean
    if malformed is not None and malformed.num_rows:
        quarantine = pa.concat_tables([quarantine, malformed]).sort_by("line")
    return ReadResult(table=accepted, quarantine=quarantine)


def _number_checks(raw: pa.ChunkedArray, ok: pa.ChunkedArray, name: str) -> list:
    """The checks of a number column: a number written as a decimal says so (a float column of a
    spreadsheet or of pandas, whose ``.0`` must not become a digit), else it is not a number."""
    bad = pc.invert(ok)
    checks = [(bad, f"{name} is not a phone number (digits, at most 15)")]
    if pa.types.is_string(raw.type) and pc.any(bad).as_py():
        decimal = pc.and_(bad, pc.fill_null(pc.match_substring_regex(raw, DECIMAL), False))
        checks.insert(0, (decimal, f"{name} is written as a decimal number (…0.0, a spreadsheet's "
                                   "float?): write phone numbers as text"))  # fmt: skip
    return checks


def _over_limit(durations: pa.ChunkedArray) -> pa.ChunkedArray:
    """Where integer durations exceed :data:`_MAX_DURATION_S`, compared in the column's own type
    (a uint64 may hold values no int64 can; an int8 cannot hold the limit, so none exceeds it)."""
    try:
        limit = pa.scalar(_MAX_DURATION_S, durations.type)
    except (pa.ArrowInvalid, OverflowError):
        return pa.chunked_array([pa.array(np.zeros(len(durations), np.bool_))], pa.bool_())
    return pc.fill_null(pc.greater(durations, limit), False)


def validate_calls(table: pa.Table, malformed: pa.Table | None = None) -> ReadResult:
    """Validate and normalise raw call rows (a table with the contract's columns and ``__line``)."""
    n = table.num_rows
    caller, caller_ok = normalize_numbers(table["caller"])
    callee, callee_ok = normalize_numbers(table["callee"])
    start = parse_start_times(table["start_time"])
    dur_raw = table["duration_s"]
    too_long = None  # a typed value over the limit, or text of more than nine digits
    if pa.types.is_integer(dur_raw.type):  # typed (Parquet)
        too_long = _over_limit(dur_raw)
        duration = pc.cast(pc.if_else(too_long, pa.scalar(0, dur_raw.type), dur_raw), pa.int64())
    elif (fast := clean_int_column(dur_raw, 9)) is not None:
        duration = fast
    else:
        dur_str = pc.utf8_trim_whitespace(pc.cast(dur_raw, pa.string()))
        dur_is_int = pc.fill_null(pc.match_substring_regex(dur_str, r"^-?[0-9]{1,9}$"), False)
        duration = pc.cast(pc.if_else(dur_is_int, dur_str, pa.scalar(None, pa.string())), pa.int64())
        too_long = pc.fill_null(pc.match_substring_regex(dur_str, r"^0*[1-9][0-9]{9,}$"), False)
    negative = pc.fill_null(pc.less(duration, 0), False)
    out_of_range = pc.fill_null(
        pc.or_(pc.less(start, START_RANGE[0]), pc.greater_equal(start, START_RANGE[1])), False
    )
    # A missing value always fails its value check too, so when no value check fails no row is
    # bad and the per-row reasons (the costly part on a clean file) need not be built.
    value_checks = [
        *_number_checks(table["caller"], caller_ok, "caller"),
        *_number_checks(table["callee"], callee_ok, "callee"),
        (pc.is_null(start), "start_time is neither ISO 8601 with an offset nor epoch seconds"),
        (out_of_range, f"start_time is outside {START_RANGE_TEXT}"),
    ]
    if too_long is not None:  # before the check it also fails: its value was not read
        value_checks.append((too_long, f"duration_s is over {_MAX_DURATION_S:,} seconds"))
    value_checks += [
        (pc.is_null(duration), "duration_s is not a whole number of seconds"),
        (negative, "duration_s is negative"),
    ]
    reasons = None
    if any(pc.any(bad).as_py() for bad, _ in value_checks):
        missing = [(_missing(table[c]), f"missing {c}") for c in CALL_REQUIRED]
        reasons = _first_reason(missing + value_checks, n)

    def _optional(name: str) -> pa.ChunkedArray:
        if name not in table.column_names:
            return pa.chunked_array([pa.nulls(n, pa.string())])
        col = pc.cast(table[name], pa.string())
        if padding_free_column(col):  # nothing to trim, no empty string to null
            return col
        col = pc.utf8_trim_whitespace(col)
        return pc.if_else(pc.equal(col, ""), pa.scalar(None, pa.string()), col)

    clean = pa.table(
        {
            "caller": caller,
            "callee": callee,
            "start": pc.fill_null(start, 0),
            "duration_s": pc.cast(pc.fill_null(pc.max_element_wise(duration, 0), 0), pa.int32()),
            "cell_id": _optional("cell_id"),
            "imei": _optional("imei"),
        },
        schema=CALLS_SCHEMA,
    )
    raw_columns = [c for c in (*CALL_REQUIRED, *CALL_OPTIONAL) if c in table.column_names]
    return _split(table, reasons, clean, raw_columns, malformed)


def validate_subscribers(table: pa.Table, malformed: pa.Table | None = None) -> ReadResult:
    """Validate subscriber rows: a valid number and an ISO date ``activated_on``."""
    number, number_ok = normalize_numbers(table["number"])
    act = table["activated_on"]
    if pa.types.is_date(act.type):
        activated = pc.cast(act, pa.date32())
    elif pa.types.is_timestamp(act.type):
        activated = pc.cast(pc.cast(act, pa.timestamp("s")), pa.date32())
    else:
        act_str = pc.utf8_trim_whitespace(pc.cast(act, pa.string()))
        is_date = pc.fill_null(pc.match_substring_regex(act_str, r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"), False)
        ts = pc.strptime(
            pc.if_else(is_date, act_str, pa.scalar(None, pa.string())),
            format="%Y-%m-%d",
            unit="s",
            error_is_null=True,
        )
        activated = pc.cast(ts, pa.date32())
    checks = [
        (_missing(table["number"]), "missing number"),
        *_number_checks(table["number"], number_ok, "number"),
        (pc.is_null(activated), "activated_on is not an ISO date (YYYY-MM-DD)"),
    ]
    reasons = _first_reason(checks, table.num_rows)
    clean = pa.table(
        {"number": number, "activated_on": pc.fill_null(activated, 0)}, schema=SUBSCRIBERS_SCHEMA
    )
    return _split(table, reasons, clean, list(SUBSCRIBER_REQUIRED), malformed)


def read_calls(path: Path | str) -> ReadResult:
    """Read and validate a calls file (CSV or Parquet). Writes nothing."""
    return _on_lines(Path(path), validate_calls(*_read_raw(Path(path), CALL_REQUIRED, CALL_OPTIONAL)))


def read_subscribers(path: Path | str) -> ReadResult:
    """Read and validate a subscribers file (CSV or Parquet). Writes nothing.

    A number listed more than once (a recycled number: the previous owner's subscription, then
    the new one's) keeps its latest activation date, the one of whoever holds it now.
    """
    result = _on_lines(Path(path), validate_subscribers(*_read_raw(Path(path), SUBSCRIBER_REQUIRED, ())))
    return _latest_activations(result)


def _latest_activations(result: ReadResult) -> ReadResult:
    table = result.table
    if pc.count_distinct(table["number"]).as_py() == table.num_rows:
        return result
    # One row a number, in order of first appearance, with its latest date.
    latest = table.group_by("number", use_threads=False).aggregate([("activated_on", "max")])
    latest = pa.table({"number": latest["number"], "activated_on": latest["activated_on_max"]},
                      schema=SUBSCRIBERS_SCHEMA)  # fmt: skip
    return ReadResult(table=latest, quarantine=result.quarantine,
                      superseded=table.num_rows - latest.num_rows)  # fmt: skip


def _on_lines(path: Path, result: ReadResult) -> ReadResult:
    """``result`` with its quarantine's record numbers turned into the CSV file's lines (they differ
    after an empty line or a quoted field that spans lines; :mod:`graphfraud.cdr.lines`)."""
    ending = csv_ending(path)
    if not result.quarantined or ending is None:
        return result
    records = 1 + result.accepted + result.quarantined  # the header too
    lines = physical_lines(path, CSV_COMPRESSIONS[ending], result.quarantine["line"].to_numpy(), records)
    if lines is None:  # cannot happen for a file Arrow just read; the record numbers stay
        return result
    quarantine = result.quarantine.set_column(0, "line", pa.array(lines))
    return ReadResult(table=result.table, quarantine=quarantine)
