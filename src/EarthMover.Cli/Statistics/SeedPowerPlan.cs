namespace EarthMover.Cli.Statistics;

/// <summary>
/// A seed plan from observed seed-to-seed spreads: for each dataset's standard deviation σ_i of the paired differences
/// (as in docs/evidence/raw.csv: the 13 differences loss − ce of one dataset and metric), the minimum detectable
/// difference with n seeds, d_min(n, α, power) · σ_i (<see cref="PairedTTestPower"/>), and the seeds a target
/// difference needs, ⌈n(target / σ_i)⌉. α is two-sided and per comparison; for a family under Holm's correction pass
/// alpha / m for the first (strictest) threshold.
/// </summary>
internal static class SeedPowerPlan
{
    /// <summary>One row per standard deviation, in the order given.</summary>
    /// <param name="standardDeviations">σ_i, finite and ≥ 0, at least one.</param>
    /// <param name="seeds">n, the seeds of the plan, at least 2.</param>
    /// <param name="targetDifference">A difference to detect (metric units, non-zero), or null for none.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (α, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static SeedPowerRow[] For(IReadOnlyList<double> standardDeviations, int seeds, double? targetDifference = null, double alpha = 0.05, double power = 0.8)
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
        if (targetDifference is double target && (!double.IsFinite(target) || target == 0))
        {
            throw new ArgumentException($"targetDifference must be finite and non-zero, not {target}.", nameof(targetDifference));
        }
        double d = PairedTTestPower.MinimumDetectableEffectSize(seeds, alpha, power);
        return standardDeviations.Select(s => new SeedPowerRow(
            s,
            seeds,
            d * s,
            targetDifference is double t && s > 0 ? PairedTTestPower.SeedsNeeded(s, t, alpha, power) : null)).ToArray();
    }
}
