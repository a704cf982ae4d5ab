namespace EarthMover.Modules;

/// <summary>The weighted-kappa loss as a module: see <see cref="earthmover.nn.functional.qwk_loss"/>. Options are checked when set.</summary>
public sealed class QWKLoss : EarthMoverLoss
{
    private KappaPenalty _penalty;

    internal QWKLoss(KappaPenalty? penalty, bool? logarithm, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        penalization_type = penalty ?? KappaPenalty.Quadratic;
        use_logarithm = logarithm ?? false;
    }

    /// <summary>Quadratic or linear penalties.</summary>
    public KappaPenalty penalization_type { get => _penalty; set => _penalty = QwkDefinition.CheckPenalty(value); }

    /// <summary>Whether log(L + ε) is returned.</summary>
    public bool use_logarithm { get; set; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.qwk_loss(input, target, _penalty, use_logarithm, input_type, weight, sample_weight, reduction);
}
