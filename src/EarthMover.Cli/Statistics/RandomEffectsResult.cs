namespace EarthMover.Cli.Statistics;

/// <summary>
/// A random-effects meta-analysis of k datasets' estimates y_i with known variances v_i (see
/// <see cref="RandomEffectsMetaAnalysis"/> for the formulas): the pooled mean effect μ̂ with its interval, the
/// between-dataset variance and the heterogeneity statistics, and the interval for a new dataset's effect.
/// </summary>
/// <param name="Studies">k, the number of datasets.</param>
/// <param name="Estimator">How τ² was estimated.</param>
/// <param name="Interval">How the confidence interval of μ̂ was built.</param>
/// <param name="Confidence">The intervals' nominal coverage c (0.95 for 95 %).</param>
/// <param name="Estimate">μ̂ = Σ w_i* y_i / Σ w_i*, w_i* = 1 / (v_i + τ̂²): the mean of the datasets' true effects.</param>
/// <param name="StandardError">The standard error of μ̂ that the interval and the test use (<see cref="PooledIntervalMethod"/>).</param>
/// <param name="Low">Lower end of the confidence interval of μ̂.</param>
/// <param name="High">Upper end of the confidence interval of μ̂.</param>
/// <param name="PValue">Two-sided p-value of μ = 0: μ̂ / <paramref name="StandardError"/> against t_{k−1} (HKSJ) or N(0, 1) (Wald).</param>
/// <param name="TauSquared">τ̂², the between-dataset variance of the true effects (in the squared units of y).</param>
/// <param name="Q">Cochran's Q = Σ w_i (y_i − μ̂_FE)², w_i = 1 / v_i.</param>
/// <param name="QPValue">P(χ²_{k−1} &gt; Q): the test that all datasets share one effect.</param>
/// <param name="ISquared">I² = max(0, (Q − (k − 1)) / Q) (0 when Q = 0): the share of the spread of the estimates beyond their sampling error (Higgins and Thompson 2002).</param>
/// <param name="HksjScale">q = Σ w_i* (y_i − μ̂)² / (k − 1), the HKSJ scale (1 at Paule-Mandel's τ̂² &gt; 0).</param>
/// <param name="WaldStandardError">1 / √(Σ w_i*), the standard error with the scale fixed at 1.</param>
/// <param name="FixedEffectEstimate">μ̂_FE = Σ w_i y_i / Σ w_i, the common-effect (inverse-variance) estimate, for comparison.</param>
/// <param name="FixedEffectStandardError">1 / √(Σ w_i).</param>
/// <param name="PredictionInterval">
/// The interval for the true effect in a new dataset (Higgins, Thompson and Spiegelhalter 2009):
/// μ̂ ± t_{k−2, (1+c)/2} √(τ̂² + SE²), SE = <paramref name="StandardError"/>; null for k &lt; 3 (no degrees of freedom).
/// </param>
/// <param name="Weights">The relative random-effects weights w_i* / Σ w_j*, in the datasets' order.</param>
internal sealed record RandomEffectsResult(
    int Studies,
    TauSquaredEstimator Estimator,
    PooledIntervalMethod Interval,
    double Confidence,
    double Estimate,
    double StandardError,
    double Low,
    double High,
    double PValue,
    double TauSquared,
    double Q,
    double QPValue,
    double ISquared,
    double HksjScale,
    double WaldStandardError,
    double FixedEffectEstimate,
    double FixedEffectStandardError,
    (double Low, double High)? PredictionInterval,
    double[] Weights)
{
    /// <summary>τ̂, the between-dataset standard deviation of the true effects (in the units of y).</summary>
    public double Tau => Math.Sqrt(TauSquared);
}
