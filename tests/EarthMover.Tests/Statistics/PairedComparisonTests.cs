using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>A loss against the baseline over seeds: differences, their mean and interval, both tests.</summary>
public class PairedComparisonTests
{
    [Fact]
    public void Pairs_by_position_and_combines_the_interval_and_both_tests()
    {
        double[] baseline = [0.30, 0.32, 0.31, 0.29, 0.33, 0.30, 0.31, 0.32, 0.30, 0.31];
        double[] candidate = [0.29, 0.30, 0.31, 0.27, 0.31, 0.29, 0.30, 0.33, 0.28, 0.30];
        var result = PairedComparison.Of(candidate, baseline);
        var differences = candidate.Zip(baseline, (c, b) => c - b).ToArray();
        Assert.Equal(differences, result.Differences);
        Assert.Equal(differences.Average(), result.MeanDifference, 15);
        Assert.Equal(Bootstrap.PercentileInterval(differences), (result.Low, result.High));
        Assert.True(result.Low < result.MeanDifference && result.MeanDifference < result.High && result.High < 0);
        // 0.31 - 0.31 is exactly 0 and 0.29 - 0.30 differs from 0.30 - 0.31 only in the last bits: a zero and ties.
        Assert.Equal(WilcoxonSignedRank.Test(differences, ZeroMethod.Wilcox, PairedComparison.Tolerance), result.Wilcoxon);
        Assert.Equal(9, result.Wilcoxon.NonZero);
        Assert.Equal((1, 8, 1), (result.Sign.Positive, result.Sign.Negative, result.Sign.Zero));
        Assert.Equal(SignTest.Test([1.0, -1, -1, -1, -1, -1, -1, -1, -1]).PValue, result.Sign.PValue);
    }

    [Fact]
    public void Unequal_lengths_name_the_parameter()
    {
        Assert.Equal("baseline", Assert.Throws<ArgumentException>(() => PairedComparison.Of([0.1, 0.2], [0.1])).ParamName);
        Assert.Equal("candidate", Assert.Throws<ArgumentException>(() => PairedComparison.Of([], [])).ParamName);
    }
}
