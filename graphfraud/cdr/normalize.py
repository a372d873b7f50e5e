"""Vectorised phone-number normalisation (Arrow compute, no Python loop per row).

Spaces, dashes, dots and brackets are dropped and a leading ``+86`` / ``0086`` country code is
stripped; what remains must be 1 to 15 digits. A number written as a decimal (``…0.0``) is not
one: its dot is no separator.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.cdr.fastpath import clean_digit_column
from graphfraud.cdr.schema import MAX_NUMBER_DIGITS

__all__ = ["DECIMAL", "normalize_number", "normalize_numbers"]

_CLEAN = rf"^[0-9]{{1,{MAX_NUMBER_DIGITS}}}$"
_SEPARATORS = r"[\s\-\.\(\)]"
_COUNTRY = r"^(?:\+86|0086)(.+)$"  # the code goes when something follows it
#: A number written as a decimal (``13800138000.0``, a spreadsheet's or pandas' float): its dot is
#: no separator, and dropping it would make another valid number.
DECIMAL = r"^\s*\+?[0-9]+\.0+\s*$"


def normalize_numbers(raw: pa.Array | pa.ChunkedArray) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """Normalise a column of phone numbers.

    Returns ``(numbers, ok)``: the normalised strings and a boolean mask that is false where the
    value is missing or not a valid number after normalisation.

    >>> n, ok = normalize_numbers(pa.array(["+86 138-0013-8000", "12a"]))
    >>> n.to_pylist()[0], ok.to_pylist()
    ('13800138000', [True, False])
    """
    if not isinstance(raw, pa.ChunkedArray):
        raw = pa.chunked_array([raw])
    if not pa.types.is_string(raw.type) and not pa.types.is_large_string(raw.type):
        raw = pc.cast(raw, pa.string())
    # Digits that start with 0086 are not clean either: the country code goes (when more follows).
    coded = pc.fill_null(pc.starts_with(raw, "0086"), False)
    if clean_digit_column(raw, MAX_NUMBER_DIGITS) and not pc.any(coded).as_py():  # no regex rewrite
        return raw, pa.chunked_array([pa.array(np.ones(len(raw), np.bool_))], pa.bool_())
    already_clean = pc.and_(pc.fill_null(pc.match_substring_regex(raw, _CLEAN), False), pc.invert(coded))
    if pc.all(already_clean).as_py():
        return raw, already_clean
    # Only the dirty tail pays for the regex rewrite.
    stripped = pc.replace_substring_regex(raw, _SEPARATORS, "")
    stripped = pc.replace_substring_regex(stripped, _COUNTRY, r"\1")
    numbers = pc.if_else(already_clean, raw, stripped)
    ok = pc.fill_null(pc.match_substring_regex(numbers, _CLEAN), False)
    decimal = pc.fill_null(pc.match_substring_regex(raw, DECIMAL), False)
    return numbers, pc.and_(ok, pc.invert(decimal))


def normalize_number(raw: str) -> str | None:
    """Normalise one number (for API paths and tests); ``None`` when it is not a valid number."""
    numbers, ok = normalize_numbers(pa.array([raw], pa.string()))
    return numbers[0].as_py() if ok[0].as_py() else None
