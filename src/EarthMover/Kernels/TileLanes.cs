using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>Small helpers for per-lane values of a tile.</summary>
internal static class TileLanes
{
    /// <summary>The lanes' class indices as a vector of T.</summary>
    public static Vector256<T> Classes<T>(ReadOnlySpan<int> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> values = stackalloc T[Vector256<T>.Count];
        for (int r = 0; r < values.Length; r++)
        {
            values[r] = T.CreateTruncating(targets[r]);
        }
        return Vector256.Create<T>(values);
    }
}
