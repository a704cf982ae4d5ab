using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// Double-precision vector math for the raw-row kernels, 4 lanes (<see cref="Vector256{T}"/>), to the last bit or
/// two: an exponential and a logarithm without divisions (a division costs 4-8 cycles per vector, more than the
/// rest of a lane's work) and a reciprocal refined from the processor's estimate where it has one. A kernel takes
/// this path when <see cref="IsAccelerated"/>, its scalar loop otherwise.
/// </summary>
internal static class RowVectors
{
    /// <summary>Whether 256-bit vectors with fused multiply-add run in hardware (else the kernels' scalar loops run).</summary>
    public static bool IsAccelerated { get; } = Vector256.IsHardwareAccelerated && Fma.IsSupported && Avx2.IsSupported;

    /// <summary>Lane numbers 0, 1, 2, 3.</summary>
    public static Vector256<double> Lanes { get; } = Vector256.Create(0.0, 1.0, 2.0, 3.0);

    /// <summary>
    /// e^d per lane for d ≤ 0 (not NaN): d = n ln2 + r (Cody-Waite), e^r by its Taylor polynomial of degree 13
    /// (truncation below 4e-18 for |r| ≤ ln2/2), 2^n through the exponent bits. Below -700 the result is 0 (the
    /// true value is under 1e-304, beyond anything the kernels keep).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> d)
    {
        var small = Vector256.LessThan(d, Vector256.Create(-700.0));
        d = Vector256.Max(d, Vector256.Create(-700.0));
        var magic = Vector256.Create(6755399441055744.0); // 1.5 * 2^52: adding it rounds to an integer in the low bits.
        var shifted = Fma.MultiplyAdd(d, Vector256.Create(1.4426950408889634), magic);
        var n = shifted - magic;
        var r = Fma.MultiplyAddNegated(n, Vector256.Create(6.93145751953125E-1), d);
        r = Fma.MultiplyAddNegated(n, Vector256.Create(1.42860682030941723212E-6), r);
        var p = Vector256.Create(1.0 / 6227020800.0);
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 479001600.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 39916800.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 3628800.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 362880.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 40320.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 5040.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 720.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 120.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 24.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(1.0 / 6.0));
        p = Fma.MultiplyAdd(p, r, Vector256.Create(0.5));
        p = Fma.MultiplyAdd(p, r, Vector256<double>.One);
        p = Fma.MultiplyAdd(p, r, Vector256<double>.One);
        var scale = Vector256.ShiftLeft(shifted.AsInt64() - Vector256.Create(0x4338000000000000L - 1023L), 52).AsDouble();
        return Vector256.AndNot(p * scale, small);
    }

    /// <summary>
    /// The natural logarithm per lane of a positive, normal, finite x (fdlibm's e_log.c: x = 2^k (1 + f) with
    /// 1 + f in [√2/2, √2), log(1 + f) = f - f²/2 + s (f²/2 + R(s²)), s = f / (2 + f)); error below 1 ulp.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        var ix = x.AsInt64() + Vector256.Create((0x3ff00000L - 0x3fe6a09eL) << 32);
        // The biased exponent k + 1023 (0..2047) as a double, through the magic 2^52 (no int64 conversion needed).
        var biased = Vector256.ShiftRightLogical(ix, 52) | Vector256.Create(0x4330000000000000L);
        var k = biased.AsDouble() - Vector256.Create(4503599627370496.0 + 1023.0);
        var m = ((ix & Vector256.Create(0x000fffffffffffffL)) + Vector256.Create(0x3fe6a09eL << 32)).AsDouble();
        var f = m - Vector256<double>.One;
        var hfsq = Vector256.Create(0.5) * f * f;
        var s = f * Reciprocal(Vector256.Create(2.0) + f);
        var z = s * s;
        var w = z * z;
        var t1 = w * Fma.MultiplyAdd(w, Fma.MultiplyAdd(w, Vector256.Create(1.531383769920937332e-01), Vector256.Create(2.222219843214978396e-01)), Vector256.Create(3.999999999940941908e-01));
        var t2 = z * Fma.MultiplyAdd(w, Fma.MultiplyAdd(w, Fma.MultiplyAdd(w, Vector256.Create(1.479819860511658591e-01), Vector256.Create(1.818357216161805012e-01)), Vector256.Create(2.857142874366239149e-01)), Vector256.Create(6.666666666666735130e-01));
        var rr = t1 + t2;
        var lo = Fma.MultiplyAdd(k, Vector256.Create(1.90821492927058770002e-10), Fma.MultiplyAdd(s, hfsq + rr, -hfsq));
        return Fma.MultiplyAdd(k, Vector256.Create(6.93147180369123816490e-01), f + lo);
    }

    /// <summary>
    /// 1/u per lane for positive normal u: AVX-512's 14-bit estimate refined by two Newton steps (to the last bit or
    /// two) where the processor has it, else a division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Reciprocal(Vector256<double> u)
    {
        if (Avx512F.VL.IsSupported)
        {
            var y = Avx512F.VL.Reciprocal14(u);
            y = Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(u, y, Vector256<double>.One), y);
            return Fma.MultiplyAdd(y, Fma.MultiplyAddNegated(u, y, Vector256<double>.One), y);
        }
        return Vector256<double>.One / u;
    }

    /// <summary>The lanes' sum, in a fixed order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
