"""cdr.inflate: a compressed file's lines in chunks, decompressed on a thread."""

from __future__ import annotations

import gzip
import threading
from pathlib import Path

import pyarrow as pa
import pytest

from graphfraud.cdr.inflate import inflated_lines


def _lines(n: int) -> bytes:
    return b"".join(b"%d,%s\n" % (i, b"x" * (i % 23)) for i in range(n))


def _threads() -> set[str]:
    return {t.name for t in threading.enumerate() if t.name == "graphfraud-inflate"}


@pytest.mark.parametrize("codec", ["gzip", "bz2", "zstd"])
@pytest.mark.parametrize("chunk", [1, 50, 4096])
def test_chunks_are_whole_lines_that_join_to_the_file(tmp_path: Path, monkeypatch, codec: str,
                                                      chunk: int) -> None:  # fmt: skip
    monkeypatch.setattr("graphfraud.cdr.inflate.CHUNK_BYTES", chunk)
    raw = _lines(3000) + b"last line without a newline"
    path = tmp_path / "f.csv.x"
    with pa.output_stream(path, compression=codec) as fh:
        fh.write(raw)
    with inflated_lines(path, codec) as chunks:
        got = list(chunks)
    assert all(c is not None and not c.flags.writeable for c in got)
    assert all(c[-1] == ord("\n") for c in got[:-1]) and bytes(got[-1]).endswith(b"newline")
    assert b"".join(bytes(c) for c in got) == raw
    assert len(got) > 1
    assert not _threads()


def test_gzip_members_one_after_another_read_as_one_file(tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"  # what `cat a.gz b.gz` makes; gzip reads it as a + b
    path.write_bytes(gzip.compress(_lines(100)) + gzip.compress(_lines(50)))
    with inflated_lines(path, "gzip") as chunks:
        assert b"".join(bytes(c) for c in chunks) == _lines(100) + _lines(50)


def test_a_broken_archive_or_a_huge_line_ends_with_none(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("graphfraud.cdr.inflate.CHUNK_BYTES", 4096)
    packed = gzip.compress(_lines(5000))
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    with inflated_lines(cut, "gzip") as chunks:
        got = list(chunks)
    assert got[-1] is None and all(c is not None for c in got[:-1])
    monkeypatch.setattr("graphfraud.cdr.inflate._LINE_LIMIT", 10_000)
    long = tmp_path / "long.csv.gz"
    long.write_bytes(gzip.compress(_lines(10) + b"y" * 50_000 + b"\n" + _lines(10)))
    with inflated_lines(long, "gzip") as chunks:
        got = list(chunks)
    assert got[-1] is None
    assert b"".join(bytes(c) for c in got[:-1]) == _lines(10)


def test_leaving_early_stops_the_thread(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("graphfraud.cdr.inflate.CHUNK_BYTES", 64)
    path = tmp_path / "f.csv.gz"
    path.write_bytes(gzip.compress(_lines(20_000)))
    with inflated_lines(path, "gzip") as chunks:
        assert next(chunks) is not None
        assert _threads()
    assert not _threads()
