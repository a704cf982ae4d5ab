using System.Runtime.CompilerServices;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>The exponentials of a softmax for every row of a tile (each lane is a row), in place.</summary>
internal static class TileSoftmax
{
    /// <summary>
    /// Replaces the logits z by e = exp(z - max), row by row, so that logits of any magnitude stay finite;
    /// the probabilities are p = e · inverse. The normalisation is left to the kernels, which fold it into
    /// work they do anyway.
    /// </summary>
    /// <returns>1/Σe for each lane, and all-bits-set in the lanes whose row holds NaN or infinite logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Vector256<T> Inverse, Vector256<T> NotFinite) Exponentiate<T>(Span<Vector256<T>> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = tile[0];
        var total = tile[0];
        for (int m = 1; m < tile.Length; m++)
        {
            max = Vector256.MaxNative(max, tile[m]); // NaN is caught by the total below.
            total += tile[m];
        }
        // The plain sum of the logits is finite exactly when they all are (short of overflowing 1e38).
        var notFinite = ~Vector256.Equals(total - total, Vector256<T>.Zero);
        var sum = Vector256<T>.Zero;
        for (int m = 0; m < tile.Length; m++)
        {
            var e = VectorMath.Exp(tile[m] - max);
            tile[m] = e;
            sum += e;
        }
        return (Vector256<T>.One / sum, notFinite);
    }
}
