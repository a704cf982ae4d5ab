using System.CommandLine;
using EarthMover.Training.Methods;
using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>
/// earthmover losses: every loss --loss (and compare's --losses) takes, from the program's one table of losses:
/// the short name, its parameters (name:key=value) or the options that set it, the model's head, one line, and the paper.
/// </summary>
internal static class LossesCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("losses", "List every loss --loss takes: short name, parameters (e.g. cdw-ce:alpha=2) or the options that set it, the model's outputs, one line, and the paper.");
        command.SetAction((result, cancel) => CliApp.Guard(() =>
        {
            var console = Consoles.Create(output);
            var table = new Table().Title("losses for --loss (parameters after colons: name:key=value:key=value, or name:value for the first)");
            table.AddColumns("name", "family", "parameters (default)", "outputs", "what it is", "paper");
            foreach (var method in LossMethods.All)
            {
                string parameters = method.Parameters.Count > 0
                    ? string.Join("; ", method.Parameters.Select(p => p.Describe()))
                    : method.Options.Length > 0 ? $"options {method.Options}" : "-";
                table.AddRow(
                    Markup.Escape(method.Name),
                    Markup.Escape(method.Family),
                    Markup.Escape(parameters),
                    Markup.Escape(Outputs(method.Head)),
                    Markup.Escape(method.Summary),
                    Markup.Escape(method.Paper));
            }
            console.Write(table);
            console.WriteLine("coral, corn, logistic-at and ecoc classify by their own rule; the others by --decoder. Every loss reports a class distribution (earthmover.ordinal.*_probabilities for the C - 1 output heads).");
            return 0;
        }));
        return command;
    }

    private static string Outputs(LossHead head) => head switch
    {
        LossHead.Logits => "C logits",
        LossHead.Coral => "C-1 (CORAL layer)",
        LossHead.LogisticAt => "C-1 (score - thresholds)",
        LossHead.Corn => "C-1 conditional",
        LossHead.Ecoc => "C-1 code bits",
        _ => "1 value",
    };
}
