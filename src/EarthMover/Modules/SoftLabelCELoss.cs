namespace EarthMover.Modules;

/// <summary>The soft-label cross-entropy as a module: see <see cref="earthmover.nn.functional.soft_label_ce_loss"/>. Options are checked when set.</summary>
public sealed class SoftLabelCELoss : EarthMoverLoss
{
    private SoftLabelShape _shape;
    private double _eta;
    private double _smoothing;

    internal SoftLabelCELoss(SoftLabelShape shape, double? eta, double? labelSmoothing, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        ArgumentNullException.ThrowIfNull(shape);
        _shape = shape;
        this.eta = eta ?? 1.0;
        label_smoothing = labelSmoothing ?? 0.0;
    }

    /// <summary>The target shape.</summary>
    public SoftLabelShape shape { get => _shape; set => _shape = value ?? throw new ArgumentNullException(nameof(value)); }

    /// <summary>η in [0, 1].</summary>
    public double eta { get => _eta; set => _eta = SoftLabelCeDefinition.Fraction(value, nameof(eta)); }

    /// <summary>ε in [0, 1].</summary>
    public double label_smoothing { get => _smoothing; set => _smoothing = SoftLabelCeDefinition.Fraction(value, nameof(label_smoothing)); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.soft_label_ce_loss(input, target, _shape, _eta, _smoothing, input_type, weight, sample_weight, reduction);
}
