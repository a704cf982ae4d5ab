using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>
/// The percentile bootstrap interval against the ideal bootstrap (all n^n resamples, for n up to 6) and against
/// scipy.stats.bootstrap(method='percentile'). Both sides are Monte Carlo with 10,000 resamples (the ideal one is
/// exact), so they agree within a tolerance: 0.2 bootstrap standard errors, about five times the combined Monte
/// Carlo error of a 2.5 % quantile (a wrong quantile level, 5 % instead of 2.5 %, moves an end by about 0.3), plus,
/// for values on a lattice (differences of accuracies on one test set), one step of the lattice of resample means,
/// since an end may then land on either of two neighbouring atoms.
/// </summary>
public class BootstrapTests
{
    private static readonly StatisticsFile Reference = StatisticsFile.Load();

    [Fact]
    public void Matches_the_ideal_bootstrap_and_scipy_within_monte_carlo_error()
    {
        Assert.Contains(Reference.Bootstrap, c => c.Ideal is not null);
        foreach (var c in Reference.Bootstrap)
        {
            var (low, high) = Bootstrap.PercentileInterval(c.X, c.Confidence);
            var distinct = c.X.Distinct().Order().ToArray();
            double step = distinct.Length < 2 ? 0 : distinct.Zip(distinct.Skip(1), (a, b) => b - a).Min() / c.X.Length;
            double tolerance = 0.2 * c.Bootstrap_Se + step + 1e-12;
            foreach (var reference in new[] { c.Ideal, c.Scipy }.OfType<double[]>())
            {
                Assert.True(Math.Abs(low - reference[0]) <= tolerance && Math.Abs(high - reference[1]) <= tolerance,
                    $"[{string.Join(", ", c.X)}]: ({low}, {high}) vs ({reference[0]}, {reference[1]}), tolerance {tolerance}");
            }
        }
    }

    [Fact]
    public void Quantiles_interpolate_like_numpy()
    {
        foreach (var c in Reference.Quantiles)
        {
            Assert.Equal(c.Value, Bootstrap.Quantile(c.Values.Order().ToArray(), c.Q), 14);
        }
    }

    [Fact]
    public void Is_seeded_and_brackets_the_mean()
    {
        double[] x = [0.0113, -0.0207, 0.0311, 0.0149, 0.0052, 0.0203, -0.0098, 0.0007];
        var first = Bootstrap.PercentileInterval(x, seed: 3);
        Assert.Equal(first, Bootstrap.PercentileInterval(x, seed: 3));
        Assert.NotEqual(first, Bootstrap.PercentileInterval(x, seed: 4));
        Assert.InRange(x.Average(), first.Low, first.High);
        Assert.True(first.High - first.Low > 0.005);
        Assert.Equal((0.02, 0.02), Bootstrap.PercentileInterval([0.02, 0.02, 0.02]));
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Bootstrap.PercentileInterval([])).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Bootstrap.PercentileInterval([double.NaN])).ParamName);
        Assert.Equal("confidence", Assert.Throws<ArgumentException>(() => Bootstrap.PercentileInterval([1.0], 1)).ParamName);
        Assert.Equal("resamples", Assert.Throws<ArgumentException>(() => Bootstrap.PercentileInterval([1.0], resamples: 10)).ParamName);
    }
}
