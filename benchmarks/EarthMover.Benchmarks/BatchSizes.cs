namespace EarthMover.Benchmarks;

/// <summary>
/// <c>--batches 4096[,256...]</c>: runs the size-swept benchmarks that take their batch sizes from here
/// (<see cref="OrdinalLossBenchmarks"/>) at those sizes only, so that one noisy cell can be measured again, with more
/// launches, without the whole sweep. BenchmarkDotNet reads the sizes in this process and writes them into the
/// benchmark processes it generates.
/// </summary>
internal static class BatchSizes
{
    /// <summary>The command-line option.</summary>
    public const string Option = "--batches";

    /// <summary>The sizes chosen, or null for each class's own.</summary>
    public static int[]? Chosen { get; private set; }

    /// <summary><paramref name="defaults"/>, or the sizes chosen on the command line.</summary>
    public static IEnumerable<int> Or(params int[] defaults) => Chosen ?? defaults;

    /// <summary>Takes the option and its value out of <paramref name="args"/>.</summary>
    public static string[] Apply(string[] args)
    {
        int at = Array.IndexOf(args, Option);
        if (at < 0)
        {
            return args;
        }
        if (at + 1 >= args.Length)
        {
            throw new ArgumentException($"{Option} needs a value: positive batch sizes separated by commas, e.g. {Option} 4096.");
        }
        var sizes = args[at + 1].Split(',');
        Chosen = sizes.Select(s => int.TryParse(s, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{Option} {args[at + 1]}: '{s}' is not a positive batch size.")).ToArray();
        return [.. args[..at], .. args[(at + 2)..]];
    }
}
