namespace EarthMover.Modules;

/// <summary>The logistic all-threshold loss as a module: see <see cref="earthmover.nn.functional.logistic_at_loss"/>.</summary>
public sealed class LogisticATLoss : EarthMoverLoss
{
    internal LogisticATLoss(Tensor? weight, Reduction reduction)
        : base(earthmover.nn.functional.logistic_at_loss, null, weight, reduction)
    {
    }
}
