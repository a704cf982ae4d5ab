using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;
using F = EarthMover.earthmover.nn.functional;

namespace EarthMover.Benchmarks;

/// <summary>
/// Each distance loss as a user calls it (its public function, with the ground distance |i - j|, or |i - j|² for
/// ground_emd_loss, XEMD's xemd2 weights, a binary class tree, each built once as a training loop builds it) against
/// TorchSharp's cross_entropy on the same float32 leaf logits and class-index targets, over the grid of the one-engine
/// issue (B x C in {32, 256, 4096} x {2, 8, 100, 1000}). sinkhorn_loss is not in this grid: its iterations cost
/// 2 C² exponentials per row each (255 ms at 32 x 100 and about 50 s at 32 x 1000 here), so it has its own
/// benchmark against POT at the sizes it is meant for (SinkhornBenchmarks).
/// </summary>
[MemoryDiagnoser]
public class EveryLossBenchmarks
{
    private Tensor _logits = null!;
    private Tensor _target = null!;
    private GroundDistance _linear = null!;
    private GroundDistance _squared = null!;
    private XemdWeights _xemd = null!;
    private ClassTree _tree = null!;

    /// <summary>Rows of the batch.</summary>
    [Params(32, 256, 4096)]
    public int Batch { get; set; }

    /// <summary>Classes.</summary>
    [Params(2, 8, 100, 1000)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        _logits = torch.randn(Batch, Classes).requires_grad_();
        _target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
        _linear = GroundDistance.Evenly(Classes);
        _squared = GroundDistance.Evenly(Classes, 2);
        _xemd = XemdWeights.FromDistance(_linear, XemdPreset.Xemd2);
        // A binary tree over the classes (class k's parent is (k - 1) / 2), edges of length 1.
        _tree = ClassTree.FromParents(Classes, [.. Enumerable.Range(0, Classes).Select(k => k == 0 ? -1 : (k - 1) / 2)], [.. Enumerable.Range(0, Classes).Select(k => k == 0 ? 0.0 : 1.0)]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => LossSteps.Step(_logits, () => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "squared_emd_loss")]
    public void SquaredEmd() => Step(() => F.squared_emd_loss(_logits, _target));

    [Benchmark(Description = "ground_emd_loss")]
    public void GroundEmd() => Step(() => F.ground_emd_loss(_logits, _target, _squared));

    [Benchmark(Description = "xemd_loss")]
    public void Xemd() => Step(() => F.xemd_loss(_logits, _target, _xemd));

    [Benchmark(Description = "emd_loss")]
    public void Emd() => Step(() => F.emd_loss(_logits, _target, _linear));

    [Benchmark(Description = "tree_emd_loss")]
    public void TreeEmd() => Step(() => F.tree_emd_loss(_logits, _target, _tree));

    [Benchmark(Description = "wasserstein_1d_loss")]
    public void Wasserstein1d() => Step(() => F.wasserstein_1d_loss(_logits, _target));

    private void Step(Func<Tensor> loss) => LossSteps.Step(_logits, loss);
}
