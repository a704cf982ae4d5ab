namespace EarthMover;

/// <summary>
/// SciPy's <c>percentileofscore(a, score, kind='rank')</c> / 100 for every entry of a row against the row
/// itself: with left = #(a &lt; v) and right = #(a ≤ v), rank = (left + right + [right &gt; left]) / (2n).
/// Ties get the average of their ranks; with no ties the r-th smallest of n values gets r / n.
/// </summary>
internal static class PercentileRank
{
    public static void OfRow(ReadOnlySpan<double> row, Span<double> ranks)
    {
        int n = row.Length;
        var sorted = row.ToArray();
        Array.Sort(sorted);
        for (int j = 0; j < n; j++)
        {
            double v = row[j];
            int left = LowerBound(sorted, v);
            int right = UpperBound(sorted, v);
            ranks[j] = (left + right + (right > left ? 1 : 0)) / (2.0 * n);
        }
    }

    private static int LowerBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    private static int UpperBound(double[] sorted, double v)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= v)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }
}
