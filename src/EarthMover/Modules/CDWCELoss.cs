namespace EarthMover.Modules;

/// <summary>CDW-CE as a module: see <see cref="earthmover.nn.functional.cdw_ce_loss"/>. Options are checked when set.</summary>
public sealed class CDWCELoss : EarthMoverLoss
{
    private double _alpha;

    internal CDWCELoss(double? alpha, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        this.alpha = alpha ?? CdwCeDefinition.DefaultAlpha;
    }

    /// <summary>α &gt; 0.</summary>
    public double alpha { get => _alpha; set => _alpha = OrdinalMath.Positive(value, nameof(alpha)); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.cdw_ce_loss(input, target, _alpha, input_type, weight, sample_weight, reduction);
}
