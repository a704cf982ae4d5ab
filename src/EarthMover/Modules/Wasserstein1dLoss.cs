namespace EarthMover.Modules;

/// <summary>The p-Wasserstein distance for ordered classes as a module: see <see cref="earthmover.nn.functional.wasserstein_1d_loss"/>. Options are checked when set.</summary>
public sealed class Wasserstein1dLoss : EarthMoverLoss
{
    private double _p;
    private double[]? _positions;

    internal Wasserstein1dLoss(double? p, bool? root, IReadOnlyList<double>? positions, EmdInput? inputType, Tensor? weight, Reduction reduction)
        : base(inputType, weight, reduction)
    {
        this.p = p ?? LossDefaults.P;
        this.root = root ?? LossDefaults.Root;
        this.positions = positions;
    }

    /// <summary>The power p ≥ 1.</summary>
    public double p { get => _p; set => _p = Check.Power(value); }

    /// <summary>Whether W_p rather than W_p^p is returned.</summary>
    public bool root { get; set; }

    /// <summary>The class positions, or null for 0, 1, ..., C-1.</summary>
    public IReadOnlyList<double>? positions { get => _positions; set => _positions = Check.Positions(value); }

    /// <inheritdoc />
    public override Tensor forward(Tensor input, Tensor target, Tensor? sample_weight) =>
        earthmover.nn.functional.wasserstein_1d_loss(input, target, p, root, _positions, input_type, weight, sample_weight, reduction);
}
