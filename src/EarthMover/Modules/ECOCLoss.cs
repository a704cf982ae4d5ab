namespace EarthMover.Modules;

/// <summary>The ordinal ECOC distance loss as a module: see <see cref="earthmover.nn.functional.ecoc_loss"/>.</summary>
public sealed class ECOCLoss : EarthMoverLoss
{
    internal ECOCLoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.ecoc_loss(input, target, input_type, weight, sample_weight, reduction);
}
