namespace EarthMover.Modules;

/// <summary>The ordinal ECOC distance loss as a module: see <see cref="earthmover.nn.functional.ecoc_loss"/>.</summary>
public sealed class ECOCLoss : EarthMoverLoss
{
    internal ECOCLoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(earthmover.nn.functional.ecoc_loss, inputType, weight, reduction)
    {
    }
}
