namespace EarthMover.Cli.Statistics;

/// <summary>
/// The Benjamini-Hochberg step-up procedure (1995): it controls the false discovery rate (the expected share of false
/// claims among the claims) at alpha for independent or positively dependent tests, a weaker guarantee than
/// <see cref="Holm"/>'s family-wise error rate and so more permissive. Sorted ascending, the j-th smallest p-value
/// (j from 1) is multiplied by m / j; the adjusted p-value is the smallest such product at or above its rank
/// (a running minimum from the largest p-value down), capped at 1. A test is rejected when its adjusted p-value is at
/// most alpha, equivalently when some p_(j) ≤ j α / m at or above its rank. Equal to
/// <c>statsmodels.stats.multitest.multipletests(p, alpha, method='fdr_bh')</c>.
/// </summary>
internal static class BenjaminiHochberg
{
    /// <summary>Benjamini-Hochberg adjusted p-values ("q-values"), in the order given: min_{j ≥ rank} min(1, m p_(j) / j).</summary>
    /// <param name="pValues">The family's p-values, each in [0, 1].</param>
    /// <exception cref="ArgumentException">An empty family or a p-value outside [0, 1] (or NaN).</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
    {
        var order = Sorted(pValues);
        int m = pValues.Count;
        var adjusted = new double[m];
        double running = 1;
        for (int j = m - 1; j >= 0; j--)
        {
            running = Math.Min(running, pValues[order[j]] / ((j + 1) / (double)m));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }

    /// <summary>Whether each test is rejected at false discovery rate <paramref name="alpha"/>: the step-up rule, rejecting the j* smallest p-values for the largest j* with p_(j*) ≤ j* α / m.</summary>
    /// <exception cref="ArgumentException">As <see cref="Adjust"/>, or alpha outside (0, 1).</exception>
    public static bool[] Survives(IReadOnlyList<double> pValues, double alpha = 0.05)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentException($"alpha must lie in (0, 1), not {alpha}.", nameof(alpha));
        }
        var order = Sorted(pValues);
        int m = pValues.Count;
        int largest = -1;
        for (int j = 0; j < m; j++)
        {
            if (pValues[order[j]] <= (j + 1) / (double)m * alpha)
            {
                largest = j;
            }
        }
        var survives = new bool[m];
        for (int j = 0; j <= largest; j++)
        {
            survives[order[j]] = true;
        }
        return survives;
    }

    private static int[] Sorted(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        if (pValues.Count == 0)
        {
            throw new ArgumentException("An empty family: give at least one p-value.", nameof(pValues));
        }
        if (pValues.Any(p => !(p >= 0 && p <= 1)))
        {
            throw new ArgumentException("Every p-value must lie in [0, 1].", nameof(pValues));
        }
        return Enumerable.Range(0, pValues.Count).OrderBy(i => pValues[i]).ToArray();
    }
}
