using Spectre.Console;

namespace EarthMover.Cli.Commands;

/// <summary>The program's output: a Spectre.Console console on the given writer (a terminal gets colours and progress bars).</summary>
internal static class Consoles
{
    /// <summary>The width given to pipes, files and logs: wide enough that no line is ever wrapped.</summary>
    public const int UnwrappedWidth = 100_000;

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
            // A redirected stdout has no width: Spectre would wrap at a guessed one and break table rows.
            console.Profile.Width = UnwrappedWidth;
        }
        return console;
    }
}
