using System.Runtime.ExceptionServices;

namespace EarthMover.Kernels;

/// <summary>
/// Runs the chunks of a large batch on up to a given number of threads, the calling thread among them.
/// Each thread takes the next chunk from a shared counter until none is left, so the work goes to the threads
/// that are actually running: on a busy machine, a helper the operating system has not scheduled yet finds
/// nothing left when it starts, and the call never waits for it (only for chunks already begun).
/// </summary>
internal static class ParallelChunks
{
    /// <summary>Chunks per worker: enough for the running threads to even out, few enough to cost little.</summary>
    public const int ChunksPerWorker = 4;

    /// <summary>The items [First, End) of chunk <paramref name="chunk"/> when <paramref name="items"/> are cut into <paramref name="chunks"/> near-equal chunks.</summary>
    public static (int First, int End) Range(int chunk, int chunks, int items) =>
        ((int)((long)items * chunk / chunks), (int)((long)items * (chunk + 1) / chunks));

    /// <summary>Calls <paramref name="body"/> once for each chunk index in [0, <paramref name="chunks"/>), on up to <paramref name="workers"/> threads.</summary>
    /// <param name="chunks">Number of chunks.</param>
    /// <param name="workers">The most threads, the calling thread included.</param>
    /// <param name="threads">Where the helpers come from.</param>
    /// <param name="body">The work of one chunk.</param>
    public static void Run(int chunks, int workers, WorkerThreads threads, Action<int> body)
    {
        var work = new Work(chunks, body);
        if (threads == WorkerThreads.TorchTeam && TorchThreads.IsAvailable)
        {
            TorchThreads.Run(workers, work);
        }
        else
        {
            for (int i = 1; i < workers; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
            }
            work.Execute();
            work.WaitForChunksInProgress();
        }
        work.Rethrow();
    }

    /// <summary>The chunks of one call, taken in turn by every thread that runs <see cref="Execute"/>.</summary>
    internal sealed class Work(int chunks, Action<int> body) : IThreadPoolWorkItem
    {
        private readonly object _gate = new(); // Monitor.Wait needs an object, not a Lock.
        private int _next = -1;
        private int _done;
        private Exception? _error;

        /// <summary>Runs chunks until none is left to take.</summary>
        public void Execute()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref _next)) < chunks)
            {
                try
                {
                    body(chunk);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref _error, e, null);
                }
                if (Interlocked.Increment(ref _done) == chunks)
                {
                    lock (_gate)
                    {
                        Monitor.PulseAll(_gate);
                    }
                }
            }
        }

        /// <summary>Waits until every chunk has finished; called once all of them have been taken.</summary>
        public void WaitForChunksInProgress()
        {
            // A chunk in progress usually ends within microseconds: spin briefly before sleeping.
            var spin = new SpinWait();
            while (Volatile.Read(ref _done) < chunks && !spin.NextSpinWillYield)
            {
                spin.SpinOnce();
            }
            lock (_gate)
            {
                while (Volatile.Read(ref _done) < chunks)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        /// <summary>Rethrows the first exception a chunk threw, if any.</summary>
        public void Rethrow()
        {
            if (_error is not null)
            {
                ExceptionDispatchInfo.Throw(_error);
            }
        }
    }
}
