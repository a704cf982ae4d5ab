using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>CORAL (docs/math.md §16).</summary>
internal sealed class CoralDefinition : ThresholdDefinition
{
    private readonly double[]? _importance;

    public CoralDefinition(IReadOnlyList<double>? importanceWeights)
    {
        _importance = OrdinalMath.NonNegative(importanceWeights, "importance_weights");
    }

    public override string Name => "coral_loss";

    public override void CheckClasses(int classes)
    {
        if (_importance is not null && _importance.Length != classes - 1)
        {
            throw OrdinalMath.Invalid($"importance_weights has {_importance.Length} entries but there are {classes - 1} thresholds (K = {classes}); give one per threshold.", "importance_weights");
        }
    }

    public override IRawRowKernel RawRowKernel(int classes, bool logits) => new ThresholdKernel(classes, _importance, conditional: false);

    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        using var scope = torch.NewDisposeScope();
        int classes = (int)input.size(1) + 1;
        var terms = OrdinalMath.ThresholdTerms(input, target, classes);
        if (_importance is not null)
        {
            terms = terms * torch.tensor(_importance, dtype: input.dtype, device: input.device);
        }
        return terms.sum(1).MoveToOuterDisposeScope();
    }
}
