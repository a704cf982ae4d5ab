using System.Diagnostics;
using System.Globalization;
using EarthMover.Cli.Commands;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Evidence;

/// <summary>
/// Runs a suite's trainings (every dataset x seed x loss, or one shard of them) and writes raw.csv to the output
/// folder after each one (in the suite's order: dataset, loss, seed), so that an interrupted suite keeps what it finished. Each run has its own folder (its
/// checkpoints: the best epoch's weights are the ones scored).
/// </summary>
internal static class SuiteRunner
{
    /// <summary>The raw results' file name in the output folder.</summary>
    public const string RawFile = "raw.csv";

    /// <summary>One training of the suite.</summary>
    public sealed record Job(SuiteDataset Dataset, int Seed, SuiteLoss Loss);

    /// <summary>Every training in the suite's order (dataset, seed, loss); shard k of n takes every n-th, from the k-th.</summary>
    public static IReadOnlyList<Job> Jobs(SuiteFile suite, Shard shard) =>
        suite.Datasets.SelectMany(d => suite.Seeds.SelectMany(s => suite.Losses.Select(l => new Job(d, s, l))))
            .Where((_, i) => i % shard.Count == shard.Index - 1)
            .ToArray();

    /// <summary>Trains the shard's jobs; returns the raw rows (also in raw.csv of <paramref name="output"/>).</summary>
    public static IReadOnlyList<RawRow> Run(SuiteFile suite, Shard shard, RunFolder output, Action<string> log, CancellationToken cancel)
    {
        var jobs = Jobs(suite, shard);
        var rows = new List<RawRow>();
        var total = Stopwatch.StartNew();
        int done = 0;
        foreach (var group in jobs.GroupBy(j => j.Dataset))
        {
            var dataset = group.Key;
            var dataOptions = suite.DataOptions(dataset, group.First().Seed);
            var data = DataSource.Load(dataOptions);
            int loadedSeed = group.First().Seed;
            CheckTask(suite, dataset, data);
            log($"== {dataset.Title}: {data.Count} samples, {data.ClassNames.Length} classes{(suite.Resample ? " (a subsample of its own for each seed)" : "")}");
            foreach (var job in group)
            {
                cancel.ThrowIfCancellationRequested();
                if (suite.Resample && job.Seed != loadedSeed)
                {
                    // Each seed draws its own subsample (jobs come seed by seed, so each is loaded once).
                    dataOptions = suite.DataOptions(dataset, job.Seed);
                    data = DataSource.Load(dataOptions);
                    loadedSeed = job.Seed;
                }
                var options = suite.TrainOptions(dataset, job.Seed, job.Loss);
                var split = TrainCommand.MakeSplit(data, options);
                var spec = job.Loss.Spec();
                var watch = Stopwatch.StartNew();
                var folder = output.Child(Path.Combine(Slug.Of(dataset.Title), $"{Slug.Of(job.Loss.Label)}-s{job.Seed}"));
                var result = new Trainer(data, folder, NoProgress.Instance).Run(dataOptions, spec, options, split, resume: false, cancel);
                double seconds = watch.Elapsed.TotalSeconds;
                var m = result.Test[options.Decoder];
                rows.Add(new RawRow(dataset.Title, job.Loss.Label, job.Seed, data.Count, split.Test.Length,
                    m.ExactAccuracy, m.OneOffAccuracy, m.MeanAbsoluteError, m.MacroMeanAbsoluteError, m.QuadraticWeightedKappa, m.MeanEmd,
                    result.State.BestEpoch + 1, result.State.Epoch, seconds, result.CollapseWarning is not null)
                {
                    Scores = result.TestScores,
                    ValidationScore = double.IsFinite(result.State.BestScore) ? result.State.BestScore : null,
                    Machine = MachineInfo.Current(),
                });
                RawResults.Write(output, RawFile, suite.InOrder(rows));
                done++;
                double left = total.Elapsed.TotalSeconds / done * (jobs.Count - done);
                log(string.Create(CultureInfo.InvariantCulture, $"[{done}/{jobs.Count}] {dataset.Title} | {job.Loss.Label} | seed {job.Seed}: RPS {result.TestScores.RankedProbabilityScore:0.0000}  acc {m.ExactAccuracy:0.0000}  MAE {m.MeanAbsoluteError:0.0000}  QWK {m.QuadraticWeightedKappa:0.000}  best epoch {result.State.BestEpoch + 1}/{result.State.Epoch}  {seconds:0.0} s  (about {left / 60:0} min left)"));
            }
        }
        log(string.Create(CultureInfo.InvariantCulture, $"{Plural.Of(jobs.Count, "training")} in {total.Elapsed.TotalMinutes:0.0} minutes"));
        return rows;
    }

    // The suite says what kind of data each dataset is; a folder given as csv (or a file as images) is a mistake in the file.
    private static void CheckTask(SuiteFile suite, SuiteDataset dataset, Dataset data)
    {
        if (data.IsImage != (dataset.Task != "csv"))
        {
            throw new UserError($"--suite {Path.GetFileName(suite.Path)}: dataset '{dataset.Title}': task {dataset.Task}, but its data is {(data.IsImage ? "images" : "a table")}.");
        }
    }
}

/// <summary>Which share of a suite's trainings one process runs (--shard K/N): every N-th training, from the K-th.</summary>
/// <param name="Index">K, from 1.</param>
/// <param name="Count">N.</param>
internal sealed record Shard(int Index, int Count)
{
    public static readonly Shard All = new(1, 1);

    /// <summary>Parses "K/N" with 1 ≤ K ≤ N ≤ 1000.</summary>
    public static Shard Parse(string? text)
    {
        if (text is null)
        {
            return All;
        }
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k) && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 && n <= 1000 && k >= 1 && k <= n)
        {
            return new Shard(k, n);
        }
        throw new UserError($"--shard {text}: write K/N with 1 <= K <= N <= 1000 (e.g. 1/2 and 2/2 for two processes).");
    }
}
