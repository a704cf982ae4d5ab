using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace EarthMover.Benchmarks;

/// <summary>Runs the benchmarks chosen on the command line (see benchmarks/README.md).</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        // In process: BenchmarkDotNet's generated out-of-process project skips Directory.Build.targets, so
        // its copy of TorchSharp's native library would miss the Debian 12 fix (build/TorchSharpNativeFix.targets).
        // Many short iterations and medians: this machine is shared and noisy (a --job option replaces the job).
        var job = Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(5)
            .WithIterationCount(30)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(100))
            .WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance.AddJob(job.AsDefault()).AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticRatioColumn.Median, StatisticRatioColumn.Min);
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
