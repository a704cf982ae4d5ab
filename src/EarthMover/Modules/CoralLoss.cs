namespace EarthMover.Modules;

/// <summary>CORAL's loss as a module: see <see cref="earthmover.nn.functional.coral_loss"/>. Options are checked when set.</summary>
public sealed class CoralLoss : EarthMoverLoss
{
    private double[]? _importance;

    internal CoralLoss(IReadOnlyList<double>? importanceWeights, Tensor? weight, Reduction reduction)
        : base(null, weight, reduction)
    {
        importance_weights = importanceWeights;
    }

    /// <summary>The per-task weights λ_q (K - 1), or null for 1.</summary>
    public IReadOnlyList<double>? importance_weights { get => _importance; set => _importance = OrdinalMath.NonNegative(value, nameof(importance_weights)); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.coral_loss(input, target, _importance, input_type, weight, sample_weight, reduction);
}
