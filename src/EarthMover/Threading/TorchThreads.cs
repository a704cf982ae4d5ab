using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>
/// libtorch's own OpenMP thread team, entered through libgomp's <c>GOMP_parallel</c> (the entry point of
/// <c>#pragma omp parallel</c>), as libtorch's at::parallel_for does. One of the two sources of helper threads
/// for <see cref="ParallelChunks"/> (<see cref="WorkerThreads.TorchTeam"/>); available on Linux, where
/// libtorch links libgomp.
/// </summary>
internal static unsafe class TorchThreads
{
    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> GompParallel;

    static TorchThreads()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Make sure libtorch is loaded, then find libgomp among its dependencies.
        _ = torch.get_num_threads();
        if (NativeLibrary.TryLoad("libtorch_cpu.so", out var library)
            && NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel))
        {
            GompParallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel;
        }
    }

    /// <summary>Whether libgomp's entry point was found.</summary>
    public static bool IsAvailable => GompParallel != null;

    /// <summary>Runs <paramref name="work"/> on a team of <paramref name="threads"/> threads, the calling thread among them; returns when all have finished.</summary>
    public static void Run(int threads, ParallelChunks.Work work)
    {
        var handle = GCHandle.Alloc(work);
        try
        {
            GompParallel(&Execute, (void*)GCHandle.ToIntPtr(handle), (uint)threads, 0);
        }
        finally
        {
            handle.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static void Execute(void* state) => ((ParallelChunks.Work)GCHandle.FromIntPtr((nint)state).Target!).Execute();
}
