using System.Text.Json;
using EarthMover.Cli.Reports;

namespace EarthMover.Cli.Commands;

/// <summary>
/// compare --collect F: the tables of a comparison whose trainings ran as separate jobs (compare --run-folder F
/// --job K), from their results in F/jobs. It writes compare.md, compare.json, compare.csv and the plots as an
/// in-process compare with the same options would (the same numbers, since every training depends only on its
/// entry in the plan). Trainings without a result are listed with the command that reruns each; the tables
/// are written only when none is missing, or with --partial.
/// </summary>
internal static class ComparisonCollect
{
    /// <summary>Collects the plan in <paramref name="path"/>; returns the exit code (1 when trainings are missing and not --partial).</summary>
    public static int Run(string path, bool partial, TextWriter output, TextWriter error)
    {
        var folder = RunFolder.Existing(path, "--collect");
        var plan = ComparisonPlan.Read(folder, "--collect");
        var jobs = folder.Child(ComparisonJob.JobsFolder);
        var comparison = new Comparison(plan.Dataset, plan.Classes, plan.Losses, plan.Rounds);
        comparison.DataNotes.AddRange(plan.DataNotes ?? []);
        int found = 0;
        foreach (var training in plan.Trainings)
        {
            int k = training.Index;
            string? problem = null;
            if (jobs.Exists(ComparisonJob.ResultFile(k)))
            {
                var run = ReadResult(jobs.PathOf(ComparisonJob.ResultFile(k)));
                if (run is null || run.Index != k || run.Loss != training.LossName || run.Round != training.RoundName)
                {
                    problem = $"failed: job {k} ({training.LossName}, {training.RoundName}): {jobs.PathOf(ComparisonJob.ResultFile(k))} is not this training's result";
                }
                else
                {
                    comparison.Add(training.Loss, training.Round, run);
                    found++;
                }
            }
            else if (jobs.Exists(ComparisonJob.FailureFile(k)))
            {
                string reason = File.ReadAllText(jobs.PathOf(ComparisonJob.FailureFile(k))).Trim();
                problem = $"failed: job {k} ({training.LossName}, {training.RoundName}): {reason}";
            }
            else
            {
                problem = $"missing: job {k} ({training.LossName}, {training.RoundName})";
            }
            if (problem is not null)
            {
                error.WriteLine($"{problem}; rerun: {ComparisonPlan.RerunCommand(folder, k)}");
                comparison.Missing.Add($"{training.LossName}, {training.RoundName}");
            }
        }
        int total = plan.Trainings.Count;
        if (found < total && (!partial || found == 0))
        {
            error.WriteLine(found == 0
                ? $"{CliApp.Name}: none of the {total} trainings has a result; no tables written."
                : $"{CliApp.Name}: {total - found} of {total} trainings have no result; no tables written (rerun them, or --partial writes the tables from the {found} others).");
            return 1;
        }
        comparison.Write(folder);
        // As an in-process compare: the tables as Markdown on standard output, then where they are.
        output.Write(comparison.Markdown(2));
        output.WriteLine($"written: {folder.PathOf("compare.md")} ({found} of {total} trainings)");
        return 0;
    }

    private static ComparisonRun? ReadResult(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ComparisonRun>(File.ReadAllText(path), RunConfig.Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
