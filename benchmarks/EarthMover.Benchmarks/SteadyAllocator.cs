using BenchmarkDotNet.Jobs;

namespace EarthMover.Benchmarks;

/// <summary>
/// <c>--steady-allocator</c>: runs the benchmark processes with glibc's malloc told to keep freed memory
/// (MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_) and to serve blocks up to 32 MB from its heap (MALLOC_MMAP_THRESHOLD_).
/// Without it, whether a process's freed 1.6 MB gradient goes back to the kernel, so that the next call's page
/// faults refill it, depends on glibc's dynamic thresholds and the order of earlier allocations: on the shared
/// 2-core machine of 2026-12-06 cross_entropy at 4096 x 100 took 413 µs in one BenchmarkDotNet process and 1,857 µs
/// in another (kernel page-fault time 21% of its profile), and every loss moved with it. Both sides of a ratio get
/// the same allocator, so the ratio measures the losses, not the allocator's luck.
/// </summary>
internal static class SteadyAllocator
{
    /// <summary>The command-line switch.</summary>
    public const string Option = "--steady-allocator";

    /// <summary>The job with the allocator settings when <paramref name="args"/> holds the switch (which is removed).</summary>
    public static (Job Job, string[] Remaining) Apply(Job job, string[] args)
    {
        if (!args.Contains(Option))
        {
            return (job, args);
        }
        var steady = job
            .WithEnvironmentVariable("MALLOC_MMAP_THRESHOLD_", "33554432")
            .WithEnvironmentVariable("MALLOC_TRIM_THRESHOLD_", "268435456")
            .WithEnvironmentVariable("MALLOC_TOP_PAD_", "67108864");
        return (steady, [.. args.Where(a => a != Option)]);
    }
}
