namespace EarthMover.Cli.Statistics;

/// <summary>
/// The power of the two-sided paired t-test over n seeds, and what it can detect. With standardised effect
/// d = δ / σ (δ the true mean paired difference, σ the seed-to-seed standard deviation of the differences), the
/// statistic T = mean / (sd / √n) follows the noncentral t with ν = n − 1 and noncentrality d √n, so
/// power(d, n, α) = P(T &gt; t_{ν, 1−α/2}) + P(T &lt; −t_{ν, 1−α/2}) (<see cref="NoncentralT"/>); as
/// <c>statsmodels.stats.power.TTestPower().power(d, n, α, alternative='two-sided')</c>. The results pages test with the
/// exact Wilcoxon signed-rank test instead, whose efficiency relative to the t-test is 3/π ≈ 0.955 for normal
/// differences (and at least 0.864 for any): these numbers are a close guide to it, not its exact power.
/// </summary>
internal static class PairedTTestPower
{
    /// <summary>The power of the two-sided paired t-test at standardised effect d with n pairs.</summary>
    /// <param name="effectSize">d = δ / σ, any finite value (the test is two-sided, so ±d give the same power).</param>
    /// <param name="n">The number of pairs (seeds), real-valued and above 1 (ν = n − 1 &gt; 0).</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static double Power(double effectSize, double n, double alpha = 0.05)
    {
        if (!double.IsFinite(effectSize))
        {
            throw new ArgumentException($"effectSize must be finite, not {effectSize}.", nameof(effectSize));
        }
        CheckN(n);
        CheckLevel(alpha, nameof(alpha));
        double df = n - 1, critical = StudentT.Quantile(1 - alpha / 2, df), nc = effectSize * Math.Sqrt(n);
        return NoncentralT.Survival(critical, df, nc) + NoncentralT.Cdf(-critical, df, nc);
    }

    /// <summary>
    /// The minimum detectable standardised effect: the d &gt; 0 with power(d, n, α) = <paramref name="power"/>
    /// (<c>TTestPower().solve_power(effect_size=None, nobs=n, alpha=α, power=power)</c>), by bisection.
    /// </summary>
    /// <param name="n">The number of pairs, above 1.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (α, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static double MinimumDetectableEffectSize(double n, double alpha = 0.05, double power = 0.8)
    {
        CheckN(n);
        CheckLevel(alpha, nameof(alpha));
        CheckPower(power, alpha);
        return Solve(d => Power(d, n, alpha), power, 1);
    }

    /// <summary>The minimum detectable mean difference in the metric's units: d_min(n, α, power) · σ.</summary>
    /// <param name="standardDeviation">σ, the seed-to-seed standard deviation of the paired differences; finite, ≥ 0.</param>
    /// <param name="n">The number of pairs, above 1.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (α, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static double MinimumDetectableDifference(double standardDeviation, double n, double alpha = 0.05, double power = 0.8)
    {
        CheckStandardDeviation(standardDeviation);
        return MinimumDetectableEffectSize(n, alpha, power) * standardDeviation;
    }

    /// <summary>
    /// The real-valued number of pairs n at which power(d, n, α) = <paramref name="power"/>
    /// (<c>TTestPower().solve_power(effect_size=d, nobs=None, alpha=α, power=power)</c>), by bisection; 2 when two pairs
    /// already reach it.
    /// </summary>
    /// <param name="effectSize">d = δ / σ, non-zero and finite.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (α, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static double RequiredPairs(double effectSize, double alpha = 0.05, double power = 0.8)
    {
        if (!double.IsFinite(effectSize) || effectSize == 0)
        {
            throw new ArgumentException($"effectSize must be finite and non-zero (no number of seeds detects 0), not {effectSize}.", nameof(effectSize));
        }
        CheckLevel(alpha, nameof(alpha));
        CheckPower(power, alpha);
        if (Power(effectSize, 2, alpha) >= power)
        {
            return 2;
        }
        return 2 + Solve(extra => Power(effectSize, 2 + extra, alpha), power, 8);
    }

    /// <summary>
    /// The fewest whole seeds whose paired t-test reaches <paramref name="power"/> for a true mean difference of
    /// <paramref name="difference"/> with seed-to-seed standard deviation σ: ⌈<see cref="RequiredPairs"/>(difference / σ)⌉.
    /// </summary>
    /// <param name="standardDeviation">σ, finite and &gt; 0.</param>
    /// <param name="difference">The difference to detect, in the metric's units; non-zero and finite.</param>
    /// <param name="alpha">Two-sided significance level, in (0, 1).</param>
    /// <param name="power">The target power, in (α, 1).</param>
    /// <exception cref="ArgumentException">A parameter out of range, naming it.</exception>
    public static int SeedsNeeded(double standardDeviation, double difference, double alpha = 0.05, double power = 0.8)
    {
        CheckStandardDeviation(standardDeviation);
        if (standardDeviation == 0)
        {
            throw new ArgumentException("standardDeviation must be > 0 to size a sample.", nameof(standardDeviation));
        }
        if (!double.IsFinite(difference) || difference == 0)
        {
            throw new ArgumentException($"difference must be finite and non-zero, not {difference}.", nameof(difference));
        }
        double n = RequiredPairs(difference / standardDeviation, alpha, power);
        // The real-valued root is found to the last bit; do not let its rounding add a seed.
        return (int)Math.Ceiling(n - 1e-9);
    }

    // The x > 0 where the increasing f reaches target, bracketing by doubling from start.
    private static double Solve(Func<double, double> f, double target, double start)
    {
        double low = 0, high = start;
        while (f(high) < target)
        {
            low = high;
            high *= 2;
            if (high > 1e12)
            {
                throw new InvalidOperationException("The power equation has no root below 1e12.");
            }
        }
        for (int i = 0; i < 2000; i++)
        {
            double middle = 0.5 * (low + high);
            if (middle <= low || middle >= high)
            {
                break;
            }
            if (f(middle) < target)
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

    private static void CheckN(double n)
    {
        if (!(n > 1) || double.IsInfinity(n))
        {
            throw new ArgumentException($"n must be finite and > 1 (n - 1 degrees of freedom), not {n}.", nameof(n));
        }
    }

    private static void CheckStandardDeviation(double standardDeviation)
    {
        if (!(standardDeviation >= 0) || double.IsInfinity(standardDeviation))
        {
            throw new ArgumentException($"standardDeviation must be finite and >= 0, not {standardDeviation}.", nameof(standardDeviation));
        }
    }

    internal static void CheckLevel(double level, string parameter)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentException($"{parameter} must lie in (0, 1), not {level}.", parameter);
        }
    }

    private static void CheckPower(double power, double alpha)
    {
        if (!(power > alpha && power < 1))
        {
            throw new ArgumentException($"power must lie in (alpha, 1) = ({alpha}, 1), not {power}: a test has power alpha at no effect.", nameof(power));
        }
    }
}
