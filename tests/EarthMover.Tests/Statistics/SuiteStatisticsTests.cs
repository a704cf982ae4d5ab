using EarthMover.Cli;
using EarthMover.Cli.Evidence;
using EarthMover.Cli.Statistics;
using EarthMover.Training;

namespace EarthMover.Tests.Statistics;

/// <summary>
/// The statistics of a suite's raw results, on made-up rows whose answers are known: the pairing by seed, the
/// direction of "better" per metric, the family's size and Holm's correction over all of it.
/// </summary>
public class SuiteStatisticsTests
{
    private static SuiteFile Suite(int seeds, string[] metrics, int datasets = 1)
    {
        string folder = Path.Combine(Path.GetTempPath(), "earthmover-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "suite.json");
        string metricList = string.Join(", ", metrics.Select(m => $"\"{m}\""));
        string datasetList = string.Join(", ", Enumerable.Range(1, datasets).Select(d => $"{{ \"title\": \"d{d}\", \"task\": \"csv\", \"data\": \"diamonds\", \"target\": \"cut\" }}"));
        File.WriteAllText(path, $$"""
            {
              "seeds": [{{string.Join(", ", Enumerable.Range(1, seeds))}}],
              "baseline": "ce",
              "metrics": [{{metricList}}],
              "losses": [ { "label": "ce", "loss": "ce" }, { "label": "emd2", "loss": "emd2" } ],
              "datasets": [ {{datasetList}} ]
            }
            """);
        return SuiteFile.Read(path);
    }

    private static RawRow Row(string dataset, string loss, int seed, double mae, double accuracy) =>
        new(dataset, loss, seed, 100, 15, accuracy, 0.9, mae, mae, 0.5, mae, 3, 5, 1.0, false);

    [Fact]
    public void A_loss_better_on_every_seed_has_the_smallest_exact_p_and_survives_a_small_family()
    {
        var suite = Suite(13, ["MAE", "exact accuracy"]);
        // emd2: MAE lower by 0.01·seed on every seed (better); accuracy lower too (worse), by 0.001·seed.
        var rows = Enumerable.Range(1, 13).SelectMany(s => new[]
        {
            Row("d1", "ce", s, 0.5, 0.6),
            Row("d1", "emd2", s, 0.5 - 0.01 * s, 0.6 - 0.001 * s),
        });
        var stats = SuiteStatistics.Compute(suite, rows);
        Assert.Equal(2, stats.Family.Count);
        var mae = stats.Member("d1", "emd2", "MAE");
        Assert.Equal(-0.07, mae.Comparison.MeanDifference, 12);
        Assert.Equal(2.0 / 8192, mae.Comparison.Wilcoxon.PValue, 15);
        Assert.Equal(2 * 2.0 / 8192, mae.AdjustedP, 15);
        Assert.True(mae.Survives);
        Assert.True(ResultsPage.IsBetter(mae));
        var accuracy = stats.Member("d1", "emd2", "exact accuracy");
        Assert.True(accuracy.Survives);
        Assert.False(ResultsPage.IsBetter(accuracy));
        string page = ResultsPage.Markdown(stats, "results");
        Assert.Contains("| emd2 | 0 better / 1 worse of 1 | 1 better / 0 worse of 1 |", page, StringComparison.Ordinal);
        Assert.Contains("| emd2 | MAE | −0.0700 |", page, StringComparison.Ordinal);
        Assert.Contains("| 13–0 | 0.00024 | 0.00049 | ✓ |", page, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_differences_do_not_survive_a_family_too_large_for_the_seeds()
    {
        // 13 seeds allow at most 204 comparisons (0.05 / m >= 2 / 8192); 4 metrics x 52 datasets = 208 do not.
        var suite = Suite(13, ["MAE", "exact accuracy", "QWK", "mean EMD"], datasets: 52);
        Assert.Equal(208, suite.Family.Count);
        Assert.Equal(14, suite.MinimumSeeds);
        var rows = Enumerable.Range(1, 52).SelectMany(d => Enumerable.Range(1, 13).SelectMany(s => new[]
        {
            Row($"d{d}", "ce", s, 0.5, 0.6),
            Row($"d{d}", "emd2", s, 0.5 - 0.01 * s, 0.6 + 0.001 * s),
        }));
        var stats = SuiteStatistics.Compute(suite, rows);
        Assert.Equal(0, stats.Survivors);
        Assert.Contains("it cannot: this family needs at least 14 seeds", ResultsPage.Markdown(stats, "results"), StringComparison.Ordinal);
    }

    [Fact]
    public void Pairs_are_matched_by_seed_not_by_row_order()
    {
        var suite = Suite(10, ["MAE"]);
        // The baseline's rows come in reverse order; each pair still differs by exactly −0.02.
        var rows = Enumerable.Range(1, 10).Select(s => Row("d1", "emd2", s, 0.3 + 0.01 * s, 0.5))
            .Concat(Enumerable.Range(1, 10).Reverse().Select(s => Row("d1", "ce", s, 0.32 + 0.01 * s, 0.5)));
        var comparison = SuiteStatistics.Compute(suite, rows).Member("d1", "emd2", "MAE").Comparison;
        Assert.All(comparison.Differences, d => Assert.Equal(-0.02, d, 12));
        Assert.Equal(PairedComparison.Of(Enumerable.Range(1, 10).Select(s => 0.3 + 0.01 * s).ToArray(), Enumerable.Range(1, 10).Select(s => 0.32 + 0.01 * s).ToArray()).Low, comparison.Low, 12);
    }

    [Fact]
    public void Missing_or_repeated_rows_are_refused()
    {
        var suite = Suite(2, ["MAE"]);
        var rows = new[] { Row("d1", "ce", 1, 0.5, 0.5), Row("d1", "ce", 2, 0.5, 0.5), Row("d1", "emd2", 1, 0.5, 0.5) };
        Assert.Contains("no row for dataset 'd1', loss 'emd2', seed 2", Assert.Throws<UserError>(() => SuiteStatistics.Compute(suite, rows)).Message, StringComparison.Ordinal);
        Assert.Contains("appears twice", Assert.Throws<UserError>(() => SuiteStatistics.Compute(suite, [.. rows, rows[0]])).Message, StringComparison.Ordinal);
    }
}
