using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>The program's output: a Spectre.Console console on the given writer (a terminal gets colours and progress bars).</summary>
internal static class Consoles
{
    public static IAnsiConsole Create(TextWriter output) =>
        AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected ? InteractionSupport.Detect : InteractionSupport.No,
            Ansi = ReferenceEquals(output, System.Console.Out) ? AnsiSupport.Detect : AnsiSupport.No,
        });
}
