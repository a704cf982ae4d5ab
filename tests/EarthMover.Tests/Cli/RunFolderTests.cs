using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>Run folders are never mixed: an existing run is refused, replaced only with --force, continued only with --resume and its own settings.</summary>
[Collection(nameof(CliTests))]
public class RunFolderTests
{
    private static readonly string[] Hpc = ["--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L"];

    [Fact]
    public void An_existing_run_is_refused_and_replaced_only_with_force()
    {
        string folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run(["train", .. Hpc, "--epochs", "2", "-o", folder, "-q"]).Exit);
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", folder).Exit);
        var before = File.ReadAllBytes(Path.Combine(folder, "metrics.json"));

        var refused = CliRunner.Run(["train", .. Hpc, "--loss", "ce", "--epochs", "2", "-o", folder, "-q"]);
        Assert.Equal(2, refused.Exit);
        Assert.Contains("pass --force to replace it, --resume to continue the run in it,", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, "metrics.json")));

        var replaced = CliRunner.Run(["train", .. Hpc, "--loss", "ce", "--epochs", "2", "-o", folder, "-q", "--force"]);
        Assert.True(replaced.Exit == 0, replaced.Error);
        Assert.False(File.Exists(Path.Combine(folder, "evaluation.json")), "the old run's evaluation is gone");
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        Assert.Equal("ce", metrics.RootElement.GetProperty("loss").GetString());
    }

    [Fact]
    public void Force_is_checked_before_the_old_run_is_deleted()
    {
        string folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run(["train", .. Hpc, "--epochs", "2", "-o", folder, "-q"]).Exit);
        var files = Directory.GetFiles(folder).Order().ToArray();
        var (exit, _, error) = CliRunner.Run(["train", .. Hpc, "--target", "nosuch", "--epochs", "2", "-o", folder, "-q", "--force"]);
        Assert.Equal(2, exit);
        Assert.Contains("--target", error, StringComparison.Ordinal);
        Assert.Equal(files, Directory.GetFiles(folder).Order().ToArray());
    }

    [Fact]
    public void Resume_refuses_options_that_differ_from_the_run_and_names_them()
    {
        string folder = CliRunner.TempFolder();
        Assert.Equal(0, CliRunner.Run(["train", .. Hpc, "--loss", "emd2", "--epochs", "2", "-o", folder, "-q"]).Exit);
        var checkpoint = File.ReadAllBytes(Path.Combine(folder, "checkpoint.bin"));

        var (exit, output, error) = CliRunner.Run("train", "--resume", "-o", folder, "--loss", "ce", "--lr", "0.01", "--hidden", "128,64", "--epochs", "3");
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("--loss ce (the run has emd2)", error, StringComparison.Ordinal);
        Assert.Contains("--lr 0.01 (the run has 0.001)", error, StringComparison.Ordinal);
        Assert.DoesNotContain("--hidden", error, StringComparison.Ordinal); // the same as the run's
        Assert.DoesNotContain("--epochs 3", error, StringComparison.Ordinal); // may change
        Assert.Equal(checkpoint, File.ReadAllBytes(Path.Combine(folder, "checkpoint.bin")));

        var other = CliRunner.Run("train", "--resume", "-o", folder, "--data", CliRunner.DataFile("fair.csv"), "--target", "rate_marriage");
        Assert.Contains("--data", other.Error, StringComparison.Ordinal);
        Assert.Contains("--target rate_marriage (the run has class)", other.Error, StringComparison.Ordinal);

        var same = CliRunner.Run(["train", "--resume", "-o", folder, .. Hpc, "--loss", "emd2", "--epochs", "3", "-q"]);
        Assert.True(same.Exit == 0, same.Error);
        Assert.Equal(3, ModelSelectionTests.History(folder).Count);
    }

    [Fact]
    public void Mistyped_run_folders_are_not_created()
    {
        string folder = CliRunner.TempFolder();
        Assert.Equal(2, CliRunner.Run("evaluate", "--run", folder).Exit);
        Assert.Equal(2, CliRunner.Run("train", "--resume", "-o", folder).Exit);
        Assert.Equal(2, CliRunner.Run(["train", .. Hpc, "--order", "VF,F,M", "-o", folder]).Exit);
        Assert.Equal(2, CliRunner.Run("train", "--data", CliRunner.DataFile("hpc_data.csv"), "-o", folder).Exit);
        Assert.False(Directory.Exists(folder));
    }
}
