using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>Benjamini-Hochberg against statsmodels' multipletests(method='fdr_bh') (reference/meta.py).</summary>
public class BenjaminiHochbergTests
{
    [Fact]
    public void Matches_statsmodels_adjusted_p_values_and_rejections()
    {
        var cases = MetaFile.Load().Bh;
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var adjusted = BenjaminiHochberg.Adjust(c.P);
            for (int i = 0; i < c.P.Length; i++)
            {
                Assert.Equal(c.Adjusted[i], adjusted[i], 14);
            }
            Assert.Equal(c.Reject, BenjaminiHochberg.Survives(c.P, c.Alpha));
            // Rejection is the adjusted p-value at most alpha.
            Assert.Equal(adjusted.Select(p => p <= c.Alpha).ToArray(), BenjaminiHochberg.Survives(c.P, c.Alpha));
        }
    }

    [Fact]
    public void Is_never_stricter_than_Holm()
    {
        foreach (var c in MetaFile.Load().Bh)
        {
            var bh = BenjaminiHochberg.Adjust(c.P);
            var holm = Holm.Adjust(c.P);
            Assert.All(Enumerable.Range(0, c.P.Length), i => Assert.True(bh[i] <= holm[i] + 1e-15));
        }
    }

    [Fact]
    public void Step_up_rejects_everything_below_the_largest_passing_rank()
    {
        // Sorted: 0.01 <= 0.0125, 0.04 > 0.025, 0.045 > 0.0375, 0.049 <= 0.05: the step-up rule rejects all four.
        Assert.Equal([true, true, true, true], BenjaminiHochberg.Survives([0.049, 0.01, 0.045, 0.04]));
        Assert.Equal([0.049, 0.04, 0.049, 0.049], BenjaminiHochberg.Adjust([0.049, 0.01, 0.045, 0.04]));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Adjust([])).ParamName);
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Adjust([0.1, 1.5])).ParamName);
        Assert.Equal("pValues", Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Survives([double.NaN])).ParamName);
        Assert.Equal("alpha", Assert.Throws<ArgumentException>(() => BenjaminiHochberg.Survives([0.1], 1)).ParamName);
    }
}
