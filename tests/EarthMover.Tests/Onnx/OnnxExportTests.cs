using EarthMover.Tests.Cli;
using EarthMover.Training;
using EarthMover.Training.Data;

namespace EarthMover.Tests.Onnx;

/// <summary>
/// An exported ONNX model, scored by ONNX Runtime on the raw held-back test rows, gives TorchSharp's class
/// distributions (within 1e-5) for every model kind, a sample of losses and heads (the threshold and code heads of
/// coral, corn, logistic-at and ecoc among them), and each decoder; its class is TorchSharp's (the decoder's, or the
/// method's own rule).
/// </summary>
[Collection(nameof(CliTests))]
public class OnnxExportTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("ce")]
    [InlineData("emd2")]
    [InlineData("xemd2", "--warmup", "1")]
    [InlineData("gd-emd")]
    [InlineData("tree", "--warmup", "1")]
    [InlineData("regression")]
    [InlineData("emd2", "--decoder", "median")]
    [InlineData("ce", "--decoder", "expectation")]
    [InlineData("coral")]
    [InlineData("corn")]
    [InlineData("logistic-at")]
    [InlineData("ecoc")]
    [InlineData("sord:alpha=2")]
    [InlineData("cdw-ce:alpha=2")]
    public void The_mlp_on_hpc_scores_as_in_TorchSharp(string loss, params string[] extra)
    {
        string run = TestTables.TrainHpc(["--loss", loss, .. extra]);
        var table = TestTables.Cells(TestTables.Hpc);
        AssertTableRunMatches(run, table[0], table.Skip(1).ToList());
    }

    [Fact]
    public void Missing_values_categories_and_an_embedded_column_are_encoded_in_the_graph_whatever_the_column_order()
    {
        var (header, rows) = MessyHpc();
        string file = TestTables.Write("messy.csv", TestTables.Text([header, .. rows]));
        string run = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("train", "--data", file, "--target", "class", "--order", "VF,F,M,L", "--missing", "impute", "--epochs", "2", "-o", run, "-q");
        Assert.True(exit == 0, error);
        using (var trained = TrainedRun.Load(run))
        {
            var site = trained.Config.Encoder.Columns.Single(c => c.Name == "site");
            Assert.Equal(CategoryEncoding.Embedding, site.Encoding);
            Assert.Contains(FeatureEncoder.MissingLevel, trained.Config.Encoder.Columns.Single(c => c.Name == "day").Levels!);
        }

        // Scored with the columns reversed, an extra column, and levels training never saw in two columns.
        int[] order = Enumerable.Range(0, header.Length).Reverse().ToArray();
        var shuffled = rows.Select((r, i) => (string[])[.. order.Select(j => i % 5 == 0 && header[j] is "day" or "site" ? "never-seen" : r[j]), "ignored"]).ToList();
        AssertTableRunMatches(run, [.. order.Select(j => header[j]), "note"], shuffled);
    }

    [Theory]
    [InlineData("emd2")]
    [InlineData("coral")]
    public void The_cnn_on_images_scores_as_in_TorchSharp(string loss)
    {
        string run = CliRunner.TempFolder();
        var (exit, _, error) = CliRunner.Run("train", "--data", CliRunner.FashionMnistSample, "--rows", "200", "--epochs", "1", "--batch-size", "64", "--loss", loss, "-o", run, "-q");
        Assert.True(exit == 0, error);
        using var trained = TrainedRun.Load(run);
        var data = (ImageDataset)DataSource.Load(trained.Config.DataToReload());
        var test = Split.Stratified(data, trained.Config.Train).Test;
        var images = test.Select(i => data.Pixels(i).ToArray()).ToList();
        var pixels = ImageDataset.Scale(images.SelectMany(i => i).ToArray());
        var scores = OnnxScoring.Images(OnnxExport.ToBytes(trained), images);
        AssertSame(trained, trained.Probabilities(pixels, images.Count), trained.Score(pixels, images.Count, null), scores);
    }

    [Fact]
    public void Write_refuses_to_replace_a_file_unless_asked_and_leaves_no_temporary_file()
    {
        string run = TestTables.TrainHpc();
        using var trained = TrainedRun.Load(run);
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "model.onnx");
        File.WriteAllText(path, "keep me");
        Assert.Throws<IOException>(() => OnnxExport.Write(trained, path));
        Assert.Equal("keep me", File.ReadAllText(path));
        OnnxExport.Write(trained, path, overwrite: true);
        Assert.Equal(OnnxExport.ToBytes(trained), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    // Trains nothing: scores the run's held-back test rows (found in the given rows by the run's split) with
    // ONNX Runtime on the raw cells, and with TorchSharp on the same cells encoded by the run's encoder.
    private static void AssertTableRunMatches(string run, string[] header, List<string[]> rows)
    {
        using var trained = TrainedRun.Load(run);
        var data = DataSource.Load(trained.Config.DataToReload());
        Assert.Equal(rows.Count, data.Count);
        var test = Split.Stratified(data, trained.Config.Train).Test;
        var testRows = test.Select(i => rows[i]).ToList();

        var encoder = trained.Config.Encoder;
        var position = encoder.Columns.Select(c => Array.IndexOf(header, c.Name)).ToArray();
        var inputs = new float[testRows.Count * encoder.Width];
        var cells = new string?[position.Length];
        for (int r = 0; r < testRows.Count; r++)
        {
            for (int c = 0; c < cells.Length; c++)
            {
                cells[c] = testRows[r][position[c]] is "" or "NA" ? null : testRows[r][position[c]];
            }
            encoder.Encode(cells, inputs.AsSpan(r * encoder.Width, encoder.Width), null);
        }
        var expected = trained.Probabilities(inputs, testRows.Count);
        AssertSame(trained, expected, trained.Score(inputs, testRows.Count, null), OnnxScoring.Rows(OnnxExport.ToBytes(trained), header, testRows));
    }

    // The distributions within the tolerance; the class is TorchSharp's own (the run's decoder, or the method's own rule).
    private static void AssertSame(TrainedRun trained, float[] expected, Prediction[] predictions, OnnxScoring.Scores scores)
    {
        int classes = trained.Classes.Count;
        Assert.Equal(classes, scores.Classes);
        Assert.Equal(expected.Length, scores.Probabilities.Length);
        double worst = expected.Zip(scores.Probabilities).Max(p => Math.Abs(p.First - p.Second));
        Assert.True(worst <= Tolerance, $"ONNX Runtime's distributions differ from TorchSharp's by up to {worst:E2}");
        for (int i = 0; i < scores.Index.Length; i++)
        {
            int decoded = predictions[i].Class;
            if (!trained.HasOwnRule)
            {
                var p = scores.Probabilities.AsSpan(i * classes, classes).ToArray().Select(v => (double)v).ToArray();
                Assert.Equal(OrdinalDecoding.Decode(p, trained.Decoder), decoded);
            }
            Assert.Equal(decoded, scores.Index[i]);
            Assert.Equal(trained.Classes[decoded], scores.Label[i]);
        }
    }

    // hpc_data.csv with holes: empty and NA cells in numeric and categorical columns, and a 'site' column of
    // 120 levels (embedded, above the one-hot limit of 100).
    private static (string[] Header, List<string[]> Rows) MessyHpc()
    {
        var table = TestTables.Cells(TestTables.Hpc);
        string[] header = [.. table[0], "site"];
        var rows = table.Skip(1).Select((row, i) =>
        {
            var cells = row.Select((cell, j) => table[0][j] switch
            {
                "compounds" when i % 7 == 3 => "",
                "hour" when i % 9 == 4 => "NA",
                "day" when i % 11 == 5 => "NA",
                "protocol" when i % 13 == 6 => "",
                _ => cell,
            }).ToList();
            cells.Add(i % 17 == 8 ? "" : $"S{i * 37 % 120:000}");
            return cells.ToArray();
        }).ToList();
        return (header, rows);
    }
}
