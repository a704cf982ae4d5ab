using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;

namespace EarthMover.Kernels;

/// <summary>
/// Runs the fused kernels' workers on libtorch's own OpenMP thread team (through libgomp's
/// <c>GOMP_parallel</c>, the entry point of <c>#pragma omp parallel</c>), as libtorch's at::parallel_for does.
/// Why: after each parallel torch operation the team's idle threads keep spinning for milliseconds, so a
/// .NET worker thread would have to share a core with them (on a 2-core machine a second .NET thread then
/// brings nothing); a spinning team thread instead picks the work up at once. Where libgomp cannot be
/// reached (another OpenMP runtime, another platform), the .NET thread pool runs the workers.
/// </summary>
internal static unsafe class TorchThreads
{
    private static readonly delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void> GompParallel;
    private static readonly delegate* unmanaged<int> ThreadNumber;
    private static readonly delegate* unmanaged<int> TeamSize;

    static TorchThreads()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Make sure libtorch is loaded, then find libgomp among its dependencies.
        _ = torch.get_num_threads();
        if (NativeLibrary.TryLoad("libtorch_cpu.so", out var library)
            && NativeLibrary.TryGetExport(library, "GOMP_parallel", out var parallel)
            && NativeLibrary.TryGetExport(library, "omp_get_thread_num", out var number)
            && NativeLibrary.TryGetExport(library, "omp_get_num_threads", out var size))
        {
            GompParallel = (delegate* unmanaged<delegate* unmanaged<void*, void>, void*, uint, uint, void>)parallel;
            ThreadNumber = (delegate* unmanaged<int>)number;
            TeamSize = (delegate* unmanaged<int>)size;
        }
    }

    /// <summary>Whether workers run on libtorch's OpenMP team (else on the .NET thread pool).</summary>
    public static bool UsesTorchTeam => GompParallel != null && !ForceThreadPool;

    /// <summary>For tests: run on the .NET thread pool even where the OpenMP team is reachable.</summary>
    internal static bool ForceThreadPool { get; set; }

    /// <summary>Calls <paramref name="body"/> once for each worker index in [0, workers), in parallel.</summary>
    public static void For(int workers, Action<int> body)
    {
        if (workers <= 1)
        {
            body(0);
            return;
        }
        if (!UsesTorchTeam)
        {
            Parallel.For(0, workers, body);
            return;
        }
        var work = new Work(body, workers);
        var handle = GCHandle.Alloc(work);
        try
        {
            GompParallel(&Run, (void*)GCHandle.ToIntPtr(handle), (uint)workers, 0);
        }
        finally
        {
            handle.Free();
        }
        work.Rethrow();
    }

    [UnmanagedCallersOnly]
    private static void Run(void* state)
    {
        var work = (Work)GCHandle.FromIntPtr((nint)state).Target!;
        // The team may be smaller than asked for: each thread takes every team-th worker.
        int team = Math.Max(1, TeamSize());
        for (int worker = ThreadNumber(); worker < work.Workers; worker += team)
        {
            try
            {
                work.Body(worker);
            }
            catch (Exception e)
            {
                work.Fail(e);
            }
        }
    }

    private sealed class Work(Action<int> body, int workers)
    {
        private Exception? _error;

        public Action<int> Body { get; } = body;

        public int Workers { get; } = workers;

        public void Fail(Exception e) => Interlocked.CompareExchange(ref _error, e, null);

        public void Rethrow()
        {
            if (_error is not null)
            {
                ExceptionDispatchInfoThrow(_error);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void ExceptionDispatchInfoThrow(Exception e) => System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
    }
}
