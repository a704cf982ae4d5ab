using EarthMover.Tests.Support;

namespace EarthMover.Tests.Cli;

/// <summary>
/// No command writes over a file silently: an input or a file of the run is refused even with --force (that
/// would destroy what the command reads), an earlier output is replaced only with --force. Each refusal is one
/// line, exit 2, and leaves the file as it was.
/// </summary>
[Collection(nameof(CliTests))]
public class OverwriteTests : IClassFixture<OverwriteTests.Run>
{
    private readonly string _run;

    public OverwriteTests(Run run) => _run = run.Folder;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Predict_never_writes_over_its_input_csv(bool force)
    {
        string data = Copy(TestTables.Hpc);
        byte[] before = File.ReadAllBytes(data);
        string error = Refused(["predict", "--run", _run, "--data", data, "-o", data, .. Force(force)]);
        Assert.Contains("is the --data file, which this command reads", error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(data));
    }

    [Theory]
    [InlineData("model.bin")]
    [InlineData("checkpoint.bin")]
    [InlineData("metrics.json")]
    public void Predict_and_evaluate_never_write_over_a_file_of_the_run(string name)
    {
        string file = Path.Combine(_run, name);
        byte[] before = File.ReadAllBytes(file);
        Assert.Contains($"is the run's own {name}", Refused("predict", "--run", _run, "--data", TestTables.Hpc, "-o", file, "--force"), StringComparison.Ordinal);
        Assert.Contains($"is the run's own {name}", Refused("evaluate", "--run", _run, "-o", file, "--force"), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public void Predict_replaces_an_earlier_output_only_with_force()
    {
        string output = CliRunner.TempFolder() + ".csv";
        File.WriteAllText(output, "an earlier file\n");
        Assert.Contains("exists; pass --force to replace it", Refused("predict", "--run", _run, "--data", TestTables.Hpc, "-o", output), StringComparison.Ordinal);
        Assert.Equal("an earlier file\n", File.ReadAllText(output));
        var (exit, _, error) = CliRunner.Run("predict", "--run", _run, "--data", TestTables.Hpc, "-o", output, "--force");
        Assert.True(exit == 0, error);
        Assert.StartsWith("row,predicted,", File.ReadAllText(output), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_replaces_its_evaluation_json_only_with_force_and_writes_elsewhere_with_output()
    {
        string run = Copy(_run);
        string evaluation = Path.Combine(run, "evaluation.json");
        var first = CliRunner.Run("evaluate", "--run", run);
        Assert.True(first.Exit == 0, first.Error);
        Assert.Contains($"written: {evaluation}", TestTables.Plain(first.Output), StringComparison.Ordinal);
        string written = File.ReadAllText(evaluation);
        Assert.Contains("exists; pass --force to replace it", Refused("evaluate", "--run", run, "--split", "all"), StringComparison.Ordinal);
        Assert.Equal(written, File.ReadAllText(evaluation));
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run, "--split", "all", "--force").Exit);
        Assert.Contains("\"split\": \"all\"", File.ReadAllText(evaluation), StringComparison.Ordinal);
        string elsewhere = CliRunner.TempFolder() + ".json";
        Assert.Equal(0, CliRunner.Run("evaluate", "--run", run, "-o", elsewhere).Exit);
        Assert.Contains("\"split\": \"test\"", File.ReadAllText(elsewhere), StringComparison.Ordinal);
        Assert.Contains("is the --data file", Refused("evaluate", "--run", run, "--data", TestTables.Hpc, "-o", TestTables.Hpc, "--force"), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_replaces_its_page_only_with_force_and_never_writes_over_a_raw_file()
    {
        string suite = RepositoryRoot.Of("docs", "evidence", "suite.json");
        string raw = Copy(RepositoryRoot.Of("docs", "evidence", "raw.csv"));
        string page = Path.Combine(Path.GetDirectoryName(raw)!, "page.md");
        File.WriteAllText(page, "mine\n");
        Assert.Contains("exists; pass --force to replace it", Refused("report", "--suite", suite, "--raw", raw, "-o", page), StringComparison.Ordinal);
        Assert.Equal("mine\n", File.ReadAllText(page));
        byte[] before = File.ReadAllBytes(raw);
        Assert.Contains("is a --raw file, which this command reads", Refused("report", "--suite", suite, "--raw", raw, "-o", page, "--save-raw", raw, "--force"), StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(raw));
        Assert.Equal("mine\n", File.ReadAllText(page));
    }

    private static string[] Force(bool force) => force ? ["--force"] : [];

    // A copy of a file or a folder (its files) in a new temporary folder.
    private static string Copy(string path)
    {
        string folder = CliRunner.TempFolder();
        Directory.CreateDirectory(folder);
        if (File.Exists(path))
        {
            string file = Path.Combine(folder, Path.GetFileName(path));
            File.Copy(path, file);
            return file;
        }
        foreach (var file in Directory.GetFiles(path))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }
        return folder;
    }

    private static string Refused(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.True(exit == 2, $"{string.Join(' ', args)}: exit {exit}: {error}");
        Assert.Single(error.Trim().Split('\n'));
        return error;
    }

    /// <summary>A small trained run.</summary>
    public sealed class Run
    {
        public Run() => Folder = TestTables.TrainHpc();

        public string Folder { get; }
    }
}
