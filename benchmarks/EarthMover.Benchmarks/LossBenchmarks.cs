using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;

namespace EarthMover.Benchmarks;

/// <summary>
/// The losses against cross_entropy over a grid of batch sizes and class counts (<see cref="LossComparison"/>).
/// Beside the three losses as the library runs them: squared_emd_loss with each source of helper threads for
/// large batches (the .NET thread pool, which the losses use when libtorch's threads wait passively, as here;
/// libtorch's OpenMP team, which they use when those threads spin), and composed of tensor operations (what runs
/// on CUDA).
/// </summary>
public class LossBenchmarks : LossComparison
{
    [Params(32, 256, 4096)]
    public override int Batch { get; set; }

    [Params(2, 8, 100, 1000)]
    public override int Classes { get; set; }

    [Benchmark(Description = "squared_emd_loss, thread-pool helpers")]
    public void SquaredEmdThreadPool() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, WorkerThreads.ThreadPool));

    [Benchmark(Description = "squared_emd_loss, OpenMP helpers")]
    public void SquaredEmdTorchTeam() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, WorkerThreads.TorchTeam));

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, LossBackend.TensorOps));
}
