"""Fixtures of the call-record tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest


def _pack(plain: Path, ending: str) -> Path:
    """``plain`` compressed as ``ending`` says (.csv.gz, .csv.bz2, .csv.zst, any case), beside it."""
    codec = {"gz": "gzip", "bz2": "bz2", "zst": "zstd"}[ending.lower().rsplit(".", 1)[1]]
    packed = plain.with_name(plain.name.removesuffix(".csv") + ending)
    with pa.output_stream(packed, compression=codec) as fh:
        fh.write(plain.read_bytes())
    return packed


@pytest.fixture
def pack() -> Callable[[Path, str], Path]:
    """A function compressing a plain file into ``<stem><ending>`` beside it (see :func:`_pack`)."""
    return _pack
