using System.Numerics;
using System.Runtime.CompilerServices;

namespace EarthMover.Kernels.Rows;

/// <summary>
/// Rows narrower than two vectors read and written a block at a time, one row per lane (class-major: entry k of
/// row r at [k · lanes + r]). A kernel then takes one vector exponential per class for a whole block, where row by
/// row it takes one or two per row with most lanes masked or repeated (K = 5 or 10), and the exponential's chain
/// of dependent multiply-adds is no longer paid once per row.
/// </summary>
/// <typeparam name="T">The tensor's element type.</typeparam>
internal static unsafe class RowBlock<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Rows [<paramref name="first"/>, first + lanes) of <paramref name="width"/> entries into <paramref name="block"/>,
    /// class-major, in double precision; false if an entry is not finite (the caller then finds the row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool Read(T* input, int first, int lanes, int width, Span<double> block)
    {
        T* row = input + (long)first * width;
        // v - v is 0 for a finite v and NaN otherwise: summed, one test per block.
        double bad = 0;
        for (int r = 0; r < lanes; r++, row += width)
        {
            for (int k = 0; k < width; k++)
            {
                double v = double.CreateTruncating(row[k]);
                bad += v - v;
                block[k * lanes + r] = v;
            }
        }
        return bad == 0;
    }

    /// <summary>
    /// Writes a class-major block back as rows [<paramref name="first"/>, first + lanes): row r scaled by
    /// <paramref name="scale"/>[r], in the tensor's type.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Write(ReadOnlySpan<double> block, ReadOnlySpan<double> scale, T* output, int first, int lanes, int width)
    {
        T* row = output + (long)first * width;
        for (int r = 0; r < lanes; r++, row += width)
        {
            double s = scale[r];
            for (int k = 0; k < width; k++)
            {
                row[k] = T.CreateTruncating(s * block[k * lanes + r]);
            }
        }
    }
}
