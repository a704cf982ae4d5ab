using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>The exact signed-rank test against SciPy and against sign flips enumerated one by one.</summary>
public class WilcoxonSignedRankTests
{
    private static readonly StatisticsFile Reference = StatisticsFile.Load();

    [Fact]
    public void Matches_scipy_exact_wilcoxon_without_zeros_or_ties()
    {
        Assert.NotEmpty(Reference.Wilcoxon_Exact);
        foreach (var c in Reference.Wilcoxon_Exact)
        {
            var result = WilcoxonSignedRank.Test(c.D);
            Assert.Equal(c.Statistic, result.Statistic, 12);
            Assert.Equal(c.P, result.PValue, 12);
        }
    }

    [Fact]
    public void Matches_scipy_exact_permutation_test_with_zeros_and_ties_for_each_zero_method()
    {
        Assert.NotEmpty(Reference.Wilcoxon_Permutation);
        foreach (var c in Reference.Wilcoxon_Permutation)
        {
            var zeros = Enum.Parse<ZeroMethod>(c.Zero_Method, ignoreCase: true);
            var result = WilcoxonSignedRank.Test(c.D, zeros);
            Assert.True(Math.Abs(c.R_Plus - result.RPlus) < 1e-12, $"{c.Zero_Method} [{string.Join(", ", c.D)}]: R+ {result.RPlus}, SciPy {c.R_Plus}");
            Assert.True(Math.Abs(c.P - result.PValue) < 1e-12, $"{c.Zero_Method} [{string.Join(", ", c.D)}]: p {result.PValue}, SciPy {c.P}");
        }
    }

    [Theory]
    [InlineData("Wilcox")]
    [InlineData("Pratt")]
    [InlineData("Zsplit")]
    public void Equals_the_sign_flip_distribution_enumerated_pattern_by_pattern(string zeroMethod)
    {
        var zeros = Enum.Parse<ZeroMethod>(zeroMethod);
        var random = new Random(5);
        for (int trial = 0; trial < 40; trial++)
        {
            int n = random.Next(1, 13);
            // Few distinct magnitudes: many ties and zeros.
            var d = Enumerable.Range(0, n).Select(_ => random.Next(-3, 4) * 0.25).ToArray();
            var result = WilcoxonSignedRank.Test(d, zeros);
            var (observed, p) = BruteForce(d, zeros);
            Assert.Equal(observed, result.RPlus, 12);
            Assert.Equal(p, result.PValue, 12);
        }
    }

    [Fact]
    public void All_differences_of_one_sign_give_the_smallest_p_value()
    {
        for (int n = 1; n <= 16; n++)
        {
            var d = Enumerable.Range(1, n).Select(i => -0.001 * i).ToArray();
            Assert.Equal(WilcoxonSignedRank.SmallestPValue(n), WilcoxonSignedRank.Test(d).PValue, 15);
        }
        Assert.Equal(1.0 / 512, WilcoxonSignedRank.SmallestPValue(10));
    }

    [Fact]
    public void Zeros_within_the_tolerance_are_zeros_and_near_equal_magnitudes_are_ties()
    {
        double[] exact = [0, 0.02, 0.02, -0.01, 0.03];
        double[] noisy = [1e-15, 0.02 + 1e-14, 0.02, -0.01, 0.03];
        var expected = WilcoxonSignedRank.Test(exact);
        var result = WilcoxonSignedRank.Test(noisy, ZeroMethod.Wilcox, 1e-12);
        Assert.Equal(expected, result);
        Assert.Equal(4, result.NonZero);
        Assert.NotEqual(expected.RPlus, WilcoxonSignedRank.Test(noisy).RPlus);
    }

    [Fact]
    public void All_zero_differences_give_p_one()
    {
        foreach (var zeros in Enum.GetValues<ZeroMethod>())
        {
            var result = WilcoxonSignedRank.Test([0.0, 0.0, 0.0], zeros);
            Assert.Equal(1, result.PValue);
            Assert.Equal(0, result.NonZero);
        }
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("differences", Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([])).ParamName);
        Assert.Equal("differences", Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([0.1, double.NaN])).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentException>(() => WilcoxonSignedRank.Test([0.1], ZeroMethod.Wilcox, -1)).ParamName);
    }

    // Every one of the 2^m sign patterns of the non-zero differences, R+ from mid-ranks computed pairwise.
    private static (double Observed, double P) BruteForce(double[] d, ZeroMethod zeros)
    {
        var kept = zeros == ZeroMethod.Wilcox ? d.Where(x => x != 0).ToArray() : d;
        var ranks = kept.Select(x => 1 + kept.Count(y => Math.Abs(y) < Math.Abs(x)) + (kept.Count(y => Math.Abs(y) == Math.Abs(x)) - 1) / 2.0).ToArray();
        double RPlus(double[] v) => v.Select((x, i) => x > 0 ? ranks[i] : x == 0 && zeros == ZeroMethod.Zsplit ? ranks[i] / 2 : 0).Sum();
        double observed = RPlus(kept);
        var flippable = Enumerable.Range(0, kept.Length).Where(i => kept[i] != 0).ToArray();
        if (flippable.Length == 0)
        {
            return (observed, 1);
        }
        int patterns = 1 << flippable.Length, lower = 0, upper = 0;
        for (int mask = 0; mask < patterns; mask++)
        {
            var v = kept.ToArray();
            for (int b = 0; b < flippable.Length; b++)
            {
                v[flippable[b]] = ((mask >> b) & 1) == 1 ? Math.Abs(v[flippable[b]]) : -Math.Abs(v[flippable[b]]);
            }
            double r = RPlus(v);
            lower += r <= observed + 1e-9 ? 1 : 0;
            upper += r >= observed - 1e-9 ? 1 : 0;
        }
        return (observed, Math.Min(1, 2.0 * Math.Min(lower, upper) / patterns));
    }
}
