using System.CommandLine;
using System.Globalization;
using CsvHelper;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>
/// earthmover predict: a trained model's predictions for new rows (a CSV file, read in chunks so that memory
/// stays bounded, or IDX images), one output row per input row: an id, the decoded class and the probability
/// of every class. Labelled input also gets the metrics.
/// </summary>
internal static class PredictCommand
{
    public const string DefaultOutput = "predictions.csv";

    // Rows read, encoded and predicted at a time (rounded to whole batches of the run's batch size).
    private const int ChunkRows = 8192;

    public static Command Create(CommandOptions o, TextWriter output)
    {
        var run = new Option<string>("--run") { Description = "The run folder of a trained model (it holds model.bin).", Required = true };
        var data = new Option<string>("--data") { Description = "The rows to predict: a CSV file with the run's feature columns (matched by name, in any order; the target column may be absent), or an IDX images file (--labels optional).", Required = true };
        var file = new Option<string>("--output", "-o") { Description = "The predictions CSV file (written to a temporary name, then renamed).", DefaultValueFactory = _ => DefaultOutput };
        var force = OutputFile.ForceOption("the predictions file");
        var command = new Command("predict", "Predict new rows with a trained model: one output row per input row with an id, the predicted class and the probability of every class.");
        command.Options.Add(run);
        command.Options.Add(data);
        command.Options.Add(file);
        command.Options.Add(force);
        command.Options.Add(o.Id);
        command.Options.Add(o.PredictDecoder);
        command.Options.Add(o.Labels);
        foreach (var option in o.DialectOptions())
        {
            command.Options.Add(option);
        }
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            var decoderOption = o.ReadPredictDecoder(result);
            string? id = result.GetValue(o.Id);
            string? labels = result.GetValue(o.Labels);
            string? delimiter = o.ReadDelimiter(result);
            string? encoding = o.ReadEncoding(result);
            string path = result.GetValue(data)!;
            string target = OutputFile.Check(result.GetValue(file)!, "--output", result.GetValue(force), [(path, "the --data file"), (labels, "the --labels file")], [Path.GetFullPath(result.GetValue(run)!)]);
            if (!File.Exists(path))
            {
                throw new UserError($"--data: {path}: {(Directory.Exists(path) ? "a folder; give one CSV or IDX images file" : "no such file")}.");
            }

            using var trained = TrainedRun.Open(result.GetValue(run)!, "--run");
            // coral, corn, logistic-at and ecoc classify by their own rule unless --decoder asks for a decoder of the distribution.
            var decoder = decoderOption is null && trained.HasOwnRule ? (OrdinalDecoder?)null : decoderOption ?? trained.Decoder;
            string decoderName = decoder is { } d ? d.ToString().ToLowerInvariant() : $"{trained.Config.Loss.Name}'s own rule";
            bool images = DataSource.IsIdx(path);
            if (images != trained.IsImage)
            {
                throw new UserError(images
                    ? $"--data {path} holds IDX images, but this run's model reads table rows."
                    : $"--data {path} is not an IDX images file, and this run's model reads images.");
            }
            if (images && (id is not null || delimiter is not null || encoding is not null))
            {
                throw new UserError("--id, --delimiter and --encoding apply to CSV files; IDX images are numbered from 1.");
            }
            if (!images && labels is not null)
            {
                throw new UserError("--labels goes with IDX images; a CSV file holds its labels in the target column.");
            }

            var outcome = images
                ? PredictImages(trained, path, labels, decoder, target, cancel)
                : PredictCsv(trained, path, id, delimiter, encoding, decoder, target, cancel);
            foreach (var note in outcome.Notes)
            {
                console.MarkupLine($"  {Markup.Escape(note)}");
            }
            foreach (var warning in outcome.Warnings)
            {
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(warning)}");
            }
            console.MarkupLine($"{Markup.Escape(Plural.Of(outcome.Rows, "prediction"))} ({Markup.Escape(decoderName)}) written to {Markup.Escape(target)}");
            if (outcome.Metrics is { } metrics)
            {
                var table = new Table().Title($"{Markup.Escape(Plural.Of(metrics.Samples, "labelled row"))}, {Markup.Escape(decoderName)}");
                table.AddColumns(MetricCells.Headers);
                table.AddRow(MetricCells.Of(metrics));
                console.Write(table);
            }
            return 0;
        }));
        return command;
    }

    private sealed record Outcome(long Rows, IReadOnlyList<string> Notes, IReadOnlyList<string> Warnings, OrdinalMetrics? Metrics);

    private static Outcome PredictCsv(TrainedRun trained, string path, string? id, string? delimiter, string? encoding, OrdinalDecoder? decoder, string target, CancellationToken cancel)
    {
        var config = trained.Config;
        var dialect = DataSource.Dialect(path, delimiter, encoding);
        using var csv = CsvFile.Open(path, dialect);
        var reader = new SchemaReader(config.Schema, csv.Header, path, requireTarget: false, id);
        var notes = new List<string>();
        if (dialect.Delimiter != ',' && delimiter is null)
        {
            notes.Add($"delimiter {dialect.DelimiterName} (detected; --delimiter sets it)");
        }
        if (reader.ExtraNote is { } extra)
        {
            notes.Add(extra);
        }
        var stats = new EncodingStats();
        var score = reader.Labelled ? new Score(config.ClassNames.Length) : null;
        // One missing-value policy with training and evaluate: under --missing drop a row with a missing feature
        // gets no prediction (its cells stay empty, so that the output keeps one row per input row), under impute it is filled in.
        bool drop = config.Encoder.Missing == MissingValues.Drop;
        long leftOut = 0;
        int width = config.Encoder.Width;
        int chunk = Math.Max(1, ChunkRows / config.Train.BatchSize) * config.Train.BatchSize;
        long done = 0;
        Write(target, config.ClassNames, id ?? "row", Chunks());
        if (done == 0)
        {
            throw new UserError($"{path} has a header but no rows.");
        }
        if (leftOut > 0)
        {
            notes.Add($"left out {Plural.Of(leftOut, "row")} with missing feature values: their predicted class and probabilities are empty (the run was trained with --missing drop; train with --missing impute to predict such rows)");
        }
        if (score is not null)
        {
            notes.Add(score.Unlabelled > 0
                ? $"labelled: metrics over the {Plural.Of(done - score.Unlabelled, "row")} with a '{config.Schema.Target.Column}' value ({Plural.Of(score.Unlabelled, "row")} without one)"
                : $"labelled: metrics against '{config.Schema.Target.Column}'");
        }
        return new Outcome(done, notes, stats.Warnings().ToArray(), score?.Metrics());

        IEnumerable<(string[] Ids, Prediction?[] Predictions)> Chunks()
        {
            while (true)
            {
                cancel.ThrowIfCancellationRequested();
                var rows = csv.ReadRows(chunk);
                if (rows.Rows.Count == 0)
                {
                    yield break;
                }
                int n = rows.Rows.Count;
                var inputs = new float[(long)n * width];
                var ids = new string[n];
                var labels = new int?[n];
                var kept = new List<int>(n);
                for (int r = 0; r < n; r++)
                {
                    var row = rows.Rows[r];
                    int line = rows.Lines[r];
                    var cells = reader.Features(row, line);
                    labels[r] = reader.Label(row, line);
                    ids[r] = reader.Id(row, done + r + 1);
                    if (drop && cells.Any(c => c is null))
                    {
                        leftOut++;
                        continue;
                    }
                    config.Encoder.Encode(cells, inputs.AsSpan(kept.Count * width, width), stats);
                    kept.Add(r);
                }
                var predicted = kept.Count == 0 ? [] : trained.Score(inputs.AsSpan(0, kept.Count * width).ToArray(), kept.Count, decoder);
                var predictions = new Prediction?[n];
                for (int k = 0; k < kept.Count; k++)
                {
                    predictions[kept[k]] = predicted[k];
                }
                score?.Add(labels, predictions);
                done += n;
                yield return (ids, predictions);
            }
        }
    }

    private static Outcome PredictImages(TrainedRun trained, string path, string? labelsPath, OrdinalDecoder? decoder, string target, CancellationToken cancel)
    {
        var config = trained.Config;
        var images = ImageDataset.ReadImages(path);
        int count = images.Dimensions[0];
        var labels = labelsPath is null ? null : ImageDataset.ReadLabels(labelsPath, count, config.ClassNames.Length);
        var score = labels is null ? null : new Score(config.ClassNames.Length);
        const int pixels = 28 * 28;
        int chunk = Math.Max(1, ChunkRows / config.Train.BatchSize) * config.Train.BatchSize;
        Write(target, config.ClassNames, "image", Chunks());
        return new Outcome(count, [], [], score?.Metrics());

        IEnumerable<(string[] Ids, Prediction?[] Predictions)> Chunks()
        {
            for (int start = 0; start < count; start += chunk)
            {
                cancel.ThrowIfCancellationRequested();
                int n = Math.Min(chunk, count - start);
                var inputs = ImageDataset.Scale(images.Data.AsSpan(start * pixels, n * pixels));
                var predictions = trained.Score(inputs, n, decoder);
                score?.Add(labels!.Skip(start).Take(n).Select(l => (int?)l).ToArray(), predictions);
                yield return (Enumerable.Range(start + 1, n).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray(), predictions);
            }
        }
    }

    // The predictions CSV: the id, the decoded class, then p_<class> for every class; through a temporary file and a rename.
    private static void Write(string target, string[] classes, string idColumn, IEnumerable<(string[] Ids, Prediction?[] Predictions)> chunks)
    {
        var folder = new RunFolder(Path.GetDirectoryName(target)!);
        folder.WriteAtomic(Path.GetFileName(target), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField(idColumn);
            csv.WriteField("predicted");
            foreach (var name in classes)
            {
                csv.WriteField("p_" + name);
            }
            csv.NextRecord();
            foreach (var (ids, predictions) in chunks)
            {
                for (int i = 0; i < ids.Length; i++)
                {
                    csv.WriteField(ids[i]);
                    if (predictions[i] is not { } prediction)
                    {
                        // A row left out under --missing drop: its id, and empty cells.
                        for (int k = 0; k <= classes.Length; k++)
                        {
                            csv.WriteField("");
                        }
                        csv.NextRecord();
                        continue;
                    }
                    csv.WriteField(prediction.Label);
                    foreach (double p in prediction.Probabilities)
                    {
                        csv.WriteField(((float)p).ToString(CultureInfo.InvariantCulture));
                    }
                    csv.NextRecord();
                }
            }
        });
    }

    // The metrics of labelled rows, gathered chunk by chunk: classes kept (two ints a row), the mean EMD summed.
    private sealed class Score(int classes)
    {
        private readonly List<int> _truth = [];
        private readonly List<int> _predicted = [];
        private double _emd;

        public long Unlabelled { get; private set; }

        public void Add(int?[] labels, Prediction?[] predictions)
        {
            var truth = new List<int>();
            var predicted = new List<int>();
            var distributions = new List<double[]>();
            for (int i = 0; i < labels.Length; i++)
            {
                if (predictions[i] is not { } prediction)
                {
                    continue;
                }
                if (labels[i] is int label)
                {
                    truth.Add(label);
                    predicted.Add(prediction.Class);
                    distributions.Add((double[])prediction.Probabilities);
                }
                else
                {
                    Unlabelled++;
                }
            }
            if (truth.Count > 0)
            {
                _emd += OrdinalMetrics.Compute(truth, predicted, classes, distributions).MeanEmd * truth.Count;
                _truth.AddRange(truth);
                _predicted.AddRange(predicted);
            }
        }

        public OrdinalMetrics? Metrics() => _truth.Count == 0 ? null
            : OrdinalMetrics.Compute(_truth, _predicted, classes) with { MeanEmd = _emd / _truth.Count };
    }
}
