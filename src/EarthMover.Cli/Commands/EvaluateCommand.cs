using System.CommandLine;
using System.Text.Json;
using EarthMover.Cli.Data;
using EarthMover.Cli.Reports;
using EarthMover.Cli.Training;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover evaluate: a trained model (its run folder) on a dataset.</summary>
internal static class EvaluateCommand
{
    public const string EvaluationFile = "evaluation.json";

    public static Command Create(CommandOptions o, TextWriter output)
    {
        var run = new Option<string>("--run") { Description = "The run folder of a trained model (it holds model.bin).", Required = true };
        var split = new Option<string>("--split") { Description = "Which rows: test, validation or train (of the run's own split), or all (every row of --data).", DefaultValueFactory = _ => "test" };
        var data = new Option<string?>("--data") { Description = "Other data to score (same columns and classes); default: the run's own data." };
        var command = new Command("evaluate", "Score a trained model on its test rows or on other data; writes evaluation.json to the run folder.");
        command.Options.Add(run);
        command.Options.Add(split);
        command.Options.Add(data);
        command.Options.Add(o.Decoder);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            var folder = RunFolder.Existing(result.GetValue(run)!, "--run");
            string modelPath = folder.PathOf(Checkpoint.ModelFile);
            var (config, state) = Checkpoint.ReadHeader(modelPath);
            var dataOptions = result.GetValue(data) is { } other ? config.Data with { Source = other, Rows = null } : config.Data;
            var dataset = DataSource.Load(dataOptions);
            if (!dataset.ClassNames.SequenceEqual(config.ClassNames))
            {
                throw new UserError($"--data: its classes ({string.Join(", ", dataset.ClassNames)}) are not the model's ({string.Join(", ", config.ClassNames)}).");
            }
            string which = result.GetValue(split)!;
            IReadOnlyList<int> rows = which switch
            {
                "all" => Enumerable.Range(0, dataset.Count).ToArray(),
                "test" or "validation" or "train" when result.GetValue(data) is not null => throw new UserError("--split test/validation/train refer to the run's own data; with --data use --split all."),
                "test" => TrainCommand.MakeSplit(dataset, config.Train).Test,
                "validation" => TrainCommand.MakeSplit(dataset, config.Train).Validation,
                "train" => TrainCommand.MakeSplit(dataset, config.Train).Train,
                _ => throw new UserError($"--split: '{which}' must be test, validation, train or all."),
            };
            var decoder = CommandOptions.Given(result, o.Decoder) ? o.ReadDecoder(result) : config.Train.Decoder;
            var metrics = Trainer.Evaluate(dataset, config, modelPath, rows, decoder);
            folder.WriteText(EvaluationFile, JsonSerializer.Serialize(new { data = dataset.Name, split = which, decoder = decoder.ToString().ToLowerInvariant(), best_epoch = state.BestEpoch + 1, metrics = RunReport.Describe(metrics) }, RunConfig.Json));
            var table = new Table().Title($"{Markup.Escape(dataset.Name)}, {which} rows ({metrics.Samples}), {decoder.ToString().ToLowerInvariant()}");
            table.AddColumns(MetricCells.Headers);
            table.AddRow(MetricCells.Of(metrics));
            console.Write(table);
            return 0;
        }));
        return command;
    }
}
