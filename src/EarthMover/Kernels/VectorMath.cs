using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels;

/// <summary>
/// The vector arithmetic the fused kernels need beyond <see cref="Vector256"/>'s operators: an exponential
/// (its own <c>Vector256.Exp</c> is several times slower on this runtime) and a fused multiply-add, generic
/// over <c>float</c> and <c>double</c>; the JIT removes the type tests.
/// </summary>
internal static class VectorMath
{
    /// <summary>
    /// e^(x - max) per lane, the terms of a softmax; x ≤ max is assumed. Terms below e^-40 (float) or
    /// e^-600 (double) are returned as exactly 0: beside the row's largest term, which is 1, they are far
    /// below the last bit, and keeping them would let the gradient's products fall into subnormal numbers,
    /// which the processor handles tens of times more slowly (confident predictions hit this all the time).
    /// NaN is not handled; the caller checks the row for non-finite values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ExpOfDifference<T>(Vector256<T> x, Vector256<T> max)
    {
        if (typeof(T) == typeof(float))
        {
            return ExpOfDifferenceSingle(x.As<T, float>(), max.As<T, float>()).As<float, T>();
        }
        var d = (x - max).As<T, double>();
        return Vector256.AndNot(ExpDouble(d), Vector256.LessThan(d, Vector256.Create(-600.0))).As<double, T>();
    }

    /// <summary>e^x per lane for x ≤ 0 (see <see cref="ExpOfDifference{T}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) => ExpOfDifference(x, Vector256<T>.Zero);

    // d = x - max = n ln2 + r with |r| ≤ ln2/2 (Cody-Waite: ln2 split in two so that r keeps full precision),
    // e^r by a degree-6 polynomial fitted for relative error, 2^n through the exponent bits. Relative error
    // below 1.2e-7 over [-40, 0] (checked against Math.Exp in the tests).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> ExpOfDifferenceSingle(Vector256<float> x, Vector256<float> max)
    {
        var difference = x - max;
        var d = Vector256.MaxNative(difference, Vector256.Create(-40f));
        var magic = Vector256.Create(12582912f); // 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits.
        var shifted = Vector256.MultiplyAddEstimate(d, Vector256.Create(1.44269504088896341f), magic);
        var n = shifted - magic;
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-0.693359375f), d);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(2.12194440e-4f), r);
        var p = Vector256.Create(1.3836829e-3f);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(8.3748149e-3f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(4.1668225e-2f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(1.6666420e-1f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256.Create(4.9999991e-1f));
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        p = Vector256.MultiplyAddEstimate(p, r, Vector256<float>.One);
        var scale = Vector256.ShiftLeft(shifted.AsInt32() + Vector256.Create(127 - 0x4B400000), 23).AsSingle();
        return Vector256.AndNot(p * scale, Vector256.LessThan(difference, Vector256.Create(-40f)));
    }

    // Cephes exp: x = n ln2 + r, Pade approximation exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> ExpDouble(Vector256<double> x)
    {
        var clamped = Vector256.MaxNative(x, Vector256.Create(-708.3964185322641));
        var magic = Vector256.Create(6755399441055744.0); // 1.5 * 2^52
        var shifted = Vector256.MultiplyAddEstimate(clamped, Vector256.Create(1.4426950408889634073599), magic);
        var n = shifted - magic;
        var r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-6.93145751953125E-1), clamped);
        r = Vector256.MultiplyAddEstimate(n, Vector256.Create(-1.42860682030941723212E-6), r);
        var rr = r * r;
        var p = Vector256.Create(1.26177193074810590878E-4);
        p = Vector256.MultiplyAddEstimate(p, rr, Vector256.Create(3.02994407707441961300E-2));
        p = Vector256.MultiplyAddEstimate(p, rr, Vector256.Create(9.99999999999999999910E-1));
        p *= r;
        var q = Vector256.Create(3.00198505138664455042E-6);
        q = Vector256.MultiplyAddEstimate(q, rr, Vector256.Create(2.52448340349684104192E-3));
        q = Vector256.MultiplyAddEstimate(q, rr, Vector256.Create(2.27265548208155028766E-1));
        q = Vector256.MultiplyAddEstimate(q, rr, Vector256.Create(2.00000000000000000009E0));
        var y = Vector256<double>.One + Vector256.Create(2.0) * p / (q - p);
        // n is in [-1022, 0]: 2^n through the exponent bits.
        var scale = Vector256.ShiftLeft(shifted.AsInt64() - Vector256.Create(0x4338000000000000L - 1023L), 52).AsDouble();
        return y * scale;
    }

    /// <summary>a · b + c per lane, fused where the processor has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.MultiplyAddEstimate(a.As<T, float>(), b.As<T, float>(), c.As<T, float>()).As<float, T>();
        }
        return Vector256.MultiplyAddEstimate(a.As<T, double>(), b.As<T, double>(), c.As<T, double>()).As<double, T>();
    }
}
