#!/usr/bin/python3
"""Reference values for the proper scores of src/EarthMover/Metrics/ProperScores.cs (ranked probability score,
log loss, multi-class Brier score), computed with scikit-learn, SciPy and NumPy, independently of the C# code:

    /usr/bin/python3 reference/scores.py      # rewrites reference/scores.json

Debian 12's Python: scikit-learn 1.2, SciPy 1.10, NumPy 1.24 (apt-get install python3-sklearn python3-scipy).

- hard: predicted distributions against true classes.
  - log loss: sklearn.metrics.log_loss(y, p, labels=range(C)) with its default eps='auto' (clip to
    [eps, 1 - eps] with eps = np.finfo(float64).eps = 2^-52, rescale each row to sum 1, -log p_y); per row with
    one-row calls. Some rows put probability 0 on the true class, where the floor decides the value.
  - RPS, sum form sum_{m=1..C} (P_m - [y <= m])^2: per row by NumPy's cumsum, and the mean independently as the
    sum over the thresholds m = 1..C-1 of sklearn.metrics.brier_score_loss([y <= m], P_m) (the RPS is the sum of
    the binary Brier scores of the cumulative events).
  - Brier, sum over classes sum_k (p_k - [k = y])^2: NumPy on the one-hot matrix; for C = 2 also
    2 * sklearn.metrics.brier_score_loss(y, p_1) (scikit-learn 1.2 defines only the binary score).
- soft: predicted against target distributions: RPS and Brier with NumPy; the log loss (cross-entropy) as
  scipy.stats.entropy(t) + scipy.stats.entropy(t, p), i.e. H(t) + KL(t || p), in nats.
Seeded: the output is the same on every run.
"""
import json
import os

import numpy as np
import scipy
import sklearn
from scipy import stats
from sklearn.metrics import brier_score_loss, log_loss

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261130)
EPS = float(np.finfo(np.float64).eps)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def rps_rows(p, t):
    return np.sum((np.cumsum(p, axis=1) - np.cumsum(t, axis=1)) ** 2, axis=1)


def one_hot(y, c):
    t = np.zeros((len(y), c))
    t[np.arange(len(y)), y] = 1.0
    return t


hard = []
for case, (c, n, scale) in enumerate([(2, 30, 1.0), (2, 25, 4.0), (3, 30, 2.0), (5, 40, 1.0), (5, 40, 6.0), (8, 30, 2.0), (35, 20, 3.0)]):
    y = rng.integers(0, c, size=n)
    p = softmax(rng.normal(0.0, scale, size=(n, c)))
    # Degenerate rows: a certain correct prediction, a certain wrong one, and zeros (one on the true class).
    p[0] = np.eye(c)[y[0]]
    wrong = (y[1] + 1) % c
    p[1] = np.eye(c)[wrong]
    p[2, y[2]] = 0.0
    p[2] /= p[2].sum()
    if c > 2:
        other = (y[3] + 1) % c
        p[3, other] = 0.0
        p[3] /= p[3].sum()
    t = one_hot(y, c)
    labels = list(range(c))
    per_row_log = [float(log_loss([y[i]], p[i:i + 1], labels=labels)) for i in range(n)]
    cumulative = np.cumsum(p, axis=1)
    mean_rps_sklearn = float(sum(brier_score_loss((y <= m).astype(int), np.clip(cumulative[:, m], 0.0, 1.0), pos_label=1) for m in range(c - 1)))
    entry = {
        "classes": c,
        "probabilities": p.tolist(),
        "truth": y.tolist(),
        "rps": rps_rows(p, t).tolist(),
        "log_loss": per_row_log,
        "brier": np.sum((p - t) ** 2, axis=1).tolist(),
        "mean_rps": mean_rps_sklearn,
        "mean_rps_numpy": float(np.mean(rps_rows(p, t))),
        "mean_log_loss": float(log_loss(y, p, labels=labels)),
        "mean_brier": float(np.mean(np.sum((p - t) ** 2, axis=1))),
    }
    if c == 2:
        entry["mean_brier_sklearn_binary"] = float(brier_score_loss(y, p[:, 1], pos_label=1))
    hard.append(entry)

soft = []
for c, n, scale in [(2, 10, 1.0), (4, 20, 2.0), (6, 20, 1.0), (13, 15, 3.0)]:
    p = softmax(rng.normal(0.0, scale, size=(n, c)))
    t = softmax(rng.normal(0.0, 1.5, size=(n, c)))
    # Zeros in the target (those terms count 0 in the log loss) and a point-mass target.
    t[0, 0] = 0.0
    t[0] /= t[0].sum()
    t[1] = np.eye(c)[c - 1]
    cross_entropy = np.array([stats.entropy(t[i]) + stats.entropy(t[i], p[i]) for i in range(n)])
    soft.append({
        "classes": c,
        "probabilities": p.tolist(),
        "targets": t.tolist(),
        "rps": rps_rows(p, t).tolist(),
        "log_loss": cross_entropy.tolist(),
        "brier": np.sum((p - t) ** 2, axis=1).tolist(),
        "mean_rps": float(np.mean(rps_rows(p, t))),
        "mean_log_loss": float(np.mean(cross_entropy)),
        "mean_brier": float(np.mean(np.sum((p - t) ** 2, axis=1))),
    })

payload = {
    "generator": f"reference/scores.py (scikit-learn {sklearn.__version__}, SciPy {scipy.__version__}, NumPy {np.__version__})",
    "epsilon": EPS,
    "hard": hard,
    "soft": soft,
}
with open(os.path.join(HERE, "scores.json"), "w") as f:
    json.dump(payload, f, indent=1)
print(f"wrote reference/scores.json: {len(hard)} hard-label and {len(soft)} soft-target cases (eps = {EPS})")
