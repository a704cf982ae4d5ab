using EarthMover.Cli.Evidence;
using EarthMover.Tests.Support;

namespace EarthMover.Tests.Cli;

/// <summary>
/// The pre-registered suite files of the evidence v3 (docs/evidence/plan.md) read and check in full, as compare
/// --suite checks them before its first training: every loss, dataset and file is valid, and the design is the
/// plan's (primary endpoints, per-seed resampling, selection by validation Brier, test sets of at least 1,000 rows
/// where the data has them, the tuning grid on seeds of its own).
/// </summary>
public class EvidenceSuiteV3Tests
{
    [Fact]
    public void The_v3_suite_is_the_pre_registered_design()
    {
        var suite = SuiteFile.Read(RepositoryRoot.Of("docs", "evidence", "suite-v3.json"));
        suite.CheckSources();
        Assert.Equal(new[] { "RPS", "MAE" }, suite.Primary);
        Assert.Equal("holm", suite.Multiplicity);
        Assert.True(suite.Resample);
        Assert.Equal("brier", suite.Training.Monitor);
        Assert.Equal(20, suite.Seeds.Count);
        Assert.Equal(13, suite.PooledDatasets.Count);
        Assert.Equal("ce", suite.Baseline);
        Assert.Equal(11, suite.Losses.Count);
        // Test sets: 30 % of the rows used; at least 1,000 wherever the table has 3,334 rows or more.
        Assert.Equal(0.3, suite.Training.Test);
        foreach (var dataset in suite.Datasets.Where(d => d.Task == "csv" && d.Rows is int rows))
        {
            Assert.True(dataset.Rows * suite.Training.Test >= 1000, dataset.Title);
        }
    }

    [Fact]
    public void The_v3_tuning_suite_tries_every_loss_at_six_settings_on_seeds_of_its_own()
    {
        var suite = SuiteFile.Read(RepositoryRoot.Of("docs", "evidence", "suite-v3-tuning.json"));
        var main = SuiteFile.Read(RepositoryRoot.Of("docs", "evidence", "suite-v3.json"));
        suite.CheckSources();
        Assert.Equal(main.Losses.Count * 6, suite.Losses.Count);
        Assert.Empty(suite.Seeds.Intersect(main.Seeds));
        Assert.All(main.Losses, loss => Assert.Equal(6, suite.Losses.Count(l => l.Label.StartsWith(loss.Label + " | ", StringComparison.Ordinal))));
        Assert.Equal(main.Datasets.Select(d => d.Title), suite.Datasets.Select(d => d.Title));
        Assert.Equal(main.Training.Monitor, suite.Training.Monitor);
    }
}
