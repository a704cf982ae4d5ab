namespace EarthMover.Cli.Statistics;

/// <summary>
/// Holm's step-down correction for a family of tests: it controls the family-wise error rate (the chance of any
/// false rejection) at alpha under any dependence between the tests. Sorted ascending, the j-th smallest p-value
/// (j from 1) is multiplied by m − j + 1, made non-decreasing and capped at 1; a test survives when its adjusted
/// p-value is at most alpha. Equal to <c>statsmodels.stats.multitest.multipletests(p, alpha, method='holm')</c>.
/// </summary>
internal static class Holm
{
    /// <summary>Holm-adjusted p-values, in the order given.</summary>
    /// <param name="pValues">The family's p-values, each in [0, 1].</param>
    /// <exception cref="ArgumentException">An empty family or a p-value outside [0, 1] (or NaN).</exception>
    public static double[] Adjust(IReadOnlyList<double> pValues)
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
        int m = pValues.Count;
        var order = Enumerable.Range(0, m).OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        double running = 0;
        for (int j = 0; j < m; j++)
        {
            running = Math.Max(running, Math.Min(1, (m - j) * pValues[order[j]]));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }

    /// <summary>Whether each test survives the correction at <paramref name="alpha"/> (its adjusted p-value is at most alpha).</summary>
    /// <exception cref="ArgumentException">As <see cref="Adjust"/>, or alpha outside (0, 1).</exception>
    public static bool[] Survives(IReadOnlyList<double> pValues, double alpha = 0.05)
    {
        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentException($"alpha must lie in (0, 1), not {alpha}.", nameof(alpha));
        }
        return Adjust(pValues).Select(p => p <= alpha).ToArray();
    }
}
