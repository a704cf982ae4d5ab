using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>The exact sign test against scipy.stats.binomtest.</summary>
public class SignTestTests
{
    [Fact]
    public void Matches_scipy_binomtest()
    {
        var cases = StatisticsFile.Load().Sign_Test;
        Assert.NotEmpty(cases);
        foreach (var c in cases)
        {
            var d = Enumerable.Range(0, c.N).Select(i => i < c.K ? 0.01 : -0.02).ToArray();
            var result = SignTest.Test(d);
            Assert.Equal(c.K, result.Positive);
            Assert.True(Math.Abs(result.PValue - c.P) <= 1e-10 * Math.Max(c.P, 1e-300) + 1e-300, $"k={c.K}, n={c.N}: {result.PValue}, SciPy {c.P}");
        }
    }

    [Fact]
    public void Zeros_are_dropped()
    {
        var result = SignTest.Test([0.0, 0.01, 0.02, 1e-13, -0.01, 0.03], tolerance: 1e-12);
        Assert.Equal((3, 1, 2), (result.Positive, result.Negative, result.Zero));
        Assert.Equal(SignTest.Test([0.01, 0.02, -0.01, 0.03]).PValue, result.PValue);
        Assert.Equal(0.625, result.PValue, 15);
        Assert.Equal(1, SignTest.Test([0.0, 0.0]).PValue);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("differences", Assert.Throws<ArgumentException>(() => SignTest.Test([double.PositiveInfinity])).ParamName);
    }
}
