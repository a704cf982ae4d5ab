namespace EarthMover.Modules;

/// <summary>CORN's loss as a module: see <see cref="earthmover.nn.functional.corn_loss"/>.</summary>
public sealed class CornLoss : EarthMoverLoss
{
    internal CornLoss(Tensor? weight, Reduction reduction)
        : base(earthmover.nn.functional.corn_loss, null, weight, reduction)
    {
    }
}
