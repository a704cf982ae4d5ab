using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels;

/// <summary>
/// The exponential the fused kernels need, at any vector width and for float and double: .NET's own
/// <c>Vector256.Exp</c> is several times slower on this runtime, and libtorch's cannot be called per tile.
/// The JIT removes the type tests.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TV">The vector width.</typeparam>
internal static class VectorMath<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : unmanaged, ISimd<TV, T>
{
    /// <summary>
    /// e^(x - max) per lane, the terms of a softmax; x ≤ max is assumed. Terms below e^-40 (float) or
    /// e^-600 (double) are returned as exactly 0: beside the row's largest term, which is 1, they are far
    /// below the last bit, and keeping them would let the gradient's products fall into subnormal numbers,
    /// which the processor handles tens of times more slowly (confident predictions hit this all the time).
    /// NaN is not handled; the caller checks the row for non-finite values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpOfDifference(TV x, TV max) =>
        typeof(T) == typeof(float) ? ExpOfDifferenceSingle(x - max) : ExpOfDifferenceDouble(x - max);

    /// <summary>e^x per lane for x ≤ 0 (see <see cref="ExpOfDifference"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp(TV x) => ExpOfDifference(x, TV.Zero);

    // d = x - max = n ln2 + r with |r| ≤ ln2/2 (Cody-Waite: ln2 split in two so that r keeps full precision),
    // e^r by a degree-6 polynomial fitted for relative error, 2^n through the exponent bits. Relative error
    // below 1.2e-7 over [-40, 0] (checked against Math.Exp in the tests). Below -40 the lanes are cleared at
    // the end whatever the steps gave them (an out-of-range exponent, even NaN), so d needs no clamp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpOfDifferenceSingle(TV d)
    {
        var magic = Single(12582912f); // 1.5 * 2^23: adding it rounds to an integer in the low mantissa bits.
        var shifted = TV.MultiplyAdd(d, Single(1.44269504088896341f), magic);
        var n = shifted - magic;
        var r = TV.MultiplyAdd(n, Single(-0.693359375f), d);
        r = TV.MultiplyAdd(n, Single(2.12194440e-4f), r);
        var p = Single(1.3836829e-3f);
        p = TV.MultiplyAdd(p, r, Single(8.3748149e-3f));
        p = TV.MultiplyAdd(p, r, Single(4.1668225e-2f));
        p = TV.MultiplyAdd(p, r, Single(1.6666420e-1f));
        p = TV.MultiplyAdd(p, r, Single(4.9999991e-1f));
        p = TV.MultiplyAdd(p, r, TV.One);
        p = TV.MultiplyAdd(p, r, TV.One);
        return TV.AndNot(p * TV.PowerOfTwo(shifted), TV.LessThan(d, Single(-40f)));
    }

    // Cephes exp: x = n ln2 + r, Pade approximation exp(r) = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)); 2^n through
    // the exponent bits. Below -600 the lanes are cleared at the end, so d needs no clamp.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpOfDifferenceDouble(TV d)
    {
        var magic = Double(6755399441055744.0); // 1.5 * 2^52
        var shifted = TV.MultiplyAdd(d, Double(1.4426950408889634073599), magic);
        var n = shifted - magic;
        var r = TV.MultiplyAdd(n, Double(-6.93145751953125E-1), d);
        r = TV.MultiplyAdd(n, Double(-1.42860682030941723212E-6), r);
        var rr = r * r;
        var p = Double(1.26177193074810590878E-4);
        p = TV.MultiplyAdd(p, rr, Double(3.02994407707441961300E-2));
        p = TV.MultiplyAdd(p, rr, Double(9.99999999999999999910E-1));
        p *= r;
        var q = Double(3.00198505138664455042E-6);
        q = TV.MultiplyAdd(q, rr, Double(2.52448340349684104192E-3));
        q = TV.MultiplyAdd(q, rr, Double(2.27265548208155028766E-1));
        q = TV.MultiplyAdd(q, rr, Double(2.00000000000000000009E0));
        var y = TV.One + Double(2.0) * p / (q - p);
        return TV.AndNot(y * TV.PowerOfTwo(shifted), TV.LessThan(d, Double(-600.0)));
    }

    // Constants of the float and the double polynomial (only one of the two runs for a given T).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Single(float value) => TV.Create(T.CreateTruncating(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Double(double value) => TV.Create(T.CreateTruncating(value));
}
