using EarthMover.Cli.Statistics;

namespace EarthMover.Tests.Statistics;

/// <summary>A family of comparisons corrected together.</summary>
public class PairedFamilyTests
{
    [Fact]
    public void Corrects_the_wilcoxon_p_values_of_the_whole_family_with_holm()
    {
        var random = new Random(11);
        var members = Enumerable.Range(0, 12).Select(k =>
        {
            var baseline = Enumerable.Range(0, 10).Select(_ => random.NextDouble()).ToArray();
            // The first three candidates are better on every seed; the others are noise.
            var candidate = baseline.Select(b => k < 3 ? b - 0.01 - 0.001 * random.NextDouble() : b + 0.01 * (random.NextDouble() - 0.5)).ToArray();
            return ($"loss {k}", PairedComparison.Of(candidate, baseline));
        }).ToArray();
        var family = PairedFamily.Correct(members);
        var expected = Holm.Adjust(members.Select(m => m.Item2.Wilcoxon.PValue).ToArray());
        Assert.Equal(expected, family.Select(f => f.AdjustedP));
        Assert.Equal(members.Select(m => m.Item1), family.Select(f => f.Key));
        Assert.Equal([true, true, true], family.Take(3).Select(f => f.Survives));
        Assert.All(family.Skip(3), f => Assert.False(f.Survives));
        // 12 comparisons: the all-one-sign p-value 2/1024 becomes 12 * 2/1024 = 0.0234.
        Assert.Equal(12 * 2.0 / 1024, family[0].AdjustedP, 15);
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(25, 10)]
    [InlineData(26, 11)]
    [InlineData(200, 13)]
    [InlineData(336, 14)]
    public void Minimum_rounds_for_a_family(int familySize, int rounds)
    {
        Assert.Equal(rounds, PairedFamily.MinimumRounds(familySize));
        Assert.True(WilcoxonSignedRank.SmallestPValue(rounds) <= 0.05 / familySize);
        Assert.True(WilcoxonSignedRank.SmallestPValue(rounds - 1) > 0.05 / familySize);
    }

    [Fact]
    public void Bad_input_names_the_parameter()
    {
        Assert.Equal("members", Assert.Throws<ArgumentException>(() => PairedFamily.Correct(Array.Empty<(string, PairedComparison)>())).ParamName);
        Assert.Equal("familySize", Assert.Throws<ArgumentException>(() => PairedFamily.MinimumRounds(0)).ParamName);
    }
}
