#!/usr/bin/python3
"""Reference values for the paired statistics of the comparisons (src/EarthMover.Cli/Statistics), computed with
SciPy and statsmodels, independently of the C# code:

    /usr/bin/python3 reference/statistics.py      # rewrites reference/statistics.json

- wilcoxon_exact: scipy.stats.wilcoxon(method='exact') on differences without zeros or tied magnitudes, where
  SciPy 1.10 computes the exact distribution.
- wilcoxon_permutation: differences with zeros and tied magnitudes, where SciPy 1.10's wilcoxon falls back to
  the normal approximation (zeros) or truncates mid-ranks (ties); the exact conditional test is
  scipy.stats.permutation_test(permutation_type='samples', n_resamples=inf), i.e. every sign flip of the
  differences, on R+ computed from scipy.stats.rankdata with each zero_method's rule.
- sign_test: scipy.stats.binomtest(k, n, 0.5).pvalue.
- holm: statsmodels.stats.multitest.multipletests(p, alpha, method='holm').
- bootstrap: percentile intervals of the mean: scipy.stats.bootstrap(method='percentile', n_resamples=10000)
  (its own random numbers: compare within a tolerance), and for n <= 6 the exact ("ideal") bootstrap, every one of
  the n^n equally likely resamples enumerated.
Seeded: the output is the same on every run.
"""
import itertools
import json
import os

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.multitest import multipletests

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261129)


def r_plus(d, zero_method):
    d = np.asarray(d, float)
    if zero_method == "wilcox":
        d = d[d != 0]
    r = stats.rankdata(np.abs(d))
    plus = np.sum((d > 0) * r)
    if zero_method == "zsplit":
        plus += np.sum((d == 0) * r) / 2
    return plus


def permutation_p(d, zero_method):
    d = np.asarray(d, float)
    if np.all(d == 0):
        return 1.0
    res = stats.permutation_test((d,), lambda x, axis=-1: np.apply_along_axis(r_plus, axis, x, zero_method),
                                 permutation_type="samples", n_resamples=np.inf, vectorized=True)
    return float(res.pvalue)


def untied(n):
    # Magnitudes drawn without ties, random signs.
    return list(rng.permutation(np.arange(1, 4 * n + 1))[:n] * rng.choice([-1, 1], n) * 0.01)


wilcoxon_exact = []
for n in [1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 15, 20]:
    for _ in range(2):
        d = untied(n)
        res = stats.wilcoxon(d, method="exact")
        # The permutation reference below agrees with SciPy's exact distribution where both apply.
        assert n < 2 or n > 12 or abs(permutation_p(d, "wilcox") - res.pvalue) < 1e-12
        wilcoxon_exact.append({"d": d, "statistic": float(res.statistic), "p": float(res.pvalue)})
# The most extreme patterns: all one sign (the smallest p-value, 2 / 2^n).
for n in [5, 10]:
    d = [0.01 * (i + 1) for i in range(n)]
    res = stats.wilcoxon(d, method="exact")
    wilcoxon_exact.append({"d": d, "statistic": float(res.statistic), "p": float(res.pvalue)})

wilcoxon_permutation = []
cases = [
    [0.0, 0.02, -0.01, 0.03, 0.02, 0.05, -0.02, 0.04, 0.0, 0.06],
    [0.01, 0.01, 0.01, -0.01, 0.02, 0.02, 0.0],
    [0.0, 0.0, 0.0, 0.01, 0.02],
    [0.003, -0.003, 0.003, 0.003, 0.0, 0.007, 0.007, -0.001, 0.002, 0.01, 0.0, 0.004],
    [0.0, 0.0, 0.0],
    [-0.5, 0.0, -0.5, -1.0, -0.25, -0.25],
]
for _ in range(4):
    n = int(rng.integers(5, 13))
    cases.append(list(rng.integers(-3, 4, n) * 0.01))
for d in cases:
    for zero_method in ["wilcox", "pratt", "zsplit"]:
        wilcoxon_permutation.append({"d": [float(x) for x in d], "zero_method": zero_method, "r_plus": float(r_plus(d, zero_method)),
                                     "p": permutation_p(d, zero_method)})

sign_test = []
for k, n in [(0, 1), (1, 1), (0, 5), (1, 5), (2, 5), (3, 5), (5, 5), (0, 10), (1, 10), (2, 10), (5, 10), (8, 10), (10, 10),
             (3, 12), (0, 20), (7, 20), (40, 100), (20, 100), (100, 200), (300, 1000), (450, 1000), (0, 1100)]:
    sign_test.append({"k": k, "n": n, "p": float(stats.binomtest(k, n, 0.5).pvalue)})

holm = []
families = [
    [0.01, 0.04, 0.03, 0.005],
    [0.001953125] * 6 + [0.5, 1.0],
    [0.2, 0.01, 0.01, 0.049, 0.8, 0.0001, 0.03],
    list(rng.uniform(0, 0.02, 25)),
    list(np.concatenate([rng.uniform(0, 1e-4, 5), rng.uniform(0, 1, 195)])),
    [0.04],
    [0.06],
]
for p in families:
    for alpha in [0.05, 0.1]:
        reject, adjusted, _, _ = multipletests(p, alpha=alpha, method="holm")
        holm.append({"p": [float(x) for x in p], "alpha": alpha, "adjusted": [float(x) for x in adjusted], "reject": [bool(x) for x in reject]})

bootstrap = []
samples = [
    [0.01, -0.02, 0.03, 0.015, 0.005],
    [0.1, 0.1, 0.1, 0.4],
    [0.02, 0.03, -0.01, 0.04, 0.01, 0.0],
    list(rng.normal(0.01, 0.02, 10)),
    list(rng.normal(-0.03, 0.01, 10)),
    list(rng.exponential(0.02, 15) - 0.01),
    list(rng.integers(-2, 3, 10) * 0.005),
]
for x in samples:
    x = [float(v) for v in x]
    entry = {"x": x, "confidence": 0.95}
    res = stats.bootstrap((np.array(x),), np.mean, method="percentile", n_resamples=10000, confidence_level=0.95,
                          random_state=np.random.default_rng(7))
    entry["scipy"] = [float(res.confidence_interval.low), float(res.confidence_interval.high)]
    means = np.sort(np.array([np.mean(c) for c in itertools.product(x, repeat=len(x))])) if len(x) <= 6 else None
    if means is not None:
        entry["ideal"] = [float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))]
    # The spread of the bootstrap distribution of the mean (for the tolerance): the plug-in standard error.
    entry["bootstrap_se"] = float(np.std(x) / np.sqrt(len(x)))
    bootstrap.append(entry)

quantiles = []
for values, q in [([3.0, 1.0, 2.0, 4.0], 0.025), ([3.0, 1.0, 2.0, 4.0], 0.975), ([5.0], 0.5), (list(rng.normal(0, 1, 17)), 0.3)]:
    quantiles.append({"values": values, "q": q, "value": float(np.percentile(values, 100 * q))})

payload = {
    "generator": f"reference/statistics.py (SciPy {scipy.__version__}, statsmodels {statsmodels.__version__}, NumPy {np.__version__})",
    "wilcoxon_exact": wilcoxon_exact,
    "wilcoxon_permutation": wilcoxon_permutation,
    "sign_test": sign_test,
    "holm": holm,
    "bootstrap": bootstrap,
    "quantiles": quantiles,
}
with open(os.path.join(HERE, "statistics.json"), "w") as f:
    json.dump(payload, f, indent=1)
print(f"wrote reference/statistics.json: {len(wilcoxon_exact)} exact and {len(wilcoxon_permutation)} permutation Wilcoxon cases, "
      f"{len(sign_test)} sign tests, {len(holm)} Holm families, {len(bootstrap)} bootstrap samples")
