using System.Numerics;
using System.Runtime.CompilerServices;

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
    /// <param name="max">Each row's maximum (from <see cref="TileTranspose{T, TV}.In(T**, int, Span{TV}, out TV, out TV)"/>).</param>
    /// <param name="total">Each row's plain sum: finite exactly when all its logits are (short of overflowing 1e38).</param>
    /// <returns>1/Σe for each lane, and all-bits-set in the lanes whose row holds NaN or infinite logits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (TV Inverse, TV NotFinite) Exponentiate<T, TV>(Span<TV> tile, TV max, TV total)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TV : unmanaged, ISimd<TV, T>
    {
        var notFinite = ~TV.Equal(total - total, TV.Zero);
        var sum = TV.Zero;
        for (int m = 0; m < tile.Length; m++)
        {
            var e = VectorMath<T, TV>.ExpOfDifference(tile[m], max);
            tile[m] = e;
            sum += e;
        }
        return (TV.One / sum, notFinite);
    }
}
