using System.CommandLine;
using EarthMover.Cli.Commands;
using EarthMover.Cli.Reports;
using Spectre.Console;

namespace EarthMover.Cli.Evidence;

/// <summary>
/// compare --suite FILE: every training the suite file describes (or one --shard of them), raw.csv and the
/// results page in the output folder, and the page also at --results when given (nothing is written into docs/
/// unless asked). The suite file sets data, losses, seeds and training: the options that would set them are refused.
/// </summary>
internal static class SuiteCommand
{
    public static int Run(ParseResult result, Command command, IReadOnlyCollection<Option> allowed, string suitePath, string? shardText, string? resultsPath, RunFolder runs, bool force, bool quiet, TextWriter output, CancellationToken cancel)
    {
        // Every check comes before anything is written.
        var suite = SuiteFile.Read(suitePath);
        if (command.Options.FirstOrDefault(o => !allowed.Contains(o) && CommandOptions.Given(result, o)) is { } extra)
        {
            throw new UserError($"{extra.Name}: the suite file sets the data, losses, seeds and training; with --suite only --shard, --results, --output, --force and --quiet apply.");
        }
        var shard = Shard.Parse(shardText);
        suite.CheckSources();
        RunFolder? pageFolder = null;
        if (resultsPath is not null)
        {
            if (shard.Count > 1)
            {
                throw new UserError("--results: a shard holds part of the suite; write the page with earthmover report once every shard has finished.");
            }
            pageFolder = ReportCommand.PageFolder(resultsPath, "--results");
            Commands.OutputFile.Check(resultsPath, "--results", force, [(suitePath, "the --suite file")], [], createsFolder: true);
        }
        if (force)
        {
            runs.Clear();
        }
        var console = Consoles.Create(output);
        void Log(string line)
        {
            if (!quiet)
            {
                console.WriteLine(line);
            }
        }
        Log($"suite {suite.Path}: {suite.Datasets.Count} datasets x {suite.Losses.Count} losses x {suite.Seeds.Count} seeds{(shard.Count > 1 ? $", shard {shard.Index}/{shard.Count}" : "")}; a family of {suite.Family.Count} comparisons (needs at least {suite.MinimumSeeds} seeds)");
        var rows = SuiteRunner.Run(suite, shard, runs, Log, cancel);
        if (shard.Count > 1)
        {
            Log($"written: {runs.PathOf(SuiteRunner.RawFile)} (shard {shard.Index}/{shard.Count}); when every shard has finished: earthmover report --suite {suitePath} --raw <each shard's raw.csv, comma-separated> -o <page.md>");
            return 0;
        }
        var stats = SuiteStatistics.Compute(suite, rows);
        ResultsPage.Write(stats, runs, "results.md");
        if (pageFolder is not null)
        {
            ResultsPage.Write(stats, pageFolder, Path.GetFileName(resultsPath!));
        }
        Log($"written: {runs.PathOf("results.md")}{(resultsPath is null ? "" : $" and {resultsPath}")}; {stats.Survivors} of {stats.Family.Count} comparisons survive Holm's correction");
        return 0;
    }
}
