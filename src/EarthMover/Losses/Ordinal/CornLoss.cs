using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>CORN (docs/math.md §17).</summary>
internal sealed class CornDefinition : ThresholdDefinition
{
    public override string Name => "corn_loss";

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, null, conditional: true);

    public override Tensor? MeanCounts(Tensor target, int classes, ScalarType dtype) =>
        (target.to(ScalarType.Int64) + 1).clamp_max(classes - 1).to(dtype);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var q = torch.arange(classes - 1, dtype: ScalarType.Int64, device: input.device).unsqueeze(0);
        var inTask = target.to(ScalarType.Int64).unsqueeze(1).ge(q).to(input.dtype);
        var terms = OrdinalMath.ThresholdTerms(input, target, classes);
        return (terms * inTask).sum(1).MoveToOuterDisposeScope();
    }
}
