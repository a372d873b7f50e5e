"""Numba kernels: functions over NumPy arrays only (no Arrow, no pandas, no Python objects).

Importing this package also spares Numba its BLAS probe. The first time Numba compiles or loads
any kernel it imports ``numba.np.arraymath``, which checks for a BLAS by importing
``scipy.linalg`` (0.2-0.3 s on our machines, on the critical path of every ``score``). No kernel
here uses BLAS, and the probe only picks how ``np.convolve``/``np.correlate`` take inner products
(with a plain loop when it fails); ``np.dot`` and ``np.linalg`` look for scipy again when a kernel
uses them. So the probe is run once with ``scipy.linalg.cython_blas`` hidden, and everything
else, scikit-learn's own scipy imports included, sees scipy as it is.
"""

import sys


def _skip_blas_probe() -> None:
    probe, hidden = "numba.np.arraymath", "scipy.linalg.cython_blas"
    if probe in sys.modules or hidden in sys.modules:
        return  # already probed, or scipy.linalg is loaded anyway: nothing to save
    sys.modules[hidden] = None  # type: ignore[assignment]  # `import` of it raises ImportError
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        del sys.modules[hidden]


_skip_blas_probe()
