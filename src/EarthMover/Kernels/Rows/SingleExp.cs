using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// The exponentials of a float32 row, e^(x - max), in single precision, 8 lanes a vector: for float32 logits, which
/// carry a rounding of 6e-8 themselves, a quarter of the double-precision lanes' work per entry (twice the lanes, a
/// polynomial of degree 7 instead of 13), the results widened to double for the sums that follow.
/// </summary>
internal static unsafe class SingleExp
{
    /// <summary>Whether the processor has the lanes (AVX2 with fused multiply-add).</summary>
    public static bool IsSupported => RowVectors.Has256;

    /// <summary>e_c = e^(row_c - max) for the <paramref name="width"/> entries into <paramref name="e"/>; returns Σ e (in a fixed order).</summary>
    /// <param name="row">The float32 row (checked finite).</param>
    /// <param name="width">Its entries.</param>
    /// <param name="max">Its largest entry.</param>
    /// <param name="e">Receives the exponentials.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Row(float* row, int width, float max, Span<double> e)
    {
        ref double e0 = ref MemoryMarshal.GetReference(e);
        var m = Vector256.Create(max);
        var sum = Vector256<double>.Zero;
        int c = 0;
        for (; c + 8 <= width; c += 8)
        {
            var v = Exp(Vector256.Load(row + c) - m);
            var low = Avx.ConvertToVector256Double(v.GetLower());
            var high = Avx.ConvertToVector256Double(v.GetUpper());
            low.StoreUnsafe(ref e0, (nuint)c);
            high.StoreUnsafe(ref e0, (nuint)(c + 4));
            sum += low + high;
        }
        if (c < width && width >= 8)
        {
            // The last 8 entries, overlapping the finished ones (stored again, the same values), only the new ones added.
            int start = width - 8;
            var v = Exp(Vector256.Load(row + start) - m);
            var low = Avx.ConvertToVector256Double(v.GetLower());
            var high = Avx.ConvertToVector256Double(v.GetUpper());
            low.StoreUnsafe(ref e0, (nuint)start);
            high.StoreUnsafe(ref e0, (nuint)(start + 4));
            var lanes = Vector256<double>.Indices + Vector256.Create((double)start);
            var fresh = Vector256.Create((double)c);
            sum += (low & Vector256.GreaterThanOrEqual(lanes, fresh)) + (high & Vector256.GreaterThanOrEqual(lanes + Vector256.Create(4.0), fresh));
            c = width;
        }
        double total = Lanes256.Sum(new(sum));
        for (; c < width; c++)
        {
            double v = Math.Exp((double)row[c] - max);
            e[c] = v;
            total += v;
        }
        return total;
    }

    /// <summary>
    /// e_c = e^(x_c - max) for a row of float32 logits read as doubles (x - max exact in double, then rounded to single,
    /// an error no larger than the logits' own), at least 8 entries, the last vector overlapping the one before.
    /// </summary>
    /// <param name="x">The row, from float32 values (checked finite).</param>
    /// <param name="max">Its largest entry.</param>
    /// <param name="e">Receives the exponentials.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Shifted(ReadOnlySpan<double> x, double max, Span<double> e)
    {
        ref double x0 = ref MemoryMarshal.GetReference(x);
        ref double e0 = ref MemoryMarshal.GetReference(e);
        var m = Vector256.Create(max);
        int last = x.Length - 8;
        for (int c = 0; c < x.Length; c += 8)
        {
            int start = Math.Min(c, last);
            var low = Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref x0, (nuint)start) - m);
            var high = Avx.ConvertToVector128Single(Vector256.LoadUnsafe(ref x0, (nuint)(start + 4)) - m);
            var v = Exp(Vector256.Create(low, high));
            Avx.ConvertToVector256Double(v.GetLower()).StoreUnsafe(ref e0, (nuint)start);
            Avx.ConvertToVector256Double(v.GetUpper()).StoreUnsafe(ref e0, (nuint)(start + 4));
        }
    }

    /// <summary>
    /// e^d per lane for d ≤ 0 (not NaN) in single precision: d = n ln2 + r (Cody-Waite), e^r by Cephes' expf
    /// polynomial (about 1 ulp), 2^n through the exponent bits; 0 below -87 (the true value is under 2e-38).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Exp(Vector256<float> d)
    {
        var small = Vector256.LessThan(d, Vector256.Create(-87.0f));
        var x = Vector256.Max(d, Vector256.Create(-87.0f));
        var magic = Vector256.Create(12582912.0f); // 1.5 * 2^23: adding it rounds to an integer in the low bits.
        var shifted = Vector256.FusedMultiplyAdd(x, Vector256.Create(1.44269504f), magic);
        var n = shifted - magic;
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.9875691500e-4f);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.3981999507e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(8.3334519073e-3f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(4.1665795894e-2f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(1.6666665459e-1f));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(5.0000001201e-1f));
        var y = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        // 2^n: the integer in shifted's low bits, rebiased by 127 and moved into the exponent field.
        var scale = Vector256.ShiftLeft(shifted.AsInt32() - Vector256.Create(0x4B400000 - 127), 23).AsSingle();
        return Vector256.AndNot(y * scale, small);
    }
}
