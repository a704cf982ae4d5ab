using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace EarthMover.Benchmarks;

/// <summary>
/// The steps of every ordinal loss of issue 19 (forward + backward, as the library runs it: the fused raw-row kernel on the CPU
/// where the loss has one, tensor operations for the batch-level losses) against TorchSharp's cross_entropy on
/// K float32 logits of the same batch. Threshold models (CORAL, CORN, logistic all-threshold, ECOC) take K - 1
/// logits, as a model with their head would produce.
/// </summary>
[MemoryDiagnoser]
public abstract class OrdinalLossComparison
{
    private static readonly SoftLabelShape Sord = SoftLabelShape.Sord(1.0);
    private static readonly SoftLabelShape Binomial = SoftLabelShape.Binomial();

    private Tensor _logits = null!;
    private Tensor _thresholds = null!;
    private Tensor _target = null!;

    /// <summary>Rows of the batch (a [Params] in each subclass, or fixed).</summary>
    public abstract int Batch { get; set; }

    /// <summary>Classes K (a [Params] in each subclass, or fixed).</summary>
    public abstract int Classes { get; set; }

    /// <summary>The factor on the standard normal logits (1 unless a subclass varies it).</summary>
    public virtual int Scale { get; set; } = 1;

    [GlobalSetup]
    public void Setup()
    {
        LossSteps.UseProgramThreading();
        torch.manual_seed(1);
        _logits = torch.randn(Batch, Classes).mul_(Scale).requires_grad_();
        _thresholds = torch.randn(Batch, Classes - 1).mul_(Scale).requires_grad_();
        _target = torch.randint(0, Classes, Batch, dtype: ScalarType.Int64);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _logits.Dispose();
        _thresholds.Dispose();
        _target.Dispose();
    }

    [Benchmark(Baseline = true, Description = "cross_entropy")]
    public void CrossEntropy() => LossSteps.Step(_logits, () => torch.nn.functional.cross_entropy(_logits, _target));

    [Benchmark(Description = "coral_loss")]
    public void Coral() => LossSteps.Step(_thresholds, () => earthmover.nn.functional.coral_loss(_thresholds, _target));

    [Benchmark(Description = "corn_loss")]
    public void Corn() => LossSteps.Step(_thresholds, () => earthmover.nn.functional.corn_loss(_thresholds, _target));

    [Benchmark(Description = "logistic_at_loss")]
    public void LogisticAt() => LossSteps.Step(_thresholds, () => earthmover.nn.functional.logistic_at_loss(_thresholds, _target));

    [Benchmark(Description = "ecoc_loss")]
    public void Ecoc() => LossSteps.Step(_thresholds, () => earthmover.nn.functional.ecoc_loss(_thresholds, _target));

    [Benchmark(Description = "soft_label_ce_loss (sord)")]
    public void SoftSord() => LossSteps.Step(_logits, () => earthmover.nn.functional.soft_label_ce_loss(_logits, _target, Sord));

    [Benchmark(Description = "soft_label_ce_loss (binomial)")]
    public void SoftBinomial() => LossSteps.Step(_logits, () => earthmover.nn.functional.soft_label_ce_loss(_logits, _target, Binomial));

    [Benchmark(Description = "cdw_ce_loss")]
    public void CdwCe() => LossSteps.Step(_logits, () => earthmover.nn.functional.cdw_ce_loss(_logits, _target));

    [Benchmark(Description = "slace_loss")]
    public void Slace() => LossSteps.Step(_logits, () => earthmover.nn.functional.slace_loss(_logits, _target, 1.0));

    [Benchmark(Description = "qwk_loss")]
    public void Qwk() => LossSteps.Step(_logits, () => earthmover.nn.functional.qwk_loss(_logits, _target));

    [Benchmark(Description = "mce_loss")]
    public void Mce() => LossSteps.Step(_logits, () => earthmover.nn.functional.mce_loss(_logits, _target));

    [Benchmark(Description = "mce_qwk_loss")]
    public void MceQwk() => LossSteps.Step(_logits, () => earthmover.nn.functional.mce_qwk_loss(_logits, _target));
}
