using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// Forward plus backward of each loss against TorchSharp's cross_entropy on the same float32 logits on the
/// CPU: the Ratio column is the cost relative to cross-entropy.
/// </summary>
[MemoryDiagnoser]
public class LossBenchmarks
{
    private Tensor _logits = null!;
    private Tensor _target = null!;
    private GroundDistance _distance = null!;
    private XemdWeights _weights = null!;

    [Params(32, 256, 4096)]
    public int Batch { get; set; }

    [Params(2, 8, 100, 1000)]
    public int Classes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        torch.manual_seed(1);
        _logits = torch.randn(Batch, Classes).requires_grad_();
        _target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
        _distance = GroundDistance.Evenly(Classes);
        _weights = XemdWeights.FromDistance(_distance, XemdPreset.Xemd2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => Step(() => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "squared_emd_loss")]
    public void SquaredEmd() => Step(() => earthmover.nn.functional.squared_emd_loss(_logits, _target));

    [Benchmark(Description = "ground_emd_loss")]
    public void GroundEmd() => Step(() => earthmover.nn.functional.ground_emd_loss(_logits, _target, _distance));

    [Benchmark(Description = "xemd_loss")]
    public void Xemd() => Step(() => earthmover.nn.functional.xemd_loss(_logits, _target, _weights));

    private void Step(Func<Tensor> loss)
    {
        using var scope = torch.NewDisposeScope();
        loss().backward();
        _logits.grad!.Dispose();
        _logits.grad = null;
    }
}
