using System.CommandLine;
using EarthMover.Cli.Evidence;
using EarthMover.Cli.Reports;
using EarthMover.Training.Data;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover compare: several losses x several seeds (or folds) on one dataset.</summary>
internal static class CompareCommand
{
    /// <summary>The most folds --folds accepts.</summary>
    public const int MaximumFolds = 100;

    public static Command Create(CommandOptions o, TextWriter output)
    {
        var losses = new Option<string>("--losses") { Description = $"Comma-separated losses ({string.Join(", ", LossSpec.Names)}), each once, with parameters as in train's --loss (ce,coral,cdw-ce:alpha=2; earthmover losses lists them); the first is the baseline of the paired wins.", DefaultValueFactory = _ => "ce,emd2" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds (whole numbers >= 0, each once): one split and initialisation each.", DefaultValueFactory = _ => "1,2,3" };
        var folds = new Option<int?>("--folds") { Description = $"k-fold cross-validation instead of seeded splits, 2 <= k <= {MaximumFolds} (the folds are stratified and seeded by --seed)." };
        var suite = new Option<string?>("--suite") { Description = "A suite file (JSON: datasets, losses, seeds, training, the declared comparisons; e.g. docs/evidence/suite.json): run every training it describes, write raw.csv and results.md to --output.", HelpName = "FILE" };
        var shard = new Option<string?>("--shard") { Description = "With --suite: run only shard K of N (every N-th training, from the K-th), e.g. 1/2 and 2/2 in two processes; merge with earthmover report.", HelpName = "K/N" };
        var results = new Option<string?>("--results") { Description = "With --suite: also write the results page here (a .md file; its forest plots go to the folder of the same name beside it)." };
        var outputFolder = new Option<string?>("--output", "-o") { Description = "The comparison's folder (default runs/compare, or runs/suite with --suite, numbered -2, -3, ... when that holds an earlier comparison); it must be new or empty, unless --force." };
        var cluster = new ClusterOptions();
        var command = new Command("compare", "Compare losses over seeds or folds on one dataset: mean ± std per metric, paired wins against the first loss; writes compare.md, compare.json, compare.csv and plots.");
        foreach (var option in o.DataOptions().Concat(o.LossOptions().Where(x => x != o.Loss)).Concat(o.TrainOptions()))
        {
            command.Options.Add(option);
        }
        command.Options.Add(losses);
        command.Options.Add(seeds);
        command.Options.Add(folds);
        command.Options.Add(suite);
        command.Options.Add(shard);
        command.Options.Add(results);
        command.Options.Add(outputFolder);
        command.Options.Add(o.Force);
        foreach (var option in cluster.All)
        {
            command.Options.Add(option);
        }
        command.Options.Add(o.Resume);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            if (result.GetValue(o.Resume))
            {
                // The interrupted comparison's plan fixes everything else, as with --collect.
                Option[] allowed = [o.Resume, outputFolder, o.Quiet];
                if (command.Options.FirstOrDefault(x => CommandOptions.Given(result, x) && !allowed.Contains(x)) is { } extra)
                {
                    throw new UserError($"{extra.Name} does not go with --resume: the comparison continues with the options it started with.");
                }
                string path = result.GetValue(outputFolder) ?? throw new UserError("--resume needs --output: the folder of the comparison to continue.");
                return ComparisonResume.Run(path, result.GetValue(o.Quiet), output, result.InvocationConfiguration.Error, cancel);
            }
            if (cluster.RunJobOrCollect(result, command, o, output, result.InvocationConfiguration.Error, cancel) is int exit)
            {
                return exit;
            }
            cluster.CheckPlan(result, suite);
            // Every check comes before anything is printed or written: bad input is one line and leaves nothing behind.
            if (result.GetValue(suite) is { } suiteFile)
            {
                var runs = o.ReadOutput(result, outputFolder, Path.Combine("runs", "suite"));
                return SuiteCommand.Run(result, command, [suite, shard, results, outputFolder, o.Force, o.Quiet], suiteFile, result.GetValue(shard), result.GetValue(results), runs, result.GetValue(o.Force), result.GetValue(o.Quiet), output, cancel);
            }
            if (CommandOptions.Given(result, shard) || CommandOptions.Given(result, results))
            {
                throw new UserError($"{(CommandOptions.Given(result, shard) ? "--shard" : "--results")} applies to --suite only.");
            }
            var seedList = CommandOptions.Seeds(result.GetValue(seeds), "--seeds");
            var names = CommandOptions.Distinct(CommandOptions.List(result.GetValue(losses)), "--losses") ?? [];
            if (names.Count < 1)
            {
                throw new UserError("--losses: name at least one loss.");
            }
            int? foldCount = result.GetValue(folds);
            if (foldCount is int k && (k < 2 || k > MaximumFolds))
            {
                throw new UserError($"--folds {k}: cross-validation needs from 2 to {MaximumFolds} folds.");
            }
            if (foldCount is null && seedList.Count == 0)
            {
                throw new UserError("--seeds: give at least one seed.");
            }
            var dataOptions = o.ReadData(result);
            var train = o.ReadTrain(result);
            var specs = names.Select(n => o.ReadLoss(result, n, "--losses")).ToArray();
            foreach (var spec in specs)
            {
                train.Check(spec);
            }
            var folder = o.ReadOutput(result, outputFolder, Path.Combine("runs", "compare"));
            var data = DataSource.Load(dataOptions);
            TrainCommand.CheckDataOptions(result, o, data);
            foreach (var spec in specs)
            {
                spec.Check(data.ClassNames.Length, data.Targets is not null, "--losses");
            }
            foreach (var (options, split) in Comparison.RoundSplits(data, train, seedList, foldCount))
            {
                foreach (var spec in specs)
                {
                    Trainer.Check(data, spec, options, split);
                }
            }
            if (result.GetValue(o.Force))
            {
                folder.Clear();
            }
            if (result.GetValue(cluster.Plan))
            {
                ComparisonPlan.Create(data, dataOptions, specs, train, seedList, foldCount).Write(folder, output);
                return 0;
            }

            var console = Consoles.Create(output);
            console.MarkupLine($"[bold]{Markup.Escape(data.Name)}[/]: {data.Count} samples; losses {Markup.Escape(string.Join(", ", names))}; {(foldCount is int f ? $"{f} folds" : $"{(seedList.Count == 1 ? "seed" : "seeds")} {string.Join(", ", seedList)}")}; best epochs by validation {Markup.Escape(train.Monitor)}");
            foreach (var note in data.Notes)
            {
                console.MarkupLine($"  {Markup.Escape(note)}");
            }
            console.MarkupLine($"comparison folder {Markup.Escape(folder.FullPath)}");
            foreach (var hard in specs.Select(s => s.HardLabelWarning(data.Targets is not null)).OfType<string>())
            {
                console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(hard)}");
            }
            // The plan goes first, and each training's result as it finishes: an interrupted comparison resumes from them.
            var plan = ComparisonPlan.Create(data, dataOptions, specs, train, seedList, foldCount);
            plan.Write(folder, TextWriter.Null);
            Comparison comparison;
            try
            {
                comparison = Comparison.Run(data, dataOptions, specs, train, seedList, foldCount, folder, line => { if (!result.GetValue(o.Quiet)) { console.WriteLine(line); } }, cancel);
            }
            catch (OperationCanceledException)
            {
                throw new ComparisonInterrupted(folder, ComparisonJob.Finished(folder, plan), plan.Trainings.Count);
            }
            comparison.Write(folder);
            // Markdown goes out as plain text, never wrapped, so that its table rows survive a pipe or a log.
            output.Write(comparison.Markdown(2));
            output.Flush();
            console.MarkupLine($"written: {Markup.Escape(folder.PathOf("compare.md"))}");
            return 0;
        }));
        return command;
    }
}
