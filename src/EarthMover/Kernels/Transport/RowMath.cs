using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels.Transport;

/// <summary>
/// min_j (a_j - b_j) and where it is reached: the inner loop of the simplex's pricing and of the c-transform.
/// Written with <see cref="Vector{T}"/>, so it uses whatever vector width the processor has (scalar where none).
/// </summary>
internal static class RowMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double MinDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        int j = 0;
        double least = double.PositiveInfinity;
        if (Vector.IsHardwareAccelerated && n >= 2 * Vector<double>.Count)
        {
            var smallest = new Vector<double>(double.PositiveInfinity);
            for (; j <= n - Vector<double>.Count; j += Vector<double>.Count)
            {
                smallest = Vector.Min(smallest, new Vector<double>(a[j..]) - new Vector<double>(b[j..]));
            }
            for (int k = 0; k < Vector<double>.Count; k++)
            {
                least = Math.Min(least, smallest[k]);
            }
        }
        for (; j < n; j++)
        {
            double v = a[j] - b[j];
            if (v < least)
            {
                least = v;
            }
        }
        return least;
    }

    /// <summary>The first j where a_j - b_j is least.</summary>
    public static int ArgMinDifference(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int best = 0;
        double least = double.PositiveInfinity;
        for (int j = 0; j < a.Length; j++)
        {
            double v = a[j] - b[j];
            if (v < least)
            {
                least = v;
                best = j;
            }
        }
        return best;
    }
}
