"""Connected components of a small edge list, in numpy."""

from __future__ import annotations

import numpy as np

__all__ = ["component_labels"]


def component_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected-component label of each node ``0..n-1`` under the edges ``(a[i], b[i])``: the
    smallest node id of its component. Min-propagation with pointer jumping, for few edges.

    >>> component_labels(5, np.array([3, 1]), np.array([4, 3])).tolist()
    [0, 1, 2, 1, 1]
    """
    label = np.arange(n)
    while a.size:
        lo = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, lo)
        np.minimum.at(new, b, lo)
        new = new[new]  # pointer jumping
        if np.array_equal(new, label):
            break
        label = new
    return label
