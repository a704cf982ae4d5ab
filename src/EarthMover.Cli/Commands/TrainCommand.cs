using System.CommandLine;
using System.Globalization;
using EarthMover.Cli.Data;
using EarthMover.Cli.Reports;
using EarthMover.Cli.Training;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover train: one model, one loss, with checkpoints, early stopping, reports and plots.</summary>
internal static class TrainCommand
{
    public static Command Create(CommandOptions o, TextWriter output)
    {
        var command = new Command("train", "Train a model with one loss, write its run folder (metrics.json, history.csv, report.md, plots, checkpoints).");
        foreach (var option in o.DataOptions().Concat(o.LossOptions()).Concat(o.TrainOptions()))
        {
            command.Options.Add(option);
        }
        command.Options.Add(o.Output);
        command.Options.Add(o.Resume);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            bool resume = result.GetValue(o.Resume);
            string? folderName = result.GetValue(o.Output);
            DataOptions data;
            LossSpec loss;
            TrainOptions train;
            RunFolder folder;
            if (resume)
            {
                folder = new RunFolder(folderName ?? throw new UserError("--resume needs --output: the run folder to continue."));
                if (!folder.Exists(Checkpoint.ResumeFile))
                {
                    throw new UserError($"--resume: there is no {Checkpoint.ResumeFile} in {folder.FullPath} to continue from.");
                }
                // A resumed run keeps the settings it started with; only --epochs may be raised.
                var (config, _) = Checkpoint.ReadHeader(folder.PathOf(Checkpoint.ResumeFile));
                data = config.DataToReload();
                loss = config.Loss;
                train = result.GetResult(o.Epochs) is { Implicit: false } ? config.Train with { Epochs = result.GetValue(o.Epochs) } : config.Train;
            }
            else
            {
                data = o.ReadData(result);
                loss = o.ReadLoss(result);
                train = o.ReadTrain(result);
                train.Check();
                folder = new RunFolder(folderName ?? DefaultFolder(data, loss, train));
            }
            var dataset = DataSource.Load(data);
            var split = MakeSplit(dataset, train);
            console.MarkupLine($"[bold]{Markup.Escape(dataset.Name)}[/]: {dataset.Count} samples, classes {Markup.Escape(string.Join(" < ", dataset.ClassNames))}");
            foreach (var note in dataset.Notes)
            {
                console.MarkupLine($"  {Markup.Escape(note)}");
            }
            console.MarkupLine($"loss [bold]{Markup.Escape(loss.Describe())}[/], split {split.Train.Length}/{split.Validation.Length}/{split.Test.Length} (train/validation/test), run folder {Markup.Escape(folder.FullPath)}");
            var outcome = ProgressDisplay.Run(console, result.GetValue(o.Quiet), progress => new Trainer(dataset, folder, progress).Run(data, loss, train, split, resume, cancel));
            RunReport.Write(folder, outcome);
            console.Write(MetricsTable(outcome));
            console.MarkupLine($"report: {Markup.Escape(folder.PathOf(RunReport.ReportFile))}");
            return 0;
        }));
        return command;
    }

    public static Split MakeSplit(Dataset data, TrainOptions train)
    {
        var (trainRows, validation, test) = Splits.TrainValidationTest(data.Labels, data.ClassNames.Length, train.Validation, train.Test, train.Seed);
        return new Split(trainRows, validation, test);
    }

    public static Table MetricsTable(TrainingResult result)
    {
        var table = new Table().Title($"test metrics, best epoch ({result.State.BestEpoch + 1})");
        table.AddColumns(["decoder", .. MetricCells.Headers]);
        foreach (var (decoder, m) in result.Test)
        {
            table.AddRow([decoder.ToString().ToLowerInvariant(), .. MetricCells.Of(m)]);
        }
        return table;
    }

    private static string DefaultFolder(DataOptions data, LossSpec loss, TrainOptions train)
    {
        string name = data.Source == DataSource.Diamonds ? "diamonds" : Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(data.Source));
        return Path.Combine("runs", $"{name}-{data.Target ?? "default"}-{loss.Name}-s{train.Seed}");
    }
}
