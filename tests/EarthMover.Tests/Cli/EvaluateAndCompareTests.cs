using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>earthmover evaluate and compare, end to end.</summary>
[Collection(nameof(CliTests))]
public class EvaluateAndCompareTests
{
    [Fact]
    public void Evaluate_reproduces_the_test_metrics_of_the_run()
    {
        string folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run("train", "--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L", "--epochs", "3", "-o", folder, "-q").Exit);
        var (exit, output, error) = CliRunner.Run("evaluate", "--run", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("test rows", output, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        using var evaluated = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "evaluation.json")));
        foreach (var metric in new[] { "exact_accuracy", "mae", "qwk", "mean_emd" })
        {
            Assert.Equal(trained.RootElement.GetProperty("test").GetProperty(metric).GetDouble(), evaluated.RootElement.GetProperty("metrics").GetProperty(metric).GetDouble(), 12);
        }
        var all = CliRunner.Run("evaluate", "--run", folder, "--split", "all", "--decoder", "median", "--force");
        Assert.True(all.Exit == 0, all.Error);
        Assert.Contains("all rows (400)", all.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_tabulates_losses_over_seeds_with_paired_wins()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("compare", "--losses", "ce,emd2,xemd1", "--seeds", "1,2", "--rows", "600", "--epochs", "3", "--warmup", "1", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("± ", output, StringComparison.Ordinal);
        foreach (var file in new[] { "compare.md", "compare.json", "compare.csv", "compare.png", "ground_distance_xemd1.png" })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing");
        }
        var markdown = File.ReadAllText(Path.Combine(folder, "compare.md"));
        Assert.Contains("Paired by round against ce", markdown, StringComparison.Ordinal);
        Assert.Equal(1 + 3 * 2, File.ReadAllLines(Path.Combine(folder, "compare.csv")).Length);
    }

    [Fact]
    public void Compare_runs_k_fold_cross_validation()
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("compare", "--losses", "ce,gd-emd", "--folds", "3", "--data", CliRunner.DataFile("fair.csv"), "--target", "rate_marriage", "--epochs", "2", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("fold 3", File.ReadAllText(Path.Combine(folder, "compare.md")), StringComparison.Ordinal);
    }
}
