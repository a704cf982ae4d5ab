namespace EarthMover.Kernels;

/// <summary>
/// Visits every pair (i, j), i &lt; j, of a row-major n x n array as (a_ij, a_ji), by square tiles so that the
/// column-wise side of each pair stays in cache (row by row, a 1000 x 1000 array misses on every a_ji).
/// </summary>
internal static class SymmetricPairs
{
    private const int Tile = 32;

    /// <summary>What to do with one pair (a_ij, a_ji).</summary>
    public interface IPair
    {
        /// <summary>Updates the pair in place.</summary>
        void Apply(ref double upper, ref double lower);
    }

    /// <summary>Applies <paramref name="pair"/> to every pair above the diagonal and its mirror.</summary>
    public static void Visit<TPair>(double[] values, int n, TPair pair)
        where TPair : struct, IPair
    {
        for (int bi = 0; bi < n; bi += Tile)
        {
            int iEnd = Math.Min(bi + Tile, n);
            for (int bj = bi; bj < n; bj += Tile)
            {
                int jEnd = Math.Min(bj + Tile, n);
                for (int i = bi; i < iEnd; i++)
                {
                    for (int j = Math.Max(bj, i + 1); j < jEnd; j++)
                    {
                        pair.Apply(ref values[i * n + j], ref values[j * n + i]);
                    }
                }
            }
        }
    }

    /// <summary>a_ji = a_ij: the lower triangle from the upper.</summary>
    public readonly struct Mirror : IPair
    {
        /// <inheritdoc/>
        public void Apply(ref double upper, ref double lower) => lower = upper;
    }

    /// <summary>Both = (a_ij + a_ji) / 2 − shift.</summary>
    public readonly struct AverageMinus(double shift) : IPair
    {
        /// <inheritdoc/>
        public void Apply(ref double upper, ref double lower) => upper = lower = (upper + lower) / 2 - shift;
    }
}
