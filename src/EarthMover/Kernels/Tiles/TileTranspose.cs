using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EarthMover.Kernels;

/// <summary>
/// Moves a tile of rows (one per vector lane) between row-major memory and the lane-per-row layout the
/// kernels compute in: tile[m] holds column m of the rows. Whole square blocks go through in-register
/// transposes (<see cref="TileBlocks256"/>, <see cref="TileBlocks128"/>) where the processor has the
/// shuffles; the rest, and every column without them, element by element.
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
/// <typeparam name="TV">The vector width.</typeparam>
internal static unsafe class TileTranspose<T, TV>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TV : unmanaged, ISimd<TV, T>
{
    /// <summary>tile[m][r] = rows[r][m] for m &lt; classes.</summary>
    public static void In(T** rows, int classes, Span<TV> tile) =>
        In(rows, classes, tile, track: false, out _, out _);

    /// <summary>
    /// tile[m][r] = rows[r][m] for m &lt; classes, and, on the way, each row's maximum and plain sum (the
    /// softmax needs both; reading them here saves a pass over the tile).
    /// </summary>
    public static void In(T** rows, int classes, Span<TV> tile, out TV max, out TV total) =>
        In(rows, classes, tile, track: true, out max, out total);

    /// <summary>rows[r][m] = tile[m][r] for m &lt; classes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Out(Span<TV> tile, T** rows, int classes)
    {
        TV unused = default;
        fixed (TV* source = tile)
        {
            int done = Blocks(rows, classes, source, toTile: false, track: false, ref unused, ref unused);
            var flat = (T*)source;
            int lanes = TV.Count;
            for (int m = done; m < classes; m++)
            {
                for (int r = 0; r < lanes; r++)
                {
                    rows[r][m] = flat[m * lanes + r];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void In(T** rows, int classes, Span<TV> tile, bool track, out TV max, out TV total)
    {
        max = TV.Create(T.NegativeInfinity);
        total = TV.Zero;
        fixed (TV* destination = tile)
        {
            int done = Blocks(rows, classes, destination, toTile: true, track, ref max, ref total);
            var flat = (T*)destination;
            int lanes = TV.Count;
            for (int m = done; m < classes; m++)
            {
                for (int r = 0; r < lanes; r++)
                {
                    flat[m * lanes + r] = rows[r][m];
                }
                if (track)
                {
                    max = TV.MaxNative(max, destination[m]);
                    total += destination[m];
                }
            }
        }
    }

    // The whole blocks of the width, if it has in-register transposes here; returns how many columns it moved.
    // max and total go through locals of the intrinsic type, so that they stay in registers.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Blocks(T** rows, int classes, TV* tile, bool toTile, bool track, ref TV max, ref TV total)
    {
        int done = 0;
        if (typeof(TV) == typeof(Simd256<T>) && Avx.IsSupported)
        {
            if (typeof(T) == typeof(float))
            {
                var m = Unsafe.BitCast<TV, Vector256<float>>(max);
                var t = Unsafe.BitCast<TV, Vector256<float>>(total);
                done = TileBlocks256.Floats((float**)rows, classes, (Vector256<float>*)tile, toTile, track, ref m, ref t);
                max = Unsafe.BitCast<Vector256<float>, TV>(m);
                total = Unsafe.BitCast<Vector256<float>, TV>(t);
            }
            else
            {
                var m = Unsafe.BitCast<TV, Vector256<double>>(max);
                var t = Unsafe.BitCast<TV, Vector256<double>>(total);
                done = TileBlocks256.Doubles((double**)rows, classes, (Vector256<double>*)tile, toTile, track, ref m, ref t);
                max = Unsafe.BitCast<Vector256<double>, TV>(m);
                total = Unsafe.BitCast<Vector256<double>, TV>(t);
            }
        }
        else if (typeof(TV) == typeof(Simd128x2<T>) && TileBlocks128.IsSupported)
        {
            // Each half of the lanes is a 128-bit tile of its own, with a stride of two vectors.
            if (typeof(T) == typeof(float))
            {
                var (m, t) = (Unsafe.BitCast<TV, Simd128x2<float>>(max), Unsafe.BitCast<TV, Simd128x2<float>>(total));
                var (maxLow, maxHigh, totalLow, totalHigh) = (m.Low, m.High, t.Low, t.High);
                done = TileBlocks128.Floats((float**)rows, classes, (Vector128<float>*)tile, 2, toTile, track, ref maxLow, ref totalLow);
                TileBlocks128.Floats((float**)rows + 4, classes, (Vector128<float>*)tile + 1, 2, toTile, track, ref maxHigh, ref totalHigh);
                (max, total) = (Unsafe.BitCast<Simd128x2<float>, TV>(new(maxLow, maxHigh)), Unsafe.BitCast<Simd128x2<float>, TV>(new(totalLow, totalHigh)));
            }
            else
            {
                var (m, t) = (Unsafe.BitCast<TV, Simd128x2<double>>(max), Unsafe.BitCast<TV, Simd128x2<double>>(total));
                var (maxLow, maxHigh, totalLow, totalHigh) = (m.Low, m.High, t.Low, t.High);
                done = TileBlocks128.Doubles((double**)rows, classes, (Vector128<double>*)tile, 2, toTile, track, ref maxLow, ref totalLow);
                TileBlocks128.Doubles((double**)rows + 2, classes, (Vector128<double>*)tile + 1, 2, toTile, track, ref maxHigh, ref totalHigh);
                (max, total) = (Unsafe.BitCast<Simd128x2<double>, TV>(new(maxLow, maxHigh)), Unsafe.BitCast<Simd128x2<double>, TV>(new(totalLow, totalHigh)));
            }
        }
        return done;
    }
}
