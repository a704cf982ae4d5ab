using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EarthMover.Tests.Cli;

/// <summary>
/// compare --plan, --run-folder F --job K and --collect F: a comparison split into jobs, as a Slurm array or a
/// Kubernetes Indexed Job runs it, gives the tables of an in-process compare.
/// </summary>
[Collection(nameof(CliTests))]
public class ClusterCompareTests
{
    // Small and quick: 2 losses x 2 seeds of 600 diamonds, 2 epochs.
    private static readonly string[] Small = ["--rows", "600", "--epochs", "2", "--losses", "ce,emd2", "--seeds", "1,2"];

    [Fact]
    public void Jobs_run_as_separate_processes_in_shuffled_order_then_collected_equal_an_in_process_compare()
    {
        string root = CliRunner.TempFolder();
        string dataFolder = Path.Combine(root, "data");
        string elsewhere = Path.Combine(root, "elsewhere");
        Directory.CreateDirectory(dataFolder);
        Directory.CreateDirectory(elsewhere);
        File.Copy(CliRunner.DataFile("hpc_data.csv"), Path.Combine(dataFolder, "hpc_data.csv"));
        // A learned-distance loss too, so that the ground-distance plot is collected; --data relative to the
        // plan's folder, which the jobs do not run in.
        string[] options = ["--data", "hpc_data.csv", "--target", "class", "--order", "VF,F,M,L", "--epochs", "3", "--warmup", "1", "--losses", "ce,emd2,xemd1", "--seeds", "1,2"];
        string inProcess = Path.Combine(root, "in-process");
        string cluster = Path.Combine(root, "cluster");

        var reference = Program(dataFolder, null, ["compare", .. options, "-o", inProcess, "--quiet"]);
        Assert.True(reference.Exit == 0, reference.Error);
        var plan = Program(dataFolder, null, ["compare", .. options, "--plan", "-o", cluster]);
        Assert.True(plan.Exit == 0, plan.Error);
        Assert.Equal("trainings: 6", plan.Output.TrimEnd().Split('\n')[^1]);
        Assert.True(File.Exists(Path.Combine(cluster, "plan.json")));

        var order = Enumerable.Range(0, 6).ToArray();
        new Random(11).Shuffle(order);
        foreach (int k in order)
        {
            // Half of them find their index as a Slurm array task does, the rest as a Kubernetes pod.
            var variable = k % 2 == 0 ? ("SLURM_ARRAY_TASK_ID", $"{k}") : ("JOB_COMPLETION_INDEX", $"{k}");
            var job = Program(elsewhere, variable, ["compare", "--run-folder", cluster, "--job", "auto"]);
            Assert.True(job.Exit == 0, job.Error);
            Assert.StartsWith($"job {k} of 0..5: ", job.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(cluster, "jobs", $"{k}.json")));
        }
        Directory.CreateDirectory(Path.Combine(cluster, "logs"));
        File.WriteAllText(Path.Combine(cluster, "logs", "0.out"), "a scheduler's log");
        var collect = Program(elsewhere, null, ["compare", "--collect", cluster]);
        Assert.True(collect.Exit == 0, collect.Error);

        foreach (var file in new[] { "compare.md", "compare.png", "ground_distance_xemd1.png" })
        {
            Assert.True(File.ReadAllBytes(Path.Combine(inProcess, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(cluster, file))), $"{file} differs");
        }
        Assert.Equal(WithoutSeconds(Path.Combine(inProcess, "compare.json")), WithoutSeconds(Path.Combine(cluster, "compare.json")));
        Assert.Equal(CsvWithoutSeconds(Path.Combine(inProcess, "compare.csv")), CsvWithoutSeconds(Path.Combine(cluster, "compare.csv")));
        Assert.Equal(1 + 6, File.ReadAllLines(Path.Combine(cluster, "compare.csv")).Length);
        // Each training's run folder is where an in-process compare puts it.
        foreach (var run in Directory.GetDirectories(inProcess).Select(Path.GetFileName).Where(d => d != "jobs"))
        {
            Assert.True(File.Exists(Path.Combine(cluster, run!, "model.bin")), $"{run} has no model");
        }
    }

    [Fact]
    public void A_finished_job_is_skipped_unless_forced()
    {
        string folder = Plan(Small);
        var first = CliRunner.Run("compare", "--run-folder", folder, "--job", "1");
        Assert.True(first.Exit == 0, first.Error);
        string result = Path.Combine(folder, "jobs", "1.json");
        string text = File.ReadAllText(result);
        var written = File.GetLastWriteTimeUtc(result);

        var again = CliRunner.Run("compare", "--run-folder", folder, "--job", "1");
        Assert.Equal(0, again.Exit);
        Assert.StartsWith("job 1 of 0..3: emd2 (l=2), seed 1", again.Output, StringComparison.Ordinal);
        Assert.Contains("skipped", again.Output, StringComparison.Ordinal);
        Assert.Equal(text, File.ReadAllText(result));
        Assert.Equal(written, File.GetLastWriteTimeUtc(result));

        Thread.Sleep(20);
        var forced = CliRunner.Run("compare", "--run-folder", folder, "--job", "1", "--force");
        Assert.True(forced.Exit == 0, forced.Error);
        Assert.DoesNotContain("skipped", forced.Output, StringComparison.Ordinal);
        Assert.NotEqual(written, File.GetLastWriteTimeUtc(result));
        // The same training again: the same numbers (only the wall time may differ), to 1e-8 relative: on a loaded
        // machine libtorch's CPU matrix products may split their sums over fewer threads, which moves the last bits.
        AssertSameMetrics(Metrics(text), Metrics(File.ReadAllText(result)));
        Assert.Equal(["1.json"], Directory.GetFiles(Path.Combine(folder, "jobs")).Select(Path.GetFileName));
    }

    [Fact]
    public void Collect_lists_missing_jobs_with_their_rerun_command_and_writes_tables_only_with_partial()
    {
        string folder = Plan(Small);
        foreach (int k in new[] { 0, 1, 3 })
        {
            Assert.Equal(0, CliRunner.Run("compare", "--run-folder", folder, "--job", $"{k}").Exit);
        }
        var refused = CliRunner.Run("compare", "--collect", folder);
        Assert.Equal(1, refused.Exit);
        Assert.Contains($"missing: job 2 (ce, seed 2); rerun: earthmover compare --run-folder {folder} --job 2", refused.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("job 0", refused.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "compare.md")));
        Assert.False(File.Exists(Path.Combine(folder, "compare.json")));

        var partial = CliRunner.Run("compare", "--collect", folder, "--partial");
        Assert.True(partial.Exit == 0, partial.Error);
        Assert.Contains("missing: job 2", partial.Error, StringComparison.Ordinal);
        string markdown = File.ReadAllText(Path.Combine(folder, "compare.md"));
        Assert.Contains("**Partial**: left out for want of a result: ce, seed 2 (1 of 4 trainings).", markdown, StringComparison.Ordinal);
        Assert.Equal(1 + 3, File.ReadAllLines(Path.Combine(folder, "compare.csv")).Length);
        // The ce row averages its one finished round: that run's MAE, with no spread (one value has none).
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "compare.json")));
        double ceMae = json.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("loss").GetString() == "ce").GetProperty("metrics").GetProperty("mae").GetDouble();
        string ceRow = markdown.Split('\n').Single(l => l.StartsWith("| ce |", StringComparison.Ordinal));
        Assert.Contains(FormattableString.Invariant($"| {ceMae:0.0000} |"), ceRow, StringComparison.Ordinal);
        // compare.json names what it lacks, as compare.md does.
        Assert.Equal(new[] { "ce, seed 2" }, json.RootElement.GetProperty("missing").EnumerateArray().Select(m => m.GetString() ?? "").ToArray());
    }

    [Fact]
    public void A_failed_training_leaves_its_error_for_collect_to_list()
    {
        // A learning rate that makes the training diverge.
        string folder = Plan(["--rows", "600", "--epochs", "2", "--losses", "ce", "--seeds", "1", "--lr", "1e30"], trainings: 1);
        var job = CliRunner.Run("compare", "--run-folder", folder, "--job", "0");
        Assert.Equal(2, job.Exit);
        Assert.Contains("training diverged", job.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "jobs", "0.json")));
        var collect = CliRunner.Run("compare", "--collect", folder, "--partial");
        Assert.Equal(1, collect.Exit);
        Assert.Contains("failed: job 0 (ce, seed 1): training diverged", collect.Error, StringComparison.Ordinal);
        Assert.Contains($"rerun: earthmover compare --run-folder {folder} --job 0", collect.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(folder, "compare.md")));
    }

    [Fact]
    public void A_job_refuses_a_plan_of_another_program_version_with_one_line()
    {
        string folder = Plan(Small);
        string planFile = Path.Combine(folder, "plan.json");
        var plan = JsonNode.Parse(File.ReadAllText(planFile))!;
        plan["Version"] = "0.0.1+0000000";
        File.WriteAllText(planFile, plan.ToJsonString());
        foreach (var args in new[] { new[] { "compare", "--run-folder", folder, "--job", "0" }, ["compare", "--collect", folder] })
        {
            var (exit, output, error) = CliRunner.Run(args);
            Assert.Equal(2, exit);
            Assert.Equal("", output);
            Assert.Single(error.TrimEnd().Split('\n'));
            Assert.Contains("written by earthmover 0.0.1+0000000", error, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(Path.Combine(folder, "jobs")));
    }

    [Fact]
    public void A_job_refuses_an_edited_plan_whose_run_folder_is_not_its_own()
    {
        string folder = Plan(Small);
        string outside = Path.Combine(folder, "..", Path.GetFileName(folder) + "-outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "keep.txt"), "keep me");
        string planFile = Path.Combine(folder, "plan.json");
        var plan = JsonNode.Parse(File.ReadAllText(planFile))!;
        plan["Trainings"]![0]!["Folder"] = Path.Combine("..", Path.GetFileName(outside));
        File.WriteAllText(planFile, plan.ToJsonString());

        var (exit, _, error) = CliRunner.Run("compare", "--run-folder", folder, "--job", "0");
        Assert.Equal(2, exit);
        Assert.Contains("plan.json is not a comparison plan", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(outside, "keep.txt")));
    }

    [Fact]
    public void A_job_refuses_a_plan_whose_data_file_has_changed_with_one_line()
    {
        string root = CliRunner.TempFolder();
        Directory.CreateDirectory(root);
        string data = Path.Combine(root, "hpc_data.csv");
        File.Copy(CliRunner.DataFile("hpc_data.csv"), data);
        string folder = Path.Combine(root, "plan");
        var plan = CliRunner.Run("compare", "--data", data, "--target", "class", "--order", "VF,F,M,L", "--epochs", "2", "--losses", "ce", "--seeds", "1", "--plan", "-o", folder);
        Assert.True(plan.Exit == 0, plan.Error);
        var lines = File.ReadAllLines(data);
        File.WriteAllLines(data, lines.Take(lines.Length - 1));

        var (exit, output, error) = CliRunner.Run("compare", "--run-folder", folder, "--job", "0");
        Assert.Equal(2, exit);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains($"the data at {data} has changed since the plan was written", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "jobs")));
        Assert.False(Directory.Exists(Path.Combine(folder, "1-ce-seed-1")));
        Assert.StartsWith("job 0 of 0..0: ce, seed 1", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4", "--job 4: the plan in")]
    [InlineData("x", "--job 'x' is not a job index")]
    [InlineData("-1", "--job '-1' is not a job index")]
    [InlineData("auto", "--job auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")]
    public void A_bad_job_index_is_one_line_and_exit_code_2(string job, string message)
    {
        string folder = Plan(Small);
        var (exit, output, error) = WithoutSchedulerIndex(() => CliRunner.Run("compare", "--run-folder", folder, "--job", job));
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "jobs")));
    }

    [Theory]
    [InlineData("--run-folder", "--epochs", "3")]
    [InlineData("--collect", "--losses", "ce")]
    public void Comparison_options_do_not_go_with_a_plan_that_fixes_them(string mode, string option, string value)
    {
        string folder = Plan(Small);
        string[] args = mode == "--run-folder" ? ["compare", mode, folder, "--job", "0", option, value] : ["compare", mode, folder, option, value];
        var (exit, _, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Contains($"{option} does not go with {mode}", error, StringComparison.Ordinal);
    }

    // A plan of the small comparison in a new folder.
    private static string Plan(string[] options, int trainings = 4)
    {
        string folder = CliRunner.TempFolder();
        var (exit, output, error) = CliRunner.Run(["compare", .. options, "--plan", "-o", folder]);
        Assert.True(exit == 0, error);
        Assert.EndsWith($"trainings: {trainings}", output.TrimEnd(), StringComparison.Ordinal);
        return folder;
    }

    // The published program as a separate process, as a scheduler starts it: one thread (as the in-process
    // reference), in another folder, with at most one scheduler index in its environment.
    private static (int Exit, string Output, string Error) Program(string workingDirectory, (string Name, string Value)? variable, string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "EarthMover.Cli"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["OMP_NUM_THREADS"] = "1";
        start.Environment.Remove("SLURM_ARRAY_TASK_ID");
        start.Environment.Remove("JOB_COMPLETION_INDEX");
        if (variable is var (name, value))
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, error.Result);
    }

    private static T WithoutSchedulerIndex<T>(Func<T> action)
    {
        string? slurm = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID");
        string? kubernetes = Environment.GetEnvironmentVariable("JOB_COMPLETION_INDEX");
        Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", null);
        Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", null);
        try
        {
            return action();
        }
        finally
        {
            Environment.SetEnvironmentVariable("SLURM_ARRAY_TASK_ID", slurm);
            Environment.SetEnvironmentVariable("JOB_COMPLETION_INDEX", kubernetes);
        }
    }

    // compare.json without the wall times.
    private static string WithoutSeconds(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var result in json["results"]!.AsArray())
        {
            result!.AsObject().Remove("seconds");
        }
        return json.ToJsonString();
    }

    // compare.csv without its last column, the wall times.
    private static string[] CsvWithoutSeconds(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.EndsWith(",seconds", lines[0], StringComparison.Ordinal);
        return lines.Select(l => l[..l.LastIndexOf(',')]).ToArray();
    }

    private static string Metrics(string jobResult) => JsonNode.Parse(jobResult)!["Metrics"]!.ToJsonString();

    // Equal JSON but for numbers, which agree to 1e-8 relative.
    private static void AssertSameMetrics(string expected, string actual)
    {
        static IEnumerable<string> Tokens(string json) => System.Text.RegularExpressions.Regex.Split(json, "([-+0-9.eE]+)");
        var (e, a) = (Tokens(expected).ToArray(), Tokens(actual).ToArray());
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            if (double.TryParse(e[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.TryParse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double y))
            {
                Assert.True(Math.Abs(x - y) <= 1e-8 * Math.Max(1, Math.Abs(x)), $"{x} against {y} in {expected}");
            }
            else
            {
                Assert.Equal(e[i], a[i]);
            }
        }
    }
}
