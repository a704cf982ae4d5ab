using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;
using ScottPlot;

namespace EarthMover.Cli.Commands;

/// <summary>
/// Several losses x several seeds (or folds) on one dataset: each run trained and scored on its test rows, then
/// mean ± std per metric and loss, and wins against the baseline loss paired by seed (or fold).
/// </summary>
internal sealed class Comparison
{
    /// <summary>The metrics compared, with whether higher is better.</summary>
    public static readonly (string Name, Func<OrdinalMetrics, double> Value, bool HigherIsBetter)[] Metrics =
    [
        ("exact accuracy", m => m.ExactAccuracy, true),
        ("one-off accuracy", m => m.OneOffAccuracy, true),
        ("MAE", m => m.MeanAbsoluteError, false),
        ("macro MAE", m => m.MacroMeanAbsoluteError, false),
        ("QWK", m => m.QuadraticWeightedKappa, true),
        ("mean EMD", m => m.MeanEmd, false),
    ];

    private static readonly int[] PairedMetrics = [0, 1, 2, 4];

    public Comparison(string dataset, IReadOnlyList<string> classNames, IReadOnlyList<LossSpec> losses, IReadOnlyList<string> rounds)
    {
        Dataset = dataset;
        ClassNames = classNames;
        Losses = losses;
        Rounds = rounds;
    }

    public string Dataset { get; }

    public IReadOnlyList<string> ClassNames { get; }

    public IReadOnlyList<LossSpec> Losses { get; }

    /// <summary>"seed 1", "seed 2", ... or "fold 1", ...</summary>
    public IReadOnlyList<string> Rounds { get; }

    /// <summary>Test metrics by (loss index, round index).</summary>
    public Dictionary<(int Loss, int Round), OrdinalMetrics> Results { get; } = [];

    /// <summary>NIMA's test metrics by (loss index, round index), when the data has target distributions.</summary>
    public Dictionary<(int Loss, int Round), DistributionMetrics> DistributionResults { get; } = [];

    /// <summary>The proper scores (RPS, log loss, Brier) of each run's test distributions, when recorded.</summary>
    public Dictionary<(int Loss, int Round), ProperScoreMeans> ProperResults { get; } = [];

    /// <summary>Wall time of each run, in seconds.</summary>
    public Dictionary<(int Loss, int Round), double> Seconds { get; } = [];

    /// <summary>Each run's best epoch (from 1) and the epochs it ran.</summary>
    public Dictionary<(int Loss, int Round), (int Best, int Run)> Epochs { get; } = [];

    /// <summary>Runs whose best model predicts one class for at least 95% of the validation rows.</summary>
    public List<string> Collapsed { get; } = [];

    /// <summary>The learned ground distance of the first round of each learned-xemd loss, for plots.</summary>
    public Dictionary<int, GroundDistance> Distances { get; } = [];

    /// <summary>The training options and split of each round: one per seed, or one per fold (seeded by the options' seed).</summary>
    public static IReadOnlyList<(TrainOptions Options, Split Split)> RoundSplits(Dataset data, TrainOptions train, IReadOnlyList<int> seeds, int? folds)
    {
        if (folds is int k)
        {
            int[][] foldRows = Splits.Folds(data.Labels, data.ClassNames.Length, k, train.Seed);
            return Enumerable.Range(0, k).Select(f => (train, FoldSplit(data, foldRows, f, train))).ToArray();
        }
        return seeds.Select(seed => train with { Seed = seed }).Select(options => (options, TrainCommand.MakeSplit(data, options))).ToArray();
    }

    /// <summary>"seed 1", "seed 2", ... or "fold 1", ..., "fold k".</summary>
    public static string[] RoundNames(IReadOnlyList<int> seeds, int? folds) =>
        folds is int k ? Enumerable.Range(1, k).Select(f => $"fold {f}").ToArray() : seeds.Select(s => $"seed {s}").ToArray();

    public static Comparison Run(Dataset data, DataOptions dataOptions, IReadOnlyList<LossSpec> losses, TrainOptions train, IReadOnlyList<int> seeds, int? folds, RunFolder folder, Action<string> log, CancellationToken cancel)
    {
        var rounds = RoundNames(seeds, folds);
        var comparison = new Comparison(data.Name, data.ClassNames, losses, rounds);
        comparison.DataNotes.AddRange(data.Notes);
        var splits = RoundSplits(data, train, seeds, folds);
        for (int r = 0; r < rounds.Length; r++)
        {
            var (options, split) = splits[r];
            for (int l = 0; l < losses.Count; l++)
            {
                cancel.ThrowIfCancellationRequested();
                var runFolder = folder.Child(ComparisonRun.FolderName(l, losses[l], rounds[r]));
                var run = ComparisonRun.Train(r * losses.Count + l, data, dataOptions, losses[l], options, split, rounds[r], runFolder, cancel);
                // Saved as a job's result is, so that an interrupted comparison resumes (compare --resume) from here.
                ComparisonJob.Save(folder, run);
                comparison.Add(l, r, run);
                log(run.Describe());
            }
        }
        return comparison;
    }

    /// <summary>Records the training of loss <paramref name="loss"/> in round <paramref name="round"/> (in the plan's order, so that the list of collapsed runs keeps it).</summary>
    public void Add(int loss, int round, ComparisonRun run)
    {
        Results[(loss, round)] = run.Metrics;
        if (run.Distribution is { } distribution)
        {
            DistributionResults[(loss, round)] = distribution;
        }
        if (run.Scores is { } scores)
        {
            ProperResults[(loss, round)] = scores;
        }
        Seconds[(loss, round)] = run.Seconds;
        Epochs[(loss, round)] = (run.BestEpoch, run.EpochsRun);
        if (run.Collapsed is { } collapsed)
        {
            Collapsed.Add(collapsed);
        }
        if (round == 0 && run.GroundDistance is { } distance)
        {
            Distances[loss] = distance;
        }
    }

    /// <summary>What reading the data did (rows dropped or imputed for missing values, columns used); printed, and written to compare.json and compare.md.</summary>
    public List<string> DataNotes { get; } = [];

    /// <summary>Trainings without a result (a comparison collected with --partial), as "loss, round"; listed in the Markdown.</summary>
    public List<string> Missing { get; } = [];

    /// <summary>Mean and sample standard deviation of a metric over the rounds of a loss (those with a result); NaN without any (the deviation NaN with one: there is no spread to show).</summary>
    public (double Mean, double Std) Summary(int loss, int metric)
    {
        var values = Enumerable.Range(0, Rounds.Count).Where(r => Results.ContainsKey((loss, r))).Select(r => Metrics[metric].Value(Results[(loss, r)])).ToArray();
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = values.Average();
        double std = values.Length < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return (mean, std);
    }

    /// <summary>A table cell: "mean ± std", the mean alone when one round gives no spread, "—" without a result.</summary>
    public static string Cell(double mean, double std) =>
        double.IsNaN(mean) ? "—" : double.IsNaN(std) ? string.Create(CultureInfo.InvariantCulture, $"{mean:0.0000}") : string.Create(CultureInfo.InvariantCulture, $"{mean:0.0000} ± {std:0.0000}");

    // What the cells show: one round has no spread.
    private string Spread => Rounds.Count < 2 ? "one round, so no spread (± std) is shown" : "mean ± std over rounds";

    /// <summary>Mean and sample standard deviation of a proper score (0 RPS, 1 log loss, 2 Brier) over the rounds of a loss that recorded it; NaN without any.</summary>
    public (double Mean, double Std) ProperSummary(int loss, int score)
    {
        var values = Enumerable.Range(0, Rounds.Count).Where(r => ProperResults.ContainsKey((loss, r))).Select(r => ProperCells.Values(ProperResults[(loss, r)])[score]).ToArray();
        if (values.Length == 0)
        {
            return (double.NaN, double.NaN);
        }
        double mean = values.Average();
        double std = values.Length < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        return (mean, std);
    }

    /// <summary>Rounds where <paramref name="loss"/> has a lower test RPS than the baseline (loss 0), and a higher one (rounds where both recorded it).</summary>
    public (int Wins, int Losses) PairedRps(int loss)
    {
        int wins = 0, defeats = 0;
        for (int r = 0; r < Rounds.Count; r++)
        {
            if (ProperResults.TryGetValue((loss, r), out var mine) && ProperResults.TryGetValue((0, r), out var theirs))
            {
                double better = theirs.RankedProbabilityScore - mine.RankedProbabilityScore;
                wins += better > 1e-12 ? 1 : 0;
                defeats += better < -1e-12 ? 1 : 0;
            }
        }
        return (wins, defeats);
    }

    /// <summary>Rounds where <paramref name="loss"/> beats the baseline (loss 0) on a metric, and where it loses (rounds where both have a result).</summary>
    public (int Wins, int Losses) Paired(int loss, int metric)
    {
        int wins = 0, defeats = 0;
        for (int r = 0; r < Rounds.Count; r++)
        {
            if (!Results.ContainsKey((loss, r)) || !Results.ContainsKey((0, r)))
            {
                continue;
            }
            double mine = Metrics[metric].Value(Results[(loss, r)]);
            double theirs = Metrics[metric].Value(Results[(0, r)]);
            double better = Metrics[metric].HigherIsBetter ? mine - theirs : theirs - mine;
            wins += better > 1e-12 ? 1 : 0;
            defeats += better < -1e-12 ? 1 : 0;
        }
        return (wins, defeats);
    }

    public void Write(RunFolder folder)
    {
        folder.WriteText("compare.md", Markdown(1));
        folder.WriteText("compare.json", JsonSerializer.Serialize(new
        {
            dataset = Dataset,
            classes = ClassNames,
            rounds = Rounds,
            losses = Losses.Select(l => l.Describe()),
            results = Results.OrderBy(p => p.Key.Loss).ThenBy(p => p.Key.Round).Select(p => new
            {
                loss = Losses[p.Key.Loss].Describe(),
                round = Rounds[p.Key.Round],
                best_epoch = Epochs[p.Key].Best,
                epochs_run = Epochs[p.Key].Run,
                seconds = Seconds[p.Key],
                metrics = RunReport.Describe(p.Value),
                proper_scores = ProperResults.TryGetValue(p.Key, out var s) ? ProperCells.Describe(s) : null,
                distribution_metrics = DistributionResults.TryGetValue(p.Key, out var d) ? DistributionCells.Describe(d) : null,
            }),
            collapsed = Collapsed,
            data_notes = DataNotes,
            // The trainings left out of a --partial collect ("loss, round"); empty for a complete comparison.
            missing = Missing,
        }, RunConfig.Json));
        folder.WriteAtomic("compare.csv", stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(Results.OrderBy(p => p.Key.Loss).ThenBy(p => p.Key.Round).Select(p => new
            {
                loss = Losses[p.Key.Loss].Describe(),
                round = Rounds[p.Key.Round],
                exact_accuracy = p.Value.ExactAccuracy,
                one_off_accuracy = p.Value.OneOffAccuracy,
                mae = p.Value.MeanAbsoluteError,
                macro_mae = p.Value.MacroMeanAbsoluteError,
                qwk = p.Value.QuadraticWeightedKappa,
                mean_emd = p.Value.MeanEmd,
                rps = ProperResults.TryGetValue(p.Key, out var s) ? s.RankedProbabilityScore : (double?)null,
                log_loss = ProperResults.TryGetValue(p.Key, out var l) ? l.LogLoss : (double?)null,
                brier = ProperResults.TryGetValue(p.Key, out var b) ? b.BrierScore : (double?)null,
                best_epoch = Epochs[p.Key].Best,
                epochs_run = Epochs[p.Key].Run,
                seconds = Seconds[p.Key],
            }));
        });
        WritePlot(folder, "compare.png");
        foreach (var (loss, distance) in Distances)
        {
            Plots.WriteGroundDistance(folder, distance, ClassNames, $"{Dataset}: ground distance ({Losses[loss].Name}, {Rounds[0]})");
            File.Move(folder.PathOf(Plots.GroundDistance), folder.PathOf($"ground_distance_{Losses[loss].Name}.png"), overwrite: true);
        }
    }

    /// <summary>The comparison as Markdown tables; <paramref name="level"/> sets the heading depth.</summary>
    public string Markdown(int level)
    {
        var text = new StringBuilder();
        string heading = new('#', level);
        text.AppendLine(CultureInfo.InvariantCulture, $"{heading} {Dataset}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Classes: {string.Join(" < ", ClassNames)}. {Plural.Of(Rounds.Count, "round")} ({string.Join(", ", Rounds)}); test metrics of each run's best validation epoch, {Spread}.");
        text.AppendLine();
        if (DataNotes.Count > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Data: {string.Join("; ", DataNotes)}.");
            text.AppendLine();
        }
        int[] order = [0, 1, 2, 4, 3, 5];
        text.AppendLine(Reports.Markdown.Row(["loss", .. ProperCells.Headers, .. order.Select(m => MetricCells.Headers[m])]));
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int l = 0; l < Losses.Count; l++)
        {
            var proper = Enumerable.Range(0, ProperCells.Headers.Length).Select(m =>
            {
                var (mean, std) = ProperSummary(l, m);
                return Cell(mean, std);
            });
            var cells = order.Select(m =>
            {
                var (mean, std) = Summary(l, m);
                return Cell(mean, std);
            });
            text.AppendLine(Reports.Markdown.Row([Losses[l].Describe(), .. proper, .. cells]));
        }
        text.AppendLine();
        foreach (var line in ProperCells.Legend.Concat(MetricCells.Legend))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{line}  ");
        }
        if (DistributionResults.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Against the target distributions, {Spread}:");
            text.AppendLine();
            text.AppendLine(Reports.Markdown.Row(["loss", .. DistributionCells.Headers]));
            text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            for (int l = 0; l < Losses.Count; l++)
            {
                var cells = Enumerable.Range(0, DistributionCells.Headers.Length).Select(m =>
                {
                    var values = Enumerable.Range(0, Rounds.Count).Where(r => DistributionResults.ContainsKey((l, r))).Select(r => DistributionCells.Values(DistributionResults[(l, r)])[m]).ToArray();
                    if (values.Length == 0)
                    {
                        return "–";
                    }
                    double mean = values.Average();
                    double std = values.Length < 2 ? double.NaN : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
                    return Cell(mean, std);
                });
                text.AppendLine(Reports.Markdown.Row([Losses[l].Describe(), .. cells]));
            }
            text.AppendLine();
            foreach (var line in DistributionCells.Legend)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{line}  ");
            }
        }
        if (Missing.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**Partial**: left out for want of a result: {string.Join("; ", Missing)} ({Missing.Count} of {Plural.Of(Losses.Count * Rounds.Count, "training")}).");
        }
        if (Collapsed.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"**Collapsed** (the best model predicts one class for at least {Text.Percent(Trainer.CollapseShare)} of the validation rows): {string.Join("; ", Collapsed)}.");
        }
        if (Losses.Count > 1)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Paired by round against {Losses[0].Name}: wins–losses (rounds where the loss is better – worse).");
            text.AppendLine();
            text.AppendLine(Reports.Markdown.Row(["loss", ProperCells.Headers[0], .. PairedMetrics.Select(m => MetricCells.Headers[m])]));
            text.AppendLine("|---|---:|---:|---:|---:|---:|");
            for (int l = 1; l < Losses.Count; l++)
            {
                var cells = PairedMetrics.Select(m =>
                {
                    var (wins, defeats) = Paired(l, m);
                    return $"{wins}–{defeats}";
                });
                var (rpsWins, rpsDefeats) = PairedRps(l);
                text.AppendLine(Reports.Markdown.Row([Losses[l].Describe(), $"{rpsWins}–{rpsDefeats}", .. cells]));
            }
        }
        return text.ToString();
    }

    private void WritePlot(RunFolder folder, string name)
    {
        var plot = new Plot();
        for (int l = 0; l < Losses.Count; l++)
        {
            var (mean, std) = Summary(l, 2);
            if (double.IsNaN(mean))
            {
                continue;
            }
            var bar = plot.Add.Bar(position: l, value: mean, error: double.IsNaN(std) ? 0 : std);
            bar.Color = Colors.Category10[l % 10];
        }
        plot.Axes.Bottom.SetTicks(Enumerable.Range(0, Losses.Count).Select(i => (double)i).ToArray(), Losses.Select(l => l.Name).ToArray());
        plot.Axes.Margins(bottom: 0);
        plot.YLabel("test MAE (classes), mean ± std");
        plot.Title($"{Dataset}: {Plural.Of(Rounds.Count, "round")}");
        byte[] png = plot.GetImageBytes(200 + 110 * Losses.Count, 450, ImageFormat.Png);
        folder.WriteAtomic(name, stream => stream.Write(png));
    }

    private static Split FoldSplit(Dataset data, int[][] folds, int fold, TrainOptions train)
    {
        var test = folds[fold];
        var rest = folds.Where((_, i) => i != fold).SelectMany(f => f).ToArray();
        // Validation: a stratified share of the other folds.
        var restLabels = rest.Select(r => data.Labels[r]).ToArray();
        var (trainPart, validationPart, _) = Splits.TrainValidationTest(restLabels, data.ClassNames.Length, train.Validation, 0, train.Seed + fold);
        return new Split(trainPart.Select(i => rest[i]).ToArray(), validationPart.Select(i => rest[i]).ToArray(), test);
    }
}
