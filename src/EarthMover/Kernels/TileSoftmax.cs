using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>Softmax of every row of a tile in place (each lane is a row), the first step of the fused kernels.</summary>
internal static class TileSoftmax
{
    /// <summary>
    /// Replaces the logits by exp(z - max) / sum, row by row, so that logits of any magnitude stay finite.
    /// </summary>
    /// <returns>All-bits-set in the lanes whose row holds NaN or infinite logits (their values are then undefined).</returns>
    public static Vector256<T> Apply<T>(Span<Vector256<T>> tile)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = tile[0];
        for (int m = 1; m < tile.Length; m++)
        {
            max = Vector256.Max(max, tile[m]);
        }
        var sum = Vector256<T>.Zero;
        for (int m = 0; m < tile.Length; m++)
        {
            var e = VectorMath.Exp(tile[m] - max);
            tile[m] = e;
            sum += e;
        }
        // A NaN or infinite logit makes the sum NaN (inf - inf, or NaN propagating); sum - sum is 0 only when it is finite.
        var finite = Vector256.Equals(sum - sum, Vector256<T>.Zero) & Vector256.GreaterThan(sum, Vector256<T>.Zero);
        var inverse = Vector256<T>.One / sum;
        for (int m = 0; m < tile.Length; m++)
        {
            tile[m] *= inverse;
        }
        return ~finite;
    }
}
