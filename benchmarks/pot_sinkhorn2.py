#!/usr/bin/python3
"""POT's ot.sinkhorn2 (method 'sinkhorn_log' and plain 'sinkhorn') looped over the rows of a batch: the baseline for
SinkhornBenchmarks (benchmarks/README.md, "Sinkhorn against POT"). The batches are the ones the C# benchmark
builds, from formulas rather than a random generator so that both sides see identical numbers:

    logits   z[i, k] = 3 sin(12.9898 (i + 1) + 78.233 (k + 1))       (i < B rows, k < C classes)
    targets  t[i, k] ~ exp(-(k - c_i)^2 / (2 * 1.5^2)), c_i = 7 i mod C, each row normalised
    D        |i - j|,  eps = 0.1 (C - 1) = 0.1 max D,  numItermax 1000,  stopThr 1e-9 (POT's defaults)

p = softmax(z) per row, float64. Each cell is the best of REPEATS runs of the whole loop (timeit), forward only
(POT computes no gradient here). Also printed: the mean over the batch of the returned cost <P_eps, D>, which
sinkhorn_loss(quantity: Cost, reduction: Mean) returns for the same batch (SinkhornBenchmarks prints its own).

    /usr/bin/python3 benchmarks/pot_sinkhorn2.py            # writes benchmarks/results/sinkhorn/sinkhorn-pot.csv and benchmarks/results/sinkhorn/sinkhorn-pot.md
"""
import csv
import os
import platform
import timeit

import numpy as np
import ot

BATCH = 256
CLASSES = [10, 50, 100]
REPEATS = 3
HERE = os.path.dirname(os.path.abspath(__file__))


def batch(b, c):
    i = np.arange(1, b + 1)[:, None]
    k = np.arange(1, c + 1)[None, :]
    z = 3 * np.sin(12.9898 * i + 78.233 * k)
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    centres = (7 * np.arange(b)) % c
    t = np.exp(-((np.arange(c)[None, :] - centres[:, None]) ** 2) / (2 * 1.5 ** 2))
    t /= t.sum(axis=1, keepdims=True)
    d = np.abs(np.arange(c)[:, None] - np.arange(c)[None, :]).astype(float)
    return p, t, d


rows = []
for c in CLASSES:
    p, t, d = batch(BATCH, c)
    eps = 0.1 * (c - 1)
    for method in ["sinkhorn_log", "sinkhorn"]:
        def run():
            return [float(ot.sinkhorn2(p[i], t[i], d, eps, method=method, numItermax=1000, stopThr=1e-9)) for i in range(BATCH)]
        values = run()
        best = min(timeit.repeat(run, number=1, repeat=REPEATS))
        rows.append(dict(batch=BATCH, classes=c, method=method, ms_per_batch=round(best * 1e3, 2),
                         us_per_row=round(best / BATCH * 1e6, 1), mean_cost=f"{np.mean(values):.12f}"))
        print(rows[-1], flush=True)

os.makedirs(os.path.join(HERE, "results", "sinkhorn"), exist_ok=True)
with open(os.path.join(HERE, "results", "sinkhorn", "sinkhorn-pot.csv"), "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
with open(os.path.join(HERE, "results", "sinkhorn", "sinkhorn-pot.md"), "w") as f:
    f.write(f"ot.sinkhorn2 looped over {BATCH} rows, float64, best of {REPEATS}; POT {ot.__version__}, NumPy {np.__version__}, "
            f"Python {platform.python_version()}; load average at the end {os.getloadavg()[0]:.1f}\n\n")
    f.write("| B x C | method | ms per batch | µs per row | mean cost |\n|---|---|---:|---:|---:|\n")
    for r in rows:
        f.write(f"| {r['batch']} x {r['classes']} | {r['method']} | {r['ms_per_batch']} | {r['us_per_row']} | {r['mean_cost']} |\n")
