"""Freed arrays' pages are reused after keep_freed_memory (checked in a fresh process: it is global)."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import resource, sys
import numpy as np
from graphfraud.memory import keep_freed_memory

if sys.argv[1] == "keep":
    assert keep_freed_memory()

def faults_of_one_array() -> int:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(64 * 2**20 // 8)  # 64 MiB, over glibc's largest mmap threshold
    del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults_of_one_array()
print(faults_of_one_array())
"""


def _second_array_faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def test_a_second_array_reuses_the_first_ones_pages() -> None:
    default, kept = _second_array_faults("default"), _second_array_faults("keep")
    assert default >= 32  # 64 MiB faulted in again (at least 32 faults of 2 MiB huge pages)
    assert kept < default / 10, (default, kept)
