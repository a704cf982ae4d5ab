using TorchSharp;

namespace EarthMover.Kernels;

/// <summary>
/// How a fused loss call runs. Passed to each call explicitly (the library passes <see cref="Default"/>), so that
/// tests and benchmarks can choose a path without a process-wide switch.
/// </summary>
internal sealed record FusedOptions
{
    /// <summary>What the losses use: <see cref="ParallelChunks.DefaultThreads"/>, as many workers as libtorch has threads.</summary>
    public static FusedOptions Default { get; } = new();

    /// <summary>Which threads help the calling thread with a large batch.</summary>
    public WorkerThreads Threads { get; init; } = ParallelChunks.DefaultThreads;

    /// <summary>The most threads a call uses (the calling thread included); null: <c>torch.get_num_threads()</c>.</summary>
    public int? MaxWorkers { get; init; }

    /// <summary>The most threads a call uses now.</summary>
    public int Workers => MaxWorkers ?? Math.Max(1, torch.get_num_threads());
}
