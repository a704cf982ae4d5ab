using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>Logistic all-threshold (docs/math.md §18): CORAL's per-sample loss without importance weights.</summary>
internal sealed class LogisticAtDefinition : ThresholdDefinition
{
    public override string Name => "logistic_at_loss";

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, null, conditional: false);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var terms = OrdinalMath.ThresholdTerms(input, target, classes);
        return terms.sum(1).MoveToOuterDisposeScope();
    }
}
