#!/usr/bin/python3
"""POT's exact EMD (ot.emd2, network simplex) in a Python loop over a batch, the way one uses it for a batch
of soft targets: the baseline for TransportBenchmarks (benchmarks/README.md). Same sizes and data as the C#
benchmark: B = 256 rows, C classes, predictions softmax of N(0, 2^2) logits, targets discretised Gaussians
(sigma = 1.5 classes) around random classes; D = |i - j|, |i - j|^2, and Euclidean between random points in
8 dimensions.

    /usr/bin/python3 benchmarks/pot_emd2_loop.py > benchmarks/pot_emd2_loop.txt

Prints, per size and distance, the best of 5 repeats of the whole loop (timeit), in milliseconds.
"""
import platform
import timeit

import numpy as np
import ot
from scipy.spatial.distance import cdist

rng = np.random.default_rng(1)
BATCH = 256


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


print(f"# ot.emd2 looped over {BATCH} rows; best of 5 (timeit); POT {ot.__version__}, NumPy {np.__version__}, Python {platform.python_version()}")
print("| C | D | ms per batch | us per row |")
print("|---:|---|---:|---:|")
for c in [5, 10, 20, 50, 100]:
    p = softmax(rng.normal(0.0, 2.0, size=(BATCH, c)))
    k = np.arange(c, dtype=float)
    centres = rng.integers(0, c, size=BATCH)
    t = softmax(-0.5 * ((k[None, :] - centres[:, None]) / 1.5) ** 2)
    points = rng.normal(size=(c, 8))
    distances = {
        "|i-j|": np.abs(k[:, None] - k[None, :]),
        "|i-j|^2": (k[:, None] - k[None, :]) ** 2,
        "Euclidean": cdist(points, points),
    }
    for name, d in distances.items():
        best = min(timeit.repeat(lambda: [ot.emd2(p[i], t[i], d) for i in range(BATCH)], number=1, repeat=5))
        print(f"| {c} | {name} | {best * 1e3:.2f} | {best / BATCH * 1e6:.1f} |", flush=True)
