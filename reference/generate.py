#!/usr/bin/python3
"""Reference values for the EarthMover tests, computed independently of the C# code.

Run with Debian's Python, which has SciPy 1.10, POT 0.8.2 and scikit-learn 1.2
(apt-get install python3-scipy python3-pot python3-sklearn):

    /usr/bin/python3 reference/generate.py

It rewrites reference/*.json; the tests read those files and never call Python. Seeded: the output is
the same on every run.
"""
import json
import os

import numpy as np
import ot
import scipy
import sklearn
from scipy.stats import energy_distance, percentileofscore, wasserstein_distance

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261128)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def one_hot(k, c):
    t = np.zeros(c)
    t[k] = 1.0
    return t


def write(name, payload):
    payload["generator"] = f"reference/generate.py (SciPy {scipy.__version__}, POT {ot.__version__}, NumPy {np.__version__}, scikit-learn {sklearn.__version__})"
    with open(os.path.join(HERE, name), "w") as f:
        json.dump(payload, f, indent=1)


# 1. Ordered classes: the CDF loss against SciPy's exact 1-D distances.
#    For classes at positions x (unnormalised sum, s = 1):
#      l = 1:  sum_m (x_{m+1} - x_m) |P_m - T_m|   = wasserstein_distance(x, x, p, t)
#      l = 2:  sum_m (x_{m+1} - x_m) (P_m - T_m)^2 = energy_distance(x, x, p, t)^2 / 2
ordinal = []
for case in range(24):
    c = [2, 3, 5, 8, 13, 100][case % 6]
    n = 4
    uniform = case % 2 == 0
    x = np.arange(c, dtype=float) if uniform else np.cumsum(rng.uniform(0.1, 3.0, size=c))
    logits = rng.normal(0.0, 2.0, size=(n, c))
    p = softmax(logits)
    soft = case % 4 >= 2
    if soft:
        target = softmax(rng.normal(0.0, 2.0, size=(n, c)))
    else:
        target = rng.integers(0, c, size=n)
    w1, e2 = [], []
    for i in range(n):
        t = target[i] if soft else one_hot(target[i], c)
        w1.append(wasserstein_distance(x, x, p[i], t))
        e2.append(energy_distance(x, x, p[i], t) ** 2 / 2)
    ordinal.append({
        "classes": c,
        "positions": x.tolist(),
        "logits": logits.tolist(),
        "target_indices": None if soft else target.tolist(),
        "target_distributions": target.tolist() if soft else None,
        "wasserstein_l1": w1,
        "energy_half_squared_l2": e2,
    })
write("ordinal.json", {
    "about": "per-sample values of the unnormalised CDF loss (s = 1) with class positions: l = 1 is scipy.stats.wasserstein_distance(x, x, p, t); l = 2 is scipy.stats.energy_distance(x, x, p, t)**2 / 2; p = softmax(logits)",
    "cases": ordinal,
})

# 2. One-hot targets under any ground distance: POT's exact network-simplex EMD.
ground = []
for case in range(12):
    c = [2, 4, 7, 10][case % 4]
    kind = ["positions_w1", "positions_w2", "random"][case % 3]
    if kind == "random":
        d = rng.uniform(0.0, 5.0, size=(c, c))
        d = (d + d.T) / 2
        np.fill_diagonal(d, 0.0)
    else:
        x = np.cumsum(rng.uniform(0.2, 2.0, size=c))
        w = 1.0 if kind == "positions_w1" else 2.0
        d = np.abs(x[:, None] - x[None, :]) ** w
    n = 5
    logits = rng.normal(0.0, 2.0, size=(n, c))
    p = softmax(logits)
    target = rng.integers(0, c, size=n)
    emd = [float(ot.emd2(p[i], one_hot(target[i], c), d)) for i in range(n)]
    ground.append({
        "classes": c,
        "kind": kind,
        "distance": d.tolist(),
        "logits": logits.tolist(),
        "target_indices": target.tolist(),
        "emd": emd,
    })
write("ground.json", {
    "about": "per-sample exact EMD from p = softmax(logits) to the one-hot target under the ground distance, from POT's ot.emd2 (network simplex)",
    "cases": ground,
})


# 3. The authors' XEMD weight matrix, computed with SciPy's percentileofscore(kind='rank').
def authors_weights(d, mu, w):
    c = d.shape[0]
    r = np.zeros_like(d)
    for i in range(c):
        for j in range(c):
            r[i, j] = percentileofscore(d[i], d[i, j], kind="rank") / 100.0
    r = r ** w
    r = (r + r.T) / 2.0
    r = r - mu
    np.fill_diagonal(r, 1.0)
    return r


xemd = []
for case in range(12):
    c = [3, 5, 8, 10][case % 4]
    ties = case % 2 == 1
    if ties:
        # Integer distances on a line and small integer matrices: many equal entries per row.
        if case % 4 == 1:
            d = np.abs(np.arange(c)[:, None] - np.arange(c)[None, :]).astype(float)
        else:
            d = rng.integers(1, 4, size=(c, c)).astype(float)
            d = np.maximum(d, d.T)
            np.fill_diagonal(d, 0.0)
    else:
        d = rng.uniform(0.0, 10.0, size=(c, c))
        np.fill_diagonal(d, 0.0)
    n = 5
    logits = rng.normal(0.0, 2.0, size=(n, c))
    p = softmax(logits)
    target = rng.integers(0, c, size=n)
    presets = {}
    for name, mu, w in [("xemd1", 0.5, 1.0), ("xemd2", 0.25, 2.0)]:
        wm = authors_weights(d, mu, w)
        loss = [float(np.sum((p[i] - one_hot(target[i], c)) ** 2 * wm[target[i]]) / c) for i in range(n)]
        presets[name] = {"mu": mu, "power": w, "weights": wm.tolist(), "loss": loss}
    xemd.append({
        "classes": c,
        "ties": ties,
        "distance": d.tolist(),
        "logits": logits.tolist(),
        "target_indices": target.tolist(),
        "presets": presets,
    })
write("xemd.json", {
    "about": "the authors' W: scipy.stats.percentileofscore(D[i], D[i,j], kind='rank')/100, power w, (R + R.T)/2, minus mu, diagonal 1; loss = (1/C) sum_i (p_i - t_i)^2 W[k, i] with p = softmax(logits)",
    "cases": xemd,
})

# 4. The learned ground distance (docs/math.md section 5): L1-normalised features, class centroids, Euclidean D
#    (scipy.spatial.distance.cdist), then the authors' W.
from scipy.spatial.distance import cdist

learner = []
for case in range(6):
    c = [3, 5, 10][case % 3]
    f = [4, 7, 16][case % 3]
    n = 60
    labels = np.concatenate([np.arange(c), rng.integers(0, c, size=n - c)])
    if case >= 3:
        # Ties: every class's features are one of two fixed patterns of integers summing to 16, times a power of
        # two, so that normalised rows, sums and means are exact in any summation order: several centroids
        # coincide exactly and many distances are equal.
        patterns = np.array([np.bincount(rng.integers(0, f, size=16), minlength=f) for _ in range(2)], dtype=float)
        features = patterns[labels % 2] * (2.0 ** rng.integers(0, 3, size=(n, 1)))
    else:
        features = np.maximum(rng.normal(0.5, 1.0, size=(n, f)), 0.0) + 0.01
    normalised = features / np.abs(features).sum(axis=1, keepdims=True)
    centroids = np.stack([normalised[labels == k].mean(axis=0) for k in range(c)])
    d = cdist(centroids, centroids)
    np.fill_diagonal(d, 0.0)
    learner.append({
        "classes": c,
        "features": features.tolist(),
        "labels": labels.tolist(),
        "centroids": centroids.tolist(),
        "distance": d.tolist(),
        "xemd1": authors_weights(d, 0.5, 1.0).tolist(),
        "xemd2": authors_weights(d, 0.25, 2.0).tolist(),
    })
write("learner.json", {
    "about": "features / sum|features| per row, centroid = class mean, D = scipy.spatial.distance.cdist(centroids, centroids), W = the authors' construction (see xemd.json)",
    "cases": learner,
})

# 5. Ordinal metrics, with scikit-learn (python3-sklearn): accuracy, MAE, quadratic weighted kappa, confusion,
#    and the mean exact EMD with SciPy's wasserstein_distance on unit-spaced classes.
from sklearn.metrics import accuracy_score, cohen_kappa_score, confusion_matrix, mean_absolute_error

metrics = []
for case in range(6):
    c = [3, 5, 8][case % 3]
    n = 50
    truth = rng.integers(0, c, size=n)
    noise = rng.integers(-2, 3, size=n) if case < 3 else rng.integers(-1, 2, size=n)
    predicted = np.clip(truth + noise, 0, c - 1)
    probabilities = softmax(rng.normal(0.0, 2.0, size=(n, c)))
    classes = np.arange(c)
    macro = np.mean([np.abs(predicted[truth == k] - k).mean() for k in classes if (truth == k).any()])
    emd = np.mean([wasserstein_distance(classes, classes, probabilities[i], one_hot(truth[i], c)) for i in range(n)])
    metrics.append({
        "classes": c,
        "truth": truth.tolist(),
        "predicted": predicted.tolist(),
        "probabilities": probabilities.tolist(),
        "exact_accuracy": accuracy_score(truth, predicted),
        "one_off_accuracy": float(np.mean(np.abs(truth - predicted) <= 1)),
        "mae": mean_absolute_error(truth, predicted),
        "macro_mae": float(macro),
        "qwk": cohen_kappa_score(truth, predicted, weights="quadratic", labels=classes),
        "mean_emd": float(emd),
        "confusion": confusion_matrix(truth, predicted, labels=classes).tolist(),
    })
write("metrics.json", {
    "about": "scikit-learn accuracy_score, mean_absolute_error, cohen_kappa_score(weights='quadratic'), confusion_matrix; macro MAE with NumPy; mean EMD with scipy.stats.wasserstein_distance on positions 0..C-1",
    "cases": metrics,
})

# 6. Soft targets under any ground distance: POT's exact network simplex (ot.emd2 for the cost, ot.emd with
#    log=True for the duals u, v; POT's gradient with respect to a is u - mean(u)). Random and degenerate cases.
def transport_distance(kind, c):
    x = np.arange(c, dtype=float)
    if kind == "line":
        return np.abs(x[:, None] - x[None, :])
    if kind == "line_squared":  # W2^2 on a line: not a metric (violates the triangle inequality)
        y = np.cumsum(rng.uniform(0.2, 2.0, size=c))
        return (y[:, None] - y[None, :]) ** 2
    if kind == "euclidean":  # points in the plane: a metric
        points = rng.normal(size=(c, 3))
        return cdist(points, points)
    if kind == "random_symmetric":
        d = rng.uniform(0.0, 5.0, size=(c, c))
        d = (d + d.T) / 2
    elif kind == "asymmetric":
        d = rng.uniform(0.0, 5.0, size=(c, c))
    elif kind == "ties":  # small integers: many equal costs
        d = rng.integers(1, 4, size=(c, c)).astype(float)
        d = np.maximum(d, d.T)
    elif kind == "uniform":  # every move costs 1: the EMD is the total variation distance
        d = np.ones((c, c))
    else:
        raise ValueError(kind)
    np.fill_diagonal(d, 0.0)
    return d


def is_quasi_metric(d):
    return bool(np.all(d[:, None, :] <= d[:, :, None] + d[None, :, :] + 1e-9 * d.max()))


def transport_case(kind, d, p, t, logits=None, degenerate=""):
    values, u_centred, positive = [], [], []
    for i in range(len(p)):
        values.append(float(ot.emd2(p[i], t[i], d)))
        plan, log = ot.emd(p[i], t[i], d, log=True)
        u_centred.append((log["u"] - log["u"].mean()).tolist())
        positive.append(int((plan > 1e-14).sum()))
    c = d.shape[0]
    return {
        "classes": c,
        "kind": kind,
        "degenerate": degenerate,
        "quasi_metric": is_quasi_metric(d),
        "distance": d.tolist(),
        "logits": None if logits is None else logits.tolist(),
        "p": p.tolist(),
        "t": t.tolist(),
        "emd": values,
        "pot_u_centred": u_centred,
        # 2C - 1 positive entries in POT's plan: a non-degenerate basis, so the dual is unique up to a constant.
        "nondegenerate": [k == 2 * c - 1 and bool(np.all(p[i] > 0) and np.all(t[i] > 0)) for i, k in enumerate(positive)],
    }


transport = []
kinds = ["line", "line_squared", "euclidean", "random_symmetric", "asymmetric", "ties", "uniform"]
for c in [2, 3, 5, 10, 20, 50, 100]:
    for kind in kinds:
        if (c > 20 and kind in ("ties", "uniform", "asymmetric")) or (c > 50 and kind == "random_symmetric"):
            continue
        d = transport_distance(kind, c)
        logits = rng.normal(0.0, 2.0, size=(4, c))
        p = softmax(logits)
        t = softmax(rng.normal(0.0, 2.0, size=(4, c)))
        transport.append(transport_case(kind, d, p, t, logits=logits))

# Degenerate cases, given as probabilities.
for kind in ["line", "ties", "random_symmetric", "uniform", "asymmetric"]:
    c = 6
    d = transport_distance(kind, c)
    # Zero masses in p and t, disjoint supports, identical rows, a one-hot distribution, equal halves.
    p = np.array([
        [0.5, 0.0, 0.0, 0.5, 0.0, 0.0],
        [0.2, 0.3, 0.5, 0.0, 0.0, 0.0],
        [0.1, 0.2, 0.3, 0.2, 0.1, 0.1],
        [0.0, 0.0, 1.0, 0.0, 0.0, 0.0],
        [0.25, 0.25, 0.0, 0.25, 0.25, 0.0],
        [1 / 6] * 6,
    ])
    t = np.array([
        [0.0, 0.5, 0.0, 0.0, 0.5, 0.0],
        [0.0, 0.0, 0.0, 0.2, 0.3, 0.5],
        [0.1, 0.2, 0.3, 0.2, 0.1, 0.1],
        [0.0, 0.0, 0.0, 0.0, 0.0, 1.0],
        [0.25, 0.0, 0.25, 0.25, 0.0, 0.25],
        [1 / 6] * 6,
    ])
    transport.append(transport_case(kind, d, p, t, degenerate="zero masses, disjoint supports, p = t, one-hot, ties"))
# Repeated classes: classes 1 and 2 are the same point (zero distance, equal rows and columns).
points = np.array([0.0, 1.0, 1.0, 2.5, 4.0])
d = np.abs(points[:, None] - points[None, :])
p = softmax(rng.normal(0.0, 2.0, size=(4, 5)))
t = softmax(rng.normal(0.0, 2.0, size=(4, 5)))
transport.append(transport_case("repeated", d, p, t, degenerate="classes 1 and 2 coincide"))
write("transport.json", {
    "about": "per-row exact EMD between distributions p and t under the ground distance: ot.emd2(p, t, D) (POT's network simplex); pot_u_centred: the dual u of ot.emd(p, t, D, log=True) minus its mean (POT's gradient with respect to p); quasi_metric: D_ij <= D_ik + D_kj + 1e-9 max D",
    "cases": transport,
})


# 7. Tree metrics: D = path lengths in a random tree (scipy.sparse.csgraph.shortest_path), the exact EMD from
#    ot.emd2; and the average-linkage hierarchy of SciPy (scipy.cluster.hierarchy.linkage(method='average'),
#    merge heights and cophenetic distances).
from scipy.cluster.hierarchy import cophenet, linkage
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path
from scipy.spatial.distance import squareform


def tree_paths(parents, lengths):
    n = len(parents)
    rows = [v for v in range(n) if parents[v] >= 0]
    # Zero-length edges must stay edges: csgraph drops explicit zeros, so give them a tiny weight and remove it after.
    tiny = 1e-300
    graph = csr_matrix(([max(lengths[v], tiny) for v in rows], (rows, [parents[v] for v in rows])), shape=(n, n))
    d = shortest_path(graph, directed=False)
    d[d < 1e-200] = 0.0
    return d


trees = []
for case in range(12):
    c = [2, 3, 5, 8, 10, 20][case % 6]
    shape = ["leaves", "internal", "chain", "star"][case % 4]
    if shape == "leaves":  # classes are the leaves; internal nodes C..N-1, node C the root
        internal = max(1, c // 2)
        parents = [-1] * (c + internal)
        for i in range(1, internal):
            parents[c + i] = c + int(rng.integers(0, i))
        for k in range(c):
            parents[k] = c + int(rng.integers(0, internal))
    elif shape == "internal":  # any node may be a class: a random tree over all nodes, random root
        n = c + 3
        order = rng.permutation(n)
        parents = [-1] * n
        for i in range(1, n):
            parents[order[i]] = int(order[rng.integers(0, i)])
    elif shape == "chain":  # a path: the classes on a line
        parents = [k + 1 for k in range(c - 1)] + [-1]
    else:  # a star: one centre (a class), the others around it
        parents = [-1] + [0] * (c - 1)
    n = len(parents)
    lengths = rng.uniform(0.0, 2.0, size=n)
    lengths[rng.random(n) < 0.15] = 0.0  # some zero-length edges
    root = parents.index(-1)
    lengths[root] = 0.0
    d = tree_paths(parents, lengths)[:c, :c]
    rows = 5
    logits = rng.normal(0.0, 2.0, size=(rows, c))
    p = softmax(logits)
    t = softmax(rng.normal(0.0, 2.0, size=(rows, c)))
    if case % 3 == 2:
        t[0] = p[0]  # p = t
        t[1] = one_hot(int(rng.integers(0, c)), c)
    indices = rng.integers(0, c, size=rows)
    trees.append({
        "classes": c,
        "shape": shape,
        "parents": [int(v) for v in parents],
        "lengths": lengths.tolist(),
        "distance": d.tolist(),
        "logits": logits.tolist(),
        "t": t.tolist(),
        "target_indices": indices.tolist(),
        "emd_soft": [float(ot.emd2(p[i], t[i], d)) for i in range(rows)],
        "emd_indices": [float(ot.emd2(p[i], one_hot(indices[i], c), d)) for i in range(rows)],
    })

linkages = []
for case in range(6):
    c = [2, 3, 5, 10, 30, 60][case]
    points = rng.normal(size=(c, 4))
    d = cdist(points, points)
    z = linkage(squareform(d, checks=False), method="average")
    linkages.append({
        "classes": c,
        "distance": d.tolist(),
        "merge_heights": sorted(z[:, 2].tolist()),
        "cophenetic": squareform(cophenet(z)).tolist(),
    })
write("tree.json", {
    "about": "trees: D = path lengths (scipy shortest_path on the tree), emd = ot.emd2(softmax(logits), t or one-hot, D); linkages: scipy.cluster.hierarchy.linkage(squareform(D), method='average') merge heights (sorted) and cophenet distances",
    "trees": trees,
    "linkages": linkages,
})


# 8. Entropic transport with POT's log-domain Sinkhorn (ot.bregman.sinkhorn_log, the iterations of
#    ot.sinkhorn2(method='sinkhorn_log')): the cost <P, D> (sinkhorn2's value), the regularized objective
#    OT_eps = <P, D> + eps sum P (log P - 1) and the debiased divergence OT_eps(p, t) - (OT_eps(p, p) + OT_eps(t, t)) / 2,
#    after a fixed number of iterations (stopThr = 0) and at convergence (stopThr = 1e-12).
import warnings
from scipy.special import xlogy


def entropic(a, b, d, eps, iterations, threshold):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "did not converge" at a fixed number of iterations; log(0) of zero masses
        plan = ot.bregman.sinkhorn_log(a, b, d, eps, numItermax=iterations, stopThr=threshold)
    cost = float(np.sum(plan * d))
    return cost, cost + eps * float(np.sum(xlogy(plan, plan) - plan))


sinkhorn = []
for case in range(12):
    c = [3, 5, 10, 20][case % 4]
    kind = ["line", "euclidean", "random_symmetric"][case % 3]
    d = transport_distance(kind, c)
    relative = [0.02, 0.2, 0.5][(case // 4) % 3]
    eps = relative * d.max()
    logits = rng.normal(0.0, 2.0, size=(4, c))
    p = softmax(logits)
    t = softmax(rng.normal(0.0, 2.0, size=(4, c)))
    t[3] = one_hot(int(rng.integers(0, c)), c)  # zero masses in the target
    fixed, converged = {"cost": [], "regularized": []}, {"cost": [], "regularized": [], "divergence": [], "sinkhorn2": []}
    for i in range(4):
        cost, regularized = entropic(p[i], t[i], d, eps, 50, 0.0)
        fixed["cost"].append(cost)
        fixed["regularized"].append(regularized)
        if relative < 0.1:
            continue  # at small eps convergence to 1e-12 takes too many iterations for the tests
        cost, regularized = entropic(p[i], t[i], d, eps, 100000, 1e-12)
        converged["cost"].append(cost)
        converged["regularized"].append(regularized)
        _, pp = entropic(p[i], p[i], d, eps, 100000, 1e-12)
        _, tt = entropic(t[i], t[i], d, eps, 100000, 1e-12)
        converged["divergence"].append(regularized - (pp + tt) / 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            converged["sinkhorn2"].append(float(ot.sinkhorn2(p[i], t[i], d, eps, method="sinkhorn_log", numItermax=100000, stopThr=1e-12)))
    sinkhorn.append({
        "classes": c,
        "kind": kind,
        "epsilon": eps,
        "distance": d.tolist(),
        "logits": logits.tolist(),
        "t": t.tolist(),
        "fixed_iterations": 50,
        "fixed": fixed,
        "converged": converged if relative >= 0.1 else None,
    })
write("sinkhorn.json", {
    "about": "POT ot.bregman.sinkhorn_log(p, t, D, eps) plans with p = softmax(logits): cost = sum P D (ot.sinkhorn2's value, also given from sinkhorn2 itself), regularized = cost + eps sum (xlogy(P, P) - P), divergence = regularized(p, t) - (regularized(p, p) + regularized(t, t)) / 2; 'fixed': 50 iterations with stopThr = 0; 'converged': stopThr = 1e-12 (for eps >= 0.1 max D)",
    "cases": sinkhorn,
})


# 9. W_q on the line: POT's ot.wasserstein_1d(x, x, p, t, p=q) = W_q^q (the quantile coupling), beside the
#     paper's CDF form sum_m gaps_m |P_m - T_m|^q, which equals it for q = 1 only.
line = []
for case in range(16):
    c = [2, 3, 5, 10, 20, 50][case % 6]
    q = [1.0, 1.5, 2.0, 3.0][case % 4]
    uniform = case % 3 != 1
    x = np.arange(c, dtype=float) if uniform else np.cumsum(rng.uniform(0.1, 3.0, size=c))
    logits = rng.normal(0.0, 2.0, size=(4, c))
    p = softmax(logits)
    t = softmax(rng.normal(0.0, 2.0, size=(4, c)))
    if case % 4 == 3:
        t[0] = one_hot(int(rng.integers(0, c)), c)
        t[1, : c // 2] = 0.0  # zero masses
        t[1] /= t[1].sum()
    line.append({
        "classes": c,
        "exponent": q,
        "positions": x.tolist(),
        "logits": logits.tolist(),
        "t": t.tolist(),
        "wasserstein_q_power_q": [float(ot.wasserstein_1d(x, x, p[i], t[i], p=q)) for i in range(4)],
        "cdf_form": [float(np.sum(np.diff(x) * np.abs(np.cumsum(p[i])[:-1] - np.cumsum(t[i])[:-1]) ** q)) for i in range(4)],
    })
write("line.json", {
    "about": "W_q^q = ot.wasserstein_1d(x, x, softmax(logits), t, p=q) (POT, quantile coupling); cdf_form = sum_m (x_{m+1} - x_m) |P_m - T_m|^q, the CDF loss with s = 1",
    "cases": line,
})

print("wrote", ", ".join(sorted(f for f in os.listdir(HERE) if f.endswith(".json"))))
