using System.CommandLine;
using System.Text.Json;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover evaluate: a trained model (its run folder) on its own rows or on another labelled file.</summary>
internal static class EvaluateCommand
{
    public const string EvaluationFile = "evaluation.json";

    private static readonly string[] Splits = ["test", "validation", "train", "all"];

    public static Command Create(CommandOptions o, TextWriter output)
    {
        var run = new Option<string>("--run") { Description = "The run folder of a trained model (it holds model.bin); any folder, relative or absolute.", Required = true };
        var split = new Option<string>("--split") { Description = "Which rows of the run's own data: test, validation or train (the run's split), or all. With --data every row of that file is scored.", DefaultValueFactory = _ => "test" };
        var data = new Option<string?>("--data") { Description = "Another labelled file to score: a CSV with the run's feature columns (matched by name, in any order) and its target column, or IDX images (with --labels). Default: the run's own data." };
        var file = new Option<string?>("--output", "-o") { Description = $"The evaluation file to write (JSON; default {EvaluationFile} in the run folder)." };
        var force = OutputFile.ForceOption("the evaluation file");
        var command = new Command("evaluate", "Score a trained model on its test rows or on another labelled file; writes evaluation.json to the run folder (or --output).");
        command.Options.Add(run);
        command.Options.Add(split);
        command.Options.Add(data);
        command.Options.Add(o.Labels);
        command.Options.Add(o.Decoder);
        command.Options.Add(o.Threshold);
        command.Options.Add(file);
        command.Options.Add(force);
        foreach (var option in o.DialectOptions())
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            string which = result.GetValue(split)!;
            bool splitGiven = result.GetResult(split) is { Implicit: false };
            if (!Splits.Contains(which))
            {
                throw new UserError($"--split: '{which}' must be test, validation, train or all.");
            }
            if (result.GetValue(o.Threshold) is double given && !double.IsFinite(given))
            {
                throw new UserError($"--threshold {given}: it must be a finite number.");
            }
            string? other = result.GetValue(data);
            string? labels = result.GetValue(o.Labels);
            string? delimiter = o.ReadDelimiter(result);
            string? encoding = o.ReadEncoding(result);
            if (other is not null && splitGiven && which != "all")
            {
                throw new UserError($"--split {which} names rows of the run's own data; with --data every row of {other} is scored (leave --split out).");
            }
            if (other is null && (labels is not null || delimiter is not null || encoding is not null))
            {
                throw new UserError("--labels, --delimiter and --encoding describe the file of --data; the run's own data is read as it was in training.");
            }

            using var trained = TrainedRun.Open(result.GetValue(run)!, "--run");
            string target = OutputFile.Check(result.GetValue(file) ?? Path.Combine(trained.Folder, EvaluationFile), "--output", result.GetValue(force), [(other, "the --data file"), (labels, "the --labels file")], [trained.Folder]);
            var config = trained.Config;
            var dataset = other is null ? LoadOwnData(config, console) : LoadOther(config, other, labels, delimiter, encoding);
            if (!dataset.ClassNames.SequenceEqual(config.ClassNames))
            {
                throw new UserError($"the classes of {dataset.Name} ({string.Join(", ", dataset.ClassNames)}) are not the model's ({string.Join(", ", config.ClassNames)}).");
            }
            if (other is not null)
            {
                which = "all";
            }
            int[] rows = which switch
            {
                "test" => TrainCommand.MakeSplit(dataset, config.Train).Test,
                "validation" => TrainCommand.MakeSplit(dataset, config.Train).Validation,
                "train" => TrainCommand.MakeSplit(dataset, config.Train).Train,
                _ => Enumerable.Range(0, dataset.Count).ToArray(),
            };
            var decoder = CommandOptions.Given(result, o.Decoder) ? o.ReadDecoder(result) : config.Train.Decoder;
            // coral, corn, logistic-at and ecoc classify by their own rule, as in training, unless --decoder is given.
            bool ownRule = trained.HasOwnRule && !CommandOptions.Given(result, o.Decoder);

            var stats = new EncodingStats();
            var inputs = dataset is TabularDataset tabular ? tabular.Encode(config.Encoder, rows, stats) : dataset.Encode(config.Encoder, rows);
            var predictions = trained.Score(inputs, rows.Length, ownRule ? null : decoder);
            var metrics = OrdinalMetrics.Compute(
                rows.Select(r => dataset.Labels[r]).ToArray(),
                predictions.Select(p => p.Class).ToArray(),
                config.ClassNames.Length,
                predictions.Select(p => (double[])p.Probabilities).ToArray());
            var distributions = predictions.Select(p => (double[])p.Probabilities).ToArray();
            // Proper scores against the target distributions when the data has them (as in training), else the true classes.
            var proper = dataset.Targets is { } rowTargets
                ? ProperScores.Mean(distributions, rows.Select(r => rowTargets[r]).ToArray())
                : ProperScores.Mean(distributions, rows.Select(r => dataset.Labels[r]).ToArray());
            var warnings = stats.Warnings().ToArray();
            DistributionMetrics? distribution = null;
            if (dataset.Targets is { } targets)
            {
                var scores = config.Loss.Positions ?? Enumerable.Range(0, config.ClassNames.Length).Select(k => (double)k).ToArray();
                double threshold = result.GetValue(o.Threshold) ?? config.Train.Threshold ?? DistributionMetrics.DefaultThreshold(scores);
                distribution = DistributionMetrics.Compute(predictions.Select(p => (double[])p.Probabilities).ToArray(), rows.Select(r => targets[r]).ToArray(), scores, threshold);
            }

            string decoderName = ownRule ? $"{config.Loss.Name}'s own rule" : decoder.ToString().ToLowerInvariant();
            new RunFolder(Path.GetDirectoryName(target)!, "--output").WriteText(Path.GetFileName(target), JsonSerializer.Serialize(new
            {
                data = dataset.Name,
                data_file = dataset.Files?.Path,
                data_sha256 = dataset.Files?.Sha256,
                split = which,
                decoder = decoderName,
                best_epoch = trained.State.BestEpoch + 1,
                notes = dataset.Notes,
                rows_scored = metrics.Samples,
                missing_values = dataset is TabularDataset tab ? new { policy = CommandOptions.Lower(tab.MissingPolicy), rows = tab.MissingRows } : null,
                warnings,
                metrics = RunReport.Describe(metrics),
                proper_scores = ProperCells.Describe(proper),
                distribution_metrics = distribution is null ? null : DistributionCells.Describe(distribution),
            }, RunConfig.Json));
            foreach (var note in dataset.Notes)
            {
                console.MarkupLine($"  {Markup.Escape(note)}");
            }
            foreach (var warning in warnings)
            {
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            }
            string missing = other is not null && dataset is TabularDataset { MissingRows: > 0 } incomplete
                ? $"; {Plural.Of(incomplete.MissingRows, "row")} with missing feature values {(incomplete.MissingPolicy == MissingValues.Drop ? "left out" : "imputed")}"
                : "";
            var table = new Table().Title($"{Markup.Escape(dataset.Name)}, {which} rows ({metrics.Samples}{Markup.Escape(missing)}), {decoderName}");
            table.AddColumns(MetricCells.Headers);
            table.AddRow(MetricCells.Of(metrics));
            console.Write(table);
            console.Write(TrainCommand.ProperTable(proper, $"proper scores of the predicted distributions, {which} rows ({proper.Samples})"));
            foreach (var line in ProperCells.Legend)
            {
                console.WriteLine(line);
            }
            if (distribution is not null)
            {
                console.Write(TrainCommand.DistributionTable(distribution, "against the target distributions"));
                foreach (var line in DistributionCells.Legend)
                {
                    console.WriteLine(line);
                }
            }
            console.MarkupLine($"written: {Markup.Escape(target)}");
            return 0;
        }));
        return command;
    }

    // The run's own data, from the absolute path it was read from (so that evaluate works from any folder),
    // with the delimiter and encoding it was read with; a moved file is an error, a changed one a warning.
    private static Dataset LoadOwnData(RunConfig config, IAnsiConsole console)
    {
        var options = config.DataToReload();
        var dataset = DataSource.Load(options);
        if (config.Schema.Files is { } trained && dataset.Files is { } now && now.Sha256 != trained.Sha256)
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape($"{trained.Path} has changed since training (its SHA-256 differs): its rows, and so the split, may not be the run's.")}");
        }
        return dataset;
    }

    // Another labelled file: a CSV matched to the run's schema by column name, or IDX images with their labels.
    private static Dataset LoadOther(RunConfig config, string path, string? labels, string? delimiter, string? encoding)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new UserError($"--data: {path}: no such file or folder.");
        }
        if (config.Encoder.Image)
        {
            if (delimiter is not null || encoding is not null)
            {
                throw new UserError("--delimiter and --encoding apply to CSV files; this run's model reads images.");
            }
            return DataSource.Load(config.Data with { Source = path, Labels = labels, Rows = null });
        }
        if (config.Data.HasDistributionTargets)
        {
            throw new UserError("--data: this run was trained on target distributions (--target-columns or --aggregate-by), which evaluate reads only from the run's own data; leave --data out and choose rows with --split.");
        }
        if (Directory.Exists(path) || DataSource.IsIdx(path))
        {
            throw new UserError($"--data {path} holds images, but this run's model reads table rows.");
        }
        if (labels is not null)
        {
            throw new UserError("--labels goes with IDX images; this run's model reads table rows.");
        }
        return DataSource.LoadForSchema(path, config.Schema, delimiter, encoding);
    }
}
