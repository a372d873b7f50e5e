"""Call records in: read with Arrow, validate, normalise, quarantine bad rows."""

from graphfraud.cdr.normalize import normalize_number, normalize_numbers
from graphfraud.cdr.reader import (
    QUARANTINE_SCHEMA,
    ReadResult,
    quarantine_path_for,
    read_calls,
    read_subscribers,
    validate_calls,
    validate_subscribers,
    write_quarantine,
)
from graphfraud.cdr.schema import CALLS_SCHEMA, SUBSCRIBERS_SCHEMA

__all__ = [
    "CALLS_SCHEMA",
    "QUARANTINE_SCHEMA",
    "SUBSCRIBERS_SCHEMA",
    "ReadResult",
    "normalize_number",
    "normalize_numbers",
    "quarantine_path_for",
    "read_calls",
    "read_subscribers",
    "validate_calls",
    "validate_subscribers",
    "write_quarantine",
]
