using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>
/// emd, sinkhorn and tree on hard labels (one class per row) are warned about before training starts, with the
/// losses and the option to use instead, and the warning is recorded with the run; soft labels and emd2 are not.
/// </summary>
[Collection(nameof(CliTests))]
public class HardLabelWarningTests
{
    [Theory]
    [InlineData("emd")]
    [InlineData("sinkhorn")]
    [InlineData("tree")]
    public void A_distribution_loss_on_hard_labels_warns_before_training_and_records_it(string loss)
    {
        string run = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run([.. TestTables.HpcTrain[..^3], "--loss", loss, "--epochs", "3", "--warmup", "1", "--patience", "1", "-o", run]);
        Assert.True(exit == 0, error);
        string plain = TestTables.Plain(output);
        int warning = plain.IndexOf($"warning: {loss} is a loss for target distributions, and these targets are hard labels", StringComparison.Ordinal);
        Assert.True(warning >= 0, plain);
        Assert.True(warning < plain.IndexOf("test metrics", StringComparison.Ordinal), "the warning comes before training");
        Assert.Contains("use emd2 or gd-emd", plain, StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Contains(metrics.RootElement.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("hard labels", StringComparison.Ordinal));
        Assert.Contains("hard labels", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("emd2")]
    [InlineData("emd", "--soft-labels", "gaussian:1")]
    public void Class_label_losses_and_soft_labels_get_no_warning(string loss, params string[] extra)
    {
        var (exit, output, error) = CliRunner.Run([.. TestTables.HpcTrain[..^3], "--loss", loss, .. extra, "--epochs", "1", "-o", CliRunner.TempFolder()]);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("hard labels", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_warns_once_per_such_loss_before_its_trainings()
    {
        var (exit, output, error) = CliRunner.Run(["compare", .. TestTables.HpcTrain[1..^3], "--losses", "ce,tree", "--seeds", "1", "--epochs", "3", "-o", CliRunner.TempFolder()]);
        Assert.True(exit == 0, error);
        string plain = TestTables.Plain(output);
        Assert.Single(plain.Split("warning: tree is a loss for target distributions").Skip(1));
        Assert.True(plain.IndexOf("warning: tree", StringComparison.Ordinal) < plain.IndexOf("seed 1 ce acc", StringComparison.Ordinal));
    }
}
