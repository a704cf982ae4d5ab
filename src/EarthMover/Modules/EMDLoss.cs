namespace EarthMover.Modules;

/// <summary>The exact EMD to a target distribution under any ground distance, as a module: see <see cref="earthmover.nn.functional.emd_loss(Tensor, Tensor, GroundDistance, EmdInput?, Tensor?, Tensor?, Reduction)"/>.</summary>
public sealed class EMDLoss : GroundDistanceLoss
{
    internal EMDLoss(GroundDistance distance, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(distance, inputType, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.emd_loss(input, target, distance, input_type, weight, sample_weight, reduction);
}
