using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EarthMover.Kernels.Rows;

/// <summary>The natural logarithm of float32 lanes, for the single-precision rows (<see cref="ISingleRowKernel"/>).</summary>
internal static class SingleLog
{
    /// <summary>
    /// log x per lane for positive normal x (≥ 2^-126, finite), to about 1 ulp: x = m · 2^n with m in [√½, √2), log m
    /// by Cephes' logf polynomial in m - 1, n ln 2 added in two parts (Cody-Waite). No division.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Log(Vector256<float> x)
    {
        var bits = x.AsInt32();
        // m in [½, 1) from the mantissa bits, n the matching exponent; below √½ m is doubled and n lowered.
        var n = Vector256.ConvertToSingle(Vector256.ShiftRightLogical(bits, 23) - Vector256.Create(126));
        var m = ((bits & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F000000)).AsSingle();
        var low = Vector256.LessThan(m, Vector256.Create(0.707106781186547524f));
        n -= low & Vector256<float>.One;
        var f = m - Vector256<float>.One + (low & m);
        var z = f * f;
        var p = Vector256.Create(7.0376836292E-2f);
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.1514610310E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(1.1676998740E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.2420140846E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(1.4249322787E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-1.6668057665E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(2.0000714765E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(-2.4999993993E-1f));
        p = Vector256.FusedMultiplyAdd(p, f, Vector256.Create(3.3333331174E-1f));
        var y = p * f * z;
        y = Vector256.FusedMultiplyAdd(n, Vector256.Create(-2.12194440e-4f), y);
        y = Vector256.FusedMultiplyAdd(z, Vector256.Create(-0.5f), y);
        return Vector256.FusedMultiplyAdd(n, Vector256.Create(0.693359375f), f + y);
    }
}
