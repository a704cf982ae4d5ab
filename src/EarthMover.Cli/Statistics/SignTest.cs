namespace EarthMover.Cli.Statistics;

/// <summary>The outcome of an exact two-sided sign test.</summary>
/// <param name="Positive">Differences above zero.</param>
/// <param name="Negative">Differences below zero.</param>
/// <param name="Zero">Differences counted as zero (dropped, the usual convention).</param>
/// <param name="PValue">Exact two-sided binomial p-value with probability 1/2, as <c>scipy.stats.binomtest(Positive, Positive + Negative).pvalue</c>.</param>
internal sealed record SignTestResult(int Positive, int Negative, int Zero, double PValue);

/// <summary>
/// The exact sign test on paired differences: under the null each non-zero difference is positive with probability
/// 1/2, so the number of positive ones is Binomial(n, 1/2). It uses only the signs, so it is robust to outliers
/// and weaker than the signed-rank test.
/// </summary>
internal static class SignTest
{
    /// <summary>Two-sided exact sign test of <paramref name="differences"/> against a median of 0.</summary>
    /// <param name="differences">The paired differences; finite, at least one.</param>
    /// <param name="tolerance">Differences within this of 0 count as zero and are dropped.</param>
    /// <exception cref="ArgumentException">Empty or non-finite differences, or a negative tolerance.</exception>
    public static SignTestResult Test(IReadOnlyList<double> differences, double tolerance = 0)
    {
        WilcoxonSignedRank.Check(differences, tolerance);
        int positive = differences.Count(x => x > tolerance);
        int negative = differences.Count(x => x < -tolerance);
        int zero = differences.Count - positive - negative;
        int n = positive + negative;
        // With p = 1/2 the distribution is symmetric, so "as or less likely than k" is both tails beyond min(k, n - k).
        double p = n == 0 ? 1 : Math.Min(1, 2 * LowerTail(Math.Min(positive, negative), n));
        return new SignTestResult(positive, negative, zero, p);
    }

    // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so that large n does not underflow.
    private static double LowerTail(int k, int n)
    {
        double logChoose = 0, sum = 0, scale = double.NegativeInfinity;
        var terms = new double[k + 1];
        for (int i = 0; i <= k; i++)
        {
            if (i > 0)
            {
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            }
            terms[i] = logChoose - n * Math.Log(2);
            scale = Math.Max(scale, terms[i]);
        }
        foreach (double t in terms)
        {
            sum += Math.Exp(t - scale);
        }
        return Math.Exp(scale) * sum;
    }
}
