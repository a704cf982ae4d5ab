namespace EarthMover.Kernels;

/// <summary>
/// The percentile ranks of every row of a C x C matrix (<see cref="PercentileRank"/>), raised to a power:
/// step (1) of the XEMD weights. Rows are independent, and a thousand classes take a thousand sorts, worth
/// the other cores (<see cref="ParallelChunks"/>).
/// </summary>
internal static class RankRows
{
    /// <summary>Below this many classes one thread does it all.</summary>
    public const int ParallelFrom = 256;

    /// <summary>R_ij = rank of D_ij within row i, to the power <paramref name="power"/>, row-major.</summary>
    /// <param name="distance">D, row-major C x C.</param>
    /// <param name="classes">C.</param>
    /// <param name="power">The power w on the ranks.</param>
    /// <param name="tieTolerance">See <see cref="PercentileRank.OfRow"/>.</param>
    /// <param name="options">The threads to use.</param>
    public static double[] Powers(double[] distance, int classes, double power, double tieTolerance, FusedOptions? options = null)
    {
        options ??= FusedOptions.Default;
        int c = classes;
        var ranks = new double[c * c];
        int workers = c >= ParallelFrom ? options.Workers : 1;
        int chunks = workers == 1 ? 1 : Math.Min(c, workers * ParallelChunks.ChunksPerWorker);
        void Chunk(int chunk)
        {
            var sorted = new SortedRow(c);
            var (first, end) = ParallelChunks.Range(chunk, chunks, c);
            for (int i = first; i < end; i++)
            {
                var row = ranks.AsSpan(i * c, c);
                PercentileRank.OfRow(distance.AsSpan(i * c, c), row, tieTolerance, sorted);
                if (power != 1)
                {
                    for (int j = 0; j < c; j++)
                    {
                        row[j] = power == 2 ? row[j] * row[j] : Math.Pow(row[j], power);
                    }
                }
            }
        }
        if (workers == 1)
        {
            Chunk(0);
        }
        else
        {
            ParallelChunks.Run(chunks, workers, options.Threads, Chunk);
        }
        return ranks;
    }
}
