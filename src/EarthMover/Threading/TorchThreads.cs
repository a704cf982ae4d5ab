using System.Runtime.InteropServices;

namespace EarthMover.Kernels;

/// <summary>
/// libtorch's own OpenMP thread team, entered through libgomp's <c>GOMP_parallel</c> (the entry point of
/// <c>#pragma omp parallel</c>), as libtorch's at::parallel_for does. One of the two sources of helper threads
/// for <see cref="ParallelChunks"/> (<see cref="WorkerThreads.TorchTeam"/>); available on Linux, where
/// libtorch links libgomp.
/// </summary>
/// <remarks>
/// Why a raw function pointer is safe here: the entry is looked up, never assumed. Where libtorch is not linked
/// with an OpenMP runtime that exports <c>GOMP_parallel</c> (another platform, another build), the lookup finds
/// nothing, <see cref="IsAvailable"/> is false and <see cref="ParallelChunks"/> uses the .NET thread pool; a
/// runtime that does export it takes the signature used here, which has been libgomp's ABI since GCC 4.9 and
/// which LLVM's libomp and Intel's libiomp5 export for GCC compatibility. ThreadingTests checks the lookup on a
/// library without it and on one that cannot be loaded.
/// </remarks>
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
        GompParallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)FindEntry("libtorch_cpu.so");
    }

    /// <summary>The address of <c>GOMP_parallel</c> as seen from <paramref name="library"/> (it or its dependencies); 0 where the library does not load or has none.</summary>
    internal static nint FindEntry(string library) =>
        NativeLibrary.TryLoad(library, out var handle) && NativeLibrary.TryGetExport(handle, "GOMP_parallel", out var entry) ? entry : 0;

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
