namespace EarthMover.Cli.Statistics;

/// <summary>
/// Random-effects meta-analysis of per-dataset estimates: the answer to "does loss X beat cross-entropy on ordinal
/// tables?" across datasets, where each dataset gives y_i, the mean paired difference (loss − baseline) over its seeds,
/// with standard error s_i = sd_i / √n_i. The model: y_i = θ_i + ε_i with ε_i ~ N(0, v_i), v_i = s_i² taken as known,
/// and the datasets' true effects θ_i ~ N(μ, τ²). It estimates μ, the mean effect over datasets like these, and τ²,
/// how much the effect varies from dataset to dataset.
/// <list type="number">
/// <item>Fixed-effect weights w_i = 1 / v_i; μ̂_FE = Σ w_i y_i / Σ w_i; Cochran's Q = Σ w_i (y_i − μ̂_FE)², with
/// P(χ²_{k−1} &gt; Q) its p-value and I² = max(0, (Q − (k − 1)) / Q).</item>
/// <item>τ̂² by <see cref="TauSquaredEstimator.PauleMandel"/> (default) or <see cref="TauSquaredEstimator.DerSimonianLaird"/>.</item>
/// <item>Random-effects weights w_i* = 1 / (v_i + τ̂²); μ̂ = Σ w_i* y_i / Σ w_i*.</item>
/// <item>Its interval by <see cref="PooledIntervalMethod.HksjModified"/> (default), <see cref="PooledIntervalMethod.Hksj"/> or
/// <see cref="PooledIntervalMethod.Wald"/>; the two-sided p-value of μ = 0 from the same statistic and reference distribution.</item>
/// <item>The prediction interval for a new dataset's true effect (Higgins, Thompson and Spiegelhalter 2009):
/// μ̂ ± t_{k−2, (1+c)/2} √(τ̂² + SE²), with SE the standard error of the chosen interval; defined for k ≥ 3.</item>
/// </list>
/// <para>
/// <b>The primary analysis is Paule-Mandel with the modified HKSJ interval on t_{k−1}.</b> With about a dozen datasets
/// DerSimonian-Laird with a normal (Wald) interval covers μ well below its nominal level (IntHout, Ioannidis and Borm
/// 2014; Langan et al. 2019), because it ignores the uncertainty in τ̂²; the HKSJ interval estimates the scale of
/// μ̂'s variance from the data and uses the t distribution with k − 1 degrees of freedom, which keeps coverage close
/// to nominal for small k. Paule-Mandel's τ̂² is the recommended moment estimator (Veroniki et al. 2016), and at its
/// solution the HKSJ scale q is exactly 1 whenever τ̂² &gt; 0, so the interval is then simply the random-effects
/// interval on t_{k−1}; the modification (scale max(1, q)) only stops the interval from shrinking below that when
/// τ̂² = 0 and the estimates agree more closely than their errors suggest (Jackson et al. 2017).
/// </para>
/// <para>
/// Defined for k ≥ 2 datasets (k = 1 has no degrees of freedom for τ² or the t interval); every s_i must be positive
/// (a dataset whose seeds all gave the same difference has no sampling variance, and w_i = 1 / v_i is undefined).
/// Checked against <c>statsmodels.stats.meta_analysis.combine_effects</c> (statsmodels 0.13.5) in reference/meta.py;
/// the prediction interval, the p-values and the modified HKSJ interval, which statsmodels does not give, are
/// computed there by hand from statsmodels' τ̂², μ̂ and standard errors.
/// </para>
/// </summary>
internal static class RandomEffectsMetaAnalysis
{
    /// <summary>Analyses <paramref name="studies"/>' estimates and standard errors (see the class for the formulas).</summary>
    /// <param name="studies">One estimate per dataset, at least two.</param>
    /// <param name="estimator">How τ² is estimated.</param>
    /// <param name="interval">How the interval of μ̂ is built.</param>
    /// <param name="confidence">The nominal coverage of the intervals, in (0, 1).</param>
    /// <exception cref="ArgumentException">As <see cref="Analyze(IReadOnlyList{double}, IReadOnlyList{double}, TauSquaredEstimator, PooledIntervalMethod, double)"/>, naming <paramref name="studies"/>.</exception>
    public static RandomEffectsResult Analyze(IReadOnlyList<StudyEstimate> studies, TauSquaredEstimator estimator = TauSquaredEstimator.PauleMandel, PooledIntervalMethod interval = PooledIntervalMethod.HksjModified, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(studies);
        try
        {
            return Analyze(studies.Select(s => s.Estimate).ToArray(), studies.Select(s => s.StandardError).ToArray(), estimator, interval, confidence);
        }
        catch (ArgumentException e) when (e.ParamName is "estimates" or "standardErrors")
        {
            throw new ArgumentException(e.Message, nameof(studies), e);
        }
    }

    /// <summary>Analyses k datasets' estimates y_i with standard errors s_i (see the class for the formulas).</summary>
    /// <param name="estimates">y_i, one per dataset, at least two, every one finite.</param>
    /// <param name="standardErrors">s_i &gt; 0 and finite, in the same order.</param>
    /// <param name="estimator">How τ² is estimated.</param>
    /// <param name="interval">How the interval of μ̂ is built.</param>
    /// <param name="confidence">The nominal coverage of the intervals, in (0, 1).</param>
    /// <exception cref="ArgumentException">
    /// Fewer than two datasets or a non-finite estimate (<paramref name="estimates"/>); a count that differs, or a
    /// standard error that is not finite and positive (<paramref name="standardErrors"/>); a confidence outside (0, 1);
    /// an unknown method.
    /// </exception>
    public static RandomEffectsResult Analyze(IReadOnlyList<double> estimates, IReadOnlyList<double> standardErrors, TauSquaredEstimator estimator = TauSquaredEstimator.PauleMandel, PooledIntervalMethod interval = PooledIntervalMethod.HksjModified, double confidence = 0.95)
    {
        Check(estimates, standardErrors, estimator, interval, confidence);
        int k = estimates.Count;
        var y = estimates.ToArray();
        var v = standardErrors.Select(s => s * s).ToArray();

        var w = v.Select(x => 1 / x).ToArray();
        double fixedEffect = WeightedMean(y, w);
        double q = WeightedSquares(y, w, fixedEffect);
        double tau2 = estimator == TauSquaredEstimator.PauleMandel ? PauleMandel(y, v, q) : DerSimonianLaird(w, q);

        var wStar = v.Select(x => 1 / (x + tau2)).ToArray();
        double total = wStar.Sum();
        double mu = WeightedMean(y, wStar);
        double scale = WeightedSquares(y, wStar, mu) / (k - 1);
        double wald = Math.Sqrt(1 / total);
        double se = interval switch
        {
            PooledIntervalMethod.Hksj => Math.Sqrt(scale / total),
            PooledIntervalMethod.HksjModified => Math.Sqrt(Math.Max(1, scale) / total),
            _ => wald,
        };
        double upper = (1 + confidence) / 2;
        bool useT = interval != PooledIntervalMethod.Wald;
        double critical = useT ? StudentT.Quantile(upper, k - 1) : NormalDistribution.Quantile(upper);
        double p = se == 0
            ? (mu == 0 ? 1 : 0)
            : 2 * (useT ? StudentT.Survival(Math.Abs(mu / se), k - 1) : NormalDistribution.Cdf(-Math.Abs(mu / se)));
        (double, double)? prediction = null;
        if (k >= 3)
        {
            double half = StudentT.Quantile(upper, k - 2) * Math.Sqrt(tau2 + se * se);
            prediction = (mu - half, mu + half);
        }
        return new RandomEffectsResult(
            k, estimator, interval, confidence,
            mu, se, mu - critical * se, mu + critical * se, Math.Min(1, p),
            tau2, q, ChiSquared.Survival(q, k - 1), q > k - 1 ? (q - (k - 1)) / q : 0,
            scale, wald, fixedEffect, Math.Sqrt(1 / w.Sum()),
            prediction, wStar.Select(x => x / total).ToArray());
    }

    /// <summary>
    /// DerSimonian and Laird's τ̂² = max(0, (Q − (k − 1)) / (S₁ − S₂ / S₁)), S_r = Σ w_i^r at the fixed-effect weights.
    /// </summary>
    internal static double DerSimonianLaird(double[] w, double q)
    {
        double s1 = w.Sum(), s2 = w.Sum(x => x * x);
        return Math.Max(0, (q - (w.Length - 1)) / (s1 - s2 / s1));
    }

    /// <summary>
    /// Paule and Mandel's τ̂²: the root of F(τ²) = Σ w_i(τ²) (y_i − μ̂(τ²))² − (k − 1), which decreases strictly in τ²
    /// from F(0) = Q − (k − 1); 0 when F(0) ≤ 0. Found by bisection on a doubling bracket, to the last bit.
    /// </summary>
    internal static double PauleMandel(double[] y, double[] v, double q)
    {
        int k = y.Length;
        if (q <= k - 1)
        {
            return 0;
        }
        double F(double tau2)
        {
            var w = v.Select(x => 1 / (x + tau2)).ToArray();
            return WeightedSquares(y, w, WeightedMean(y, w)) - (k - 1);
        }
        double mean = y.Average();
        double low = 0, high = Math.Max(y.Sum(x => (x - mean) * (x - mean)) / (k - 1), double.Epsilon);
        while (F(high) > 0)
        {
            low = high;
            high *= 2;
        }
        for (int i = 0; i < 2000; i++)
        {
            double middle = 0.5 * (low + high);
            if (middle <= low || middle >= high)
            {
                break;
            }
            if (F(middle) > 0)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }
        return 0.5 * (low + high);
    }

    private static double WeightedMean(double[] y, double[] w)
    {
        double sum = 0, total = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += w[i] * y[i];
            total += w[i];
        }
        return sum / total;
    }

    private static double WeightedSquares(double[] y, double[] w, double center)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += w[i] * (y[i] - center) * (y[i] - center);
        }
        return sum;
    }

    private static void Check(IReadOnlyList<double> estimates, IReadOnlyList<double> standardErrors, TauSquaredEstimator estimator, PooledIntervalMethod interval, double confidence)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(standardErrors);
        if (estimates.Count < 2)
        {
            throw new ArgumentException($"A random-effects meta-analysis needs at least two datasets ({estimates.Count} given): with one, neither tau^2 nor the interval has a degree of freedom.", nameof(estimates));
        }
        for (int i = 0; i < estimates.Count; i++)
        {
            if (!double.IsFinite(estimates[i]))
            {
                throw new ArgumentException($"estimates[{i}] = {estimates[i]}; every estimate must be finite.", nameof(estimates));
            }
        }
        if (standardErrors.Count != estimates.Count)
        {
            throw new ArgumentException($"{standardErrors.Count} standard errors for {estimates.Count} estimates; give one per dataset.", nameof(standardErrors));
        }
        for (int i = 0; i < standardErrors.Count; i++)
        {
            if (!(standardErrors[i] > 0) || double.IsInfinity(standardErrors[i]))
            {
                throw new ArgumentException($"standardErrors[{i}] = {standardErrors[i]}; every standard error must be finite and > 0 (a dataset whose seeds all gave the same difference has no sampling variance, and its weight 1/s^2 is undefined).", nameof(standardErrors));
            }
        }
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentException($"confidence must lie in (0, 1), not {confidence}.", nameof(confidence));
        }
        if (!Enum.IsDefined(estimator))
        {
            throw new ArgumentException($"Unknown tau^2 estimator {estimator}.", nameof(estimator));
        }
        if (!Enum.IsDefined(interval))
        {
            throw new ArgumentException($"Unknown interval method {interval}.", nameof(interval));
        }
    }
}
