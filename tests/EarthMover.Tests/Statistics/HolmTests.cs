using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>Holm's step-down correction against statsmodels' multipletests(method='holm').</summary>
public class HolmTests
{
    [Fact]
    public void Matches_statsmodels_adjusted_p_values_and_rejections()
    {
        var cases = StatisticsFile.Load().Holm;
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var adjusted = Holm.Adjust(c.P);
            for (int i = 0; i < c.P.Length; i++)
            {
                Assert.Equal(c.Adjusted[i], adjusted[i], 14);
            }
            Assert.Equal(c.Reject, Holm.Survives(c.P, c.Alpha));
        }
    }

    [Fact]
    public void Ten_seeds_cannot_survive_a_family_larger_than_25_at_5_percent()
    {
        // The smallest exact two-sided p-value with 10 seeds is 2/1024; Holm's first threshold is 0.05/m.
        double best = WilcoxonSignedRank.SmallestPValue(10);
        Assert.Equal([true], Holm.Survives(Enumerable.Repeat(best, 25).ToArray()).Distinct().ToArray());
        Assert.Equal([false], Holm.Survives(Enumerable.Repeat(best, 26).ToArray()).Distinct().ToArray());
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => Holm.Adjust([])).ParamName);
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => Holm.Adjust([0.1, 1.5])).ParamName);
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => Holm.Adjust([double.NaN])).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentException>(() => Holm.Survives([0.1], 0)).ParamName);
    }
}
