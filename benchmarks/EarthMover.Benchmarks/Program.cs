using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.CsProj;

namespace EarthMover.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (see benchmarks/README.md).</summary>
public static class Program
{
    /// <summary>One launch, 5 warm-up and 30 measured iterations of about 100 ms each: many short iterations and medians, for a shared, noisy machine.</summary>
    public static Job Measurement { get; } = Job.Default
        .WithLaunchCount(1)
        .WithWarmupCount(5)
        .WithIterationCount(30)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100));

    // BenchmarkDotNet's own jobs by the names its --job option takes.
    private static readonly Dictionary<string, Job> NamedJobs = new(StringComparer.OrdinalIgnoreCase)
    {
        ["dry"] = Job.Dry,
        ["short"] = Job.ShortRun,
        ["medium"] = Job.MediumRun,
        ["long"] = Job.LongRun,
        ["default"] = Job.Default,
    };

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ProfileLoop.Option)
        {
            return ProfileLoop.Run(args[1..]);
        }
        if (args.Length > 0 && args[0] == InterleavedRatios.Option)
        {
            return InterleavedRatios.Run(args[1..]);
        }
        // Every benchmark runs in its own process, from a project BenchmarkDotNet generates. That project skips
        // Directory.Build.targets unless told otherwise; imported, it gives the project's copy of TorchSharp's
        // native library the Debian 12 fix (build/TorchSharpNativeFix.targets) as every project here gets it, and
        // jobs can set environment variables (HardwareBenchmarks, ContentionBenchmarks).
        // The base job (--job, else Measurement) is applied to the jobs a class defines, so --job dry runs them once too.
        Job baseJob;
        string[] remaining;
        try
        {
            (baseJob, remaining) = BaseJob(args);
            (baseJob, remaining) = SteadyAllocator.Apply(baseJob, remaining);
            remaining = BatchSizes.Apply(remaining);
        }
        catch (ArgumentException e)
        {
            // A bad option of ours: its message, not a stack trace.
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        var job = baseJob
            .WithToolchain(CsProjCoreToolchain.NetCoreApp10_0)
            .WithArguments([new MsBuildArgument("/p:ImportDirectoryBuildTargets=true")]);
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticRatioColumn.Median, StatisticRatioColumn.Min);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(remaining, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    // --job NAME is taken here rather than by BenchmarkDotNet, which ignores it when the configuration has a default job.
    private static (Job Job, string[] Remaining) BaseJob(string[] args)
    {
        int at = Array.FindIndex(args, a => a is "--job" or "-j");
        if (at < 0 || at + 1 >= args.Length)
        {
            return (Measurement, args);
        }
        if (!NamedJobs.TryGetValue(args[at + 1], out var job))
        {
            throw new ArgumentException($"--job {args[at + 1]}: use one of {string.Join(", ", NamedJobs.Keys)}.");
        }
        return (job, [.. args[..at], .. args[(at + 2)..]]);
    }
}
