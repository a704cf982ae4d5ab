namespace EarthMover.Cli.Statistics;

/// <summary>How <see cref="RandomEffectsMetaAnalysis"/> builds the confidence interval (and test) of the pooled estimate μ̂.</summary>
internal enum PooledIntervalMethod
{
    /// <summary>
    /// Hartung-Knapp-Sidik-Jonkman with the ad hoc modification (Knapp and Hartung 2003; Röver, Knapp and Friede
    /// 2015): μ̂ ± t_{k−1, (1+c)/2} · √(max(1, q) / Σ w_i*), q = Σ w_i* (y_i − μ̂)² / (k − 1). Never narrower than the
    /// same interval with the fixed scale 1; with Paule-Mandel's τ² &gt; 0, q = 1 exactly and the modification does
    /// nothing. The default.
    /// </summary>
    HksjModified,

    /// <summary>
    /// Hartung-Knapp-Sidik-Jonkman (Hartung and Knapp 2001; Sidik and Jonkman 2002): μ̂ ± t_{k−1, (1+c)/2} · √(q / Σ w_i*),
    /// the weighted least squares scale; statsmodels' "random effect wls" row with <c>use_t=True</c>. Can be narrower
    /// than the fixed-scale interval when q &lt; 1 (for example τ² = 0 and estimates closer than their errors).
    /// </summary>
    Hksj,

    /// <summary>The classical Wald interval μ̂ ± z_{(1+c)/2} / √(Σ w_i*) with the scale fixed at 1 (statsmodels' "random effect" row, <c>use_t=False</c>): too narrow with few datasets.</summary>
    Wald,
}
