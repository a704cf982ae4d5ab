namespace EarthMover.Cli;

/// <summary>The entry point; everything else is in <see cref="CliApp"/>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliApp.RunAsync(args, Console.Out, Console.Error);
}
