#!/usr/bin/python3
"""Reference values for the established deep ordinal-regression losses (baselines).

Regenerate with Debian's Python (NumPy 1.24, SciPy 1.10, python3-torch 1.13):

    /usr/bin/python3 reference/baselines.py

It rewrites reference/baselines.json. Seeded and deterministic: the output is the same on every run. The tests
read the JSON and never call Python. The math and the sources are in docs/baselines-math.md.

Independence. Every number here comes from this file's own implementation of the published formulas, written
from the papers and from reading (not copying) dlordinal's and coral-pytorch's sources for their conventions.
Values are computed in float64; gradients by torch autograd (float64) of these formulas. Before writing, the
script checks itself and stops (AssertionError) if anything is off:
  - every gradient against central finite differences with Richardson extrapolation (relative error < 1e-6);
  - every value and gradient finite;
  - numbers published in dlordinal's and coral-pytorch's own tests and docstrings (CDW-CE, SORD, SLACE, WK, MCE,
    logistic AT, CORAL, CORN, the soft-label matrices, the generalised-triangular parameters, the proximity matrix);
  - identities: CORN with K = 2 equals CORAL; logistic AT equals CORAL without importance weights; SORD with the
    absolute distance equals the exponential shape; the Gaussian shape equals SORD with the squared distance;
    eta = 0 gives plain cross-entropy (torch's F.cross_entropy); mean of `none` equals `mean` without weights;
    softmax losses unchanged by adding a constant to the logits; QWK with integer sample weights equals the batch
    with rows repeated; label-matrix rows and all class distributions non-negative and summing to 1.

JSON layout (all numbers float64; no NaN or infinity anywhere):
  generator, about, defaults (each loss's options with their defaults),
  cases: {loss, name, K, input, target, options, weight, sample_weight, reduction, value, grad_output, grad,
          [soft_target], [dlordinal_value, dlordinal_grad], [projection, thresholds, grad_projection,
          grad_thresholds], [note]}
    input      N x K logits (soft_label_ce, cdw_ce, slace, qwk, mce, mce_qwk) or N x (K-1) (coral, corn,
               logistic_at: logits; ecoc: probabilities or logits, options.input_type).
    target     N class indices 0..K-1.
    value      a number, or a list for reduction "none" (N values; for mce K per-class values).
    grad       gradient w.r.t. input of: the value (scalar value), or sum_i grad_output[i] * value[i] (list value).
    reduction  "mean" | "sum" | "none" | null (null: the loss is a batch-level quantity with no reduction: qwk,
               mce_qwk).
  label_matrices: {shape, K, params, rows (null = all rows, else the row indices given), matrix}
    row k of the matrix is the target distribution for true class k (before eta and label smoothing).
  probabilities: {model, K, input, cumulative (P(y > q), N x (K-1)), probabilities (N x K), prediction, argmax}
  ecoc: {K, code_matrix, input (probabilities N x (K-1)), scores, probabilities, prediction}

Conventions (dlordinal 2.7-era files and coral-pytorch 1.4 as read in their repositories; docs say where):
  weight        one per class; sample i gets weight[target_i]. sample_weight: one per sample. They multiply:
                v_i = sample_weight_i * weight[target_i] (1 where absent).
  reductions    mean = sum_i v_i L_i / sum_i v_i, sum = sum_i v_i L_i, none = v_i L_i  (per-sample losses:
                coral, logistic_at, soft_label_ce, cdw_ce, slace, ecoc). Without weights `mean` is the plain
                batch mean, which is what dlordinal/coral-pytorch return.
  Deliberate differences from dlordinal, recorded next to our values where they matter:
    * weights: dlordinal divides by N, not by the sum of weights (SORD, SLACE, CDW-CE, whose weights it also
      normalises to sum 1), and its unimodal soft-label losses pass `weight` to torch's cross-entropy with
      probability targets, i.e. -sum_k w_k t_k log p_k / N. Cases with a class weight carry `dlordinal_value`
      and `dlordinal_grad` computed with dlordinal's definition so the library can be checked against both.
    * CDW-CE: ours is -sum_j |j-y|^alpha log(1 - p_j) with log(1 - p_j) = logsumexp_{k != j} z_k - logsumexp z,
      exact and shift-invariant. dlordinal computes log(sum e^z - e^{z_j} + 1e-8) - log(sum e^z + 1e-8) from raw
      exponentials: it depends on a constant added to the logits, overflows to NaN above ~88 in float32 and
      starves (or, with high logits, explodes) the gradient of a confidently wrong sample. Its value and gradient
      are recorded (dlordinal_value/dlordinal_grad, float64) for the random, one-class and class-weighted mean
      cases; the shifted and confidently wrong cases record its float32 and float64 numbers in a note.
    * SLACE: ours takes log of the accumulated probability via logsumexp of log-softmax; dlordinal adds 1e-9
      inside the log (difference ~1e-9 relative on ordinary logits; dlordinal_value recorded as for CDW-CE).
    * QWK: dlordinal's test_wkloss.py (dlordinal tests folder) numbers (0.5146, 0.6403) belong to its earlier WKLoss (quadratic matrix
      always, penalization_type = power on the probabilities); the current WKLoss, followed here, uses the
      linear/quadratic penalty matrix. Both are checked below.
    * QWK and MCE: float64 here (dlordinal builds float32 tensors internally).
  CORN:         mean = sum_i v_i sum_{j in T_i} l_ij / sum_i v_i |T_i|, T_i = {j : j <= y_i, j <= K-2} (the tasks
                whose conditional training subset contains sample i); sum = sum_i v_i sum_{j in T_i} l_ij; none =
                v_i sum_{j in T_i} l_ij. Without weights `mean` is coral-pytorch 1.4's and dlordinal's CORN
                (total over all (sample, task) pairs / number of pairs). Weights are our extension.
  QWK:          a batch-level ratio (de la Torre et al.), no per-sample values; reduction null. weight multiplies
                the column of the penalty matrix of the true class (dlordinal). sample_weight (our extension) weights
                sample i's row in the confusion matrix and both marginals, and the batch size becomes sum_i s_i,
                so integer sample weights equal repeating rows.
  MCE:          per-class mean squared error of softmax(input) against one-hot targets (dlordinal's MCELoss);
                weight multiplies the squared error of prediction column c (not the target's class); reduction
                "none" returns the K per-class values, "mean" their mean, "sum" their sum. sample_weight (ours):
                per-class MSE = sum_i s_i w_c (t_ic - p_ic)^2 / sum_i s_i.
  MCE+QWK:      C * QWK + (1 - C) * MCE(mean) (dlordinal ignores its `reduction` argument); reduction null.
  ECOC:         L_i = sum_q (o_iq - c_{y_i q})^2 with the ordinal code c_{kq} = [k > q]; dlordinal returns the
                sum over the batch (our "sum"). input_type "probabilities" (dlordinal: the OBD model's sigmoid
                outputs) or "logits" (sigmoid applied here first).
  Logistic AT:  input z_iq = f_i - theta_q (projection minus threshold); L_i = sum_{q < y_i} softplus(-z_iq) +
                sum_{q >= y_i} softplus(z_iq); dlordinal returns the batch sum (our "sum"). Cases built from
                (f, theta) also record the gradients w.r.t. f and theta. dlordinal's reg_lambda/2 * w^2 term
                penalises a layer parameter, not the outputs; it is checked here against dlordinal's test but
                not part of the cases.
  Soft labels:  t_i = (1 - eta) e_{y_i} + eta T[y_i], then label smoothing t <- (1 - ls) t + ls / K (torch);
                L_i = -sum_k t_ik log_softmax(z_i)_k. Shapes and their discretisation follow dlordinal exactly,
                including its interval points linspace(1e-9, 1 - 1e-9, K + 1) for beta and triangular shapes
                (rows then sum to 1 - O(1e-8), not renormalised, as in dlordinal).
  Not included: CDW-CE's margin (Polat et al. 2024): dlordinal 2.7 has no margin and the formula could not be
                checked against a released implementation.
"""
import json
import math
import os

import numpy as np
import scipy
import torch
import torch.nn.functional as F
from scipy import optimize, special

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260301)


def T(a):
    return torch.tensor(np.asarray(a, dtype=float), dtype=torch.float64)


def softplus(x):
    # exact log(1 + e^x) (torch's F.softplus switches to x above 20, an error of e^-20)
    return torch.logaddexp(torch.zeros_like(x), x)


# ---------------------------------------------------------------------------------------------------------
# Weights and reductions
# ---------------------------------------------------------------------------------------------------------

def factors(y, weight, sample_weight):
    n = len(y)
    v = torch.ones(n)
    if weight is not None:
        v = v * T(weight)[torch.as_tensor(y)]
    if sample_weight is not None:
        v = v * T(sample_weight)
    return v


def reduce(per_sample, v, reduction):
    if reduction == "mean":
        return (v * per_sample).sum() / v.sum()
    if reduction == "sum":
        return (v * per_sample).sum()
    if reduction == "none":
        return v * per_sample
    raise ValueError(reduction)


# ---------------------------------------------------------------------------------------------------------
# Soft-label shapes: K x K matrices, row y = target distribution for true class y
# ---------------------------------------------------------------------------------------------------------

def interval_points(K):
    # dlordinal's discretisation of [0, 1] into K intervals (with 1e-9 kept off both ends)
    return np.linspace(1e-9, 1 - 1e-9, K + 1)


def binomial_matrix(K):
    # Liu et al. 2020 as dlordinal: row y = Binomial(K - 1, p_y) pmf, p_y = linspace(0.1, 0.9, K)[y]
    p = np.linspace(0.1, 0.9, K)
    k = np.arange(K)
    logc = special.gammaln(K) - special.gammaln(k + 1) - special.gammaln(K - k)
    return np.array([np.exp(logc + k * np.log(p[y]) + (K - 1 - k) * np.log1p(-p[y])) for y in range(K)])


def softmax_rows(a):
    a = a - a.max(axis=1, keepdims=True)
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)


def poisson_matrix(K):
    # dlordinal: row y = softmax over k of the Poisson(lambda = y + 1) pmf at k = 0..K-1 (softmax of the pmf values)
    k = np.arange(K)
    pmf = np.array([np.exp(k * np.log(y + 1.0) - (y + 1.0) - special.gammaln(k + 1)) for y in range(K)])
    return softmax_rows(pmf)


def exponential_matrix(K, p=1.0, tau=1.0):
    # Vargas et al. 2023 / dlordinal: row y = softmax(-|k - y|^p / tau)
    k = np.arange(K)
    return softmax_rows(np.array([-(np.abs(k - y) ** p) / tau for y in range(K)]))


# Beta parameters (p, q, a) per K of Vargas, Gutierrez and Hervas-Martinez 2022 ("standard" set, as tabulated in
# dlordinal's soft_labelling/beta_distribution.py). Data, not code.
BETA_STANDARD = {
    3: [[1, 4, 1], [4, 4, 1], [4, 1, 1]],
    4: [[1, 6, 1], [6, 10, 1], [10, 6, 1], [6, 1, 1]],
    5: [[1, 8, 1], [6, 14, 1], [12, 12, 1], [14, 6, 1], [8, 1, 1]],
    6: [[1, 10, 1], [7, 20, 1], [15, 20, 1], [20, 15, 1], [20, 7, 1], [10, 1, 1]],
    7: [[1, 12, 1], [7, 26, 1], [16, 28, 1], [24, 24, 1], [28, 16, 1], [26, 7, 1], [12, 1, 1]],
    8: [[1, 14, 1], [7, 31, 1], [17, 37, 1], [27, 35, 1], [35, 27, 1], [37, 17, 1], [31, 7, 1], [14, 1, 1]],
    9: [[1, 16, 1], [8, 40, 1], [18, 47, 1], [30, 47, 1], [40, 40, 1], [47, 30, 1], [47, 18, 1], [40, 8, 1],
        [16, 1, 1]],
    10: [[1, 18, 1], [8, 45, 1], [19, 57, 1], [32, 59, 1], [45, 55, 1], [55, 45, 1], [59, 32, 1], [57, 19, 1],
         [45, 8, 1], [18, 1, 1]],
    11: [[1, 21, 1], [8, 51, 1], [20, 68, 1], [34, 73, 1], [48, 69, 1], [60, 60, 1], [69, 48, 1], [73, 34, 1],
         [68, 20, 1], [51, 8, 1], [21, 1, 1]],
    12: [[1, 23, 1], [8, 56, 1], [20, 76, 1], [35, 85, 1], [51, 85, 1], [65, 77, 1], [77, 65, 1], [85, 51, 1],
         [85, 35, 1], [76, 20, 1], [56, 8, 1], [23, 1, 1]],
    13: [[1, 25, 1], [8, 61, 1], [20, 84, 1], [36, 98, 1], [53, 100, 1], [70, 95, 1], [84, 84, 1], [95, 70, 1],
         [100, 53, 1], [98, 36, 1], [84, 20, 1], [61, 8, 1], [25, 1, 1]],
    14: [[1, 27, 1], [2, 17, 1], [5, 23, 1], [9, 27, 1], [13, 28, 1], [18, 28, 1], [23, 27, 1], [27, 23, 1],
         [28, 18, 1], [28, 13, 1], [27, 9, 1], [23, 5, 1], [17, 2, 1], [27, 1, 1]],
}


def beta_row(K, p, q, a=1.0):
    # probability of each interval under the distribution function F(x) = I_{x^a}(p, q) (regularised incomplete
    # beta at x^a; dlordinal writes it through 2F1)
    x = interval_points(K)
    cdf = special.betainc(p, q, x ** a)
    return np.diff(cdf)


def beta_matrix(K, params_set="standard"):
    if params_set != "standard" or K not in BETA_STANDARD:
        raise ValueError("beta: params_set 'standard' exists for K = 3..14 only")
    return np.array([beta_row(K, *prm) for prm in BETA_STANDARD[K]])


def triangle_cdf(x, a, b, c):
    if x <= a:
        return 0.0
    if x >= b:
        return 1.0
    if x <= c:
        return (x - a) ** 2 / ((b - a) * (c - a))
    return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))


def triangle_rows(K, abc):
    x = interval_points(K)
    return np.array([[triangle_cdf(x[i + 1], *t) - triangle_cdf(x[i], *t) for i in range(K)] for t in abc])


def triangular_params(K, alpha2):
    # Vargas et al. 2023 (Information Fusion): alpha2 = mass each interior class leaves in each neighbour;
    # alpha1, alpha3 = the resulting errors of the first and last class.
    s = math.sqrt(2 * alpha2)
    alpha1 = ((1 - math.sqrt(1 - 4 * (1 - 2 * alpha2) * (2 * alpha2 - s))) / 2) ** 2
    alpha3 = ((1 - math.sqrt(1 - 4 * ((K - 1) / K) ** 2 * (1 - 2 * alpha2) * (s * (-1 + s)))) / 2) ** 2
    abc = []
    for j in range(1, K + 1):
        if j == 1:
            abc.append((0.0, 1.0 / ((1.0 - math.sqrt(alpha1)) * K), 0.0))
        elif j == K:
            r = 1.0 / (K * (math.sqrt(alpha3) - 1.0))
            a = 1.0 + r if 1.0 + r > 0.0 else 1.0 - r
            abc.append((a, 1.0, 1.0))
        else:
            den = 2.0 * K * (1 - 2 * alpha2)
            n_a = 2.0 * j - 2 - 4 * j * alpha2 + 2 * alpha2
            n_b = 2.0 * j - 4 * j * alpha2 + 2 * alpha2
            a = (n_a + s) / den if (n_a + s) / den < (j - 1.0) / K else (n_a - s) / den
            b = (n_b + s) / den if (n_b + s) / den > j / K else (n_b - s) / den
            abc.append((a, b, (a + b) / 2.0))
    return abc, alpha1, alpha3


def triangular_matrix(K, alpha2=0.05):
    return triangle_rows(K, triangular_params(K, alpha2)[0])


def general_triangular_params(K, alphas):
    """Vargas et al. 2023 (Information Sciences). alphas: dlordinal's vector of 2K entries. dlordinal reads class
    k (0-based) left error from alphas[2k + 1] and right error from alphas[2k + 2]; the first class has no left
    error, the last no right error, and alphas[0], alphas[1] are never read."""
    alphas = list(alphas)
    assert len(alphas) == 2 * K
    out = []
    for k in range(K):
        L, R = k / K, (k + 1) / K
        if k == 0:
            ar = alphas[2]
            out.append((0.0, 1.0 / ((1.0 - math.sqrt(ar)) * K), 0.0))
        elif k == K - 1:
            al = alphas[2 * K - 1]
            out.append((1.0 - 1.0 / (K * (1.0 - math.sqrt(al))), 1.0, 1.0))
        else:
            al, ar = alphas[2 * k + 1], alphas[2 * k + 2]
            assert al > 0 and ar > 0, "interior alphas must be > 0"
            c = (L + R) / 2  # the mode is the interval's centre

            def eqs(v):
                a, b = v
                return [(L - a) ** 2 - al * (b - a) * (c - a), (b - R) ** 2 - ar * (b - a) * (b - c)]

            sol = optimize.fsolve(eqs, [L - 0.5 / K, R + 0.5 / K], xtol=1e-13)
            a, b = sol
            # the root with a < L < R < b (the other roots put the support inside the interval)
            assert a < L and b > R and max(abs(e) for e in eqs(sol)) < 1e-15, (k, sol, eqs(sol))
            out.append((a, b, c))
    return out


def general_triangular_matrix(K, alphas):
    return triangle_rows(K, general_triangular_params(K, alphas))


def geometric_matrix(K, alphas=0.1):
    # Haas and Huellermeier 2023, as dlordinal: alphas a float, K floats, or K triples (alpha, F_left, F_right)
    M = np.zeros((K, K))
    if isinstance(alphas, list) and isinstance(alphas[0], (list, tuple)):
        for y in range(K):
            a, fl, fr = alphas[y]
            if y == 0:
                fl, fr = 0.0, 1.0
            elif y == K - 1:
                fl, fr = 1.0, 0.0
            gl = sum(a ** (y - i) * (1 - a) for i in range(y))
            gr = sum(a ** (i - y) * (1 - a) for i in range(y + 1, K))
            for k in range(K):
                if k == y:
                    M[y, k] = 1 - a
                elif k < y:
                    M[y, k] = fl * a * a ** (y - k) * (1 - a) / gl if fl > 0 else 0.0
                else:
                    M[y, k] = fr * a * a ** (k - y) * (1 - a) / gr if fr > 0 else 0.0
        return M
    for y in range(K):
        a = alphas[y] if isinstance(alphas, list) else alphas
        g = sum(a ** abs(y - k) * (1 - a) for k in range(K) if k != y)
        for k in range(K):
            M[y, k] = 1 - a if k == y else a * a ** abs(y - k) * (1 - a) / g
    return M


def sord_matrix(K, alpha, distance="absolute", distance_matrix=None):
    # Diaz and Marathe 2019: t_k = softmax_k(-alpha * phi(y, k))
    k = np.arange(K)
    if distance == "absolute":
        phi = np.abs(k[None, :] - k[:, None]).astype(float)
    elif distance == "squared":
        phi = (k[None, :] - k[:, None]).astype(float) ** 2
    elif distance == "matrix":
        phi = np.asarray(distance_matrix, dtype=float)
    else:
        raise ValueError(distance)
    return softmax_rows(-alpha * phi)


def gaussian_matrix(K, sigma):
    # the library's existing soft labels: t_k ∝ exp(-(k - y)^2 / (2 sigma^2)), cut to 0..K-1 and renormalised
    k = np.arange(K)
    return softmax_rows(-((k[None, :] - k[:, None]) ** 2) / (2 * sigma ** 2))


def prox_matrix(counts):
    """The class-proximity matrix of dlordinal's SORD/SLACE `prox` mode (inv=False):
    prox[a][b] = -log((n_a / 2 + sum of n_l for l strictly after a up to and including b) / N)."""
    K = len(counts)
    N = float(sum(counts))
    P = np.zeros((K, K))
    for a in range(K):
        for b in range(K):
            num = counts[a] / 2
            if b > a:
                num += sum(counts[a + 1:b + 1])
            elif b < a:
                num += sum(counts[b:a])
            P[a, b] = -math.log(num / N)
    return P


_MATRIX_CACHE = {}


def shape_matrix(K, opts):
    key = (K, json.dumps(opts, sort_keys=True))
    if key not in _MATRIX_CACHE:
        _MATRIX_CACHE[key] = _shape_matrix(K, opts)
    return _MATRIX_CACHE[key]


def _shape_matrix(K, opts):
    s = opts["shape"]
    if s == "binomial":
        return binomial_matrix(K)
    if s == "poisson":
        return poisson_matrix(K)
    if s == "exponential":
        return exponential_matrix(K, opts["p"], opts["tau"])
    if s == "beta":
        return beta_matrix(K, opts["params_set"])
    if s == "triangular":
        return triangular_matrix(K, opts["alpha2"])
    if s == "general_triangular":
        return general_triangular_matrix(K, opts["alphas"])
    if s == "geometric":
        return geometric_matrix(K, opts["alphas"])
    if s == "sord":
        return sord_matrix(K, opts["alpha"], opts["distance"], opts.get("distance_matrix"))
    if s == "gaussian":
        return gaussian_matrix(K, opts["sigma"])
    if s == "matrix":
        return np.asarray(opts["matrix"], dtype=float)
    raise ValueError(s)


# ---------------------------------------------------------------------------------------------------------
# Losses (our definitions). Each: (x, y, opts, weight, sample_weight, reduction) -> tensor
# ---------------------------------------------------------------------------------------------------------

def levels(y, K):
    return (torch.as_tensor(y)[:, None] > torch.arange(K - 1)[None, :]).double()


def bce_terms(z, lev):
    # -[l log sigma(z) + (1 - l) log(1 - sigma(z))] = softplus(z) - l z
    return softplus(z) - lev * z


def coral_loss(x, y, opts, weight, sample_weight, reduction):
    K = x.shape[1] + 1
    ell = bce_terms(x, levels(y, K))
    if opts.get("importance_weights") is not None:
        ell = ell * T(opts["importance_weights"])[None, :]
    return reduce(ell.sum(1), factors(y, weight, sample_weight), reduction)


def logistic_at_loss(x, y, opts, weight, sample_weight, reduction):
    K = x.shape[1] + 1
    lev = levels(y, K)
    # sum_{q < y} softplus(-z_q) + sum_{q >= y} softplus(z_q)
    per = (lev * softplus(-x) + (1 - lev) * softplus(x)).sum(1)
    return reduce(per, factors(y, weight, sample_weight), reduction)


def corn_loss(x, y, opts, weight, sample_weight, reduction):
    K = x.shape[1] + 1
    yt = torch.as_tensor(y)
    q = torch.arange(K - 1)[None, :]
    in_task = (yt[:, None] >= q).double()  # sample i belongs to the training subset of task q iff y_i > q - 1
    ell = bce_terms(x, levels(y, K)) * in_task
    v = factors(y, weight, sample_weight)
    per = ell.sum(1)
    if reduction == "mean":
        return (v * per).sum() / (v * in_task.sum(1)).sum()
    return reduce(per, v, reduction)


def soft_targets(y, K, opts):
    M = shape_matrix(K, opts)
    eta = opts.get("eta", 1.0)
    ls = opts.get("label_smoothing", 0.0)
    t = (1 - eta) * np.eye(K)[np.asarray(y)] + eta * M[np.asarray(y)]
    return (1 - ls) * t + ls / K


def soft_label_ce_loss(x, y, opts, weight, sample_weight, reduction):
    K = x.shape[1]
    t = T(soft_targets(y, K, opts))
    per = -(t * F.log_softmax(x, 1)).sum(1)
    return reduce(per, factors(y, weight, sample_weight), reduction)


def log1m_softmax(x):
    """log(1 - p_j) = logsumexp_{k != j} z_k - logsumexp_k z_k, N x K, exact for any logits."""
    N, K = x.shape
    eye = torch.eye(K, dtype=torch.bool)
    masked = torch.where(eye[None, :, :], torch.full((N, K, K), -math.inf), x[:, None, :].expand(N, K, K))
    return torch.logsumexp(masked, 2) - torch.logsumexp(x, 1)[:, None]


def cdw_ce_loss(x, y, opts, weight, sample_weight, reduction):
    N, K = x.shape
    d = (torch.arange(K)[None, :] - torch.as_tensor(y)[:, None]).abs().double()
    w = torch.where(d > 0, d ** opts["alpha"], torch.zeros_like(d))
    per = -(w * torch.where(d > 0, log1m_softmax(x), torch.zeros_like(d))).sum(1)
    return reduce(per, factors(y, weight, sample_weight), reduction)


def slace_loss(x, y, opts, weight, sample_weight, reduction):
    N, K = x.shape
    yt = torch.as_tensor(y)
    dist = (torch.arange(K)[None, :] - yt[:, None]).abs()  # N x K: |k - y|
    q = torch.softmax(-opts["alpha"] * dist.double(), 1)
    logp = F.log_softmax(x, 1)
    # accumulated probability of class k: mass of the classes j at least as close to y as k (|j - y| <= |k - y|)
    dom = dist[:, None, :] <= dist[:, :, None]  # N x K(k) x K(j)
    logacc = torch.logsumexp(torch.where(dom, logp[:, None, :].expand(N, K, K), torch.full((N, K, K), -math.inf)), 2)
    per = -(q * logacc).sum(1)
    return reduce(per, factors(y, weight, sample_weight), reduction)


def kappa_matrix(K, penalization_type, weight):
    i = torch.arange(K).double()
    d = (i[:, None] - i[None, :]).abs() / (K - 1)
    om = d if penalization_type == "linear" else d ** 2
    if weight is not None:
        om = om * T(weight)[None, :]  # column j = true class
    return om


def qwk_loss(x, y, opts, weight, sample_weight, reduction):
    assert reduction is None
    N, K = x.shape
    p = torch.softmax(x, 1) if opts.get("use_logits", True) else x
    t = torch.eye(K)[torch.as_tensor(y)]
    s = torch.ones(N) if sample_weight is None else T(sample_weight)
    om = kappa_matrix(K, opts["penalization_type"], weight)
    conf = (s[:, None] * p).T @ t
    hist_a = (s[:, None] * p).sum(0)
    hist_b = (s[:, None] * t).sum(0)
    nom = (om * conf).sum()
    den = (om * torch.outer(hist_a, hist_b)).sum() / s.sum()
    ratio = nom / (den + opts["epsilon"])
    if opts.get("use_logarithm", False):  # de la Torre et al.'s log form, as dlordinal's use_logarithm
        return torch.log(ratio + opts["epsilon"])
    return ratio


def mce_loss(x, y, opts, weight, sample_weight, reduction):
    N, K = x.shape
    p = torch.softmax(x, 1) if opts.get("use_logits", True) else x
    t = torch.eye(K)[torch.as_tensor(y)]
    s = torch.ones(N) if sample_weight is None else T(sample_weight)
    se = (t - p) ** 2
    if weight is not None:
        se = se * T(weight)[None, :]  # column c of the prediction
    per_class = (s[:, None] * se).sum(0) / s.sum()
    if reduction == "mean":
        return per_class.mean()
    if reduction == "sum":
        return per_class.sum()
    if reduction == "none":
        return per_class
    raise ValueError(reduction)


def mce_qwk_loss(x, y, opts, weight, sample_weight, reduction):
    assert reduction is None
    wk = qwk_loss(x, y, {"penalization_type": opts["penalization_type"], "epsilon": opts["epsilon"],
                         "use_logits": opts["use_logits"]}, weight, sample_weight, None)
    mce = mce_loss(x, y, {"use_logits": opts["use_logits"]}, weight, sample_weight, "mean")
    return opts["C"] * wk + (1 - opts["C"]) * mce


def code_matrix(K):
    # ordinal ECOC code: row k = [1]*k + [0]*(K-1-k), i.e. c_{kq} = [k > q]
    return (torch.arange(K)[:, None] > torch.arange(K - 1)[None, :]).double()


def ecoc_loss(x, y, opts, weight, sample_weight, reduction):
    K = x.shape[1] + 1
    o = x if opts["input_type"] == "probabilities" else torch.sigmoid(x)
    per = ((o - code_matrix(K)[torch.as_tensor(y)]) ** 2).sum(1)
    return reduce(per, factors(y, weight, sample_weight), reduction)


LOSSES = {
    "coral": coral_loss, "corn": corn_loss, "logistic_at": logistic_at_loss, "soft_label_ce": soft_label_ce_loss,
    "cdw_ce": cdw_ce_loss, "qwk": qwk_loss, "mce": mce_loss, "mce_qwk": mce_qwk_loss, "slace": slace_loss,
    "ecoc": ecoc_loss,
}
THRESHOLD_MODELS = {"coral", "corn", "logistic_at", "ecoc"}

DEFAULTS = {
    "coral": {"importance_weights": None},
    "corn": {},
    "logistic_at": {},
    "soft_label_ce": {
        "eta": 1.0, "label_smoothing": 0.0,
        "shapes": {
            "gaussian": {"sigma": "required"},
            "sord": {"alpha": "required", "distance": "absolute", "distance_matrix": None},
            "binomial": {}, "poisson": {}, "exponential": {"p": 1.0, "tau": 1.0},
            "beta": {"params_set": "standard"}, "triangular": {"alpha2": 0.05},
            "general_triangular": {"alphas": "required (2K values)"}, "geometric": {"alphas": 0.1},
            "matrix": {"matrix": "required (K x K)"},
        },
    },
    "cdw_ce": {"alpha": 0.5},
    "qwk": {"penalization_type": "quadratic", "epsilon": 1e-10, "use_logits": True, "use_logarithm": False},
    "mce": {"use_logits": True},
    "mce_qwk": {"C": 0.5, "penalization_type": "quadratic", "epsilon": 1e-10, "use_logits": True},
    "slace": {"alpha": "required"},
    "ecoc": {"input_type": "probabilities"},
}


# ---------------------------------------------------------------------------------------------------------
# dlordinal's own definitions where they differ from ours (for dlordinal_value / dlordinal_grad)
# ---------------------------------------------------------------------------------------------------------

def dl_soft_label(x, y, opts, weight, reduction):
    """CustomTargetsCrossEntropyLoss: torch cross-entropy with probability targets; weight inside the sum over
    classes, mean divides by N. SORDLoss: weight[target] times the per-sample loss, mean over N."""
    K = x.shape[1]
    t = T(soft_targets(y, K, opts))
    logp = F.log_softmax(x, 1)
    if opts["shape"] == "sord":
        assert reduction == "mean" and opts.get("eta", 1.0) == 1.0 and opts.get("label_smoothing", 0.0) == 0.0
        per = -(t * logp).sum(1)
        if weight is not None:
            per = per * T(weight)[torch.as_tensor(y)]
        return per.mean()
    w = torch.ones(K) if weight is None else T(weight)
    per = -(w[None, :] * t * logp).sum(1)
    return {"mean": per.mean(), "sum": per.sum(), "none": per}[reduction]


def dl_cdw(x, y, alpha, weight):
    """dlordinal CDWCELoss: raw exponentials with 1e-8, weights normalised to sum 1, mean over N."""
    N, K = x.shape
    s = torch.exp(x).sum(1, keepdim=True)
    l12 = torch.log(s - torch.exp(x) + 1e-8) - torch.log(s + 1e-8)
    d = (torch.arange(K)[None, :] - torch.as_tensor(y)[:, None]).abs().to(x.dtype)
    loss = l12 * d ** alpha
    if weight is not None:
        wn = torch.as_tensor(np.asarray(weight, dtype=float), dtype=x.dtype)
        wn = wn / wn.sum()
        loss = loss * wn[torch.as_tensor(y)][:, None]
    return -loss.sum() / N


def dl_slace(x, y, alpha, weight):
    """dlordinal SLACELoss: log(accumulated probability + 1e-9), weight[target], mean over N."""
    N, K = x.shape
    p = torch.softmax(x, 1)
    yt = torch.as_tensor(y)
    dist = (torch.arange(K)[None, :] - yt[:, None]).abs()
    q = torch.softmax(-alpha * dist.double(), 1)
    dom = (dist[:, None, :] <= dist[:, :, None]).double()
    acc = (dom * p[:, None, :]).sum(2)
    per = -(q * torch.log(acc + 1e-9)).sum(1)
    if weight is not None:
        per = per * T(weight)[yt]
    return per.mean()


def value_and_grad(f, x):
    x = x.clone().requires_grad_(True)
    v = f(x)
    if v.dim() == 0:
        g, = torch.autograd.grad(v, x)
        return v.detach(), None, g
    go = T(rng.uniform(0.5, 1.5, size=v.shape[0]))
    g, = torch.autograd.grad((v * go).sum(), x)
    return v.detach(), go, g


# ---------------------------------------------------------------------------------------------------------
# Finite differences (float64, central, Richardson-extrapolated)
# ---------------------------------------------------------------------------------------------------------

def check_gradient(name, f, x, go, g):
    def scalar(xx):
        with torch.no_grad():
            v = f(xx)
            return float(v) if v.dim() == 0 else float((v * go).sum())

    f0 = scalar(x)
    flat = x.detach().clone().reshape(-1)
    fd = np.zeros(flat.numel())
    hs = []
    for i in range(flat.numel()):
        h = 1e-3
        hs.append(h)
        ds = []
        for hh in (h, h / 2):
            up = flat.clone()
            up[i] += hh
            dn = flat.clone()
            dn[i] -= hh
            ds.append((scalar(up.reshape(x.shape)) - scalar(dn.reshape(x.shape))) / (2 * hh))
        fd[i] = (4 * ds[1] - ds[0]) / 3
    ga = g.reshape(-1).numpy()
    err = np.abs(ga - fd).max()
    scale = max(np.abs(ga).max(), np.abs(fd).max())
    # relative error 1e-6 of the largest gradient entry, plus the rounding floor of the differences
    tol = 1e-6 * scale + 1e-14 * (1 + abs(f0)) / min(hs)
    assert err <= tol, f"{name}: gradient vs finite differences: max err {err:.3e} > tol {tol:.3e} (scale {scale:.3e})"
    return err, scale


# ---------------------------------------------------------------------------------------------------------
# Case building
# ---------------------------------------------------------------------------------------------------------

CASES = []
FD_STATS = {"max_rel": 0.0, "tiny_cases": 0, "tiny_max_abs": 0.0}


def lst(a):
    return a.tolist() if hasattr(a, "tolist") else a


def add_case(loss, name, x, y, options, weight=None, sample_weight=None, reduction="mean", extra=None,
             dlordinal=None):
    x = T(x)
    y = [int(v) for v in y]
    K = x.shape[1] + (1 if loss in THRESHOLD_MODELS else 0)
    assert all(0 <= v < K for v in y)
    fn = LOSSES[loss]

    def f(xx):
        return fn(xx, y, options, weight, sample_weight, reduction)

    v, go, g = value_and_grad(f, x)
    assert torch.isfinite(v).all() and torch.isfinite(g).all(), (loss, name)
    err, scale = check_gradient(f"{loss}/{name}", f, x, go, g)
    if scale > 1e-6:
        FD_STATS["max_rel"] = max(FD_STATS["max_rel"], err / scale)
    else:  # the exact gradient is ~0 (saturated outputs): only an absolute comparison means anything
        FD_STATS["tiny_cases"] += 1
        FD_STATS["tiny_max_abs"] = max(FD_STATS["tiny_max_abs"], err)
    case = {
        "loss": loss, "name": name, "K": K, "input": lst(x.numpy()), "target": y, "options": options,
        "weight": lst(weight) if weight is not None else None,
        "sample_weight": lst(sample_weight) if sample_weight is not None else None,
        "reduction": reduction,
        "value": float(v) if v.dim() == 0 else lst(v.numpy()),
        "grad_output": None if go is None else lst(go.numpy()),
        "grad": lst(g.numpy()),
    }
    if loss == "soft_label_ce":
        case["soft_target"] = lst(soft_targets(y, K, options))
    if dlordinal is not None:
        dv, dgo, dg = value_and_grad(dlordinal, x)
        if dgo is not None:  # use the same upstream gradient as ours for a vector value
            xx = x.clone().requires_grad_(True)
            dg, = torch.autograd.grad((dlordinal(xx) * go).sum(), xx)
        assert torch.isfinite(dv).all() and torch.isfinite(dg).all()
        case["dlordinal_value"] = float(dv) if dv.dim() == 0 else lst(dv.numpy())
        case["dlordinal_grad"] = lst(dg.numpy())
    if extra:
        case.update(extra)
    CASES.append(case)
    return case


def logits(B, K, scale=2.0):
    return rng.normal(0.0, scale, size=(B, K))


def targets(B, K):
    return rng.integers(0, K, size=B)


def class_weight(K):
    return np.round(rng.uniform(0.2, 3.0, size=K), 6)


def sample_weight_with_zero(B):
    s = np.round(rng.uniform(0.1, 2.0, size=B), 6)
    s[rng.integers(0, B)] = 0.0
    return s


def batch(K):
    return 4 if K >= 100 else int(rng.integers(5, 14))


def extreme(B, K, m):
    # entries +-m (random signs), one sample with all equal logits, one with a single +m
    x = m * rng.choice([-1.0, 1.0], size=(B, K)) * rng.uniform(0.5, 1.0, size=(B, K))
    x[0, :] = m
    x[1, :] = -m
    x[1, rng.integers(0, K)] = m
    return x


def standard_scenarios(loss, K_in, width, options, reductions=("mean", "sum", "none"), ks=(2, 3, 5, 10, 100),
                       extremes=(30.0, 1000.0), dl=None, weights=True, tag=""):
    """A standard set of cases for a per-sample loss. width(K) = number of network outputs (K or K - 1)."""
    pre = f"{tag}-" if tag else ""
    for K in ks:
        B = batch(K)
        x, y = logits(B, width(K)), targets(B, K)
        add_case(loss, f"{pre}random-k{K}", x, y, options, dlordinal=dl(y, None, "mean") if dl else None)
    K = K_in
    B = batch(K)
    x, y = logits(B, width(K)), targets(B, K)
    for r in reductions:
        add_case(loss, f"{pre}random-k{K}-{r}", x, y, options, reduction=r)
    if weights:
        w = class_weight(K)
        s = sample_weight_with_zero(B)
        for r in reductions:
            add_case(loss, f"{pre}class-weight-k{K}-{r}", x, y, options, weight=w, reduction=r,
                     dlordinal=dl(y, w, r) if dl else None)
        add_case(loss, f"{pre}sample-weight-k{K}-mean", x, y, options, sample_weight=s)
        for r in reductions:
            add_case(loss, f"{pre}both-weights-k{K}-{r}", x, y, options, weight=w, sample_weight=s, reduction=r)
    for c in (0, K // 2, K - 1):
        B = batch(K)
        add_case(loss, f"{pre}one-class-{c}-k{K}", logits(B, width(K)), np.full(B, c), options,
                 dlordinal=dl(np.full(B, c), None, "mean") if dl else None)
    for m in extremes:
        B = batch(K)
        mm = "1e3" if m == 1000.0 else str(int(m))
        add_case(loss, f"{pre}extreme-{mm}-k{K}", extreme(B, width(K), m), targets(B, K), options)
        if 2 in ks:
            add_case(loss, f"{pre}extreme-{mm}-k2", extreme(6, width(2), m), targets(6, 2), options)
    if 2 in ks:
        add_case(loss, f"{pre}one-class-k2", logits(6, width(2)), np.full(6, 1), options)
    if 100 in ks:
        add_case(loss, f"{pre}one-class-k100", logits(4, width(100)), np.full(4, 37), options)


# ---------------------------------------------------------------------------------------------------------
# Self-checks against numbers published by dlordinal and coral-pytorch (their tests and docstrings)
# ---------------------------------------------------------------------------------------------------------

def close(a, b, tol, what):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    assert a.shape == b.shape and np.abs(a - b).max() <= tol, f"{what}: {a} vs {b}"


def published_checks():
    # logistic AT (dlordinal test_logistic_at_loss.py (dlordinal tests folder)): projection w*x, thresholds, batch sum
    xs, w, th = np.array([0.5, -2, -1, 3, 4]), 0.675, np.array([-0.7, 1.1, 2.3])
    y = [1, 2, 0, 2, 3]
    z = T((w * xs)[:, None] - th[None, :])
    v = float(logistic_at_loss(z, y, {}, None, None, "sum"))
    close(v, 7.05051912359419, 1e-6 * 7.05, "logistic AT")
    close(v + 0.5 / 2 * w ** 2, 7.16442537359419, 1e-6 * 7.16, "logistic AT with reg_lambda 0.5")
    # CORAL (coral-pytorch coral_loss docstring)
    lg = T([[2.1, 1.8, -2.1, -1.8], [1.9, -1., -1.5, -1.3], [1.9, 1.8, 1.7, 1.6]])
    close(float(coral_loss(lg, [2, 1, 4], {}, None, None, "mean")), 0.6920, 5e-5, "CORAL docstring")
    # CORN zero loss (dlordinal test_corn_loss.py (dlordinal tests folder))
    lg = T([[-1e3, 1e3], [1e3, -1e3], [1e3, 1e3]])
    close(float(corn_loss(lg, [0, 1, 2], {}, None, None, "mean")), 0.0, 1e-12, "CORN zero loss")
    # SLACE and SORD exact values (dlordinal tests)
    close(float(dl_slace(T([[2.0, 1.0, 0.1]]), [1], 1.0, None)), 0.8163748706490453, 1e-6, "SLACE dlordinal")
    close(float(slace_loss(T([[2.0, 1.0, 0.1]]), [1], {"alpha": 1.0}, None, None, "mean")), 0.8163748706490453,
          1e-6, "SLACE ours")
    close(float(soft_label_ce_loss(T([[1.5, 2.5, 5.0, 2.0]]), [2], {"shape": "sord", "alpha": 1.0,
                                                                     "distance": "absolute"}, None, None, "mean")),
          1.48472126591998, 1e-9, "SORD")
    close(prox_matrix([10, 10, 10]), [[1.791759, 0.693147, 0.182322], [0.693147, 1.791759, 0.693147],
                                      [0.182322, 0.693147, 1.791759]], 1e-6, "prox matrix")
    # CDW-CE (dlordinal test_cdw.py (dlordinal tests folder)), with and without class weights
    yp = T([[1, 2, 3, 4], [5, 8, 1, 0], [-2, 5, 3, 2], [-4, 5, 3, 2]])
    for a, r in [(0.5, 1.73862), (1.0, 2.37753), (2.0, 4.99029)]:
        close(float(dl_cdw(yp, [0, 1, 2, 3], a, None)), r, 1e-4, f"CDW dlordinal alpha {a}")
        close(float(cdw_ce_loss(yp, [0, 1, 2, 3], {"alpha": a}, None, None, "mean")), r, 1e-4, f"CDW ours {a}")
    for a, w, r in [(0.5, [5, 1, 1.1, 6.6], 0.57611), (1.0, [5, 1, 1.1, 6.6], 0.84099),
                    (2.0, [5, 1, 1.1, 6.6], 1.90280), (0.5, [1, 2, 3, 4], 0.47590), (1.0, [1, 2, 3, 4], 0.62137),
                    (2.0, [1, 2, 3, 4], 1.16119)]:
        close(float(dl_cdw(yp, [0, 1, 2, 3], a, w)), r, 1e-4, f"CDW dlordinal weighted {a} {w}")
    # WK loss (dlordinal test_wkloss.py (dlordinal tests folder)): softmax inputs, class weights on the true-class columns
    wk_x = T([[1.1182, -1.4991, -1.6639, -2.6338, 1.0638, -1.7242], [0.0584, 0.8491, 0.4281, -0.1311, 0.3988, 0.9868],
              [0.1456, -0.6615, -0.7971, -0.6217, 1.5191, 1.2822], [-1.1213, -0.1885, 0.4632, -1.0184, -0.4659, -0.0324],
              [-1.9973, -1.9622, -0.7560, -0.1352, 0.3598, 0.9245], [-0.4714, 0.9953, 0.3056, 1.4104, -0.3741, -1.4388],
              [-0.0293, -1.6450, -1.4326, -0.3240, 1.1304, 2.6315], [1.2635, 0.4663, -0.2953, 1.1983, -1.0992, -1.1091],
              [2.0113, 0.1522, 0.8675, -0.5035, -0.6438, 0.1304], [-0.4665, 1.9245, 1.6211, 0.7804, -0.9119, 0.8178]])
    wk_w = [1.60843373, 0.55394191, 1.02692308, 0.78070175, 1.12184874, 2.34210526]
    wk_y = [0, 4, 1, 3, 5, 4, 4, 3, 1, 2]
    # These two numbers belong to dlordinal's earlier WKLoss, whose penalty matrix was always quadratic and whose
    # penalization_type raised the probabilities to the power 1 ("linear") or 2 ("quadratic", renormalised). The
    # current WKLoss (followed here) uses |i-j|/(K-1) or (i-j)^2/(K-1)^2 on the probabilities themselves.
    v = float(qwk_loss(wk_x, wk_y, {"penalization_type": "quadratic", "epsilon": 1e-10}, wk_w, None, None))
    close(v, 0.6403, 1e-3 * 0.6403, "WK quadratic = earlier WKLoss 'linear'")
    p = torch.softmax(wk_x, 1)
    p2 = p ** 2 / (p ** 2).sum(1, keepdim=True)
    v = float(qwk_loss(p2, wk_y, {"penalization_type": "quadratic", "epsilon": 1e-10, "use_logits": False}, wk_w,
                       None, None))
    close(v, 0.5146, 1e-3 * 0.5146, "WK quadratic on renormalised p^2 = earlier WKLoss 'quadratic'")
    one = T([[1e4, 0, 0, 0, 0, 0], [0, 1e4, 0, 0, 0, 0], [0, 0, 1e4, 0, 0, 0], [0, 0, 0, 0, 0, 1e4]])
    close(float(qwk_loss(one, [0, 1, 2, 5], {"penalization_type": "quadratic", "epsilon": 1e-10}, wk_w, None, None)),
          0.0, 1e-12, "WK zero loss")
    # MCE (dlordinal test_mceloss.py (dlordinal tests folder)): softmax of the inputs, per-class MSE, mean over classes
    mx = T([[0.3255, 0.4393, -1.5535, -0.8568, -0.3322, -0.6268], [-0.9402, 0.7138, -1.1149, 0.7496, 1.5757, -1.2949],
            [-0.1394, 0.2133, -0.5924, 0.6975, -1.2350, 0.3287], [-1.6369, -0.3372, 0.4819, 0.2617, 2.2610, 1.9734],
            [0.3653, -0.7494, 1.4580, 0.6081, 0.8103, 2.0266], [0.0591, -0.3830, 1.3315, -0.2456, 0.3857, 0.1374],
            [-0.9824, 0.1123, 0.0179, 0.1617, -1.4736, 0.4105], [-0.3583, 0.4595, 2.4428, 0.8525, -1.4174, -0.8660],
            [-0.1506, 0.0283, -0.6797, 0.2403, -0.2998, 0.2174], [0.3124, 1.2276, -0.0129, -0.1195, -1.3243, 1.1227]])
    close(float(mce_loss(mx, [1, 2, 4, 3, 2, 0, 5, 3, 1, 3], {}, None, None, "mean")), 0.1626, 1e-3 * 0.1626, "MCE")
    big = np.zeros((8, 6))
    for i, c in enumerate([0, 0, 0, 2, 3, 4, 5, 4]):
        big[i, c] = 1e4
    close(float(mce_loss(T(big), [0, 0, 0, 1, 2, 3, 4, 5], {}, None, None, "mean")), 0.2083, 1e-3 * 0.2083,
          "MCE one class perfect")
    # soft-label matrices (dlordinal soft_labelling docstrings)
    close(binomial_matrix(5), [[6.561e-01, 2.916e-01, 4.860e-02, 3.600e-03, 1.000e-04],
                               [2.401e-01, 4.116e-01, 2.646e-01, 7.560e-02, 8.100e-03],
                               [6.250e-02, 2.500e-01, 3.750e-01, 2.500e-01, 6.250e-02],
                               [8.100e-03, 7.560e-02, 2.646e-01, 4.116e-01, 2.401e-01],
                               [1.000e-04, 3.600e-03, 4.860e-02, 2.916e-01, 6.561e-01]], 1e-12, "binomial K=5")
    close(exponential_matrix(5)[:3], [[0.63640865, 0.23412166, 0.08612854, 0.03168492, 0.01165623],
                                      [0.19151597, 0.52059439, 0.19151597, 0.07045479, 0.02591887],
                                      [0.06745081, 0.1833503, 0.49839779, 0.1833503, 0.06745081]], 1e-8,
          "exponential K=5")
    close(poisson_matrix(5), [[0.23414552, 0.23414552, 0.19480578, 0.17232403, 0.16457916],
                              [0.18896888, 0.21635436, 0.21635436, 0.19768881, 0.18063359],
                              [0.17822335, 0.19688341, 0.21214973, 0.21214973, 0.20059378],
                              [0.17919028, 0.18931175, 0.20370191, 0.21389803, 0.21389803],
                              [0.18400408, 0.18903075, 0.19882883, 0.21031236, 0.21782399]], 1e-8, "poisson K=5")
    close(beta_row(3, 2, 3), [0.4074074080000002, 0.48148148059259255, 0.11111111140740726], 1e-12, "beta(2,3) K=3")
    close(beta_row(5, 5, 1, 2), [1.0240000307200007e-07, 0.00010475520052121611, 0.005941759979320316,
                                 0.10132756401484902, 0.8926258084053067], 1e-12, "beta(5,1,2) K=5")
    close(beta_matrix(3), [[0.802469132197531, 0.18518518474074064, 0.01234567906172801],
                           [0.17329675405578432, 0.6534064918884313, 0.1732967540557846],
                           [0.012345679061728405, 0.1851851847407408, 0.8024691321975309]], 1e-12, "beta K=3")
    close(beta_matrix(5)[2], [0.0005973937258183486, 0.16304604740785777, 0.6727131177326486, 0.16304604740785367,
                              0.000597393725820794], 1e-12, "beta K=5 row 2")
    close(triangular_matrix(5, 0.01), [[0.98845494, 0.01154505, 0, 0, 0], [0.01, 0.98, 0.01, 0, 0],
                                       [0, 0.01, 0.98, 0.01, 0], [0, 0, 0.01, 0.98, 0.01],
                                       [0, 0, 0, 0.00505524, 0.99494475]], 2e-8, "triangular K=5 alpha2=0.01")
    gt = [0, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0]
    prm = general_triangular_params(5, gt)
    close([prm[0][1], prm[1][0], prm[1][1], prm[2][0], prm[2][1], prm[3][0], prm[3][1], prm[4][0]],
          [0.25760143110525874, 0.153752470442574, 0.446247529557426, 0.353752470442574, 0.646247529557426,
           0.550779686438060, 0.875486049708105, 0.8], 1e-12, "general triangular parameters K=5")
    close(general_triangular_matrix(5, gt), [[0.95, 0.05, 0, 0, 0], [0.05, 0.9, 0.05, 0, 0], [0, 0.05, 0.9, 0.05, 0],
                                            [0, 0, 0.05, 0.85, 0.1], [0, 0, 0, 0, 1]], 5e-8, "general triangular K=5")


def identity_checks():
    x = T(logits(7, 4))
    y = [0, 3, 1, 2, 2, 0, 3]
    # CORN with K = 2 is CORAL; logistic AT is CORAL without importance weights
    x2 = T(logits(6, 1))
    y2 = [0, 1, 1, 0, 1, 1]
    close(float(corn_loss(x2, y2, {}, None, None, "mean")), float(coral_loss(x2, y2, {}, None, None, "mean")),
          1e-14, "CORN K=2 = CORAL")
    close(logistic_at_loss(x, y, {}, None, None, "none"), coral_loss(x, y, {}, None, None, "none"), 1e-14,
          "logistic AT = CORAL")
    # against torch's own implementations: BCE with logits (CORAL) and cross-entropy with probability targets,
    # class weights and label smoothing (what dlordinal's unimodal losses call)
    close(coral_loss(x, y, {}, None, None, "none"),
          F.binary_cross_entropy_with_logits(x, levels(y, 5), reduction="none").sum(1), 1e-14, "CORAL = torch BCE")
    xw = T(logits(9, 6))
    yw = [int(v) for v in targets(9, 6)]
    ww = [0.5, 2.0, 1.0, 0.3, 1.7, 1.1]
    for o in ({"shape": "binomial"}, {"shape": "poisson", "eta": 0.6, "label_smoothing": 0.15}):
        oo = dict(o, label_smoothing=0.0)
        tt = T(soft_targets(yw, 6, oo))
        for r in ("mean", "sum", "none"):
            close(dl_soft_label(xw, yw, o, ww, r),
                  F.cross_entropy(xw, tt, weight=T(ww), reduction=r, label_smoothing=o.get("label_smoothing", 0.0)),
                  1e-13, f"dlordinal soft-label semantics = torch cross_entropy ({o}, {r})")
    # soft-label identities
    close(sord_matrix(6, 0.7, "absolute"), exponential_matrix(6, 1.0, 1 / 0.7), 1e-15, "SORD abs = exponential")
    close(gaussian_matrix(6, 1.3), sord_matrix(6, 1 / (2 * 1.3 ** 2), "squared"), 1e-15, "gaussian = SORD squared")
    xs = T(logits(7, 5))
    ys = [0, 4, 1, 3, 2, 2, 0]
    for shape in ({"shape": "binomial"}, {"shape": "triangular", "alpha2": 0.05}):
        o = dict(shape, eta=0.0)
        close(float(soft_label_ce_loss(xs, ys, o, None, None, "mean")),
              float(F.cross_entropy(xs, torch.as_tensor(ys))), 1e-14, "eta = 0 is cross-entropy")
    # mean of none equals mean; shift invariance of the softmax losses
    for loss, o in [("soft_label_ce", {"shape": "poisson"}), ("cdw_ce", {"alpha": 1.5}), ("slace", {"alpha": 2.0})]:
        fn = LOSSES[loss]
        close(float(fn(xs, ys, o, None, None, "mean")), float(fn(xs, ys, o, None, None, "none").mean()), 1e-14,
              f"{loss} mean = mean(none)")
        for c in (100.0, -1000.0):
            close(float(fn(xs + c, ys, o, None, None, "mean")), float(fn(xs, ys, o, None, None, "mean")),
                  1e-12 * float(fn(xs, ys, o, None, None, "mean")), f"{loss} shift {c}")
    qo = {"penalization_type": "quadratic", "epsilon": 1e-10}
    close(float(qwk_loss(xs + 500.0, ys, qo, None, None, None)), float(qwk_loss(xs, ys, qo, None, None, None)), 1e-13,
          "qwk shift")
    # QWK: integer sample weights = repeated rows
    s = [1, 2, 0, 3, 1, 1, 2]
    rep = [i for i in range(7) for _ in range(s[i])]
    close(float(qwk_loss(xs, ys, qo, [1, 2, 0.5, 1, 3], s, None)),
          float(qwk_loss(xs[rep], [ys[i] for i in rep], qo, [1, 2, 0.5, 1, 3], None, None)), 1e-14,
          "qwk sample weights = repeats")
    close(float(mce_loss(xs, ys, {}, [1, 2, 0.5, 1, 3], s, "none").sum()),
          float(mce_loss(xs[rep], [ys[i] for i in rep], {}, [1, 2, 0.5, 1, 3], None, "sum")), 1e-14,
          "mce sample weights = repeats")


# ---------------------------------------------------------------------------------------------------------
# Probability conversions and prediction rules of the threshold models
# ---------------------------------------------------------------------------------------------------------

def coral_probabilities(z):
    """P(y > q) = sigmoid(z_q). The class distribution uses the running minimum of these (the largest
    non-increasing sequence below them): p_0 = 1 - P~_0, p_k = P~_{k-1} - P~_k, p_{K-1} = P~_{K-2}. For
    rank-consistent outputs (z non-increasing in q, which CORAL's shared weights with ordered biases give) this is
    the plain difference of the cumulative probabilities."""
    cum = torch.sigmoid(z)
    env = torch.cummin(cum, 1).values
    ones = torch.ones(z.shape[0], 1)
    zeros = torch.zeros(z.shape[0], 1)
    upper = torch.cat([ones, env], 1)
    lower = torch.cat([env, zeros], 1)
    p = upper - lower
    # p_0 from the complement without cancellation: 1 - sigmoid(z_0) = sigmoid(-z_0) (env_0 = cum_0)
    p[:, 0] = torch.sigmoid(-z[:, 0])
    return cum, p


def corn_probabilities(z):
    """Conditional P(y > q | y > q - 1) = sigmoid(z_q); P(y > q) = prod_{t <= q} sigmoid(z_t) (cumulative product,
    coral-pytorch's corn_label_from_logits); p_k = P(y > k - 1) * sigmoid(-z_k), p_{K-1} = P(y > K - 2), computed in
    log space so no difference is taken."""
    ls = F.logsigmoid(z)
    logcum = torch.cumsum(ls, 1)
    prev = torch.cat([torch.zeros(z.shape[0], 1), logcum], 1)  # log P(y > k - 1), k = 0..K-1
    tail = torch.cat([F.logsigmoid(-z), torch.zeros(z.shape[0], 1)], 1)
    return torch.exp(logcum), torch.exp(prev + tail)


def add_probabilities(model, z, extra=None):
    z = T(z)
    if model == "corn":
        cum, p = corn_probabilities(z)
    else:
        cum, p = coral_probabilities(z)
    assert (p >= 0).all() and torch.allclose(p.sum(1), torch.ones(p.shape[0]), atol=1e-14, rtol=0), (model, p)
    pred = (cum > 0.5).sum(1)  # number of thresholds passed (strictly above 1/2)
    if model == "corn":
        assert (cum[:, 1:] <= cum[:, :-1]).all()  # the cumulative product never increases
    entry = {"model": model, "K": z.shape[1] + 1, "input": lst(z.numpy()), "cumulative": lst(cum.numpy()),
             "probabilities": lst(p.numpy()), "prediction": lst(pred.numpy()), "argmax": lst(p.argmax(1).numpy())}
    if extra:
        entry.update(extra)
    return entry


# ---------------------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------------------

def main():
    published_checks()
    identity_checks()

    kl = lambda K: K  # noqa: E731  (K logits)
    km1 = lambda K: K - 1  # noqa: E731  (K - 1 outputs)

    # ---- CORAL ------------------------------------------------------------------------------------------
    standard_scenarios("coral", 5, km1, {"importance_weights": None})
    x, y = logits(8, 4), targets(8, 5)
    for r in ("mean", "sum", "none"):
        add_case("coral", f"importance-weights-k5-{r}", x, y, {"importance_weights": [1.0, 0.5, 2.0, 0.25]},
                 reduction=r)
    add_case("coral", "importance-and-class-weights-k5", x, y, {"importance_weights": [1.0, 0.5, 2.0, 0.25]},
             weight=class_weight(5), sample_weight=sample_weight_with_zero(8))
    z = np.sort(logits(7, 9), 1)[:, ::-1] + 0.0  # rank-consistent outputs
    add_case("coral", "rank-consistent-k10", z, targets(7, 10), {"importance_weights": None})

    # ---- CORN -------------------------------------------------------------------------------------------
    standard_scenarios("corn", 5, km1, {})
    add_case("corn", "all-last-class-k6", logits(7, 5), np.full(7, 5), {})
    add_case("corn", "mixed-first-last-k6", logits(8, 5), [0, 5, 0, 5, 0, 5, 2, 3], {}, weight=class_weight(6))

    # ---- logistic all-threshold -------------------------------------------------------------------------
    standard_scenarios("logistic_at", 5, km1, {})
    for K, B in ((5, 9), (3, 6), (10, 5)):
        f = rng.normal(0, 2, size=B)
        th = np.cumsum(np.concatenate([[rng.normal(-1.5, 0.5)], rng.uniform(0.3, 1.5, size=K - 2)]))
        zz = f[:, None] - th[None, :]
        yy = targets(B, K)
        for r in ("mean", "sum"):
            c = add_case("logistic_at", f"projection-thresholds-k{K}-{r}", zz, yy, {}, reduction=r)
            g = np.array(c["grad"])
            c.update({"projection": lst(f), "thresholds": lst(th), "grad_projection": lst(g.sum(1)),
                      "grad_thresholds": lst(-g.sum(0)),
                      "note": "input[i][q] = projection[i] - thresholds[q] (dlordinal's CLM form f(x) = w*x against "
                              "thresholds); grad_projection[i] = sum_q grad[i][q], grad_thresholds[q] = "
                              "-sum_i grad[i][q]"})

    # ---- soft-label cross-entropy ------------------------------------------------------------------------
    def sl(opts):
        o = {"eta": 1.0, "label_smoothing": 0.0}
        o.update(opts)
        return o

    def dl_sl(opts):
        def make(y, w, r):
            if opts["shape"] == "gaussian" or w is None:
                return None  # no dlordinal class, or the same definition as ours
            if opts["shape"] == "sord" and (r != "mean" or opts.get("distance") != "absolute"):
                return None
            return lambda xx: dl_soft_label(xx, [int(v) for v in y], opts, w, r)
        return make

    shape_sets = [
        ("gaussian", {"shape": "gaussian", "sigma": 1.0}, (2, 3, 5, 10, 100)),
        ("sord", {"shape": "sord", "alpha": 1.0, "distance": "absolute", "distance_matrix": None}, (2, 3, 5, 10, 100)),
        ("binomial", {"shape": "binomial"}, (2, 3, 5, 10, 100)),
        ("poisson", {"shape": "poisson"}, (2, 3, 5, 10, 100)),
        ("exponential", {"shape": "exponential", "p": 1.0, "tau": 1.0}, (2, 3, 5, 10, 100)),
        ("beta", {"shape": "beta", "params_set": "standard"}, (3, 5, 10, 14)),
        ("triangular", {"shape": "triangular", "alpha2": 0.05}, (2, 3, 5, 10, 100)),
        ("geometric", {"shape": "geometric", "alphas": 0.1}, (2, 3, 5, 10, 100)),
    ]
    for tag, o, ks in shape_sets:
        kin = 5
        standard_scenarios("soft_label_ce", kin, kl, sl(o), ks=ks, dl=dl_sl(o), tag=tag,
                           extremes=(30.0, 1000.0) if tag in ("gaussian", "binomial") else (30.0,))
    # general triangular: alphas vector per K (dlordinal's 2K layout)
    gt = {2: [0, 0, 0.05, 0.1], 3: [0, 0, 0.05, 0.05, 0.1, 0],
          5: [0, 0.1, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.1, 0],
          10: [0, 0] + [round(float(v), 4) for v in rng.uniform(0.01, 0.15, size=18)]}
    for K, a in gt.items():
        o = sl({"shape": "general_triangular", "alphas": a})
        B = batch(K)
        x, y = logits(B, K), targets(B, K)
        add_case("soft_label_ce", f"general_triangular-random-k{K}", x, y, o)
    o = sl({"shape": "general_triangular", "alphas": gt[5]})
    x, y = logits(9, 5), targets(9, 5)
    w = class_weight(5)
    for r in ("mean", "sum", "none"):
        add_case("soft_label_ce", f"general_triangular-class-weight-k5-{r}", x, y, o, weight=w, reduction=r,
                 dlordinal=dl_sl(o)(y, w, r))
    add_case("soft_label_ce", "general_triangular-one-class-4-k5", logits(6, 5), np.full(6, 4), o)
    # SORD variants: squared distance, custom matrix (dlordinal's proximity construction, ftype "max")
    for dist, alpha in (("squared", 0.5), ("absolute", 3.0)):
        o = sl({"shape": "sord", "alpha": alpha, "distance": dist, "distance_matrix": None})
        for K in (3, 5, 10):
            B = batch(K)
            x, y = logits(B, K), targets(B, K)
            add_case("soft_label_ce", f"sord-{dist}-alpha{alpha}-k{K}", x, y, o,
                     dlordinal=dl_sl(o)(y, None, "mean"))
    counts = [30, 12, 5, 40, 13]
    P = prox_matrix(counts)
    D = (P.max() - P).tolist()
    o = sl({"shape": "sord", "alpha": 1.0, "distance": "matrix", "distance_matrix": D})
    x, y = logits(8, 5), targets(8, 5)
    add_case("soft_label_ce", "sord-prox-max-matrix-k5", x, y, o,
             extra={"note": f"distance_matrix = max(prox) - prox with prox the class-proximity matrix of class counts "
                            f"{counts} (dlordinal SORDLoss prox=True, ftype='max')"})
    # exponential with p, tau; geometric lists; triangular alpha2; eta and label smoothing; user matrix
    for name, opts, K in [
        ("exponential-p2-tau0.5", {"shape": "exponential", "p": 2.0, "tau": 0.5}, 6),
        ("exponential-p1.5-tau3", {"shape": "exponential", "p": 1.5, "tau": 3.0}, 10),
        ("triangular-alpha2-0.01", {"shape": "triangular", "alpha2": 0.01}, 5),
        ("triangular-alpha2-0.15", {"shape": "triangular", "alpha2": 0.15}, 7),
        ("geometric-alpha-list", {"shape": "geometric", "alphas": [0.2, 0.05, 0.1, 0.15, 0.1]}, 5),
        ("geometric-asymmetric", {"shape": "geometric",
                                  "alphas": [[0.2, 0.0, 1.0], [0.05, 0.8, 0.2], [0.1, 0.5, 0.5], [0.15, 0.6, 0.4],
                                             [0.1, 1.0, 0.0]]}, 5),
        ("geometric-alpha0.3", {"shape": "geometric", "alphas": 0.3}, 8),
        ("binomial-eta0.4", {"shape": "binomial", "eta": 0.4}, 5),
        ("beta-eta0.7-ls0.1", {"shape": "beta", "params_set": "standard", "eta": 0.7, "label_smoothing": 0.1}, 6),
        ("poisson-ls0.2", {"shape": "poisson", "label_smoothing": 0.2}, 4),
        ("gaussian-sigma0.5", {"shape": "gaussian", "sigma": 0.5}, 7),
        ("gaussian-sigma3", {"shape": "gaussian", "sigma": 3.0}, 12),
    ]:
        o = sl(opts)
        B = batch(K)
        x, y = logits(B, K), targets(B, K)
        add_case("soft_label_ce", f"{name}-k{K}", x, y, o, dlordinal=dl_sl(o)(y, None, "mean"))
        w = class_weight(K)
        add_case("soft_label_ce", f"{name}-class-weight-k{K}", x, y, o, weight=w, dlordinal=dl_sl(o)(y, w, "mean"))
    Mu = softmax_rows(rng.normal(0, 1.5, size=(4, 4)))
    o = sl({"shape": "matrix", "matrix": lst(Mu)})
    x, y = logits(7, 4), targets(7, 4)
    for r in ("mean", "sum", "none"):
        add_case("soft_label_ce", f"matrix-k4-{r}", x, y, o, reduction=r)
    w = class_weight(4)
    add_case("soft_label_ce", "matrix-class-weight-k4", x, y, o, weight=w, dlordinal=dl_sl(o)(y, w, "mean"))

    # ---- CDW-CE -----------------------------------------------------------------------------------------
    def dl_cdw_make(alpha):
        def make(y, w, r):
            if r != "mean":
                return None
            return lambda xx: dl_cdw(xx, [int(v) for v in y], alpha, w)
        return make

    for alpha in (0.5, 1.0, 2.0, 5.0):
        standard_scenarios("cdw_ce", 5, kl, {"alpha": alpha}, dl=dl_cdw_make(alpha), tag=f"alpha{alpha}",
                           ks=(2, 3, 5, 10, 100) if alpha in (0.5, 5.0) else (3, 5),
                           weights=alpha in (0.5, 2.0), extremes=(30.0, 1000.0) if alpha == 0.5 else (30.0,))
    # the published dlordinal case
    yp = [[1, 2, 3, 4], [5, 8, 1, 0], [-2, 5, 3, 2], [-4, 5, 3, 2]]
    for a in (0.5, 1.0, 2.0):
        add_case("cdw_ce", f"dlordinal-test-alpha{a}", yp, [0, 1, 2, 3], {"alpha": a},
                 dlordinal=lambda xx, a=a: dl_cdw(xx, [0, 1, 2, 3], a, None))
        add_case("cdw_ce", f"dlordinal-test-weighted-alpha{a}", yp, [0, 1, 2, 3], {"alpha": a},
                 weight=[5, 1, 1.1, 6.6], dlordinal=lambda xx, a=a: dl_cdw(xx, [0, 1, 2, 3], a, [5, 1, 1.1, 6.6]))
    # shift invariance and dlordinal's failure modes
    base = logits(6, 5)
    yb = targets(6, 5)
    for c in (0.0, 100.0, -100.0, 1000.0):
        x = base + c
        xf = torch.tensor(x, dtype=torch.float32)
        d32 = float(dl_cdw(xf, [int(v) for v in yb], 1.0, None))
        d64 = float(dl_cdw(T(x), [int(v) for v in yb], 1.0, None))
        add_case("cdw_ce", f"shift{c:+g}-k5", x, yb, {"alpha": 1.0},
                 extra={"note": f"the same logits shifted by {c:+g}: our value is unchanged; dlordinal gives "
                                f"{d32!r} in float32 and {d64!r} in float64"})
    # a confidently wrong sample, its logits high or low: ours depends only on the differences of the logits
    for label, xw in (("high", [[0.0, 0.0, 0.0, 0.0, 40.0], [25.0, 0.0, 0.0, 0.0, 0.0]]),
                      ("low", [[-30.0, -30.0, -30.0, -30.0, 10.0], [-5.0, -40.0, -40.0, -40.0, -40.0]])):
        yw = [0, 4]
        desc = []
        for dt in (torch.float32, torch.float64):
            xx = torch.tensor(xw, dtype=dt, requires_grad=True)
            dv = dl_cdw(xx, yw, 1.0, None)
            dg, = torch.autograd.grad(dv, xx)
            desc.append(f"{'float32' if dt == torch.float32 else 'float64'}: value {float(dv):.6g}, gradient "
                        + np.array2string(dg.detach().double().numpy(), precision=3, separator=",").replace("\n", ""))
        c = add_case("cdw_ce", f"confidently-wrong-{label}-k5", xw, yw, {"alpha": 1.0})
        c["note"] = ("each sample puts its mass on the class farthest from its target; ours: gradient "
                     + np.array2string(np.array(c["grad"]), precision=3, separator=",").replace("\n", "")
                     + ". dlordinal " + "; ".join(desc))

    # ---- SLACE ------------------------------------------------------------------------------------------
    def dl_slace_make(alpha):
        def make(y, w, r):
            if r != "mean":
                return None
            return lambda xx: dl_slace(xx, [int(v) for v in y], alpha, w)
        return make

    for alpha in (1.0, 0.25, 4.0):
        standard_scenarios("slace", 5, kl, {"alpha": alpha}, dl=dl_slace_make(alpha), tag=f"alpha{alpha}",
                           ks=(2, 3, 5, 10, 100) if alpha == 1.0 else (3, 7), weights=alpha == 1.0,
                           extremes=(30.0, 1000.0) if alpha == 1.0 else (30.0,))
    add_case("slace", "dlordinal-test-k3", [[2.0, 1.0, 0.1]], [1], {"alpha": 1.0},
             dlordinal=lambda xx: dl_slace(xx, [1], 1.0, None))

    # ---- QWK, MCE, MCE+QWK ------------------------------------------------------------------------------
    for pen in ("quadratic", "linear"):
        o = {"penalization_type": pen, "epsilon": 1e-10, "use_logits": True, "use_logarithm": False}
        for K in (2, 3, 5, 10, 100):
            B = 6 if K == 100 else batch(K)
            add_case("qwk", f"{pen}-random-k{K}", logits(B, K), targets(B, K), o, reduction=None)
        x, y = logits(10, 6), targets(10, 6)
        add_case("qwk", f"{pen}-class-weight-k6", x, y, o, weight=class_weight(6), reduction=None)
        add_case("qwk", f"{pen}-sample-weight-k6", x, y, o, sample_weight=sample_weight_with_zero(10), reduction=None)
        add_case("qwk", f"{pen}-both-weights-k6", x, y, o, weight=class_weight(6),
                 sample_weight=sample_weight_with_zero(10), reduction=None)
        add_case("qwk", f"{pen}-one-class-k5", logits(8, 5), np.full(8, 2), o, reduction=None)
        add_case("qwk", f"{pen}-extreme-30-k5", extreme(8, 5, 30.0), targets(8, 5), o, reduction=None)
        add_case("qwk", f"{pen}-extreme-1e3-k5", extreme(8, 5, 1000.0), [0, 1, 2, 3, 4, 0, 1, 2], o, reduction=None)
        add_case("qwk", f"{pen}-extreme-30-k2", extreme(6, 2, 30.0), [0, 1, 0, 1, 1, 0], o, reduction=None)
    add_case("qwk", "dlordinal-test-quadratic-k6", lst(
        np.array([[1.1182, -1.4991, -1.6639, -2.6338, 1.0638, -1.7242], [0.0584, 0.8491, 0.4281, -0.1311, 0.3988, 0.9868],
                  [0.1456, -0.6615, -0.7971, -0.6217, 1.5191, 1.2822], [-1.1213, -0.1885, 0.4632, -1.0184, -0.4659, -0.0324],
                  [-1.9973, -1.9622, -0.7560, -0.1352, 0.3598, 0.9245], [-0.4714, 0.9953, 0.3056, 1.4104, -0.3741, -1.4388],
                  [-0.0293, -1.6450, -1.4326, -0.3240, 1.1304, 2.6315], [1.2635, 0.4663, -0.2953, 1.1983, -1.0992, -1.1091],
                  [2.0113, 0.1522, 0.8675, -0.5035, -0.6438, 0.1304], [-0.4665, 1.9245, 1.6211, 0.7804, -0.9119, 0.8178]])),
        [0, 4, 1, 3, 5, 4, 4, 3, 1, 2], {"penalization_type": "quadratic", "epsilon": 1e-10, "use_logits": True,
                                         "use_logarithm": False},
        weight=[1.60843373, 0.55394191, 1.02692308, 0.78070175, 1.12184874, 2.34210526], reduction=None,
        extra={"note": "the inputs of dlordinal's test_wkloss.py (dlordinal tests folder); its expected 0.5146 belongs to the earlier "
                       "WKLoss (see docs); this value equals that test's 'linear' number 0.6403"})
    for pen in ("quadratic", "linear"):
        o = {"penalization_type": pen, "epsilon": 1e-10, "use_logits": True, "use_logarithm": True}
        x, y = logits(9, 5), targets(9, 5)
        add_case("qwk", f"{pen}-logarithm-k5", x, y, o, reduction=None)
        add_case("qwk", f"{pen}-logarithm-both-weights-k5", x, y, o, weight=class_weight(5),
                 sample_weight=sample_weight_with_zero(9), reduction=None)

    mo = {"use_logits": True}
    for K in (2, 3, 5, 10, 100):
        B = 5 if K == 100 else batch(K)
        add_case("mce", f"random-k{K}", logits(B, K), targets(B, K), mo)
    x, y = logits(9, 6), targets(9, 6)
    w, s = class_weight(6), sample_weight_with_zero(9)
    for r in ("mean", "sum", "none"):
        add_case("mce", f"random-k6-{r}", x, y, mo, reduction=r)
        add_case("mce", f"class-weight-k6-{r}", x, y, mo, weight=w, reduction=r)
        add_case("mce", f"both-weights-k6-{r}", x, y, mo, weight=w, sample_weight=s, reduction=r)
    add_case("mce", "sample-weight-k6-mean", x, y, mo, sample_weight=s)
    add_case("mce", "one-class-k5", logits(7, 5), np.full(7, 0), mo)
    add_case("mce", "extreme-30-k5", extreme(8, 5, 30.0), targets(8, 5), mo)
    add_case("mce", "extreme-1e3-k5", extreme(8, 5, 1000.0), targets(8, 5), mo, reduction="none")
    add_case("mce", "extreme-30-k2", extreme(6, 2, 30.0), targets(6, 2), mo)

    for C, pen in ((0.5, "quadratic"), (0.2, "linear"), (0.8, "quadratic")):
        o = {"C": C, "penalization_type": pen, "epsilon": 1e-10, "use_logits": True}
        for K in (2, 5, 10, 100):
            B = 6 if K == 100 else batch(K)
            add_case("mce_qwk", f"C{C}-{pen}-random-k{K}", logits(B, K), targets(B, K), o, reduction=None)
        x, y = logits(9, 6), targets(9, 6)
        add_case("mce_qwk", f"C{C}-{pen}-class-weight-k6", x, y, o, weight=class_weight(6), reduction=None)
        add_case("mce_qwk", f"C{C}-{pen}-both-weights-k6", x, y, o, weight=class_weight(6),
                 sample_weight=sample_weight_with_zero(9), reduction=None)
        add_case("mce_qwk", f"C{C}-{pen}-one-class-k4", logits(7, 4), np.full(7, 3), o, reduction=None)
        add_case("mce_qwk", f"C{C}-{pen}-extreme-30-k5", extreme(8, 5, 30.0), targets(8, 5), o, reduction=None)
        add_case("mce_qwk", f"C{C}-{pen}-extreme-1e3-k5", extreme(8, 5, 1000.0), targets(8, 5), o, reduction=None)

    # ---- ECOC -------------------------------------------------------------------------------------------
    standard_scenarios("ecoc", 5, km1, {"input_type": "logits"}, tag="logits")
    for K in (2, 3, 5, 10, 100):
        B = batch(K)
        add_case("ecoc", f"probabilities-random-k{K}", rng.uniform(0.01, 0.99, size=(B, K - 1)), targets(B, K),
                 {"input_type": "probabilities"})
    x, y = rng.uniform(0, 1, size=(9, 5)), targets(9, 6)
    w, s = class_weight(6), sample_weight_with_zero(9)
    for r in ("mean", "sum", "none"):
        add_case("ecoc", f"probabilities-k6-{r}", x, y, {"input_type": "probabilities"}, reduction=r)
        add_case("ecoc", f"probabilities-both-weights-k6-{r}", x, y, {"input_type": "probabilities"}, weight=w,
                 sample_weight=s, reduction=r)
    add_case("ecoc", "probabilities-class-weight-k6-sum", x, y, {"input_type": "probabilities"}, weight=w,
             reduction="sum", extra={"note": "dlordinal OrdinalECOCDistanceLoss(weights=w) returns this value"})
    add_case("ecoc", "probabilities-exact-codes-k4", code_matrix(4)[[0, 1, 2, 3, 2]].numpy(), [0, 1, 2, 3, 2],
             {"input_type": "probabilities"}, reduction="sum")
    add_case("ecoc", "dlordinal-test-k6",
             [[0.4492, 0.5579, 0.4470, 0.4841, 0.3665], [0.4532, 0.5256, 0.4102, 0.5699, 0.3539],
              [0.5053, 0.4867, 0.3301, 0.5264, 0.3328], [0.4698, 0.4144, 0.3409, 0.5315, 0.3169],
              [0.4352, 0.5462, 0.3624, 0.5480, 0.4264]], [3, 1, 1, 1, 1], {"input_type": "probabilities"},
             reduction="sum")

    # ---- label matrices ---------------------------------------------------------------------------------
    label_matrices = []

    def add_matrix(shape, K, params, rows=None):
        M = shape_matrix(K, dict(params, shape=shape))
        # rows of the interval-based shapes sum to 1 - O(K * 1e-9) (dlordinal's 1e-9 offsets, not renormalised)
        assert (M >= 0).all() and np.abs(M.sum(1) - 1).max() < 1e-6, (shape, K, params, M.sum(1))
        # unimodal shapes: each row non-increasing away from its mode
        if shape not in ("matrix",):
            for r in M:
                m = int(r.argmax())
                assert all(r[i] <= r[i + 1] + 1e-15 for i in range(m)) and \
                    all(r[i] >= r[i + 1] - 1e-15 for i in range(m, K - 1)), (shape, K, params, r)
        label_matrices.append({"shape": shape, "K": K, "params": params, "rows": rows,
                               "matrix": lst(M if rows is None else M[rows])})

    big_rows = [0, 1, 2, 49, 50, 97, 98, 99]
    for K in (2, 3, 5, 10, 100):
        r = big_rows if K == 100 else None
        add_matrix("binomial", K, {}, r)
        add_matrix("poisson", K, {}, r)
        add_matrix("exponential", K, {"p": 1.0, "tau": 1.0}, r)
        add_matrix("triangular", K, {"alpha2": 0.05}, r)
        add_matrix("geometric", K, {"alphas": 0.1}, r)
        add_matrix("sord", K, {"alpha": 1.0, "distance": "absolute", "distance_matrix": None}, r)
        add_matrix("gaussian", K, {"sigma": 1.0}, r)
    for K in range(3, 15):
        add_matrix("beta", K, {"params_set": "standard"})
    for K, a in gt.items():
        add_matrix("general_triangular", K, {"alphas": a})
    add_matrix("exponential", 6, {"p": 2.0, "tau": 0.5})
    add_matrix("exponential", 10, {"p": 1.5, "tau": 3.0})
    add_matrix("triangular", 5, {"alpha2": 0.01})
    add_matrix("triangular", 7, {"alpha2": 0.15})
    add_matrix("geometric", 5, {"alphas": [0.2, 0.05, 0.1, 0.15, 0.1]})
    add_matrix("geometric", 5, {"alphas": [[0.2, 0.0, 1.0], [0.05, 0.8, 0.2], [0.1, 0.5, 0.5], [0.15, 0.6, 0.4],
                                           [0.1, 1.0, 0.0]]})
    add_matrix("geometric", 8, {"alphas": 0.3})
    add_matrix("sord", 5, {"alpha": 0.5, "distance": "squared", "distance_matrix": None})
    add_matrix("sord", 5, {"alpha": 3.0, "distance": "absolute", "distance_matrix": None})
    add_matrix("sord", 5, {"alpha": 1.0, "distance": "matrix", "distance_matrix": D})
    add_matrix("gaussian", 7, {"sigma": 0.5})
    add_matrix("gaussian", 12, {"sigma": 3.0})

    # ---- probabilities and predictions of the threshold models ------------------------------------------
    probabilities = []
    for model in ("coral", "corn", "logistic_at"):
        for K in (2, 3, 5, 10):
            probabilities.append(add_probabilities(model, logits(6, K - 1, 3.0)))
        probabilities.append(add_probabilities(model, np.sort(logits(6, 5, 3.0), 1)[:, ::-1] + 0.0,
                                               {"note": "rank-consistent (non-increasing) outputs"}))
        probabilities.append(add_probabilities(model, extreme(6, 4, 30.0)))
        probabilities.append(add_probabilities(model, extreme(6, 4, 1000.0)))
        probabilities.append(add_probabilities(model, [[0.0, 0.0, 0.0], [1e-12, 0.0, -1e-12], [3.0, -1.0, 2.0],
                                                       [-2.0, 4.0, -3.0]],
                                               {"note": "ties at 0 (sigmoid exactly 1/2 is not passed) and "
                                                        "non-monotone outputs"}))
        probabilities.append(add_probabilities(model, logits(3, 99, 3.0)))

    # ---- ECOC decoding ----------------------------------------------------------------------------------
    ecoc = []
    for K, o in [(2, rng.uniform(0, 1, size=(4, 1))), (3, rng.uniform(0, 1, size=(6, 2))),
                 (5, rng.uniform(0, 1, size=(8, 4))), (6, np.full((2, 5), 0.5)),
                 (6, np.vstack([code_matrix(6).numpy(), rng.uniform(0, 1, size=(3, 5))])),
                 (10, rng.uniform(0, 1, size=(5, 9)))]:
        oo = T(o)
        C = code_matrix(K)
        dist = torch.sqrt(((oo[:, None, :] - C[None, :, :]) ** 2).sum(2))
        scores = -dist
        pr = torch.softmax(scores, 1)
        assert torch.allclose(pr.sum(1), torch.ones(len(o)), atol=1e-14, rtol=0)
        ecoc.append({"K": K, "code_matrix": lst(C.numpy()), "input": lst(oo.numpy()), "scores": lst(scores.numpy()),
                     "probabilities": lst(pr.numpy()), "prediction": lst(scores.argmax(1).numpy()),
                     "note": "scores = minus the Euclidean distance to each code word; probabilities = softmax(scores); "
                             "prediction = argmax (first on ties)"})

    out = {
        "generator": f"reference/baselines.py (NumPy {np.__version__}, SciPy {scipy.__version__}, torch "
                     f"{torch.__version__}, float64; gradients by autograd, checked against finite differences: max "
                     f"relative error {FD_STATS['max_rel']:.1e}; {FD_STATS['tiny_cases']} cases with a gradient below "
                     f"1e-6 agree to {FD_STATS['tiny_max_abs']:.0e} absolute)",
        "about": "Reference values for the baseline ordinal losses; conventions in the script's docstring and in "
                 "docs/baselines-math.md. grad is the gradient of value (scalar) or of sum(grad_output * value) "
                 "(list) with respect to input.",
        "defaults": DEFAULTS,
        "cases": CASES,
        "label_matrices": label_matrices,
        "probabilities": probabilities,
        "ecoc": ecoc,
    }
    path = os.path.join(HERE, "baselines.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    counts = {}
    for c in CASES:
        counts[c["loss"]] = counts.get(c["loss"], 0) + 1
    print(f"wrote {path}: {len(CASES)} cases {counts}, {len(label_matrices)} label matrices, "
          f"{len(probabilities)} probability sets, {len(ecoc)} ECOC sets, {os.path.getsize(path) / 1e6:.2f} MB; "
          f"gradients vs finite differences: max relative error {FD_STATS['max_rel']:.2e}, "
          f"{FD_STATS['tiny_cases']} near-zero gradients within {FD_STATS['tiny_max_abs']:.1e} absolute")


if __name__ == "__main__":
    main()
