using EarthMover.Kernels;
using EarthMover.Kernels.Rows;

namespace EarthMover;

/// <summary>W_p on the line (docs/math.md §13): a row kernel merging the two CDFs.</summary>
internal sealed class Wasserstein1dDefinition : LossDefinition
{
    private readonly double _p;
    private readonly bool _root;
    private readonly IReadOnlyList<double>? _positions;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int Classes, double P), GroundDistance> EvenlySpaced = new();

    private double[] _x = [];

    public Wasserstein1dDefinition(double? p, bool? root, IReadOnlyList<double>? positions)
    {
        _p = Check.Power(p ?? LossDefaults.P);
        _root = root ?? LossDefaults.Root;
        _positions = positions;
    }

    public override string Name => "wasserstein_1d_loss";

    public override bool DifferentiatesTarget => false;

    public override FusedKind Fused => FusedKind.Row;

    public override void CheckClasses(int classes)
    {
        Check.Gaps(_positions, classes);
        _x = _positions?.ToArray() ?? Enumerable.Range(0, classes).Select(i => (double)i).ToArray();
    }

    public override IRowKernel RowKernel(int classes) => new LineWassersteinKernel(_x, _p, _root);

    // W_p^p(p, δ_k) = Σ_i p_i |x_i - x_k|^p (the only coupling with a point mass), the ground-distance loss under
    // D = |x_i - x_j|^p; kept for the evenly spaced default positions, whose D is built once per (C, p).
    public override LossDefinition ForClassIndices(bool logits) =>
        logits && _positions is null && (!_root || _p == 1) ? new GroundEmdDefinition(EvenlySpaced.GetOrAdd((_x.Length, _p), k => GroundDistance.Evenly(k.Classes, k.P)), Name) : this;

    /// <summary>W_p^p is piecewise linear in the prediction (<see cref="TangentForm"/>); the root is taken on top, by autograd.</summary>
    public override Tensor TensorRows(Tensor input, Tensor target, bool logits)
    {
        var rows = TangentForm.Rows(new LineWassersteinKernel(_x, _p, root: false), input, target, logits);
        return _root && _p != 1 ? TensorOpsLosses.Root(rows, _p) : rows;
    }
}
