namespace EarthMover.Modules;

/// <summary>CORN's loss as a module: see <see cref="earthmover.nn.functional.corn_loss"/>.</summary>
public sealed class CornLoss : EarthMoverLoss
{
    internal CornLoss(Tensor? weight, Reduction reduction)
        : base(null, weight, reduction)
    {
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.corn_loss(input, target, input_type, weight, sample_weight, reduction);
}
