namespace EarthMover.Cli.Statistics;

/// <summary>How <see cref="RandomEffectsMetaAnalysis"/> estimates the between-dataset variance τ².</summary>
internal enum TauSquaredEstimator
{
    /// <summary>
    /// Paule and Mandel (1982): the τ² ≥ 0 at which the generalised Q statistic Σ w_i(τ²) (y_i − μ̂(τ²))², with
    /// w_i(τ²) = 1 / (v_i + τ²), equals its expectation k − 1 (0 when Q(0) ≤ k − 1). Recommended over
    /// DerSimonian-Laird by Veroniki et al. (2016) and Langan et al. (2019); statsmodels' <c>method_re='pm'</c>
    /// ("iterated"). The default.
    /// </summary>
    PauleMandel,

    /// <summary>
    /// DerSimonian and Laird (1986), the method of moments in one step: τ² = max(0, (Q − (k − 1)) / (S₁ − S₂ / S₁)),
    /// with Q Cochran's statistic at the fixed-effect weights w_i = 1 / v_i and S_r = Σ w_i^r; statsmodels'
    /// <c>method_re='dl'</c> ("chi2"), which does not truncate a negative value at 0.
    /// </summary>
    DerSimonianLaird,
}
