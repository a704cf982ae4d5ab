#!/usr/bin/python3
"""Reference values for the cross-dataset statistics of src/EarthMover.Cli/Statistics (random-effects
meta-analysis, power and minimum detectable effects, Benjamini-Hochberg, and the distributions behind them),
computed with statsmodels and SciPy, independently of the C# code:

    /usr/bin/python3 reference/meta.py      # rewrites reference/meta.json

Debian 12's Python: statsmodels 0.13.5, SciPy 1.10, NumPy 1.24 (apt-get install python3-statsmodels).

- distributions: scipy.special (gammaln, betainc, gammaincc, erfc) and scipy.stats (norm, t, chi2, nct). SciPy
  1.10's t.ppf is accurate to only about 1e-9 (relative) at small degrees of freedom (2e-11 at 1.5, 1e-9 at 1, where
  the exact Cauchy quantile is -cot(pi p)), so the t quantiles are also computed with mpmath at 40 digits (the root
  of I_x(df/2, 1/2) / 2 = min(p, 1 - p), mpmath.betainc and mpmath.findroot) and the tests hold the C# quantile to
  those, and to SciPy's within SciPy's own error.
- meta: statsmodels.stats.meta_analysis.combine_effects(y, se**2, method_re='pm' | 'dl', use_t=...), Paule-Mandel
  iterated to atol=1e-12 (statsmodels' default 1e-5 would stop early). Taken from statsmodels: tau^2, the random-
  and fixed-effect estimates and standard errors ("random effect" = Wald, scale 1; "random effect wls" = HKSJ),
  the intervals from conf_int(use_t=False)[1] (Wald, normal) and conf_int(use_t=True)[3] (HKSJ, t_{k-1}), Q and its
  p-value (test_homogeneity), I^2, the relative random-effects weights and the HKSJ scale (scale_hksj_re).
  statsmodels 0.13.5's Paule-Mandel iteration can overshoot and stop at tau^2 = 0 without converging (with strong
  heterogeneity and few studies); there the script finds the root of the same estimating equation with
  scipy.optimize.brentq and restarts statsmodels from it ("pm_restarted": true), which statsmodels then confirms.
  Computed here by hand from those statsmodels numbers, because statsmodels 0.13.5 does not give them:
    * the modified HKSJ standard error sqrt(max(1, scale)) * se_wald and its t_{k-1} interval;
    * the two-sided p-values of mu = 0 (normal for Wald, t_{k-1} for HKSJ), with scipy.stats;
    * the prediction interval mu +- t_{k-2, (1+c)/2} sqrt(tau^2 + SE^2) (Higgins, Thompson and Spiegelhalter 2009)
      for each interval's SE, k >= 3.
  statsmodels 0.13.5 leaves two conventions open that the C# code (and metafor, and the original papers) close:
    * DerSimonian-Laird's (Q - (k - 1)) / c is not truncated at 0 there. Where it is negative (Q < k - 1), every
      random-effects number with tau^2 = 0 is the fixed-effect one, and Paule-Mandel's tau^2 is then exactly 0
      too, so the reference for DL is statsmodels' 'pm' result (marked "dl_truncated": true, with the raw value).
    * I^2 = 1 - (k - 1) / Q is not truncated at 0 there; the reference records max(0, I^2).
  One case is real: xemd1 (learned distance, CE warm-up) against ce on mean EMD over the 13 ordered datasets of
  docs/evidence/raw.csv (per dataset the mean of the 13 paired differences and sd / sqrt(13)).
- power: statsmodels.stats.power.TTestPower(): power(d, n, alpha) (two-sided), solve_power(effect_size=None, ...)
  (the minimum detectable standardised effect) and solve_power(nobs=None, ...) (the real-valued pairs needed).
  solve_power stops at its root finder's xtol = 1e-5, so each solution is also refined ("*_refined") with
  scipy.optimize.brentq to full precision on statsmodels' own power function. The
  pooled MDE (t_{k-1, 1-alpha/2} + t_{k-1, power}) * SE with scipy.stats.t.ppf.
- bh: statsmodels.stats.multitest.multipletests(p, alpha, method='fdr_bh').
Seeded: the output is the same on every run.
"""
import csv
import json
import math
import os
import warnings

import mpmath
import numpy as np
import scipy
import statsmodels
from scipy import special, stats
from scipy import optimize
from statsmodels.stats.meta_analysis import _fit_tau_iterative, combine_effects
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import TTestPower

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
rng = np.random.default_rng(20261201)
warnings.simplefilter("ignore", RuntimeWarning)  # statsmodels' I^2 divides by Q = 0 in the all-equal case


def f(x):
    return float(x)


# 1. Distributions and special functions.
special_cases = {
    "gammaln": [{"x": x, "value": f(special.gammaln(x))} for x in [1e-3, 0.1, 0.5, 1.0, 1.5, 2.0, 3.7, 6.5, 10.0, 50.5, 200.0]],
    "betainc": [{"x": x, "a": a, "b": b, "value": f(special.betainc(a, b, x))}
                for a, b in [(0.5, 0.5), (0.5, 6.0), (6.0, 0.5), (2.0, 3.0), (0.5, 50.0), (10.0, 20.0), (1.5, 0.5)]
                for x in [1e-6, 0.01, 0.3, 0.5, 0.7, 0.99]],
    "gammaincc": [{"a": a, "x": x, "value": f(special.gammaincc(a, x))}
                  for a in [0.5, 1.0, 2.5, 6.0, 20.0] for x in [1e-4, 0.5, 2.0, 7.0, 30.0]],
    "erfc": [{"x": x, "value": f(special.erfc(x))} for x in [-3.0, -1.0, -0.1, 0.0, 0.2, 1.0, 2.5, 5.0, 8.0]],
}
normal = {
    "cdf": [{"x": x, "value": f(stats.norm.cdf(x))} for x in [-8.0, -3.0, -1.96, -0.5, 0.0, 0.3, 1.0, 2.5, 6.0]],
    "ppf": [{"p": p, "value": f(stats.norm.ppf(p))} for p in [1e-10, 1e-4, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999, 1 - 1e-9]],
}
student = {
    "cdf": [{"t": t, "df": df, "value": f(stats.t.cdf(t, df))}
            for df in [0.7, 1.0, 2.0, 4.5, 12.0, 100.0] for t in [-30.0, -2.5, -0.4, 0.0, 0.9, 2.2, 12.0]],
    "ppf": [{"p": p, "df": df, "value": f(stats.t.ppf(p, df))}
            for df in [1.0, 1.5, 2.0, 3.0, 11.0, 12.0, 30.0, 500.0] for p in [1e-6, 0.025, 0.2, 0.5, 0.8, 0.975, 0.9995]],
}
mpmath.mp.dps = 40


def exact_t_ppf(p, df):
    if p == 0.5:
        return 0.0
    start = abs(float(stats.t.ppf(p, df)))
    df = mpmath.mpf(df)
    tail = mpmath.mpf(min(p, 1 - p))
    sf = lambda t: mpmath.betainc(df / 2, mpmath.mpf(1) / 2, 0, df / (df + t * t), regularized=True) / 2 - tail
    t = float(mpmath.findroot(sf, start))
    return t if p > 0.5 else -t


for c in student["ppf"]:
    c["exact"] = exact_t_ppf(c["p"], c["df"])
chi2 = [{"x": x, "df": df, "value": f(stats.chi2.sf(x, df))} for df in [1, 2, 5, 12, 40] for x in [0.0, 0.1, 1.0, 4.0, 11.0, 30.0, 90.0]]
nct = [{"t": t, "df": df, "nc": nc, "value": f(stats.nct.cdf(t, df, nc))}
       for df in [1.0, 2.0, 4.0, 12.0, 60.0, 2.5] for nc in [-3.0, -0.5, 0.4, 2.0, 5.0, 10.0] for t in [-4.0, -1.0, 0.0, 0.5, 2.2, 6.0, 15.0]]
# Large noncentrality (|nc| > 37.62, where the series' weights underflow), around where the mass lies.
nct += [{"t": t, "df": df, "nc": nc, "value": f(stats.nct.cdf(t, df, nc))}
        for df in [1.0, 2.0, 5.0, 12.0, 200.0] for nc in [40.0, 75.0, -50.0] for t in [0.6 * nc, 0.9 * nc, nc, 1.3 * nc, 2.0 * nc, -nc]]


# 2. Random-effects meta-analysis.
def hand(mu, se, k, conf, tau2, use_t):
    upper = (1 + conf) / 2
    crit = stats.t.ppf(upper, k - 1) if use_t else stats.norm.ppf(upper)
    if se == 0:
        p = None
    else:
        z = abs(mu / se)
        p = f(2 * stats.t.sf(z, k - 1)) if use_t else f(2 * stats.norm.sf(z))
    prediction = None
    if k >= 3:
        half = stats.t.ppf(upper, k - 2) * math.sqrt(tau2 + se * se)
        prediction = [f(mu - half), f(mu + half)]
    return {"se": f(se), "ci": [f(mu - crit * se), f(mu + crit * se)], "p": p, "prediction": prediction}


def pm_equation(y, v, tau2):
    w = 1 / (v + tau2)
    m = w.dot(y) / w.sum()
    return w.dot((y - m) ** 2) - (len(y) - 1)


def pm_check(y, v):
    """Where statsmodels' Paule-Mandel iteration (from tau^2 = 0) converges, start it there. Where it does not (its
    step can overshoot to a negative estimating equation, where it stops at tau^2 = 0 without converging), start it
    at the root that scipy.optimize.brentq finds for the same estimating equation, sum w (y - m)^2 = k - 1; statsmodels
    then converges to the root from just below it and computes everything else from it."""
    if pm_equation(y, v, 0.0) <= 0:
        return 0.0, False
    tau2, converged = _fit_tau_iterative(y, v, atol=1e-12, maxiter=10000)
    high = 1.0
    while pm_equation(y, v, high) > 0:
        high *= 2
    root = optimize.brentq(lambda t: pm_equation(y, v, t), 0.0, high, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=1000)
    if converged:
        assert abs(tau2 - root) <= 1e-9 * root, (tau2, root)
        return 0.0, False
    # Started just below the root, where the estimating equation is still positive (at a negative value it stops at 0).
    start = root * (1 - 1e-9)
    tau2, converged = _fit_tau_iterative(y, v, tau2_start=start, atol=1e-12, maxiter=10000)
    assert converged and abs(tau2 - root) <= 1e-9 * root
    return start, True


def analyse(name, y, se, conf=0.95):
    y = np.asarray(y, float)
    se = np.asarray(se, float)
    v = se ** 2
    k = len(y)
    alpha = 1 - conf
    entry = {"name": name, "y": y.tolist(), "se": se.tolist(), "confidence": conf, "methods": {}}
    pm_start, pm_restarted = pm_check(y, v)
    pm_kw = {"atol": 1e-12, "maxiter": 10000, "tau2_start": pm_start}
    for method in ["pm", "dl"]:
        kw = pm_kw if method == "pm" else {}
        res = combine_effects(y, v, method_re=method, alpha=alpha, **kw)
        truncated = method == "dl" and res.tau2 < 0
        raw_tau2 = f(res.tau2)
        if truncated:
            res = combine_effects(y, v, method_re="pm", alpha=alpha, **pm_kw)
            assert res.tau2 == 0
        mu, tau2 = f(res.mean_effect_re), f(res.tau2)
        se_wald, se_hksj = f(res.sd_eff_w_re), f(res.sd_eff_w_re_hksj)
        scale = f(res.scale_hksj_re)
        wald_ci = res.conf_int(alpha=alpha, use_t=False)[1]
        hksj_ci = res.conf_int(alpha=alpha, use_t=True)[3]
        wald = hand(mu, se_wald, k, conf, tau2, False)
        hksj = hand(mu, se_hksj, k, conf, tau2, True)
        # The hand-made intervals reproduce statsmodels' where statsmodels has them.
        assert np.allclose(wald["ci"], wald_ci, rtol=0, atol=1e-13) and np.allclose(hksj["ci"], hksj_ci, rtol=0, atol=1e-13)
        wald["ci"] = [f(x) for x in wald_ci]
        hksj["ci"] = [f(x) for x in hksj_ci]
        modified = hand(mu, math.sqrt(max(1.0, scale)) * se_wald, k, conf, tau2, True)
        entry["methods"][method] = {
            "tau2": tau2,
            "pm_restarted": bool(pm_restarted) if method == "pm" else False,
            "dl_truncated": bool(truncated),
            "tau2_statsmodels_raw": raw_tau2,
            "estimate": mu,
            "fixed_estimate": f(res.mean_effect_fe),
            "fixed_se": f(res.sd_eff_w_fe),
            "q": f(res.q),
            "q_p": f(res.test_homogeneity().pvalue),
            "i2": max(0.0, f(res.i2)) if np.isfinite(res.i2) else 0.0,
            "hksj_scale": scale,
            "weights": [f(x) for x in res.weights_rel_re],
            "wald": wald,
            "hksj": hksj,
            "hksj_modified": modified,
        }
    return entry


meta = []
# Heterogeneous, k = 2, 3, 5, 13, 30.
for k in [2, 3, 5, 13, 30]:
    theta = rng.normal(0.02, 0.03, k)
    se = rng.uniform(0.003, 0.02, k)
    meta.append(analyse(f"heterogeneous k={k}", theta + rng.normal(0, se), se))
# Homogeneous: one true effect, estimates within their errors (Q < k - 1 likely: DL negative, tau^2 = 0).
for k in [4, 13]:
    se = rng.uniform(0.005, 0.01, k)
    meta.append(analyse(f"homogeneous k={k}", 0.01 + 0.3 * rng.normal(0, se), se))
# Mixed signs, a dominant precise study, and a 90 % interval.
meta.append(analyse("mixed signs", [-0.05, 0.02, 0.01, 0.08, -0.01, 0.03], [0.01, 0.02, 0.005, 0.03, 0.015, 0.01]))
meta.append(analyse("one precise study", [0.1, 0.02, 0.03, 0.05], [0.001, 0.02, 0.02, 0.03]))
meta.append(analyse("90 % intervals", [0.3, 0.1, 0.25, 0.4, 0.05, 0.2, 0.33], [0.05, 0.08, 0.04, 0.1, 0.06, 0.05, 0.07], conf=0.9))
# Every estimate equal: Q = 0, tau^2 = 0, HKSJ scale 0.
meta.append(analyse("all equal", [0.02] * 5, [0.01, 0.02, 0.015, 0.01, 0.03]))
meta.append(analyse("k=2 equal errors", [0.1, -0.1], [0.02, 0.02]))


# The real case: xemd1 against ce on mean EMD, docs/evidence/raw.csv.
def raw_case():
    rows = list(csv.DictReader(open(os.path.join(ROOT, "docs", "evidence", "raw.csv"))))
    loss = "xemd1 learned, CE warm-up 2"
    ys, ses = [], []
    for dataset in dict.fromkeys(r["dataset"] for r in rows):
        if "no order" in dataset:
            continue
        ce = {r["seed"]: float(r["mean_emd"]) for r in rows if r["dataset"] == dataset and r["loss"] == "ce"}
        x = {r["seed"]: float(r["mean_emd"]) for r in rows if r["dataset"] == dataset and r["loss"] == loss}
        d = np.array([x[s] - ce[s] for s in ce])
        ys.append(d.mean())
        ses.append(d.std(ddof=1) / math.sqrt(len(d)))
    return analyse("raw.csv: xemd1 learned, CE warm-up 2 - ce, mean EMD, 13 ordered datasets", ys, ses)


meta.append(raw_case())

# 3. Power.
power = TTestPower()
t_power = [{"d": d, "n": n, "alpha": a, "power": f(power.power(d, n, a, alternative="two-sided"))}
           for d in [0.0, 0.2, 0.5, 0.9, 1.4, -0.7] for n in [3, 5, 13, 30] for a in [0.05, 0.05 / 159]]


def refine(g, guess):
    # solve_power stops at brentq_expanding's xtol = 1e-5; the root of statsmodels' own power function, to full precision.
    low, high = guess * 0.9, guess * 1.1
    return f(optimize.brentq(g, low, high, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=1000))


mde = []
for n in [3, 5, 10, 13, 20, 50, 2.5]:
    for a in [0.05, 0.01, 0.05 / 159]:
        for pw in [0.8, 0.9]:
            d = f(power.solve_power(effect_size=None, nobs=n, alpha=a, power=pw, alternative="two-sided"))
            exact = refine(lambda x: power.power(x, n, a, alternative="two-sided") - pw, d)
            mde.append({"n": n, "alpha": a, "power": pw, "d": d, "d_refined": exact})
nobs = []
for d in [0.4, 0.8, 1.0, 1.5, 2.5]:
    for a in [0.05, 0.05 / 159]:
        for pw in [0.8, 0.9]:
            n = f(power.solve_power(effect_size=d, nobs=None, alpha=a, power=pw, alternative="two-sided"))
            exact = refine(lambda x: power.power(d, x, a, alternative="two-sided") - pw, n)
            nobs.append({"d": d, "alpha": a, "power": pw, "n": n, "n_refined": exact})
pooled = [{"k": k, "se": se, "alpha": a, "power": pw, "mde": f((stats.t.ppf(1 - a / 2, k - 1) + stats.t.ppf(pw, k - 1)) * se)}
          for k in [2, 3, 13, 30] for se in [0.004, 0.02] for a in [0.05, 0.01] for pw in [0.8, 0.9]]

# 4. Benjamini-Hochberg.
bh = []
families = [
    [0.01, 0.04, 0.03, 0.005],
    [0.001953125] * 6 + [0.5, 1.0],
    [0.2, 0.01, 0.01, 0.049, 0.8, 0.0001, 0.03],
    [0.04, 0.045, 0.047, 0.049],
    list(rng.uniform(0, 0.02, 25)),
    list(np.concatenate([rng.uniform(0, 1e-4, 5), rng.uniform(0, 1, 195)])),
    list(np.concatenate([rng.uniform(0, 0.01, 20), rng.uniform(0, 1, 139)])),
    [0.04],
    [0.06],
]
for p in families:
    for alpha in [0.05, 0.1]:
        reject, adjusted, _, _ = multipletests(p, alpha=alpha, method="fdr_bh")
        bh.append({"p": [f(x) for x in p], "alpha": alpha, "adjusted": [f(x) for x in adjusted], "reject": [bool(x) for x in reject]})

payload = {
    "generator": f"reference/meta.py (statsmodels {statsmodels.__version__}, SciPy {scipy.__version__}, NumPy {np.__version__})",
    "special": special_cases,
    "normal": normal,
    "student": student,
    "chi2": chi2,
    "nct": nct,
    "meta": meta,
    "t_power": t_power,
    "mde": mde,
    "nobs": nobs,
    "pooled": pooled,
    "bh": bh,
}
with open(os.path.join(HERE, "meta.json"), "w") as out:
    json.dump(payload, out, indent=1, allow_nan=False)
print(f"wrote reference/meta.json: {len(meta)} meta-analyses, {len(t_power)} powers, {len(mde)} MDEs, {len(nobs)} sample sizes, "
      f"{len(pooled)} pooled MDEs, {len(bh)} Benjamini-Hochberg families, {len(nct)} noncentral t values")
