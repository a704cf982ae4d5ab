namespace EarthMover.Cli.Statistics;

/// <summary>
/// What the pooled random-effects estimate over k datasets can detect. The approximation: the test of μ = 0 uses
/// μ̂ / SE against t_{k−1} (<see cref="PooledIntervalMethod.HksjModified"/>), and μ̂ / SE is taken as t-shaped with
/// k − 1 degrees of freedom around μ / SE, so 80 % power needs μ ≥ (t_{k−1, 1−α/2} + t_{k−1, power}) · SE:
/// MDE = (t_{k−1, 1−α/2} + t_{k−1, power}) · SE_pooled (the standard normal-shift approximation with t quantiles; it
/// ignores the far rejection tail and the uncertainty of SE). SE_pooled = 1 / √(Σ_i 1 / (σ_i² / n + τ²)) for k
/// datasets with seed-to-seed standard deviations σ_i, n seeds each, and between-dataset variance τ².
/// </summary>
internal static class PooledPower
{
    /// <summary>The minimum detectable pooled effect (t_{k−1, 1−α/2} + t_{k−1, power}) · SE.</summary>
    /// <param name="studies">k, the number of datasets, at least 2.</param>
    /// <param name="standardError">SE of the pooled estimate, finite and ≥ 0.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (0.5, 1) (below 1/2 the approximation's t_{k−1, power} is negative).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static double MinimumDetectableEffect(int studies, double standardError, double alpha = 0.05, double power = 0.8)
    {
        if (studies < 2)
        {
            throw new ArgumentException($"studies must be at least 2 (k - 1 degrees of freedom), not {studies}.", nameof(studies));
        }
        if (!(standardError >= 0) || double.IsInfinity(standardError))
        {
            throw new ArgumentException($"standardError must be finite and >= 0, not {standardError}.", nameof(standardError));
        }
        PairedTTestPower.CheckLevel(alpha, nameof(alpha));
        if (!(power >= 0.5 && power < 1))
        {
            throw new ArgumentException($"power must lie in [0.5, 1), not {power}.", nameof(power));
        }
        return (StudentT.Quantile(1 - alpha / 2, studies - 1) + StudentT.Quantile(power, studies - 1)) * standardError;
    }

    /// <summary>The planned standard error of the pooled estimate, 1 / √(Σ_i 1 / (σ_i² / n + τ²)).</summary>
    /// <param name="standardDeviations">σ_i, each dataset's seed-to-seed standard deviation of the paired differences; finite, ≥ 0, at least one.</param>
    /// <param name="seeds">n, the seeds per dataset, at least 2.</param>
    /// <param name="tauSquared">τ², the between-dataset variance assumed; finite, ≥ 0 (0: a common effect).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it, or every σ_i and τ² zero.</exception>
    public static double StandardError(IReadOnlyList<double> standardDeviations, int seeds, double tauSquared = 0)
    {
        ArgumentNullException.ThrowIfNull(standardDeviations);
        if (standardDeviations.Count == 0 || standardDeviations.Any(s => !(s >= 0) || double.IsInfinity(s)))
        {
            throw new ArgumentException("Give at least one standard deviation, every one finite and >= 0.", nameof(standardDeviations));
        }
        if (seeds < 2)
        {
            throw new ArgumentException($"seeds must be at least 2, not {seeds}.", nameof(seeds));
        }
        if (!(tauSquared >= 0) || double.IsInfinity(tauSquared))
        {
            throw new ArgumentException($"tauSquared must be finite and >= 0, not {tauSquared}.", nameof(tauSquared));
        }
        if (tauSquared == 0 && standardDeviations.Any(s => s == 0))
        {
            throw new ArgumentException("A standard deviation of 0 with tauSquared = 0 gives a dataset infinite weight.", nameof(standardDeviations));
        }
        return 1 / Math.Sqrt(standardDeviations.Sum(s => 1 / (s * s / seeds + tauSquared)));
    }
}
