using System.Numerics;

namespace EarthMover.Modules;

/// <summary>
/// The squared EMD loss for ordered classes as a module (docs/math.md §2): see
/// <see cref="earthmover.nn.functional.squared_emd_loss"/>. Options are checked when set.
/// </summary>
public sealed class SquaredEMDLoss : EarthMoverLoss
{
    private double _p;
    private EmdNormalization _normalization;
    private double[]? _positions;

    internal SquaredEMDLoss(double? p, bool? root, IReadOnlyList<double>? positions, EmdNormalization? normalization, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        this.p = p ?? LossDefaults.P;
        this.root = root ?? LossDefaults.Root;
        this.positions = positions;
        this.normalization = normalization ?? LossDefaults.Normalization;
    }

    /// <summary>The power p ≥ 1.</summary>
    public double p { get => _p; set => _p = Check.Power(value); }

    /// <summary>Whether the p-th root is taken per sample.</summary>
    public bool root { get; set; }

    /// <summary>The class positions, or null for 0, 1, ..., C-1.</summary>
    public IReadOnlyList<double>? positions { get => _positions; set => _positions = Check.Positions(value); }

    /// <summary>The normalisation s.</summary>
    public EmdNormalization normalization { get => _normalization; set => _normalization = Check.Normalization(value); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.squared_emd_loss(input, target, p, root, _positions, normalization, input_type, weight, sample_weight, reduction);
}
