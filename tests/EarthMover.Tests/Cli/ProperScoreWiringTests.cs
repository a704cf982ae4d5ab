using System.Globalization;
using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>
/// The proper scores the program prints and writes are <see cref="ProperScores"/> of the distributions it predicts
/// (the scores themselves are checked against reference values in ProperScoresTests): evaluate's table and
/// evaluation.json, train's metrics.json, and compare's CSV.
/// </summary>
[Collection(nameof(CliTests))]
public class ProperScoreWiringTests
{
    [Fact]
    public void Evaluate_prints_and_writes_the_proper_scores_of_the_predicted_distributions()
    {
        string run = TestTables.TrainHpc();
        var (exit, output, error) = CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc);
        Assert.True(exit == 0, error);
        using var evaluation = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        var written = evaluation.RootElement.GetProperty("proper_scores");

        // The same rows through predict: its probabilities (printed as float32) scored here, against the file's classes.
        string predictions = Path.Combine(CliRunner.TempFolder(), "p.csv");
        Directory.CreateDirectory(Path.GetDirectoryName(predictions)!);
        var predict = CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", predictions);
        Assert.True(predict.Exit == 0, predict.Error);
        var order = new[] { "VF", "F", "M", "L" };
        var truth = File.ReadAllLines(TestTables.Hpc).Skip(1).Select(l => Array.IndexOf(order, l.Split(',')[^1].Trim('"'))).ToArray();
        var p = TestTables.Predictions(predictions).Select(r => r.P).ToArray();
        Assert.Equal(truth.Length, p.Length);
        var expected = ProperScores.Mean(p, truth);

        Assert.Equal(truth.Length, written.GetProperty("samples").GetInt32());
        Assert.Equal(expected.RankedProbabilityScore, written.GetProperty("rps").GetDouble(), 5);
        Assert.Equal(expected.LogLoss, written.GetProperty("log_loss").GetDouble(), 4);
        Assert.Equal(expected.BrierScore, written.GetProperty("brier").GetDouble(), 5);
        // The printed table shows the written values.
        foreach (var name in new[] { "rps", "log_loss", "brier" })
        {
            Assert.Contains(written.GetProperty(name).GetDouble().ToString("0.0000", CultureInfo.InvariantCulture), output, StringComparison.Ordinal);
        }
        Assert.Contains("RPS", output, StringComparison.Ordinal);
        Assert.Contains("descriptive, not proper", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_and_evaluate_agree_on_the_test_rows_proper_scores()
    {
        string run = TestTables.TrainHpc();
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run).Exit);
        using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        using var evaluated = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        foreach (var name in new[] { "rps", "log_loss", "brier" })
        {
            Assert.Equal(trained.RootElement.GetProperty("test_proper_scores").GetProperty(name).GetDouble(), evaluated.RootElement.GetProperty("proper_scores").GetProperty(name).GetDouble(), 12);
        }
    }

    [Fact]
    public void Compare_tabulates_each_runs_proper_scores()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("compare", "--losses", "ce,emd2", "--seeds", "1,2", "--rows", "400", "--epochs", "2", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("RPS ↓", output, StringComparison.Ordinal);
        Assert.Contains("mean EMD ↓ (descriptive)", output, StringComparison.Ordinal);
        var rows = TestTables.Cells(Path.Combine(folder, "compare.csv"));
        int rps = Array.IndexOf(rows[0], "rps");
        Assert.True(rps > 0, string.Join(",", rows[0]));
        // Each row's RPS is the one evaluate gives for its run's test rows.
        string run = Path.Combine(folder, "1-ce-seed-1");
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run).Exit);
        using var first = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        Assert.Equal(first.RootElement.GetProperty("proper_scores").GetProperty("rps").GetDouble(), double.Parse(rows[1][rps], CultureInfo.InvariantCulture), 6);
        Assert.All(rows.Skip(1), r => Assert.True(double.Parse(r[rps], CultureInfo.InvariantCulture) > 0));
    }
}
