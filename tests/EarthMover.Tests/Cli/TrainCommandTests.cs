using System.Text.Json;
using EarthMover.Training;

namespace EarthMover.Tests.Cli;

/// <summary>earthmover train, end to end on small real data.</summary>
[Collection(nameof(CliTests))]
public class TrainCommandTests
{
    private static readonly string[] RunFiles = ["metrics.json", "history.csv", "report.md", "learning_curves.png", "confusion.png", "checkpoint.bin", "model.bin"];

    [Fact]
    public void Trains_on_the_embedded_diamonds_and_writes_the_run_folder()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--rows", "500", "--epochs", "2", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("Fair < Good < Very Good < Premium < Ideal", output, StringComparison.Ordinal);
        foreach (var file in RunFiles)
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), $"{file} missing");
        }
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
        double mae = metrics.RootElement.GetProperty("test").GetProperty("mae").GetDouble();
        Assert.InRange(mae, 0, 4);
        var history = File.ReadAllLines(Path.Combine(folder, "history.csv"));
        Assert.Equal(3, history.Length); // header + 2 epochs
        Assert.StartsWith("epoch,train_loss,validation_loss", history[0], StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(folder, "confusion.png")).Take(4).ToArray());
    }

    [Theory]
    [InlineData("hpc_data.csv", "class", "VF,F,M,L", "emd2")]
    [InlineData("attrition.csv", "JobSatisfaction", "Low,Medium,High,Very_High", "gd-emd")]
    [InlineData("stackoverflow.csv", "CareerSatisfaction", null, "xemd2")]
    [InlineData("fair.csv", "rate_marriage", null, "regression")]
    public void Trains_on_shared_csv_data_with_each_kind_of_loss(string file, string target, string? order, string loss)
    {
        string folder = CliRunner.TempFolder();
        var args = new List<string> { "train", "--data", CliRunner.DataFile(file), "--target", target, "--loss", loss, "--epochs", "3", "-o", folder, "-q" };
        if (order is not null)
        {
            args.AddRange(["--order", order]);
        }
        var (exit, _, error) = CliRunner.Run([.. args]);
        Assert.True(exit == 0, error);
        Assert.True(File.Exists(Path.Combine(folder, "report.md")));
        if (loss == "xemd2")
        {
            Assert.True(File.Exists(Path.Combine(folder, "ground_distance.png")), "the learned ground distance is plotted");
        }
    }

    [Fact]
    public void Trains_a_cnn_on_a_fashion_mnist_slice()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", CliRunner.FashionMnistSample, "--rows", "300", "--loss", "xemd1", "--warmup", "1", "--epochs", "2", "--batch-size", "64", "-o", folder);
        Assert.True(exit == 0, error);
        Assert.Contains("T-shirt/top", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "ground_distance.png")));
    }

    [Fact]
    public void Rotation_task_labels_images_by_angle_bin()
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run("train", "--data", CliRunner.FashionMnistSample, "--task", "rotation", "--rows", "300", "--epochs", "1", "--batch-size", "64", "-o", folder, "-q");
        Assert.True(exit == 0, error);
        Assert.Contains("-60..-47°", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_resumed_run_ends_with_the_same_weights_as_an_uninterrupted_one()
    {
        string whole = CliRunner.TempFolder();
        string parts = CliRunner.TempFolder();
        string[] common = ["train", "--rows", "600", "--loss", "xemd2", "--warmup", "1", "--patience", "10", "-q"];
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "4", "-o", whole]).Exit);
        Assert.Equal(0, CliRunner.Run([.. common, "--epochs", "2", "-o", parts]).Exit);
        var (exit, _, error) = CliRunner.Run("train", "--resume", "--epochs", "4", "-o", parts, "-q");
        Assert.True(exit == 0, error);
        // Same weights up to the last bits: on a loaded machine libtorch's matrix products can round differently from
        // one process to the next (seen in CI), so bit-for-bit equality is not what a resume can promise.
        Assert.Equal(Checkpoint.ReadWeights(Path.Combine(whole, "checkpoint.bin")).Length, Checkpoint.ReadWeights(Path.Combine(parts, "checkpoint.bin")).Length);
        using var a = TrainedRun.Load(whole);
        using var b = TrainedRun.Load(parts);
        var expected = a.Model.parameters().ToArray();
        var actual = b.Model.parameters().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double scale = expected[i].abs().max().item<float>();
            double difference = (expected[i] - actual[i]).abs().max().item<float>();
            Assert.True(difference <= 1e-5 * scale + 1e-7, $"parameter {i}: largest difference {difference:G3} (largest weight {scale:G3})");
        }
    }

    [Fact]
    public async Task Ctrl_c_stops_with_exit_130_and_leaves_a_resumable_checkpoint()
    {
        string folder = CliRunner.TempFolder();
        using var cancel = new CancellationTokenSource();
        // Press Ctrl-C once the first epoch's checkpoint exists.
        var watcher = Task.Run(async () =>
        {
            while (!File.Exists(Path.Combine(folder, "checkpoint.bin")))
            {
                await Task.Delay(20);
            }
            await cancel.CancelAsync();
        });
        var (exit, _, error) = await Task.Run(() => CliRunner.Run(cancel.Token, "train", "--rows", "3000", "--epochs", "200", "--patience", "200", "--batch-size", "16", "-o", folder, "-q"));
        await watcher;
        Assert.Equal(130, exit);
        Assert.Contains("--resume", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        var (_, state) = Checkpoint.ReadHeader(Path.Combine(folder, "checkpoint.bin"));
        Assert.InRange(state.Epoch, 1, 199);
        var resumed = CliRunner.Run("train", "--resume", "--epochs", (state.Epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", folder, "-q");
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Equal(state.Epoch + 1, Checkpoint.ReadHeader(Path.Combine(folder, "checkpoint.bin")).State.Epoch);
    }

    [Fact]
    public async Task An_interrupted_compare_prints_the_command_that_resumes_it_and_resuming_gives_the_uninterrupted_tables()
    {
        // Long enough (a few seconds a training) that Ctrl-C after the first cannot come after the last, even on a busy machine.
        string[] options = ["--losses", "ce,emd2", "--seeds", "1,2", "--rows", "1500", "--epochs", "25", "--patience", "25", "-q"];
        string reference = CliRunner.TempFolder();
        var whole = CliRunner.Run(["compare", .. options, "-o", reference]);
        Assert.True(whole.Exit == 0, whole.Error);

        // Ctrl-C once the first training's result is saved, from a thread of its own (a thread-pool task can wait
        // behind busy workers for longer than the remaining trainings take).
        string folder = CliRunner.TempFolder();
        using var cancel = new CancellationTokenSource();
        var watcher = new Thread(() =>
        {
            while (!File.Exists(Path.Combine(folder, "jobs", "0.json")))
            {
                Thread.Sleep(5);
            }
            cancel.Cancel();
        }) { IsBackground = true, Priority = ThreadPriority.AboveNormal };
        watcher.Start();
        var (exit, output, error) = await Task.Run(() => CliRunner.Run(cancel.Token, ["compare", .. options, "-o", folder]));
        watcher.Join();
        Assert.True(exit == 130, $"exit {exit}: {error}{output}");
        string line = Assert.Single(error.Trim().Split('\n'));
        Assert.Matches(@"^earthmover: interrupted after [123] of 4 trainings; the finished ones are kept in .+: continue with earthmover compare --resume --output \S+$", line);
        Assert.DoesNotContain("train --resume", line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "compare.md")));
        byte[] first = File.ReadAllBytes(Path.Combine(folder, "jobs", "0.json"));

        // The printed command, as given: the finished trainings are kept, the others run, and the tables are those of the whole run.
        string[] resumeArgs = line[(line.IndexOf("continue with earthmover ", StringComparison.Ordinal) + "continue with earthmover ".Length)..].Split(' ');
        var resumed = CliRunner.Run(resumeArgs);
        Assert.True(resumed.Exit == 0, resumed.Error);
        Assert.Equal(first, File.ReadAllBytes(Path.Combine(folder, "jobs", "0.json")));
        Assert.Equal(File.ReadAllText(Path.Combine(reference, "compare.md")), File.ReadAllText(Path.Combine(folder, "compare.md")));

        // Nothing else goes with --resume: the comparison keeps the options it started with.
        var mixed = CliRunner.Run("compare", "--resume", "-o", folder, "--epochs", "5");
        Assert.Equal(2, mixed.Exit);
        Assert.Equal("earthmover: --epochs does not go with --resume: the comparison continues with the options it started with.", mixed.Error.Trim());
        Assert.Equal("earthmover: --resume needs --output: the folder of the comparison to continue.", CliRunner.Run("compare", "--resume").Error.Trim());
    }
}

/// <summary>The program's tests run one at a time: they train models, and the machine has two cores.</summary>
[CollectionDefinition(nameof(CliTests), DisableParallelization = true)]
public class CliTests
{
}
