namespace EarthMover.Modules;

/// <summary>A loss module under a ground distance D between classes (<see cref="EMDLoss"/>, <see cref="GroundEMDLoss"/>, <see cref="SinkhornLoss"/>).</summary>
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
