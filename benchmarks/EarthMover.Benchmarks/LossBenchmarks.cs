using BenchmarkDotNet.Attributes;
using EarthMover.Kernels;

namespace EarthMover.Benchmarks;

/// <summary>
/// The losses against cross_entropy over a grid of batch sizes and class counts (<see cref="LossComparison"/>): the
/// grid of the one-engine issue, B x C in {32, 256, 4096} x {2, 8, 100, 1000}, with every distance loss but
/// sinkhorn_loss (its iterations cost 2 C² exponentials per row each: 255 ms at 32 x 100 and about 50 s at
/// 32 x 1000 here; SinkhornBenchmarks measures it against POT at the sizes it is meant for).
/// Beside the losses as the library runs them: squared_emd_loss with each source of helper threads for
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

    private ClassTree? _tree;

    [Benchmark(Description = "emd_loss")]
    public void Emd() => LossSteps.Step(Logits, () => earthmover.nn.functional.emd_loss(Logits, Target, Distance));

    [Benchmark(Description = "tree_emd_loss")]
    public void TreeEmd() => LossSteps.Step(Logits, () => earthmover.nn.functional.tree_emd_loss(Logits, Target, Tree));

    [Benchmark(Description = "wasserstein_1d_loss")]
    public void Wasserstein1d() => LossSteps.Step(Logits, () => earthmover.nn.functional.wasserstein_1d_loss(Logits, Target));

    // A binary tree over the classes (class k's parent is (k - 1) / 2), edges of length 1; built once, at the first call.
    private ClassTree Tree => _tree ??= ClassTree.FromParents(Classes, [.. Enumerable.Range(0, Classes).Select(k => k == 0 ? -1 : (k - 1) / 2)], [.. Enumerable.Range(0, Classes).Select(k => k == 0 ? 0.0 : 1.0)]);

    [Benchmark(Description = "squared_emd_loss, thread-pool helpers")]
    public void SquaredEmdThreadPool() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, WorkerThreads.ThreadPool));

    [Benchmark(Description = "squared_emd_loss, OpenMP helpers")]
    public void SquaredEmdTorchTeam() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, WorkerThreads.TorchTeam));

    [Benchmark(Description = "squared_emd_loss, tensor operations")]
    public void SquaredEmdTensorOps() => LossSteps.Step(Logits, () => LossSteps.SquaredEmd(Logits, Target, LossBackend.TensorOps));
}
