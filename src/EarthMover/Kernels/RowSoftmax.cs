using System.Numerics;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>Softmax of one padded row in place, the first step of every fused kernel.</summary>
internal static class RowSoftmax
{
    /// <summary>
    /// Replaces the logits in <paramref name="row"/> (padded with negative infinity) by their softmax,
    /// computed as exp(z - max) / sum so that logits of any magnitude stay finite.
    /// </summary>
    /// <returns>False when the row holds NaN or infinite logits (the row is then left undefined).</returns>
    public static bool Apply<T>(Span<Vector256<T>> row)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var max = row[0];
        for (int c = 1; c < row.Length; c++)
        {
            max = Vector256.Max(max, row[c]);
        }
        var maxAll = Vector256.Create(Vector256Max(max));
        var sum = Vector256<T>.Zero;
        for (int c = 0; c < row.Length; c++)
        {
            var e = VectorMath.Exp(row[c] - maxAll);
            row[c] = e;
            sum += e;
        }
        T total = Vector256.Sum(sum);
        if (!T.IsFinite(total) || total <= T.Zero)
        {
            return false;
        }
        var inverse = Vector256.Create(T.One / total);
        for (int c = 0; c < row.Length; c++)
        {
            row[c] *= inverse;
        }
        return true;
    }

    private static T Vector256Max<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T max = v[0];
        for (int i = 1; i < Vector256<T>.Count; i++)
        {
            // NaN wins so that a NaN logit is reported rather than hidden.
            max = T.IsNaN(v[i]) || v[i] > max ? v[i] : max;
        }
        return max;
    }
}
