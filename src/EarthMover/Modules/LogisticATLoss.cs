namespace EarthMover.Modules;

/// <summary>The logistic all-threshold loss as a module: see <see cref="earthmover.nn.functional.logistic_at_loss"/>.</summary>
public sealed class LogisticATLoss : EarthMoverLoss
{
    internal LogisticATLoss(Tensor? weight, Reduction reduction)
        : base(null, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.logistic_at_loss(input, target, input_type, weight, sample_weight, reduction);
}
