"""graphfraud.kernels on import: Numba's BLAS probe is skipped, and nothing else changes."""

from __future__ import annotations

import subprocess
import sys

_SCRIPT = """
import sys
import numpy as np
import graphfraud.kernels
from graphfraud.kernels.csvscan import text_key
assert text_key(np.frombuffer(b"13800138000", np.uint8), 0, 11) == 11 * 10**15 + 13800138000
assert "scipy.linalg" not in sys.modules, "the kernels' first load imported scipy.linalg"
import numba
@numba.njit
def dot(a, b):
    return np.dot(a, b)
assert dot(np.arange(3.0), np.arange(3.0)) == 5.0  # BLAS is still found when a kernel needs it
from sklearn.metrics import adjusted_rand_score
assert adjusted_rand_score([0, 0, 1], [1, 1, 0]) == 1.0
print("ok")
"""


def test_kernels_load_without_scipy_linalg_and_blas_still_works() -> None:
    # A fresh interpreter: the test session has scipy.linalg loaded already.
    run = subprocess.run([sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "ok"
