using BenchmarkDotNet.Attributes;

namespace EarthMover.Benchmarks;

/// <summary>
/// What confident predictions cost: every ordinal loss (<see cref="OrdinalLossComparison"/>) at 4096 x 100 on
/// standard normal logits times <see cref="Scale"/>, so that most rows' target probability is tiny (e^-30 and below
/// at 30; far below float32's exponential range at 400), against cross_entropy on the same logits. A loss whose rows
/// leave its fast path when the target's probability underflows shows it here; <see cref="OrdinalLossBenchmarks"/>
/// only sees scale 1.
/// </summary>
public class ConfidentLogitsBenchmarks : OrdinalLossComparison
{
    /// <summary>4096 rows.</summary>
    public override int Batch { get; set; } = 4096;

    /// <summary>100 classes.</summary>
    public override int Classes { get; set; } = 100;

    /// <summary>The factor on the standard normal logits.</summary>
    [Params(1, 30, 400)]
    public override int Scale { get; set; } = 1;
}
