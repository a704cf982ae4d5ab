namespace EarthMover.Modules;

/// <summary>MCE as a module: see <see cref="earthmover.nn.functional.mce_loss"/>.</summary>
public sealed class MCELoss : EarthMoverLoss
{
    internal MCELoss(EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(earthmover.nn.functional.mce_loss, inputType, weight, reduction)
    {
    }
}
