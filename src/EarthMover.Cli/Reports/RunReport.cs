using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace EarthMover.Cli.Reports;

/// <summary>Writes a finished run's metrics.json, history.csv, report.md and plots.</summary>
internal static class RunReport
{
    public const string MetricsFile = "metrics.json";
    public const string HistoryFile = "history.csv";
    public const string ReportFile = "report.md";

    public static void Write(RunFolder folder, TrainingResult result)
    {
        var config = result.Config;
        var chosen = result.Test[config.Train.Decoder];
        var metrics = new
        {
            dataset = config.DatasetName,
            classes = config.ClassNames,
            loss = config.Loss.Describe(),
            decoder = result.OwnRule is { } rule ? $"own rule: {rule}" : config.Train.Decoder.ToString().ToLowerInvariant(),
            best_epoch = result.State.BestEpoch + 1,
            epochs_run = result.State.Epoch,
            monitor = config.Train.Monitor,
            validation_at_best = new { rps = result.Best.ValidationRps, mae = result.Best.ValidationMae, accuracy = result.Best.ValidationAccuracy, qwk = result.Best.ValidationQwk, top_class_share = result.Best.ValidationTopShare },
            warnings = Warnings(result),
            test = Describe(chosen),
            test_proper_scores = ProperCells.Describe(result.TestScores),
            test_by_decoder = result.Test.ToDictionary(p => p.Key.ToString().ToLowerInvariant(), p => Describe(p.Value)),
            test_distribution = result.TestDistribution is { } distribution ? DistributionCells.Describe(distribution) : null,
            data_notes = result.DataNotes,
            config,
        };
        folder.WriteText(MetricsFile, JsonSerializer.Serialize(metrics, RunConfig.Json));

        folder.WriteAtomic(HistoryFile, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(result.State.History.Select(h => new
            {
                epoch = h.Epoch,
                train_loss = h.TrainLoss,
                validation_loss = h.ValidationLoss,
                validation_mae = h.ValidationMae,
                validation_accuracy = h.ValidationAccuracy,
                validation_qwk = h.ValidationQwk,
                validation_rps = h.ValidationRps,
                validation_brier = h.ValidationBrier,
                validation_top_class_share = h.ValidationTopShare,
                eligible = h.Eligible,
                seconds = h.Seconds,
            }));
        });

        string title = $"{config.DatasetName}: {config.Loss.Describe()}";
        Plots.WriteLearningCurves(folder, result.State.History, result.State.BestEpoch + 1, config.Train.Monitor, title);
        Plots.WriteConfusion(folder, chosen.Confusion, config.ClassNames, $"{title}, test confusion");
        if (result.Distance is { } distance)
        {
            Plots.WriteGroundDistance(folder, distance, config.ClassNames, $"{config.DatasetName}: ground distance ({config.Loss.Name})");
        }
        folder.WriteText(ReportFile, ReportText(result, chosen));
    }

    /// <summary>The run's warnings: hard labels for a loss made for distributions, then a collapse onto one class.</summary>
    public static string[] Warnings(TrainingResult result) =>
        new[] { result.Config.Loss.HardLabelWarning(result.Config.Data.HasDistributionTargets) is { } hard ? "warning: " + hard : null, result.CollapseWarning }.OfType<string>().ToArray();

    public static object Describe(OrdinalMetrics m) => new
    {
        samples = m.Samples,
        exact_accuracy = m.ExactAccuracy,
        one_off_accuracy = m.OneOffAccuracy,
        mae = m.MeanAbsoluteError,
        macro_mae = m.MacroMeanAbsoluteError,
        qwk = m.QuadraticWeightedKappa,
        mean_emd = m.MeanEmd,
        confusion = m.Confusion,
    };

    private static string ReportText(TrainingResult result, OrdinalMetrics chosen)
    {
        var config = result.Config;
        var best = result.Best;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {config.DatasetName}: {config.Loss.Describe()}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Classes, in order: {string.Join(" < ", config.ClassNames)}.");
        text.AppendLine();
        foreach (var warning in Warnings(result))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"> **{warning}**");
            text.AppendLine();
        }
        foreach (var note in result.DataNotes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"- model: {(config.Encoder.Image ? "small CNN" : "MLP " + string.Join("-", config.Train.Hidden))}, Adam lr {config.Train.LearningRate}, batch {config.Train.BatchSize}, seed {config.Train.Seed}");
        int first = config.Train.FirstEligibleEpoch(config.Loss);
        string eligible = first == 0 ? "" : $", chosen from epoch {first + 1} on";
        text.AppendLine(CultureInfo.InvariantCulture, $"- trained {Plural.Of(result.State.Epoch, "epoch")}; best validation {config.Train.Monitor} at epoch {best.Epoch}{eligible} (validation RPS {best.ValidationRps:0.0000}, MAE {best.ValidationMae:0.0000}, QWK {best.ValidationQwk:0.000}; {Text.Percent(best.ValidationTopShare)} of its validation predictions are '{config.ClassNames[best.ValidationTopClass]}')");
        text.AppendLine(CultureInfo.InvariantCulture, $"- {MetricCells.RpsDefinition}");
        text.AppendLine();
        text.AppendLine("## Test metrics (best epoch)");
        text.AppendLine();
        text.AppendLine(Markdown.Row(["decoder", .. MetricCells.Headers]));
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (decoder, m) in result.OwnRule is not null ? [(OrdinalDecoder.Argmax, result.Test.Values.First())] : result.Test.Select(p => (p.Key, p.Value)))
        {
            text.AppendLine(Markdown.Row([result.OwnRule is { } rule ? $"own rule: {rule}" : decoder.ToString().ToLowerInvariant(), .. MetricCells.Of(m)]));
        }
        text.AppendLine();
        text.AppendLine("Proper scores of the test distributions (the same for every decoder):");
        text.AppendLine();
        text.AppendLine(Markdown.Row(ProperCells.Headers));
        text.AppendLine("|---:|---:|---:|");
        text.AppendLine(Markdown.Row(ProperCells.Of(result.TestScores)));
        text.AppendLine();
        foreach (var line in MetricCells.Legend.Concat(ProperCells.Legend))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{line}  ");
        }
        if (result.TestDistribution is { } distribution)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## Test metrics against the target distributions (best epoch; threshold {distribution.Threshold})");
            text.AppendLine();
            text.AppendLine(Markdown.Row(DistributionCells.Headers));
            text.AppendLine("|---:|---:|---:|---:|---:|---:|");
            text.AppendLine(Markdown.Row(DistributionCells.Of(distribution)));
            text.AppendLine();
            foreach (var line in DistributionCells.Legend)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{line}  ");
            }
            text.AppendLine();
        }
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"## Confusion matrix ({(result.OwnRule is { } ownRule ? $"own rule: {ownRule}" : config.Train.Decoder.ToString().ToLowerInvariant())}; rows: true, columns: predicted)");
        text.AppendLine();
        text.AppendLine(Markdown.Row(["", .. config.ClassNames]));
        text.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", config.ClassNames.Length)));
        for (int t = 0; t < config.ClassNames.Length; t++)
        {
            text.AppendLine(Markdown.Row([config.ClassNames[t], .. chosen.Confusion[t].Select(c => c.ToString(CultureInfo.InvariantCulture))]));
        }
        text.AppendLine();
        text.AppendLine("## Plots");
        text.AppendLine();
        text.AppendLine($"![learning curves]({Plots.LearningCurves})");
        text.AppendLine();
        text.AppendLine($"![confusion]({Plots.Confusion})");
        if (result.Distance is not null)
        {
            text.AppendLine();
            text.AppendLine($"![ground distance]({Plots.GroundDistance})");
        }
        return text.ToString();
    }
}
