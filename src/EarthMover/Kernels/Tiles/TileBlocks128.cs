using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels;

/// <summary>
/// The in-register transposes of <see cref="TileTranspose{T, TV}"/> at 128 bits: 4 x 4 floats and 2 x 2
/// doubles, built from interleaves of the low or high halves of two vectors (SSE's <c>unpcklps</c>/<c>unpckhps</c>,
/// ARM64's <c>zip1</c>/<c>zip2</c>, the same operation). Into the tile they also fold the moved columns into
/// each row's running max and total.
/// </summary>
internal static unsafe class TileBlocks128
{
    /// <summary>Whether the processor has the interleaves.</summary>
    public static bool IsSupported => Sse2.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>Whole 4-column blocks of 4 float rows; returns how many columns it moved. Column c of the tile is at tile[c · stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Floats(float** rows, int classes, Vector128<float>* tile, int stride, bool toTile, bool track, ref Vector128<float> max, ref Vector128<float> total)
    {
        int c = 0;
        for (; c + 4 <= classes; c += 4)
        {
            Vector128<float> r0, r1, r2, r3;
            if (toTile)
            {
                r0 = Vector128.Load(rows[0] + c);
                r1 = Vector128.Load(rows[1] + c);
                r2 = Vector128.Load(rows[2] + c);
                r3 = Vector128.Load(rows[3] + c);
            }
            else
            {
                r0 = tile[c * stride];
                r1 = tile[(c + 1) * stride];
                r2 = tile[(c + 2) * stride];
                r3 = tile[(c + 3) * stride];
            }
            // (a0 a1 a2 a3), (b..), (c..), (d..) -> (a0 c0 a1 c1), (a2 c2 a3 c3), (b0 d0 b1 d1), (b2 d2 b3 d3) -> (a0 b0 c0 d0), ...
            var t0 = Zip(r0, r2, high: false);
            var t1 = Zip(r0, r2, high: true);
            var t2 = Zip(r1, r3, high: false);
            var t3 = Zip(r1, r3, high: true);
            r0 = Zip(t0, t2, high: false);
            r1 = Zip(t0, t2, high: true);
            r2 = Zip(t1, t3, high: false);
            r3 = Zip(t1, t3, high: true);
            if (track)
            {
                max = Vector128.MaxNative(Vector128.MaxNative(max, r0), Vector128.MaxNative(Vector128.MaxNative(r1, r2), r3));
                total += (r0 + r1) + (r2 + r3);
            }
            if (toTile)
            {
                tile[c * stride] = r0;
                tile[(c + 1) * stride] = r1;
                tile[(c + 2) * stride] = r2;
                tile[(c + 3) * stride] = r3;
            }
            else
            {
                r0.Store(rows[0] + c);
                r1.Store(rows[1] + c);
                r2.Store(rows[2] + c);
                r3.Store(rows[3] + c);
            }
        }
        return c;
    }

    /// <summary>Whole 2-column blocks of 2 double rows; returns how many columns it moved. Column c of the tile is at tile[c · stride].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Doubles(double** rows, int classes, Vector128<double>* tile, int stride, bool toTile, bool track, ref Vector128<double> max, ref Vector128<double> total)
    {
        int c = 0;
        for (; c + 2 <= classes; c += 2)
        {
            Vector128<double> r0, r1;
            if (toTile)
            {
                r0 = Vector128.Load(rows[0] + c);
                r1 = Vector128.Load(rows[1] + c);
            }
            else
            {
                r0 = tile[c * stride];
                r1 = tile[(c + 1) * stride];
            }
            var t0 = Zip(r0, r1, high: false);
            r1 = Zip(r0, r1, high: true);
            r0 = t0;
            if (track)
            {
                max = Vector128.MaxNative(max, Vector128.MaxNative(r0, r1));
                total += r0 + r1;
            }
            if (toTile)
            {
                tile[c * stride] = r0;
                tile[(c + 1) * stride] = r1;
            }
            else
            {
                r0.Store(rows[0] + c);
                r1.Store(rows[1] + c);
            }
        }
        return c;
    }

    // The low or high halves of a and b interleaved: (a0 b0 a1 b1) or (a2 b2 a3 b3) for floats, (a0 b0) or (a1 b1)
    // for doubles (high is a constant at every call, so one instruction remains).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Zip(Vector128<float> a, Vector128<float> b, bool high) => Sse.IsSupported
        ? (high ? Sse.UnpackHigh(a, b) : Sse.UnpackLow(a, b))
        : (high ? AdvSimd.Arm64.ZipHigh(a, b) : AdvSimd.Arm64.ZipLow(a, b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<double> Zip(Vector128<double> a, Vector128<double> b, bool high) => Sse2.IsSupported
        ? (high ? Sse2.UnpackHigh(a, b) : Sse2.UnpackLow(a, b))
        : (high ? AdvSimd.Arm64.ZipHigh(a, b) : AdvSimd.Arm64.ZipLow(a, b));
}
