namespace EarthMover.Modules;

/// <summary>MCE as a module: see <see cref="earthmover.nn.functional.mce_loss"/>.</summary>
public sealed class MCELoss : EarthMoverLoss
{
    internal MCELoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.mce_loss(input, target, input_type, weight, sample_weight, reduction);
}
