using System.Text.Json;
using System.Text.RegularExpressions;
using EarthMover.Cli;
using EarthMover.Cli.Commands;
using EarthMover.Training;
using Spectre.Console.Testing;

namespace EarthMover.Tests.Cli;

/// <summary>What the program prints and writes reads well: unwrapped, escaped, in the user's words, fitting 80 columns.</summary>
[Collection(nameof(CliTests))]
public partial class OutputTests
{
    [Fact]
    public void Usage_help_and_errors_say_earthmover_and_show_values_as_typed()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("earthmover [command] [options]", output, StringComparison.Ordinal);
        var help = CliRunner.Run("train", "--help").Output;
        Assert.Contains("earthmover train [options]", help, StringComparison.Ordinal);
        Assert.Contains("--decoder <argmax|median|expectation>", help, StringComparison.Ordinal);
        Assert.Contains("[default: argmax]", help, StringComparison.Ordinal);
        Assert.Contains("--missing <drop|impute>", help, StringComparison.Ordinal);
        Assert.Contains("[default: rps]", help, StringComparison.Ordinal);
        Assert.DoesNotContain("EarthMover.Cli", help, StringComparison.Ordinal);
        Assert.Equal("earthmover: --rows: 'x' is not a whole number. (see earthmover train --help)", CliRunner.Run("train", "--rows", "x").Error.Trim());
        Assert.Equal("earthmover: --lr: 'fast' is not a number. (see earthmover train --help)", CliRunner.Run("train", "--lr", "fast").Error.Trim());
        Assert.Equal("earthmover: --epochs needs a value (a whole number). (see earthmover train --help)", CliRunner.Run("train", "--epochs").Error.Trim());
        var decoder = CliRunner.Run("evaluate", "--run", CliRunner.TempFolder(), "--decoder", "mode");
        Assert.DoesNotContain("EarthMover.", decoder.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", CliRunner.Run("train", "--seed", "1.5").Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_help_gives_its_own_output_default()
    {
        var help = CliRunner.Run("compare", "--help").Output;
        Assert.Contains("default runs/compare", help, StringComparison.Ordinal);
        Assert.DoesNotContain("runs/<data>", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "trian" }, "'trian' is not a command; did you mean train?")]
    [InlineData(new[] { "evalute" }, "did you mean evaluate?")]
    [InlineData(new[] { "train", "--epoch", "3" }, "earthmover train has no option --epoch; did you mean --epochs?")]
    [InlineData(new[] { "compare", "--loss", "ce" }, "did you mean --losses?")]
    [InlineData(new[] { "train", "--loss", "emd3" }, "--loss: 'emd3' is not a loss; did you mean emd2?")]
    [InlineData(new[] { "compare", "--losses", "ce,emd3", "--rows", "300" }, "--losses: 'emd3' is not a loss")]
    [InlineData(new[] { "compare", "--losses", "ce,ce" }, "--losses names ce more than once")]
    [InlineData(new[] { "compare", "--seeds", "1,2,1" }, "--seeds names 1 more than once")]
    [InlineData(new[] { "train", "--validation", "0.9", "--test", "0.5" }, "together they must stay below 1")]
    [InlineData(new[] { "train", "--rows", "300", "--hidden", "8192,8192", "-o", "{out}" }, "the limit is 20 million")]
    [InlineData(new[] { "train", "--data", "{hpc}", "--target", "class", "--order", "VF,F,M,L", "--ignore", "protocol,compounds,input_fields,iterations,num_pending,hour,day", "-o", "{out}" }, "no feature columns")]
    [InlineData(new[] { "train", "--data", "{hpc}", "--target", "class", "--order", "VF,F,M,L", "--rows", "20", "--test", "0.01", "-o", "{out}" }, "--test: the test split of 20 rows is empty")]
    public void Mistakes_get_one_helpful_line(string[] args, string expected)
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(args.Select(a => a.Replace("{out}", folder, StringComparison.Ordinal).Replace("{hpc}", CliRunner.DataFile("hpc_data.csv"), StringComparison.Ordinal)).ToArray());
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void Libtorch_out_of_memory_is_recognised()
    {
        var failure = Assert.ThrowsAny<Exception>(() => TorchSharp.torch.empty(1L << 50));
        Assert.NotNull(CliApp.DescribeOutOfMemory(failure));
        Assert.Null(CliApp.DescribeOutOfMemory(new InvalidOperationException("no")));
    }

    [Fact]
    public void Compare_output_is_unwrapped_escaped_markdown_with_best_epochs_and_one_round()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("compare", "--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L",
            "--losses", "ce,gd-emd", "--seeds", "4", "--epochs", "2", "--positions", "0,1,2,3", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        // The loss label holds '|', escaped in the table; every table row is whole on its line.
        Assert.Contains(@"| gd-emd (D=\|xi-xj\|^1, positions 0,1,2,3) |", output, StringComparison.Ordinal);
        foreach (var line in output.Split('\n').Where(l => l.StartsWith('|')))
        {
            Assert.EndsWith("|", line.TrimEnd('\r'), StringComparison.Ordinal);
        }
        Assert.Contains("1 round (seed 4)", output, StringComparison.Ordinal);
        Assert.Contains("higher is better", output, StringComparison.Ordinal);
        Assert.Contains("macro MAE: ", output, StringComparison.Ordinal);
        Assert.Contains("mean EMD: ", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        foreach (var run in json.RootElement.GetProperty("results").EnumerateArray())
        {
            Assert.InRange(run.GetProperty("best_epoch").GetInt32(), 1, 2);
            Assert.True(run.GetProperty("seconds").GetDouble() > 0);
        }
        var csv = File.ReadAllLines(Path.Combine(folder, "compare.csv"));
        Assert.Contains("best_epoch", csv[0], StringComparison.Ordinal);
        Assert.Contains("seconds", csv[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Long_lines_on_a_redirected_stdout_are_not_wrapped()
    {
        string folder = Path.Combine(CliRunner.TempFolder(), new string('d', 150), new string('e', 100));
        var (exit, output, error) = CliRunner.Run("train", "--data", CliRunner.DataFile("hpc_data.csv"), "--target", "class", "--order", "VF,F,M,L", "--epochs", "1", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains($"run folder {folder}", output, StringComparison.Ordinal);
        Assert.Contains("higher is better", File.ReadAllText(Path.Combine(folder, "report.md")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Progress_fits_an_80_column_terminal(bool interactive)
    {
        var console = new TestConsole().Width(80);
        var rows = new List<string>();
        console.Profile.Capabilities.Interactive = interactive;
        console.EmitAnsiSequences = interactive;
        ProgressDisplay.Run(console, quiet: false, progress =>
        {
            progress.Message("resuming after epoch 997 (best so far: epoch 990)");
            for (int epoch = 997; epoch < 1000; epoch++)
            {
                progress.EpochStarted(epoch, 1000, 3);
                for (int batch = 1; batch <= 3; batch++)
                {
                    progress.BatchDone(batch, 12345.6789);
                    if (interactive)
                    {
                        Thread.Sleep(120); // let the live display refresh (every 100 ms)
                    }
                }
                var record = new EpochRecord(epoch + 1, 12345.6789, 1.5, 10.1234, 0.9876, -0.1234, 1234.5, 10.1234, 0.99, 3, epoch > 997);
                progress.EpochDone(record, epoch == 999);
                rows.Add(ProgressDisplay.Row(record, 1000, epoch == 999));
            }
            return 0;
        });
        // A terminal starts a new line at \n and returns to the first column at \r; the escape codes (cursor moves, colours) take no columns.
        var lines = AnsiEscape().Replace(console.Output, "").Split('\n', '\r');
        // Each epoch's row is whole on one line (Spectre wraps what does not fit).
        Assert.Contains(ProgressDisplay.Header, lines);
        Assert.All(rows, row => Assert.Contains(row, lines.Select(l => l.TrimEnd())));
        Assert.Contains("warm-up", rows[0], StringComparison.Ordinal);
        Assert.EndsWith("best", rows[2], StringComparison.Ordinal);
        if (interactive)
        {
            // The bar of the running epoch: its description, the bar and the percentage on one line.
            Assert.Contains(lines, l => l.Contains("epoch 1000/1000  loss 12345.6789", StringComparison.Ordinal) && l.Contains('%', StringComparison.Ordinal));
        }
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 80, $"{l.Length} columns: {l}"));
    }

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
