using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>The program's output: a Spectre.Console console on the given writer (a terminal gets colours and progress bars).</summary>
internal static class Consoles
{
    public static IAnsiConsole Create(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 120; // logs and pipes: wide enough for the metric tables
        }
        return console;
    }
}
