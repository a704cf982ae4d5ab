namespace EarthMover.Kernels;

/// <summary>
/// How a fused loss call runs. Passed to each call explicitly (the library passes <see cref="Default"/>), so that
/// tests and benchmarks can choose a path without a process-wide switch.
/// </summary>
internal sealed record FusedOptions
{
    /// <summary>
    /// What the losses use, decided at the first loss call: as many workers as libtorch has threads, helped by
    /// .NET thread-pool threads where libtorch's threads wait passively (or libgomp is out of reach), else by
    /// libtorch's own spinning threads (see <see cref="CpuThreading"/>).
    /// </summary>
    public static FusedOptions Default { get; } = new()
    {
        Threads = CpuThreading.WaitsPassively || !TorchThreads.IsAvailable ? WorkerThreads.ThreadPool : WorkerThreads.TorchTeam,
    };

    /// <summary>Which threads help the calling thread with a large batch.</summary>
    public WorkerThreads Threads { get; init; } = WorkerThreads.ThreadPool;

    /// <summary>The most threads a call uses (the calling thread included); null: <c>torch.get_num_threads()</c>.</summary>
    public int? MaxWorkers { get; init; }

    /// <summary>The most threads a call uses now.</summary>
    public int Workers => MaxWorkers ?? Math.Max(1, torch.get_num_threads());
}
