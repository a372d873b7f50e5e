"""Keyed pseudonymisation of phone numbers, and redaction for logs.

Phone numbers are personal data. With a key (``GRAPHFRAUD_PSEUDONYM_KEY``) every number becomes
``x`` + 24 hex digits of HMAC-SHA256(key, number): stable across runs and machines for the same
key, not reversible without it, and 96 bits wide so collisions are negligible. Tokens keep no
numeric order, so the consecutive-number signal is computed on raw numbers before tokens are
written (``ingest --pseudonymize``, ``score --pseudonymize``; see the README's "Privacy").
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from graphfraud.errors import ConfigError

if TYPE_CHECKING:
    from pydantic import SecretStr

__all__ = ["TOKEN_PATTERN", "Pseudonymizer", "redact", "redact_text"]

TOKEN_PATTERN = re.compile(r"^x[0-9a-f]{24}\Z")  # \Z: "$" would also match before a final "\n"


class Pseudonymizer:
    """Maps numbers to keyed tokens. Work is done once per distinct number."""

    def __init__(self, key: str | bytes) -> None:
        if not key:
            raise ConfigError("pseudonymisation needs a key: set GRAPHFRAUD_PSEUDONYM_KEY")
        self._key = key.encode() if isinstance(key, str) else key
        if len(self._key) < 16:
            raise ConfigError("GRAPHFRAUD_PSEUDONYM_KEY must be at least 16 characters")

    @classmethod
    def from_secret(cls, key: SecretStr | None) -> Pseudonymizer:
        """The pseudonymizer of a configured key (``settings.pseudonym_key``); a missing or short
        key is a :class:`~graphfraud.errors.ConfigError`."""
        return cls(key.get_secret_value() if key is not None else "")

    def token(self, number: str) -> str:
        """The token of one number.

        >>> Pseudonymizer("a-key-of-16-chars").token("13800138000")[:1]
        'x'
        """
        return "x" + hmac.new(self._key, number.encode(), hashlib.sha256).hexdigest()[:24]

    def tokens(self, numbers: pa.Array | pa.ChunkedArray) -> pa.Array:
        """Tokens for a column of numbers (nulls stay null)."""
        if isinstance(numbers, pa.ChunkedArray):
            numbers = numbers.combine_chunks()
        enc = pc.dictionary_encode(numbers)
        mapped = pa.array([self.token(v) for v in enc.dictionary.to_pylist()], pa.string())
        return pc.take(mapped, enc.indices)

    def list_tokens(self, lists: pa.ListArray | pa.ChunkedArray) -> pa.Array:
        """Tokens for a column of lists of numbers: each list keeps its length and order.

        >>> p = Pseudonymizer("a-key-of-16-chars")
        >>> out = p.list_tokens(pa.array([["13800138000", "13900000001"], []]))
        >>> [len(v) for v in out.to_pylist()], out[0][0].as_py() == p.token("13800138000")
        ([2, 0], True)
        """
        if isinstance(lists, pa.ChunkedArray):
            lists = lists.combine_chunks()
        offsets = pc.subtract(lists.offsets, lists.offsets[0])  # a sliced array's start at 0
        return pa.ListArray.from_arrays(offsets, self.tokens(lists.flatten()), mask=lists.is_null())


_NUMBER_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{6,15}(?![0-9])")


def redact_text(text: str) -> str:
    """``text`` with every phone-number-like run of digits redacted (for log lines, URLs).

    >>> redact_text("GET /v1/numbers/13800138000/risk")
    'GET /v1/numbers/138******00/risk'
    """
    return _NUMBER_IN_TEXT.sub(lambda m: redact(m.group(0)), text)


def redact(number: str) -> str:
    """A number safe for logs: the first three and last two digits only.

    >>> redact("13800138000")
    '138******00'
    """
    if len(number) <= 5:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]
