"""What a command does with the rows it set aside: one quarantine file per input, never stale, and
a file none of whose rows is valid refused as a wrong file (its rows and reasons kept)."""

from __future__ import annotations

from pathlib import Path

from graphfraud.cdr.reader import ReadResult, write_quarantine
from graphfraud.errors import InputFileError, OutputFileError

__all__ = ["refuse_if_all_quarantined", "replace_quarantine"]


def replace_quarantine(read: ReadResult | None, path: Path) -> Path | None:
    """This run's bad rows of one input at ``path``; a file left there by an earlier run whose
    rows this run did not set aside is removed, so the folder never shows stale bad rows."""
    written = write_quarantine(read, path) if read is not None else None
    if written is None:
        path.unlink(missing_ok=True)
    return written


def refuse_if_all_quarantined(source: Path, read: ReadResult | None, path: Path | None,
                              what: str = "call") -> None:  # fmt: skip
    """When ``source`` has rows and not one is a valid ``what`` (a call, a subscriber), it is a
    wrong file: its rows go to the quarantine at ``path`` (which says why, row by row), nothing
    else is written, and InputFileError says so. Otherwise (no file read, a valid row, or only a
    header) nothing happens."""
    if read is None or path is None or read.accepted or not read.quarantined:
        return
    try:
        write_quarantine(read, path)
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write the quarantine ({exc})") from exc
    first = read.quarantine.slice(0, 1).to_pylist()[0]
    raise InputFileError(f"{source}: none of its {read.quarantined:,} rows is a valid {what} "
                         f"(line {first['line']}: {first['reason']}); "
                         f"the rows and reasons are in {path}")  # fmt: skip
