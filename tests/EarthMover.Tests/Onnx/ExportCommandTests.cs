using EarthMover.Tests.Cli;
using EarthMover.Training;

namespace EarthMover.Tests.Onnx;

/// <summary>earthmover export RUN --onnx FILE: writes what OnnxExport writes, and never replaces a file unasked or leaves half a file.</summary>
[Collection(nameof(CliTests))]
public class ExportCommandTests
{
    [Fact]
    public void Writes_the_model_and_says_what_it_reads_and_gives()
    {
        string run = TestTables.TrainHpc();
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "hpc.onnx");
        var (exit, output, error) = CliRunner.Run("export", run, "--onnx", path);
        Assert.True(exit == 0, error);
        Assert.Contains("inputs 7 columns by name (protocol, compounds, input_fields, iterations, num_pending, hour, day)", output, StringComparison.Ordinal);
        Assert.Contains("probabilities (N x 4: VF, F, M, L), predicted_index, predicted_label (argmax)", output, StringComparison.Ordinal);
        using var trained = TrainedRun.Load(run);
        Assert.Equal(OnnxExport.ToBytes(trained), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));

        // An existing file: refused without --force (one line, exit 2, the file untouched), replaced with it.
        File.WriteAllText(path, "keep me");
        (exit, output, error) = CliRunner.Run("export", run, "--onnx", path);
        Assert.Equal(2, exit);
        Assert.Equal($"earthmover: --onnx {path}: the file exists; pass --force to replace it.", error.Trim());
        Assert.Equal("", output);
        Assert.Equal("keep me", File.ReadAllText(path));
        (exit, _, error) = CliRunner.Run("export", run, "--onnx", path, "--force", "--decoder", "median");
        Assert.True(exit == 0, error);
        Assert.Equal(OnnxExport.ToBytes(trained, OrdinalDecoder.Median), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(folder));
    }

    [Fact]
    public void A_threshold_model_exports_its_own_rule_unless_a_decoder_is_asked_for()
    {
        string run = TestTables.TrainHpc("--loss", "corn");
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "corn.onnx");
        var (exit, output, error) = CliRunner.Run("export", run, "--onnx", path);
        Assert.True(exit == 0, error);
        Assert.Contains("predicted_label (corn's own rule)", output, StringComparison.Ordinal);
        using var trained = TrainedRun.Load(run);
        Assert.Equal(OnnxExport.ToBytes(trained), File.ReadAllBytes(path));
        using (var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path))
        {
            Assert.Equal("own rule", session.ModelMetadata.CustomMetadataMap["earthmover.decoder"]);
        }
        (exit, _, error) = CliRunner.Run("export", run, "--onnx", path, "--force", "--decoder", "median");
        Assert.True(exit == 0, error);
        using var median = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal("median", median.ModelMetadata.CustomMetadataMap["earthmover.decoder"]);
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_problem_and_nothing_written()
    {
        string run = TestTables.TrainHpc();
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "m.onnx");
        (string[] Args, string Expected)[] cases =
        [
            (["export", Path.Combine(folder, "nosuch"), "--onnx", path], "RUN " + Path.Combine(folder, "nosuch") + ": no such folder."),
            (["export", folder, "--onnx", path], "there is no model.bin in it"),
            (["export", run, "--onnx", Path.Combine(folder, "no", "m.onnx")], "does not exist"),
            (["export", run, "--onnx", folder], "that is a folder"),
            (["export", run, "--onnx", Path.Combine(run, "model.bin"), "--force"], "the run's own model.bin"),
            (["export", run], "--onnx"),
        ];
        var before = Directory.GetFiles(run);
        foreach (var (args, expected) in cases)
        {
            var (exit, output, error) = CliRunner.Run(args);
            Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}");
            Assert.Single(error.Trim().Split('\n'));
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.Equal("", output);
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder));
        Assert.Equal(before, Directory.GetFiles(run));
    }
}
