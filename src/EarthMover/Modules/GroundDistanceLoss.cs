namespace EarthMover.Modules;

/// <summary>
/// A loss module under a ground distance D between classes (<see cref="EMDLoss"/>, <see cref="GroundEMDLoss"/>, <see cref="SinkhornLoss"/>).
/// The two modules that add nothing to it follow it here.
/// </summary>
public abstract class GroundDistanceLoss : EarthMoverLoss
{
    private GroundDistance _distance;

    private protected GroundDistanceLoss(GroundDistance distance, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        _distance = distance ?? throw new ArgumentNullException(nameof(distance));
    }

    /// <summary>The ground distance D; replace it (each epoch, with a learned distance) by assigning a new one.</summary>
    public GroundDistance distance { get => _distance; set => _distance = value ?? throw new ArgumentNullException(nameof(distance)); }
}

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
