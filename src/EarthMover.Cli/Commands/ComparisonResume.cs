namespace EarthMover.Cli.Commands;

/// <summary>
/// compare --resume -o F: continues a comparison that stopped part-way (interrupted, or killed). Every training of
/// its plan without a saved result runs again from its start, in process; then the tables are written as --collect
/// writes them, which are those an uninterrupted compare writes (each training depends only on its plan entry).
/// </summary>
internal static class ComparisonResume
{
    /// <summary>Resumes the comparison in <paramref name="path"/>; returns the exit code.</summary>
    public static int Run(string path, bool quiet, TextWriter output, TextWriter error, CancellationToken cancel)
    {
        var folder = RunFolder.Existing(path, "--resume: --output");
        var plan = ComparisonPlan.Read(folder, "--resume: --output");
        int total = plan.Trainings.Count;
        var left = plan.Trainings.Where(t => !folder.Child(ComparisonJob.JobsFolder).Exists(ComparisonJob.ResultFile(t.Index))).ToArray();
        output.WriteLine($"{folder.FullPath}: {total - left.Length} of {Plural.Of(total, "training")} finished; running the other {left.Length}");
        if (left.Length > 0)
        {
            var data = plan.LoadData();
            var rounds = Comparison.RoundSplits(data, plan.Train, plan.Seeds, plan.Folds);
            var log = quiet ? TextWriter.Null : output;
            try
            {
                foreach (var training in left)
                {
                    ComparisonJob.Train(folder, plan, data, rounds[training.Round], training.Index, log, cancel);
                }
            }
            catch (OperationCanceledException)
            {
                throw new ComparisonInterrupted(folder, ComparisonJob.Finished(folder, plan), total);
            }
        }
        return ComparisonCollect.Run(folder.FullPath, partial: false, output, error);
    }
}
