namespace EarthMover.Cli.Statistics;

/// <summary>
/// One loss against the baseline on one metric, paired by seed (or fold): the differences candidate − baseline,
/// their mean with a percentile bootstrap interval, and the exact signed-rank and sign tests. Whether it survives
/// a correction is decided over the whole family, with <see cref="Holm"/> on <see cref="Wilcoxon"/>'s p-values.
/// </summary>
/// <param name="Differences">candidate − baseline, one per round, in the rounds' order.</param>
/// <param name="MeanDifference">The mean of <paramref name="Differences"/>.</param>
/// <param name="Low">Lower end of the bootstrap interval of the mean.</param>
/// <param name="High">Upper end of the bootstrap interval of the mean.</param>
/// <param name="Wilcoxon">The exact Wilcoxon signed-rank test (zeros: <see cref="ZeroMethod.Wilcox"/>).</param>
/// <param name="Sign">The exact sign test.</param>
internal sealed record PairedComparison(double[] Differences, double MeanDifference, double Low, double High, WilcoxonResult Wilcoxon, SignTestResult Sign)
{
    /// <summary>Differences within this of zero (or of each other) count as zero (tied): metric values printed to 4 decimals differ by far more.</summary>
    public const double Tolerance = 1e-12;

    /// <summary>Compares <paramref name="candidate"/> with <paramref name="baseline"/>, element i of each from the same round.</summary>
    /// <param name="candidate">The loss's metric values, one per round.</param>
    /// <param name="baseline">The baseline's metric values for the same rounds.</param>
    /// <param name="confidence">Coverage of the bootstrap interval.</param>
    /// <param name="resamples">Bootstrap resamples.</param>
    /// <param name="seed">Bootstrap seed.</param>
    /// <exception cref="ArgumentException">Samples of different lengths, empty or non-finite.</exception>
    public static PairedComparison Of(IReadOnlyList<double> candidate, IReadOnlyList<double> baseline, double confidence = 0.95, int resamples = Bootstrap.DefaultResamples, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(baseline);
        if (candidate.Count != baseline.Count)
        {
            throw new ArgumentException($"Paired samples need equal lengths: {candidate.Count} candidate values, {baseline.Count} baseline values.", nameof(baseline));
        }
        var differences = candidate.Zip(baseline, (c, b) => c - b).ToArray();
        if (differences.Length == 0 || differences.Any(d => !double.IsFinite(d)))
        {
            throw new ArgumentException("Give at least one pair, every value finite.", nameof(candidate));
        }
        var (low, high) = Bootstrap.PercentileInterval(differences, confidence, resamples, seed);
        return new PairedComparison(differences, differences.Average(), low, high, WilcoxonSignedRank.Test(differences, ZeroMethod.Wilcox, Tolerance), SignTest.Test(differences, Tolerance));
    }
}
