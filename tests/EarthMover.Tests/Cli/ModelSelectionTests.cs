using System.Globalization;
using System.Text.Json;
using EarthMover.Training;
using TorchSharp;

namespace EarthMover.Tests.Cli;

/// <summary>How the best epoch is chosen: the validation RPS, never inside the warm-up, and a warning for a collapsed model.</summary>
[Collection(nameof(CliTests))]
public class ModelSelectionTests
{
    [Fact]
    public void Rps_of_a_hand_computed_case()
    {
        // CDFs P = [.5, .5, 1], T = [0, 1, 1]: .25 + .25 + 0.
        Assert.Equal(0.5, RankedProbabilityScore.Of([0.5, 0, 0.5], 1), 15);
        Assert.Equal(0.0, RankedProbabilityScore.Of([0, 0, 1], 2), 15);
        Assert.Equal(2.0, RankedProbabilityScore.Of([0, 0, 1], 0), 15);
        Assert.Equal((0.5 + 2.0) / 2, RankedProbabilityScore.Mean([[0.5, 0, 0.5], [0, 0, 1]], [1, 0]), 15);
    }

    [Fact]
    public void Rps_equals_the_plain_sum_squared_emd_loss_on_probabilities()
    {
        var random = new Random(7);
        const int rows = 50, classes = 6;
        var distributions = new List<double[]>();
        var labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            var raw = Enumerable.Range(0, classes).Select(_ => random.NextDouble() * random.NextDouble()).ToArray();
            distributions.Add(raw.Select(v => v / raw.Sum()).ToArray());
            labels[i] = random.Next(classes);
        }
        using var p = torch.tensor(distributions.SelectMany(d => d).ToArray(), rows, classes);
        using var y = torch.tensor(labels.Select(l => (long)l).ToArray());
        using var loss = earthmover.nn.functional.squared_emd_loss(p, y, normalization: EmdNormalization.None, input_type: EmdInput.Probabilities);
        Assert.Equal(loss.ToDouble(), RankedProbabilityScore.Mean(distributions, labels), 12);
    }

    [Fact]
    public void The_best_epoch_is_never_one_of_the_warmup()
    {
        // gd-emd alone after a cross-entropy warm-up (alpha 0) raises the validation cross-entropy: by --monitor
        // loss a warm-up epoch scores best, and must still not be chosen.
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L",
            "--loss", "gd-emd", "--warmup", "2", "--alpha", "0", "--beta", "5", "--lr", "0.05", "--epochs", "4", "--monitor", "loss", "-o", folder);
        Assert.True(exit == 0, error);
        var history = History(folder);
        Assert.Equal([false, false, true, true], history.Select(h => h.Eligible));
        Assert.True(history.Take(2).Min(h => h.ValidationLoss) < history.Skip(2).Min(h => h.ValidationLoss), "a warm-up epoch has the lowest validation loss");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        int best = metrics.RootElement.GetProperty("best_epoch").GetInt32();
        Assert.Equal(history.Skip(2).MinBy(h => h.ValidationLoss)!.Epoch, best);
        Assert.Contains("warm-up", output, StringComparison.Ordinal);
        Assert.Contains("chosen from epoch 3 on", File.ReadAllText(Path.Combine(folder, "report.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void Min_epochs_delays_the_choice_and_the_default_monitor_is_rps()
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("train", "--data", CliRunner.DataFile("fair.csv"), "--target", "rate_marriage", "--loss", "ce", "--epochs", "4", "--min-epochs", "3", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        var history = History(folder);
        Assert.Equal([false, false, true, true], history.Select(h => h.Eligible));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal("rps", metrics.RootElement.GetProperty("monitor").GetString());
        Assert.Equal(history.Skip(2).MinBy(h => h.ValidationRps)!.Epoch, metrics.RootElement.GetProperty("best_epoch").GetInt32());
    }

    [Fact]
    public void A_collapsed_best_model_is_warned_about_in_the_console_and_the_report()
    {
        // 97% of the rows are 'low' and the feature is noise: the model predicts 'low' for every row.
        var random = new Random(3);
        var lines = new List<string> { "x,y" };
        for (int i = 0; i < 400; i++)
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{random.NextDouble():0.000},{(i % 34 == 0 ? "high" : "low")}"));
        }
        string data = CliRunner.TempFolder() + ".csv";
        File.WriteAllLines(data, lines);
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", data, "--target", "y", "--order", "low,high", "--epochs", "10", "--lr", "0.01", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("predicts 'low' for 100% of the validation rows: it has collapsed", output, StringComparison.Ordinal);
        Assert.Contains("collapsed", File.ReadAllText(Path.Combine(folder, "report.md")), StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal(1, metrics.RootElement.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public void A_model_that_uses_its_features_gets_no_warning()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--rows", "2000", "--loss", "ce", "--epochs", "3", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("collapsed", output, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal(0, metrics.RootElement.GetProperty("warnings").GetArrayLength());
    }

    internal static List<EpochRecord> History(string folder) =>
        Checkpoint.ReadHeader(Path.Combine(folder, Checkpoint.ResumeFile)).State.History;
}
