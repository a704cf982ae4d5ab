using System.CommandLine;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;
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
        command.Options.Add(o.Force);
        command.Options.Add(o.Resume);
        var saveSplit = new Option<string?>("--save-split") { Description = "Also write the rows the run trains, validates and tests on to this folder (train.csv, validation.csv, test.csv: the data file's line, the features, the class), to score the run with other tools.", HelpName = "DIR" };
        command.Options.Add(saveSplit);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            // Every check comes before anything is printed or written: bad input is one line and leaves nothing behind.
            bool resume = result.GetValue(o.Resume);
            bool force = result.GetValue(o.Force);
            string? folderName = result.GetValue(o.Output);
            DataOptions data;
            LossSpec loss;
            TrainOptions train;
            RunFolder folder;
            if (resume)
            {
                if (force)
                {
                    throw new UserError("--resume and --force exclude each other: --resume continues the run in --output, --force replaces it.");
                }
                string name = folderName ?? throw new UserError("--resume needs --output: the run folder to continue.");
                if (!Directory.Exists(name))
                {
                    throw new UserError($"--resume: there is no run folder {name} to continue (no such folder).");
                }
                folder = RunFolder.Existing(name, "--output");
                if (!folder.Exists(Checkpoint.ResumeFile))
                {
                    throw new UserError($"--resume: there is no {Checkpoint.ResumeFile} in {folder.FullPath} to continue from.");
                }
                var (config, _) = Checkpoint.ReadHeader(folder.PathOf(Checkpoint.ResumeFile));
                ResumeConflicts.Check(result, command, (o.ReadData(result), o.ReadLoss(result), o.ReadTrain(result)), config);
                data = config.DataToReload();
                loss = config.Loss;
                train = CommandOptions.Given(result, o.Epochs) ? config.Train with { Epochs = result.GetValue(o.Epochs) } : config.Train;
            }
            else
            {
                data = o.ReadData(result);
                loss = o.ReadLoss(result);
                train = o.ReadTrain(result);
                folder = o.ReadOutput(result, o.Output, DefaultFolder(data, loss, train));
            }
            train.Check(loss);
            var dataset = DataSource.Load(data);
            CheckDataOptions(result, o, dataset);
            var split = MakeSplit(dataset, train);
            Trainer.Check(dataset, loss, train, split);
            var splitFolder = result.GetValue(saveSplit) is { } splitPath ? SplitFiles.Check(splitPath, force, dataset.Files?.Path) : null;
            if (force)
            {
                folder.Clear();
            }
            if (splitFolder is not null)
            {
                SplitFiles.Write(splitFolder, dataset, split);
            }

            var console = Consoles.Create(output);
            console.MarkupLine($"[bold]{Markup.Escape(dataset.Name)}[/]: {dataset.Count} samples, classes {Markup.Escape(string.Join(" < ", dataset.ClassNames))}");
            foreach (var note in dataset.Notes)
            {
                console.MarkupLine($"  {Markup.Escape(note)}");
            }
            console.MarkupLine($"loss [bold]{Markup.Escape(loss.Describe())}[/], split {split.Train.Length}/{split.Validation.Length}/{split.Test.Length} (train/validation/test), best epoch by validation {Markup.Escape(train.Monitor)}{Markup.Escape(EligibilityNote(loss, train))}");
            if (loss.HardLabelWarning(dataset.Targets is not null) is { } hard)
            {
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(hard)}");
            }
            console.MarkupLine($"run folder {Markup.Escape(folder.FullPath)}");
            var outcome = ProgressDisplay.Run(console, result.GetValue(o.Quiet), progress => new Trainer(dataset, folder, progress).Run(data, loss, train, split, resume, cancel));
            RunReport.Write(folder, outcome);
            console.Write(MetricsTable(outcome));
            console.Write(ProperTable(outcome.TestScores, $"proper scores of the test distributions, best epoch ({outcome.State.BestEpoch + 1})"));
            foreach (var line in MetricCells.Legend.Concat(ProperCells.Legend))
            {
                console.WriteLine(line);
            }
            if (outcome.TestDistribution is { } distribution)
            {
                console.Write(DistributionTable(distribution, "test metrics against the target distributions, best epoch"));
                foreach (var line in DistributionCells.Legend)
                {
                    console.WriteLine(line);
                }
            }
            if (outcome.CollapseWarning is { } warning)
            {
                console.MarkupLine($"[yellow]{Markup.Escape(warning)}[/]");
            }
            console.MarkupLine($"report: {Markup.Escape(folder.PathOf(RunReport.ReportFile))}");
            if (splitFolder is not null)
            {
                console.MarkupLine($"split: {Markup.Escape(string.Join(", ", SplitFiles.Names.Select(splitFolder.PathOf)))}");
            }
            return 0;
        }));
        return command;
    }

    public static Split MakeSplit(Dataset data, TrainOptions train) => Split.Stratified(data, train);

    /// <summary>Data options that only some data can use: refused where they would be silently ignored.</summary>
    public static void CheckDataOptions(ParseResult result, CommandOptions o, Dataset dataset)
    {
        if (dataset.IsImage && CommandOptions.Given(result, o.Hidden))
        {
            throw new UserError("--hidden sets the MLP of tabular data; images are learned by the fixed small CNN.");
        }
        if (CommandOptions.Given(result, o.Labels) && !(dataset.IsImage && File.Exists(result.GetValue(o.Data))))
        {
            throw new UserError("--labels names the labels file of an IDX images file given as --data; a CSV has its --target, a folder of IDX files its own labels files.");
        }
        if (!dataset.IsImage && CommandOptions.Given(result, o.ClassNames))
        {
            throw new UserError("--class-names names the labels of image data; a CSV's classes are its target's values (order them with --order).");
        }
    }

    /// <summary>NIMA's metrics of target distributions as a table of one row.</summary>
    public static Table DistributionTable(DistributionMetrics metrics, string title)
    {
        var table = new Table().Title($"{Markup.Escape(title)} (threshold {metrics.Threshold.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)})");
        table.AddColumns(DistributionCells.Headers);
        table.AddRow(DistributionCells.Of(metrics));
        return table;
    }

    /// <summary>The three proper scores in one row (RPS, log loss, Brier; <see cref="ProperCells"/>).</summary>
    public static Table ProperTable(ProperScoreMeans scores, string title)
    {
        var table = new Table().Title(Markup.Escape(title));
        table.AddColumns(ProperCells.Headers);
        table.AddRow(ProperCells.Of(scores));
        return table;
    }

    public static Table MetricsTable(TrainingResult result)
    {
        var table = new Table().Title($"test metrics, best epoch ({result.State.BestEpoch + 1})");
        table.AddColumns(["decoder", .. MetricCells.Headers]);
        if (result.OwnRule is { } rule)
        {
            // A threshold or code model's class is its own rule's, whatever the decoder.
            table.AddRow([Markup.Escape($"own rule: {rule}"), .. MetricCells.Of(result.Test.Values.First())]);
            return table;
        }
        foreach (var (decoder, m) in result.Test)
        {
            table.AddRow([Markup.Escape(CommandOptions.Lower(decoder)), .. MetricCells.Of(m)]);
        }
        return table;
    }

    // Which epochs may be chosen as the best, when not all may.
    private static string EligibilityNote(LossSpec loss, TrainOptions train)
    {
        int first = train.FirstEligibleEpoch(loss);
        return first == 0 ? "" : $" from epoch {first + 1} on ({(loss.HasWarmup && loss.WarmupEpochs == first ? $"after the {Plural.Of(first, "epoch")} of CE warm-up" : "--min-epochs")})";
    }

    private static string DefaultFolder(DataOptions data, LossSpec loss, TrainOptions train)
    {
        string name = data.Source == DataSource.Diamonds ? "diamonds" : Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(data.Source));
        return Path.Combine("runs", $"{name}-{data.Target ?? "default"}-{loss.Name}-s{train.Seed}");
    }
}
