namespace EarthMover.Modules;

/// <summary>The exact EMD to one-hot targets under a ground distance, as a module: see <see cref="earthmover.nn.functional.ground_emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
public sealed class GroundEMDLoss : GroundDistanceLoss
{
    internal GroundEMDLoss(GroundDistance distance, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(distance, inputType, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.ground_emd_loss(input, target, distance, input_type, weight, sample_weight, reduction);
}
