namespace EarthMover;

/// <summary>
/// SciPy's <c>percentileofscore(a, score, kind='rank')</c> / 100 for every entry of a row against the row
/// itself: with left = #(a &lt; v) and right = #(a ≤ v), rank = (left + right + [right &gt; left]) / (2n).
/// Ties get the average of their ranks; with no ties the r-th smallest of n values gets r / n.
/// </summary>
internal static class PercentileRank
{
    /// <param name="row">The values.</param>
    /// <param name="ranks">Their ranks, written here.</param>
    /// <param name="tieTolerance">
    /// Values within this fraction of the row's largest magnitude of the first of a run of sorted values are
    /// ties; 0 (SciPy's semantics) takes only equal values as ties.
    /// </param>
    /// <param name="sorted">Work space of the row's length.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void OfRow(ReadOnlySpan<double> row, Span<double> ranks, double tieTolerance, Kernels.SortedRow sorted)
    {
        int n = row.Length;
        sorted.Sort(row);
        var values = sorted.Values;
        var order = sorted.Order;
        double tolerance = 0;
        if (tieTolerance > 0)
        {
            for (int j = 0; j < n; j++)
            {
                tolerance = Math.Max(tolerance, Math.Abs(values[j]));
            }
            tolerance *= tieTolerance;
        }
        // Walk runs of tied values: for each, left = its first sorted position, right = one past its last.
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && values[end] - values[start] <= tolerance)
            {
                end++;
            }
            double rank = (start + end + 1) / (2.0 * n);
            for (int j = start; j < end; j++)
            {
                ranks[order[j]] = rank;
            }
            start = end;
        }
    }
}
