using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using EarthMover.Cli;
using EarthMover.Training;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Cli;

/// <summary>earthmover predict and the C# way to the same predictions, TrainedRun.</summary>
[Collection(nameof(CliTests))]
public class PredictTests
{
    [Fact]
    public void Predicts_unlabelled_rows_one_output_row_per_input_row_with_ids()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        var unlabelled = TestTables.Columns(table, "protocol", "compounds", "input_fields", "iterations", "num_pending", "hour", "day")
            .Select((row, i) => (string[])[i == 0 ? "job" : $"job{i}", .. row]).ToList();
        string file = TestTables.Write("new.csv", TestTables.Text(unlabelled));
        string output = CliRunner.TempFolder() + ".csv";
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", file, "--id", "job", "-o", output);
        Assert.True(exit == 0, error);
        Assert.Contains("400 predictions (argmax) written to", console, StringComparison.Ordinal);
        Assert.DoesNotContain("labelled", console, StringComparison.Ordinal);
        Assert.Equal("job,predicted,p_VF,p_F,p_M,p_L", File.ReadLines(output).First());
        var rows = TestTables.Predictions(output);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => $"job{i}"), rows.Select(r => r.Id));
        string[] classes = ["VF", "F", "M", "L"];
        foreach (var (_, predicted, p) in rows)
        {
            Assert.Equal(1.0, p.Sum(), 5);
            Assert.Equal(classes[Array.IndexOf(p, p.Max())], predicted);
        }

        // --decoder median: the first class whose cumulative probability reaches 1/2, from the written probabilities.
        Assert.Equal(0, CliRunner.Run("predict", "--run", run, "--data", file, "--decoder", "median", "-o", output, "--force").Exit);
        foreach (var (_, predicted, p) in TestTables.Predictions(output))
        {
            double cumulative = 0;
            int median = Enumerable.Range(0, 4).First(k => (cumulative += p[k]) >= 0.5 - 1e-6);
            Assert.Equal(classes[median], predicted);
        }
    }

    [Fact]
    public void Labelled_input_adds_the_metrics_that_evaluate_reports()
    {
        string run = TestTables.TrainHpc();
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", CliRunner.TempFolder() + ".csv");
        Assert.True(exit == 0, error);
        Assert.Contains("400 labelled rows, argmax", console, StringComparison.Ordinal);
        var evaluate = CliRunner.Run("evaluate", "--run", run, "--data", TestTables.Hpc);
        Assert.Equal(MetricRow(evaluate.Output), MetricRow(console));
    }

    [Fact]
    public void TrainedRun_predicts_what_the_predict_command_writes()
    {
        string run = TestTables.TrainHpc();
        string output = CliRunner.TempFolder() + ".csv";
        Assert.Equal(0, CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", output).Exit);
        var written = TestTables.Predictions(output);

        using var trained = TrainedRun.Load(run);
        Assert.Equal(["VF", "F", "M", "L"], trained.Classes);
        Assert.Equal("class", trained.Target);
        var table = TestTables.Cells(TestTables.Hpc);
        var rows = table.Skip(1).Select(row => table[0].Zip(row).ToDictionary(p => p.First, p => Value(p.Second))).ToList();
        var predictions = trained.Predict(rows);
        Assert.Equal(written.Count, predictions.Count);
        for (int i = 0; i < predictions.Count; i++)
        {
            Assert.Equal(written[i].Predicted, predictions[i].Label);
            Assert.Equal(written[i].P.Select(p => (float)p), predictions[i].Probabilities.Select(p => (float)p));
        }
    }

    [Fact]
    public void TrainedRun_refuses_bad_input_with_an_argument_exception()
    {
        string run = TestTables.TrainHpc();
        Assert.Equal("folder", Assert.Throws<ArgumentException>(() => TrainedRun.Load(CliRunner.TempFolder())).ParamName);
        using var trained = TrainedRun.Load(run);
        var lacking = Assert.Throws<ArgumentException>(() => trained.Predict([new Dictionary<string, object?> { ["protocol"] = "E" }]));
        Assert.Equal("rows", lacking.ParamName);
        Assert.Contains("'compounds'", lacking.Message, StringComparison.Ordinal);
        var row = new Dictionary<string, object?> { ["protocol"] = "E", ["compounds"] = "many", ["input_fields"] = 1, ["iterations"] = 20, ["num_pending"] = 0, ["hour"] = 14.5, ["day"] = "Tue" };
        Assert.Contains("is not a number", Assert.Throws<ArgumentException>(() => trained.Predict([row])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => trained.PredictImages([new byte[784]]));
    }

    [Fact]
    public void TrainedRun_follows_the_runs_missing_value_policy_as_predict_does()
    {
        // Trained with the default --missing drop: a row with a missing value gets no prediction, from C# as from the program.
        string run = TestTables.TrainHpc();
        using var trained = TrainedRun.Load(run);
        Assert.Equal(MissingValues.Drop, trained.Missing);
        var row = new Dictionary<string, object?> { ["protocol"] = "E", ["compounds"] = 997, ["input_fields"] = 137, ["iterations"] = 20, ["num_pending"] = 0, ["hour"] = 14, ["day"] = "Tue" };
        foreach (object? missing in new object?[] { null, "", "NA" })
        {
            var refused = Assert.Throws<ArgumentException>(() => trained.Predict([row, new Dictionary<string, object?>(row) { ["compounds"] = missing }]));
            Assert.Equal("rows", refused.ParamName);
            Assert.StartsWith("row 2 has no value in 'compounds'", refused.Message, StringComparison.Ordinal);
        }

        // Asked to impute, the missing number takes the training mean: the prediction of the row holding that mean.
        var imputed = trained.Predict([new Dictionary<string, object?>(row) { ["compounds"] = null }], missing: MissingValues.Impute)[0];
        double mean = trained.Config.Encoder.Columns.Single(c => c.Name == "compounds").Mean!.Value;
        var atMean = trained.Predict([new Dictionary<string, object?>(row) { ["compounds"] = mean }])[0];
        Assert.Equal(atMean.Probabilities.Select(p => (float)p), imputed.Probabilities.Select(p => (float)p));
    }

    [Fact]
    public void A_bad_cell_late_in_a_large_file_leaves_nothing_behind()
    {
        string run = TestTables.TrainHpc();
        var table = TestTables.Cells(TestTables.Hpc);
        // 9,600 rows: more than one chunk; line 9,000 holds text in a numeric column.
        var rows = new List<string[]> { table[0] };
        for (int copy = 0; copy < 24; copy++)
        {
            rows.AddRange(table.Skip(1));
        }
        rows[8999] = rows[8999].Select((c, j) => j == 1 ? "lots" : c).ToArray();
        string file = TestTables.Write("large.csv", TestTables.Text(rows));
        string output = CliRunner.TempFolder() + ".csv";
        var (exit, _, error) = CliRunner.Run("predict", "--run", run, "--data", file, "-o", output);
        Assert.Equal(2, exit);
        Assert.Contains("large.csv, line 9000: 'lots' in column 'compounds' is not a number", error, StringComparison.Ordinal);
        TestTables.NothingWritten(output);
    }

    [Fact]
    public void Predicts_idx_images_with_or_without_labels()
    {
        string run = CliRunner.TempFolder();
        var (trainExit, _, trainError) = CliRunner.Run("train", "--data", CliRunner.FashionMnistSample, "--rows", "200", "--epochs", "1", "--batch-size", "64", "-o", run, "-q");
        Assert.True(trainExit == 0, trainError);
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string images = Path.Combine(folder, "images-idx3-ubyte");
        string labels = Path.Combine(folder, "labels-idx1-ubyte");
        Slice(Path.Combine(CliRunner.FashionMnistSample, "t10k-images-idx3-ubyte.gz"), images, 30, 28 * 28);
        Slice(Path.Combine(CliRunner.FashionMnistSample, "t10k-labels-idx1-ubyte.gz"), labels, 30, 1);

        string output = Path.Combine(folder, "predictions.csv");
        var (exit, console, error) = CliRunner.Run("predict", "--run", run, "--data", images, "-o", output);
        Assert.True(exit == 0, error);
        var rows = TestTables.Predictions(output);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => i.ToString(CultureInfo.InvariantCulture)), rows.Select(r => r.Id));
        Assert.StartsWith("image,predicted,p_T-shirt/top,p_Trouser", File.ReadLines(output).First(), StringComparison.Ordinal);

        using var trained = TrainedRun.Load(run);
        var pixels = File.ReadAllBytes(images)[16..];
        var direct = trained.PredictImages(Enumerable.Range(0, 30).Select(i => pixels[(i * 784)..((i + 1) * 784)]));
        Assert.Equal(rows.Select(r => r.Predicted), direct.Select(p => p.Label));

        var labelled = CliRunner.Run("predict", "--run", run, "--data", images, "--labels", labels, "-o", output, "--force");
        Assert.True(labelled.Exit == 0, labelled.Error);
        Assert.Contains("30 labelled rows", labelled.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--decoder", "mode", "--decoder: 'mode' must be argmax, median or expectation")]
    [InlineData("--delimiter", ":", "--delimiter: ':' must be one of , ; tab |")]
    [InlineData("--encoding", "ebcdic", "--encoding: 'ebcdic' must be one of utf-8, latin1, windows-1252")]
    [InlineData("--id", "jobid", "--id: ")]
    [InlineData("--labels", "labels.idx", "--labels goes with IDX images")]
    public void Bad_options_are_one_line_with_exit_2_and_nothing_written(string option, string value, string expected)
    {
        string run = TestTables.TrainHpc();
        string output = CliRunner.TempFolder() + ".csv";
        var (exit, _, error) = CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", output, option, value);
        Assert.Equal(2, exit);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        TestTables.NothingWritten(output);
    }

    [Fact]
    public void Bad_paths_are_one_line_with_exit_2_and_nothing_written()
    {
        string run = TestTables.TrainHpc();
        string output = CliRunner.TempFolder() + ".csv";
        Assert.Contains("--run", CliRunner.Run("predict", "--run", CliRunner.TempFolder(), "--data", TestTables.Hpc, "-o", output).Error, StringComparison.Ordinal);
        Assert.Contains("no such file", CliRunner.Run("predict", "--run", run, "--data", CliRunner.TempFolder() + ".csv", "-o", output).Error, StringComparison.Ordinal);
        TestTables.NothingWritten(output);
        string nowhere = Path.Combine(CliRunner.TempFolder(), "p.csv");
        var (exit, _, error) = CliRunner.Run("predict", "--run", run, "--data", TestTables.Hpc, "-o", nowhere);
        Assert.Equal(2, exit);
        Assert.Contains("does not exist", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(nowhere)));
    }

    // A value as a C# caller would give it: numbers as doubles, text as strings.
    private static object? Value(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) ? number : cell;

    // The first table's row of numbers: the ordinal metrics (evaluate prints the proper scores in a second table).
    private static string MetricRow(string console) =>
        console.Split('\n').First(l => l.StartsWith("│ 0.", StringComparison.Ordinal) || l.StartsWith("│ 1.", StringComparison.Ordinal));

    // The first `count` items of a gzipped IDX file, with its header rewritten to say so.
    private static void Slice(string gz, string destination, int count, int itemBytes)
    {
        using var input = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        input.CopyTo(plain);
        var bytes = plain.ToArray();
        int header = 4 + 4 * bytes[3];
        var sliced = bytes[..(header + count * itemBytes)];
        BinaryPrimitives.WriteInt32BigEndian(sliced.AsSpan(4), count);
        File.WriteAllBytes(destination, sliced);
    }
}
