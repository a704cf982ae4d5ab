using System.Numerics;
using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>
/// The row loops of the streaming learner's hot path (<see cref="FeatureSums"/>), in
/// <see cref="Vector{T}"/>, whose width the runtime sets from the processor (256 bits with AVX2, 128 with
/// SSE or ARM64's AdvSimd), and plain loops where vectors are not accelerated.
/// </summary>
internal static class FeatureRows
{
    /// <summary>Σ|x| (<paramref name="squared"/> false) or Σx² of a row, accumulated in <typeparamref name="T"/>.</summary>
    public static T Norm<T>(ReadOnlySpan<T> row, bool squared)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T total = T.Zero;
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<T>.Zero;
            for (; j + Vector<T>.Count <= row.Length; j += Vector<T>.Count)
            {
                var v = new Vector<T>(row.Slice(j, Vector<T>.Count));
                acc += squared ? v * v : Vector.Abs(v);
            }
            total = Vector.Sum(acc);
        }
        for (; j < row.Length; j++)
        {
            total += squared ? row[j] * row[j] : T.Abs(row[j]);
        }
        return total;
    }

    /// <summary>
    /// destination += row / norm, in double (a division, not a multiply by 1/norm: rows that are multiples of
    /// each other then normalise to exactly the same vector).
    /// </summary>
    public static void AddDivided<T>(ReadOnlySpan<T> row, double norm, Span<double> destination)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<double>(norm);
            int half = Vector<double>.Count;
            if (typeof(T) == typeof(float))
            {
                var floats = MemoryMarshal.Cast<T, float>(row);
                for (; j + Vector<float>.Count <= row.Length; j += Vector<float>.Count)
                {
                    Vector.Widen(new Vector<float>(floats.Slice(j, Vector<float>.Count)), out var low, out var high);
                    var d0 = destination.Slice(j, half);
                    var d1 = destination.Slice(j + half, half);
                    (new Vector<double>(d0) + low / s).CopyTo(d0);
                    (new Vector<double>(d1) + high / s).CopyTo(d1);
                }
            }
            else
            {
                var doubles = MemoryMarshal.Cast<T, double>(row);
                for (; j + half <= row.Length; j += half)
                {
                    var d = destination.Slice(j, half);
                    (new Vector<double>(d) + new Vector<double>(doubles.Slice(j, half)) / s).CopyTo(d);
                }
            }
        }
        for (; j < row.Length; j++)
        {
            destination[j] += double.CreateChecked(row[j]) / norm;
        }
    }
}
