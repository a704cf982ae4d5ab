using EarthMover.Cli;
using EarthMover.Cli.Commands;
using EarthMover.Training;

namespace EarthMover.Tests.Cli;

/// <summary>
/// Running the same command again without --output writes to a new numbered folder (runs/compare-2, ...) beside
/// the earlier run, instead of failing until --force; --force still replaces the default folder itself.
/// </summary>
public class DefaultFolderTests
{
    [Fact]
    public void Next_free_skips_folders_with_content_and_takes_an_empty_one()
    {
        string root = CliRunner.TempFolder();
        string path = Path.Combine(root, "compare");
        Assert.Equal(path, RunFolder.NextFree(path));
        Directory.CreateDirectory(path);
        Assert.Equal(path, RunFolder.NextFree(path));
        File.WriteAllText(Path.Combine(path, "compare.json"), "{}");
        Assert.Equal(path + "-2", RunFolder.NextFree(path));
        Directory.CreateDirectory(path + "-2");
        File.WriteAllText(Path.Combine(path + "-2", "compare.json"), "{}");
        Assert.Equal(path + "-3", RunFolder.NextFree(path));
    }

    [Fact]
    public void Without_output_a_rerun_gets_a_numbered_folder_and_force_replaces_the_default()
    {
        string path = Path.Combine(CliRunner.TempFolder(), "runs", "compare");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "compare.json"), "{}");
        var options = new CommandOptions();
        var train = CliApp.Build(options, TextWriter.Null).Subcommands.Single(c => c.Name == "train");

        var again = options.ReadOutput(train.Parse(["--epochs", "1"]), options.Output, path);
        Assert.Equal(path + "-2", again.FullPath);
        var forced = options.ReadOutput(train.Parse(["--force"]), options.Output, path);
        Assert.Equal(path, forced.FullPath);
        var named = options.ReadOutput(train.Parse(["-o", path + "-x"]), options.Output, path);
        Assert.Equal(path + "-x", named.FullPath);
    }
}
