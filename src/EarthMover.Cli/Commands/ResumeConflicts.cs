using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using EarthMover.Training.Data;

namespace EarthMover.Cli.Commands;

/// <summary>
/// train --resume continues a run with the settings it started with. An option given on the command line that
/// differs from the run's (another --loss, --data, --target, --hidden ...) would silently be ignored or mix two
/// runs, so it is refused, naming each conflict. Options map to the settings' properties by name (--batch-size
/// to BatchSize), with the few exceptions listed here.
/// </summary>
internal static class ResumeConflicts
{
    private static readonly Dictionary<string, string> Renamed = new(StringComparer.Ordinal)
    {
        ["--data"] = nameof(DataOptions.Source),
        ["--loss"] = nameof(LossSpec.Text),
        ["--lr"] = nameof(TrainOptions.LearningRate),
        ["--warmup"] = nameof(LossSpec.WarmupEpochs),
        ["--soft-labels"] = nameof(LossSpec.SoftLabelsText),
    };

    /// <summary>Options that may differ when resuming: the run folder itself, more (or fewer) epochs, output.</summary>
    private static readonly string[] Free = ["--resume", "--output", "--epochs", "--quiet", "--help", "--save-split"];

    /// <summary>Throws if an option on the command line conflicts with the run being resumed.</summary>
    /// <param name="result">The command line.</param>
    /// <param name="command">The train command (its options are enumerated).</param>
    /// <param name="given">The settings as the command line gives them (defaults where not given).</param>
    /// <param name="stored">The run's settings.</param>
    public static void Check(ParseResult result, Command command, (DataOptions Data, LossSpec Loss, TrainOptions Train) given, RunConfig stored)
    {
        var conflicts = new List<string>();
        foreach (var option in command.Options.Where(o => CommandOptions.Given(result, o) && !Free.Contains(o.Name)))
        {
            string property = Renamed.GetValueOrDefault(option.Name) ?? Pascal(option.Name);
            var found = new (object Given, object Stored)[] { (given.Data, stored.Data), (given.Loss, stored.Loss), (given.Train, stored.Train) }
                .Select(pair => (Property: pair.Given.GetType().GetProperty(property, BindingFlags.Public | BindingFlags.Instance), pair.Given, pair.Stored))
                .FirstOrDefault(p => p.Property is not null);
            if (found.Property is null)
            {
                conflicts.Add($"{option.Name} (it cannot change when resuming)");
                continue;
            }
            string mine = Show(found.Property.GetValue(found.Given));
            string theirs = Show(found.Property.GetValue(found.Stored));
            if (option.Name == "--data" && mine != DataSource.Diamonds && theirs != DataSource.Diamonds)
            {
                (mine, theirs) = (Path.GetFullPath(mine), Path.GetFullPath(theirs));
            }
            if (mine != theirs)
            {
                conflicts.Add($"{option.Name} {mine} (the run has {theirs})");
            }
        }
        if (conflicts.Count > 0)
        {
            throw new UserError($"--resume continues the run with its own settings (only --epochs may change); these options differ: {string.Join("; ", conflicts)}. Drop them, or start a new run (--force replaces this one).");
        }
    }

    // --batch-size → BatchSize
    private static string Pascal(string option) =>
        string.Concat(option.TrimStart('-').Split('-').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    // A setting as the user would type it: lists comma-separated, enums in lower case, nothing as "(none)".
    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s => s,
        Enum e => e.ToString().ToLowerInvariant(),
        System.Collections.IEnumerable list => string.Join(",", list.Cast<object?>().Select(Show)),
        _ => JsonSerializer.Serialize(value, RunConfig.Json),
    };
}
