using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// Forward plus backward of each loss as the library runs it, against TorchSharp's cross_entropy on the same
/// float32 leaf logits on the CPU (the baseline of the ratio columns). Subclasses choose the sizes and add
/// other forms of the losses.
/// </summary>
[MemoryDiagnoser]
public abstract class LossComparison
{
    /// <summary>Rows of the batch (a [Params] in each subclass).</summary>
    public abstract int Batch { get; set; }

    /// <summary>Classes (a [Params] in each subclass).</summary>
    public abstract int Classes { get; set; }

    protected Tensor Logits { get; private set; } = null!;

    protected Tensor Target { get; private set; } = null!;

    protected GroundDistance Distance { get; private set; } = null!;

    protected XemdWeights Weights { get; private set; } = null!;

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        Logits = torch.randn(Batch, Classes).requires_grad_();
        Target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
        Distance = GroundDistance.Evenly(Classes);
        Weights = XemdWeights.FromDistance(Distance, XemdPreset.Xemd2);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Logits.Dispose();
        Target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => LossSteps.Step(Logits, () => torch.nn.functional.cross_entropy(Logits, Target));

    [Benchmark(Description = "squared_emd_loss")]
    public void SquaredEmd() => LossSteps.Step(Logits, () => earthmover.nn.functional.squared_emd_loss(Logits, Target));

    [Benchmark(Description = "ground_emd_loss")]
    public void GroundEmd() => LossSteps.Step(Logits, () => earthmover.nn.functional.ground_emd_loss(Logits, Target, Distance));

    [Benchmark(Description = "xemd_loss")]
    public void Xemd() => LossSteps.Step(Logits, () => earthmover.nn.functional.xemd_loss(Logits, Target, Weights));
}
