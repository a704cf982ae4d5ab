using System.CommandLine;
using EarthMover.Cli.Evidence;
using EarthMover.Cli.Reports;

namespace EarthMover.Cli.Commands;

/// <summary>
/// earthmover report: a suite's results page (tables, statistics, forest plots) from its raw results, in
/// seconds and without training; several raw files (the shards of one suite) are merged, and --save-raw writes
/// the merged rows in the suite's order.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter output)
    {
        var suite = new Option<string>("--suite") { Description = "The suite file the raw results come from (its losses, seeds, metrics and family).", Required = true };
        var raw = new Option<string>("--raw") { Description = "The raw results: raw.csv of compare --suite; several files (shards) comma-separated.", Required = true };
        var page = new Option<string>("--output", "-o") { Description = "The page to write (a .md file); the forest plots go to the folder of the same name beside it (docs/results.md: docs/results/).", Required = true };
        var saveRaw = new Option<string?>("--save-raw") { Description = "Also write the merged raw results, in the suite's order, to this CSV file." };
        var force = OutputFile.ForceOption("the page and the --save-raw file");
        var command = new Command("report", "Write a suite's results page from its raw results (no training): mean ± std per metric, paired differences to the baseline with bootstrap intervals, Wilcoxon p-values with Holm's correction over the declared family, forest plots.");
        command.Options.Add(suite);
        command.Options.Add(raw);
        command.Options.Add(page);
        command.Options.Add(saveRaw);
        command.Options.Add(force);
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var file = SuiteFile.Read(result.GetValue(suite)!);
            var paths = CommandOptions.Distinct(CommandOptions.List(result.GetValue(raw)), "--raw") ?? [];
            if (paths.Count == 0)
            {
                throw new UserError("--raw: name at least one raw results file.");
            }
            var rows = paths.SelectMany(p => RawResults.Read(p)).ToArray();
            var stats = SuiteStatistics.Compute(file, rows);
            string pagePath = result.GetValue(page)!;
            var folder = PageFolder(pagePath, "--output");
            var inputs = paths.Select(p => ((string?)p, "a --raw file")).Append((result.GetValue(suite), "the --suite file")).ToArray();
            OutputFile.Check(pagePath, "--output", result.GetValue(force), inputs, [], createsFolder: true);
            (RunFolder Folder, string Name)? rawTarget = null;
            if (result.GetValue(saveRaw) is { } savePath)
            {
                if (!savePath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    throw new UserError($"--save-raw {savePath}: name a .csv file.");
                }
                OutputFile.Check(savePath, "--save-raw", result.GetValue(force), inputs, [], createsFolder: true);
                rawTarget = (new RunFolder(Path.GetDirectoryName(Path.GetFullPath(savePath))!, "--save-raw"), Path.GetFileName(savePath));
            }
            ResultsPage.Write(stats, folder, Path.GetFileName(pagePath));
            if (rawTarget is { } target)
            {
                RawResults.Write(target.Folder, target.Name, stats.Rows.ToArray());
            }
            output.WriteLine($"written: {pagePath} and {Path.Combine(Path.GetDirectoryName(pagePath) ?? "", ResultsPage.FiguresFolder(pagePath))}/ ({stats.Rows.Count()} trainings; {stats.Survivors} of {stats.Family.Count} comparisons survive Holm's correction at alpha {file.Alpha.ToString(System.Globalization.CultureInfo.InvariantCulture)})");
            return 0;
        }));
        return command;
    }

    /// <summary>The folder of a page to write (a .md file), checked writable; nothing is created.</summary>
    public static RunFolder PageFolder(string pagePath, string option)
    {
        if (!pagePath.EndsWith(".md", StringComparison.OrdinalIgnoreCase) || Path.GetFileName(pagePath).Length <= 3)
        {
            throw new UserError($"{option} {pagePath}: name a Markdown file (.md); its figures go to the folder of the same name beside it.");
        }
        if (Directory.Exists(pagePath))
        {
            throw new UserError($"{option} {pagePath}: this is a folder; name a .md file.");
        }
        return new RunFolder(Path.GetDirectoryName(Path.GetFullPath(pagePath))!, option);
    }
}
