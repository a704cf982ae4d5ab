namespace EarthMover.Cli.Statistics;

/// <summary>One dataset's input to <see cref="RandomEffectsMetaAnalysis"/>: an estimate with its standard error.</summary>
/// <param name="Estimate">The estimate y_i, here the mean paired difference (loss − baseline) over the seeds.</param>
/// <param name="StandardError">Its standard error s_i &gt; 0, here sd / √n of the paired differences; the analysis treats v_i = s_i² as known.</param>
/// <param name="Count">How many seeds (paired differences) gave it.</param>
internal sealed record StudyEstimate(double Estimate, double StandardError, int Count)
{
    /// <summary>
    /// The mean of <paramref name="differences"/> with its standard error sd / √n, sd the sample standard deviation
    /// (denominator n − 1).
    /// </summary>
    /// <param name="differences">The paired differences, one per seed; at least two, every one finite.</param>
    /// <exception cref="ArgumentException">Fewer than two differences (no standard deviation), or a non-finite one.</exception>
    public static StudyEstimate FromDifferences(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count < 2 || differences.Any(d => !double.IsFinite(d)))
        {
            throw new ArgumentException($"Give at least two paired differences, every one finite ({differences.Count} given): one seed has no standard error.", nameof(differences));
        }
        int n = differences.Count;
        double mean = differences.Average();
        double variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        return new StudyEstimate(mean, Math.Sqrt(variance / n), n);
    }
}
