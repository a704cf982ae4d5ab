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
    /// <param name="tile">The logits, one row per lane.</param>
    /// <param name="max">Each row's maximum (from <see cref="TileTranspose.In{T}(T**, int, Span{Vector256{T}}, out Vector256{T}, out Vector256{T})"/>).</param>
    /// <param name="total">Each row's plain sum: finite exactly when all its logits are (short of overflowing 1e38).</param>
    /// <returns>1/Σe for each lane, and all-bits-set in the lanes whose row holds NaN or infinite logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (Vector256<T> Inverse, Vector256<T> NotFinite) Exponentiate<T>(Span<Vector256<T>> tile, Vector256<T> max, Vector256<T> total)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var notFinite = ~Vector256.Equals(total - total, Vector256<T>.Zero);
        var sum = Vector256<T>.Zero;
        for (int m = 0; m < tile.Length; m++)
        {
            var e = VectorMath.ExpOfDifference(tile[m], max);
            tile[m] = e;
            sum += e;
        }
        return (Vector256<T>.One / sum, notFinite);
    }
}
