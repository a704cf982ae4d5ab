using EarthMover.Kernels;
using EarthMover.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;
using Reduction = TorchSharp.torch.nn.Reduction;

namespace EarthMover.Tests;

/// <summary>Large batches run in chunks on several threads; the result must not depend on which threads ran them.</summary>
[Collection(nameof(ThreadingTests))]
public class ThreadingTests
{
    [Fact]
    public void OpenMP_team_thread_pool_and_one_thread_agree()
    {
        using var z = torch.randn(4096, 37, generator: torch.manual_seed(5));
        using var k = torch.randint(0, 37, 4096, dtype: ScalarType.Int64, generator: torch.manual_seed(6));
        var kernel = new TileKernel<float, OrdinalEmdKernel<float>>(new(37, Enumerable.Repeat(1.0, 36).ToArray(), 2, 1.0 / 37, root: false));
        var (teamLoss, teamGrad) = Run(new FusedOptions { Threads = WorkerThreads.TorchTeam, MaxWorkers = 2 });
        var (poolLoss, poolGrad) = Run(new FusedOptions { Threads = WorkerThreads.ThreadPool, MaxWorkers = 2 });
        var (wideLoss, wideGrad) = Run(new FusedOptions { Threads = WorkerThreads.ThreadPool, MaxWorkers = 7 });
        var (oneLoss, oneGrad) = Run(new FusedOptions { MaxWorkers = 1 });
        // The same chunks, added in the same order: identical to the last bit.
        Assert.Equal(teamLoss, poolLoss);
        Assert.Equal(teamGrad, poolGrad);
        // Other chunks (or none): the gradient is computed row by row, so identical; the sum differs in rounding only.
        Assert.Equal(oneGrad, poolGrad);
        Assert.Equal(oneGrad, wideGrad);
        Assert.Equal(oneLoss, poolLoss, 1e-6);
        Assert.Equal(oneLoss, wideLoss, 1e-6);

        (double, double[]) Run(FusedOptions options)
        {
            var (loss, grad) = LossDispatch.Fused(kernel, k, null, Reduction.Mean, logits: true, options).Run(z, needGrad: true);
            using (loss)
            using (grad)
            {
                return (loss.ToDouble(), Tensors.ToDoubles(grad!));
            }
        }
    }

    [Theory]
    [InlineData(nameof(WorkerThreads.ThreadPool))]
    [InlineData(nameof(WorkerThreads.TorchTeam))]
    public void Every_chunk_runs_exactly_once(string source)
    {
        var threads = Enum.Parse<WorkerThreads>(source);
        var counts = new int[97];
        ParallelChunks.Run(counts.Length, 3, threads, c => Interlocked.Increment(ref counts[c]));
        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(nameof(WorkerThreads.ThreadPool))]
    [InlineData(nameof(WorkerThreads.TorchTeam))]
    public void An_exception_in_a_chunk_reaches_the_caller(string source)
    {
        var threads = Enum.Parse<WorkerThreads>(source);
        var e = Assert.Throws<InvalidOperationException>(() => ParallelChunks.Run(16, 2, threads, c =>
        {
            if (c == 11)
            {
                throw new InvalidOperationException("chunk 11");
            }
        }));
        Assert.Equal("chunk 11", e.Message);
    }

    [Fact]
    public void Linux_builds_reach_libtorch_openmp_team()
    {
        Assert.Equal(OperatingSystem.IsLinux(), TorchThreads.IsAvailable);
    }

    [Fact]
    public void Without_an_openmp_runtime_the_team_is_not_entered_and_the_thread_pool_gives_the_same_result()
    {
        // The lookup finds no entry in a library that links no OpenMP runtime, nor in one that cannot be loaded,
        // so a libtorch built without libgomp leaves IsAvailable false rather than calling a bad pointer.
        Assert.Equal(0, TorchThreads.FindEntry("libdoes-not-exist.so"));
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(0, TorchThreads.FindEntry("libz.so.1"));
            Assert.NotEqual(0, TorchThreads.FindEntry("libtorch_cpu.so"));
        }
        // And the fallback computes what the team computes, chunk for chunk.
        var viaTeam = new int[64];
        var viaPool = new int[64];
        ParallelChunks.Run(64, 4, WorkerThreads.TorchTeam, c => viaTeam[c] = c * c + 1);
        ParallelChunks.Run(64, 4, WorkerThreads.ThreadPool, c => viaPool[c] = c * c + 1);
        Assert.Equal(Enumerable.Range(0, 64).Select(c => c * c + 1), viaTeam);
        Assert.Equal(viaTeam, viaPool);
    }

    [Fact]
    public void An_error_in_a_later_row_is_reported_from_any_worker()
    {
        using var z = torch.randn(4096, 40);
        var target = torch.randint(0, 40, 4096, dtype: ScalarType.Int64);
        target[4000] = torch.tensor(40L);
        var e = Assert.Throws<ArgumentException>(() => SquaredEmd.Compute(z, target, 2, false, null, EmdNormalization.Paper, EmdInput.Logits, null, Reduction.Mean, LossBackend.Fused));
        Assert.Contains("target[4000] = 40", e.Message, StringComparison.Ordinal);
    }
}
