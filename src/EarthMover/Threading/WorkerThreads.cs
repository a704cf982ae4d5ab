namespace EarthMover.Kernels;

/// <summary>Which threads help the calling thread run the chunks of a large batch (<see cref="ParallelChunks"/>).</summary>
internal enum WorkerThreads
{
    /// <summary>.NET thread-pool threads.</summary>
    ThreadPool,

    /// <summary>libtorch's own OpenMP team, entered through libgomp's <c>GOMP_parallel</c> (Linux; elsewhere the thread pool).</summary>
    TorchTeam,
}
