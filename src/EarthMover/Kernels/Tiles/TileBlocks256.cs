using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels;

/// <summary>
/// The in-register transposes of <see cref="TileTranspose{T, TV}"/> at 256 bits, with AVX: 8 x 8 floats and
/// 4 x 4 doubles. Into the tile they also fold the moved columns into each row's running max and total.
/// </summary>
internal static unsafe class TileBlocks256
{
    /// <summary>Whole 8-column blocks of 8 float rows; returns how many columns it moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Floats(float** rows, int classes, Vector256<float>* tile, bool toTile, bool track, ref Vector256<float> max, ref Vector256<float> total)
    {
        int c = 0;
        for (; c + 8 <= classes; c += 8)
        {
            Vector256<float> r0, r1, r2, r3, r4, r5, r6, r7;
            if (toTile)
            {
                r0 = Avx.LoadVector256(rows[0] + c);
                r1 = Avx.LoadVector256(rows[1] + c);
                r2 = Avx.LoadVector256(rows[2] + c);
                r3 = Avx.LoadVector256(rows[3] + c);
                r4 = Avx.LoadVector256(rows[4] + c);
                r5 = Avx.LoadVector256(rows[5] + c);
                r6 = Avx.LoadVector256(rows[6] + c);
                r7 = Avx.LoadVector256(rows[7] + c);
            }
            else
            {
                r0 = tile[c];
                r1 = tile[c + 1];
                r2 = tile[c + 2];
                r3 = tile[c + 3];
                r4 = tile[c + 4];
                r5 = tile[c + 5];
                r6 = tile[c + 6];
                r7 = tile[c + 7];
            }
            Transpose8(ref r0, ref r1, ref r2, ref r3, ref r4, ref r5, ref r6, ref r7);
            if (track)
            {
                max = Vector256.MaxNative(Vector256.MaxNative(Vector256.MaxNative(max, r0), Vector256.MaxNative(r1, r2)), Vector256.MaxNative(Vector256.MaxNative(r3, r4), Vector256.MaxNative(Vector256.MaxNative(r5, r6), r7)));
                total += ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            }
            if (toTile)
            {
                tile[c] = r0;
                tile[c + 1] = r1;
                tile[c + 2] = r2;
                tile[c + 3] = r3;
                tile[c + 4] = r4;
                tile[c + 5] = r5;
                tile[c + 6] = r6;
                tile[c + 7] = r7;
            }
            else
            {
                Avx.Store(rows[0] + c, r0);
                Avx.Store(rows[1] + c, r1);
                Avx.Store(rows[2] + c, r2);
                Avx.Store(rows[3] + c, r3);
                Avx.Store(rows[4] + c, r4);
                Avx.Store(rows[5] + c, r5);
                Avx.Store(rows[6] + c, r6);
                Avx.Store(rows[7] + c, r7);
            }
        }
        return c;
    }

    /// <summary>Whole 4-column blocks of 4 double rows; returns how many columns it moved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Doubles(double** rows, int classes, Vector256<double>* tile, bool toTile, bool track, ref Vector256<double> max, ref Vector256<double> total)
    {
        int c = 0;
        for (; c + 4 <= classes; c += 4)
        {
            Vector256<double> r0, r1, r2, r3;
            if (toTile)
            {
                r0 = Avx.LoadVector256(rows[0] + c);
                r1 = Avx.LoadVector256(rows[1] + c);
                r2 = Avx.LoadVector256(rows[2] + c);
                r3 = Avx.LoadVector256(rows[3] + c);
            }
            else
            {
                r0 = tile[c];
                r1 = tile[c + 1];
                r2 = tile[c + 2];
                r3 = tile[c + 3];
            }
            var t0 = Avx.UnpackLow(r0, r1);
            var t1 = Avx.UnpackHigh(r0, r1);
            var t2 = Avx.UnpackLow(r2, r3);
            var t3 = Avx.UnpackHigh(r2, r3);
            r0 = Avx.Permute2x128(t0, t2, 0x20);
            r1 = Avx.Permute2x128(t1, t3, 0x20);
            r2 = Avx.Permute2x128(t0, t2, 0x31);
            r3 = Avx.Permute2x128(t1, t3, 0x31);
            if (track)
            {
                max = Vector256.MaxNative(Vector256.MaxNative(max, r0), Vector256.MaxNative(Vector256.MaxNative(r1, r2), r3));
                total += (r0 + r1) + (r2 + r3);
            }
            if (toTile)
            {
                tile[c] = r0;
                tile[c + 1] = r1;
                tile[c + 2] = r2;
                tile[c + 3] = r3;
            }
            else
            {
                Avx.Store(rows[0] + c, r0);
                Avx.Store(rows[1] + c, r1);
                Avx.Store(rows[2] + c, r2);
                Avx.Store(rows[3] + c, r3);
            }
        }
        return c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8(ref Vector256<float> r0, ref Vector256<float> r1, ref Vector256<float> r2, ref Vector256<float> r3, ref Vector256<float> r4, ref Vector256<float> r5, ref Vector256<float> r6, ref Vector256<float> r7)
    {
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20);
        r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20);
        r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31);
        r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31);
        r7 = Avx.Permute2x128(s3, s7, 0x31);
    }
}
