namespace EarthMover.Cli;

/// <summary>The entry point; everything else is in <see cref="CliApp"/>.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        // First, before anything loads libtorch: its OpenMP threads read their wait policy once, at load.
        // Sleeping rather than spinning keeps training near its fair share on a busy machine (see CpuThreading).
        CpuThreading.UsePassiveWaiting();
        return CliApp.RunAsync(args, Console.Out, Console.Error);
    }
}
