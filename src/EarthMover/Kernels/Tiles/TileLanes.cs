using System.Numerics;

namespace EarthMover.Kernels;

/// <summary>Small helpers for per-lane values of a tile.</summary>
internal static class TileLanes
{
    /// <summary>The lanes' class indices as a vector of T.</summary>
    public static TV Classes<T, TV>(ReadOnlySpan<int> targets)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        Span<T> values = stackalloc T[TV.Count];
        for (int r = 0; r < values.Length; r++)
        {
            values[r] = T.CreateTruncating(targets[r]);
        }
        return TV.Create(values);
    }
}
