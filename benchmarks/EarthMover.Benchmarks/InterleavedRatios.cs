using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Mathematics;

namespace EarthMover.Benchmarks;

/// <summary>
/// Not a BenchmarkDotNet run: <c>--interleaved BATCH CLASSES [ROUNDS [THREADS]]</c> calls every <see cref="OrdinalLossBenchmarks"/>
/// method in turn in this one process, round after round, and prints each method's time over the baseline's
/// (<c>cross_entropy</c>) in the same round: the median of those paired ratios and their range. BenchmarkDotNet gives
/// every method its own process, and at 4096 x 100 on a shared 2-core machine a whole process runs fast or slow
/// (cross_entropy's median moved from 462 to 629 µs between runs), which moves every ratio of the cell with it; a
/// ratio taken within one round leaves that out. Run it with the allocator settings of <c>--steady-allocator</c> in
/// the environment (glibc reads them at start). THREADS sets libtorch's and the fused losses' threads
/// (<see cref="CpuThreading.SetThreads"/>; default: as the benchmarks run).
/// </summary>
internal static class InterleavedRatios
{
    /// <summary>The command-line switch.</summary>
    public const string Option = "--interleaved";

    public static int Run(string[] args)
    {
        if (args.Length is < 2 or > 4
            || !int.TryParse(args[0], CultureInfo.InvariantCulture, out int batch) || batch < 1
            || !int.TryParse(args[1], CultureInfo.InvariantCulture, out int classes) || classes < 2
            || !TryOptional(args, 2, 31, 3, out int rounds)
            || !TryOptional(args, 3, 0, 1, out int threads))
        {
            Console.Error.WriteLine($"usage: {Option} BATCH CLASSES [ROUNDS [THREADS]] (BATCH >= 1, CLASSES >= 2, ROUNDS >= 3, default 31; THREADS >= 1)");
            return 2;
        }
        var benchmarks = new OrdinalLossBenchmarks { Batch = batch, Classes = classes };
        benchmarks.Setup();
        if (threads > 0)
        {
            CpuThreading.SetThreads(threads);
        }
        try
        {
            var methods = typeof(OrdinalLossBenchmarks).GetMethods()
                .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
                .Where(m => m.Attribute is not null)
                .Select(m => (Name: m.Attribute!.Description ?? m.Method.Name, m.Attribute.Baseline, Call: m.Method.CreateDelegate<Action>(benchmarks)))
                .OrderByDescending(m => m.Baseline)
                .ToArray();
            // Every method warmed up (compiled, buffers grown), then calls per timing: about 20 ms of cross_entropy.
            foreach (var method in methods)
            {
                for (int i = 0; i < 5; i++)
                {
                    method.Call();
                }
            }
            var once = Stopwatch.StartNew();
            for (int i = 0; i < 10; i++)
            {
                methods[0].Call();
            }
            int calls = Math.Max(3, (int)(0.02 / Math.Max(once.Elapsed.TotalSeconds / 10, 1e-7)));
            var times = methods.Select(_ => new double[rounds]).ToArray();
            for (int round = -1; round < rounds; round++)
            {
                for (int m = 0; m < methods.Length; m++)
                {
                    var watch = Stopwatch.StartNew();
                    for (int i = 0; i < calls; i++)
                    {
                        methods[m].Call();
                    }
                    // Round -1 settles the timings in.
                    if (round >= 0)
                    {
                        times[m][round] = watch.Elapsed.TotalMicroseconds / calls;
                    }
                }
            }
            Console.WriteLine($"# {Option} {string.Join(' ', args)}: {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z, {Environment.ProcessorCount} cores, {CpuThreading.Threads} threads, {calls} calls per timing");
            Console.WriteLine($"| method | median µs | paired ratio to {methods[0].Name}: median (min–max over {rounds} rounds) |");
            Console.WriteLine("|---|---|---|");
            for (int m = 0; m < methods.Length; m++)
            {
                var ratios = new Statistics(times[m].Select((t, r) => t / times[0][r]));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {methods[m].Name} | {new Statistics(times[m]).Median:F0} | {ratios.Median:F2} ({ratios.Min:F2}–{ratios.Max:F2}) |"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }
        return 0;
    }

    // args[at] as an integer of at least least, or fallback where it is not given.
    private static bool TryOptional(string[] args, int at, int fallback, int least, out int value)
    {
        value = fallback;
        return args.Length <= at || (int.TryParse(args[at], CultureInfo.InvariantCulture, out value) && value >= least);
    }
}
