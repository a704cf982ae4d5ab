using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>The value checks the CPU kernels make on one row as they read it, at the row's own precision.</summary>
internal static class RowChecks
{
    /// <summary>Whether every entry is ≥ 0 and finite and the entries sum to 1 within <paramref name="tolerance"/>.</summary>
    public static bool IsDistribution<T>(ReadOnlySpan<T> values, T tolerance)
        where T : IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        foreach (var v in values)
        {
            if (!(v >= T.Zero) || T.IsInfinity(v))
            {
                return false;
            }
            total += v;
        }
        return T.Abs(total - T.One) <= tolerance;
    }

    /// <summary>Whether every entry is finite.</summary>
    public static bool AllFinite<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        foreach (var v in values)
        {
            if (!T.IsFinite(v))
            {
                return false;
            }
        }
        return true;
    }
}
