namespace EarthMover.Modules;

/// <summary>MCE + QWK as a module: see <see cref="earthmover.nn.functional.mce_qwk_loss"/>. Options are checked when set.</summary>
public sealed class MCEQWKLoss : EarthMoverLoss
{
    private double _c;
    private KappaPenalty _penalty;

    internal MCEQWKLoss(double? c, KappaPenalty? penalty, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        C = c ?? MceQwkDefinition.DefaultC;
        penalization_type = penalty ?? KappaPenalty.Quadratic;
    }

    /// <summary>The weight C ∈ [0, 1] of QWK.</summary>
    public double C { get => _c; set => _c = MceQwkDefinition.CheckC(value); }

    /// <summary>Quadratic or linear penalties.</summary>
    public KappaPenalty penalization_type { get => _penalty; set => _penalty = QwkDefinition.CheckPenalty(value); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.mce_qwk_loss(input, target, _c, _penalty, input_type, weight, sample_weight, reduction);
}
