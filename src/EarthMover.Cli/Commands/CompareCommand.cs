using System.CommandLine;
using EarthMover.Cli.Data;
using EarthMover.Cli.Reports;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>earthmover compare: several losses x several seeds (or folds) on one dataset.</summary>
internal static class CompareCommand
{
    public static Command Create(CommandOptions o, TextWriter output)
    {
        var losses = new Option<string>("--losses") { Description = "Comma-separated losses; the first is the baseline of the paired wins.", DefaultValueFactory = _ => "ce,emd2" };
        var seeds = new Option<string>("--seeds") { Description = "Comma-separated seeds: one split and initialisation each.", DefaultValueFactory = _ => "1,2,3" };
        var folds = new Option<int?>("--folds") { Description = "k-fold cross-validation instead of seeded splits (the folds are stratified and seeded by --seed)." };
        var suite = new Option<string?>("--suite") { Description = "'ordinal': the evidence suite (every shared dataset, Fashion-MNIST and its rotated task, seven losses, --seeds) written to --results." };
        var scale = new Option<string>("--scale") { Description = "The suite's size: full, or smoke (a few hundred rows, one epoch: to check that it runs).", DefaultValueFactory = _ => "full" };
        var results = new Option<string>("--results") { Description = "Where the suite writes its Markdown report (figures go to results/ beside it).", DefaultValueFactory = _ => Path.Combine("docs", "results.md") };
        var command = new Command("compare", "Compare losses over seeds or folds on one dataset: mean ± std per metric, paired wins against the first loss; writes compare.md, compare.json, compare.csv and plots.");
        foreach (var option in o.DataOptions().Concat(o.LossOptions().Where(x => x != o.Loss)).Concat(o.TrainOptions()))
        {
            command.Options.Add(option);
        }
        command.Options.Add(losses);
        command.Options.Add(seeds);
        command.Options.Add(folds);
        command.Options.Add(suite);
        command.Options.Add(scale);
        command.Options.Add(results);
        command.Options.Add(o.Output);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            if (result.GetValue(suite) is { } suiteName)
            {
                if (suiteName != "ordinal")
                {
                    throw new UserError($"--suite: '{suiteName}' is not a suite; the one suite is 'ordinal'.");
                }
                string size = result.GetValue(scale)!;
                if (size is not ("full" or "smoke"))
                {
                    throw new UserError($"--scale: '{size}' must be full or smoke.");
                }
                var suiteSeeds = (CommandOptions.Numbers(result.GetValue(seeds), "--seeds") ?? []).Select(s => (int)s).ToArray();
                var suiteTrain = o.ReadTrain(result);
                suiteTrain.Check();
                var runs = new RunFolder(result.GetValue(o.Output) ?? Path.Combine("runs", "suite"));
                Suite.Run(suiteTrain, suiteSeeds, size == "smoke", runs, result.GetValue(results)!, line => { if (!result.GetValue(o.Quiet)) { console.WriteLine(line); } }, cancel);
                return 0;
            }
            var names = CommandOptions.List(result.GetValue(losses)) ?? [];
            if (names.Count < 1)
            {
                throw new UserError("--losses: name at least one loss.");
            }
            var seedList = (CommandOptions.Numbers(result.GetValue(seeds), "--seeds") ?? []).Select(s => (int)s).ToArray();
            int? foldCount = result.GetValue(folds);
            if (foldCount is null && seedList.Length == 0)
            {
                throw new UserError("--seeds: give at least one seed.");
            }
            var dataOptions = o.ReadData(result);
            var train = o.ReadTrain(result);
            train.Check();
            var specs = names.Select(n => o.ReadLoss(result, n)).ToArray();
            var data = DataSource.Load(dataOptions);
            foreach (var spec in specs)
            {
                spec.Check(data.ClassNames.Length);
            }
            var folder = new RunFolder(result.GetValue(o.Output) ?? Path.Combine("runs", "compare"));
            console.MarkupLine($"[bold]{Markup.Escape(data.Name)}[/]: {data.Count} samples; losses {Markup.Escape(string.Join(", ", names))}; {(foldCount is int k ? $"{k} folds" : $"seeds {string.Join(", ", seedList)}")}");
            var comparison = Comparison.Run(data, dataOptions, specs, train, seedList, foldCount, folder, line => { if (!result.GetValue(o.Quiet)) { console.WriteLine(line); } }, cancel);
            comparison.Write(folder);
            console.Write(new Markup(Markup.Escape(comparison.Markdown(2))));
            console.MarkupLine($"written: {Markup.Escape(folder.PathOf("compare.md"))}");
            return 0;
        }));
        return command;
    }
}
