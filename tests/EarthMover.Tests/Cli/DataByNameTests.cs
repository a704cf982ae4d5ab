using System.Diagnostics;
using System.Text.Json;
using EarthMover.Cli;
using EarthMover.Training;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>A run remembers its data by name: evaluate --data and predict match columns by name, wherever they run from.</summary>
[Collection(nameof(CliTests))]
public class DataByNameTests
{
    private static readonly string[] Shuffled = ["day", "class", "hour", "protocol", "num_pending", "input_fields", "iterations", "compounds"];

    [Fact]
    public void The_same_rows_with_shuffled_columns_give_bit_identical_predictions()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        string shuffled = TestTables.Write("shuffled.csv", TestTables.Text(TestTables.Columns(table, Shuffled)));
        string original = Path.Combine(CliRunner.TempFolder() + "-original.csv");
        string reordered = Path.Combine(CliRunner.TempFolder() + "-reordered.csv");
        Assert.Equal(0, CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", original).Exit);
        var (exit, _, error) = CliRunner.Run("predict", "--run", run, "--data", shuffled, "-o", reordered);
        Assert.True(exit == 0, error);
        Assert.Equal(File.ReadAllBytes(original), File.ReadAllBytes(reordered));
        Assert.Equal(401, File.ReadAllLines(reordered).Length);

        // evaluate --data reads them by name too: the same metrics, to the last bit.
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc).Exit);
        string first = Metrics(run);
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run, "--data", shuffled, "--force").Exit);
        Assert.Equal(first, Metrics(run));
    }

    [Fact]
    public void Missing_columns_are_named_in_one_line_with_exit_2_and_nothing_is_written()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        string lacking = TestTables.Write("lacking.csv", TestTables.Text(TestTables.Columns(table, "protocol", "compounds", "input_fields", "iterations", "num_pending", "class")));
        string output = CliRunner.TempFolder() + ".csv";
        var (exit, _, error) = CliRunner.Run("predict", "--run", run, "--data", lacking, "-o", output);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("lacks the columns the model reads: 'hour', 'day'", error, StringComparison.Ordinal);
        TestTables.NothingWritten(output);

        var evaluate = CliRunner.Run("evaluate", "--run", run, "--data", lacking);
        Assert.Equal(2, evaluate.Exit);
        Assert.Single(evaluate.Error.Trim().Split('\n'));
        Assert.Contains("'hour', 'day'", evaluate.Error, StringComparison.Ordinal);
        TestTables.NothingWritten(Path.Combine(run, "evaluation.json"));
    }

    [Fact]
    public void Extra_columns_are_listed_once_and_ignored()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        var extended = table.Select((row, i) => (string[])[.. row, i == 0 ? "notes" : "n" + i, i == 0 ? "region" : "EU"]).ToList();
        string file = TestTables.Write("extra.csv", TestTables.Text(extended));
        string output = CliRunner.TempFolder() + ".csv";
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", file, "-o", output);
        Assert.True(exit == 0, error);
        Assert.Single(TestTables.Plain(console).Split("ignored").Skip(1), l => l.StartsWith(" 2 columns the model does not read: notes, region", StringComparison.Ordinal));
    }

    [Fact]
    public void Unseen_category_levels_are_encoded_as_no_level_and_counted_in_a_warning()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        int protocol = Array.IndexOf(table[0], "protocol");
        var changed = table.Select((row, i) => i is >= 1 and <= 3 ? row.Select((c, j) => j == protocol ? "ZZ" + i : c).ToArray() : row).ToList();
        string file = TestTables.Write("unseen.csv", TestTables.Text(changed));
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", file, "-o", CliRunner.TempFolder() + ".csv");
        Assert.True(exit == 0, error);
        Assert.Contains("warning: 3 rows with category levels not seen in training, encoded as no level: 'protocol' 3 values (e.g. 'ZZ1', 'ZZ2', 'ZZ3')", TestTables.Plain(console), StringComparison.Ordinal);

        // No level: the same prediction as a missing protocol (training had no missing values, so no "(missing)" level), unlike a known level.
        using var trained = TrainedRun.Load(run);
        var row = table[0].Zip(table[1]).Where(p => p.First != "class").ToDictionary(p => p.First, p => (object?)p.Second);
        var unseen = trained.Predict([new Dictionary<string, object?>(row) { ["protocol"] = "ZZ" }])[0];
        var missing = trained.Predict([new Dictionary<string, object?>(row) { ["protocol"] = null }], missing: MissingValues.Impute)[0];
        var known = trained.Predict([row])[0];
        Assert.Equal(missing.Probabilities, unseen.Probabilities);
        Assert.NotEqual(known.Probabilities, unseen.Probabilities);
    }

    [Fact]
    public void Evaluate_works_from_another_folder_and_says_when_the_data_moved_or_changed()
    {
        // Train where the data is, with a relative --data, as a user in a shell would.
        string home = CliRunner.TempFolder();
        Directory.CreateDirectory(home);
        File.Copy(TestTables.Hpc, Path.Combine(home, "hpc.csv"));
        var (trainExit, trainError) = RunProgram(home, [.. TestTables.HpcTrain.Select(a => a == TestTables.Hpc ? "hpc.csv" : a), "-o", "run"]);
        Assert.True(trainExit == 0, trainError);
        string run = Path.Combine(home, "run");
        var schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "schema.json"))).RootElement.GetProperty("Files");
        Assert.Equal("hpc.csv", schema.GetProperty("AsGiven").GetString());
        Assert.Equal(Path.Combine(home, "hpc.csv"), schema.GetProperty("Path").GetString());
        Assert.Equal(DataFiles.Hash(TestTables.Hpc), schema.GetProperty("Sha256").GetString());

        // From here (another folder): the run's own test rows, with the run's own test metrics.
        var (exit, output, error) = CliRunner.Run("evaluate", "--run", run);
        Assert.True(exit == 0, error);
        Assert.DoesNotContain("warning", output, StringComparison.Ordinal);
        using var trained = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "metrics.json")));
        Assert.Equal(trained.RootElement.GetProperty("test").GetProperty("mae").GetDouble(), MetricsElement(run).GetProperty("mae").GetDouble(), 12);

        // --resume from here too, and the run still records the path as it was given.
        var resumed = CliRunner.Run("train", "--resume", "--epochs", "3", "-o", run, "-q");
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Equal("hpc.csv", JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "schema.json"))).RootElement.GetProperty("Files").GetProperty("AsGiven").GetString());

        // Changed: one line says so.
        File.AppendAllText(Path.Combine(home, "hpc.csv"), "L,37,3513,100,0,10.5,Thu,VF\n");
        var changed = CliRunner.Run("evaluate", "--run", run, "--force");
        Assert.True(changed.Exit == 0, changed.Error);
        Assert.Single(TestTables.Plain(changed.Output).Split("warning:").Skip(1), l => l.Contains("has changed since training (its SHA-256 differs)", StringComparison.Ordinal));

        // Moved: one line, exit 2.
        File.Move(Path.Combine(home, "hpc.csv"), Path.Combine(home, "moved.csv"));
        var moved = CliRunner.Run("evaluate", "--run", run, "--force");
        Assert.Equal(2, moved.Exit);
        Assert.Single(moved.Error.Trim().Split('\n'));
        Assert.Contains("(given as hpc.csv) is no longer there; score another file with --data", moved.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_data_scores_every_row_and_split_refers_to_the_runs_own_rows()
    {
        string run = TestTables.TrainHpc();
        var (exit, output, error) = CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc);
        Assert.True(exit == 0, error);
        Assert.Contains("all rows (400)", output, StringComparison.Ordinal);
        Assert.True(CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc, "--split", "all", "--force").Exit == 0);
        var refused = CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc, "--split", "test", "--force");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("--split test names rows of the run's own data", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_of_a_missing_run_folder_creates_nothing()
    {
        string folder = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("evaluate", "--run", folder);
        Assert.Equal(2, exit);
        Assert.Contains("no such folder", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    private static string Metrics(string run) => MetricsElement(run).GetRawText();

    private static JsonElement MetricsElement(string run) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json"))).RootElement.GetProperty("metrics").Clone();

    // The program in its own process, started in the given folder.
    private static (int Exit, string Error) RunProgram(string folder, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = folder, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "EarthMover.Cli.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error + output.Result);
    }
}
