using System.Globalization;
using System.Text.Json;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>
/// compare --run-folder F --job K: training K of the plan in F, as one job of a Slurm array or a Kubernetes
/// Indexed Job. It writes only its own files: its run folder and, last, jobs/K.json (through a temporary name
/// and a rename), so that jobs never clash on a shared file system and a killed job leaves no result. A job
/// whose result exists is skipped (resubmitting a whole array reruns only what is missing); a training that
/// fails leaves jobs/K.failed with its error, for --collect to show.
/// </summary>
internal static class ComparisonJob
{
    /// <summary>The folder of the results, inside the comparison's.</summary>
    public const string JobsFolder = "jobs";

    /// <summary>The environment variables that --job auto reads, in turn: Slurm's array index, then Kubernetes' completion index.</summary>
    public static readonly string[] IndexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"];

    public static string ResultFile(int index) => $"{index}.json";

    public static string FailureFile(int index) => $"{index}.failed";

    /// <summary>--job as given: a whole number, or "auto" for the scheduler's index in the environment. Checked before the plan is read.</summary>
    public static int ParseIndex(string job)
    {
        string text = job;
        string source = "--job";
        if (job == "auto")
        {
            string? variable = IndexVariables.FirstOrDefault(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
            if (variable is null)
            {
                throw new UserError($"--job auto: neither {string.Join(" nor ", IndexVariables)} is set (run it as a Slurm array task or in a Kubernetes Indexed Job), or give the index: --job K.");
            }
            text = Environment.GetEnvironmentVariable(variable)!;
            source = $"--job auto: {variable}";
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            ? index
            : System.Numerics.BigInteger.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? throw new UserError($"{source} {text} is too large for a job index (a plan has far fewer jobs).")
                : throw new UserError($"{source} '{text}' is not a job index (a whole number >= 0, or auto).");
    }

    /// <summary>Runs training <paramref name="index"/> of the plan in <paramref name="path"/>; returns the exit code.</summary>
    public static int Run(string path, int index, bool force, TextWriter output, CancellationToken cancel)
    {
        var folder = RunFolder.Existing(path, "--run-folder");
        var plan = ComparisonPlan.Read(folder, "--run-folder");
        if (index >= plan.Trainings.Count)
        {
            throw new UserError($"--job {index}: the plan in {folder.Given} has jobs 0 to {plan.Trainings.Count - 1}.");
        }
        var training = plan.Trainings[index];
        var jobs = folder.Child(JobsFolder);
        output.WriteLine($"job {index} of 0..{plan.Trainings.Count - 1}: {training.LossName}, {training.RoundName}");
        if (jobs.Exists(ResultFile(index)) && !force)
        {
            output.WriteLine($"job {index}: already finished ({jobs.PathOf(ResultFile(index))}), skipped; --force runs it again.");
            return 0;
        }
        var data = plan.LoadData();
        Train(folder, plan, data, Comparison.RoundSplits(data, plan.Train, plan.Seeds, plan.Folds)[training.Round], index, output, cancel);
        return 0;
    }

    /// <summary>
    /// Trains entry <paramref name="index"/> of <paramref name="plan"/> on <paramref name="data"/> (the plan's data, loaded
    /// once by the caller) with its round's options and split, and saves its result; an earlier attempt's run folder
    /// and failure note go first.
    /// </summary>
    public static ComparisonRun Train(RunFolder folder, ComparisonPlan plan, Dataset data, (TrainOptions Options, Split Split) round, int index, TextWriter output, CancellationToken cancel)
    {
        var training = plan.Trainings[index];
        var jobs = folder.Child(JobsFolder);
        var (options, split) = round;
        output.Flush();

        // A rerun starts from nothing: the run folder of an earlier attempt (killed, failed or forced) goes first.
        var runFolder = folder.Child(training.Folder);
        if (Directory.Exists(runFolder.FullPath))
        {
            Directory.Delete(runFolder.FullPath, recursive: true);
        }
        if (jobs.Exists(FailureFile(index)))
        {
            File.Delete(jobs.PathOf(FailureFile(index)));
        }
        ComparisonRun run;
        try
        {
            run = ComparisonRun.Train(index, data, plan.Data, training.Spec, options, split, training.RoundName, runFolder, cancel);
        }
        catch (Exception e)
        {
            string reason = e is OperationCanceledException ? "interrupted (cancelled, or past its time limit)" : e.Message.Split('\n')[0].Trim();
            jobs.WriteText(FailureFile(index), reason + Environment.NewLine);
            throw;
        }
        Save(folder, run);
        output.WriteLine(run.Describe());
        output.WriteLine($"written: {jobs.PathOf(ResultFile(index))}");
        return run;
    }

    /// <summary>Saves a finished training's result as jobs/&lt;index&gt;.json in the comparison's folder (written whole or not at all).</summary>
    public static void Save(RunFolder folder, ComparisonRun run) =>
        folder.Child(JobsFolder).WriteText(ResultFile(run.Index), JsonSerializer.Serialize(run, RunConfig.Json));

    /// <summary>How many of the plan's trainings have a saved result in <paramref name="folder"/>.</summary>
    public static int Finished(RunFolder folder, ComparisonPlan plan) =>
        plan.Trainings.Count(t => folder.Child(JobsFolder).Exists(ResultFile(t.Index)));
}
