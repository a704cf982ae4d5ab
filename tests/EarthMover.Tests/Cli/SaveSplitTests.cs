using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>train --save-split DIR writes exactly the rows the run trained, validated and tested on, each with the line of the data file it came from.</summary>
[Collection(nameof(CliTests))]
public class SaveSplitTests
{
    [Fact]
    public void The_saved_split_is_the_runs_own_rows_by_file_line()
    {
        string run = CliRunner.TempFolder();
        string split = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run([.. TestTables.HpcTrain, "-o", run, "--save-split", split]);
        Assert.True(exit == 0, error);
        Assert.Contains("split: ", output, StringComparison.Ordinal);
        var file = File.ReadAllLines(TestTables.Hpc);
        var parts = new[] { "train.csv", "validation.csv", "test.csv" }.Select(n => TestTables.Cells(Path.Combine(split, n))).ToArray();
        foreach (var part in parts)
        {
            Assert.Equal(["line", "protocol", "compounds", "input_fields", "iterations", "num_pending", "hour", "day", "class"], part[0]);
            foreach (var row in part.Skip(1))
            {
                // The row is the file's line, cell for cell.
                var original = file[int.Parse(row[0], System.Globalization.CultureInfo.InvariantCulture) - 1].Split(',').Select(c => c.Trim('"'));
                Assert.Equal(original, row.Skip(1));
            }
        }
        var lines = parts.SelectMany(p => p.Skip(1).Select(r => r[0])).ToArray();
        Assert.Equal(400, lines.Length);
        Assert.Equal(400, lines.Distinct().Count());
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(metrics.RootElement.GetProperty("test").GetProperty("samples").GetInt32(), parts[2].Count - 1);
    }

    [Fact]
    public void An_existing_split_is_replaced_only_with_force()
    {
        string split = CliRunner.TempFolder();
        Directory.CreateDirectory(split);
        File.WriteAllText(Path.Combine(split, "test.csv"), "mine\n");
        string error = TestTables.TrainFails([.. TestTables.HpcTrain[1..^3], "--save-split", split]);
        Assert.Contains("test.csv exists; pass --force", error, StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(Path.Combine(split, "test.csv")));
    }
}
