namespace EarthMover.Cli.Statistics;

/// <summary>The outcome of a two-sided Wilcoxon signed-rank test on paired differences.</summary>
/// <param name="RPlus">Sum of the (mid-)ranks of the positive differences (plus half the zeros' ranks for <see cref="ZeroMethod.Zsplit"/>).</param>
/// <param name="RMinus">The same for the negative differences.</param>
/// <param name="PValue">Exact two-sided p-value: min(1, 2 · min(P(R+ ≤ r+), P(R+ ≥ r+))) under random signs.</param>
/// <param name="NonZero">Differences whose sign the null distribution flips (the non-zero ones).</param>
internal sealed record WilcoxonResult(double RPlus, double RMinus, double PValue, int NonZero)
{
    /// <summary>SciPy's two-sided statistic, min(R+, R−).</summary>
    public double Statistic => Math.Min(RPlus, RMinus);
}

/// <summary>
/// The Wilcoxon signed-rank test with its exact null distribution, for the small paired samples of a comparison
/// over seeds. Under the null each non-zero difference is positive or negative with probability 1/2, independently;
/// the distribution of R+ is enumerated over the 2^n sign patterns by dynamic programming over doubled (integer)
/// mid-ranks, so it stays exact with tied magnitudes and with zeros (conditional on the observed magnitudes).
/// Without ties and zeros this is <c>scipy.stats.wilcoxon(method='exact')</c>; with them (where SciPy 1.10 switches to
/// the normal approximation, or truncates tied ranks) it is the exact sign-flip test of
/// <c>scipy.stats.permutation_test(permutation_type='samples')</c> on R+.
/// </summary>
internal static class WilcoxonSignedRank
{
    /// <summary>Two-sided exact test of <paramref name="differences"/> (candidate − baseline, one per seed) against a median of 0.</summary>
    /// <param name="differences">The paired differences; finite, at least one.</param>
    /// <param name="zeros">How zero differences are treated (SciPy's zero_method).</param>
    /// <param name="tolerance">Magnitudes within this of 0 count as zero, within this of each other as tied (0: exact equality, as SciPy).</param>
    /// <exception cref="ArgumentException">Empty or non-finite differences, or a negative tolerance.</exception>
    public static WilcoxonResult Test(IReadOnlyList<double> differences, ZeroMethod zeros = ZeroMethod.Wilcox, double tolerance = 0)
    {
        Check(differences, tolerance);
        var d = differences.Select(x => Math.Abs(x) <= tolerance ? 0 : x).ToArray();
        if (zeros == ZeroMethod.Wilcox)
        {
            d = d.Where(x => x != 0).ToArray();
        }
        var doubledRanks = DoubledMidRanks(d.Select(Math.Abs).ToArray(), tolerance);
        long fixedPlus = 0, observedPlus = 0, observedMinus = 0;
        var flipping = new List<long>();
        for (int i = 0; i < d.Length; i++)
        {
            if (d[i] > 0)
            {
                observedPlus += doubledRanks[i];
                flipping.Add(doubledRanks[i]);
            }
            else if (d[i] < 0)
            {
                observedMinus += doubledRanks[i];
                flipping.Add(doubledRanks[i]);
            }
            else if (zeros == ZeroMethod.Zsplit)
            {
                // Doubled, a zero's rank r2 adds r2 / 2 to each sum; the zeros' doubled ranks add up to an even number.
                fixedPlus += doubledRanks[i];
            }
        }
        fixedPlus /= 2;
        observedPlus += fixedPlus;
        observedMinus += fixedPlus;
        double p = flipping.Count == 0 ? 1 : TwoSided(flipping, fixedPlus, observedPlus);
        return new WilcoxonResult(observedPlus / 2.0, observedMinus / 2.0, p, flipping.Count);
    }

    /// <summary>The smallest two-sided p-value the exact test can give with <paramref name="n"/> non-zero differences: 2 / 2^n.</summary>
    public static double SmallestPValue(int n) => n < 1 ? 1 : Math.Min(1, Math.Pow(2, 1 - n));

    // Twice the mid-ranks of the magnitudes (integers: a tie group at sorted positions i..j has mid-rank (i + j) / 2).
    internal static long[] DoubledMidRanks(double[] magnitudes, double tolerance)
    {
        var order = Enumerable.Range(0, magnitudes.Length).OrderBy(i => magnitudes[i]).ToArray();
        var ranks = new long[magnitudes.Length];
        for (int start = 0; start < order.Length;)
        {
            int end = start;
            while (end + 1 < order.Length && magnitudes[order[end + 1]] - magnitudes[order[end]] <= tolerance)
            {
                end++;
            }
            for (int k = start; k <= end; k++)
            {
                ranks[order[k]] = start + 1 + end + 1;
            }
            start = end + 1;
        }
        return ranks;
    }

    // P-value from the null distribution of the doubled R+: fixed + the sum of a random subset of the flipping ranks.
    private static double TwoSided(List<long> flipping, long fixedPlus, long observed)
    {
        long total = flipping.Sum();
        var probability = new double[total + 1];
        probability[0] = 1;
        long reach = 0;
        foreach (long rank in flipping)
        {
            reach += rank;
            for (long s = reach; s >= 0; s--)
            {
                probability[s] = 0.5 * probability[s] + (s >= rank ? 0.5 * probability[s - rank] : 0);
            }
        }
        long at = observed - fixedPlus;
        double lower = 0, upper = 0;
        for (long s = 0; s <= total; s++)
        {
            lower += s <= at ? probability[s] : 0;
            upper += s >= at ? probability[s] : 0;
        }
        return Math.Min(1, 2 * Math.Min(lower, upper));
    }

    internal static void Check(IReadOnlyList<double> differences, double tolerance)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0)
        {
            throw new ArgumentException("No differences: give at least one.", nameof(differences));
        }
        if (differences.Any(x => !double.IsFinite(x)))
        {
            throw new ArgumentException("Every difference must be finite.", nameof(differences));
        }
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
        {
            throw new ArgumentException($"The tolerance must be finite and non-negative, not {tolerance}.", nameof(tolerance));
        }
    }
}
