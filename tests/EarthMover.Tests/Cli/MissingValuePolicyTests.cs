using System.Text.Json;

namespace EarthMover.Tests.Cli;

/// <summary>
/// One missing-value policy for train, compare, evaluate and predict, the run's --missing: under drop the rows
/// with a missing feature are left out of training, of evaluate's metrics and of predict's (which writes them
/// with empty cells, keeping one output row per input row), so that evaluate and predict agree on a file; under
/// impute every command fills them in. Each command says how many rows, and the run and the comparison record it.
/// </summary>
[Collection(nameof(CliTests))]
public class MissingValuePolicyTests
{
    private const int Holes = 31;

    // hpc_data.csv with the 'compounds' cell of every 13th row empty or NA (31 rows, the first among them).
    private static readonly Lazy<string> WithHoles = new(() =>
    {
        var lines = File.ReadAllLines(TestTables.Hpc);
        int column = Array.IndexOf(lines[0].Split(',').Select(c => c.Trim('"')).ToArray(), "compounds");
        var rows = lines.Skip(1).Select((line, i) =>
        {
            var cells = line.Split(',');
            if (i % 13 == 0)
            {
                cells[column] = i % 2 == 0 ? "" : "NA";
            }
            return string.Join(',', cells);
        }).ToArray();
        return TestTables.Write("holes.csv", string.Join('\n', rows.Prepend(lines[0])) + "\n");
    });

    [Fact]
    public void Drop_leaves_the_rows_out_of_train_evaluate_and_predict_alike_and_says_how_many()
    {
        string run = CliRunner.TempFolder();
        var trained = CliRunner.Run("train", "--data", WithHoles.Value, "--target", "class", "--order", "VF,F,M,L", "--epochs", "1", "-o", run);
        Assert.True(trained.Exit == 0, trained.Error);
        Assert.Contains($"dropped {Holes} rows with missing feature values", TestTables.Plain(trained.Output), StringComparison.Ordinal);
        Assert.Contains($"dropped {Holes} rows with missing feature values", File.ReadAllText(Path.Combine(run, "report.md")), StringComparison.Ordinal);

        string output = CliRunner.TempFolder() + ".csv";
        var predicted = CliRunner.Run("predict", "--run", run, "--data", WithHoles.Value, "-o", output);
        Assert.True(predicted.Exit == 0, predicted.Error);
        string plain = TestTables.Plain(predicted.Output);
        Assert.Contains($"left out {Holes} rows with missing feature values: their predicted class and probabilities are empty", plain, StringComparison.Ordinal);
        Assert.Contains($"{400 - Holes} labelled rows", plain, StringComparison.Ordinal);
        var lines = File.ReadAllLines(output);
        Assert.Equal(401, lines.Length);
        Assert.Equal(Holes, lines.Count(l => l.EndsWith(",,,,,", StringComparison.Ordinal)));
        Assert.Equal("1,,,,,", lines[1]);

        var evaluated = CliRunner.Run("evaluate", "--run", run, "--data", WithHoles.Value);
        Assert.True(evaluated.Exit == 0, evaluated.Error);
        Assert.Contains($"all rows ({400 - Holes}; {Holes} rows with missing feature values left out)", TestTables.Plain(evaluated.Output), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "evaluation.json")));
        Assert.Equal(400 - Holes, json.RootElement.GetProperty("rows_scored").GetInt32());
        Assert.Equal("drop", json.RootElement.GetProperty("missing_values").GetProperty("policy").GetString());
        Assert.Equal(Holes, json.RootElement.GetProperty("missing_values").GetProperty("rows").GetInt32());
        // The same rows, the same metrics: predict's MAE over its labelled rows is evaluate's.
        double mae = json.RootElement.GetProperty("metrics").GetProperty("mae").GetDouble();
        Assert.Contains(mae.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture), predicted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Impute_fills_the_rows_in_everywhere_and_says_how_many()
    {
        string run = CliRunner.TempFolder();
        var trained = CliRunner.Run("train", "--data", WithHoles.Value, "--target", "class", "--order", "VF,F,M,L", "--missing", "impute", "--epochs", "1", "-o", run);
        Assert.True(trained.Exit == 0, trained.Error);
        Assert.Contains($"imputed missing values in {Holes} rows", TestTables.Plain(trained.Output), StringComparison.Ordinal);

        string output = CliRunner.TempFolder() + ".csv";
        var predicted = CliRunner.Run("predict", "--run", run, "--data", WithHoles.Value, "-o", output);
        Assert.True(predicted.Exit == 0, predicted.Error);
        Assert.Contains("400 labelled rows", TestTables.Plain(predicted.Output), StringComparison.Ordinal);
        Assert.Contains("missing values filled in", TestTables.Plain(predicted.Output), StringComparison.Ordinal);
        Assert.DoesNotContain(File.ReadAllLines(output), l => l.EndsWith(",,", StringComparison.Ordinal));

        var evaluated = CliRunner.Run("evaluate", "--run", run, "--data", WithHoles.Value);
        Assert.True(evaluated.Exit == 0, evaluated.Error);
        Assert.Contains($"all rows (400; {Holes} rows with missing feature values imputed)", TestTables.Plain(evaluated.Output), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_says_how_many_rows_it_dropped_and_records_it()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("compare", "--data", WithHoles.Value, "--target", "class", "--order", "VF,F,M,L", "--losses", "ce", "--seeds", "1", "--epochs", "1", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains($"dropped {Holes} rows with missing feature values", TestTables.Plain(output), StringComparison.Ordinal);
        Assert.Contains($"dropped {Holes} rows with missing feature values", File.ReadAllText(Path.Combine(folder, "compare.md")), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        Assert.Contains(json.RootElement.GetProperty("data_notes").EnumerateArray(), n => n.GetString()!.Contains($"dropped {Holes} rows", StringComparison.Ordinal));
    }

    [Fact]
    public void The_help_states_the_one_policy() =>
        Assert.Contains("one policy for train, compare, evaluate and predict", TestTables.Plain(CliRunner.Run("train", "--help").Output), StringComparison.Ordinal);
}
