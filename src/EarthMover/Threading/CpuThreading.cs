namespace EarthMover;

/// <summary>
/// How libtorch and the fused losses use the CPU's threads. Process-wide, like <c>torch.set_num_threads</c>;
/// nothing here happens unless the application calls it.
/// </summary>
/// <remarks>
/// <para>
/// libtorch runs its parallel operations on an OpenMP thread team (libgomp on Linux). By default the team's
/// threads keep spinning for a while after each operation, waiting for the next; on a machine whose cores
/// other processes also want (another training, a build, a shared server) the spinning threads and the
/// processes that need the cores slow each other down, and training can take five times as long as on a quiet
/// machine, where a fair share would cost two. <see cref="UsePassiveWaiting"/> makes the idle threads sleep
/// (<c>OMP_WAIT_POLICY=PASSIVE</c>): on a quiet machine that costs a wake-up of a few microseconds per
/// parallel operation; on a busy one it keeps training near its fair share.
/// </para>
/// <para>
/// libgomp reads its settings from the C environment once, when libtorch is loaded (the first TorchSharp call
/// loads it), so the policy must be set before that: call <see cref="UsePassiveWaiting"/> first thing in
/// <c>Main</c>. .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach the C
/// environment on Linux and macOS; this class sets it through the C library. A policy the user set in the
/// environment (<c>OMP_WAIT_POLICY</c>, or <c>GOMP_SPINCOUNT</c>) is kept.
/// </para>
/// <para>
/// Threads: libtorch uses one per physical core unless told otherwise (<see cref="SetThreads"/>,
/// <c>torch.set_num_threads</c>, or <c>OMP_NUM_THREADS</c>). The fused losses follow the same number: a large
/// batch is cut into chunks that the calling thread and at most that many minus one helpers take in turn. When
/// libtorch's threads wait passively the helpers come from the .NET thread pool, and a helper the operating
/// system has not scheduled yet never holds up the call; when they spin, the helpers are libtorch's own
/// spinning threads, which start at once (Linux).
/// </para>
/// </remarks>
public static class CpuThreading
{
    private const string WaitPolicy = "OMP_WAIT_POLICY";
    private const string SpinCount = "GOMP_SPINCOUNT";

    /// <summary>
    /// Makes libtorch's idle threads sleep instead of spinning (<c>OMP_WAIT_POLICY=PASSIVE</c> in the C
    /// environment), unless the environment already sets <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c>. Call
    /// it before the first TorchSharp call.
    /// </summary>
    /// <returns>Whether libtorch's threads wait passively: false where the environment asks them to spin.</returns>
    /// <exception cref="InvalidOperationException">libtorch is already loaded and the environment sets no policy: it is too late to change it.</exception>
    public static bool UsePassiveWaiting()
    {
        if (NativeEnvironment.Get(WaitPolicy) is null && NativeEnvironment.Get(SpinCount) is null)
        {
            if (NativeEnvironment.IsLoaded("torch_cpu"))
            {
                throw new InvalidOperationException($"libtorch is already loaded, and its threads keep the wait policy they started with; call {nameof(CpuThreading)}.{nameof(UsePassiveWaiting)} before the first TorchSharp call, or set {WaitPolicy}=passive in the environment.");
            }
            NativeEnvironment.Set(WaitPolicy, "PASSIVE");
        }
        return WaitsPassively;
    }

    /// <summary>
    /// Whether libtorch's idle threads sleep rather than spin, as the C environment says: <c>OMP_WAIT_POLICY</c>
    /// is passive, or <c>GOMP_SPINCOUNT</c> is 0. (Without either, libgomp spins for a while before it sleeps.)
    /// </summary>
    public static bool WaitsPassively =>
        string.Equals(NativeEnvironment.Get(WaitPolicy)?.Trim(), "passive", StringComparison.OrdinalIgnoreCase)
        || NativeEnvironment.Get(SpinCount)?.Trim() == "0";

    /// <summary>Sets the number of threads of libtorch's operations (<c>torch.set_num_threads</c>) and of the fused losses.</summary>
    /// <param name="threads">At least 1; more than the machine's cores only adds contention.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static void SetThreads(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        torch.set_num_threads(threads);
    }

    /// <summary>The number of threads of libtorch's operations and of the fused losses (<c>torch.get_num_threads</c>).</summary>
    public static int Threads => torch.get_num_threads();
}
