using System.Globalization;

namespace EarthMover.Benchmarks;

/// <summary>
/// Not a benchmark: calls cross_entropy and squared_emd_loss (forward plus backward, as <see cref="HardwareBenchmarks"/>
/// does) in turn many times in this process, so that a sampling profiler can say where the time goes
/// (benchmarks/profile.sh runs it under <c>perf</c>).
/// </summary>
internal static class ProfileLoop
{
    /// <summary>The command-line switch: <c>--profile-loop CLASSES CALLS</c>.</summary>
    public const string Option = "--profile-loop";

    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int classes) || classes < 2
            || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int calls) || calls < 1)
        {
            Console.Error.WriteLine($"usage: {Option} CLASSES CALLS (CLASSES >= 2, CALLS >= 1)");
            return 2;
        }
        var losses = new HardwareBenchmarks { Batch = 256, Classes = classes };
        losses.Setup();
        try
        {
            for (int i = 0; i < calls; i++)
            {
                losses.CrossEntropy();
                losses.SquaredEmd();
            }
        }
        finally
        {
            losses.Cleanup();
        }
        return 0;
    }
}
