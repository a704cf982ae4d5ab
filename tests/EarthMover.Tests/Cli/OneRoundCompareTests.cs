using EarthMover.Cli.Commands;
using EarthMover.Training;

namespace EarthMover.Tests.Cli;

/// <summary>A comparison of one seed shows each metric's value alone: "± 0.0000" would read as a spread measured to be zero.</summary>
public class OneRoundCompareTests
{
    private static Comparison Of(params string[] rounds)
    {
        var comparison = new Comparison("toy", ["a", "b", "c"], [new LossSpec { Name = "ce" }, new LossSpec { Name = "emd2" }], rounds);
        for (int r = 0; r < rounds.Length; r++)
        {
            for (int l = 0; l < 2; l++)
            {
                var metrics = OrdinalMetrics.Compute([0, 1, 2, 2], [0, 1, r % 3, l], 3);
                comparison.Add(l, r, new ComparisonRun(r * 2 + l, l == 0 ? "ce" : "emd2", rounds[r], metrics, 1, 1, 1, null, null));
            }
        }
        return comparison;
    }

    [Fact]
    public void One_seed_shows_no_spread()
    {
        string markdown = Of("seed 1").Markdown(1);
        Assert.DoesNotContain("±", markdown.Split('\n').Where(l => l.StartsWith("| ce", StringComparison.Ordinal) || l.StartsWith("| emd2", StringComparison.Ordinal)).First(), StringComparison.Ordinal);
        Assert.DoesNotContain("0.0000 ± 0.0000", markdown, StringComparison.Ordinal);
        Assert.Contains("one round, so no spread (± std) is shown", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_seeds_show_mean_and_spread()
    {
        string markdown = Of("seed 1", "seed 2").Markdown(1);
        Assert.Contains(" ± ", markdown.Split('\n').First(l => l.StartsWith("| ce", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Contains("mean ± std over rounds", markdown, StringComparison.Ordinal);
    }
}
